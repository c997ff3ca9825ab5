//! Reports: one printer per output format, all reading the same judged data,
//! each behind the [`Printer`] trait. Streaming printers (text, jsonl,
//! github) write each document as the run hands it on and a closing part
//! from the [`Report`]; whole-run printers (json, sarif) write once from the
//! [`Report`]. A printer says what it needs of the run ([`Needs`]); it
//! decides layout only: what was found and how serious it is was settled
//! before.

pub mod consistency;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod markdown;
pub mod sarif;
pub mod terminal;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::check::{CheckOptions, DocumentResult, Outcome};
use crate::glossary::Glossary;
use crate::judge::{Finding, Severity};

/// What a printer needs of the run that feeds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// Every occurrence, with its context (it lists them all).
    pub occurrences: bool,
    /// Only the number of findings, not the findings themselves.
    pub counts_only: bool,
    /// A document's findings after it was printed (for what the printer
    /// writes at the end); without, they are let go of once printed.
    pub findings_at_the_end: bool,
}

impl Needs {
    /// Sets what a run keeps to what the printer needs.
    pub fn apply(self, options: &mut CheckOptions) {
        options.keep_occurrences = self.occurrences;
        options.counts_only = self.counts_only;
        options.drop_findings = !self.findings_at_the_end;
    }
}

/// A printer of a run: it says what it needs of the run, is handed each
/// document in order as the run is done with it, then the whole run.
pub trait Printer {
    /// What it needs of the run.
    fn needs(&self) -> Needs;

    /// Writes what it writes of one document, as the run hands it on (a
    /// printer that writes the whole run at once writes nothing here).
    fn document(&mut self, _document: &DocumentResult, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Writes what it writes once the run is over.
    fn finish(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

/// What a printer prints: a run's outcome and the glossary it was judged by.
pub struct Report<'a> {
    /// The glossary, for concept names and forms.
    pub glossary: &'a Glossary,
    /// What the run found.
    pub outcome: &'a Outcome,
    /// Findings below this severity are not shown (notes, by default).
    pub min_severity: Severity,
    /// The repository root, for paths relative to it (SARIF, GitHub).
    pub root: Option<PathBuf>,
}

impl Report<'_> {
    /// The findings to show, in order.
    pub fn shown(&self) -> impl Iterator<Item = &Finding> {
        self.outcome.findings().filter(move |f| f.severity >= self.min_severity)
    }

    /// Shown findings per severity, in [`Severity::ALL`] order (counted
    /// also when the findings themselves were dropped after printing).
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = self.outcome.finding_counts();
        for (severity, count) in Severity::ALL.iter().zip(counts.iter_mut()) {
            if *severity < self.min_severity {
                *count = 0;
            }
        }
        counts
    }

    /// Findings not shown because of `min_severity`.
    pub fn hidden(&self) -> usize {
        self.outcome.finding_counts().iter().sum::<usize>() - self.counts().iter().sum::<usize>()
    }

    /// A document path as the repository sees it: relative to the root, `/`
    /// separators; as shown when it is outside the root or is stdin.
    pub fn repo_path(&self, shown: &str) -> String {
        repo_path(self.root.as_deref(), shown)
    }
}

/// The documents of a run, as a summary says them: `3 files`, `4
/// records` (of corpora), `3 files, 4 records`.
pub fn documents(outcome: &Outcome) -> String {
    use crate::words::plural;
    let records = outcome.record_count();
    let files = outcome.document_count() - records;
    match (files, records) {
        (_, 0) => plural(files, "file"),
        (0, _) => plural(records, "record"),
        _ => format!("{}, {}", plural(files, "file"), plural(records, "record")),
    }
}

/// See [`Report::repo_path`].
pub fn repo_path(root: Option<&Path>, shown: &str) -> String {
    root.and_then(|root| crate::input::walk::relative_to(root, &crate::input::walk::path_of(shown)))
        .unwrap_or_else(|| shown.trim_start_matches("./").to_string())
}

/// Percent-encodes what may not stand in a URI reference (keeps `/`): the
/// bytes of the path a shown name stands for (see
/// [`crate::input::walk::display`]), so that a name that is not UTF-8 is
/// given exactly.
pub fn uri(path: &str) -> String {
    let real = crate::input::walk::path_of(path);
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(real.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = real.to_string_lossy().into_owned().into_bytes();
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// First Strong Isolate and Pop Directional Isolate (Unicode bidi).
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Whether `c` is a letter or mark of the Arabic script (and its
/// presentation forms).
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// An English message with every run of Arabic in it isolated (FSI …
/// PDI, U+2068 … U+2069), so that a terminal or a browser that applies the
/// bidirectional algorithm shows each Arabic term where the sentence has it:
/// without isolation, two quoted terms with only punctuation between
/// («…». «…») merge into one right-to-left run and swap, and "use «A». «B»
/// is…" reads "use «B» .«A» is…". A run is the Arabic between its first
/// and last Arabic character, spaces and punctuation within it included. A
/// message with no Arabic is returned as it is.
pub fn isolate_arabic(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.chars().any(is_arabic) {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len() + 16);
    let mut at = 0;
    while let Some(c) = message[at..].chars().next() {
        if !is_arabic(c) {
            out.push(c);
            at += c.len_utf8();
            continue;
        }
        // The run: on to the last Arabic character with only Arabic, spaces
        // and dashes between.
        let mut end = at;
        for (i, d) in message[at..].char_indices() {
            if is_arabic(d) {
                end = at + i + d.len_utf8();
            } else if !matches!(d, ' ' | '\u{A0}' | '-' | '–') {
                break;
            }
        }
        out.push(FSI);
        out.push_str(&message[at..end]);
        out.push(PDI);
        at = end;
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_bidi::{BidiInfo, Level};

    /// `line` as a left-to-right terminal shows it: the visual order of the
    /// Unicode bidirectional algorithm (the isolates kept, zero-width).
    fn visual(line: &str) -> String {
        let bidi = BidiInfo::new(line, Some(Level::ltr()));
        let paragraph = &bidi.paragraphs[0];
        bidi.reorder_line(paragraph, paragraph.range.clone()).into_owned()
    }

    fn reversed(text: &str) -> String {
        text.chars().rev().collect()
    }

    #[test]
    fn each_quoted_term_stays_after_its_english_words_when_isolated() {
        let (forbidden, preferred) = ("قوى الأمن الداخلي", "قوات الأمن العراقية");
        let message = format!(
            "«{forbidden}» is a forbidden rendering of ISF (Iraqi Security Forces); use «{preferred}». «{forbidden}» is another country's force."
        );
        // Where the term after "use" is shown: the first of the two
        // terms' (reversed) letters after it.
        let shown_after_use = |line: &str| {
            let visual = visual(line);
            let after = &visual[visual.find("use ").unwrap()..];
            let (f, p) = (after.find(&reversed(forbidden)), after.find(&reversed(preferred)));
            match (f, p) {
                (Some(f), Some(p)) if f < p => forbidden,
                (_, Some(_)) => preferred,
                _ => forbidden,
            }
        };
        // Without isolation the two quoted terms make one right-to-left run
        // and swap: "use" is followed by the forbidden form.
        assert_eq!(shown_after_use(&message), forbidden);
        let isolated = isolate_arabic(&message);
        assert_eq!(shown_after_use(&isolated), preferred);
        // Each Arabic run isolated once, whole: the spaces inside a term
        // are in it, the guillemets and English outside.
        assert_eq!(isolated.matches(FSI).count(), 3);
        assert!(isolated.contains(&format!("«{FSI}{preferred}{PDI}»")), "{isolated}");
        assert_eq!(isolate_arabic("no Arabic here"), "no Arabic here");
    }
}
