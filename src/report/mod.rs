//! Reports: one printer per output format, all reading the same judged data
//! ([`Report`]). A printer decides layout only; what was found and how serious
//! it is was settled before.

pub mod json;
pub mod terminal;

use crate::check::Outcome;
use crate::glossary::Glossary;
use crate::judge::{Finding, Severity};

/// What a printer prints: a run's outcome and the glossary it was judged by.
pub struct Report<'a> {
    /// The glossary, for concept names and forms.
    pub glossary: &'a Glossary,
    /// What the run found.
    pub outcome: &'a Outcome,
    /// Findings below this severity are not shown (notes, by default).
    pub min_severity: Severity,
}

impl Report<'_> {
    /// The findings to show, in order.
    pub fn shown(&self) -> impl Iterator<Item = &Finding> {
        self.outcome.findings.iter().filter(move |f| f.severity >= self.min_severity)
    }

    /// Shown findings per severity, in [`Severity::ALL`] order.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for finding in self.shown() {
            counts[Severity::ALL.iter().position(|s| *s == finding.severity).unwrap_or(3)] += 1;
        }
        counts
    }

    /// Findings not shown because of `min_severity`.
    pub fn hidden(&self) -> usize {
        self.outcome.findings.len() - self.shown().count()
    }
}
