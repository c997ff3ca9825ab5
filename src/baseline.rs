//! Baselines: today's findings recorded in a file (`--write-baseline`), so that
//! from then on only new findings count (`--baseline`). An entry is matched on
//! path, rule, concept, the surface and the words around it on its line — not
//! on line numbers — so it survives edits elsewhere in the file. Entries are
//! counted: two identical findings need two entries.
//!
//! Paths are stored relative to the baseline's root — the nearest folder at
//! or above the baseline file that holds `.git`, else the baseline's own
//! folder — with `/` separators, so that a baseline written from the root
//! with `./locales` matches a run from a subfolder, or with `locales`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

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
    /// The folder paths are relative to (canonical).
    root: PathBuf,
    /// The paths of the documents filtered, as stored.
    seen: HashSet<String>,
}

/// The folder a baseline's paths are relative to: the nearest at or above
/// the baseline file's folder that holds `.git`, else that folder.
fn root_of(baseline: &Path) -> Result<PathBuf> {
    let folder = match baseline.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let shown = folder.display().to_string();
    let folder = std::fs::canonicalize(&folder).map_err(|e| crate::input::io_error(e, &shown))?;
    Ok(folder.ancestors().find(|d| d.join(".git").exists()).unwrap_or(&folder).to_path_buf())
}

/// A document's path as a baseline stores it: relative to `root` when the
/// file is under it, else as shown; `/` separators, no leading `./`.
fn stored_path(root: &Path, shown: &str) -> String {
    crate::input::walk::relative_to(root, &crate::input::walk::path_of(shown)).unwrap_or_else(|| normalized(shown))
}

/// A path as shown, or as an older baseline stored it, in the stored form
/// (no leading `./`; a backslash is part of an escaped name, see
/// [`crate::input::walk::display`]).
fn normalized(path: &str) -> String {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    path.to_string()
}

fn entry(finding: &Finding, path: &str, glossary: &Glossary) -> Entry {
    let words = |s: &str, from_end: bool| {
        let w: Vec<&str> = s.trim_matches('…').split_whitespace().collect();
        let w = if from_end { &w[w.len().saturating_sub(CONTEXT_WORDS)..] } else { &w[..w.len().min(CONTEXT_WORDS)] };
        w.join(" ")
    };
    Entry {
        path: path.to_string(),
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
        let bytes = crate::input::read_whole_file(path, "a baseline", crate::input::MAX_FILE_BYTES)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::new(ErrorKind::Baseline(format!("not a qamus baseline: invalid UTF-8 at byte {}", e.utf8_error().valid_up_to())), &shown)
        })?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| Error::new(ErrorKind::Baseline(format!("not a qamus baseline: {e}")), &shown).at(e.line(), Some(e.column())))?;
        if file.version != VERSION {
            return Err(Error::new(ErrorKind::Baseline(format!("baseline version {} is not {VERSION}", file.version)), &shown));
        }
        let mut counts = HashMap::new();
        for mut e in file.findings {
            e.path = normalized(&e.path);
            *counts.entry(e).or_insert(0) += 1;
        }
        Ok(Baseline { counts, root: root_of(path)?, seen: HashSet::new() })
    }

    /// Removes the findings of the document in the file shown as `path`
    /// (for a record of a corpus, its file) that the baseline records;
    /// returns how many it removed.
    pub fn filter(&mut self, path: &str, findings: &mut Vec<Finding>, glossary: &Glossary) -> usize {
        let stored = stored_path(&self.root, path);
        let before = findings.len();
        findings.retain(|f| match self.counts.get_mut(&entry(f, &stored, glossary)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        self.seen.insert(stored);
        before - findings.len()
    }

    /// The entries for the documents filtered so far that matched no
    /// finding: what was fixed (or whose words changed) since the baseline
    /// was written. Entries for files not checked are not counted.
    pub fn unmatched(&self) -> usize {
        self.counts.iter().filter(|(e, _)| self.seen.contains(&e.path)).map(|(_, n)| n).sum()
    }

    /// The findings as the baseline file to be written at `path` (its
    /// paths are relative to the root above it), its bytes.
    pub fn to_bytes(path: &Path, findings: &[Finding], glossary: &Glossary) -> Result<Vec<u8>> {
        let root = root_of(path)?;
        let mut paths: HashMap<&str, String> = HashMap::new();
        let mut entries = Vec::with_capacity(findings.len());
        for f in findings {
            // A record's findings are stored under its file, not its line:
            // a record added above does not change them.
            let stored = paths.entry(f.file()).or_insert_with(|| stored_path(&root, f.file()));
            entries.push(entry(f, stored, glossary));
        }
        let file = File { version: VERSION, findings: entries };
        let shown = path.display().to_string();
        let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| crate::input::io_error(e.into(), &shown))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
