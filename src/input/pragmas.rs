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
//!
//! Linear in the text: comments are found in one pass, each line number
//! counted on from the previous comment's; a PO entry's end is found once
//! for all its comment lines, and a pragma over an entry is kept as the line
//! it starts on, not copied to each line it covers.

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
    /// PO entries with pragmas, in order of their lines (which never overlap).
    entries: Vec<EntryPragmas>,
    file: Option<Scope>,
    /// Concept ids named in pragmas, with the line, to check against the glossary.
    pub named: Vec<(String, usize)>,
}

/// The line pragmas of one PO entry: each covers the lines from its own
/// comment line to the entry's last line, so one covers a concept from the
/// first line any pragma naming it (or naming none) is on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EntryPragmas {
    /// The entry's last line.
    last: usize,
    /// The first line a pragma for every concept covers.
    all_from: Option<usize>,
    /// For each concept named, the first line a pragma naming it covers.
    concepts: HashMap<String, usize>,
}

impl EntryPragmas {
    fn covers(&self, line: usize, concept: &str) -> bool {
        line <= self.last
            && (self.all_from.is_some_and(|from| from <= line) || self.concepts.get(concept).is_some_and(|&from| from <= line))
    }
}

impl Suppressions {
    /// Whether a finding about `concept` on `line` is silenced.
    pub fn covers(&self, line: usize, concept: &str) -> bool {
        self.file.as_ref().is_some_and(|s| s.covers(concept))
            || self.lines.get(&line).is_some_and(|s| s.covers(concept))
            || self.entry_covers(line, concept)
    }

    fn entry_covers(&self, line: usize, concept: &str) -> bool {
        let entry = self.entries.partition_point(|e| e.last < line);
        self.entries.get(entry).is_some_and(|e| e.covers(line, concept))
    }

    /// Whether the document has no pragma.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.entries.is_empty() && self.file.is_none()
    }

    /// A pragma covering the lines from `first` to `last`, the last line of
    /// a PO entry: pragmas with the same last line are of the same entry,
    /// and entries come in order.
    fn add_to_entry(&mut self, scope: Scope, first: usize, last: usize) {
        if self.entries.last().is_none_or(|e| e.last != last) {
            self.entries.push(EntryPragmas { last, all_from: None, concepts: HashMap::new() });
        }
        let Some(entry) = self.entries.last_mut() else { return };
        match scope {
            Scope::All => {
                entry.all_from.get_or_insert(first);
            }
            Scope::Concepts(ids) => {
                for id in ids {
                    entry.concepts.entry(id).or_insert(first);
                }
            }
        }
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
            let mut lines = LineCounter::default();
            while let Some(start) = rest.find("<!--") {
                let body_start = start + 4;
                let end = rest[body_start..].find("-->").map_or(rest.len(), |e| body_start + e);
                let first_line = lines.line_of(text, offset + start);
                let last_line = lines.line_of(text, offset + end);
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
    // The index of the first blank line at or after the last line asked
    // about (the end of its entry), found once for all the entry's lines.
    let mut blank: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let Some(comment) = line.trim_start().strip_prefix('#') else { continue };
        if comment.starts_with([',', ':', '.', '|', '~']) {
            continue;
        }
        let end = match blank {
            Some(end) if end >= i => end,
            _ => *blank.insert(lines[i..].iter().position(|l| l.trim().is_empty()).map_or(lines.len(), |p| i + p)),
        };
        let mut entry = Suppressions::default();
        parse_comment(comment, i + 1, i + 1, &mut entry);
        // Its concepts are named once, on its line (`entry.named`).
        if let Some(scope) = entry.file {
            match &mut found.file {
                Some(existing) => existing.merge(scope),
                None => found.file = Some(scope),
            }
        }
        for (_, scope) in entry.lines {
            found.add_to_entry(scope, i + 1, end);
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

/// Line numbers (counted by `\n`) of offsets asked in increasing order,
/// each counted on from the one before.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    breaks: usize,
}

impl LineCounter {
    /// The 1-based line of `offset`, no smaller than the last one asked.
    fn line_of(&mut self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.breaks += memchr::memchr_iter(b'\n', &text.as_bytes()[self.offset..offset]).count();
        self.offset = offset;
        self.breaks + 1
    }
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

    /// The pragmas as they were found before the scan was made linear: each
    /// comment's lines counted from the start of the text, each PO comment
    /// line looking for the end of its entry, and a PO pragma copied to every
    /// line it covers (and its concepts named again for each).
    fn scan_before(text: &str, format: Format) -> Suppressions {
        let line_of = |offset: usize| text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1;
        let mut found = Suppressions::default();
        if !text.contains("qamus-ignore") {
            return found;
        }
        match format {
            Format::Po => {
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
            Format::Markdown => {
                let mut rest = text;
                let mut offset = 0;
                while let Some(start) = rest.find("<!--") {
                    let body_start = start + 4;
                    let end = rest[body_start..].find("-->").map_or(rest.len(), |e| body_start + e);
                    parse_comment(&rest[body_start..end], line_of(offset + start), line_of(offset + end), &mut found);
                    let next = (end + 3).min(rest.len());
                    offset += next;
                    rest = &rest[next..];
                }
            }
            _ => unreachable!(),
        }
        found
    }

    /// Whether two scans silence the same findings on lines up to `lines`.
    fn same_cover(a: &Suppressions, b: &Suppressions, lines: usize) -> bool {
        a.is_empty() == b.is_empty()
            && (0..=lines + 1).all(|line| ["hmc", "isf", "jscd", "x"].iter().all(|c| a.covers(line, c) == b.covers(line, c)))
    }

    #[test]
    fn silences_every_line_as_it_did_before_it_was_linear() {
        let po = [
            "# qamus-ignore-line hmc\n",
            "# qamus-ignore-next-line\n",
            "#qamus-ignore-line isf, jscd\n",
            "# qamus-ignore x\n",
            "#, fuzzy\n",
            "#. qamus-ignore-line\n",
            "msgid \"a\"\n",
            "msgstr \"ب\"\n",
            "\n",
            "  \n",
            "# note\n",
        ];
        for text in crate::input::testing::random_texts(23, &po, 16, 20_000) {
            let (now, before) = (scan(&text, Format::Po), scan_before(&text, Format::Po));
            assert!(same_cover(&now, &before, text.lines().count()), "{text:?}");
            // Each concept is named once a pragma, on the pragma's line
            // (before, again for every line the pragma covered).
            let mut named = now.named.clone();
            named.dedup();
            assert_eq!(named, now.named, "{text:?}");
            assert!(now.named.iter().all(|n| before.named.contains(n)), "{text:?}");
        }
        let markdown = [
            "<!-- qamus-ignore-line hmc -->",
            "<!-- qamus-ignore-next-line -->",
            "<!--\nqamus-ignore-next-line isf\n-->",
            "<!-- qamus-ignore jscd -->",
            "<!--",
            "-->",
            "\n",
            "نص ",
        ];
        for text in crate::input::testing::random_texts(29, &markdown, 16, 20_000) {
            let (now, before) = (scan(&text, Format::Markdown), scan_before(&text, Format::Markdown));
            assert!(same_cover(&now, &before, text.lines().count()), "{text:?}");
            assert_eq!(now.named, before.named, "{text:?}");
        }
    }

    #[test]
    fn a_po_pragma_names_its_concepts_once() {
        // Before, a line pragma named them again for every line it covered,
        // and a file pragma twice: a notice each time for an unknown one.
        let s = scan("# qamus-ignore-line xyz\nmsgid \"a\"\nmsgstr \"ن\"\n\n# qamus-ignore abc\nmsgid \"b\"\n", Format::Po);
        assert_eq!(s.named, vec![("xyz".to_string(), 1), ("abc".to_string(), 5)]);
        assert!(s.covers(3, "xyz") && !s.covers(4, "xyz") && !s.covers(5, "xyz"));
        assert!(s.covers(1, "abc") && s.covers(6, "abc"));
    }

    #[test]
    fn pathological_comments_are_scanned_in_one_pass() {
        use crate::input::testing::{pathological, BYTES};
        for (kind, format) in [
            ("html-comments-after-a-pragma", Format::Html),
            ("markdown-comments-after-a-pragma", Format::Markdown),
            ("po-pragma-lines", Format::Po),
        ] {
            let (mut text, _) = pathological(kind, BYTES);
            let lines = text.lines().count();
            if format == Format::Po {
                // One pragma a comment line, each over the rest of the entry.
                let s = scan(&text, format);
                assert_eq!(s.named.len(), lines - 2, "{kind}");
                assert!((1..=lines).all(|line| s.covers(line, "jscd") && !s.covers(line, "hmc")), "{kind}");
                assert!(!s.covers(lines + 1, "jscd"), "{kind}");
                continue;
            }
            // A pragma after all the comments, on the term's line.
            text.push_str("<!-- qamus-ignore-line hmc -->\n");
            let s = scan(&text, format);
            assert!(s.covers(1, "jscd") && !s.covers(2, "jscd"), "{kind}");
            assert!(s.covers(lines + 1, "hmc") && !s.covers(lines, "hmc"), "{kind}");
        }
    }
}
