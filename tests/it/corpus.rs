//! Corpora (`--input-format jsonl|csv`): each record a document named
//! `FILE#LINE`, positions in its text; bad records are errors naming
//! `FILE:LINE` and the run goes on; SARIF and GitHub annotations point at
//! the file and the record's line; ignores and baselines apply to the file;
//! the output is the same with one job or two; and a large corpus is
//! streamed in bounded memory (`#[ignore]`d here, run by `.ci/run` in
//! release mode).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;

use crate::util::{self, stderr, stdout, Qamus};

fn fixture(path: &str) -> PathBuf {
    Path::new(util::ROOT).join("fixtures/corpus").join(path)
}

/// Paths as given, no job summary, and `CI=1`. Each test runs it in a
/// folder of its own (no configuration unless the test writes one there and
/// leaves out `--no-config`).
const QAMUS: Qamus = Qamus::new().outside_workspace().without_step_summary().in_ci();

/// A scratch folder holding the fixtures under `news/`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("news")).unwrap();
    for name in ["archive.jsonl", "archive.csv"] {
        std::fs::copy(fixture(name), dir.path().join("news").join(name)).unwrap();
    }
    dir
}

/// (path, record, line, column, rule) of each finding of a JSON report.
fn findings(report: &Value) -> Vec<(String, Option<u64>, u64, u64, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["record"].as_u64(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn finding(path: &str, record: u64, line: u64, column: u64, rule: &str) -> (String, Option<u64>, u64, u64, String) {
    (path.to_string(), Some(record), line, column, rule.to_string())
}

#[test]
fn jsonl_records_are_documents_named_file_hash_line_at_their_place_in_their_text() {
    let dir = scratch();
    let args = ["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "news/archive.jsonl"];
    let output = QAMUS.in_dir(dir.path()).run(&[&args[..], &["-f", "json"]].concat());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    // Line 2 of the file is blank: the record after it is on line 3, and
    // the next on line 4.
    assert_eq!(
        findings(&report),
        vec![
            finding("news/archive.jsonl#1", 1, 2, 26, "forbidden-rendering"),
            finding("news/archive.jsonl#4", 4, 1, 20, "deprecated-rendering"),
            finding("news/archive.jsonl#4", 4, 2, 25, "deprecated-rendering"),
        ]
    );
    let surfaces: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["surface"].as_str().unwrap()).collect();
    assert_eq!(surfaces, ["قوى الأمن الداخلي", "اللجنة العسكرية المشتركة", "باتفاق الإطار الاستراتيجي"]);
    // Every record is a document, the empty one too (no words, no error).
    assert_eq!(report["summary"]["files"], 4);
    assert_eq!(report["summary"]["records"], 4);
    assert!(report["errors"].as_array().unwrap().is_empty());
    // Matches carry their record too.
    assert!(report["matches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["path"].as_str().unwrap().starts_with("news/archive.jsonl#") && m["record"].as_u64().is_some()));
    // The text output names them the same way.
    let text = stdout(&QAMUS.in_dir(dir.path()).run(&args));
    assert!(text.starts_with("news/archive.jsonl#1:2:26: error[forbidden-rendering]"), "{text}");
    assert!(text.contains("\nnews/archive.jsonl#4:1:20: warning[deprecated-rendering]"), "{text}");
    assert!(text.ends_with("4 records, 7 matches: 1 error, 2 warnings\n"), "{text}");
    // A .jsonl file without --input-format is no corpus: its JSON is
    // read as plain text, one document.
    let plain = stdout(&QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "news/archive.jsonl"]));
    assert!(plain.contains("news/archive.jsonl:1:") && !plain.contains('#'), "{plain}");
}

#[test]
fn a_json_pointer_names_a_nested_field() {
    let dir = tempfile::tempdir().unwrap();
    let record = |body: &str| serde_json::json!({ "id": 1, "article": { "title": "عنوان", "body": body } }).to_string();
    let corpus = format!("{}\n{}\n", record("خبر عن حوار التعاون الأمني المشترك."), record("وانتشرت قوى الأمن الداخلي في المدينة."));
    std::fs::write(dir.path().join("nested.ndjson"), corpus).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&[
        "check",
        "--no-config",
        "--input-format",
        "jsonl",
        "--text-field",
        "/article/body",
        "-f",
        "json",
        "nested.ndjson",
    ]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(findings(&report), vec![finding("nested.ndjson#2", 2, 1, 9, "forbidden-rendering")]);
    // A top-level key of that name there is none.
    let output =
        QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "nested.ndjson"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("nested.ndjson:1: no field \"body\""), "{}", stderr(&output));
}

#[test]
fn csv_records_start_on_their_line_counting_the_line_breaks_of_quoted_cells() {
    let dir = scratch();
    let args = ["check", "--no-config", "--input-format", "csv", "--text-column", "body", "-f", "json", "news/archive.csv"];
    let output = QAMUS.in_dir(dir.path()).run(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    // The first row's cell runs over lines 2 and 3: the second row starts
    // on line 4.
    assert_eq!(
        findings(&report),
        vec![
            finding("news/archive.csv#2", 2, 2, 5, "forbidden-rendering"),
            finding("news/archive.csv#4", 4, 1, 50, "deprecated-rendering"),
        ]
    );
    assert_eq!(report["summary"]["records"], 3);
    // Separated by semicolons, with CRLF line ends: the same records.
    let text = std::fs::read_to_string(fixture("archive.csv")).unwrap();
    let mut semicolons = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                semicolons.push(c);
            }
            ',' if !quoted => semicolons.push(';'),
            '\n' => semicolons.push_str("\r\n"),
            c => semicolons.push(c),
        }
    }
    std::fs::write(dir.path().join("news/semicolons.csv"), semicolons).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&[
        "check",
        "--no-config",
        "--input-format",
        "csv",
        "--text-column",
        "body",
        "-f",
        "json",
        "news/semicolons.csv",
    ]);
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let places: Vec<_> = findings(&report).into_iter().map(|(path, _, line, column, _)| (path, line, column)).collect();
    assert_eq!(places, [("news/semicolons.csv#2".to_string(), 2, 5), ("news/semicolons.csv#4".to_string(), 1, 50)]);
}

#[test]
fn bad_records_are_errors_naming_file_and_line_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = |text: &str| serde_json::json!({ "body": text }).to_string();
    let lines = [
        good("تحدث البيان عن اللجنة العسكرية العليا."),
        serde_json::json!({ "title": "بلا نص" }).to_string(),
        serde_json::json!({ "body": 17 }).to_string(),
        "{\"body\": \"نص لم يغلق".to_string(),
        "[\"body\"]".to_string(),
        serde_json::json!({ "body": null }).to_string(),
        good("وأعلنت قوى الأمن الداخلي حالة التأهب."),
    ];
    std::fs::write(dir.path().join("bad.jsonl"), lines.join("\n")).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "bad.jsonl"]);
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("qamus: error: ")).collect();
    assert_eq!(
        errors,
        [
            "qamus: error: bad.jsonl:2: no field \"body\" (name the field holding the text with --text-field)",
            "qamus: error: bad.jsonl:3: field \"body\" is a number, not a string",
            "qamus: error: bad.jsonl:4:21: malformed JSON: EOF while parsing a string",
            "qamus: error: bad.jsonl:5: a record must be a JSON object, and this is an array",
            "qamus: error: bad.jsonl:6: field \"body\" is null, not a string",
        ],
        "{err}"
    );
    // The records around them were checked.
    assert!(out.starts_with("bad.jsonl#7:1:8: error[forbidden-rendering]"), "{out}");
    assert!(out.contains("2 records, 2 matches: 1 error, 0 warnings; 5 unreadable"), "{out}");

    // Row 4 runs over two lines; row 6 holds a byte that is not UTF-8 (0xFF).
    let mut csv =
        "id,body,date\n1,\"اللجنة العسكرية المشتركة\",2024\n2,قصير\n3,\"خلية\nمن سطرين\",2024,زائد\n4,\"بايت ".as_bytes().to_vec();
    csv.extend_from_slice(b"\xFF\",2024\n");
    csv.extend_from_slice("5,\"قوى الأمن الداخلي\",2024\n".as_bytes());
    std::fs::write(dir.path().join("bad.csv"), csv).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "csv", "--text-column", "body", "bad.csv"]);
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("qamus: error: ")).collect();
    assert_eq!(
        errors,
        [
            "qamus: error: bad.csv:3: the row has 2 cells, the header 3 columns",
            "qamus: error: bad.csv:4: the row has 4 cells, the header 3 columns",
            "qamus: error: bad.csv:6: invalid UTF-8 at byte 9 of the cell (name the file's encoding with --encoding, e.g. --encoding windows-1256)",
        ],
        "{err}"
    );
    assert!(out.contains("bad.csv#2:1:1: warning[deprecated-rendering]"), "{out}");
    assert!(out.contains("bad.csv#7:1:1: error[forbidden-rendering]"), "{out}");

    // A quoted cell never closed: the rest of the file is that cell, said so.
    std::fs::write(dir.path().join("open.csv"), "body\nاللجنة العسكرية العليا\n\"مفتوح\nقوى الأمن الداخلي\n").unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "csv", "--text-column", "body", "open.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "qamus: error: open.csv:3: a quoted cell is never closed: the rest of the file was read as this cell, and not checked"
        ),
        "{}",
        stderr(&output)
    );
    // A header without the column.
    let output = QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "csv", "bad.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("bad.csv:1: no column \"text\" in the header (its columns: \"id\", \"body\", \"date\")"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn text_field_and_text_column_without_their_format_are_usage_errors() {
    let dir = scratch();
    for (args, says) in [
        (&["--text-field", "body"][..], "--text-field names the text of a JSON Lines corpus's records: give --input-format jsonl"),
        (&["--input-format", "csv", "--text-field", "body"][..], "--text-field names the text of a JSON Lines corpus's records"),
        (
            &["--input-format", "jsonl", "--text-column", "body"][..],
            "--text-column names the text of a CSV corpus's records: give --input-format csv",
        ),
        (&["--input-format", "jsonl", "--text-field", ""][..], "--text-field: the name is empty"),
    ] {
        let output = QAMUS.in_dir(dir.path()).run(&[&["check", "--no-config"][..], args, &["news/archive.jsonl"]].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(says), "{args:?}: {}", stderr(&output));
    }
    // From qamus.toml: the format and the field.
    std::fs::write(dir.path().join("qamus.toml"), "input-format = \"jsonl\"\ntext-field = \"body\"\n").unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&["check", "news/archive.jsonl"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("news/archive.jsonl#1:2:26:"), "{}", stdout(&output));
    let config = stdout(&QAMUS.in_dir(dir.path()).run(&["config"]));
    assert!(config.contains("input-format = \"jsonl\"\ntext-field = \"body\"\n# text-column: \"text\""), "{config}");
}

#[test]
fn a_walk_reads_the_corpus_extensions_and_standard_input_is_a_corpus_too() {
    let dir = scratch();
    std::fs::write(dir.path().join("news/README.md"), "قوى الأمن الداخلي\n").unwrap();
    std::fs::copy(fixture("archive.jsonl"), dir.path().join("news/more.ndjson")).unwrap();
    let output =
        QAMUS.in_dir(dir.path()).run(&["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "--count", "news"]);
    assert_eq!(stderr(&output), "");
    assert_eq!(
        stdout(&output),
        "news/archive.jsonl#1:3:1\nnews/archive.jsonl#3:2:0\nnews/archive.jsonl#4:2:2\n\
         news/more.ndjson#1:3:1\nnews/more.ndjson#3:2:0\nnews/more.ndjson#4:2:2\ntotal:14:6\n"
    );
    // Standard input, named by --stdin-filename.
    let mut child = util::qamus()
        .args(["check", "--no-config", "--input-format", "csv", "--text-column", "body", "--stdin-filename", "feeds/today.csv", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &std::fs::read(fixture("archive.csv")).unwrap()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(stdout(&output).starts_with("feeds/today.csv#2:2:5: error[forbidden-rendering]"), "{}", stdout(&output));
}

#[test]
fn sarif_and_github_point_at_the_file_and_the_line_the_record_starts_on() {
    let dir = scratch();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let run = |format: &str, summary: Option<&Path>| {
        let mut command = util::qamus();
        command
            .args(["check", "--no-config", "--input-format", "csv", "--text-column", "body", "-f", format, "news/archive.csv"])
            .current_dir(dir.path())
            .env("GITHUB_WORKSPACE", &root)
            .env_remove("GITHUB_STEP_SUMMARY");
        if let Some(summary) = summary {
            command.env("GITHUB_STEP_SUMMARY", summary);
        }
        command.output().unwrap()
    };
    let sarif: Value = serde_json::from_str(&stdout(&run("sarif", None))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "news/archive.csv");
    // The record's line, and no column: its text's columns are not the file's.
    assert_eq!(location["region"], serde_json::json!({ "startLine": 2 }));
    let message = results[0]["message"]["text"].as_str().unwrap();
    assert!(message.starts_with("news/archive.csv#2:2:5: "), "{message}");
    assert_eq!(results[0]["properties"]["record"], serde_json::json!({ "line": 2, "textLine": 2, "textColumn": 5 }));
    assert!(results[0].get("fixes").is_none(), "a fix would be placed in the text, not the file");
    assert_eq!(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 4);

    let summary = dir.path().join("summary.md");
    let github = stdout(&run("github", Some(&summary)));
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 2, "{github}");
    assert!(
        lines[0].starts_with("::error file=news/archive.csv,line=2,title=qamus forbidden-rendering (ISF)::news/archive.csv#2:2:5: "),
        "{github}"
    );
    assert!(
        lines[1].starts_with("::warning file=news/archive.csv,line=4,title=qamus deprecated-rendering (FMF)::news/archive.csv#4:1:50: "),
        "{github}"
    );
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.contains("3 records, 5 matches") && table.contains("| `news/archive.csv#2:2:5` | forbidden-rendering |"), "{table}");
}

#[test]
fn an_ignore_on_the_corpus_file_and_a_baseline_apply_to_its_records() {
    let dir = scratch();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let args = ["check", "--input-format", "jsonl", "--text-field", "body", "--count", "news/archive.jsonl"];
    std::fs::write(dir.path().join("qamus.toml"), "[[ignore]]\npath = \"news/*.jsonl\"\nrules = [\"forbidden-rendering\"]\n").unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "news/archive.jsonl#1:3:0\nnews/archive.jsonl#3:2:0\nnews/archive.jsonl#4:2:2\ntotal:7:2\n");
    // A glob naming another file leaves them.
    std::fs::write(dir.path().join("qamus.toml"), "[[ignore]]\npath = \"news/*.csv\"\n").unwrap();
    assert_eq!(stdout(&QAMUS.in_dir(dir.path()).run(&args)).lines().last(), Some("total:7:3"));
    std::fs::remove_file(dir.path().join("qamus.toml")).unwrap();

    // A baseline records the findings under the file, not the record's line.
    let output = QAMUS.in_dir(dir.path()).run(&[
        "check",
        "--no-config",
        "--input-format",
        "jsonl",
        "--text-field",
        "body",
        "--write-baseline",
        "base.json",
        "news/archive.jsonl",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let baseline: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("base.json")).unwrap()).unwrap();
    let paths: Vec<&str> = baseline["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["news/archive.jsonl"; 3]);
    let with_baseline =
        ["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "--baseline", "base.json", "news/archive.jsonl"];
    let output = QAMUS.in_dir(dir.path()).run(&with_baseline);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    // A record added at the top moves every record a line down: still
    // recorded; only the new record's finding is new.
    let old = std::fs::read_to_string(dir.path().join("news/archive.jsonl")).unwrap();
    let added = serde_json::json!({ "body": "وحذر التقرير من أن مؤسسة حمد الطبية ليست طرفا في الاتفاق." }).to_string();
    std::fs::write(dir.path().join("news/archive.jsonl"), format!("{added}\n{old}")).unwrap();
    let output = QAMUS.in_dir(dir.path()).run(&with_baseline);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let found: Vec<&str> = out.lines().filter(|l| l.starts_with("news/")).map(|l| l.split(" «").next().unwrap()).collect();
    assert_eq!(found, ["news/archive.jsonl#1:1:20: error[forbidden-rendering]"], "{out}");
    assert!(stderr(&output).contains("3 findings recorded in the baseline were not reported"), "{}", stderr(&output));
}

/// A corpus of `records` records: the fixture's records in turn, a bad
/// line now and then.
fn generated_jsonl(records: usize) -> String {
    let fixture = std::fs::read_to_string(fixture("archive.jsonl")).unwrap();
    let lines: Vec<&str> = fixture.lines().collect();
    let mut corpus = String::new();
    for i in 0..records {
        match i % 97 {
            13 => corpus.push_str("{\"body\": 1}\n"),
            _ => {
                corpus.push_str(lines[i % lines.len()]);
                corpus.push('\n');
            }
        }
    }
    corpus
}

#[test]
fn the_output_is_the_same_with_one_job_and_two() {
    let dir = scratch();
    std::fs::write(dir.path().join("news/generated.jsonl"), generated_jsonl(3000)).unwrap();
    for format in ["text", "json", "jsonl", "sarif"] {
        let run = |jobs: &str| {
            QAMUS.in_dir(dir.path()).run(&[
                "check",
                "--no-config",
                "--input-format",
                "jsonl",
                "--text-field",
                "body",
                "-j",
                jobs,
                "-f",
                format,
                "news/generated.jsonl",
                "news/archive.jsonl",
            ])
        };
        let (one, two) = (run("1"), run("2"));
        assert_eq!(one.status.code(), Some(2));
        assert_eq!(stdout(&one), stdout(&two), "{format}");
        assert_eq!(stderr(&one), stderr(&two), "{format}");
        assert_eq!(stderr(&one).lines().count(), 3000 / 97 + 1, "{format}");
    }
}

/// The largest resident set of a child, in kilobytes, from `wait4`.
#[cfg(target_os = "linux")]
fn peak_rss_kb(child: std::process::Child) -> (i32, i64) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet reaped; the pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid);
    std::mem::forget(child);
    (libc::WEXITSTATUS(status), usage.ru_maxrss)
}

#[test]
#[cfg(target_os = "linux")]
#[ignore = "heavy: writes and checks a 240 MB corpus; .ci/run runs it in release mode"]
fn a_large_corpus_is_streamed_in_bounded_memory() {
    // 200,000 records of about 1.2 KB: 240 MB, read as a stream. Were the
    // records all held (or read far ahead of the checking), their text
    // alone would take more than the bound; streamed, the records read and
    // not yet checked hold 16 MiB at most (about 35 MB of peak RSS in all).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.jsonl");
    {
        use std::io::Write;
        let fixture = std::fs::read_to_string(fixture("archive.jsonl")).unwrap();
        let bodies: Vec<String> = fixture
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap()["body"].as_str().unwrap().to_string())
            .collect();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for i in 0..200_000 {
            let body = format!("{}\n{}\n{}", bodies[i % 4], bodies[(i + 1) % 4], bodies[(i + 2) % 4]).repeat(2);
            writeln!(out, "{}", serde_json::json!({ "id": i, "body": body })).unwrap();
        }
        out.flush().unwrap();
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 220 << 20, "{size} bytes");
    for jobs in ["1", "2"] {
        let child = util::qamus()
            .args(["check", "--no-config", "--input-format", "jsonl", "--text-field", "body", "-j", jobs, "--count"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (code, peak_kb) = peak_rss_kb(child);
        assert_eq!(code, 1, "findings, no error");
        let peak = peak_kb as u64 * 1024;
        eprintln!("-j{jobs}: {size} bytes of corpus, peak RSS {} MB", peak >> 20);
        assert!(peak < 160 << 20, "-j{jobs}: peak RSS {} MB on a corpus of {} MB", peak >> 20, size >> 20);
    }
}
