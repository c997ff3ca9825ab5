//! The terminal printer: one finding a line in the `path:line:col: severity[rule]
//! message` shape of compilers and ripgrep, the Arabic in context and the form
//! to use below it, streamed document by document; then a summary line.
//! Colour only when asked or on a terminal without NO_COLOR.

use std::io::{self, Write};

use super::Report;
use crate::check::DocumentResult;
use crate::judge::Severity;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const GREEN: &str = "\x1b[32m";

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;34m",
        Severity::Note => "\x1b[1;36m",
    }
}

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// Writes one document's findings.
pub fn emit_document(document: &DocumentResult, min_severity: Severity, out: &mut dyn Write, colour: bool) -> io::Result<()> {
    for finding in document.findings.iter().filter(|f| f.severity >= min_severity) {
        let at = &finding.at;
        let severity = finding.severity;
        writeln!(
            out,
            "{}: {}{} {}",
            paint(colour, BOLD, &format!("{}:{}:{}", finding.path, at.line, at.column)),
            paint(colour, severity_colour(severity), severity.as_str()),
            paint(colour, DIM, &format!("[{}]", finding.rule.id())),
            super::isolate_arabic(&finding.message)
        )?;
        let surface = at.surface.replace(['\n', '\r'], " ");
        let marked = if colour { format!("{}{surface}{RESET}", severity_colour(severity)) } else { format!("⟦{surface}⟧") };
        writeln!(out, "    | {}{marked}{}", at.context.before, at.context.after)?;
        if let Some(use_instead) = finding.replacement.as_ref().or(finding.suggestion.as_ref()) {
            writeln!(out, "    = use: {}", paint(colour, GREEN, use_instead))?;
        }
    }
    Ok(())
}

/// Writes one document's counts (`path:matches:findings`), when it has matches.
pub fn emit_count(document: &DocumentResult, min_severity: Severity, out: &mut dyn Write) -> io::Result<()> {
    let findings: usize = Severity::ALL.iter().zip(document.severity_counts()).filter(|(s, _)| **s >= min_severity).map(|(_, n)| n).sum();
    if document.match_count > 0 || findings > 0 {
        writeln!(out, "{}:{}:{}", document.path, document.match_count, findings)?;
    }
    Ok(())
}

/// Writes the total line of `--count`.
pub fn emit_count_total(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "total:{}:{}", report.outcome.match_count(), report.counts().iter().sum::<usize>())
}

/// Writes the summary line.
pub fn emit_summary(report: &Report, out: &mut dyn Write, colour: bool) -> io::Result<()> {
    let outcome = report.outcome;
    let counts = report.counts();
    let mut parts = Vec::new();
    for (severity, count) in Severity::ALL.iter().zip(counts) {
        if count > 0 || *severity >= Severity::Warning {
            let name = match (severity, count) {
                (Severity::Info, _) => "info".to_string(),
                (s, 1) => s.as_str().to_string(),
                (s, _) => format!("{}s", s.as_str()),
            };
            parts.push(format!("{count} {name}"));
        }
    }
    let mut summary =
        format!("{}, {}: {}", super::documents(outcome), crate::words::plural(outcome.match_count(), "match"), parts.join(", "));
    let hidden = report.hidden();
    if hidden > 0 {
        summary.push_str(&format!(" ({hidden} hidden below {}; see them with --min-severity note)", report.min_severity));
    }
    if !outcome.errors.is_empty() {
        summary.push_str(&format!("; {} unreadable", outcome.errors.len()));
    }
    writeln!(out, "{}", paint(colour, BOLD, &summary))
}

/// The text printer: each document's findings as it is done, then the
/// summary; colour where asked.
pub struct TextPrinter {
    /// Findings below it are not shown.
    pub min_severity: Severity,
    /// Whether to colour.
    pub colour: bool,
}

impl super::Printer for TextPrinter {
    fn needs(&self) -> super::Needs {
        super::Needs::default()
    }

    fn document(&mut self, document: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
        emit_document(document, self.min_severity, out, self.colour)
    }

    fn finish(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        emit_summary(report, out, self.colour)
    }
}

/// The count printer (`--count`): each document's matches and findings, a line
/// each, then the total.
pub struct CountPrinter {
    /// Findings below it are not counted.
    pub min_severity: Severity,
}

impl super::Printer for CountPrinter {
    fn needs(&self) -> super::Needs {
        super::Needs { counts_only: true, ..super::Needs::default() }
    }

    fn document(&mut self, document: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
        emit_count(document, self.min_severity, out)
    }

    fn finish(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        emit_count_total(report, out)
    }
}
