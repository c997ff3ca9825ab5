//! Bad input, case by case: every case runs the binary and asserts the exit
//! code and that stderr names the file and the problem in one line. No case
//! may exit with 101 (a Rust panic) or be killed. The heavy cases (a 200 MB
//! file, a 10-million-character line, 100,000 files) are `#[ignore]`d here
//! and run by `.ci/run` in release mode.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::{self, Qamus};

struct Case {
    name: &'static str,
    /// Arguments; `{dir}` is replaced by the case's scratch directory.
    args: Vec<String>,
    code: i32,
    /// Every string must appear in one line of stderr.
    stderr: Vec<String>,
}

/// Paths as given (`GITHUB_WORKSPACE` removed).
const QAMUS: Qamus = Qamus::new().outside_workspace();

fn run(dir: &Path, args: &[String]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.replace("{dir}", dir.to_str().unwrap())).collect();
    QAMUS.in_dir(dir).command().args(&args).output().expect("run qamus")
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

fn check_case(dir: &Path, case: &Case) {
    let output = run(dir, &case.args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    assert_ne!(code, Some(101), "{}: panicked: {stderr}", case.name);
    assert!(code.is_some(), "{}: killed by a signal", case.name);
    assert_eq!(code, Some(case.code), "{}: {stderr}", case.name);
    for expected in &case.stderr {
        let expected = expected.replace("{dir}", dir.to_str().unwrap());
        assert!(stderr.lines().any(|l| l.contains(&expected)), "{}: stderr lacks {expected:?}: {stderr}", case.name);
    }
    if case.code == 2 {
        let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).collect();
        assert_eq!(errors.len(), 1, "{}: one line: {stderr}", case.name);
    }
}

fn case(name: &'static str, args: &[&str], code: i32, stderr: &[&str]) -> Case {
    Case { name, args: args.iter().map(|s| s.to_string()).collect(), code, stderr: stderr.iter().map(|s| s.to_string()).collect() }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

#[test]
fn paths_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    std::fs::write(d.join("blank.txt"), " \n\t\r\n   ").unwrap();
    std::fs::write(d.join("marks.txt"), "\u{064E}\u{0651}\u{0640}\u{200F}").unwrap();
    std::fs::write(d.join("nul.txt"), "قوى الأمن\0 الداخلي").unwrap();
    std::fs::write(d.join("latin1.txt"), b"caf\xe9 \xff").unwrap();
    std::fs::create_dir_all(d.join("tree/inner")).unwrap();
    std::fs::write(d.join("tree/ok.txt"), "نص").unwrap();
    std::fs::write(d.join("tree/data.txt"), b"\x00\x01\x02binary").unwrap();
    std::os::unix::fs::symlink(d.join("nowhere.txt"), d.join("tree/broken.txt")).unwrap();
    std::fs::create_dir_all(d.join("loop/a")).unwrap();
    std::os::unix::fs::symlink(d.join("loop"), d.join("loop/a/back")).unwrap();
    // A socket cannot be read as a file, whoever runs the test.
    let _socket = std::os::unix::net::UnixListener::bind(d.join("socket.txt")).unwrap();

    let cases = vec![
        case("missing path", &["check", "no/such/file.txt"], 2, &["no/such/file.txt: no such file or directory"]),
        case("empty file", &["check", "empty.txt"], 0, &[]),
        case("only whitespace", &["check", "blank.txt"], 0, &[]),
        case("only marks", &["check", "marks.txt"], 0, &[]),
        case("NUL byte named explicitly", &["check", "nul.txt"], 2, &["nul.txt:1: binary file (NUL byte at byte 17)"]),
        case("binary file named explicitly", &["check", "tree/data.txt"], 2, &["tree/data.txt:1: binary file (NUL byte at byte 0)"]),
        case("invalid UTF-8", &["check", "latin1.txt"], 2, &["latin1.txt:1: invalid UTF-8 at byte 3"]),
        case("wrong encoding name", &["check", "--encoding", "latin-99", "empty.txt"], 2, &["unknown encoding \"latin-99\""]),
        case("unreadable file", &["check", "socket.txt"], 2, &["socket.txt: "]),
        case("broken symlink in a tree", &["check", "tree"], 2, &["broken.txt", "broken symbolic link"]),
        case("symlink loop in a tree", &["check", "loop"], 2, &["symbolic link loop"]),
    ];
    for case in &cases {
        check_case(d, case);
    }
    // A binary file found by a walk alone is a notice, not an error.
    std::fs::remove_file(d.join("tree/broken.txt")).unwrap();
    let output = run(d, &["check".into(), "tree".into()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tree/data.txt: binary file, skipped"));

    if is_root() {
        eprintln!("SKIPPED: the directory-without-permission case, because root reads every directory");
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(d.join("closed")).unwrap();
        std::fs::write(d.join("closed/a.txt"), "نص").unwrap();
        std::fs::set_permissions(d.join("closed"), std::fs::Permissions::from_mode(0o000)).unwrap();
        check_case(d, &case("directory without permission", &["check", "closed"], 2, &["closed", "ermission denied"]));
        std::fs::set_permissions(d.join("closed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn encodings_and_line_endings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "سطر\r\nثم قوى الأمن الداخلي";
    let mut utf16 = vec![0xFF, 0xFE];
    text.encode_utf16().for_each(|u| utf16.extend_from_slice(&u.to_le_bytes()));
    std::fs::write(d.join("utf16.txt"), utf16).unwrap();
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    std::fs::write(d.join("cp1256.txt"), &*cp1256).unwrap();
    std::fs::write(d.join("cr.txt"), "سطر\rثم قوى الأمن الداخلي").unwrap();
    for (name, extra) in [("utf16.txt", None), ("cp1256.txt", Some("windows-1256")), ("cr.txt", None)] {
        let mut args = vec!["check".to_string(), "--format".into(), "json".into()];
        if let Some(e) = extra {
            args.extend(["--encoding".into(), e.into()]);
        }
        args.push(name.into());
        let output = run(d, &args);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let f = &report["findings"][0];
        assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(2), Some(4)), "{name}");
    }
}

#[test]
fn glossaries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("bom.csv"), "\u{FEFF}id,en,ar\nhmc,Higher Military Commission,اللجنة العسكرية العليا\n").unwrap();
    let bad = |f: &str| fixture(&format!("fixtures/glossaries/bad/{f}"));
    let article = fixture("fixtures/articles/hmc-mixed-renderings.txt");
    let cases = vec![
        Case {
            name: "bad quoting",
            args: vec!["check".into(), "-g".into(), bad("bad-quoting.csv"), article.clone()],
            code: 2,
            stderr: vec!["bad-quoting.csv:2: this row has 4 cells".into()],
        },
        Case {
            name: "ragged row",
            args: vec!["check".into(), "-g".into(), bad("ragged-row.csv"), article.clone()],
            code: 2,
            stderr: vec!["ragged-row.csv:2:".into()],
        },
        Case {
            name: "unknown column",
            args: vec!["check".into(), "-g".into(), bad("unknown-column.csv"), article.clone()],
            code: 2,
            stderr: vec!["unknown-column.csv:1: unknown column \"colour\"".into()],
        },
        Case {
            name: "duplicate id",
            args: vec!["check".into(), "-g".into(), bad("duplicate-id.csv"), article.clone()],
            code: 2,
            stderr: vec!["duplicate-id.csv:3: duplicate id".into()],
        },
        Case {
            name: "ambiguous form",
            args: vec!["check".into(), "-g".into(), bad("ambiguous-form.csv"), article.clone()],
            code: 2,
            stderr: vec!["ambiguous-form.csv:3: form".into()],
        },
        Case {
            name: "folds to nothing",
            args: vec!["check".into(), "-g".into(), bad("folds-to-nothing.csv"), article.clone()],
            code: 2,
            stderr: vec!["folds-to-nothing.csv:2:".into(), "folds to nothing".into()],
        },
        Case {
            name: "forms that are never terms",
            args: vec!["check".into(), "-g".into(), bad("never-a-term.csv"), article.clone()],
            code: 2,
            stderr: vec![
                // «للقوات», «بنك» and «كل» are words: 5 problems, not 8.
                "never-a-term.csv: 5 problems in the glossary".into(),
                "never-a-term.csv:2: form «و» of conj is one letter".into(),
                "never-a-term.csv:3: form «وال» of art is proclitics alone".into(),
                "never-a-term.csv:4: form «بال» of prep is proclitics alone".into(),
                "never-a-term.csv:5: form «ب» of letter is one letter".into(),
                "never-a-term.csv:6: form «X» of eks is one letter, which would match every lone letter".into(),
            ],
        },
        Case {
            name: "empty glossary",
            args: vec!["check".into(), "-g".into(), bad("empty.csv"), article.clone()],
            code: 2,
            stderr: vec!["empty.csv: the glossary has no concepts".into()],
        },
        Case {
            name: "BOM in the header",
            args: vec!["check".into(), "-g".into(), "bom.csv".into(), article.clone()],
            code: 0,
            stderr: vec![],
        },
    ];
    for case in &cases {
        check_case(d, case);
    }
}

#[test]
fn xml_po_and_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let files = [
        ("malformed.xlf", "<xliff><file><unit></file></xliff>"),
        ("truncated.tmx", "<tmx><body><tu>"),
        (
            "laughs.xlf",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>\n<xliff><file><unit><segment><target>&lol9;</target></segment></unit></file></xliff>",
        ),
        ("external.xlf", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<xliff><file><unit><segment><target>&e;</target></segment></unit></file></xliff>"),
        ("root.tmx", "<html><body/></html>"),
        ("deep.xlf", &format!("<xliff>{}{}</xliff>", "<g>".repeat(300), "</g>".repeat(300))),
        ("unterminated.po", "msgid \"a\"\nmsgstr \"b\n"),
        ("escape.po", "msgid \"a\\z\"\nmsgstr \"\"\n"),
        ("orphan.po", "\nmsgstr \"b\"\n"),
        (
            "twice.tmx",
            "<tmx version=\"1.4\"><body><tu>\n<tuv xml:lang=\"en\"><seg>Iraqi Security Forces</seg></tuv>\n<tuv xml:lang=\"en\" xml:lang=\"ar\"><seg>قوى الأمن الداخلي</seg></tuv></tu></body></tmx>",
        ),
        ("twice.xlf", "<xliff version=\"2.0\" trgLang=\"ar\" trgLang=\"fr\"><file id=\"f\"><unit id=\"u\"><segment><target>نص</target></segment></unit></file></xliff>"),
        ("twice.tbx", "<tbx><text><body>\n  <conceptEntry id=\"a\" id=\"b\"></conceptEntry></body></text></tbx>"),
    ];
    for (name, body) in files {
        std::fs::write(d.join(name), body).unwrap();
    }
    let cases = vec![
        case("malformed XML", &["check", "malformed.xlf"], 2, &["malformed.xlf:1:", "malformed XML"]),
        case("truncated XML", &["check", "truncated.tmx"], 2, &["truncated.tmx:1:", "truncated XML"]),
        case("billion laughs", &["check", "laughs.xlf"], 2, &["laughs.xlf:3:", "undefined entity &lol9;"]),
        case("external entity", &["check", "external.xlf"], 2, &["external.xlf:2:", "undefined entity &e;"]),
        case("unknown root", &["check", "root.tmx"], 2, &["root.tmx:1:1: unknown root element <html>"]),
        case("XML too deep", &["check", "deep.xlf"], 2, &["deep.xlf:1:", "nested deeper than 256"]),
        case("PO unterminated string", &["check", "unterminated.po"], 2, &["unterminated.po:2:8: unterminated string"]),
        case("PO bad escape", &["check", "escape.po"], 2, &["escape.po:1:9: unknown escape \\z"]),
        case("PO msgstr without msgid", &["check", "orphan.po"], 2, &["orphan.po:2:1: msgstr without a msgid"]),
        case(
            "TMX attribute twice",
            &["check", "twice.tmx"],
            2,
            &["twice.tmx:3:20: malformed XML: attribute xml:lang given twice in <tuv>"],
        ),
        case(
            "XLIFF attribute twice",
            &["check", "twice.xlf"],
            2,
            &["twice.xlf:1:35: malformed XML: attribute trgLang given twice in <xliff>"],
        ),
        case(
            "TBX attribute twice",
            &["check", "--glossary", "twice.tbx", "twice.xlf"],
            2,
            &["twice.tbx:2:24: malformed TBX: attribute id given twice in <conceptEntry>"],
        ),
    ];
    for case in &cases {
        check_case(d, case);
    }
    for (config, expected) in [
        ("colour = 1\n", "qamus.toml:1:1: invalid configuration: unknown field `colour`"),
        ("jobs = \"many\"\n", "qamus.toml:1:8: invalid configuration"),
        ("include = [\"nothing/*.txt\"]\n", "qamus.toml: include: the globs [\"nothing/*.txt\"] match no file"),
    ] {
        let sub = d.join("configured");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("qamus.toml"), config).unwrap();
        let output = util::qamus().arg("check").current_dir(&sub).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{config}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{config}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn inputs_are_never_modified_and_failures_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let copy = d.join("article.txt");
    std::fs::copy(fixture("fixtures/articles/hmc-mixed-renderings.txt"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let modified = std::fs::metadata(&copy).unwrap().modified().unwrap();
    let output = run(d, &["check".into(), "--format".into(), "json".into(), "article.txt".into(), "missing.txt".into()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), before);
    assert_eq!(std::fs::metadata(&copy).unwrap().modified().unwrap(), modified);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["unreadable"], 1);
    assert_eq!(report["errors"][0]["path"], "missing.txt");
    assert_eq!(report["summary"]["files"], 1, "the rest of the run went on");
}

/// Runs qamus in `dir`, killed (and the test failed) if it has not finished
/// in a minute: a FIFO must never block it.
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = util::qamus()
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run qamus");
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("qamus {args:?} still running after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn special_files_as_configuration_glossary_baseline_or_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.txt"), "وأكدت قوى الأمن الداخلي ذلك.\n").unwrap();
    let made = Command::new("mkfifo").arg(d.join("pipe")).status().expect("mkfifo");
    assert!(made.success());
    // What qamus needs whole before it starts: only a regular file, said
    // without opening it (a FIFO with no writer blocked for ever; /dev/zero
    // was read until memory ran out).
    let cases = [
        (vec!["check", "--config", "pipe", "a.txt"], "pipe: a configuration must be a regular file, and this is a FIFO (named pipe)"),
        (vec!["check", "--glossary", "pipe", "a.txt"], "pipe: a glossary must be a regular file, and this is a FIFO (named pipe)"),
        (vec!["check", "--baseline", "pipe", "a.txt"], "pipe: a baseline must be a regular file, and this is a FIFO (named pipe)"),
        (
            vec!["check", "--config", "/dev/zero", "a.txt"],
            "/dev/zero: a configuration must be a regular file, and this is a character device",
        ),
        (vec!["check", "--glossary", "/dev/zero", "a.txt"], "/dev/zero: a glossary must be a regular file, and this is a character device"),
        (
            vec!["report", "--baseline", "/dev/zero", "a.txt"],
            "/dev/zero: a baseline must be a regular file, and this is a character device",
        ),
        (vec!["check", "--glossary", ".", "a.txt"], ".: a glossary must be a regular file, and this is a directory"),
    ];
    for (args, expected) in cases {
        let output = run_bounded(d, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // A FIFO named as an input is read as standard input is (`<(cmd)`).
    let writer = {
        let path = d.join("pipe");
        std::thread::spawn(move || std::fs::write(path, "وأكدت قوى الأمن الداخلي ذلك.\n").unwrap())
    };
    let output = run_bounded(d, &["check", "--no-config", "--format", "json", "pipe"]);
    writer.join().unwrap();
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(report["findings"][0]["rule"], "forbidden-rendering", "{report:#}");
    assert_eq!(report["findings"][0]["path"], "pipe", "{report:#}");
    // An oversized configuration is refused before it is read.
    let big = std::fs::File::create(d.join("big.toml")).unwrap();
    big.set_len(17 << 20).unwrap();
    let output = run_bounded(d, &["check", "--config", "big.toml", "a.txt"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("big.toml: a configuration too large: 17825792 bytes, over 16 MiB"), "{stderr}");
}

#[test]
#[ignore = "heavy: run by .ci/run in release mode"]
fn dev_zero_as_an_input_is_read_under_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_bounded(dir.path(), &["check", "--no-config", "/dev/zero"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero: this file (a character device) holds more than 1024 MiB, the most qamus reads"), "{stderr}");
}

fn heavy_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qamus-heavy-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
#[ignore = "heavy: run by .ci/run in release mode"]
fn a_200_mb_file_without_a_newline_and_a_line_of_10_million_characters() {
    let dir = heavy_dir("long");
    let unit = "قال المتحدث إن قوى الأمن الداخلي واللجنة العسكرية العليا اجتمعتا ";
    let mut big = String::with_capacity(200 << 20);
    while big.len() < 200 << 20 {
        big.push_str(unit);
    }
    std::fs::write(dir.join("big.txt"), &big).unwrap();
    let line: String = unit.chars().cycle().take(10_000_000).collect();
    std::fs::write(dir.join("line.txt"), format!("{line}\nقوى الأمن الداخلي\n")).unwrap();
    for (name, expected_line) in [("big.txt", 1), ("line.txt", 2)] {
        let output = run(&dir, &["check".into(), "--format".into(), "jsonl".into(), name.into()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let last = String::from_utf8_lossy(&output.stdout).lines().rfind(|l| l.contains("forbidden")).map(str::to_string).unwrap();
        let finding: serde_json::Value = serde_json::from_str(&last).unwrap();
        assert_eq!(finding["line"], expected_line, "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "heavy: run by .ci/run in release mode"]
fn a_hundred_thousand_tiny_files() {
    let dir = heavy_dir("many");
    for i in 0..100_000 {
        let sub = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("{i}.txt")), if i == 99_999 { "قوى الأمن الداخلي" } else { "نص" }).unwrap();
    }
    let output = run(&dir, &["check".into(), "--format".into(), "json".into(), ".".into()]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 100_000);
    assert_eq!(report["summary"]["error"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Inputs the fuzzers found that once crashed a reader, replayed through the
/// readers as the fuzz target does (first byte: the reader).
#[test]
fn fuzz_regressions() {
    use qamus::input::{Document, Format, ReadOptions};
    let formats = [Format::Text, Format::Markdown, Format::Html, Format::Po, Format::Xliff, Format::Tmx, Format::Json, Format::Yaml];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let (&pick, rest) = bytes.split_first().unwrap();
        let text = String::from_utf8_lossy(rest).into_owned();
        let document = Document {
            path: "regression".into(),
            byte_offset: 0,
            format: formats[pick as usize % formats.len()],
            text: std::sync::Arc::new(text.into()),
            comments: Vec::new(),
        };
        // An error is fine; a panic fails the test.
        let _ = document.units(&ReadOptions::default(), None);
        count += 1;
    }
    assert!(count >= 1);
}
