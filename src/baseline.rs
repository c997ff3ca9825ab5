//! Baselines: today's findings recorded in a file (`--write-baseline`), so that
//! from then on only new findings count (`--baseline`). An entry is matched on
//! path, rule, concept, the surface and the words around it on its line — not
//! on line numbers — so it survives edits elsewhere in the file. Entries are
//! counted: two identical findings need two entries.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::glossary::Glossary;
use crate::judge::Finding;

/// Format version written in every baseline.
pub const VERSION: u32 = 1;

/// Words of context on each side that a baseline entry keeps.
const CONTEXT_WORDS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    rule: String,
    concept: String,
    surface: String,
    before: String,
    after: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    findings: Vec<Entry>,
}

/// A loaded baseline.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<Entry, usize>,
}

fn entry(finding: &Finding, glossary: &Glossary) -> Entry {
    let words = |s: &str, from_end: bool| {
        let w: Vec<&str> = s.trim_matches('…').split_whitespace().collect();
        let w = if from_end { &w[w.len().saturating_sub(CONTEXT_WORDS)..] } else { &w[..w.len().min(CONTEXT_WORDS)] };
        w.join(" ")
    };
    Entry {
        path: finding.path.clone(),
        rule: finding.rule.id().to_string(),
        concept: glossary.concepts[finding.at.concept].id.clone(),
        surface: finding.at.surface.clone(),
        before: words(&finding.at.context.before, true),
        after: words(&finding.at.context.after, false),
    }
}

impl Baseline {
    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| crate::input::io_error(e, &shown))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| Error::new(ErrorKind::Usage(format!("not a qamus baseline: {e}")), &shown).at(e.line(), Some(e.column())))?;
        if file.version != VERSION {
            return Err(Error::new(ErrorKind::Usage(format!("baseline version {} is not {VERSION}", file.version)), &shown));
        }
        let mut counts = HashMap::new();
        for e in file.findings {
            *counts.entry(e).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Removes the findings the baseline records; returns how many it removed.
    pub fn filter(&mut self, findings: &mut Vec<Finding>, glossary: &Glossary) -> usize {
        let before = findings.len();
        findings.retain(|f| match self.counts.get_mut(&entry(f, glossary)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        before - findings.len()
    }

    /// Writes the findings as a baseline file, atomically.
    pub fn write(path: &Path, findings: &[Finding], glossary: &Glossary) -> Result<()> {
        let file = File { version: VERSION, findings: findings.iter().map(|f| entry(f, glossary)).collect() };
        crate::output::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, &file)?;
            writeln!(w)
        })
    }
}
