//! Text units and their maps back to the file. A reader that unescapes
//! (PO strings, XML entities, JSON escapes) or joins text around inline tags
//! builds a unit's text piece by piece with [`UnitBuilder`], which records for
//! every piece where it stands in the file, so that a match inside the unit
//! reports the line and column of the characters themselves.

use std::sync::Arc;

use super::Text;

/// One contiguous piece of a unit: `unit_len` bytes of unit text from
/// `doc_len` bytes of the file. Equal lengths map byte for byte; otherwise
/// (an escape, an entity) the piece maps as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    unit: usize,
    doc: usize,
    unit_len: usize,
    doc_len: usize,
}

/// Maps byte offsets in a unit's text to byte offsets in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Vec<Piece>,
}

impl OffsetMap {
    /// The identity map of a unit that is the document slice starting at `start`.
    pub fn identity(start: usize, len: usize) -> OffsetMap {
        OffsetMap { pieces: vec![Piece { unit: 0, doc: start, unit_len: len, doc_len: len }] }
    }

    fn piece(&self, offset: usize) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.unit + p.unit_len <= offset);
        self.pieces.get(i).or(self.pieces.last())
    }

    /// The document offset of the unit byte `offset` (a start).
    pub fn start(&self, offset: usize) -> usize {
        match self.piece(offset) {
            Some(p) if p.unit_len == p.doc_len => p.doc + offset.saturating_sub(p.unit).min(p.doc_len),
            Some(p) if offset >= p.unit + p.unit_len => p.doc + p.doc_len,
            Some(p) => p.doc,
            None => 0,
        }
    }

    /// The document offset just past the unit byte range ending at `offset`.
    pub fn end(&self, offset: usize) -> usize {
        if offset == 0 {
            return self.start(0);
        }
        match self.piece(offset - 1) {
            Some(p) if p.unit_len == p.doc_len => p.doc + (offset - p.unit).min(p.doc_len),
            Some(p) => p.doc + p.doc_len,
            None => 0,
        }
    }
}

/// One side of a unit (source or target): its text and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The text, unescaped, placeholders blanked (what is matched).
    pub text: Arc<Text>,
    /// The same text with its placeholders, byte for byte as long (what is
    /// shown); shared with `text` when there are none.
    pub shown: Arc<Text>,
    /// Where each byte of `text` stands in the file.
    pub map: OffsetMap,
}

/// A stretch of a document to check: the (Arabic) target text, and the
/// (English) source when the format has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The text to match.
    pub target: Side,
    /// The source it translates, if the format holds one.
    pub source: Option<Side>,
    /// The unit's id or context (msgctxt + msgid, trans-unit id, key path).
    pub id: Option<String>,
    /// The unit's notes (XLIFF `<note>`), where a `qamus-ignore` pragma may
    /// silence the unit.
    pub note: Option<String>,
}

impl Unit {
    /// A unit without a source.
    pub fn monolingual(target: Side) -> Unit {
        Unit { target, source: None, id: None, note: None }
    }
}

/// Builds a [`Side`] piece by piece.
#[derive(Debug, Default)]
pub struct UnitBuilder {
    text: String,
    pieces: Vec<Piece>,
}

impl UnitBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends text copied verbatim from the document at `doc`.
    pub fn copy(&mut self, text: &str, doc: usize) {
        if text.is_empty() {
            return;
        }
        // Extend the last piece when this one continues it.
        if let Some(last) = self.pieces.last_mut() {
            if last.unit_len == last.doc_len && last.doc + last.doc_len == doc && last.unit + last.unit_len == self.text.len() {
                last.unit_len += text.len();
                last.doc_len += text.len();
                self.text.push_str(text);
                return;
            }
        }
        self.pieces.push(Piece { unit: self.text.len(), doc, unit_len: text.len(), doc_len: text.len() });
        self.text.push_str(text);
    }

    /// Appends text that stands for `doc_len` bytes of the document at `doc`
    /// (an escape or an entity).
    pub fn escape(&mut self, text: &str, doc: usize, doc_len: usize) {
        if text.is_empty() {
            return;
        }
        self.pieces.push(Piece { unit: self.text.len(), doc, unit_len: text.len(), doc_len });
        self.text.push_str(text);
    }

    /// Appends a separator that no term may run across (an inline
    /// placeholder, a `<ph/>`), standing at `doc`.
    pub fn barrier(&mut self, doc: usize) {
        self.escape("\u{1F}", doc, 0);
    }

    /// Whether nothing was appended.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The finished side, with placeholders blanked.
    pub fn finish(self) -> Side {
        let blanked = super::placeholders::blank(&self.text);
        let text = if blanked == self.text { None } else { Some(Arc::new(Text::from(blanked))) };
        let shown = Arc::new(Text::from(self.text));
        let text = text.unwrap_or_else(|| Arc::clone(&shown));
        Side { text, shown, map: OffsetMap { pieces: self.pieces } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_map_as_a_whole_and_copies_byte_for_byte() {
        // Document: `"ab\"cd"` with the unit `ab"cd`, the escape at 3..5.
        let mut b = UnitBuilder::new();
        b.copy("ab", 1);
        b.escape("\"", 3, 2);
        b.copy("cd", 5);
        let side = b.finish();
        assert_eq!(side.text.as_str(), "ab\"cd");
        assert_eq!(side.map.start(0), 1);
        assert_eq!(side.map.start(2), 3);
        assert_eq!(side.map.end(3), 5);
        assert_eq!(side.map.start(3), 5);
        assert_eq!(side.map.end(5), 7);
    }

    #[test]
    fn contiguous_copies_merge() {
        let mut b = UnitBuilder::new();
        b.copy("ab", 10);
        b.copy("cd", 12);
        let side = b.finish();
        assert_eq!(side.map.pieces.len(), 1);
        assert_eq!(side.map.start(3), 13);
    }
}
