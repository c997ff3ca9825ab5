//! The `check` pipeline: inputs → documents → units → matches → located
//! occurrences → findings, for every file, in a stable order. Read errors are
//! collected beside the results and the run goes on.
//!
//! This module owns the order of the steps and turning unit offsets into file
//! positions; each step's rules live in its own module.

use std::io::Read;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind};
use crate::glossary::Glossary;
use crate::input::walk::{self, Input, WalkOptions};
use crate::input::{Document, Encoding, Format, LineIndex};
use crate::judge::{judge_document, Context, Finding, Occurrence, Severities};
use crate::matcher::Matcher;

/// What a run is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// How to walk directories.
    pub walk: WalkOptions,
    /// The encoding of files without a byte-order mark (UTF-8 when `None`).
    pub encoding: Option<Encoding>,
    /// Rule severities.
    pub severities: Severities,
}

/// The occurrences found in one document.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The path as shown.
    pub path: String,
    /// Every occurrence, in text order.
    pub occurrences: Vec<Occurrence>,
}

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Documents read, in order.
    pub documents: Vec<DocumentResult>,
    /// Findings, by document, then position.
    pub findings: Vec<Finding>,
    /// Inputs that could not be read.
    pub errors: Vec<Error>,
    /// Inputs passed over, with the reason (binary files found by a walk).
    pub skipped: Vec<String>,
}

impl Outcome {
    /// Number of occurrences in all documents.
    pub fn match_count(&self) -> usize {
        self.documents.iter().map(|d| d.occurrences.len()).sum()
    }
}

/// Checks every input named by `paths`.
pub fn check_paths(glossary: &Glossary, matcher: &Matcher, paths: &[PathBuf], options: &CheckOptions) -> Outcome {
    let (inputs, errors) = walk::inputs(paths, options.walk);
    let mut outcome = Outcome { errors, ..Outcome::default() };
    for input in inputs {
        let document = match &input {
            Input::Stdin => read_stdin(options.encoding),
            Input::File { path, .. } => Document::read(path, &walk::display(path), options.encoding),
        };
        match document {
            Ok(document) => check_document(glossary, matcher, &document, options, &mut outcome),
            Err(e) if matches!(e.kind, ErrorKind::Binary { .. }) && matches!(input, Input::File { explicit: false, .. }) => {
                outcome.skipped.push(format!("{}: binary file, skipped", e.path.as_deref().unwrap_or("?")));
            }
            Err(e) => outcome.errors.push(e),
        }
    }
    outcome
}

fn read_stdin(encoding: Option<Encoding>) -> Result<Document, Error> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|e| Error::new(ErrorKind::Io(e), "<stdin>"))?;
    Document::from_bytes("<stdin>", &bytes, encoding, Format::Text)
}

/// Matches and judges one document, adding to `outcome`.
pub fn check_document(glossary: &Glossary, matcher: &Matcher, document: &Document, options: &CheckOptions, outcome: &mut Outcome) {
    let occurrences = find_occurrences(matcher, document);
    outcome.findings.extend(judge_document(glossary, &document.path, &occurrences, &options.severities));
    outcome.documents.push(DocumentResult { path: document.path.clone(), occurrences });
}

/// Every occurrence in a document, located in the file.
pub fn find_occurrences(matcher: &Matcher, document: &Document) -> Vec<Occurrence> {
    let text = &document.text;
    let lines = LineIndex::new(text);
    let mut occurrences = Vec::new();
    for unit in document.units() {
        for m in matcher.find(&unit.text) {
            let start = unit.start + m.span.start;
            let end = unit.start + m.span.end;
            let (line, column) = lines.position(text, start);
            let (end_line, end_column) = lines.position(text, end);
            let line_range = lines.line_range(text, start);
            occurrences.push(Occurrence {
                concept: m.concept,
                term: m.term,
                line,
                column,
                end_line,
                end_column,
                byte_start: document.byte_offset + start,
                byte_end: document.byte_offset + end,
                surface: text[start..end].to_string(),
                kind: m.kind,
                orthographic: m.orthographic,
                proclitics: m.proclitics,
                suffix: m.suffix,
                in_arabic: text[line_range.clone()].chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                context: context(text, line_range, start..end),
            });
        }
    }
    occurrences
}

/// Up to `CONTEXT_CHARS` characters each side of the surface, on its line, cut
/// at a word boundary.
const CONTEXT_CHARS: usize = 40;

fn context(text: &str, line: std::ops::Range<usize>, surface: std::ops::Range<usize>) -> Context {
    let before = &text[line.start..surface.start.max(line.start)];
    let after = &text[surface.end.min(line.end)..line.end.max(surface.end.min(line.end))];
    let before = if before.chars().count() > CONTEXT_CHARS {
        let cut = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
        let cut = before[cut..].find(' ').map_or(cut, |s| cut + s + 1);
        format!("…{}", &before[cut..])
    } else {
        before.to_string()
    };
    let after = if after.chars().count() > CONTEXT_CHARS {
        let cut = after.char_indices().nth(CONTEXT_CHARS).map_or(after.len(), |(i, _)| i);
        let cut = after[..cut].rfind(' ').unwrap_or(cut);
        format!("{}…", &after[..cut])
    } else {
        after.to_string()
    };
    Context { before: before.trim_start().to_string(), after: after.trim_end().to_string() }
}
