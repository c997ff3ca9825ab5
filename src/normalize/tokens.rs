//! Tokens of folded text (specification §3): maximal runs of letters and digits,
//! a hyphen joining two Latin runs into one token (CJTF-OIR), and for every token
//! whether it may continue the phrase of the token before it. The tokenizer
//! is streaming: it takes folded characters one at a time (or, through
//! `Tokenizer::scan`, folds the source itself), so that folding, tokenizing
//! and looking up run in one pass over the text.
//!
//! This module owns what separates words and phrases, and where a text may be
//! cut without splitting a phrase. It never allocates per token.

use std::ops::Range;

use crate::normalize::fold::FoldSink;

/// The script of a token, which decides how it may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic letters: clitic readings apply.
    Arabic,
    /// Latin letters, digits and anything else alphanumeric: matched whole.
    Other,
}

/// One token: a byte range of the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the folded text.
    pub range: Range<usize>,
    /// The script of its first character.
    pub script: Script,
    /// Whether only phrase-internal separators (spaces, dashes, quotes, at most
    /// one line break) stand between this token and the one before it.
    pub joins_previous: bool,
}

/// Whether `c` belongs inside a token.
pub fn is_token_char(c: char) -> bool {
    // Fast paths for the common scripts; the full Unicode test for the rest.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c {
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{066E}'..='\u{06D3}' => true,
        '\u{0600}'..='\u{06FF}' => c.is_alphanumeric(),
        _ => c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c),
    }
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Characters that may stand between two tokens of one phrase.
fn is_phrase_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '"' | '\'' | '\u{201C}' | '\u{201D}'
    )
}

/// A token as the streaming [`Tokenizer`] hands it on.
#[derive(Debug, Clone, Copy)]
pub struct ScannedToken<'a> {
    /// The folded token.
    pub text: &'a str,
    /// The script of its first character.
    pub script: Script,
    /// See [`Token::joins_previous`].
    pub joins_previous: bool,
    /// Its index among the tokens of the text (0, 1, 2, …).
    pub ordinal: usize,
    /// Where its first folded character came from (a source offset when fed
    /// by [`fold_into`](crate::normalize::fold::fold_into)).
    pub first_origin: usize,
    /// Where its last folded character came from.
    pub last_origin: usize,
    /// Each of its characters folded to one character of as many bytes
    /// (nothing deleted, nothing expanded): a byte offset in `text` is the
    /// same offset from `first_origin` in the source. Set by the scanner's
    /// fast path only; `false` says nothing.
    pub aligned: bool,
    /// The [`letter_class`] of its first [`HEAD_LETTERS`] characters,
    /// [`CLASS_BITS`] bits each, the first in the lowest bits; the bits past
    /// them are 0.
    pub head: u64,
    /// How many characters `head` holds.
    pub head_len: u32,
}

/// Characters of a token whose [`letter_class`] the tokenizer keeps.
pub const HEAD_LETTERS: u32 = 8;

/// Bits of one letter's class in [`ScannedToken::head`].
pub const CLASS_BITS: u32 = 6;

/// The [`letter_class`] of everything but the folded Arabic alphabet.
pub const OTHER_CLASS: u64 = 63;

/// A folded character's class for letter-pattern filters, in
/// [`CLASS_BITS`] bits: a letter of the folded Arabic alphabet is the low six
/// bits of its code point (ء U+0621 is 0x21, ي U+064A is 0x0A), each letter
/// its own class; everything else — Latin, digits, the rare letters
/// U+063B..U+063F, and the variants folding never leaves (أ, ة, ى…) — is
/// [`OTHER_CLASS`]. Class 0 is no letter: what [`ScannedToken::head`] holds
/// past a token's last letter.
///
/// The code point's own bits, so that the scanner computes the classes of
/// eight letters at once with a few vector operations (see
/// `common_letter_run`) instead of looking each up. The cost is a table of
/// letter triples of 32 KiB, where five-bit classes made it 4 KiB (that
/// change had measured no difference in time).
#[inline]
pub fn letter_class(c: char) -> u64 {
    match c {
        'ء' | 'ؤ' | 'ئ' | 'ا' | 'ب' | 'ت'..='غ' | 'ف'..='و' | 'ي' => u64::from(c) & 0x3F,
        _ => OTHER_CLASS,
    }
}

/// Character classes of the tokenizer, as bits.
const TOKEN: u8 = 1;
const LATIN: u8 = 2;
const ARABIC: u8 = 4;
const GAP: u8 = 8;
const SPACE: u8 = 16;
/// In [`scan_table`] only: folding leaves the character as it is written.
const UNCHANGED: u8 = 32;
/// In [`scan_table`] only: the character composes with a combining maddah or
/// hamza (U+0653..U+0655) after it, so the scanner must look at what follows.
const COMPOSES: u8 = 64;
/// In [`scan_table`] only: a token character that needs no second look — it
/// is not deleted by folding, does not take the general path and is not one
/// of the combining marks that compose with the letter before them. The
/// token scanner's loop tests this bit alone; a letter that composes is
/// plain there, because the mark after it is not (see
/// [`Tokenizer::scan_token`]).
const PLAIN: u8 = 128;

/// Whether `c` is a combining maddah or hamza (U+0653..U+0655, UTF-8
/// D9 93..D9 95), which compose with the character before them.
fn is_composing_mark(c: char) -> bool {
    ('\u{0653}'..='\u{0655}').contains(&c)
}

/// The classes of a folded character, from the predicates above.
fn classify(c: char) -> u8 {
    let mut class = 0;
    if is_token_char(c) {
        class |= TOKEN;
    }
    if is_latin(c) {
        class |= LATIN;
    }
    if is_arabic(c) {
        class |= ARABIC;
    }
    if is_phrase_gap(c) {
        class |= GAP;
    }
    if c.is_whitespace() {
        class |= SPACE;
    }
    class
}

/// [`classify`] for every character below U+0800, built once from it.
fn class_table() -> &'static [u8; 0x800] {
    static TABLE: std::sync::OnceLock<[u8; 0x800]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0; 0x800];
        for (i, class) in table.iter_mut().enumerate() {
            *class = char::from_u32(i as u32).map_or(0, classify);
        }
        table
    })
}

/// What the scanner's tables say of one source character below U+0800: its
/// folding as UTF-8 (`len` 1 or 2 bytes; 0 when folding deletes it) and the
/// tokenizer class of the folded character. `len` [`SCAN_SLOW`] sends the
/// character down the general path (it folds to several characters, or to
/// one of three bytes or more).
#[derive(Clone, Copy)]
#[repr(C, align(8))] // a power of two: indexing the table is one shift
struct ScanEntry {
    bytes: [u8; 2],
    len: u8,
    class: u8,
    letter: u8,
}

const SCAN_SLOW: u8 = 3;

/// [`ScanEntry`] for every character below U+0800, built once from
/// [`crate::normalize::fold::fold_one`] and [`classify`] themselves, so the
/// scanner and the general path cannot disagree.
fn scan_table() -> &'static [ScanEntry; 0x800] {
    static TABLE: std::sync::OnceLock<Box<[ScanEntry; 0x800]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Box::new([ScanEntry { bytes: [0; 2], len: SCAN_SLOW, class: 0, letter: OTHER_CLASS as u8 }; 0x800]);
        for (code, entry) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(code as u32) else { continue };
            let folded = crate::normalize::fold_str(c.encode_utf8(&mut [0; 4]));
            let mut chars = folded.chars();
            *entry = match (chars.next(), chars.next()) {
                (None, _) => ScanEntry { bytes: [0; 2], len: 0, class: 0, letter: OTHER_CLASS as u8 },
                (Some(f), None) if f.len_utf8() <= 2 => {
                    let mut bytes = [0; 2];
                    f.encode_utf8(&mut bytes);
                    let unchanged = if f == c { UNCHANGED } else { 0 };
                    let composes =
                        ['\u{0653}', '\u{0654}', '\u{0655}'].iter().any(|&mark| unicode_normalization::char::compose(c, mark).is_some());
                    let mut class = classify(f) | unchanged | if composes { COMPOSES } else { 0 };
                    if class & TOKEN != 0 && !is_composing_mark(c) {
                        class |= PLAIN;
                    }
                    ScanEntry { bytes, len: f.len_utf8() as u8, class, letter: letter_class(f) as u8 }
                }
                _ => continue,
            };
        }
        table
    })
}

/// The common Arabic letters, U+0621..U+063A and U+0641..U+064A: as UTF-8,
/// D8 A1..D8 BA and D9 81..D9 8A. In [`scan_table`] each is a plain token
/// character (`PLAIN`, `TOKEN`, `ARABIC`) folding to two bytes, unchanged
/// but for [`CHANGED_COMMON_LETTERS`] (a test holds the table to this).
const COMMON_LETTERS: [(u8, std::ops::RangeInclusive<u8>); 2] = [(0xD8, 0xA1..=0xBA), (0xD9, 0x81..=0x8A)];

/// The common letters folding changes — آ أ إ ة ى, as little-endian `u16`s of
/// their UTF-8 (lead byte low) — and what that does to the low six bits of
/// the code point, which are the [`letter_class`] of the others: آ أ إ fold
/// to ا (0x27), ة to ه (0x07), ى to ي (0x0A).
const CHANGED_COMMON_LETTERS: [(u16, i16); 5] =
    [(0xA2D8, 0x27 - 0x22), (0xA3D8, 0x27 - 0x23), (0xA5D8, 0x27 - 0x25), (0xA9D8, 0x07 - 0x29), (0x89D9, 0x0A - 0x09)];

/// A run of common Arabic letters, as [`common_letter_run`] finds it.
struct CommonRun {
    /// How many letters (at most eight).
    letters: u32,
    /// Whether folding leaves every one of them as it is.
    unchanged: bool,
    /// Their [`letter_class`]es (of the folded letters), packed as
    /// [`ScannedToken::head`] packs them; 0 past the run.
    classes: u64,
}

/// The common Arabic letters ([`COMMON_LETTERS`]) in a row among the eight
/// characters at most in `bytes[i..i + 16]`: how many, whether folding
/// leaves them as they are, and their letter classes. `i` must be a
/// character boundary with 16 bytes from it.
///
/// Most of running Arabic text is such letters; [`Tokenizer::scan_token`]
/// steps over a run of them here in one go where its loop would look each up
/// in the table. Each two-byte character is one 16-bit lane: a common letter
/// has the lead byte D8 or D9 and its second byte in that lead's range. A
/// lane that is not one (a space, a mark, a Latin letter, a three-byte
/// character, a byte of a character straddling two lanes) ends the run, and
/// the loop reads from there. A letter's class is the low six bits of its
/// second byte, which are those of its code point, corrected for the five
/// that folding changes. SSE2 is part of every x86-64 processor; elsewhere
/// the run is always empty and the loop reads everything.
#[inline(always)]
fn common_letter_run(bytes: &[u8], i: usize) -> CommonRun {
    // A run is eight letters at most, as many as the head holds.
    const _: () = assert!(HEAD_LETTERS == 8);
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        assert!(bytes.len() - i >= 16);
        // SAFETY: SSE2 is in every x86-64 processor, and the 16 bytes read
        // unaligned from `i` are in `bytes` (asserted above).
        unsafe {
            let lanes = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
            let lead = _mm_and_si128(lanes, _mm_set1_epi16(0x00FF));
            let second = _mm_srli_epi16::<8>(lanes);
            let mut common = _mm_setzero_si128();
            for (lead_byte, range) in COMMON_LETTERS {
                // `second - start` is in 0..=span exactly when `second` is in range.
                let offset = _mm_sub_epi16(second, _mm_set1_epi16(i16::from(*range.start())));
                let in_range = _mm_and_si128(
                    _mm_cmpgt_epi16(offset, _mm_set1_epi16(-1)),
                    _mm_cmplt_epi16(offset, _mm_set1_epi16(i16::from(range.end() - range.start()) + 1)),
                );
                common = _mm_or_si128(common, _mm_and_si128(_mm_cmpeq_epi16(lead, _mm_set1_epi16(i16::from(lead_byte))), in_range));
            }
            let mut classes = _mm_and_si128(second, _mm_set1_epi16(0x3F));
            let mut changed = _mm_setzero_si128();
            for (letter, correction) in CHANGED_COMMON_LETTERS {
                let this = _mm_cmpeq_epi16(lanes, _mm_set1_epi16(letter as i16));
                changed = _mm_or_si128(changed, this);
                classes = _mm_add_epi16(classes, _mm_and_si128(this, _mm_set1_epi16(correction)));
            }
            // Two mask bits a lane; the run ends at the first lane that is not common.
            let run = (!(_mm_movemask_epi8(common) as u32)).trailing_zeros() / 2;
            let in_run = (1u32 << (2 * run)) - 1;
            // Eight six-bit classes into 48 bits: pairs into 12 bits, then
            // pairs of those into 24 (every value fits its lane), then the two
            // halves of the low 64 bits side by side.
            let pairs = _mm_madd_epi16(classes, _mm_set1_epi32(1 | (1 << (16 + CLASS_BITS))));
            let pairs = _mm_packs_epi32(pairs, pairs);
            let quads = _mm_madd_epi16(pairs, _mm_set1_epi32(1 | (1 << (16 + 2 * CLASS_BITS))));
            let low = _mm_cvtsi128_si64(quads) as u64;
            let all = (low & 0xFF_FFFF) | ((low >> 32) << (4 * CLASS_BITS));
            CommonRun {
                letters: run,
                unchanged: _mm_movemask_epi8(changed) as u32 & in_run == 0,
                classes: all & ((1u64 << (CLASS_BITS * run)) - 1),
            }
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (bytes, i);
        CommonRun { letters: 0, unchanged: true, classes: 0 }
    }
}

/// What receives the tokens of a [`Tokenizer`]. A closure taking a
/// [`ScannedToken`] is one that wants every token.
pub trait TokenSink {
    /// Whether a token of `script` whose first letters have the classes
    /// `head` (see [`ScannedToken::head`]) is wanted at all. A token not
    /// wanted still uses up its ordinal, but is not handed on, and in
    /// [`Tokenizer::scan`] its folded text is never made: with a selective
    /// test, most tokens of a text end here.
    #[inline]
    fn wants(&mut self, _script: Script, _head: u64, _head_len: u32) -> bool {
        true
    }

    /// Receives one wanted token.
    fn token(&mut self, token: &ScannedToken<'_>);
}

impl<F: FnMut(&ScannedToken<'_>)> TokenSink for F {
    #[inline]
    fn token(&mut self, token: &ScannedToken<'_>) {
        self(token)
    }
}

/// Cuts a stream of folded characters into tokens, handing each to `on_token`
/// as soon as it ends. It is a [`FoldSink`], so folding and tokenizing run in
/// one pass with no folded copy of the text; [`tokenize`] feeds it folded text.
/// It also counts words: runs of folded characters that are not white space.
///
/// Invariants: `buf` holds the UTF-8 of the folded characters of a token the
/// general path (`push`) is reading, whole characters only; it is empty
/// between tokens and while [`Tokenizer::scan_token`] reads one (that token is
/// not copied unless it is wanted, and then only when folding changed it); a hyphen after a
/// Latin character is held back in `pending_hyphen` until the next character
/// says whether it joins two Latin runs (it stays in the token) or ends the
/// token (it is a phrase gap).
pub struct Tokenizer<F> {
    classes: &'static [u8; 0x800],
    buf: Vec<u8>,
    first_arabic: bool,
    head: u64,
    head_len: u32,
    first_origin: usize,
    last_origin: usize,
    last_latin: bool,
    pending_hyphen: Option<usize>,
    gap_ok: bool,
    gap_newlines: u32,
    count: usize,
    in_space: bool,
    words: usize,
    on_token: F,
}

impl<F: TokenSink> Tokenizer<F> {
    /// A tokenizer handing tokens to `on_token`.
    pub fn new(on_token: F) -> Self {
        Tokenizer {
            classes: class_table(),
            buf: Vec::new(),
            first_arabic: false,
            head: 0,
            head_len: 0,
            first_origin: 0,
            last_origin: 0,
            last_latin: false,
            pending_hyphen: None,
            gap_ok: false,
            gap_newlines: 0,
            count: 0,
            in_space: true,
            words: 0,
            on_token,
        }
    }

    /// Folds and tokenizes `source` in one pass: exactly
    /// [`fold_into`](crate::normalize::fold::fold_into)`(source, self)`, but
    /// with ASCII and two-byte characters (all of Latin and Arabic) folded
    /// and classified by one lookup in [`scan_table`], and a token made of
    /// such characters read by [`Tokenizer::scan_token`] without being
    /// copied. Everything else — three-byte characters, a letter followed by
    /// a combining maddah or hamza, a held-back hyphen — takes the general
    /// path.
    pub fn scan(&mut self, source: &str) {
        let table = scan_table();
        let bytes = source.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (code, width) = if b < 0x80 {
                (usize::from(b), 1)
            } else if b < 0xE0 {
                // A two-byte character: `source` is valid UTF-8, so its
                // second byte is there.
                // SAFETY: `bytes` is a `str`'s and `i` a character boundary,
                // so `b` (80..DF there) is a two-byte character's lead byte.
                (unsafe { two_byte_code(bytes, i) }, 2)
            } else {
                i = crate::normalize::fold::fold_one(source, i, self);
                continue;
            };
            let entry = table[code];
            // A combining maddah or hamza after it (D9 93..D9 95) composes
            // with it: the general path.
            if entry.class & COMPOSES != 0 && bytes.get(i + 2) == Some(&0xD9) && matches!(bytes.get(i + 3), Some(0x93..=0x95)) {
                i = crate::normalize::fold::fold_one(source, i, self);
                continue;
            }
            if entry.len == 0 {
                i += width;
                continue;
            }
            if entry.len == SCAN_SLOW || self.pending_hyphen.is_some() {
                i = crate::normalize::fold::fold_one(source, i, self);
                continue;
            }
            // From here the step mirrors `FoldSink::push` below, on purpose:
            // sharing one `#[inline(always)]` step between them cost 6 % more
            // instructions (905 M against 854 M on two 5.2 MB files, callgrind).
            // The property tests `the_one_pass_scanner_*` hold them equal.
            let class = entry.class;
            self.words += usize::from(self.in_space & (class & SPACE == 0));
            self.in_space = class & SPACE != 0;
            if class & TOKEN != 0 {
                if self.buf.is_empty() {
                    i = self.scan_token(source, i, table, class);
                    continue;
                }
                if self.head_len < HEAD_LETTERS {
                    self.head |= u64::from(entry.letter) << (CLASS_BITS * self.head_len);
                    self.head_len += 1;
                }
                self.buf.push(entry.bytes[0]);
                if entry.len == 2 {
                    self.buf.push(entry.bytes[1]);
                }
                self.last_origin = i;
                self.last_latin = class & LATIN != 0;
            } else {
                if !self.buf.is_empty() {
                    if entry.bytes[0] == b'-' && self.last_latin {
                        self.pending_hyphen = Some(i);
                        i += width;
                        continue;
                    }
                    self.end_token();
                }
                if entry.bytes[0] == b'\n' {
                    self.gap_newlines += 1;
                } else if class & GAP == 0 {
                    self.gap_ok = false;
                }
            }
            i += width;
        }
    }

    /// Reads the token that starts at `start` (a token character of the fast
    /// path, of class `first_class`, already counted as a word), and the
    /// tokens after it as long as one ASCII space leads to the next, and
    /// returns where the last one ends. A token is not copied as it is read:
    /// only its letter classes, its last character and whether folding
    /// changed anything are kept, and when it ends the sink is asked whether
    /// it [wants](TokenSink::wants) it. Only a wanted token is folded, into
    /// `buf`, or handed on as a slice of `source` when folding changed
    /// nothing in it.
    ///
    /// A token the fast path cannot finish — it meets a character of the
    /// general path, or a hyphen after a Latin letter, which may join it to
    /// the next run — is folded into `buf` so far, with the tokenizer's state
    /// set as if `push` had read it, and the caller goes on from there. A
    /// combining maddah or hamza may change the letter before it, which the
    /// loop has already counted: the general path reads the token again from
    /// its start, as far as the mark.
    fn scan_token(&mut self, source: &str, mut start: usize, table: &[ScanEntry; 0x800], mut first_class: u8) -> usize {
        let bytes = source.as_bytes();
        loop {
            // The classes of the first `HEAD_LETTERS` letters go into `head`.
            let mut head = 0u64;
            let mut letters = 0u32;
            let mut unchanged = UNCHANGED;
            let mut last = start;
            let mut i = start;
            // Runs of the common Arabic letters, eight at a time (see
            // `common_letter_run`); the loop below reads the rest, the same
            // way it would have read these. A run followed by an ASCII space
            // is a whole token: the loop would only find the space ending it.
            let mut ends_at_space = false;
            while bytes.len() - i >= 16 && bytes[i] & 0xFE == 0xD8 {
                let run = common_letter_run(bytes, i);
                if run.letters == 0 {
                    break;
                }
                // Only the first run holds letters of the head: the loop goes
                // on only after a run of eight, which fills it.
                if letters == 0 {
                    head = run.classes;
                }
                letters += run.letters;
                if !run.unchanged {
                    unchanged = 0;
                }
                last = i + 2 * (run.letters as usize - 1);
                i += 2 * run.letters as usize;
                if run.letters < 8 {
                    ends_at_space = bytes[i] == b' ';
                    break;
                }
            }
            // Per character: one table lookup and a few bit operations; the rare
            // cases leave the loop with the offset to hand to the general path.
            let stop = if ends_at_space {
                None
            } else {
                loop {
                    let Some(&b) = bytes.get(i) else { break None };
                    let entry = if b < 0x80 {
                        table[usize::from(b)]
                    } else if b < 0xE0 {
                        // SAFETY: as in `scan`: `i` is a character boundary of a `str`.
                        table[unsafe { two_byte_code(bytes, i) }]
                    } else {
                        break Some(i);
                    };
                    let width = 1 + usize::from(b >= 0x80);
                    // The rare cases behind one test, then one append. This
                    // was two appends while this loop read every letter (one
                    // append cost 4 % more instructions then); with runs of
                    // common letters read above, it costs 0.3 % (308.8 M
                    // against 307.9 M, embedded glossary, two 5.2 MB files).
                    if entry.class & PLAIN == 0 {
                        if b == 0xD9 && matches!(bytes[i + 1], 0x93..=0x95) {
                            return self.rescan(source, start, i);
                        }
                        if entry.len == 0 {
                            unchanged = 0;
                            i += width;
                            continue;
                        }
                        if entry.len == SCAN_SLOW {
                            break Some(i);
                        }
                        if entry.class & TOKEN == 0 {
                            // The token ends here; an ASCII hyphen is looked at below.
                            break (b == b'-').then_some(i);
                        }
                    }
                    if letters < HEAD_LETTERS {
                        head |= u64::from(entry.letter) << (CLASS_BITS * letters);
                    }
                    letters += 1;
                    unchanged &= entry.class;
                    last = i;
                    i += width;
                }
            };
            let head_len = letters.min(HEAD_LETTERS);
            let end = last + 1 + usize::from(bytes[last] >= 0x80);
            let first_arabic = first_class & ARABIC != 0;
            if let Some(at) = stop {
                // SAFETY: `last` is where a character of the fast path starts.
                let last_latin = bytes[last] < 0x80 || table[unsafe { two_byte_code(bytes, last) }].class & LATIN != 0;
                // A hyphen after a Latin letter may join two runs (CJTF-OIR): the
                // general path decides; after anything else it just ends the token.
                if bytes[at] != b'-' || last_latin {
                    // Left to the general path from `at`: the token so far goes
                    // into `buf`, as `push` would have put it there.
                    fold_fast_into(&bytes[start..at], &mut self.buf);
                    self.first_origin = start;
                    self.first_arabic = first_arabic;
                    self.head = head;
                    self.head_len = head_len;
                    self.last_origin = last;
                    self.last_latin = last_latin;
                    return at;
                }
            }
            let script = if first_arabic { Script::Arabic } else { Script::Other };
            if self.on_token.wants(script, head, head_len) {
                let (text, aligned) = if unchanged != 0 {
                    (&source[start..end], true)
                } else {
                    fold_fast_into(&bytes[start..end], &mut self.buf);
                    // No character of the fast path folds to more bytes than
                    // it has, so as many bytes means each folded to as many.
                    let aligned = self.buf.len() == end - start;
                    // SAFETY: as in `end_token`: whole characters' encodings only.
                    (unsafe { std::str::from_utf8_unchecked(&self.buf) }, aligned)
                };
                let token = ScannedToken {
                    text,
                    script,
                    joins_previous: self.gap_ok && self.gap_newlines <= 1 && self.count > 0,
                    ordinal: self.count,
                    first_origin: start,
                    last_origin: last,
                    aligned,
                    head,
                    head_len,
                };
                self.on_token.token(&token);
                self.buf.clear();
            }
            self.count += 1;
            self.gap_ok = true;
            self.gap_newlines = 0;
            // The way to the next token, taken here in the common case: one
            // ASCII space, then a character the loop above starts a token
            // with. The space ends a word and the character starts one; the
            // space is a phrase gap and no newline, so the gap state stays.
            if bytes.get(i) != Some(&b' ') {
                return i;
            }
            let next = i + 1;
            let entry = match bytes.get(next) {
                Some(&b) if b < 0x80 => table[usize::from(b)],
                // SAFETY: `next` follows an ASCII space, so it is a character
                // boundary, and `b` is a two-byte character's lead byte.
                Some(&b) if (0xC0..0xE0).contains(&b) => table[unsafe { two_byte_code(bytes, next) }],
                _ => return i,
            };
            if entry.class & PLAIN == 0 {
                return i;
            }
            self.words += 1;
            start = next;
            first_class = entry.class;
        }
    }

    /// Reads by the general path the token that starts at `start`, as far as
    /// the combining mark at `mark` (and past it when it composes with the
    /// character before it); returns where the general path stopped. Nothing
    /// of the token has been handed on or put in `buf` yet.
    #[cold]
    #[inline(never)]
    fn rescan(&mut self, source: &str, start: usize, mark: usize) -> usize {
        let mut i = start;
        while i <= mark {
            i = crate::normalize::fold::fold_one(source, i, self);
        }
        i
    }

    /// Ends the last token; returns the number of tokens and of words.
    pub fn finish(mut self) -> (usize, usize) {
        self.end_last_token();
        (self.count, self.words)
    }

    /// A tokenizer that folds tokens into `buf` (emptied first), for callers
    /// that tokenize many short texts one after another (glossary forms):
    /// [`Tokenizer::finish_with_buffer`] gives the buffer back for the next.
    pub fn with_buffer(on_token: F, mut buf: Vec<u8>) -> Self {
        buf.clear();
        Tokenizer { buf, ..Tokenizer::new(on_token) }
    }

    /// [`Tokenizer::finish`], and the buffer back.
    pub fn finish_with_buffer(mut self) -> ((usize, usize), Vec<u8>) {
        self.end_last_token();
        ((self.count, self.words), std::mem::take(&mut self.buf))
    }

    fn end_last_token(&mut self) {
        if self.pending_hyphen.take().is_some() {
            self.end_token();
            self.gap('-', GAP);
        }
        if !self.buf.is_empty() {
            self.end_token();
        }
    }

    #[inline]
    fn class(&self, c: char) -> u8 {
        match self.classes.get(c as usize) {
            Some(&class) => class,
            None => classify(c),
        }
    }

    /// Appends one character's UTF-8 to `buf`: one or two bytes, inline, for
    /// all of Latin and Arabic.
    #[inline(always)]
    fn push_char(&mut self, c: char) {
        let code = c as u32;
        if code < 0x80 {
            self.buf.push(code as u8);
        } else if code < 0x800 {
            self.buf.extend_from_slice(&[0xC0 | (code >> 6) as u8, 0x80 | (code & 0x3F) as u8]);
        } else {
            self.buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    #[inline(never)]
    fn end_token(&mut self) {
        // SAFETY: `buf` only ever receives whole UTF-8-encoded characters —
        // `push_char`, an ASCII '-', and in `scan` a table entry's `len`
        // bytes, which are one character's encoding — so it is valid UTF-8.
        let text = unsafe { std::str::from_utf8_unchecked(&self.buf) };
        let script = if self.first_arabic { Script::Arabic } else { Script::Other };
        if self.on_token.wants(script, self.head, self.head_len) {
            let token = ScannedToken {
                text,
                script,
                joins_previous: self.gap_ok && self.gap_newlines <= 1 && self.count > 0,
                ordinal: self.count,
                first_origin: self.first_origin,
                last_origin: self.last_origin,
                aligned: false,
                head: self.head,
                head_len: self.head_len,
            };
            self.on_token.token(&token);
        }
        self.count += 1;
        self.buf.clear();
        self.head = 0;
        self.head_len = 0;
        self.gap_ok = true;
        self.gap_newlines = 0;
    }

    #[inline]
    fn gap(&mut self, c: char, class: u8) {
        if c == '\n' {
            self.gap_newlines += 1;
        } else if class & GAP == 0 {
            self.gap_ok = false;
        }
    }
}

impl<F: TokenSink> FoldSink for Tokenizer<F> {
    #[inline(always)]
    fn push(&mut self, c: char, at: usize) {
        let class = self.class(c);
        // A word starts at a character that is not space after one that is.
        self.words += usize::from(self.in_space & (class & SPACE == 0));
        self.in_space = class & SPACE != 0;
        if self.pending_hyphen.is_some() {
            let hyphen = self.pending_hyphen.take().unwrap_or(at);
            if class & LATIN != 0 {
                self.buf.push(b'-');
                if self.head_len < HEAD_LETTERS {
                    self.head |= OTHER_CLASS << (CLASS_BITS * self.head_len);
                    self.head_len += 1;
                }
                self.last_origin = hyphen;
            } else {
                self.end_token();
                self.gap('-', GAP);
            }
        }
        if class & TOKEN != 0 {
            if self.buf.is_empty() {
                self.first_origin = at;
                self.first_arabic = class & ARABIC != 0;
            }
            if self.head_len < HEAD_LETTERS {
                self.head |= letter_class(c) << (CLASS_BITS * self.head_len);
                self.head_len += 1;
            }
            self.push_char(c);
            self.last_origin = at;
            self.last_latin = class & LATIN != 0;
            return;
        }
        if !self.buf.is_empty() {
            if c == '-' && self.last_latin {
                self.pending_hyphen = Some(at);
                return;
            }
            self.end_token();
        }
        self.gap(c, class);
    }
}

/// The code point of the two-byte UTF-8 character at `i` of `bytes`.
///
/// Its second byte is read without a bounds check: this is the scanner's
/// innermost step, and the check cost 2.6 % of all instructions (735 M
/// against 716 M, `check --count -g g10000.csv` on two 5.2 MB files,
/// callgrind).
///
/// # Safety
///
/// `bytes` must be whole characters of valid UTF-8 (a `str`'s bytes or a
/// slice of them cut at character boundaries) and `bytes[i]` the lead byte
/// of a two-byte character (C0..DF), so that its second byte is there.
#[inline(always)]
unsafe fn two_byte_code(bytes: &[u8], i: usize) -> usize {
    debug_assert!((0xC0..0xE0).contains(&bytes[i]) && i + 1 < bytes.len());
    // SAFETY: the caller's promise: a lead byte of valid UTF-8 is followed
    // by its continuation byte.
    let second = unsafe { *bytes.get_unchecked(i + 1) };
    (usize::from(bytes[i] & 0x1F) << 6) | usize::from(second & 0x3F)
}

/// Appends the folding of `source` to `buf`. `source` holds only characters
/// of [`scan_table`] that are not [`SCAN_SLOW`] (a stretch `scan_token` has
/// read), so `buf` receives whole characters' encodings.
fn fold_fast_into(source: &[u8], buf: &mut Vec<u8>) {
    let table = scan_table();
    // A fast-path character never folds to more bytes than it has (ASCII to
    // ASCII, two bytes to at most two), so one reservation covers the stretch.
    buf.reserve(source.len());
    let mut i = 0;
    while i < source.len() {
        let b = source[i];
        // SAFETY: `source` is whole characters of the fast path (one or two
        // bytes each), and `i` steps from one to the next.
        let (code, width) = if b < 0x80 { (usize::from(b), 1) } else { (unsafe { two_byte_code(source, i) }, 2) };
        let entry = table[code];
        if entry.len > 0 {
            buf.push(entry.bytes[0]);
            if entry.len == 2 {
                buf.push(entry.bytes[1]);
            }
        }
        i += width;
    }
}

/// Whether no phrase can run across the line break at byte `newline` of
/// (unfolded) `text`: the line before it ends, after white space and marks,
/// in a character that is neither part of a token nor a phrase gap (a full
/// stop, a comma, a bracket), or is blank. Text may be cut after such a line
/// break and each part matched alone, with the same matches as the whole.
pub fn line_ends_phrases(text: &str, newline: usize) -> bool {
    for c in text[..newline].chars().rev() {
        if matches!(c, ' ' | '\t' | '\r') {
            continue;
        }
        let folded = crate::normalize::fold_str(c.encode_utf8(&mut [0; 4]));
        let Some(f) = folded.chars().next() else { continue }; // a mark
        return f == '\n' || (!is_token_char(f) && !is_phrase_gap(f));
    }
    true
}

/// Splits folded text into tokens.
pub fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(folded.len() / 8);
    let mut tokenizer = Tokenizer::new(|t: &ScannedToken<'_>| {
        let last_len = folded[t.last_origin..].chars().next().map_or(0, char::len_utf8);
        tokens.push(Token { range: t.first_origin..t.last_origin + last_len, script: t.script, joins_previous: t.joins_previous });
    });
    for (at, c) in folded.char_indices() {
        tokenizer.push(c, at);
    }
    tokenizer.finish();
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, bool)> {
        tokenize(text).into_iter().map(|t| (&text[t.range], t.joins_previous)).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(words("اللجنه العسكريه, العليا"), vec![("اللجنه", false), ("العسكريه", true), ("العليا", false)]);
    }

    #[test]
    fn latin_hyphen_joins_an_acronym_but_a_dash_separates() {
        assert_eq!(words("(cjtf-oir) قوه – عمليه"), vec![("cjtf-oir", false), ("قوه", false), ("عمليه", true)]);
        assert_eq!(words("المشتركه- عمليه"), vec![("المشتركه", false), ("عمليه", true)]);
    }

    #[test]
    fn a_blank_line_breaks_a_phrase_but_a_single_line_break_does_not() {
        assert_eq!(words("حوار\nالتعاون\n\nالامني"), vec![("حوار", false), ("التعاون", true), ("الامني", false)]);
    }

    #[test]
    fn quotes_inside_a_phrase_keep_it_together() {
        assert_eq!(words("حمله هزيمه \"داعش\""), vec![("حمله", false), ("هزيمه", true), ("داعش", true)]);
    }

    /// Wants only tokens starting with «ل».
    struct LamOnly<'a>(&'a mut Vec<(String, usize, bool)>);

    impl TokenSink for LamOnly<'_> {
        fn wants(&mut self, _script: Script, head: u64, head_len: u32) -> bool {
            head_len > 0 && head & ((1 << CLASS_BITS) - 1) == letter_class('ل')
        }
        fn token(&mut self, token: &ScannedToken<'_>) {
            self.0.push((token.text.to_string(), token.ordinal, token.joins_previous));
        }
    }

    #[test]
    fn a_token_not_wanted_is_not_handed_on_but_uses_up_its_ordinal() {
        // «لِلجنة» carries a mark and «لجنة» a ta marbuta (both folded into the
        // buffer); «لقاء» is handed on as written; the rest are not wanted.
        let mut wanted = Vec::new();
        let mut tokenizer = Tokenizer::new(LamOnly(&mut wanted));
        tokenizer.scan("حوار لِلجنة مع لجنة، لقاء 2008");
        assert_eq!(tokenizer.finish(), (6, 6));
        assert_eq!(wanted, vec![("للجنه".to_string(), 1, true), ("لجنه".to_string(), 3, true), ("لقاء".to_string(), 4, false)]);
    }

    #[test]
    fn no_character_of_the_fast_path_folds_to_more_bytes_than_it_has() {
        // What `ScannedToken::aligned` and `fold_fast_into`'s reservation rely on.
        for (code, entry) in scan_table().iter().enumerate() {
            if entry.len != SCAN_SLOW {
                let width = if code < 0x80 { 1 } else { 2 };
                assert!(usize::from(entry.len) <= width, "U+{code:04X} folds to {} bytes", entry.len);
            }
        }
    }

    #[test]
    fn the_common_letters_are_what_the_scan_table_says() {
        // What `common_letter_run` relies on instead of the table.
        let table = scan_table();
        for (lead, range) in COMMON_LETTERS {
            for second in range {
                let code = usize::from(lead & 0x1F) << 6 | usize::from(second & 0x3F);
                let c = char::from_u32(code as u32).unwrap();
                let entry = table[code];
                let key = u16::from_le_bytes([lead, second]);
                let change = CHANGED_COMMON_LETTERS.iter().find(|(letter, _)| *letter == key);
                assert_eq!(entry.class & (PLAIN | TOKEN | ARABIC), PLAIN | TOKEN | ARABIC, "{c}");
                assert_eq!(entry.len, 2, "{c}");
                assert_eq!(entry.class & UNCHANGED != 0, change.is_none(), "{c}");
                let class = i16::from(second & 0x3F) + change.map_or(0, |(_, correction)| *correction);
                assert_eq!(u64::from(entry.letter), class as u64, "{c}");
            }
        }
        // And every letter of the folded alphabet is its own class.
        let classes: Vec<u64> = "ءؤئابتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().map(letter_class).collect();
        let mut distinct = classes.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), classes.len());
        assert!(classes.iter().all(|&c| c != 0 && c != OTHER_CLASS));
    }

    #[test]
    fn a_run_of_common_letters_is_read_as_the_table_reads_it() {
        // Texts of letters common and changed, marks, tatweel, spaces, Latin,
        // Persian and three-byte characters; at every character boundary
        // with 16 bytes after it, the run against the table's reading.
        let alphabet: Vec<char> = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيـًّ ٓ،ی٠aZ1-ﻻ\u{200F}".chars().collect();
        let table = scan_table();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut runs = [0usize; 9];
        for _ in 0..3000 {
            let text: String = (0..24)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Common letters most of the time, as in running text.
                    let k = (seed >> 32) as usize;
                    if k % 4 == 0 {
                        alphabet[k / 4 % alphabet.len()]
                    } else {
                        alphabet[k % 36]
                    }
                })
                .collect();
            let bytes = text.as_bytes();
            for (i, _) in text.char_indices().filter(|&(i, _)| bytes.len() - i >= 16) {
                let (mut letters, mut unchanged, mut classes) = (0u32, true, 0u64);
                for c in text[i..].chars().take(8) {
                    let code = c as usize;
                    let common = ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c);
                    if !common || 2 * (letters as usize + 1) > 16 {
                        break;
                    }
                    classes |= u64::from(table[code].letter) << (CLASS_BITS * letters);
                    unchanged &= table[code].class & UNCHANGED != 0;
                    letters += 1;
                }
                let run = common_letter_run(bytes, i);
                if cfg!(target_arch = "x86_64") {
                    assert_eq!((run.letters, run.unchanged, run.classes), (letters, unchanged, classes), "{:?}", &text[i..]);
                } else {
                    assert_eq!(run.letters, 0);
                }
                runs[run.letters as usize] += 1;
            }
        }
        // Every length was met, so the test says something of each.
        assert!(!cfg!(target_arch = "x86_64") || runs.iter().all(|&n| n > 0), "{runs:?}");
    }

    #[test]
    fn digits_are_tokens() {
        assert_eq!(words("لعام 2008."), vec![("لعام", false), ("2008", true)]);
    }
}
