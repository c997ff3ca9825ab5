//! The SARIF 2.1.0 printer, shaped for GitHub code scanning: one rule per rule
//! id with its description and default level, and one result per shown
//! finding with a physical location (URI relative to the repository root,
//! region in Unicode code point columns), the Arabic surface as the snippet,
//! a fix that replaces the span with the preferred rendering where one can be
//! made safely, and a fingerprint that survives edits elsewhere in the file.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::Report;
use crate::judge::{Rule, Severity};

/// The SARIF level of a severity (SARIF has no "info").
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Note => "note",
    }
}

use super::uri;

/// A short stable hash (FNV-1a, 64 bits) for fingerprints.
fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    format!("{hash:016x}")
}

/// Writes the report as one SARIF log.
pub fn emit(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = crate::judge::RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "name": rule.id,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.help },
                "defaultConfiguration": { "level": level(rule.default_severity) },
                "properties": { "tags": ["terminology", "arabic"], "scope": rule.scope.as_str(), "fix": rule.fix },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .shown()
        .map(|f| {
            let concept = &report.glossary.concepts[f.at.concept];
            let path = report.repo_path(f.file());
            let artifact = json!({ "uri": uri(&path), "uriBaseId": "%SRCROOT%" });
            // A record of a corpus: the line where it starts in its file
            // (its text's positions are not the file's: escaped in JSON, or
            // in a quoted cell), and where in its text at the head of the
            // message; no fix, which would be placed in the text.
            let (region, message) = match f.record {
                Some(record) => (
                    json!({ "startLine": record }),
                    format!("{path}#{record}:{}:{}: {}", f.at.line, f.at.column, super::isolate_arabic(&f.message)),
                ),
                None => (
                    json!({
                        "startLine": f.at.line,
                        "startColumn": f.at.column,
                        "endLine": f.at.end_line,
                        "endColumn": f.at.end_column,
                        "snippet": { "text": f.at.surface },
                    }),
                    super::isolate_arabic(&f.message).into_owned(),
                ),
            };
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact, "region": region } }],
                "partialFingerprints": {
                    "qamus/v1": fingerprint(&[&path, f.rule.id(), &concept.id, &f.at.surface, &f.at.context.before, &f.at.context.after]),
                },
                "properties": { "concept": concept.id, "en": concept.en, "severity": f.severity.as_str() },
            });
            if let Some(record) = f.record {
                result["properties"]["record"] = json!({ "line": record, "textLine": f.at.line, "textColumn": f.at.column });
            }
            if let Some(replacement) = f.replacement.as_ref().filter(|_| f.record.is_none()) {
                result["fixes"] = json!([{
                    "description": { "text": format!("Replace «{}» with «{replacement}»", f.at.surface) },
                    "artifactChanges": [{
                        "artifactLocation": artifact,
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": f.at.line,
                                "startColumn": f.at.column,
                                "endLine": f.at.end_line,
                                "endColumn": f.at.end_column,
                            },
                            "insertedContent": { "text": replacement },
                        }],
                    }],
                }]);
            }
            result
        })
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "qamus",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(root) = &report.root {
        let mut root_uri = format!("file://{}", uri(&crate::input::walk::display(root)));
        if !root_uri.ends_with('/') {
            root_uri.push('/');
        }
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": root_uri } });
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The SARIF printer: one log of the whole run, at the end.
pub struct SarifPrinter;

impl super::Printer for SarifPrinter {
    fn needs(&self) -> super::Needs {
        super::Needs { findings_at_the_end: true, ..super::Needs::default() }
    }

    fn finish(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        emit(report, out)
    }
}
