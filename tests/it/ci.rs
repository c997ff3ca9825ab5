//! qamus in CI: SARIF (validated against the 2.1.0 schema), GitHub workflow
//! commands (parsed back), JSON Lines, `qamus.toml` discovery and override
//! order, pragmas, baselines, `init`, completions, the man page, `--jobs` and
//! `-o`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::util::{self, text, Qamus};

const MIXED: &str = "fixtures/articles/hmc-mixed-renderings.txt";

/// Paths as given and no job summary, whatever the environment of the
/// tests; `NO_COLOR` removed.
const QAMUS: Qamus = Qamus::new().outside_workspace().without_step_summary().colour_allowed();

/// A scratch directory holding a copy of the article fixtures.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let articles = Path::new(util::ROOT).join("fixtures/articles");
    std::fs::create_dir_all(dir.path().join("articles")).unwrap();
    for entry in std::fs::read_dir(articles).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join("articles").join(entry.file_name())).unwrap();
    }
    dir
}

// ---------------------------------------------------------------- SARIF

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let output = QAMUS.in_root().run(&["check", "--format", "sarif", "fixtures/articles"]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&output.stdout).unwrap();
    if let Some(schema_path) = util::shared("schemas/sarif-schema-2.1.0.json", "the SARIF schema validation") {
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    // What GitHub code scanning reads.
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rules,
        [
            "forbidden-rendering",
            "deprecated-rendering",
            "mixed-renderings",
            "bare-acronym",
            "orthographic-variant",
            "missing-rendering",
            "unexpected-rendering",
            "cross-source"
        ]
    );
    let results = run["results"].as_array().unwrap();
    let forbidden = results.iter().find(|r| r["ruleId"] == "forbidden-rendering").unwrap();
    let location = &forbidden["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "fixtures/articles/hmc-mixed-renderings.txt");
    assert_eq!(location["region"]["startLine"], 7);
    assert_eq!(location["region"]["startColumn"], 10);
    assert_eq!(location["region"]["endColumn"], 26);
    assert_eq!(location["region"]["snippet"]["text"], "مؤسسة حمد الطبية");
    assert_eq!(forbidden["level"], "error");
    let fix = &forbidden["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(fix["insertedContent"]["text"], "اللجنة العسكرية العليا");
    // The fix keeps the proclitic.
    let fmf =
        results.iter().find(|r| r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] == "والتمويل العسكري الخارجي").unwrap();
    assert_eq!(fmf["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "والتمويل العسكري الأجنبي");
    // Info findings are SARIF notes.
    assert!(results.iter().any(|r| r["ruleId"] == "bare-acronym" && r["level"] == "note"));
}

// ---------------------------------------------------------------- GitHub

/// A parser of the workflow-command syntax: `::name key=value,…::data`, with
/// the escapes undone.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("a command starts with ::");
    let (head, data) = rest.split_once("::").expect("properties end with ::");
    let (name, properties) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_data = |s: &str| s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    let unescape_property = |s: &str| unescape_data(&s.replace("%3A", ":").replace("%2C", ","));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            assert!(!v.contains(',') && !v.contains(':') && !v.contains('\n'), "unescaped property {v:?}");
            (k.to_string(), unescape_property(v))
        })
        .collect();
    assert!(!data.contains('\n') && !data.contains('\r'), "unescaped data");
    (name.to_string(), properties, unescape_data(data))
}

#[test]
fn github_commands_escape_percent_newlines_colons_and_commas() {
    let dir = tempfile::tempdir().unwrap();
    let glossary = dir.path().join("g.csv");
    std::fs::write(
        &glossary,
        "id,en,acronym,ar,ar_forbidden,note\nhmc,\"Higher Military Commission, HMC\",HMC,اللجنة العسكرية العليا,مؤسسة حمد الطبية,\"«مؤسسة حمد الطبية» is 100% wrong:\r\nsee the note.\"\n",
    )
    .unwrap();
    let odd = dir.path().join("a,b:c.txt");
    std::fs::write(&odd, "قال إن مؤسسة حمد الطبية ستجتمع").unwrap();
    let summary = dir.path().join("summary.md");
    let output = util::qamus()
        .args(["check", "--format", "github", "--glossary", "g.csv", "a,b:c.txt"])
        .current_dir(dir.path())
        .env_remove("GITHUB_WORKSPACE")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let (name, properties, data) = parse_command(lines[0]);
    assert_eq!(name, "error");
    let get = |k: &str| properties.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("file"), "a,b:c.txt");
    assert_eq!((get("line"), get("col"), get("endLine"), get("endColumn")), ("1".into(), "8".into(), "1".into(), "24".into()));
    assert_eq!(get("title"), "qamus forbidden-rendering (HMC)");
    assert!(data.contains("is 100% wrong:\r\nsee the note."), "{data:?}");
    // Every Arabic run isolated (U+2068 … U+2069), for a reader's bidi.
    assert!(data.ends_with("\nReplace «\u{2068}مؤسسة حمد الطبية\u{2069}» with «\u{2068}اللجنة العسكرية العليا\u{2069}»."), "{data:?}");
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(summary.contains("## qamus"));
    assert!(
        summary.contains("| error | `a,b:c.txt:1:8` | forbidden-rendering | HMC | مؤسسة حمد الطبية | اللجنة العسكرية العليا |"),
        "{summary}"
    );
}

#[test]
fn github_annotations_for_the_fixtures_use_repository_paths_and_levels() {
    let output = QAMUS.in_root().run(&["check", "--format", "github", "fixtures/articles"]);
    let stdout = text(&output.stdout);
    let commands: Vec<_> = stdout.lines().map(parse_command).collect();
    assert!(commands
        .iter()
        .any(|(n, p, _)| n == "error" && p.contains(&("file".into(), "fixtures/articles/hmc-mixed-renderings.txt".into()))));
    assert!(commands.iter().any(|(n, _, _)| n == "warning"));
    assert!(commands.iter().any(|(n, _, _)| n == "notice"), "info findings are notices");
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_is_one_finding_per_line_with_the_json_keys() {
    let jsonl = text(&QAMUS.in_root().run(&["check", "--format", "jsonl", "fixtures/articles"]).stdout);
    let json: Value = serde_json::from_slice(&QAMUS.in_root().run(&["check", "--format", "json", "fixtures/articles"]).stdout).unwrap();
    let lines: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), json["findings"].as_array().unwrap().len());
    assert_eq!(lines[0], json["findings"][0]);
    assert!(lines.iter().all(|l| l["rule"].is_string() && l["line"].is_u64()));
}

// ---------------------------------------------------------------- config

#[test]
fn config_is_discovered_from_a_parent_and_flags_override_it() {
    let dir = workspace();
    std::fs::write(dir.path().join("qamus.toml"), "fail-on = \"never\"\nformat = \"json\"\n").unwrap();
    let sub = dir.path().join("articles");
    let output = QAMUS.in_dir(&sub).run(&["check", "hmc-mixed-renderings.txt"]);
    assert_eq!(output.status.code(), Some(0), "fail-on = never from the parent's qamus.toml");
    assert!(serde_json::from_slice::<Value>(&output.stdout).is_ok(), "format = json from the config");
    let output = QAMUS.in_dir(&sub).run(&["check", "--fail-on", "error", "--format", "text", "hmc-mixed-renderings.txt"]);
    assert_eq!(output.status.code(), Some(1), "the flag wins");
    assert!(text(&output.stdout).contains("error[forbidden-rendering]"));
    let output = QAMUS.in_dir(&sub).run(&["check", "--no-config", "hmc-mixed-renderings.txt"]);
    assert_eq!(output.status.code(), Some(1), "--no-config ignores it");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("strict.toml"), "fail-on = \"warning\"\n").unwrap();
    let strict = elsewhere.path().join("strict.toml");
    let output = QAMUS.in_dir(&sub).run(&["check", "--config", strict.to_str().unwrap(), "consistent-statement.txt"]);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn config_severities_glossaries_includes_excludes_and_ignores() {
    let dir = workspace();
    let root = dir.path();
    std::fs::create_dir_all(root.join("terms")).unwrap();
    std::fs::copy(Path::new(util::ROOT).join("glossaries/us-iraq-security.csv"), root.join("terms/g.csv")).unwrap();
    std::fs::write(root.join("articles/extra.txt"), "مؤسسة حمد الطبية").unwrap();
    std::fs::write(
        root.join("qamus.toml"),
        r#"glossaries = ["terms/g.csv"]
include = ["articles/*.txt"]
exclude = ["articles/extra.txt"]
format = "json"

[severity]
deprecated-rendering = "info"

[concept-severity]
fmf = "off"
hmc = { mixed-renderings = "note" }

[[ignore]]
path = "articles/consistent-*.txt"
"#,
    )
    .unwrap();
    let output = QAMUS.in_dir(root).run(&["check"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.iter().all(|p| p.ends_with("hmc-mixed-renderings.txt")), "include and exclude: {paths:?}");
    let findings = report["findings"].as_array().unwrap();
    let deprecated = findings.iter().find(|f| f["rule"] == "deprecated-rendering").unwrap();
    assert_eq!(deprecated["severity"], "info");
    assert!(findings.iter().all(|f| f["concept"] != "fmf"), "fmf is off");
    assert!(findings.iter().all(|f| f["rule"] != "mixed-renderings"), "hmc mixed-renderings is a hidden note");
    assert_eq!(report["summary"]["files"], 2);
    // An include that matches nothing is an error.
    std::fs::write(root.join("qamus.toml"), "include = [\"nothing/**\"]\n").unwrap();
    let output = QAMUS.in_dir(root).run(&["check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("include: the globs [\"nothing/**\"] match no file"), "{}", text(&output.stderr));
}

#[test]
fn a_count_drops_what_ignores_pragmas_and_min_severity_drop_from_the_report() {
    // `--count` counts findings without making them whole; it must leave
    // out the same ones the report does: those a configured ignore or a
    // pragma silences, and those below the minimum severity.
    let dir = workspace();
    let root = dir.path();
    let translations = Path::new(util::ROOT).join("fixtures/translations");
    std::fs::create_dir_all(root.join("translations")).unwrap();
    for name in ["page.html", "statement.xlf"] {
        std::fs::copy(translations.join(name), root.join("translations").join(name)).unwrap();
    }
    // A pragma for the whole catalogue silences a rendering that a unit
    // misses: a finding about the unit, not about an occurrence.
    let catalogue = std::fs::read_to_string(translations.join("statement.ar.po")).unwrap();
    std::fs::write(root.join("translations/statement.ar.po"), format!("# qamus-ignore jcc\n{catalogue}")).unwrap();
    let missing_jcc = |output: Output| {
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].as_array().unwrap().iter().any(|f| f["concept"] == "jcc" && f["rule"] == "missing-rendering")
    };
    assert!(missing_jcc(QAMUS.in_root().run(&["check", "--format", "json", "fixtures/translations/statement.ar.po"])));
    assert!(!missing_jcc(QAMUS.in_dir(root).run(&["check", "--format", "json", "translations/statement.ar.po"])));
    std::fs::write(
        root.join("qamus.toml"),
        "[[ignore]]\npath = \"articles/hmc-*.txt\"\nconcepts = [\"hmc\"]\n\n[[ignore]]\npath = \"translations/*.po\"\nrules = [\"missing-rendering\"]\n",
    )
    .unwrap();
    let total = |output: &Output| -> usize {
        let text = text(&output.stdout);
        let last = text.lines().last().unwrap_or_default().to_string();
        last.rsplit(':').next().unwrap().parse().unwrap_or_else(|_| panic!("{text}"))
    };
    let unfiltered =
        total(&QAMUS.in_dir(root).run(&["check", "--count", "--no-config", "--min-severity", "note", "articles", "translations"]));
    for level in ["note", "warning", "error"] {
        let report = QAMUS.in_dir(root).run(&["check", "--format", "json", "--min-severity", level, "articles", "translations"]);
        let report: Value = serde_json::from_slice(&report.stdout).unwrap();
        let mut expected = std::collections::BTreeMap::<String, (usize, usize)>::new();
        for m in report["matches"].as_array().unwrap() {
            expected.entry(m["path"].as_str().unwrap().to_string()).or_default().0 += 1;
        }
        for f in report["findings"].as_array().unwrap() {
            expected.entry(f["path"].as_str().unwrap().to_string()).or_default().1 += 1;
        }
        let findings: usize = expected.values().map(|(_, f)| f).sum();
        let mut lines: Vec<String> = expected.iter().map(|(path, (m, f))| format!("{path}:{m}:{f}")).collect();
        lines.push(format!("total:{}:{findings}", expected.values().map(|(m, _)| m).sum::<usize>()));
        lines.sort();
        if level == "note" {
            // The ignores and pragmas leave findings out.
            assert!(findings > 0 && findings + 6 <= unfiltered, "{findings} of {unfiltered}");
        }
        for jobs in ["1", "2"] {
            let output = QAMUS.in_dir(root).run(&["check", "--count", "-j", jobs, "--min-severity", level, "articles", "translations"]);
            let mut counted: Vec<String> = text(&output.stdout).lines().map(str::to_string).collect();
            counted.sort();
            assert_eq!(counted, lines, "--min-severity {level} -j {jobs}");
        }
    }
}

#[test]
fn config_errors_name_the_file_the_key_and_the_line() {
    let dir = workspace();
    let cases = [
        ("fail-on = \"never\"\ncolour = \"red\"\n", "qamus.toml:2:1: invalid configuration: unknown field `colour`"),
        ("jobs = \"four\"\n", "qamus.toml:1:8: invalid configuration"),
        ("[severity]\nno-such-rule = \"error\"\n", "qamus.toml: [severity]: unknown rule \"no-such-rule\""),
        ("[severity]\nbare-acronym = \"loud\"\n", "qamus.toml: [severity]: unknown level \"loud\""),
        ("[concept-severity]\nnope = \"off\"\n", "qamus.toml: [concept-severity]: no concept \"nope\" in the glossary"),
        ("format = \"yaml\"\n", "qamus.toml: format: unknown value \"yaml\""),
        ("[[ignore]]\npath = \"a/[\"\n", "qamus.toml: [[ignore]] path: bad glob \"a/[\""),
    ];
    for (config, expected) in cases {
        std::fs::write(dir.path().join("qamus.toml"), config).unwrap();
        let output = QAMUS.in_dir(dir.path()).run(&["check", "articles"]);
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains(expected), "{config}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn init_writes_a_starter_config_once() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(QAMUS.in_dir(dir.path()).run(&["init"]).status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("qamus.toml")).unwrap();
    assert!(written.contains("# fail-on = \"error\""));
    let again = QAMUS.in_dir(dir.path()).run(&["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("qamus.toml: already exists; pass --force"));
    assert_eq!(QAMUS.in_dir(dir.path()).run(&["init", "--force"]).status.code(), Some(0));
    std::fs::write(dir.path().join("a.txt"), "حوار التعاون الأمني المشترك").unwrap();
    assert_eq!(QAMUS.in_dir(dir.path()).run(&["check"]).status.code(), Some(0), "the starter config loads");
}

// ---------------------------------------------------------------- pragmas

#[test]
fn pragmas_in_markdown_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("a.md");
    std::fs::write(
        &md,
        "<!-- qamus-ignore-next-line -->\nقال إن مؤسسة حمد الطبية\nثم قوى الأمن الداخلي <!-- qamus-ignore-line isf -->\nو قوى الأمن الداخلي\n",
    )
    .unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--format", "json", "a.md"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "forbidden-rendering")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![4], "lines 2 and 3 are silenced");

    let txt = dir.path().join("a.txt");
    std::fs::write(&txt, "# qamus-ignore hmc\nمؤسسة حمد الطبية\nقوى الأمن الداخلي # qamus-ignore-line\nقوى الأمن الداخلي\n# qamus-ignore-next-line nosuch\nنص\n").unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--format", "json", "a.txt"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["concept"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, vec![("isf".to_string(), 4)]);
    assert!(text(&output.stderr).contains("a.txt:5: a qamus-ignore pragma names \"nosuch\", which is no concept of the glossary"));
}

/// An occurrence a pragma silences is left out of judging the document as a
/// whole: two renderings of one concept, one of them silenced, are not
/// "mixed renderings".
#[test]
fn a_silenced_occurrence_is_not_a_rendering_of_the_document() {
    let dir = tempfile::tempdir().unwrap();
    // The short form twice on a line, then the full name once: the short
    // form is the more used, so the finding points at the full name's line,
    // which no pragma covers.
    let short = "تناول حوار التعاون الأمني ملف التدريب، وأكد حوار التعاون الأمني أهمية الدعم.";
    let full = "انعقد حوار التعاون الأمني المشترك في بغداد.";
    let both = format!("{short}\n{full}\n");
    let silenced = format!("{short} # qamus-ignore-line jscd\n{full}\n");
    let rules = |text: &str| -> Vec<String> {
        std::fs::write(dir.path().join("a.txt"), text).unwrap();
        let output = QAMUS.in_dir(dir.path()).run(&["check", "--format", "json", "a.txt"]);
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(rules(&both), ["mixed-renderings"]);
    assert!(rules(&silenced).is_empty(), "the silenced rendering still counted");
}

// ---------------------------------------------------------------- baseline

#[test]
fn a_baseline_survives_an_edit_above_a_known_finding() {
    let dir = workspace();
    let file = dir.path().join("articles/hmc-mixed-renderings.txt");
    let write = QAMUS.in_dir(dir.path()).run(&["check", "--write-baseline", "baseline.json", "articles"]);
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    assert!(text(&write.stderr).contains("recorded"));
    // Edit: two new paragraphs above everything.
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("سطر جديد في الأعلى\n\nفقرة أخرى\n{original}")).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--baseline", "baseline.json", "articles"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).contains("0 errors, 0 warnings"), "{}", text(&output.stdout));
    // A new forbidden rendering is still caught.
    std::fs::write(&file, format!("{original}\nوفي خبر آخر قوى الأمن الداخلي\n")).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--baseline", "baseline.json", "--format", "json", "articles"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let new: Vec<(&str, &str)> =
        report["findings"].as_array().unwrap().iter().map(|f| (f["rule"].as_str().unwrap(), f["surface"].as_str().unwrap())).collect();
    // The new form is forbidden, and now ISF is also rendered two ways.
    assert_eq!(new, vec![("forbidden-rendering", "قوى الأمن الداخلي"), ("mixed-renderings", "قوى الأمن الداخلي")]);
    // A malformed baseline is an error.
    std::fs::write(dir.path().join("bad.json"), "{\"version\": 1}").unwrap();
    let bad = QAMUS.in_dir(dir.path()).run(&["check", "--baseline", "bad.json", "articles"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("bad.json:1:"), "{}", text(&bad.stderr));
}

#[test]
fn a_baseline_matches_its_paths_however_they_are_typed_and_counts_what_it_no_longer_matches() {
    let findings_of = |output: &Output| -> Vec<String> {
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["path"].as_str().unwrap(), f["rule"].as_str().unwrap()))
            .collect()
    };
    for repository in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        if repository {
            std::fs::create_dir(dir.path().join(".git")).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("locales/ar")).unwrap();
        let forbidden = "اجتمعت مؤسسة حمد الطبية أمس.\nوأكدت قوى الأمن الداخلي ذلك.\n";
        std::fs::write(dir.path().join("locales/ar/news.txt"), forbidden).unwrap();
        let write = QAMUS.in_dir(dir.path()).run(&["check", "--write-baseline", "qamus-baseline.json", "./locales/ar/"]);
        assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
        let stored = std::fs::read_to_string(dir.path().join("qamus-baseline.json")).unwrap();
        assert!(stored.contains("\"path\": \"locales/ar/news.txt\""), "{stored}");
        // From the root, typed otherwise; from a subfolder; by the file's name.
        for (folder, baseline, path) in [
            ("", "qamus-baseline.json", "locales"),
            ("locales", "../qamus-baseline.json", "."),
            ("locales/ar", "../../qamus-baseline.json", "news.txt"),
        ] {
            let output = QAMUS.in_dir(&dir.path().join(folder)).run(&["check", "--format", "json", "--baseline", baseline, path]);
            assert_eq!(findings_of(&output), Vec::<String>::new(), "from {folder:?} with {path:?}: {}", text(&output.stderr));
            assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
            assert!(text(&output.stderr).contains("2 findings recorded in the baseline were not reported"), "{}", text(&output.stderr));
            assert!(!text(&output.stderr).contains("matched no finding"), "{}", text(&output.stderr));
        }
        // One finding fixed: its entry matches nothing, and the run says so.
        std::fs::write(dir.path().join("locales/ar/news.txt"), "اجتمعت اللجنة العسكرية العليا أمس.\nوأكدت قوى الأمن الداخلي ذلك.\n")
            .unwrap();
        let output = QAMUS.in_dir(dir.path()).run(&["check", "--format", "json", "--baseline", "qamus-baseline.json", "locales"]);
        assert_eq!(findings_of(&output), Vec::<String>::new(), "{}", text(&output.stderr));
        let stderr = text(&output.stderr);
        assert!(stderr.contains("1 finding recorded in the baseline was not reported"), "{stderr}");
        assert!(stderr.contains("1 entry of the baseline matched no finding in the files checked"), "{stderr}");
        // A new finding is still reported, at its path as typed.
        std::fs::write(dir.path().join("locales/ar/other.txt"), forbidden).unwrap();
        let output =
            QAMUS.in_dir(&dir.path().join("locales")).run(&["check", "--format", "json", "--baseline", "../qamus-baseline.json", "./ar"]);
        let found = findings_of(&output);
        assert!(!found.is_empty() && found.iter().all(|f| f.starts_with("./ar/other.txt ")), "{found:?}");
    }
}

#[test]
fn the_pre_commit_hook_passes_only_what_a_walk_would_check() {
    // The manifest: every extension qamus reads, and nothing else; one
    // process; the named files filtered.
    let manifest = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let field = |key: &str| {
        manifest
            .lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .unwrap_or_else(|| panic!("no {key} in the hook"))
            .trim()
            .trim_matches('\'')
            .to_string()
    };
    assert_eq!(field("entry:"), "qamus check --force-exclude");
    assert_eq!(field("require_serial:"), "true");
    let files = regex::Regex::new(&field("files:")).unwrap();
    for (_, name, extensions) in qamus::input::Format::ALL {
        for extension in *extensions {
            assert!(files.is_match(&format!("dir/file.{extension}")), "{name}: .{extension} is not passed to the hook");
            assert!(files.is_match(&format!("FILE.{}", extension.to_uppercase())), ".{extension} in capitals");
        }
    }
    for other in ["qamus.sarif", "qamus.jsonl", "Cargo.toml", "image.png", "json"] {
        assert!(!files.is_match(other), "{other} is passed to the hook");
    }

    // What pre-commit runs: every staged file by name.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qamus.toml"), "exclude = [\"drafts/**\"]\n").unwrap();
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    std::fs::create_dir_all(dir.path().join("locales")).unwrap();
    let forbidden = "اجتمعت مؤسسة حمد الطبية أمس.\n";
    std::fs::write(dir.path().join("news.txt"), forbidden).unwrap();
    std::fs::write(dir.path().join("drafts/draft.txt"), forbidden).unwrap();
    std::fs::write(dir.path().join("locales/en.json"), "{\"a\": \"Iraqi Security Forces\"}").unwrap();
    std::fs::write(dir.path().join("locales/ar.json"), "{\"a\": \"قوات الأمن العراقية\"}").unwrap();
    let write = QAMUS.in_dir(dir.path()).run(&["check", "--write-baseline", "qamus-baseline.json", "news.txt"]);
    assert_eq!(write.status.code(), Some(0), "{}", text(&write.stderr));
    assert!(text(&write.stderr).contains("recorded 1 finding in"), "{}", text(&write.stderr));
    let sarif = QAMUS.in_dir(dir.path()).run(&["check", "--format", "sarif", "-o", "qamus.sarif", "news.txt"]);
    assert_eq!(sarif.status.code(), Some(1), "{}", text(&sarif.stderr));
    let staged = ["news.txt", "drafts/draft.txt", "locales/en.json", "locales/ar.json", "qamus-baseline.json", "qamus.sarif"];
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--force-exclude", "--format", "json"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&staged);
        QAMUS.in_dir(dir.path()).run(&args)
    };
    let output = run(&[]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
    let paths: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["news.txt"], "{report:#}");
    assert_eq!(report["summary"]["files"], 2, "news.txt and locales/ar.json: {report:#}");
    assert_eq!(output.status.code(), Some(1));
    // With the baseline, the commit passes.
    let output = run(&["--baseline", "qamus-baseline.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    // Without --force-exclude every named file is read, as ripgrep does.
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(&staged);
    let output = QAMUS.in_dir(dir.path()).run(&args);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["path"] == "drafts/draft.txt"), "{report:#}");
    // An `include` chooses among the named files, and one naming none of
    // them is no error under the hook.
    std::fs::write(dir.path().join("qamus.toml"), "include = [\"locales/**\"]\n").unwrap();
    let output = run(&[]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    std::fs::write(dir.path().join("qamus.toml"), "include = [\"elsewhere/**\"]\n").unwrap();
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn the_configuration_in_effect_is_printed_and_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let config = "exclude = [\"drafts/**\"]\nfail-on = \"warning\"\n[severity]\nmixed-renderings = \"info\"\n[concept-severity]\nisis = \"off\"\nhmc = { mixed-renderings = \"note\" }\n[[ignore]]\npath = \"quotes/**\"\nconcepts = [\"hmc\"]\nrules = [\"deprecated-rendering\"]\n";
    std::fs::write(dir.path().join("qamus.toml"), config).unwrap();
    let shown = QAMUS.in_dir(dir.path()).run(&["config"]);
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown.stderr));
    let first = text(&shown.stdout);
    for line in [
        "exclude = [\"drafts/**\"]",
        "fail-on = \"warning\"",
        "# min-severity: \"info\" (default)",
        "mixed-renderings = \"info\"",
        "forbidden-rendering = \"error\"  # default",
        "isis = \"off\"",
        "hmc.mixed-renderings = \"note\"",
        "path = \"quotes/**\"",
        "rules = [\"deprecated-rendering\"]",
    ] {
        assert!(first.lines().any(|l| l == line), "{line:?} missing:\n{first}");
    }
    // What it prints is a configuration that reads back to the same.
    let sub = dir.path().join("again");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("qamus.toml"), &first).unwrap();
    let again = QAMUS.in_dir(&sub).run(&["config"]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    // The same values; the rules' levels are now the file's, not defaults.
    let body = |t: &str| t.lines().skip(1).map(|l| l.trim_end_matches("  # default").to_string()).collect::<Vec<_>>();
    assert_eq!(body(&text(&again.stdout)), body(&first));
    // Defaults only.
    let defaults = text(&QAMUS.in_dir(dir.path()).run(&["config", "--no-config"]).stdout);
    assert!(defaults.starts_with("# No qamus.toml here or above"), "{defaults}");
    assert!(defaults.contains("# fail-on: \"error\" (default)"), "{defaults}");
    // Every value is checked as a run checks it.
    for (bad, expected) in [
        ("fail-on = \"sometimes\"\n", "fail-on"),
        ("[concept-severity]\nnobody = \"off\"\n", "nobody"),
        ("[severity]\nno-such-rule = \"error\"\n", "no-such-rule"),
        ("exclude = [\"[\"]\n", "exclude: bad glob"),
        ("encoding = \"latin-99\"\n", "latin-99"),
    ] {
        std::fs::write(dir.path().join("qamus.toml"), bad).unwrap();
        let output = QAMUS.in_dir(dir.path()).run(&["config"]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("qamus.toml") && stderr.contains(expected), "{bad}: {stderr}");
    }
}

// ---------------------------------------------------------------- the rest

#[test]
fn output_is_the_same_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let name = dir.path().join(format!("f{i:02}.txt"));
        let body = if i % 3 == 0 {
            "مؤسسة حمد الطبية واللجنة العسكرية العليا"
        } else {
            "قوات الأمن العراقية"
        };
        std::fs::write(name, body).unwrap();
    }
    // What goes wrong is told alike too: a file that is not UTF-8, a binary
    // one passed over, a broken link found by the walk (told first), in a
    // folder walked among the files.
    std::fs::create_dir(dir.path().join("f20-more")).unwrap();
    std::fs::write(dir.path().join("f20-more/bad.txt"), b"\xC7\xE1 \xFF").unwrap();
    std::fs::write(dir.path().join("f20-more/image.txt"), b"GIF89a\0\0\0\0\x01\x02").unwrap();
    std::fs::write(dir.path().join("f20-more/good.txt"), "قوات الأمن العراقية").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("f30-broken.txt")).unwrap();
    let path = dir.path().to_str().unwrap();
    for format in ["text", "json", "jsonl", "sarif", "github"] {
        let one = QAMUS.in_root().run(&["check", "-j", "1", "--format", format, path]);
        assert!(!one.stdout.is_empty());
        assert!(
            text(&one.stderr).contains("bad.txt") && text(&one.stderr).contains("image.txt: binary file, skipped"),
            "{}",
            text(&one.stderr)
        );
        #[cfg(unix)]
        assert!(
            text(&one.stderr).lines().find(|l| l.starts_with("qamus: error:")).is_some_and(|l| l.contains("f30-broken.txt")),
            "{}",
            text(&one.stderr)
        );
        for jobs in ["2", "4"] {
            let other = QAMUS.in_root().run(&["check", "-j", jobs, "--format", format, path]);
            assert_eq!(one.stdout, other.stdout, "{format} -j {jobs}");
            assert_eq!(text(&one.stderr), text(&other.stderr), "{format} -j {jobs}");
            assert_eq!(one.status.code(), other.status.code(), "{format} -j {jobs}");
        }
    }
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target: PathBuf = dir.path().join("report.sarif");
    std::fs::write(&target, "old").unwrap();
    let output = QAMUS.in_root().run(&["check", "--format", "sarif", "-o", target.to_str().unwrap(), MIXED]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["version"], "2.1.0");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn completions_and_man_page() {
    let bash = QAMUS.in_root().run(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    assert!(text(&bash.stdout).contains("--fail-on"));
    let man = QAMUS.in_root().run(&["man"]);
    let main = text(&man.stdout);
    assert!(main.contains(".TH qamus 1"), "{}", &main[..200]);
    for section in [".SH \"EXIT STATUS\"", ".SH FILES", ".SH ENVIRONMENT", ".SH \"SEE ALSO\"", "NO_COLOR", "qamus.toml"] {
        assert!(main.contains(section), "the main page lacks {section}");
    }
    // Every page the main page names exists, under its own title.
    let named: std::collections::BTreeSet<String> =
        regex::Regex::new(r"qamus\\-([a-z]+)\(1\)").unwrap().captures_iter(&main).map(|c| c[1].to_string()).collect();
    assert!(named.len() >= 7 && named.contains("check") && !named.contains("help"), "{named:?}");
    for name in &named {
        let page = QAMUS.in_root().run(&["man", name]);
        assert_eq!(page.status.code(), Some(0), "{name}: {}", text(&page.stderr));
        let page = text(&page.stdout);
        assert!(page.contains(&format!(".TH qamus-{name} 1")), "{name}: {}", &page[..200.min(page.len())]);
        assert!(page.contains(".SH \"EXIT STATUS\"") && page.contains("qamus\\fR(1)"), "{name}");
    }
    // The check page has what a CI author looks for.
    let check = text(&QAMUS.in_root().run(&["man", "check"]).stdout);
    assert!(check.contains("\\-\\-fail\\-on") && check.contains(".SH ENVIRONMENT"), "{check}");
    let unknown = QAMUS.in_root().run(&["man", "nothing"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no page for \"qamus-nothing\""), "{}", text(&unknown.stderr));
    // --dir writes them all.
    let dir = tempfile::tempdir().unwrap();
    let written = QAMUS.in_root().run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    let mut files: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    files.sort();
    let mut expected: Vec<String> = named.iter().map(|n| format!("qamus-{n}.1")).chain(["qamus.1".to_string()]).collect();
    expected.sort();
    assert_eq!(files, expected);
    // Rendered by man(1) where it is installed: no warning.
    if Command::new("man").arg("--version").output().is_ok() {
        let rendered =
            Command::new("man").args(["--warnings", "-l"]).arg(dir.path().join("qamus-check.1")).env("MANWIDTH", "100").output().unwrap();
        assert!(rendered.status.success(), "{}", text(&rendered.stderr));
        assert!(text(&rendered.stdout).contains("EXIT STATUS"), "{}", text(&rendered.stdout));
    } else {
        eprintln!("SKIPPED: man(1) is absent, so the pages were not rendered");
    }
}

#[test]
fn progress_on_a_terminal_stderr_only_when_the_output_is_not_the_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `script` (util-linux) is absent, so the progress test did not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        std::fs::write(dir.path().join(format!("f{i}.txt")), "مؤسسة حمد الطبية").unwrap();
    }
    let bin = env!("CARGO_BIN_EXE_qamus");
    let run = |args: &str, ci: bool| {
        let mut command = Command::new("script");
        command.args(["-qec", &format!("{bin} check {} {args}", dir.path().display()), "/dev/null"]);
        if ci {
            command.env("CI", "true");
        } else {
            command.env_remove("CI");
        }
        text(&command.output().unwrap().stdout)
    };
    let out = dir.path().join("out.json");
    let to_file = run(&format!("-f json -o {}", out.display()), false);
    assert!(to_file.contains("qamus: 30/30 files"), "{to_file:?}");
    assert!(!run(&format!("-f json -o {}", out.display()), true).contains("files\r"), "never in CI");
    assert!(!run("", false).contains("/30 files"), "not when the findings go to the terminal");
}
