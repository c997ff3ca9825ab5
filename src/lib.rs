//! qamus finds, in Arabic text, every rendering of the concepts of a curated
//! bilingual glossary, judges each one (preferred, admitted, deprecated,
//! forbidden) and reports what a translator, a terminologist or a CI job needs.
//!
//! The data flows one way, and the modules follow it:
//!
//! ```text
//! glossary ─▶ Matcher::new
//! paths ─▶ input (walk, decode, units) ─▶ normalize (fold, tokens, clitics)
//!       ─▶ matcher (readings, trie, leftmost-longest) ─▶ judge (rules)
//!       ─▶ report (terminal, json, jsonl, sarif, github) ─▶ exit code
//! ```
//!
//! A program that embeds qamus loads a glossary, makes a [`Checker`] of it
//! once, and checks texts, translation units and files with it:
//!
//! ```
//! use qamus::{Checker, Format, Glossary};
//!
//! let glossary = Glossary::embedded()?;
//! let checker = Checker::new(&glossary);
//! // Machine translation's Hamad Medical Corporation for the HMC.
//! let brief = checker.check_text("brief.txt", "وقالت مؤسسة حمد الطبية إن الاجتماع انعقد.", Format::Text)?;
//! let finding = &brief.findings[0];
//! assert_eq!(finding.rule.id(), "forbidden-rendering");
//! assert_eq!((finding.at.line, finding.at.column), (1, 7));
//! assert_eq!(finding.suggestion.as_deref(), Some("اللجنة العسكرية العليا"));
//!
//! // A translation unit whose English names a concept its Arabic leaves out.
//! let unit = checker.check_translation("unit", "The Higher Military Commission met.", "اجتمعت اللجنة.")?;
//! assert!(unit.findings.iter().any(|f| f.rule.id() == "missing-rendering"));
//!
//! // The occurrences alone, unjudged.
//! assert_eq!(checker.find("انعقدت اللجنة العسكرية العليا").len(), 1);
//! # Ok::<(), qamus::Error>(())
//! ```
//!
//! [`check`] strings the steps together. The library prints nothing, reads
//! no command line and sets no exit code: the `qamus` binary (`src/main.rs`,
//! `src/cli.rs`) does, over this library.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod check;
pub mod config;
pub mod error;
pub mod glossary;
pub mod input;
pub mod judge;
pub mod matcher;
pub mod normalize;
pub mod report;
#[doc(hidden)]
pub mod synthetic;
pub mod threads;
pub mod words;

pub use check::{CheckOptions, Checker, DocumentResult};
pub use error::{Error, ErrorKind, Result};
pub use glossary::Glossary;
pub use input::Format;
pub use judge::{Finding, Rule, Severity};
pub use matcher::{Match, MatchKind, Matcher};

#[cfg(test)]
mod layers {
    /// The stages, lowest first, each with the modules it may import
    /// besides itself: the data flows one way (input → normalize → match →
    /// judge → report), and the glossary is a plain model with its loaders,
    /// compiled into a matcher by the matcher.
    const STAGES: [(&str, &[&str]); 5] = [
        ("normalize", &["error", "words", "threads"]),
        ("input", &["error", "words", "threads", "normalize"]),
        ("glossary", &["error", "words", "threads", "normalize", "input"]),
        ("matcher", &["error", "words", "threads", "normalize", "input", "glossary"]),
        ("judge", &["error", "words", "threads", "normalize", "input", "glossary", "matcher"]),
    ];

    /// The Rust files of a stage: `src/NAME.rs`, or every file under `src/NAME/`.
    fn files(stage: &str) -> Vec<std::path::PathBuf> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let single = src.join(format!("{stage}.rs"));
        if single.is_file() {
            return vec![single];
        }
        let mut found = Vec::new();
        let mut folders = vec![src.join(stage)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(path);
                }
            }
        }
        found
    }

    #[test]
    fn each_stage_imports_only_the_stages_below_it() {
        let module = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
        let mut wrong = Vec::new();
        for (stage, below) in STAGES {
            let files = files(stage);
            assert!(!files.is_empty(), "no file for {stage}");
            for file in files {
                let text = std::fs::read_to_string(&file).unwrap();
                // Tests may use what they like (the generator, for one).
                let code = text.split("\n#[cfg(test)]").next().unwrap().split("\n#[cfg(all(test").next().unwrap();
                for (number, line) in code.lines().enumerate() {
                    for name in module.captures_iter(line).map(|c| c[1].to_string()) {
                        if name != stage && !below.contains(&name.as_str()) {
                            wrong.push(format!("{}:{}: {stage} imports {name}", file.display(), number + 1));
                        }
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "a stage imports one above it:\n{}", wrong.join("\n"));
    }

    #[test]
    fn only_the_command_line_makes_usage_errors() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut folders = vec![src.clone()];
        let mut wrong = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if path.is_dir() {
                    folders.push(path);
                } else if name.ends_with(".rs") && !["cli.rs", "main.rs", "output.rs", "error.rs", "lib.rs"].contains(&name.as_str()) {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains("ErrorKind::Usage") || text.contains("Error::usage(") {
                        wrong.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "library code makes a usage error: {wrong:?}");
    }
}
