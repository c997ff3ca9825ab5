//! The JSON Lines printer: one JSON object per finding, with the keys of the
//! JSON report's findings, streamed as each document is done.

use std::io::{self, Write};

use crate::check::DocumentResult;
use crate::glossary::Glossary;
use crate::judge::Severity;

/// Writes one document's findings, one object a line.
pub fn emit_document(document: &DocumentResult, glossary: &Glossary, min_severity: Severity, out: &mut dyn Write) -> io::Result<()> {
    for finding in document.findings.iter().filter(|f| f.severity >= min_severity) {
        serde_json::to_writer(&mut *out, &super::json::finding(finding, glossary))?;
        writeln!(out)?;
    }
    Ok(())
}
