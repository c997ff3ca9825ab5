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

pub use error::{Error, ErrorKind, Result};
pub use glossary::Glossary;
pub use matcher::{Match, MatchKind, Matcher};
