//! Every output of every command on the fixtures, byte for byte, against
//! the reviewed copies in `tests/snapshots/`: what a restructuring of the
//! code must leave unchanged.
//!
//! The cases are the files: each `tests/snapshots/NAME.txt` is one, its
//! first line the command, `$ qamus ARGS`, the arguments separated by
//! single spaces (so no argument can hold a space), run in the crate's root;
//! the rest of the file is what the command gave: its exit code, standard
//! output and standard error. A new case is a new file holding only its
//! first line. `QAMUS_BLESS=1 cargo test --test it outputs::` writes every
//! file anew from its first line (review the diff before committing it).

use std::path::{Path, PathBuf};

use crate::util::{self, Qamus};

/// The report's date fixed; no colour, CI or GitHub Actions from the
/// environment of the tests.
const QAMUS: Qamus = Qamus::new().fixed_date().colour_allowed().outside_ci_and_github_actions().without_step_summary();

/// What begins the first line of a case.
const PROMPT: &str = "$ qamus ";

struct Case {
    /// The file's name without `.txt`.
    name: String,
    path: PathBuf,
    args: Vec<String>,
    /// The file, as reviewed.
    recorded: String,
}

/// Every `tests/snapshots/*.txt`, by name.
fn cases() -> Vec<Case> {
    let dir = Path::new(util::ROOT).join("tests/snapshots");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no case in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let recorded = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let command = recorded.lines().next().unwrap_or_default();
            let args = command
                .strip_prefix(PROMPT)
                .unwrap_or_else(|| panic!("{}:1: the first line must be the command, «{PROMPT}ARGS»: {command:?}", path.display()));
            let args: Vec<String> = args.split(' ').map(str::to_string).collect();
            assert!(
                args.iter().all(|a| !a.is_empty()),
                "{}:1: the arguments are separated by single spaces, with none before or after: {command:?}",
                path.display()
            );
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            Case { name, path, args, recorded }
        })
        .collect()
}

/// A case as compared. SARIF's `%SRCROOT%` is the folder qamus ran in, a
/// `file:///…/` URI that depends on where the crate is checked out: it is
/// compared as `file://$ROOT/`. In what qamus gives (`root`: the crate's
/// root) it must be the crate's root; in a snapshot (`None`) it is the root
/// of the checkout that blessed it, whatever that was.
fn portable(case: &str, root: Option<&str>) -> String {
    let uri = root.map_or("/[^\"]*/".to_string(), |root| regex::escape(&format!("{root}/")));
    let srcroot = regex::Regex::new(&format!(r#"("%SRCROOT%": \{{\s*"uri": "file://){uri}""#)).unwrap();
    srcroot.replace_all(case, r#"${1}$$ROOT/""#).into_owned()
}

fn run(args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = QAMUS.in_root().run(&args);
    format!(
        "{PROMPT}{}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status.code().map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_output_is_as_reviewed() {
    let bless = std::env::var_os("QAMUS_BLESS").is_some();
    let mut changed = Vec::new();
    for case in cases() {
        let got = run(&case.args);
        if bless {
            std::fs::write(&case.path, &got).unwrap();
            continue;
        }
        let (got, recorded) = (portable(&got, Some(util::ROOT)), portable(&case.recorded, None));
        if recorded.lines().count() <= 1 {
            changed.push(format!("{} (not recorded yet)", case.name));
        } else if got != recorded {
            let line =
                got.lines().zip(recorded.lines()).position(|(a, b)| a != b).map_or("the end".to_string(), |i| format!("line {}", i + 1));
            changed.push(format!("{} (first difference at {line})", case.name));
        }
    }
    assert!(
        changed.is_empty(),
        "outputs changed: {}; review with QAMUS_BLESS=1 cargo test --test it outputs:: and git diff",
        changed.join(", ")
    );
}

/// Each case's output says something: a snapshot of an error or of
/// nothing would guard nothing.
#[test]
fn every_case_has_output_and_runs_as_meant() {
    for case in cases() {
        let got = run(&case.args);
        let stdout = &got[got.find("--- stdout\n").unwrap() + 11..got.find("--- stderr\n").unwrap()];
        assert!(stdout.len() > 100, "{}: {got}", case.name);
        assert!(got.contains("\nexit: 0\n") || got.contains("\nexit: 1\n"), "{}: {got}", case.name);
    }
}
