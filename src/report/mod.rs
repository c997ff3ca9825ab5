//! Reports: one printer per output format, all reading the same judged data.
//! Streaming printers (text, jsonl, github) write each document as the run
//! hands it on and a closing part from the [`Report`]; whole-run printers
//! (json, sarif) write once from the [`Report`]. A printer decides layout only;
//! what was found and how serious it is was settled before.

pub mod consistency;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod markdown;
pub mod sarif;
pub mod terminal;

use std::path::{Path, PathBuf};

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

/// See [`Report::repo_path`].
pub fn repo_path(root: Option<&Path>, shown: &str) -> String {
    root.and_then(|root| crate::check::relative_to(root, Path::new(shown))).unwrap_or_else(|| shown.trim_start_matches("./").to_string())
}

/// The root of the repository the run is in: `$GITHUB_WORKSPACE` when set,
/// else the nearest ancestor of the current directory with a `.git`, else the
/// current directory; made canonical.
pub fn repository_root() -> Option<PathBuf> {
    if let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) {
        return std::fs::canonicalize(workspace).ok();
    }
    let cwd = std::fs::canonicalize(std::env::current_dir().ok()?).ok()?;
    let mut dir = Some(cwd.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    Some(cwd)
}

/// Percent-encodes what may not stand in a URI reference (keeps `/`).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
