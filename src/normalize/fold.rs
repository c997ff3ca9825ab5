//! Character folding (specification §2): one pass over the text that composes,
//! expands presentation forms, deletes marks and invisibles, and folds letters,
//! digits, punctuation and case, while recording for every folded byte the byte
//! offset of the source character it came from.
//!
//! This module owns the folding table and the offset map. It knows nothing of
//! tokens, clitics or glossaries; the same function folds glossary forms and text.

use std::ops::Range;

/// Folded text plus the map back to the source it was folded from.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    text: String,
    /// `origin[i]` is the byte offset in the source of the character that
    /// produced folded byte `i`; one extra entry holds the source length.
    origin: Vec<u32>,
}

impl Folded {
    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Byte offset in the source of the character that produced folded byte `i`
    /// (`i == len` gives the source length).
    pub fn origin(&self, i: usize) -> usize {
        self.origin[i] as usize
    }

    /// The first folded byte made from the source character at `source`, if
    /// that character made any (origins never decrease).
    pub fn folded_at(&self, source: usize) -> Option<usize> {
        let i = self.origin[..self.text.len()].partition_point(|&o| (o as usize) < source);
        (i < self.text.len() && self.origin[i] as usize == source).then_some(i)
    }

    /// The source byte range that the folded range `folded` came from: from the
    /// first source character to the end of the last one, extended over the
    /// marks (harakat, tatweel) written right after it, which belong to the word.
    pub fn source_range(&self, folded: Range<usize>, source: &str) -> Range<usize> {
        debug_assert!(folded.start < folded.end);
        self.origin(folded.start)..source_end(source, self.origin(folded.end - 1))
    }
}

/// The end of the word whose last folded character came from the source
/// character at `last`: past that character and the marks (harakat, tatweel)
/// written right after it, which belong to the word.
pub fn source_end(source: &str, last: usize) -> usize {
    let mut end = last + source[last..].chars().next().map_or(0, char::len_utf8);
    for c in source[end..].chars() {
        if is_word_mark(c) {
            end += c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Receives folded characters, each with the byte offset in the source of the
/// character it came from. [`fold_into`] drives a sink; [`Folded`] is the sink
/// that keeps everything, the token scanner one that keeps only tokens.
pub trait FoldSink {
    /// One folded character, produced by the source character at `at`.
    fn push(&mut self, c: char, at: usize);
}

impl FoldSink for Folded {
    #[inline]
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        let at = at as u32;
        match c.len_utf8() {
            1 => self.origin.push(at),
            2 => self.origin.extend_from_slice(&[at, at]),
            n => self.origin.extend(std::iter::repeat_n(at, n)),
        }
    }
}

/// Folds `source` and returns the folded text with its offset map.
pub fn fold(source: &str) -> Folded {
    let mut out = Folded { text: String::with_capacity(source.len()), origin: Vec::with_capacity(source.len() + 1) };
    out.refold(source);
    out
}

impl Folded {
    /// Makes this the folding of `source`, as [`fold`] would, in the space
    /// it already has: for callers that fold many short stretches.
    pub fn refold(&mut self, source: &str) {
        self.text.clear();
        self.origin.clear();
        fold_into(source, self);
        self.origin.push(source.len() as u32);
    }
}

/// Folds `source` to a plain string, without the offset map.
pub fn fold_str(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    fold_into(source, &mut out);
    out
}

/// A plain string keeps the folded characters only.
impl FoldSink for String {
    #[inline]
    fn push(&mut self, c: char, _at: usize) {
        String::push(self, c);
    }
}

/// What [`fold_char`] makes of every two-byte character (U+0080..U+07FF,
/// which holds Latin-1, Greek, Cyrillic, Hebrew and the Arabic block): the
/// folded character, [`TWO_BYTE_DELETED`], or [`TWO_BYTE_SLOW`] when it folds
/// to more than one character. Built once from `fold_char` itself, so the
/// table and the function cannot disagree.
struct TwoByteTable([char; 0x800 - 0x80]);

/// Marks in [`TwoByteTable`]: folded to nothing, or to several characters.
/// Neither can be the folding of a two-byte character.
const TWO_BYTE_DELETED: char = '\0';
const TWO_BYTE_SLOW: char = '\u{FFFF}';

fn two_byte_table() -> &'static TwoByteTable {
    static TABLE: std::sync::OnceLock<TwoByteTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        struct Collect(Vec<char>);
        impl FoldSink for Collect {
            fn push(&mut self, c: char, _: usize) {
                self.0.push(c);
            }
        }
        let mut table = [TWO_BYTE_SLOW; 0x800 - 0x80];
        for (i, entry) in table.iter_mut().enumerate() {
            let Some(c) = char::from_u32(0x80 + i as u32) else { continue };
            let mut out = Collect(Vec::new());
            fold_char(c, 0, &mut out);
            *entry = match out.0.as_slice() {
                [] => TWO_BYTE_DELETED,
                [d] if *d != TWO_BYTE_SLOW && *d != TWO_BYTE_DELETED => *d,
                _ => TWO_BYTE_SLOW,
            };
        }
        TwoByteTable(table)
    })
}

/// Folds `source` character by character into `sink`. This is the one folding
/// loop: every other entry point (the offset map, the token scanner) is a sink.
///
/// Fast paths, which give exactly what [`fold_char`] gives: ASCII is
/// lowercased in place; a two-byte character (all of Arabic) is folded by
/// one lookup in [`TwoByteTable`] unless a combining maddah or hamza follows
/// it (step 0 composes them first); everything else goes through `fold_char`.
#[inline]
pub fn fold_into(source: &str, sink: &mut impl FoldSink) {
    let table = &two_byte_table().0;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            sink.push(char::from(b.to_ascii_lowercase()), i);
            i += 1;
            continue;
        }
        let at = i;
        if b < 0xE0 {
            // A two-byte character: `source` is valid UTF-8, so its second
            // byte is there. Fold it by the table unless a combining maddah
            // or hamza (U+0653..U+0655, D9 93..D9 95) follows.
            let index = ((usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F)) - 0x80;
            i += 2;
            let composing_next = bytes.get(i) == Some(&0xD9) && matches!(bytes.get(i + 1), Some(0x93..=0x95));
            if !composing_next {
                match table[index] {
                    TWO_BYTE_DELETED => {}
                    TWO_BYTE_SLOW => fold_char(char::from_u32(index as u32 + 0x80).unwrap_or('\u{FFFD}'), at, sink),
                    folded => sink.push(folded, at),
                }
                continue;
            }
        }
        i = fold_one(source, at, sink);
    }
}

/// Folds the one source character at byte `at` (a character boundary) into
/// `sink`, composing it with a combining maddah or hamza after it (step 0);
/// returns the offset after what it consumed. The general path of
/// [`fold_into`], which the token scanner shares for what its tables leave out.
#[inline(never)]
pub fn fold_one(source: &str, at: usize, sink: &mut impl FoldSink) -> usize {
    let bytes = source.as_bytes();
    let c = source[at..].chars().next().unwrap_or('\u{FFFD}');
    let mut i = at + c.len_utf8();
    if c.is_ascii() {
        sink.push(c.to_ascii_lowercase(), at);
        return i;
    }
    // U+0653..U+0655 (D9 93..D9 95) compose with the character before them.
    let composing_next = bytes.get(i) == Some(&0xD9) && matches!(bytes.get(i + 1), Some(0x93..=0x95));
    let c = match composing_next {
        false => c,
        true => {
            let next = source[i..].chars().next().unwrap_or('\u{FFFD}');
            match unicode_normalization::char::compose(c, next) {
                Some(composed) => {
                    i += next.len_utf8();
                    composed
                }
                None => c,
            }
        }
    };
    fold_char(c, at, sink);
    i
}

fn fold_char(c: char, at: usize, out: &mut impl FoldSink) {
    // Fast path: the Arabic letters (no marks, no tatweel).
    if ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c) {
        return out.push(fold_letter(c).unwrap_or(c), at);
    }
    // Step 2 first for U+FEFF, which also sits in the presentation-form block.
    if is_deleted(c) {
        return;
    }
    // Step 1: presentation forms decompose, then the parts fold.
    if is_presentation_form(c) {
        let drop_space = ('\u{FE70}'..='\u{FE7E}').contains(&c) || ('\u{FC5E}'..='\u{FC63}').contains(&c);
        let mut parts = Vec::with_capacity(4);
        unicode_normalization::char::decompose_compatible(c, |d| parts.push(d));
        if parts.len() == 1 && parts[0] == c {
            return out.push(c, at);
        }
        for d in parts {
            if drop_space && d == ' ' {
                continue;
            }
            fold_char(d, at, out);
        }
        return;
    }
    if let Some(folded) = fold_letter(c) {
        return out.push(folded, at);
    }
    if c.is_whitespace() {
        let space = if matches!(c, '\u{0085}' | '\u{2028}' | '\u{2029}') { '\n' } else { ' ' };
        return out.push(space, at);
    }
    if c.is_uppercase() {
        for l in c.to_lowercase() {
            out.push(l, at);
        }
        return;
    }
    out.push(c, at);
}

/// Steps 3 and 4: Arabic letter variants, digits and punctuation.
fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' | 'ٵ' => 'ا',
        'ى' | 'ی' | 'ې' | 'ۍ' | 'ے' => 'ي',
        'ة' | 'ۀ' | 'ہ' | 'ۂ' | 'ھ' | 'ە' => 'ه',
        'ک' | 'ڪ' => 'ك',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٫' | '۔' => '.',
        '٬' | '،' => ',',
        '٪' => '%',
        '؛' => ';',
        '؟' => '?',
        '«' | '»' => '"',
        _ => return None,
    })
}

fn is_presentation_form(c: char) -> bool {
    ('\u{FB50}'..='\u{FDFF}').contains(&c) || ('\u{FE70}'..='\u{FEFF}').contains(&c)
}

/// Step 2: harakat and other marks, Quranic marks, tatweel, invisibles and
/// direction controls.
pub fn is_deleted(c: char) -> bool {
    // Fast path: nothing below U+00AD, and no basic Arabic letter, is deleted.
    if c < '\u{00AD}' || ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c) {
        return false;
    }
    is_word_mark(c)
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{00AD}')
}

/// Whether `source` holds only ASCII and the basic Arabic letters
/// (U+0621..U+063A, U+0641..U+064A), none of which [`is_deleted`]: read a
/// byte (ASCII) or two (a letter) at a time, without decoding characters.
/// `false` says nothing (the text may still have nothing to delete).
fn only_plain_letters(source: &str) -> bool {
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let Some(&next) = bytes.get(i + 1) else { return false };
        // U+0621..U+063A is D8 A1..D8 BA; U+0641..U+064A is D9 81..D9 8A.
        let letter = (lead == 0xD8) & (next.wrapping_sub(0xA1) <= 0x19) | (lead == 0xD9) & (next.wrapping_sub(0x81) <= 0x09);
        if !letter {
            return false;
        }
        i += 2;
    }
    true
}

/// Marks written on or after a letter that belong to its word: harakat,
/// superscript alef, Quranic marks and tatweel.
fn is_word_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{0610}'..='\u{061A}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{0640}')
}

/// The written skeleton of a source slice: composed, marks and invisibles
/// removed, letters left as written. Two surfaces with the same skeleton differ
/// only in marks; a different skeleton that folds the same is an orthographic
/// variant.
pub fn skeleton(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    skeleton_into(source, &mut out);
    out
}

/// [`skeleton`], appended to `out`.
pub fn skeleton_into(source: &str, out: &mut String) {
    // The usual form has no marks: then nothing is removed, and nothing
    // composes either (the combining hamza and madda are marks).
    if only_plain_letters(source) || !source.chars().any(is_deleted) {
        out.push_str(source);
        return;
    }
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        let mut c = c;
        if let Some(&next) = chars.peek() {
            if ('\u{0653}'..='\u{0655}').contains(&next) {
                if let Some(composed) = unicode_normalization::char::compose(c, next) {
                    c = composed;
                    chars.next();
                }
            }
        }
        if !is_deleted(c) {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_letters_are_ascii_and_the_basic_arabic_letters_none_of_them_deleted() {
        let chars = (0..0x800u32).chain(0x2000..0x2070).chain([0xFDFA, 0xFEFF, 0x1F600]).filter_map(char::from_u32);
        for c in chars {
            let plain = c.is_ascii() || ('\u{0621}'..='\u{063A}').contains(&c) || ('\u{0641}'..='\u{064A}').contains(&c);
            let text = format!("ب{c}a");
            assert_eq!(only_plain_letters(&text), plain, "{c:?}");
            if plain {
                assert!(!is_deleted(c), "{c:?}");
            }
            let mut skeleton = String::new();
            skeleton_into(&text, &mut skeleton);
            assert_eq!(skeleton, text.chars().filter(|&x| !is_deleted(x)).collect::<String>(), "{c:?}");
        }
    }

    #[test]
    fn folds_letter_variants_and_removes_marks() {
        assert_eq!(fold_str("اللجنـــة العسكريّة العليا"), "اللجنه العسكريه العليا");
        assert_eq!(fold_str("الاستراتيجى"), "الاستراتيجي");
        assert_eq!(fold_str("اتفاقیة الإطار"), "اتفاقيه الاطار");
        assert_eq!(fold_str("کرکوک"), "كركوك");
        assert_eq!(fold_str("أإآٱ"), "اااا");
    }

    #[test]
    fn folded_at_finds_the_first_byte_a_source_character_made() {
        // «الـلجنة»: a tatweel (folds to nothing) inside; «ا» + combining hamza.
        let source = "قال الـلجنة ا\u{0655}طار";
        let folded = fold(source);
        assert_eq!(folded.as_str(), "قال اللجنه اطار");
        let lam = source.find("لجنة").unwrap();
        assert_eq!(folded.folded_at(lam), folded.as_str().find("لجنه"));
        assert_eq!(folded.folded_at(source.find('ـ').unwrap()), None, "the tatweel made nothing");
        assert_eq!(folded.folded_at(source.find("ا\u{0655}").unwrap()), folded.as_str().find("اطار"));
        assert_eq!(folded.folded_at(source.find('\u{0655}').unwrap()), None, "the hamza composed into the alef");
        assert_eq!(folded.folded_at(source.len()), None);
    }

    #[test]
    fn keeps_hamza_on_carriers() {
        assert_eq!(fold_str("رئيس مؤتمر ماء"), "رئيس مؤتمر ماء");
    }

    #[test]
    fn composes_decomposed_hamza_before_folding() {
        // و + combining hamza above is ؤ, which is kept.
        assert_eq!(fold_str("مو\u{0654}تمر"), "مؤتمر");
        // ا + combining hamza below is إ, which folds to ا.
        assert_eq!(fold_str("ا\u{0655}طار"), "اطار");
    }

    #[test]
    fn digits_and_punctuation() {
        assert_eq!(fold_str("١٢٫٥٪"), "12.5%");
        assert_eq!(fold_str("۱۲"), "12");
        assert_eq!(fold_str("«نعم»، لا؛ لماذا؟"), "\"نعم\", لا; لماذا?");
    }

    #[test]
    fn latin_is_lowercased_and_spaces_unified() {
        assert_eq!(fold_str("(HMC)\u{00A0}CJTF-OIR"), "(hmc) cjtf-oir");
    }

    #[test]
    fn removes_invisibles_and_direction_controls() {
        assert_eq!(fold_str("اللجنة\u{200F} العسكرية\u{2067}"), "اللجنه العسكريه");
        assert_eq!(fold_str("\u{FEFF}حوار"), "حوار");
    }

    #[test]
    fn presentation_forms_decompose_then_fold() {
        assert_eq!(fold_str("ﻟﻠﺠﻨﺔ"), "للجنه");
        assert_eq!(fold_str("ﻻ"), "لا");
        // The rial sign decomposes to a Persian yeh, which then folds.
        assert_eq!(fold_str("\u{FDFC}"), "ريال");
        // Isolated haraka forms leave neither a space nor a mark.
        assert_eq!(fold_str("ب\u{FE76}ت"), "بت");
    }

    #[test]
    fn offsets_point_back_to_source_characters() {
        let source = "ﻟﻠﺠﻨﺔ لا";
        let folded = fold(source);
        for (i, _) in folded.as_str().char_indices() {
            assert!(source.is_char_boundary(folded.origin(i)));
        }
        let span = folded.source_range(0..folded.as_str().find(' ').unwrap(), source);
        assert_eq!(&source[span], "ﻟﻠﺠﻨﺔ");
    }

    #[test]
    fn source_range_keeps_trailing_marks() {
        let source = "العليا\u{064E} و";
        let folded = fold(source);
        let end = folded.as_str().find(' ').unwrap();
        assert_eq!(&source[folded.source_range(0..end, source)], "العليا\u{064E}");
    }

    #[test]
    fn skeleton_drops_marks_only() {
        assert_eq!(skeleton("العسكريّة\u{200F}"), "العسكرية");
        assert_eq!(skeleton("اتفاقیة"), "اتفاقیة");
    }
}
