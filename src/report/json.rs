//! The JSON printer: one document with `matches`, `findings` and `summary`
//! (and `errors` for unreadable inputs). Key names are a public interface that
//! scripts rely on: add keys, never rename or remove them. The schema is in
//! docs/formats.md ("JSON output").

use std::io::{self, Write};

use serde::Serialize;

use super::Report;
use crate::glossary::Glossary;
use crate::judge::Finding;

#[derive(Serialize)]
struct JsonReport<'a> {
    matches: Vec<JsonMatch<'a>>,
    findings: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
    errors: Vec<JsonError>,
}

#[derive(Serialize)]
struct JsonMatch<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    byte_start: usize,
    byte_end: usize,
    concept: &'a str,
    en: &'a str,
    acronym: Option<&'a str>,
    surface: &'a str,
    form: &'a str,
    status: &'static str,
    kind: &'static str,
    orthographic: bool,
    proclitics: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    homonym: bool,
}

/// A finding as JSON (also one line of `jsonl`).
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'static str,
    severity: &'static str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<usize>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    concept: &'a str,
    en: &'a str,
    acronym: Option<&'a str>,
    surface: &'a str,
    suggestion: Option<&'a str>,
    message: &'a str,
    context: JsonContext<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    replacement: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    renderings: Vec<JsonRendering<'a>>,
}

#[derive(Serialize)]
struct JsonContext<'a> {
    before: &'a str,
    after: &'a str,
}

#[derive(Serialize)]
struct JsonRendering<'a> {
    form: &'a str,
    status: &'static str,
    count: usize,
    first_line: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    #[serde(skip_serializing_if = "is_zero")]
    records: usize,
    matches: usize,
    findings: usize,
    error: usize,
    warning: usize,
    info: usize,
    note: usize,
    hidden: usize,
    unreadable: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonError {
    path: Option<String>,
    line: Option<usize>,
    message: String,
}

/// The JSON shape of a finding.
pub fn finding<'a>(f: &'a Finding, glossary: &'a Glossary) -> JsonFinding<'a> {
    let concept = &glossary.concepts[f.at.concept];
    JsonFinding {
        rule: f.rule.id(),
        severity: f.severity.as_str(),
        path: &f.path,
        record: f.record,
        line: f.at.line,
        column: f.at.column,
        end_line: f.at.end_line,
        end_column: f.at.end_column,
        concept: &concept.id,
        en: &concept.en,
        acronym: concept.acronym.as_deref(),
        surface: &f.at.surface,
        suggestion: f.suggestion.as_deref(),
        message: &f.message,
        context: JsonContext { before: &f.at.context.before, after: &f.at.context.after },
        replacement: f.replacement.as_deref(),
        renderings: f
            .renderings
            .iter()
            .map(|r| JsonRendering { form: &r.form, status: r.status.as_str(), count: r.count, first_line: r.first_line })
            .collect(),
    }
}

/// Writes the report as one JSON document.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let glossary = report.glossary;
    let matches = report
        .outcome
        .documents
        .iter()
        .flat_map(|d| d.occurrences.iter().map(move |o| (d, o)))
        .map(|(d, o)| {
            let concept = &glossary.concepts[o.concept];
            let term = &concept.terms[o.term];
            JsonMatch {
                path: &d.path,
                record: d.record,
                line: o.line,
                column: o.column,
                end_line: o.end_line,
                end_column: o.end_column,
                byte_start: o.byte_start,
                byte_end: o.byte_end,
                concept: &concept.id,
                en: &concept.en,
                acronym: concept.acronym.as_deref(),
                surface: &o.surface,
                form: &term.text,
                status: term.status.as_str(),
                kind: o.kind.as_str(),
                orthographic: o.orthographic,
                proclitics: &o.proclitics,
                prefix: &o.prefix,
                suffix: &o.suffix,
                homonym: o.homonym,
            }
        })
        .collect();
    let findings = report.shown().map(|f| finding(f, glossary)).collect::<Vec<_>>();
    let [error, warning, info, note] = report.counts();
    let summary = JsonSummary {
        files: report.outcome.document_count(),
        records: report.outcome.record_count(),
        matches: report.outcome.match_count(),
        findings: findings.len(),
        error,
        warning,
        info,
        note,
        hidden: report.hidden(),
        unreadable: report.outcome.errors.len(),
    };
    let errors = report.outcome.errors.iter().map(|e| JsonError { path: e.path.clone(), line: e.line, message: e.to_string() }).collect();
    serde_json::to_writer_pretty(&mut *out, &JsonReport { matches, findings, summary, errors })?;
    writeln!(out)
}

/// The JSON printer: the whole run, every occurrence with it, at the end.
pub struct JsonPrinter;

impl super::Printer for JsonPrinter {
    fn needs(&self) -> super::Needs {
        super::Needs { occurrences: true, findings_at_the_end: true, ..super::Needs::default() }
    }

    fn finish(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        emit(report, out)
    }
}
