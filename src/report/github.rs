//! The GitHub Actions printer: one workflow command a finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`),
//! streamed as each document is done, so that GitHub annotates the lines of a
//! pull request; and, when `GITHUB_STEP_SUMMARY` names a file, the full list
//! as a Markdown table appended to the job summary.

use std::io::{self, Write};

use super::Report;
use crate::check::DocumentResult;
use crate::glossary::Glossary;
use crate::judge::Severity;

/// Escapes the data part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Note => "notice",
    }
}

/// Writes one document's findings as workflow commands.
pub fn emit_document(
    document: &DocumentResult,
    glossary: &Glossary,
    min_severity: Severity,
    root: Option<&std::path::Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for f in document.findings.iter().filter(|f| f.severity >= min_severity) {
        let concept = &glossary.concepts[f.at.concept];
        let title = format!("qamus {} ({})", f.rule.id(), concept.label());
        let mut message = f.message.clone();
        if let Some(replacement) = &f.replacement {
            message.push_str(&format!("\nReplace «{}» with «{replacement}».", f.at.surface));
        }
        let file = super::repo_path(root, f.file());
        match f.record {
            // A record of a corpus: the line where it starts in its file,
            // and where in its text at the head of the message.
            Some(record) => writeln!(
                out,
                "::{} file={},line={record},title={}::{}",
                command(f.severity),
                escape_property(&file),
                escape_property(&title),
                escape_data(&format!("{file}#{record}:{}:{}: {}", f.at.line, f.at.column, super::isolate_arabic(&message)))
            )?,
            None => writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                command(f.severity),
                escape_property(&file),
                f.at.line,
                f.at.column,
                f.at.end_line,
                f.at.end_column,
                escape_property(&title),
                escape_data(&super::isolate_arabic(&message))
            )?,
        }
    }
    Ok(())
}

/// Appends the findings as a Markdown table to the job summary file.
pub fn write_step_summary(report: &Report, path: &std::path::Path) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let cell = |s: &str| s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let [error, warning, info, note] = report.counts();
    use crate::words::plural;
    let mut text = format!(
        "## qamus\n\n{}, {}: {}, {}, {info} info, {}\n\n",
        super::documents(report.outcome),
        plural(report.outcome.match_count(), "match"),
        plural(error, "error"),
        plural(warning, "warning"),
        plural(note, "note")
    );
    if report.shown().next().is_some() {
        text.push_str("| severity | location | rule | concept | found | use |\n|---|---|---|---|---|---|\n");
        for f in report.shown() {
            let concept = &report.glossary.concepts[f.at.concept];
            let location = match f.record {
                Some(record) => format!("{}#{record}", report.repo_path(f.file())),
                None => report.repo_path(&f.path),
            };
            text.push_str(&format!(
                "| {} | `{}:{}:{}` | {} | {} | {} | {} |\n",
                f.severity,
                cell(&location),
                f.at.line,
                f.at.column,
                f.rule.id(),
                cell(concept.label()),
                cell(&f.at.surface),
                cell(f.replacement.as_deref().or(f.suggestion.as_deref()).unwrap_or(""))
            ));
        }
    }
    file.write_all(text.as_bytes())
}

/// The GitHub printer: an annotation per finding as each document is done,
/// and the run's summary in the job's step summary file, if it has one.
pub struct GithubPrinter<'g> {
    /// The glossary the findings were judged by.
    pub glossary: &'g Glossary,
    /// Findings below it are not written.
    pub min_severity: Severity,
    /// The repository root, that annotation paths are relative to.
    pub root: Option<std::path::PathBuf>,
    /// The job's step summary file (`$GITHUB_STEP_SUMMARY`), if any.
    pub step_summary: Option<std::path::PathBuf>,
}

impl super::Printer for GithubPrinter<'_> {
    fn needs(&self) -> super::Needs {
        super::Needs { findings_at_the_end: true, ..super::Needs::default() }
    }

    fn document(&mut self, document: &DocumentResult, out: &mut dyn Write) -> io::Result<()> {
        emit_document(document, self.glossary, self.min_severity, self.root.as_deref(), out)
    }

    fn finish(&mut self, report: &Report, _out: &mut dyn Write) -> io::Result<()> {
        match &self.step_summary {
            Some(path) => write_step_summary(report, path),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_syntax() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
