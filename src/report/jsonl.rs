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

/// The JSON Lines printer: one finding a line, as each document is done.
pub struct JsonlPrinter<'g> {
    /// The glossary the findings were judged by.
    pub glossary: &'g Glossary,
    /// Findings below it are not written.
    pub min_severity: Severity,
}

impl super::Printer for JsonlPrinter<'_> {
    fn needs(&self) -> super::Needs {
        super::Needs::default()
    }

    fn document(&mut self, document: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
        emit_document(document, self.glossary, self.min_severity, out)
    }

    fn finish(&mut self, _report: &super::Report, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
