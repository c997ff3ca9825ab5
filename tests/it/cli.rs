//! The `qamus` binary, run as a user runs it, on the fixtures in `fixtures/`.

use std::path::Path;

use serde_json::Value;

use crate::util::{self, stderr, stdout, Qamus};

/// `NO_COLOR` removed: whether there is colour is the flags' and the
/// terminal's choice here.
const QAMUS: Qamus = Qamus::new().colour_allowed();

fn json(args: &[&str]) -> (Value, i32) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = QAMUS.run(&all);
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&output)));
    (value, output.status.code().unwrap())
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

const MIXED: &str = "fixtures/articles/hmc-mixed-renderings.txt";

#[test]
fn forbidden_rendering_fails_with_exit_1_and_points_at_the_line() {
    let output = QAMUS.run(&["check", MIXED]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(
            "fixtures/articles/hmc-mixed-renderings.txt:7:10: error[forbidden-rendering] «\u{2068}مؤسسة حمد الطبية\u{2069}» is a forbidden rendering of HMC"
        ),
        "{text}"
    );
    assert!(text.contains("    = use: اللجنة العسكرية العليا"), "{text}");
    assert!(text.contains("⟦مؤسسة حمد الطبية⟧"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("1 file, "), "{text}");
    assert!(!text.contains('\x1b'), "colour when piped");
}

#[test]
fn json_report_has_the_documented_keys_and_exact_positions() {
    let (report, code) = json(&[MIXED]);
    assert_eq!(code, 1);
    let forbidden = findings(&report, "forbidden-rendering");
    assert_eq!(forbidden.len(), 1);
    let f = forbidden[0];
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(7), Some(10)));
    assert_eq!(f["severity"], "error");
    assert_eq!(f["concept"], "hmc");
    assert_eq!(f["acronym"], "HMC");
    assert_eq!(f["surface"], "مؤسسة حمد الطبية");
    assert_eq!(f["suggestion"], "اللجنة العسكرية العليا");
    for key in ["rule", "severity", "path", "line", "column", "concept", "en", "acronym", "surface", "suggestion", "message"] {
        assert!(f.get(key).is_some(), "finding lacks {key}");
    }
    let matches = report["matches"].as_array().unwrap();
    let sfa = matches.iter().find(|m| m["concept"] == "sfa").unwrap();
    for key in [
        "path",
        "line",
        "column",
        "byte_start",
        "byte_end",
        "concept",
        "en",
        "acronym",
        "surface",
        "form",
        "status",
        "kind",
        "proclitics",
        "suffix",
    ] {
        assert!(sfa.get(key).is_some(), "match lacks {key}");
    }
    assert_eq!(sfa["surface"], "لاتفاقية الإطار الاستراتيجي");
    assert_eq!(sfa["proclitics"], "ل");
    assert_eq!(sfa["kind"], "clitic");
    assert_eq!(sfa["status"], "preferred");
    // Byte offsets are offsets in the file.
    let file = std::fs::read(MIXED).unwrap();
    let (start, end) = (sfa["byte_start"].as_u64().unwrap() as usize, sfa["byte_end"].as_u64().unwrap() as usize);
    assert_eq!(std::str::from_utf8(&file[start..end]).unwrap(), "لاتفاقية الإطار الاستراتيجي");
    let fmf = findings(&report, "deprecated-rendering").into_iter().find(|f| f["concept"] == "fmf").unwrap();
    assert_eq!(fmf["surface"], "والتمويل العسكري الخارجي");
    assert_eq!(report["summary"]["error"], 1);
    assert_eq!(report["summary"]["files"], 1);
    assert!(report["summary"]["matches"].as_u64().unwrap() >= 10);
}

#[test]
fn mixed_renderings_lists_each_form_with_count_and_first_line() {
    let (report, _) = json(&[MIXED]);
    let mixed = findings(&report, "mixed-renderings");
    assert_eq!(mixed.len(), 1, "one finding per concept per document");
    let renderings = mixed[0]["renderings"].as_array().unwrap();
    let summary: Vec<(String, u64, u64)> = renderings
        .iter()
        .map(|r| (r["form"].as_str().unwrap().to_string(), r["count"].as_u64().unwrap(), r["first_line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("اللجنة العسكرية العليا".to_string(), 2, 3),
            ("مؤسسة حمد الطبية".to_string(), 1, 7),
            ("اللجنة العسكرية المشتركة".to_string(), 1, 9)
        ]
    );
}

#[test]
fn orthographic_variants_are_notes_hidden_unless_asked_for() {
    let (report, _) = json(&[MIXED]);
    assert!(findings(&report, "orthographic-variant").is_empty());
    assert_eq!(report["summary"]["hidden"], 2);
    let (report, _) = json(&["--min-severity", "note", MIXED]);
    let notes = findings(&report, "orthographic-variant");
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["surface"], "اللجنة العسكرية العلیا");
    assert_eq!(notes[0]["line"], 11);
    let (report, _) = json(&["--severity", "orthographic-variant=info", MIXED]);
    assert_eq!(findings(&report, "orthographic-variant").len(), 2);
}

#[test]
fn a_consistent_file_is_clean() {
    let output = QAMUS.run(&["check", "fixtures/articles/consistent-statement.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let (report, _) = json(&["fixtures/articles/consistent-statement.txt"]);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
    let concepts: Vec<&str> = report["matches"].as_array().unwrap().iter().map(|m| m["concept"].as_str().unwrap()).collect();
    for id in ["jscd", "dsca", "centcom", "sfa", "isf", "peshmerga", "pme", "lno"] {
        assert!(concepts.contains(&id), "{id} not found in {concepts:?}");
    }
}

#[test]
fn markdown_skips_code_links_comments_and_front_matter() {
    let (report, code) = json(&["fixtures/articles/weekly-brief.md"]);
    assert_eq!(code, 0, "only info findings");
    assert!(findings(&report, "forbidden-rendering").is_empty(), "{report}");
    let bare = findings(&report, "bare-acronym");
    assert_eq!(bare.iter().map(|f| f["surface"].as_str().unwrap()).collect::<Vec<_>>(), vec!["JSCD", "CJTF-OIR"]);
    assert_eq!((bare[0]["line"].as_u64(), bare[0]["column"].as_u64()), (Some(7), Some(22)));
}

#[test]
fn fail_on_and_severity_overrides() {
    assert_eq!(QAMUS.run(&["check", "--fail-on", "info", "fixtures/articles/weekly-brief.md"]).status.code(), Some(1));
    assert_eq!(QAMUS.run(&["check", "--fail-on", "never", MIXED]).status.code(), Some(0));
    assert_eq!(QAMUS.run(&["check", "--severity", "forbidden-rendering=warning", MIXED]).status.code(), Some(0));
    assert_eq!(QAMUS.run(&["check", "--severity", "forbidden-rendering=warning", "--fail-on", "warning", MIXED]).status.code(), Some(1));
    let (report, _) = json(&["--severity", "mixed-renderings=off", MIXED]);
    assert!(findings(&report, "mixed-renderings").is_empty());
    let bad = QAMUS.run(&["check", "--severity", "no-such-rule=error", MIXED]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown rule \"no-such-rule\""), "{}", stderr(&bad));
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let coloured = QAMUS.run(&["check", "--color", "always", MIXED]);
    assert!(stdout(&coloured).contains("\x1b[1;31merror"));
    let output = util::qamus().args(["check", MIXED]).env("NO_COLOR", "1").output().unwrap();
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn directories_are_walked_in_order_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("b")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".gitignore"), "ignored.txt\n").unwrap();
    std::fs::write(root.join("ignored.txt"), "مؤسسة حمد الطبية").unwrap();
    std::fs::write(root.join("b/two.txt"), "مؤسسة حمد الطبية").unwrap();
    std::fs::write(root.join("a.md"), "مؤسسة حمد الطبية").unwrap();
    std::fs::write(root.join("image.png"), [0u8, 1, 2]).unwrap();
    let (report, code) = json(&[root.to_str().unwrap()]);
    assert_eq!(code, 1);
    let paths: Vec<String> = findings(&report, "forbidden-rendering").iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("a.md") && paths[1].ends_with("b/two.txt"), "{paths:?}");
}

#[test]
fn a_walk_takes_siblings_by_the_bytes_of_their_names_and_folders_where_they_fall() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // In the order expected: "a" (a folder) before "a b.txt", a space before
    // '-', '-' before '.', '.' before a digit, capitals before small
    // letters, Arabic names last.
    let expected = ["B.txt", "a/b.txt", "a/c.txt", "a b.txt", "a-b.txt", "a.txt", "a0.txt", "ab/a.txt", "z.txt", "ب.txt"];
    for name in expected.iter().rev() {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "مؤسسة حمد الطبية").unwrap();
    }
    for jobs in ["1", "2"] {
        let (report, code) = json(&["-j", jobs, root.to_str().unwrap()]);
        assert_eq!(code, 1);
        let paths: Vec<String> = findings(&report, "forbidden-rendering")
            .iter()
            .map(|f| f["path"].as_str().unwrap().strip_prefix(root.to_str().unwrap()).unwrap().trim_start_matches('/').to_string())
            .collect();
        assert_eq!(paths, expected, "-j{jobs}");
    }
}

#[test]
fn stdin_is_read_with_a_dash() {
    use std::io::Write;
    let mut child =
        util::qamus().args(["check", "-"]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all("نص\nقوى الأمن الداخلي".as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("<stdin>:2:1: error[forbidden-rendering]"), "{}", stdout(&output));
}

#[test]
fn a_suggestion_is_in_the_definiteness_of_what_it_replaces() {
    use std::io::Write;
    let mut child = util::qamus()
        .args(["check", "--no-config", "--format", "json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("عقدت لجنة عسكرية مشتركة جلسة.\nوأصدرت اللجنة العسكرية المشتركة بيانا.\n".as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let suggested: Vec<(u64, &str)> = findings(&report, "deprecated-rendering")
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["suggestion"].as_str().unwrap()))
        .collect();
    assert_eq!(suggested, [(1, "لجنة عسكرية عليا"), (2, "اللجنة العسكرية العليا")], "{report:#}");
    let messages = findings(&report, "deprecated-rendering");
    assert!(messages[0]["message"].as_str().unwrap().contains("use «لجنة عسكرية عليا» instead"), "{report:#}");
}

#[test]
fn a_file_name_with_a_newline_or_bytes_that_are_not_utf8_is_escaped_and_given_exactly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let forbidden = "وأكدت قوى الأمن الداخلي ذلك.\n";
    let names: [&[u8]; 3] = [b"forged\nfake.txt:9:9: error[forbidden-rendering] x.txt", b"caf\xE9.txt", b"back\\slash.txt"];
    for name in names {
        std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(name)), forbidden).unwrap();
    }
    let run = |args: &[&str]| {
        util::qamus()
            .args(["check", "--no-config"])
            .args(args)
            .arg(".")
            .current_dir(dir.path())
            .env_remove("GITHUB_WORKSPACE")
            .output()
            .unwrap()
    };
    let shown = ["./back\\\\slash.txt", "./caf\\xE9.txt", "./forged\\nfake.txt:9:9: error[forbidden-rendering] x.txt"];
    // Text: one finding line a file, none forged by the newline.
    let text = String::from_utf8(run(&[]).stdout).unwrap();
    let starts: Vec<&str> = text.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(starts.len(), 3, "{text}");
    for (line, name) in starts.iter().zip(shown) {
        assert!(line.starts_with(&format!("{name}:1:7: error[")), "{line} for {name}");
    }
    // Counts.
    let counts = String::from_utf8(run(&["--count"]).stdout).unwrap();
    let lines: Vec<&str> = counts.lines().collect();
    assert_eq!(lines, [&format!("{}:1:1", shown[0]), &format!("{}:1:1", shown[1]), &format!("{}:1:1", shown[2]), "total:3:3"], "{counts}");
    // JSON: the escaped names, exactly.
    let report: Value = serde_json::from_slice(&run(&["--format", "json"]).stdout).unwrap();
    let paths: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, shown);
    // SARIF: the bytes of each name, percent-encoded, relative to the root.
    let sarif: Value = serde_json::from_slice(&run(&["--format", "sarif"]).stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["back%5Cslash.txt", "caf%E9.txt", "forged%0Afake.txt%3A9%3A9%3A%20error%5Bforbidden-rendering%5D%20x.txt"]);
    // A baseline holds them and matches them again.
    let written = run(&["--write-baseline", "baseline.json"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let again = run(&["--baseline", "baseline.json"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));
}

#[test]
fn the_readme_main_job_finds_the_planted_renderings_and_reads_every_fixture() {
    // `cargo run --release -- check fixtures/`, as the README says: exit 1
    // (forbidden renderings on purpose), and no fixture unreadable (the
    // broken ones are named by their tests, never walked).
    let output = QAMUS.run(&["check", "fixtures/"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!stderr(&output).contains("error"), "{}", stderr(&output));
    assert!(!stdout(&output).contains("unreadable"), "{}", stdout(&output));
}

#[test]
fn crlf_and_cr_line_endings_keep_lines_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    for (name, newline) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
        let path = dir.path().join(name);
        std::fs::write(&path, ["سطر أول", "سطر ثان", "قال إن مؤسسة حمد الطبية"].join(newline)).unwrap();
        let (report, _) = json(&[path.to_str().unwrap()]);
        let f = findings(&report, "forbidden-rendering")[0];
        assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(3), Some(8)), "{name}");
    }
}

#[test]
fn encodings_bom_utf16_and_windows_1256() {
    let dir = tempfile::tempdir().unwrap();
    let text = "قوى الأمن الداخلي";
    let bom = dir.path().join("bom.txt");
    std::fs::write(&bom, [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
    let (report, _) = json(&[bom.to_str().unwrap()]);
    assert_eq!(report["matches"][0]["byte_start"], 3, "byte offsets count the BOM");
    assert_eq!(report["matches"][0]["column"], 1);

    let utf16 = dir.path().join("utf16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    text.encode_utf16().for_each(|u| bytes.extend_from_slice(&u.to_le_bytes()));
    std::fs::write(&utf16, bytes).unwrap();
    assert_eq!(json(&[utf16.to_str().unwrap()]).0["findings"][0]["rule"], "forbidden-rendering");

    // «مؤسسة حمد الطبية» in Windows-1256.
    let cp1256 = dir.path().join("cp1256.txt");
    let (encoded, _, unmappable) = encoding_rs::WINDOWS_1256.encode("مؤسسة حمد الطبية");
    assert!(!unmappable);
    std::fs::write(&cp1256, &*encoded).unwrap();
    let plain = QAMUS.run(&["check", cp1256.to_str().unwrap()]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(stderr(&plain).contains("cp1256.txt:1: invalid UTF-8 at byte 0"), "{}", stderr(&plain));
    let (report, code) = json(&["--encoding", "windows-1256", cp1256.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(report["findings"][0]["surface"], "مؤسسة حمد الطبية");

    let wrong = QAMUS.run(&["check", "--encoding", "klingon", cp1256.to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("unknown encoding \"klingon\""), "{}", stderr(&wrong));
}

#[test]
fn unreadable_inputs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("data.txt");
    std::fs::write(&binary, b"abc\0def").unwrap();
    let output = QAMUS.run(&["check", "no/such/file.txt", MIXED]);
    assert_eq!(output.status.code(), Some(2), "an unreadable input wins over findings");
    assert!(stderr(&output).contains("qamus: error: no/such/file.txt: no such file or directory"), "{}", stderr(&output));
    assert!(stdout(&output).contains("error[forbidden-rendering]"), "the rest is still checked");
    // A binary file found by a walk is skipped with a notice; named, it is an error.
    let walked = QAMUS.run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(walked.status.code(), Some(0));
    assert!(stderr(&walked).contains("data.txt: binary file, skipped"), "{}", stderr(&walked));
    let named = QAMUS.run(&["check", binary.to_str().unwrap()]);
    assert_eq!(named.status.code(), Some(2));
    assert!(stderr(&named).contains("data.txt:1: binary file (NUL byte at byte 3)"), "{}", stderr(&named));
}

#[test]
fn every_bad_glossary_exits_2_naming_file_line_and_problem() {
    let cases = [
        ("bad-quoting.csv", ":2: this row has 4 cells but the header has 10"),
        ("ragged-row.csv", ":2: this row has 4 cells but the header has 10"),
        ("unknown-column.csv", ":1: unknown column \"colour\"; the known columns are: id, en, acronym"),
        ("duplicate-id.csv", ":3: duplicate id \"hmc\""),
        ("ambiguous-form.csv", ":3: form «اللجنه العسكريه العليا» of jmc folds to the same form as «اللجنة العسكرية العليا» of hmc"),
        ("folds-to-nothing.csv", ":2: form «ـــًّ» of hmc folds to nothing"),
        ("empty.csv", ": the glossary has no concepts"),
        ("missing-cell.csv", ":2: the required cell \"ar\" is empty"),
    ];
    for (file, expected) in cases {
        let path = Path::new("fixtures/glossaries/bad").join(file);
        let output = QAMUS.run(&["check", "--glossary", path.to_str().unwrap(), MIXED]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{file}: one line: {err}");
        assert!(err.contains(&format!("{}{expected}", path.display())), "{file}: {err}");
        assert!(stdout(&output).is_empty(), "{file}: nothing checked with a bad glossary");
    }
    let missing = QAMUS.run(&["check", "--glossary", "no-such-glossary.csv", MIXED]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-glossary.csv: no such file or directory"));
}

#[test]
fn glossaries_given_on_the_command_line_replace_the_default() {
    let (report, _) = json(&["--glossary", "fixtures/glossaries/spec-cases.csv", MIXED]);
    let ids: Vec<&str> = report["matches"].as_array().unwrap().iter().map(|m| m["concept"].as_str().unwrap()).collect();
    assert!(ids.contains(&"hmc") && !ids.contains(&"isf"), "{ids:?}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(QAMUS.run(&["check", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(QAMUS.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(QAMUS.run(&["--help"]).status.code(), Some(0));
}

#[test]
fn rules_lists_every_rule_with_its_default_severity() {
    let output = stdout(&QAMUS.run(&["rules"]));
    for (rule, level) in [
        ("forbidden-rendering", "error"),
        ("deprecated-rendering", "warning"),
        ("mixed-renderings", "warning"),
        ("bare-acronym", "info"),
        ("orthographic-variant", "note"),
    ] {
        assert!(output.lines().any(|l| l.starts_with(rule) && l.contains(level)), "{rule}: {output}");
    }
}

#[test]
fn count_gives_the_counts_of_the_full_report_for_every_kind_of_input() {
    // `--count` makes findings without messages or contexts; what it counts
    // must be what the full report lists, file by file (plain text,
    // Markdown, PO, XLIFF, locale files, pragmas, translation units).
    let counted = stdout(&QAMUS.run(&["check", "--count", "-j1", "fixtures"]));
    let report: Value = serde_json::from_str(&stdout(&QAMUS.run(&["check", "--format", "json", "fixtures"]))).unwrap();
    let mut expected = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for m in report["matches"].as_array().unwrap() {
        expected.entry(m["path"].as_str().unwrap().to_string()).or_default().0 += 1;
    }
    for f in report["findings"].as_array().unwrap() {
        assert!(!f["message"].as_str().unwrap().is_empty(), "the full report has messages: {f}");
        expected.entry(f["path"].as_str().unwrap().to_string()).or_default().1 += 1;
    }
    let mut lines: Vec<String> = expected.iter().map(|(path, (m, f))| format!("{path}:{m}:{f}")).collect();
    let (matches, findings) = expected.values().fold((0, 0), |(m, f), (dm, df)| (m + dm, f + df));
    assert!(findings > 10, "the fixtures give findings of several rules: {findings}");
    lines.push(format!("total:{matches}:{findings}"));
    let mut counted_lines: Vec<String> = counted.lines().map(str::to_string).collect();
    counted_lines.sort();
    lines.sort();
    assert_eq!(counted_lines, lines);
}

#[test]
fn count_prints_matches_and_findings_per_file_and_a_total() {
    let output = QAMUS.run(&["check", "--count", "fixtures/articles"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("fixtures/articles/hmc-mixed-renderings.txt:15:4\n"), "{text}");
    assert!(text.ends_with("total:26:6\n"), "{text}");
    assert!(!text.contains("error["), "no per-finding output");
}

#[test]
fn mixed_renderings_points_at_the_first_use_of_a_form_other_than_the_preferred() {
    // The forbidden form on line 1, the preferred on line 2: a tie, which
    // used to make the preferred form the one out of line.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tie.txt");
    std::fs::write(&path, "أكدت قوى الأمن الداخلي الخبر.\nوقالت قوات الأمن العراقية إن العملية انتهت.\n").unwrap();
    let output = util::qamus().args(["check", "--no-config", "--format", "json"]).arg(&path).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mixed: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "mixed-renderings").collect();
    assert_eq!(mixed.len(), 1);
    assert_eq!((mixed[0]["line"].as_u64(), mixed[0]["surface"].as_str()), (Some(1), Some("قوى الأمن الداخلي")));
}

/// Runs qamus with `args`, reads `bytes` of its output and closes the pipe;
/// its exit code and what it wrote on stderr.
fn closing_the_pipe_after(args: &[&str], bytes: usize) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = util::qamus().args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut start = vec![0; bytes];
    stdout.read_exact(&mut start).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_closed_pipe_is_no_error_and_hides_no_verdict() {
    // Output well past a pipe's buffer: the write fails for certain.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::copy("fixtures/articles/hmc-mixed-renderings.txt", dir.path().join(format!("a{i:03}.txt"))).unwrap();
    }
    let folder = dir.path().to_str().unwrap();
    for _ in 0..3 {
        // Error findings were made: 1, as without the pipe closed.
        let (code, stderr) = closing_the_pipe_after(&["check", "--no-config", folder], 10);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        let (code, stderr) = closing_the_pipe_after(&["check", "--no-config", "--fail-on", "never", "--format", "jsonl", folder], 10);
        assert_eq!(code, Some(0), "{stderr}");
        // The CSV writer's error, and a completion script made at once.
        let (code, stderr) = closing_the_pipe_after(&["glossary", "--all"], 10);
        assert_eq!(code, Some(0), "{stderr}");
        let (code, stderr) = closing_the_pipe_after(&["completions", "bash"], 10);
        assert_eq!(code, Some(0), "{stderr}");
    }
}

#[test]
fn jobs_past_four_a_core_are_reduced_with_a_warning() {
    let output =
        util::qamus().args(["check", "--no-config", "-j", "100000", "fixtures/articles/consistent-statement.txt"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--jobs 100000 is more than") && stderr.contains("using"), "{stderr}");
}

#[test]
fn the_extension_of_the_output_picks_its_format_and_an_unknown_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("findings.sarif");
    let run = |args: &[&str]| util::qamus().args(args).output().unwrap();
    let output = run(&["check", "--no-config", "fixtures/articles", "-o", sarif.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).expect("SARIF, not text");
    assert_eq!(log["version"], "2.1.0");
    // The flag wins over the extension.
    let output = run(&["check", "--no-config", "fixtures/articles", "--format", "json", "-o", sarif.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(serde_json::from_slice::<Value>(&std::fs::read(&sarif).unwrap()).unwrap()["summary"].is_object());
    // An extension that names no format: an error before anything is written.
    let xlsx = dir.path().join("glossary.xlsx");
    let output = run(&["glossary", "-o", xlsx.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("«.xlsx» names no format"), "{stderr}");
    assert!(!xlsx.exists());
    let output = run(&["report", "--no-config", "fixtures/articles", "-o", dir.path().join("r.docx").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn piped_input_is_read_without_a_path_and_named_by_stdin_filename() {
    use std::io::Write as _;
    let piped = |args: &[&str], input: &[u8], dir: &Path| {
        let mut child = util::qamus()
            .args(args)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let article = std::fs::read(here.join("fixtures/articles/hmc-mixed-renderings.txt")).unwrap();
    // A folder with a file of its own, which a walk would check.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.txt"), "قوات الأمن العراقية").unwrap();
    let output = piped(&["check", "--no-config", "--format", "json"], &article, dir.path());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(report["summary"]["files"], 1, "the folder was walked: {report}");
    assert!(report["findings"].as_array().unwrap().iter().all(|f| f["path"] == "<stdin>"));
    // Named: a PO file, read as PO and shown by that name.
    let po = std::fs::read(here.join("fixtures/translations/statement.ar.po")).unwrap();
    let output = piped(&["check", "--no-config", "--stdin-filename", "po/ar.po"], &po, dir.path());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("po/ar.po:19:9: warning[missing-rendering]"), "{text}");
    // Nothing piped (stdin a device, as in most CI runners): the folder.
    let output = util::qamus()
        .args(["check", "--no-config", "--format", "json"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["matches"].as_array().unwrap().iter().any(|m| m["path"].as_str().unwrap().ends_with("other.txt")), "{report}");
}
