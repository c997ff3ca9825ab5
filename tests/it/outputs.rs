//! Every output of every command on the fixtures, byte for byte, against
//! the reviewed copies in `tests/snapshots/`: what a restructuring of the
//! code must leave unchanged. Each case is a command line; its snapshot
//! holds its exit code, standard output and standard error.
//! `QAMUS_BLESS=1 cargo test --test it outputs::` writes them anew (review the
//! diff before committing it).

use std::path::Path;

use crate::util::{self, Qamus};

/// The report's date fixed; no colour, CI or GitHub Actions from the
/// environment of the tests.
const QAMUS: Qamus = Qamus::new().fixed_date().colour_allowed().outside_ci_and_github_actions().without_step_summary();

/// Name, then the arguments.
const CASES: &[(&str, &[&str])] = &[
    ("check-articles-text", &["check", "fixtures/articles"]),
    ("check-translations-text", &["check", "fixtures/translations"]),
    ("check-office-text", &["check", "fixtures/office/statement.docx", "fixtures/office/brief.odt"]),
    ("check-corpus-jsonl-text", &["check", "--input-format", "jsonl", "--text-field", "body", "fixtures/corpus/archive.jsonl"]),
    ("check-corpus-csv-text", &["check", "--input-format", "csv", "--text-column", "body", "fixtures/corpus/archive.csv"]),
    ("check-fixtures-count", &["check", "--count", "fixtures"]),
    ("check-articles-json", &["check", "--format", "json", "fixtures/articles"]),
    (
        "check-translations-json",
        &["check", "--format", "json", "fixtures/translations/statement.ar.po", "fixtures/translations/statement.xlf"],
    ),
    ("check-translations-jsonl", &["check", "--format", "jsonl", "fixtures/translations"]),
    ("check-translations-sarif", &["check", "--format", "sarif", "fixtures/translations", "fixtures/articles"]),
    ("check-translations-github", &["check", "--format", "github", "fixtures/translations", "fixtures/articles"]),
    ("check-product-text", &["check", "-g", "fixtures/translations/product/glossary.csv", "fixtures/translations/product/ar.po"]),
    ("report-markdown", &["report", "fixtures/articles", "fixtures/translations"]),
    ("report-json", &["report", "--format", "json", "fixtures/articles", "fixtures/translations"]),
    ("report-html", &["report", "--format", "html", "fixtures/articles", "fixtures/translations"]),
    ("glossary-csv", &["glossary", "fixtures/articles", "fixtures/translations"]),
    ("glossary-tbx", &["glossary", "--format", "tbx", "fixtures/articles", "fixtures/translations"]),
    ("glossary-json", &["glossary", "--format", "json", "fixtures/articles", "fixtures/translations"]),
    ("rules", &["rules"]),
];

fn run(args: &[&str]) -> String {
    let output = QAMUS.in_root().run(args);
    format!(
        "$ qamus {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status.code().map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_output_is_as_reviewed() {
    let bless = std::env::var_os("QAMUS_BLESS").is_some();
    let dir = Path::new(util::ROOT).join("tests/snapshots");
    let mut changed = Vec::new();
    for (name, args) in CASES {
        let got = run(args);
        let path = dir.join(format!("{name}.txt"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; bless with QAMUS_BLESS=1", path.display()));
        if got != expected {
            let line =
                got.lines().zip(expected.lines()).position(|(a, b)| a != b).map_or("the end".to_string(), |i| format!("line {}", i + 1));
            changed.push(format!("{name} (first difference at {line})"));
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
    for (name, args) in CASES {
        let got = run(args);
        let stdout = &got[got.find("--- stdout\n").unwrap() + 11..got.find("--- stderr\n").unwrap()];
        assert!(stdout.len() > 100, "{name}: {got}");
        assert!(got.contains("\nexit: 0\n") || got.contains("\nexit: 1\n"), "{name}: {got}");
    }
}
