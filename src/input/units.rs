//! Text units and their maps back to the file. A reader that unescapes
//! (PO strings, XML entities, JSON escapes) or joins text around inline tags
//! builds a unit's text piece by piece with [`UnitBuilder`], which records for
//! every piece where it stands in the file, so that a match inside the unit
//! reports the line and column of the characters themselves.
//!
//! What a unit holds is small and mostly not allocated apart (issue 31,
//! item 13: a locale file of short strings cost 400 bytes a string): its
//! text is a [`TextRef`], a range of a buffer shared by the document's
//! units — the document's own text where the unit is a slice of it
//! unchanged (nearly every string of a locale file or catalogue), else
//! the text its reader unescaped into one arena a document ([`Texts`]);
//! and its map holds one byte-for-byte piece inline.

use std::sync::Arc;

use super::Text;

/// A stretch of text in a buffer shared by many units (the document's
/// text, or the arena of what its reader unescaped; see [`Texts`]).
/// Sixteen bytes, nothing allocated apart; clones share the buffer.
/// Dereferences to `str`.
#[derive(Clone)]
pub struct TextRef {
    buf: Arc<Text>,
    start: u32,
    /// [`WHOLE`] for the whole buffer, however long.
    len: u32,
}

/// The length of a [`TextRef`] that is its whole buffer.
const WHOLE: u32 = u32::MAX;

impl TextRef {
    /// The whole of `buf`.
    pub fn whole(buf: Arc<Text>) -> TextRef {
        TextRef { buf, start: 0, len: WHOLE }
    }

    /// The bytes `range` of `buf` (a range past what 32 bits count is
    /// copied into a buffer of its own).
    pub fn new(buf: &Arc<Text>, range: std::ops::Range<usize>) -> TextRef {
        if range.start == 0 && range.end == buf.len() {
            return TextRef::whole(Arc::clone(buf));
        }
        match (u32::try_from(range.start), u32::try_from(range.len())) {
            (Ok(start), Ok(len)) if len < WHOLE && u32::try_from(range.end).is_ok() => TextRef { buf: Arc::clone(buf), start, len },
            _ => TextRef::whole(Arc::new(Text::from(&buf[range]))),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        if self.len == WHOLE {
            return self.buf.as_str();
        }
        let start = self.start as usize;
        // Always a range of the buffer (an arena's before it is given its
        // text is empty: the text is then read through [`Texts::text_of`]).
        self.buf.get(start..start + self.len as usize).unwrap_or("")
    }

    /// Whether both are the same stretch of the same buffer (not only the
    /// same text).
    pub fn same(a: &TextRef, b: &TextRef) -> bool {
        Arc::ptr_eq(&a.buf, &b.buf) && a.start == b.start && a.len == b.len
    }
}

impl From<Arc<Text>> for TextRef {
    fn from(buf: Arc<Text>) -> TextRef {
        TextRef::whole(buf)
    }
}

impl std::ops::Deref for TextRef {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for TextRef {
    fn eq(&self, other: &TextRef) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextRef {}

impl std::fmt::Debug for TextRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for TextRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Where the units of one document keep their text: the document's own
/// text, for a unit that is a slice of it unchanged (no copy), and one
/// arena for the rest (what was unescaped, ids, key paths), rather than
/// a buffer a unit. A reader makes its units with [`UnitBuilder::finish_in`]
/// and [`Texts::push`], then gives them their text with [`Texts::fix`]:
/// until then a unit's text in the arena reads as empty, except through
/// [`Texts::text_of`].
pub struct Texts {
    doc: Option<Arc<Text>>,
    arena: String,
    /// What the refs into `arena` point at until [`Texts::fix`].
    pending: Arc<Text>,
    /// Arenas filled (past what 32 bits count), each with what its refs
    /// point at until [`Texts::fix`].
    filled: Vec<(Arc<Text>, Arc<Text>)>,
}

/// The most an arena holds before another is begun.
const ARENA_BYTES: usize = (WHOLE - 1) as usize;

impl Texts {
    /// Texts for the units of `doc` (`None`: every unit's text goes into
    /// the arena).
    pub fn new(doc: Option<Arc<Text>>) -> Texts {
        Texts { doc, arena: String::new(), pending: Arc::new(Text::from(String::new())), filled: Vec::new() }
    }

    /// `text`, kept in the arena.
    pub fn push(&mut self, text: &str) -> TextRef {
        self.push_parts(&[text], "")
    }

    /// `parts` joined with `separator`, kept in the arena (a key path).
    pub fn push_parts<S: AsRef<str>>(&mut self, parts: &[S], separator: &str) -> TextRef {
        let len = parts.iter().map(|p| p.as_ref().len()).sum::<usize>() + separator.len() * parts.len().saturating_sub(1);
        if len >= ARENA_BYTES {
            let mut own = String::with_capacity(len);
            push_joined(&mut own, parts, separator);
            return TextRef::whole(Arc::new(Text::from(own)));
        }
        if self.arena.len() + len > ARENA_BYTES {
            let full = std::mem::take(&mut self.arena);
            let pending = std::mem::replace(&mut self.pending, Arc::new(Text::from(String::new())));
            self.filled.push((pending, Arc::new(Text::from(full))));
        }
        let start = self.arena.len();
        push_joined(&mut self.arena, parts, separator);
        // Both fit in 32 bits: the arena holds less than `ARENA_BYTES`.
        TextRef { buf: Arc::clone(&self.pending), start: start as u32, len: len as u32 }
    }

    /// The text of `r`, whether its arena has been given its text yet or not.
    pub fn text_of<'a>(&'a self, r: &'a TextRef) -> &'a str {
        let range = || r.start as usize..r.start as usize + r.len as usize;
        if Arc::ptr_eq(&r.buf, &self.pending) {
            return self.arena.get(range()).unwrap_or("");
        }
        match self.filled.iter().find(|(pending, _)| Arc::ptr_eq(&r.buf, pending)) {
            Some((_, full)) => full.get(range()).unwrap_or(""),
            None => r.as_str(),
        }
    }

    /// The side `builder` makes: a slice of the document where it is one
    /// unchanged, else its text in the arena.
    fn side(&mut self, text: String, blanked: Option<String>, pieces: Vec<Piece>) -> Side {
        let map = OffsetMap::from_pieces(pieces);
        if let (Some(doc), None, Some((start, len))) = (&self.doc, &blanked, map.identity_range()) {
            if doc.get(start..start + len) == Some(text.as_str()) {
                let text = TextRef::new(doc, start..start + len);
                return Side { shown: text.clone(), text, map };
            }
        }
        let shown = self.push(&text);
        let text = match blanked {
            Some(blanked) => self.push(&blanked),
            None => shown.clone(),
        };
        Side { text, shown, map }
    }

    /// Gives the refs made by [`Texts::push`] their text: `each` is called
    /// with a function that fixes one ref, and must call it on every ref
    /// this made (those of every unit, id and key kept).
    pub fn fix(self, each: impl FnOnce(&dyn Fn(&mut TextRef))) {
        let Texts { arena, pending, mut filled, .. } = self;
        if arena.is_empty() && filled.is_empty() {
            return;
        }
        let mut arena = arena;
        arena.shrink_to_fit();
        filled.push((pending, Arc::new(Text::from(arena))));
        let fix = |r: &mut TextRef| {
            if let Some((_, full)) = filled.iter().find(|(pending, _)| Arc::ptr_eq(&r.buf, pending)) {
                r.buf = Arc::clone(full);
            }
        };
        each(&fix);
    }

    /// [`Texts::fix`] on units.
    pub fn fix_units(self, units: &mut [Unit]) {
        self.fix(|fix| {
            for unit in units.iter_mut() {
                unit.fix(fix);
            }
        });
    }
}

fn push_joined<S: AsRef<str>>(out: &mut String, parts: &[S], separator: &str) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
}

/// One contiguous piece of a unit: `unit_len` bytes of unit text from
/// `doc_len` bytes of the file. Equal lengths map byte for byte; twice as
/// many bytes in the file map two for one (a run of two-byte escapes, `\n`,
/// `\"`, `\\`, one piece however long: a piece an escape made a PO of
/// escapes hold sixteen times its size); otherwise (an escape, an entity)
/// the piece maps as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    unit: usize,
    doc: usize,
    unit_len: usize,
    doc_len: usize,
}

/// Maps byte offsets in a unit's text to byte offsets in the document.
/// One piece copied byte for byte (most units) is held inline; more are
/// shared, not copied, by the units that have the same source (the msgid
/// of a PO entry's plural forms). Sixteen bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    pieces: Pieces,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pieces {
    /// One piece, the unit's `len` bytes copied from the document at `doc`.
    Identity { doc: u32, len: u32 },
    /// Any pieces.
    Many(Arc<[Piece]>),
}

impl Pieces {
    #[cfg(test)]
    fn len(&self) -> usize {
        match self {
            Pieces::Identity { .. } => 1,
            Pieces::Many(pieces) => pieces.len(),
        }
    }
}

impl Piece {
    /// How many file bytes stand for each unit byte, when the piece maps
    /// byte by byte (1) or two for one (2).
    fn stride(&self) -> Option<usize> {
        if self.unit_len == self.doc_len {
            Some(1)
        } else if self.doc_len == 2 * self.unit_len {
            Some(2)
        } else {
            None
        }
    }
}

impl OffsetMap {
    /// The identity map of a unit that is the document slice starting at `start`.
    pub fn identity(start: usize, len: usize) -> OffsetMap {
        OffsetMap::from_pieces(vec![Piece { unit: 0, doc: start, unit_len: len, doc_len: len }])
    }

    fn from_pieces(pieces: Vec<Piece>) -> OffsetMap {
        if let [Piece { unit: 0, doc, unit_len, doc_len }] = pieces[..] {
            if let (true, Ok(doc), Ok(len)) = (unit_len == doc_len, u32::try_from(doc), u32::try_from(unit_len)) {
                return OffsetMap { pieces: Pieces::Identity { doc, len } };
            }
        }
        OffsetMap { pieces: Pieces::Many(pieces.into()) }
    }

    /// The document range of a unit that is one piece copied byte for byte.
    fn identity_range(&self) -> Option<(usize, usize)> {
        match self.pieces {
            Pieces::Identity { doc, len } => Some((doc as usize, len as usize)),
            Pieces::Many(_) => None,
        }
    }

    fn piece(&self, offset: usize) -> Option<Piece> {
        match &self.pieces {
            Pieces::Identity { doc, len } => Some(Piece { unit: 0, doc: *doc as usize, unit_len: *len as usize, doc_len: *len as usize }),
            Pieces::Many(pieces) => {
                let i = pieces.partition_point(|p| p.unit + p.unit_len <= offset);
                pieces.get(i).or(pieces.last()).copied()
            }
        }
    }

    /// The document offset of the unit byte `offset` (a start).
    pub fn start(&self, offset: usize) -> usize {
        match self.piece(offset) {
            Some(p) if p.stride().is_some() => p.doc + offset.saturating_sub(p.unit).min(p.unit_len) * p.stride().unwrap_or(1),
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
            Some(p) if p.stride().is_some() => p.doc + (offset - p.unit).min(p.unit_len) * p.stride().unwrap_or(1),
            Some(p) => p.doc + p.doc_len,
            None => 0,
        }
    }
}

/// One side of a unit (source or target): its text and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The text, unescaped, placeholders blanked (what is matched).
    pub text: TextRef,
    /// The same text with its placeholders, byte for byte as long (what is
    /// shown); the same stretch as `text` when there are none.
    pub shown: TextRef,
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
    /// The unit's id or context (msgctxt + msgid, trans-unit id, key path),
    /// shared by the units it is the id of (an XLIFF unit's segments, a PO
    /// entry's plural forms) rather than copied to each.
    pub id: Option<TextRef>,
    /// The unit's notes (XLIFF `<note>`), where a `qamus-ignore` pragma may
    /// silence the unit; shared alike.
    pub note: Option<Arc<str>>,
}

impl Unit {
    /// A unit without a source.
    pub fn monolingual(target: Side) -> Unit {
        Unit { target, source: None, id: None, note: None }
    }

    /// Calls `fix` on every text it holds (see [`Texts::fix`]).
    fn fix(&mut self, fix: &dyn Fn(&mut TextRef)) {
        for side in std::iter::once(&mut self.target).chain(self.source.as_mut()) {
            side.fix(fix);
        }
        if let Some(id) = &mut self.id {
            fix(id);
        }
    }
}

impl Side {
    /// A side that is the whole of `text`, byte for byte (its map the
    /// identity), shown as it is.
    pub fn whole(text: Arc<Text>) -> Side {
        Side { map: OffsetMap::identity(0, text.len()), shown: TextRef::whole(Arc::clone(&text)), text: TextRef::whole(text) }
    }

    /// Calls `fix` on its texts (see [`Texts::fix`]).
    pub fn fix(&mut self, fix: &dyn Fn(&mut TextRef)) {
        fix(&mut self.text);
        fix(&mut self.shown);
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
        // A two-byte escape of one byte after another: one piece.
        if doc_len == 2 * text.len() {
            if let Some(last) = self.pieces.last_mut() {
                if last.stride() == Some(2) && last.doc + last.doc_len == doc && last.unit + last.unit_len == self.text.len() {
                    last.unit_len += text.len();
                    last.doc_len += doc_len;
                    self.text.push_str(text);
                    return;
                }
            }
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

    /// The finished side, with placeholders blanked and keyboard mnemonic
    /// markers in Arabic words left out (see [`mnemonic_markers`]).
    pub fn finish(self) -> Side {
        let mut texts = Texts::new(None);
        let mut side = self.finish_in(&mut texts);
        texts.fix(|fix| side.fix(fix));
        side
    }

    /// The text [`UnitBuilder::finish`] would match (a key's, kept as a
    /// name rather than a unit).
    pub fn finished_text(mut self) -> String {
        let markers = mnemonic_markers(&self.text);
        if !markers.is_empty() {
            self.drop_bytes(&markers);
        }
        super::placeholders::blank(&self.text)
    }

    /// [`UnitBuilder::finish`], the text kept in `texts` (see [`Texts`]).
    pub fn finish_in(mut self, texts: &mut Texts) -> Side {
        let markers = mnemonic_markers(&self.text);
        if !markers.is_empty() {
            self.drop_bytes(&markers);
        }
        let blanked = super::placeholders::blank(&self.text);
        let blanked = if blanked == self.text { None } else { Some(blanked) };
        texts.side(self.text, blanked, self.pieces)
    }
}

impl UnitBuilder {
    /// Takes the single bytes at `offsets` (ascending) out of the text; the
    /// map keeps every other byte where it was in the file.
    fn drop_bytes(&mut self, offsets: &[usize]) {
        let mut pieces = Vec::with_capacity(self.pieces.len() + offsets.len());
        let mut dropped = offsets.iter().copied().peekable();
        for piece in &self.pieces {
            let end = piece.unit + piece.unit_len;
            let inside: Vec<usize> = std::iter::from_fn(|| dropped.next_if(|&o| o < end)).collect();
            if inside.is_empty() {
                pieces.push(*piece);
                continue;
            }
            let Some(stride) = piece.stride() else {
                // An escape or entity standing for the marker: the piece
                // stands for what is left of it, if anything.
                if piece.unit_len > inside.len() {
                    pieces.push(Piece { unit_len: piece.unit_len - inside.len(), ..*piece });
                }
                continue;
            };
            let mut from = piece.unit;
            for cut in inside.iter().copied().chain(std::iter::once(end)) {
                if cut > from {
                    let (unit_len, doc) = (cut - from, piece.doc + (from - piece.unit) * stride);
                    pieces.push(Piece { unit: from, doc, unit_len, doc_len: unit_len * stride });
                }
                from = cut + 1;
            }
        }
        // Unit offsets close up over the dropped bytes.
        let mut at = 0;
        for piece in &mut pieces {
            piece.unit = at;
            at += piece.unit_len;
        }
        let mut text = String::with_capacity(self.text.len());
        let mut last = 0;
        for &o in offsets {
            text.push_str(&self.text[last..o]);
            last = o + 1;
        }
        text.push_str(&self.text[last..]);
        debug_assert_eq!(text.len(), at);
        self.text = text;
        self.pieces = pieces;
    }
}

/// Where a translation string marks a keyboard mnemonic inside an Arabic
/// word: `_` (GTK), `&` (Qt, Windows) or `~` (LibreOffice) between two
/// Arabic letters («ام_ح», «الإ_عدادات») or before an Arabic letter that
/// starts a word («_احذف»). Left out for matching, the word is read whole;
/// the positions of the other letters stay those of the file. A marker
/// between Latin letters is left alone here (the English side tells an
/// identifier from a mnemonic: see `matcher::english`).
pub fn mnemonic_markers(text: &str) -> Vec<usize> {
    if memchr::memchr3(b'_', b'&', b'~', text.as_bytes()).is_none() {
        return Vec::new();
    }
    let arabic = |c: char| matches!(c, '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' | '\u{064B}'..='\u{065F}' | '\u{0670}');
    let mut markers = Vec::new();
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '_' | '&' | '~') {
            let next = chars.peek().map(|&(_, n)| n);
            let before_ok = previous.is_none_or(|p| arabic(p) || !p.is_alphanumeric());
            if next.is_some_and(arabic) && before_ok && previous.is_none_or(|p| p != c) {
                markers.push(i);
            }
        }
        previous = Some(c);
    }
    markers
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
    fn a_run_of_two_byte_escapes_is_one_piece_and_maps_each_byte() {
        // Document: `"\n\t\"ab\\\\\u20ACx"` (a PO or JSON string), the unit
        // `\n\t"ab\\€x`: three escapes, a copy, two escapes (one of them a
        // three-byte character from six), a copy.
        let mut b = UnitBuilder::new();
        for (i, e) in ["\n", "\t", "\""].iter().enumerate() {
            b.escape(e, 1 + 2 * i, 2);
        }
        b.copy("ab", 7);
        b.escape("\\", 9, 2);
        b.escape("€", 11, 6);
        b.copy("x", 17);
        let before = b.pieces.len();
        let side = b.finish();
        assert_eq!(before, 4, "{:?}", side.map);
        assert_eq!(side.text.as_str(), "\n\t\"ab\\€x");
        // Each character at its own escape, each end past it.
        for (unit, doc) in [(0, 1), (1, 3), (2, 5), (3, 7), (5, 9), (6, 11), (9, 17)] {
            assert_eq!(side.map.start(unit), doc, "start of unit byte {unit}");
        }
        for (unit, doc) in [(1, 3), (3, 7), (6, 11), (9, 17), (10, 18)] {
            assert_eq!(side.map.end(unit), doc, "end at unit byte {unit}");
        }
    }

    #[test]
    fn mnemonic_markers_in_arabic_words_are_left_out_and_positions_kept() {
        // Document: `x"ام_ح ملفات"` — the unit starts at byte 2.
        let doc = "x\"ام_ح ملفات &احذف a_b\"";
        let start = 2;
        let inner = &doc[start..doc.len() - 1];
        let mut b = UnitBuilder::new();
        b.copy(inner, start);
        let side = b.finish();
        assert_eq!(side.text.as_str(), "امح ملفات احذف a_b");
        assert_eq!(side.shown.as_str(), side.text.as_str());
        // «ح» after the marker is where the file has it.
        let h = side.text.as_str().find('ح').unwrap();
        assert_eq!(side.map.start(h), doc.find('ح').unwrap());
        assert_eq!(side.map.end(h + 'ح'.len_utf8()), doc.find('ح').unwrap() + 'ح'.len_utf8());
        // The whole word maps from its first letter to its last in the file.
        let word = 0..side.text.as_str().find(' ').unwrap();
        assert_eq!((side.map.start(word.start), side.map.end(word.end)), (start, doc.find(" ملفات").unwrap()));
        let alef = side.text.as_str().find("احذف").unwrap();
        assert_eq!(side.map.start(alef), doc.find("احذف").unwrap());
        // An entity standing for the marker goes with it.
        let mut b = UnitBuilder::new();
        b.copy("ام", 10);
        b.escape("&", 14, 5);
        b.copy("ح", 19);
        let side = b.finish();
        assert_eq!(side.text.as_str(), "امح");
        assert_eq!(side.map.start("ام".len()), 19);
        assert!(mnemonic_markers("a_b __init__ ~/x AT&T").is_empty());
        assert!(mnemonic_markers("و__ا").is_empty(), "a doubled marker is no mnemonic");
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
