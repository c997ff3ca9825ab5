//! Inline pragmas that silence qamus where a rendering is intended, written in
//! each format's comment syntax:
//!
//! - `qamus-ignore-next-line [CONCEPT…]`: the line after the comment;
//! - `qamus-ignore-line [CONCEPT…]`: the comment's own line;
//! - `qamus-ignore [CONCEPT…]`: the whole file.
//!
//! Without concept ids a pragma covers every concept. Comments are
//! `<!-- … -->` in Markdown and HTML, and `# …` (a `#` at the start of a line
//! or after text) in plain text and PO files. In a Word or OpenDocument file
//! they are the document's comments (a reviewer's note in the margin): a
//! pragma starts anywhere in a comment and runs to the end of that
//! paragraph of it, and "line" means the paragraph the comment is attached
//! to.

use std::collections::HashMap;

use super::{Document, Format};

/// Which concepts a pragma covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every concept.
    All,
    /// These concept ids.
    Concepts(Vec<String>),
}

impl Scope {
    /// Whether the scope covers a concept id.
    pub fn covers(&self, concept: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Concepts(ids) => ids.iter().any(|id| id == concept),
        }
    }

    fn merge(&mut self, other: Scope) {
        match (self as &mut Scope, other) {
            (Scope::All, _) => {}
            (this, Scope::All) => *this = Scope::All,
            (Scope::Concepts(a), Scope::Concepts(b)) => a.extend(b),
        }
    }
}

/// The pragmas of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppressions {
    lines: HashMap<usize, Scope>,
    file: Option<Scope>,
    /// Concept ids named in pragmas, with the line, to check against the glossary.
    pub named: Vec<(String, usize)>,
}

impl Suppressions {
    /// Whether a finding about `concept` on `line` is silenced.
    pub fn covers(&self, line: usize, concept: &str) -> bool {
        self.file.as_ref().is_some_and(|s| s.covers(concept)) || self.lines.get(&line).is_some_and(|s| s.covers(concept))
    }

    /// Whether the document has no pragma.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.file.is_none()
    }

    fn add(&mut self, kind: &str, scope: Scope, first_line: usize, last_line: usize) {
        if let Scope::Concepts(ids) = &scope {
            self.named.extend(ids.iter().map(|id| (id.clone(), first_line)));
        }
        let target = match kind {
            "qamus-ignore-next-line" => Some(last_line + 1),
            "qamus-ignore-line" => Some(first_line),
            _ => None,
        };
        match target {
            Some(line) => match self.lines.get_mut(&line) {
                Some(existing) => existing.merge(scope),
                None => {
                    self.lines.insert(line, scope);
                }
            },
            None => match &mut self.file {
                Some(existing) => existing.merge(scope),
                None => self.file = Some(scope),
            },
        }
    }
}

/// Finds the pragmas in a document's text.
pub fn scan(text: &str, format: Format) -> Suppressions {
    let mut found = Suppressions::default();
    if memchr::memmem::find(text.as_bytes(), b"qamus-ignore").is_none() {
        return found;
    }
    match format {
        Format::Po => scan_po(text, &mut found),
        Format::Json | Format::Docx | Format::Odt => {}
        Format::Markdown | Format::Html | Format::Xliff | Format::Tmx => {
            let mut rest = text;
            let mut offset = 0;
            while let Some(start) = rest.find("<!--") {
                let body_start = start + 4;
                let end = rest[body_start..].find("-->").map_or(rest.len(), |e| body_start + e);
                let first_line = line_of(text, offset + start);
                let last_line = line_of(text, offset + end);
                parse_comment(&rest[body_start..end], first_line, last_line, &mut found);
                let next = (end + 3).min(rest.len());
                offset += next;
                rest = &rest[next..];
            }
        }
        Format::Text | Format::Yaml => {
            for (i, line) in text.lines().enumerate() {
                if let Some(hash) = line.find('#') {
                    parse_comment(&line[hash + 1..], i + 1, i + 1, &mut found);
                }
            }
        }
    }
    found
}

/// The pragmas of a document: in its text, or, for a Word or OpenDocument
/// file, in its comments.
pub fn scan_document(document: &Document) -> Suppressions {
    match document.format {
        Format::Docx | Format::Odt => {
            let mut found = Suppressions::default();
            for (line, comment) in &document.comments {
                // The pragma runs to the end of the comment's paragraph.
                if let Some(at) = comment.find("qamus-ignore") {
                    let pragma = comment[at..].lines().next().unwrap_or_default();
                    parse_comment(pragma, *line, *line, &mut found);
                }
            }
            found
        }
        format => scan(&document.text, format),
    }
}

/// PO: a pragma in an entry's translator comments (`# qamus-ignore-line`,
/// `# qamus-ignore-next-line`) covers that entry, down to the blank line that
/// ends it; `# qamus-ignore` covers the file.
fn scan_po(text: &str, found: &mut Suppressions) {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix('#') else { continue };
        if comment.starts_with([',', ':', '.', '|', '~']) {
            continue;
        }
        let end = lines[i..].iter().position(|l| l.trim().is_empty()).map_or(lines.len(), |p| i + p);
        let mut entry = Suppressions::default();
        parse_comment(comment, i + 1, i + 1, &mut entry);
        if let Some(scope) = entry.file {
            found.add("qamus-ignore", scope, i + 1, i + 1);
        }
        for (_, scope) in entry.lines {
            for line in i + 1..=end {
                found.add("qamus-ignore-line", scope.clone(), line, line);
            }
        }
        found.named.extend(entry.named);
    }
}

/// The scope of a `qamus-ignore…` pragma anywhere in a unit's note, if any.
pub fn note_scope(note: &str) -> Option<Scope> {
    let at = note.find("qamus-ignore")?;
    let mut found = Suppressions::default();
    parse_comment(&note[at..], 1, 1, &mut found);
    found.file.or_else(|| found.lines.into_values().next())
}

fn line_of(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    before.iter().filter(|&&b| b == b'\n').count() + 1
}

fn parse_comment(body: &str, first_line: usize, last_line: usize, found: &mut Suppressions) {
    let mut words = body.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
    let Some(kind) = words.next() else { return };
    if !matches!(kind, "qamus-ignore" | "qamus-ignore-line" | "qamus-ignore-next-line") {
        return;
    }
    let ids: Vec<String> = words.map(str::to_string).collect();
    let scope = if ids.is_empty() { Scope::All } else { Scope::Concepts(ids) };
    found.add(kind, scope, first_line, last_line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_comments() {
        let text = "a\n<!-- qamus-ignore-next-line -->\nb\nc <!-- qamus-ignore-line hmc, isf -->\n<!-- qamus-ignore sfa -->\n";
        let s = scan(text, Format::Markdown);
        assert!(s.covers(3, "anything"));
        assert!(!s.covers(1, "anything"));
        assert!(s.covers(4, "hmc") && s.covers(4, "isf") && !s.covers(4, "jscd"));
        assert!(s.covers(1, "sfa") && s.covers(99, "sfa"));
        assert_eq!(s.named.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), vec!["hmc", "isf", "sfa"]);
    }

    #[test]
    fn hash_comments_in_text() {
        let s = scan("# qamus-ignore-next-line\nنص\nنص # qamus-ignore-line\n", Format::Text);
        assert!(s.covers(2, "x") && s.covers(3, "x") && !s.covers(1, "x"));
    }

    #[test]
    fn a_multi_line_comment_silences_the_line_after_it_ends() {
        let s = scan("<!--\nqamus-ignore-next-line\n-->\nنص\n", Format::Markdown);
        assert!(s.covers(4, "x"));
    }

    #[test]
    fn other_words_are_not_pragmas() {
        assert!(scan("# qamus-ignored\n# see qamus-ignore-line\n", Format::Text).is_empty());
    }
}
