//! English matching, for the source side of translation units: the concepts'
//! English names, variants and acronyms, found case-insensitively on word
//! boundaries (acronyms case-sensitively), with a plural or possessive on the
//! last word ("Commissions", "Commission's") and with hyphens, en dashes,
//! spaces and the periods of "U.S." all alike ("U.S.-Iraq" = "US-Iraq",
//! "Counter-Terrorism" = "Counter Terrorism" = "Counterterrorism").
//! Leftmost-longest, a hash lookup per word.
//!
//! What is not prose is never a mention: code spans, command-line flags
//! (`--wipe-empty-space`), identifiers (`wipe_memory()`, `notification.type`,
//! `@:settings.save`), URLs, paths and markup tags are masked before
//! matching; a keyboard mnemonic inside a word ("S_hred", "&File") is read
//! through. A verb concept's name is read with its inflections ("deleted",
//! "deleting", "shredded"); a noun concept's name is not matched where its
//! word is used as a verb ("when {user} posts", "shares your post"). A word
//! with the prefix un- names the concept of the rest ("Unfollow",
//! "Unmute"): its translation renders it («إلغاء المتابعة»).

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::trie::{Trie, TrieBuilder, ROOT};
use crate::glossary::{Glossary, PartsOfSpeech, TermRole};

/// One English occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnglishMatch {
    /// Index of the concept.
    pub concept: usize,
    /// Index of the term.
    pub term: usize,
    /// Byte range in the text.
    pub span: Range<usize>,
}

struct Form {
    concept: usize,
    term: usize,
    /// For acronyms: the letters as written, compared case-sensitively.
    case_sensitive: Option<String>,
    /// Its concept is (also) a verb: its words take a verb's inflections.
    verb: bool,
    /// Its concept is a noun only: not matched where its one word is a verb.
    noun_only: bool,
    /// Words in the form.
    words: usize,
}

/// Finds English names and acronyms.
pub struct EnglishMatcher {
    words: FxHashMap<String, u32>,
    /// A bit per first two bytes of the known words: a candidate stem whose
    /// bit is clear is no word of a form, without hashing it.
    starts: Box<[u64; 1024]>,
    /// Whether any concept is a verb (only then are -ed and -ing read).
    verbs: bool,
    /// Word sequences of the names, each form at the node where it ends.
    trie: Trie<Form>,
}

/// A word's lowercase letters, inline when short (nearly every English
/// word): a catalogue has hundreds of thousands of words, and a `String`
/// each was an allocation and a free each.
#[derive(Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; KEY_INLINE] },
    Heap(String),
}

/// Bytes a [`Key`] keeps inline.
const KEY_INLINE: usize = 30;

impl Key {
    fn new() -> Key {
        Key::Inline { len: 0, bytes: [0; KEY_INLINE] }
    }

    fn push_str(&mut self, s: &str) {
        match self {
            Key::Inline { len, bytes } if usize::from(*len) + s.len() <= KEY_INLINE => {
                bytes[usize::from(*len)..usize::from(*len) + s.len()].copy_from_slice(s.as_bytes());
                *len += s.len() as u8;
            }
            Key::Inline { .. } => {
                let mut heap = self.as_str().to_string();
                heap.push_str(s);
                *self = Key::Heap(heap);
            }
            Key::Heap(heap) => heap.push_str(s),
        }
    }

    fn push_lowercase(&mut self, c: char) {
        match self {
            Key::Inline { len, bytes } if c.is_ascii() && usize::from(*len) < KEY_INLINE => {
                bytes[usize::from(*len)] = c.to_ascii_lowercase() as u8;
                *len += 1;
            }
            _ => {
                for lower in c.to_lowercase() {
                    self.push_str(lower.encode_utf8(&mut [0; 4]));
                }
            }
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // SAFETY: only whole `str`s were copied in, by `push_str`.
            Key::Inline { len, bytes } => unsafe { std::str::from_utf8_unchecked(&bytes[..usize::from(*len)]) },
            Key::Heap(heap) => heap,
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// A word of English text: its normalized form and byte range.
struct Word {
    key: Key,
    range: Range<usize>,
    /// Only spaces, hyphens, dashes and periods separate it from the previous word.
    joins: bool,
    /// An apostrophe-s follows it directly ("Commission's"): its end, if so.
    possessive_end: Option<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `c` may mark a keyboard mnemonic inside a word.
fn is_mnemonic(c: char) -> bool {
    matches!(c, '_' | '&' | '~')
}

/// Stands for a masked byte: not a letter, and not a gap a phrase may cross.
const MASK: u8 = 0x1F;

/// The text with what is not prose masked, byte for byte (see the module
/// documentation): code spans in backticks, markup tags, URLs, paths,
/// command-line flags, and identifiers — a word joined by `_` that is no
/// mnemonic, by `.` or `::` between letters, or followed by `(`.
pub fn mask_code(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(|b| matches!(b, b'`' | b'<' | b'{' | b'/' | b'-' | b'_' | b'.' | b'(' | b':' | b'@' | b'~')) {
        return std::borrow::Cow::Borrowed(text);
    }
    // The ranges to mask, found first: the text is copied only when there
    // is one (most English strings have a period and no code).
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mask = |ranges: &mut Vec<Range<usize>>, range: Range<usize>| ranges.push(range);
    // Code spans and tags.
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                if let Some(close) = bytes[i + 1..].iter().position(|&b| b == b'`') {
                    mask(&mut ranges, i..i + close + 2);
                    i += close + 2;
                    continue;
                }
            }
            // A placeholder in braces (`{username}`, `{{count}}`, `${name}`).
            b'{' => {
                if let Some(close) = bytes[i + 1..].iter().position(|&b| b == b'}' || b == b'{' || b == b'\n') {
                    if bytes[i + 1 + close] == b'}' {
                        mask(&mut ranges, i..i + close + 2);
                        i += close + 2;
                        continue;
                    }
                }
            }
            b'<' if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!')) => {
                if let Some(close) = bytes[i + 1..].iter().position(|&b| b == b'>' || b == b'<') {
                    if bytes[i + 1 + close] == b'>' {
                        mask(&mut ranges, i..i + close + 2);
                        i += close + 2;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Chunks between white space, without the punctuation that ends a sentence.
    let mut start = None;
    for (k, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                let mut chunk = &text[s..k];
                // Most chunks are plain words (a final period aside).
                let inner = &chunk.as_bytes()[..chunk.len().saturating_sub(1)];
                if !inner.iter().any(|b| matches!(b, b'/' | b'-' | b'(' | b':' | b'.' | b'_' | b'@' | b'~')) {
                    continue;
                }
                chunk = chunk.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '”', '’', '…']);
                chunk = chunk.trim_start_matches(['(', '[', '"', '\'', '“', '‘']);
                if !chunk.is_empty() && is_code(chunk) {
                    let at = chunk.as_ptr() as usize - text.as_ptr() as usize;
                    mask(&mut ranges, at..at + chunk.len());
                }
            }
        } else if start.is_none() {
            start = Some(k);
        }
    }
    if ranges.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for range in ranges {
        out[range].fill(MASK);
    }
    // Whole characters were masked (every range starts and ends on a
    // character's edge), so the bytes are still UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// Whether a chunk of text between white space is code rather than prose.
fn is_code(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    // URLs and paths.
    if chunk.contains("://") || chunk.starts_with("www.") || chunk.starts_with('/') || chunk.starts_with("~/") || chunk.starts_with("./") {
        return true;
    }
    // Command-line flags: -v, --wipe-empty-space.
    if b.first() == Some(&b'-') && b.get(1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'-') {
        return true;
    }
    // A call: name(…).
    if let Some(open) = chunk.find('(') {
        if open > 0 && chunk[..open].bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':')) {
            return true;
        }
    }
    // Identifiers: `@:settings.x`, `a::b`, dotted names with a part of two
    // letters or more (not initials like U.S.), snake_case.
    if chunk.starts_with("@:") || chunk.contains("::") {
        return true;
    }
    // A period between two runs of two letters or digits or more
    // («notification.type», «Winapp2.ini»), not the periods of initials.
    let run = |range: &mut dyn Iterator<Item = u8>| range.take_while(u8::is_ascii_alphanumeric).count();
    let dotted = (1..b.len().saturating_sub(1))
        .any(|k| b[k] == b'.' && run(&mut b[..k].iter().rev().copied()) >= 2 && run(&mut b[k + 1..].iter().copied()) >= 2);
    if dotted {
        return true;
    }
    if (1..b.len().saturating_sub(1)).any(|k| b[k] == b'_' && b[k - 1].is_ascii_alphanumeric() && b[k + 1].is_ascii_alphanumeric()) {
        return is_identifier(chunk);
    }
    false
}

/// Whether a word with `_` inside is an identifier rather than a label with a
/// mnemonic: two underscores or more, or a lowercase part of two letters or
/// more before it and two or more letters after it ("wipe_memory",
/// "list_cleaners"; but "S_hred", "Sh_red", "_Delete" are mnemonics).
fn is_identifier(word: &str) -> bool {
    let parts: Vec<&str> = word.split('_').collect();
    if parts.len() > 2 {
        return true;
    }
    let (before, after) = (parts[0], parts.get(1).copied().unwrap_or(""));
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    letters(before) >= 2 && before.chars().all(|c| !c.is_uppercase()) && letters(after) >= 2
}

/// Splits English text into words; single letters joined by periods
/// ("U.S.", "U.N.") become one word ("us"); a mnemonic marker between two
/// letters is left out of its word ("S_hred" is "shred").
fn words(text: &str) -> Vec<Word> {
    // Room for a usual name without growing.
    let mut out: Vec<Word> = Vec::with_capacity(4);
    let mut chars = text.char_indices().peekable();
    let mut gap_ok = false;
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            if !matches!(c, ' ' | '\t' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' | '.' | '\u{A0}') {
                gap_ok = false;
            }
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut key = Key::new();
        key.push_lowercase(c);
        while let Some(&(i, d)) = chars.peek() {
            if is_word_char(d) {
                end = i + d.len_utf8();
                key.push_lowercase(d);
                chars.next();
            } else if is_mnemonic(d) && text[i + 1..].chars().next().is_some_and(char::is_alphabetic) {
                // A mnemonic marker: the word goes on after it.
                chars.next();
            } else {
                break;
            }
        }
        let word = &text[start..end];
        // "U.S." and the like: a single letter after a single letter and a period.
        if key.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            if let Some(last) = out.last_mut() {
                let between = &text[last.range.end..start];
                if between == "."
                    && last.key.chars().all(char::is_alphabetic)
                    && text[last.range.clone()].chars().all(|c| c.is_alphabetic() || c == '.')
                    && last.range.len() < 8
                    && is_initials(&text[last.range.clone()])
                {
                    last.key.push_str(&key);
                    last.range.end = end;
                    // Swallow a closing period of the abbreviation.
                    if text[end..].starts_with('.') {
                        last.range.end = end + 1;
                        chars.next();
                    }
                    continue;
                }
            }
        }
        let possessive_end = ["'s", "’s"].iter().find(|p| text[end..].starts_with(**p)).map(|p| end + p.len());
        let joins = gap_ok && !out.is_empty();
        out.push(Word { key, range: start..end, joins, possessive_end });
        if let Some(p) = possessive_end {
            // Skip the apostrophe-s.
            while chars.peek().is_some_and(|&(i, _)| i < p) {
                chars.next();
            }
        }
        gap_ok = true;
    }
    out
}

/// Whether a word so far is initials: single letters with periods between.
fn is_initials(written: &str) -> bool {
    written.split('.').all(|part| part.chars().count() <= 1)
}

/// How a text word was read to reach a form's word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// As written.
    Plain,
    /// Without a plural (or third-person) -s or -es.
    Plural,
    /// Without a verb's -ed or -ing.
    Verb,
    /// Without the prefix un- ("Unfollow").
    Un,
}

/// The stems a text word may be read as, with how: as written; without -s
/// or -es; without -ed or -ing (the dropped e and a doubled consonant
/// restored: "deleted", "shredded"), -ies and -ied as -y; without un-. Each
/// is a slice of the word and at most one letter after it: the stems are
/// handed to `each` one by one, made in `scratch`, without an allocation a
/// word (a catalogue has hundreds of thousands of words).
fn each_candidate(key: &str, scratch: &mut String, mut each: impl FnMut(&str, Reading)) {
    let mut with = |stem: &str, letter: Option<char>, reading: Reading| match letter {
        None => each(stem, reading),
        Some(letter) => {
            scratch.clear();
            scratch.push_str(stem);
            scratch.push(letter);
            each(scratch, reading)
        }
    };
    with(key, None, Reading::Plain);
    if let Some(stem) = key.strip_suffix("es") {
        with(stem, None, Reading::Plural);
    }
    if let Some(stem) = key.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        with(stem, None, Reading::Plural);
    }
    if let Some(stem) = key.strip_suffix("ies") {
        with(stem, Some('y'), Reading::Plural);
    }
    if key.chars().nth(3).is_some() {
        for ending in ["ed", "ing"] {
            let Some(stem) = key.strip_suffix(ending).filter(|s| s.chars().nth(1).is_some()) else { continue };
            with(stem, None, Reading::Verb);
            with(stem, Some('e'), Reading::Verb);
            let mut last_two = stem.chars().rev();
            if let (Some(a), Some(b), true) = (last_two.next(), last_two.next(), stem.chars().nth(2).is_some()) {
                if a == b {
                    with(&stem[..stem.len() - a.len_utf8()], None, Reading::Verb);
                }
            }
        }
        if let Some(stem) = key.strip_suffix("ied") {
            with(stem, Some('y'), Reading::Verb);
        }
    }
    if let Some(rest) = key.strip_prefix("un").filter(|r| r.chars().nth(2).is_some()) {
        with(rest, None, Reading::Un);
    }
}

/// The most ways [`each_candidate`] reads a word, and two words written
/// closed, of a walk's step.
const MAX_STEPS: usize = 24;

/// Subjects before a verb's third person ("he posts", "who follows").
const SUBJECTS: &[&str] = &["he", "she", "it", "who", "which", "that", "someone", "somebody", "everyone", "nobody", "anyone"];
/// Words that open a clause, whose subject may be a placeholder.
const CLAUSE_OPENERS: &[&str] =
    &["when", "whenever", "if", "after", "before", "while", "once", "until", "that", "as", "because", "since", "unless", "and", "or"];
/// What follows a transitive verb and never a plural noun: a determiner or
/// an object pronoun ("shares your post", "follows them"). Not "you",
/// "it", "that" or "this", which as often start a relative clause after a
/// plural ("files you want", "files that were deleted").
const OBJECTS: &[&str] = &["a", "an", "the", "my", "your", "his", "her", "our", "their", "me", "him", "us", "them"];

impl EnglishMatcher {
    /// Indexes the English names, variants and acronyms of a glossary.
    pub fn new(glossary: &Glossary) -> EnglishMatcher {
        let mut words_of = FxHashMap::default();
        let mut trie = TrieBuilder::default();
        let id_of = |key: String, words_of: &mut FxHashMap<String, u32>| -> u32 {
            let next = words_of.len() as u32;
            *words_of.entry(key).or_insert(next)
        };
        for (c, concept) in glossary.concepts.iter().enumerate() {
            // What the concept's Arabic renderings are read as.
            let pos = concept.terms.iter().filter(|t| t.role == TermRole::Arabic).map(|t| t.pos).reduce(PartsOfSpeech::union);
            let pos = pos.unwrap_or(PartsOfSpeech::NOUN);
            let verb = pos.contains(PartsOfSpeech::VERB);
            for (t, term) in concept.terms.iter().enumerate() {
                if term.role == TermRole::Arabic {
                    continue;
                }
                let ws = words(&term.text);
                if ws.is_empty() {
                    continue;
                }
                let keys: Vec<String> = ws.into_iter().map(|w| w.key.to_string()).collect();
                let case_sensitive = (term.role == TermRole::Acronym).then(|| letters(&term.text));
                let form = |words: usize| Form {
                    concept: c,
                    term: t,
                    case_sensitive: case_sensitive.clone(),
                    verb,
                    noun_only: !verb && !pos.contains(PartsOfSpeech::ADJECTIVE),
                    words,
                };
                let labels: Vec<u32> = keys.iter().map(|k| id_of(k.clone(), &mut words_of)).collect();
                trie.insert(labels.iter().copied(), form(keys.len()));
                // Each pair of words also written closed ("counterterrorism
                // service" for "Counter-Terrorism Service").
                if case_sensitive.is_none() {
                    for k in 0..keys.len().saturating_sub(1) {
                        let mut closed: Vec<u32> = labels[..k].to_vec();
                        closed.push(id_of(format!("{}{}", keys[k], keys[k + 1]), &mut words_of));
                        closed.extend_from_slice(&labels[k + 2..]);
                        trie.insert(closed.iter().copied(), form(closed.len()));
                    }
                }
            }
        }
        let mut starts = Box::new([0u64; 1024]);
        for key in words_of.keys() {
            let bit = start_bit(key);
            starts[bit >> 6] |= 1 << (bit & 63);
        }
        let verbs =
            glossary.concepts.iter().flat_map(|c| &c.terms).any(|t| t.role == TermRole::Arabic && t.pos.contains(PartsOfSpeech::VERB));
        EnglishMatcher { words: words_of, starts, verbs, trie: trie.build() }
    }

    /// The id of a known word, if `key` is one.
    #[inline]
    fn word(&self, key: &str) -> Option<u32> {
        let bit = start_bit(key);
        if self.starts[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.words.get(key).copied()
    }

    /// Every English occurrence, leftmost-longest.
    pub fn find(&self, text: &str) -> Vec<EnglishMatch> {
        let masked = mask_code(text);
        let ws = words(&masked);
        let mut out = Vec::new();
        let mut i = 0;
        // Room for the stems a word is read as, reused from word to word.
        let (mut scratch, mut joined) = (String::new(), String::new());
        while i < ws.len() {
            let mut best: Option<(usize, &Form, usize)> = None;
            self.walk(&masked, &ws, i, i, ROOT, &mut best, &mut scratch, &mut joined);
            match best {
                Some((len, form, end)) => {
                    out.push(EnglishMatch { concept: form.concept, term: form.term, span: ws[i].range.start..end });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Walks the trie from `node` along the words from `j` (the phrase
    /// started at `i`), keeping the longest acceptable form in `best`: (words
    /// taken, form, end of the match).
    #[allow(clippy::too_many_arguments)]
    fn walk<'m>(
        &'m self,
        text: &str,
        ws: &[Word],
        i: usize,
        j: usize,
        node: u32,
        best: &mut Option<(usize, &'m Form, usize)>,
        scratch: &mut String,
        joined: &mut String,
    ) {
        if j >= ws.len() || (j > i && !ws[j].joins) {
            return;
        }
        let word = &ws[j];
        // The word as written or inflected; or two words written apart that
        // a form writes closed ("Counter-Terrorism" for "Counterterrorism"):
        // each as (words taken, word id, reading), the known ones only.
        let mut steps = [(0usize, 0u32, Reading::Plain); MAX_STEPS];
        let mut count = 0;
        let verbs = self.verbs;
        each_candidate(&word.key, scratch, |key, reading| {
            if reading == Reading::Verb && !verbs {
                return;
            }
            if let (Some(id), true) = (self.word(key), count < MAX_STEPS) {
                steps[count] = (1, id, reading);
                count += 1;
            }
        });
        if let Some(next) = ws.get(j + 1).filter(|n| n.joins && word.possessive_end.is_none()) {
            each_candidate(&next.key, scratch, |key, reading| {
                // A closed compound is a plain word or a plural.
                if !matches!(reading, Reading::Plain | Reading::Plural) || count >= MAX_STEPS {
                    return;
                }
                joined.clear();
                joined.push_str(&word.key);
                joined.push_str(key);
                if let Some(id) = self.word(joined) {
                    steps[count] = (2, id, reading);
                    count += 1;
                }
            });
        }
        for &(taken, id, reading) in &steps[..count] {
            let Some(n) = self.trie.child(node, id) else { continue };
            let last = &ws[j + taken - 1];
            let end = last.possessive_end.unwrap_or(last.range.end);
            let words_taken = j + taken - i;
            for form in self.trie.items(n) {
                if self.acceptable(form, reading, text, ws, i, j + taken - 1) && best.is_none_or(|(len, _, _)| words_taken > len) {
                    *best = Some((words_taken, form, end));
                }
            }
            // A plural, a possessive or a prefix un- ends the phrase.
            if matches!(reading, Reading::Plain | Reading::Verb) && last.possessive_end.is_none() {
                self.walk(text, ws, i, j + taken, n, best, scratch, joined);
            }
        }
    }

    /// Whether `form`, reached with its last word read as `reading` (text
    /// words `i..=last`), is an occurrence.
    fn acceptable(&self, form: &Form, reading: Reading, text: &str, ws: &[Word], i: usize, last: usize) -> bool {
        let written = &text[ws[i].range.start..ws[last].range.end];
        let letters = || written.chars().filter(|c| c.is_alphanumeric());
        match (&form.case_sensitive, reading) {
            (Some(acronym), Reading::Plain) => return letters().eq(acronym.chars()),
            (Some(acronym), Reading::Plural) => return letters().eq(acronym.chars().chain(std::iter::once('s'))),
            (Some(_), _) => return false,
            (None, Reading::Verb) if !form.verb => return false,
            (None, Reading::Un) if form.words != 1 => return false,
            _ => {}
        }
        !(form.noun_only && form.words == 1 && i == last && self.used_as_verb(text, ws, i, reading))
    }

    /// Whether the word `k`, read as a plural, is rather a verb's third
    /// person: after a subject or a placeholder ("when {user} posts", "he
    /// shares") or before an object or a determiner ("follows them", "shares
    /// your post"). Only the -s form tells a verb from a noun: a base form
    /// after a modal ("could not download") is matched, for Arabic renders
    /// an English verb with a verbal noun as often as with a verb.
    fn used_as_verb(&self, text: &str, ws: &[Word], k: usize, reading: Reading) -> bool {
        // Read as a plural, or a listed plural ("posts" in en_variants).
        if !matches!(reading, Reading::Plural | Reading::Plain) || !ws[k].key.ends_with('s') || ws[k].possessive_end.is_some() {
            return false;
        }
        let previous = k.checked_sub(1).map(|p| &ws[p]);
        let next = ws.get(k + 1).filter(|n| text[ws[k].range.end..n.range.start].chars().all(|c| c == ' '));
        let gap_before = previous.map_or(&text[..ws[k].range.start], |p| &text[p.range.end..ws[k].range.start]);
        // A placeholder is a subject after a word that opens a clause
        // ("when {user} posts"), not a count before a plural ("{count}
        // posts", "Show %d posts").
        let placeholder = gap_before.contains('\u{1F}')
            && gap_before.chars().all(|c| c == ' ' || c == '\u{1F}')
            && previous.is_some_and(|p| CLAUSE_OPENERS.contains(&p.key.as_str()));
        let subject = previous.is_some_and(|p| SUBJECTS.contains(&p.key.as_str())) && gap_before.chars().all(|c| c == ' ');
        placeholder || subject || next.is_some_and(|n| OBJECTS.contains(&n.key.as_str()))
    }
}

/// The bit of a word's first two bytes in [`EnglishMatcher::starts`].
#[inline]
fn start_bit(key: &str) -> usize {
    let b = key.as_bytes();
    (usize::from(b.first().copied().unwrap_or(0)) << 8 | usize::from(b.get(1).copied().unwrap_or(0))) & 0xFFFF
}

/// The letters and digits of a written form, case kept.
fn letters(written: &str) -> String {
    written.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let csv = "id,en,acronym,ar,en_variants,pos\n\
                   hmc,U.S.-Iraq Higher Military Commission,HMC,اللجنة العسكرية العليا,Higher Military Commission,\n\
                   cts,Counter-Terrorism Service,CTS,جهاز مكافحة الإرهاب,,\n\
                   isf,Iraqi Security Forces,ISF,قوات الأمن العراقية,Iraqi Security Force,\n\
                   post,post,,منشور,posts,\n\
                   share,share,,مشاركة,,\n\
                   delete,delete,,حذف,,verb\n\
                   shred,shred,,تمزيق,,verb noun\n\
                   follow,follow,,متابعة,,verb noun\n\
                   mute,mute,,كتم,,verb\n\
                   notification,notification,,إشعار,,\n\
                   wipe,wipe,,محو,,verb\n\
                   empty-space,empty space,,المساحة الفارغة,,\n";
        let mut g = crate::glossary::csv::parse(csv.as_bytes(), "g.csv").unwrap();
        g.validate().unwrap();
        g
    }

    fn found(text: &str) -> Vec<(String, &str)> {
        let g = glossary();
        let m = EnglishMatcher::new(&g);
        m.find(text).into_iter().map(|x| (g.concepts[x.concept].id.clone(), &text[x.span])).collect()
    }

    fn ids(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn names_case_insensitively_with_spelling_variants() {
        assert_eq!(found("The US-Iraq higher military commission met."), vec![("hmc".into(), "US-Iraq higher military commission")]);
        assert_eq!(found("the U.S.–Iraq Higher Military Commission"), vec![("hmc".into(), "U.S.–Iraq Higher Military Commission")]);
        assert_eq!(found("Counter Terrorism Service"), vec![("cts".into(), "Counter Terrorism Service")]);
    }

    #[test]
    fn closed_and_hyphenated_compounds_are_alike() {
        assert_eq!(found("the Counterterrorism Service"), vec![("cts".into(), "Counterterrorism Service")]);
        assert_eq!(found("the Counter-terrorism Service"), vec![("cts".into(), "Counter-terrorism Service")]);
    }

    #[test]
    fn inflection_and_possessives() {
        assert_eq!(found("the Commission's work"), vec![]);
        assert_eq!(found("the Higher Military Commission's work"), vec![("hmc".into(), "Higher Military Commission's")]);
        assert_eq!(found("two Higher Military Commissions"), vec![("hmc".into(), "Higher Military Commissions")]);
    }

    #[test]
    fn acronyms_are_case_sensitive() {
        assert_eq!(found("the HMC and the ISF"), vec![("hmc".into(), "HMC"), ("isf".into(), "ISF")]);
        assert!(found("hmc isf").is_empty());
    }

    #[test]
    fn a_sentence_break_ends_a_phrase() {
        assert!(found("Higher Military, Commission").is_empty());
    }

    #[test]
    fn a_verb_concept_is_read_with_its_inflections_a_noun_concept_is_not() {
        assert_eq!(found("Files deleted: 3"), vec![("delete".into(), "deleted")]);
        assert_eq!(found("Deleting the cache"), vec![("delete".into(), "Deleting")]);
        assert_eq!(found("Delete without shredding"), vec![("delete".into(), "Delete"), ("shred".into(), "shredding")]);
        assert_eq!(found("Muted users"), vec![("mute".into(), "Muted")]);
        assert!(found("a posted letter").is_empty(), "a noun concept takes no -ed");
    }

    #[test]
    fn a_noun_is_not_matched_where_it_is_a_verb() {
        assert_eq!(ids("Notify me when {username} posts"), Vec::<String>::new());
        assert_eq!(ids("Notify me when \u{1F}        posts"), Vec::<String>::new());
        // A count before a plural is no subject.
        assert_eq!(ids("{count} posts"), vec!["post"]);
        assert_eq!(ids("Show \u{1F} posts"), vec!["post"]);
        assert_eq!(ids("He shares your post"), vec!["post"]);
        // A plural before a relative clause is a plural.
        assert_eq!(ids("posts you liked"), vec!["post"]);
        assert_eq!(ids("posts that back up this report"), vec!["post"]);
        assert_eq!(ids("Someone who posts a lot"), Vec::<String>::new());
        // A base form is matched: «تعذر تنزيل التقرير» renders "could not download".
        assert_eq!(ids("You cannot share this"), vec!["share"]);
        assert_eq!(ids("Hide posts from this user"), vec!["post"]);
        assert_eq!(ids("Reply to post"), vec!["post"]);
        assert_eq!(ids("Next post"), vec!["post"]);
        // A verb concept is matched as a verb.
        assert_eq!(ids("They can still follow you"), vec!["follow"]);
    }

    #[test]
    fn code_flags_identifiers_urls_and_tags_are_never_mentions() {
        assert!(ids("Specify one of --wipe-empty-space, --shred").is_empty());
        assert!(ids("The function wipe_memory() is waiting").is_empty());
        assert!(ids("MISSING notification.type:").is_empty());
        assert!(ids("use the @:settings.notifications.save button").is_empty());
        assert!(ids("see https://example.com/delete/post now").is_empty());
        assert!(ids("run `delete_post` here").is_empty());
        assert_eq!(ids("<a href='/post/1'>Learn more</a> about mute"), vec!["mute"]);
        assert_eq!(ids("Delete ~/.viminfo which includes"), vec!["delete"]);
        // Prose with periods and initials is prose.
        assert_eq!(ids("Delete it. Then post."), vec!["delete", "post"]);
    }

    #[test]
    fn mnemonic_markers_are_read_through() {
        assert_eq!(found("S_hred Settings"), vec![("shred".into(), "S_hred")]);
        assert_eq!(found("_Wipe Empty Space"), vec![("wipe".into(), "Wipe"), ("empty-space".into(), "Empty Space")]);
        assert_eq!(found("&Delete"), vec![("delete".into(), "Delete")]);
        assert_eq!(found("Sh&red it"), vec![("shred".into(), "Sh&red")]);
    }

    #[test]
    fn a_prefix_un_names_the_concept() {
        assert_eq!(ids("Unfollow"), vec!["follow"]);
        assert_eq!(ids("Unmute this post"), vec!["mute", "post"]);
        assert!(ids("the union").is_empty());
    }
}
