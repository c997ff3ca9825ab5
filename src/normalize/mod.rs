//! Normalization: everything that turns written Arabic (and Latin) into the
//! comparable shape the matcher looks up — character folding with its offset
//! map, tokens, and clitic readings. The same code runs on glossary forms and
//! on text, so that a form and its occurrences always fold alike.

pub mod clitics;
pub mod fold;
pub mod tokens;

pub use fold::{fold, fold_into, fold_str, skeleton, skeleton_into, source_end, FoldSink, Folded};
pub use tokens::{tokenize, ScannedToken, Script, Token, TokenSink, Tokenizer};

/// One token of a glossary form, as the matcher registers it (specification §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken {
    /// The folded stem followed by the skeleton, together.
    letters: Letters,
    /// Where the stem ends in `letters`.
    stem_len: u32,
    /// Whether the form writes the article «ال» on this token.
    pub definite: bool,
    /// The script of the token.
    pub script: Script,
}

impl FormToken {
    /// The folded stem: the folded token without a written article.
    pub fn stem(&self) -> &str {
        &self.letters.as_str()[..self.stem_len as usize]
    }

    /// The stem as written (marks removed, letters unfolded), to tell an
    /// orthographic variant from an exact occurrence.
    pub fn skeleton(&self) -> &str {
        &self.letters.as_str()[self.stem_len as usize..]
    }
}

/// A form token's letters, kept inline when they are short, as nearly all
/// are: a large glossary has hundreds of thousands of form tokens, and one
/// allocation each was a third of loading's allocations (100,000 generated
/// concepts: 99 % of their tokens' letters fit in 30 bytes).
#[derive(Clone, PartialEq, Eq)]
enum Letters {
    /// The first `len` bytes; the rest are zero, so equal letters are equal
    /// arrays.
    Inline {
        len: u8,
        bytes: [u8; INLINE_LETTERS],
    },
    Heap(Box<str>),
}

/// Bytes of letters a form token keeps inline.
const INLINE_LETTERS: usize = 30;

impl Letters {
    fn new(letters: &str) -> Letters {
        match u8::try_from(letters.len()) {
            Ok(len) if letters.len() <= INLINE_LETTERS => {
                let mut bytes = [0; INLINE_LETTERS];
                bytes[..letters.len()].copy_from_slice(letters.as_bytes());
                Letters::Inline { len, bytes }
            }
            _ => Letters::Heap(letters.into()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // SAFETY: the first `len` bytes were copied whole from a `str`
            // in `Letters::new`, and never changed.
            Letters::Inline { len, bytes } => unsafe { std::str::from_utf8_unchecked(&bytes[..usize::from(*len)]) },
            Letters::Heap(letters) => letters,
        }
    }
}

impl std::fmt::Debug for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// Splits a glossary form into its registered tokens. A token whose written
/// form starts with a bare «ال» (never «أل» or «إل») is registered without it
/// and marked definite, so «ألمانيا» keeps its first letters and «اللجنة»
/// registers «لجنه».
pub fn analyze_form(form: &str) -> Vec<FormToken> {
    let mut tokens = Vec::with_capacity(4);
    analyze_form_into(form, &mut tokens);
    tokens
}

/// The tokens of many glossary forms, one form after another in one list,
/// each form a range of it. A large glossary has hundreds of thousands of
/// forms: one allocation each was a sixth of loading's allocations, and the
/// matcher, which reads them all once in order, waited on memory scattered
/// over the heap.
#[derive(Debug, Default)]
pub struct FormTokenList {
    tokens: Vec<FormToken>,
}

/// The words [`FormTokenList::push_form`] analysed lately and where their
/// tokens are: a slot per word hash, each word in its slot until another
/// takes it. Words that come back (a glossary's usual vocabulary) are
/// nearly always there; a word met once (a number) costs a slot, not a
/// growing table.
struct RecentWords<'f> {
    slots: Box<[Option<(&'f str, FormRange)>]>,
}

/// Slots of [`RecentWords`]: a power of two, 96 KB.
const RECENT_WORDS: usize = 1 << 12;

impl Default for RecentWords<'_> {
    fn default() -> Self {
        RecentWords { slots: vec![None; RECENT_WORDS].into_boxed_slice() }
    }
}

impl<'f> RecentWords<'f> {
    /// The slot of `word`: holding it, another word, or nothing.
    fn slot(&mut self, word: &str) -> &mut Option<(&'f str, FormRange)> {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(word);
        // The hash's high bits: FxHash mixes them best.
        &mut self.slots[(hash >> (64 - RECENT_WORDS.trailing_zeros())) as usize]
    }
}

/// Where one form's tokens are in a [`FormTokenList`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormRange {
    start: u32,
    len: u32,
}

impl FormRange {
    /// The tokens from `start` to `end` of a list.
    ///
    /// # Panics
    ///
    /// If the list holds more than `u32::MAX` tokens.
    fn of(start: usize, end: usize) -> FormRange {
        let start = u32::try_from(start).expect("more than u32::MAX form tokens");
        FormRange { start, len: (end - start as usize) as u32 }
    }

    /// The same, as indices of the list.
    fn span(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

impl FormTokenList {
    /// The tokens of the form at `range`.
    pub fn get(&self, range: FormRange) -> &[FormToken] {
        &self.tokens[range.span()]
    }

    /// Analyses `form` ([`analyze_form`]) onto the end of the list, word by
    /// word (runs between ASCII spaces): a word `words` remembers is copied
    /// from its earlier tokens instead of being folded and tokenized again.
    /// Forms share most of their words (with 100,000 generated concepts, all
    /// but their numbers), and a space always ends a token, with nothing on
    /// one side of it changing the tokens on the other: a form's tokens are
    /// its words' tokens one after another (a property test checks it on
    /// arbitrary text).
    fn push_form<'f>(&mut self, form: &'f str, words: &mut RecentWords<'f>) -> FormRange {
        let start = self.tokens.len();
        for word in form.split(' ').filter(|word| !word.is_empty()) {
            let slot = words.slot(word);
            match *slot {
                Some((earlier, range)) if earlier == word => {
                    self.tokens.extend_from_within(range.span());
                }
                _ => {
                    let from = self.tokens.len();
                    analyze_form_into(word, &mut self.tokens);
                    *slot = Some((word, FormRange::of(from, self.tokens.len())));
                }
            }
        }
        FormRange::of(start, self.tokens.len())
    }

    /// Analyses every form of `forms` into one list, in pieces in parallel
    /// on the current rayon pool when it has more than one thread and there
    /// are 1,024 forms or more; with each
    /// form's range, and what `each` makes of the form and its tokens (on
    /// the thread that analysed it). In the order of `forms`.
    ///
    /// # Panics
    ///
    /// If the forms have more than `u32::MAX` tokens in all.
    pub fn analyse_all<'f, T: Send>(
        forms: &[&'f str],
        each: impl Fn(&'f str, &[FormToken]) -> T + Sync,
    ) -> (FormTokenList, Vec<(FormRange, T)>) {
        use rayon::prelude::*;
        let analyse = |forms: &[&'f str]| {
            // A token a word, as nearly every form has: the list made once
            // at about its size, not grown by doubling.
            let words = forms.iter().map(|form| memchr::memchr_iter(b' ', form.as_bytes()).count() + 1).sum();
            let mut list = FormTokenList { tokens: Vec::with_capacity(words) };
            let mut words = RecentWords::default();
            let made: Vec<(FormRange, T)> = forms
                .iter()
                .map(|form| {
                    let range = list.push_form(form, &mut words);
                    let made = each(form, list.get(range));
                    (range, made)
                })
                .collect();
            (list, made)
        };
        let threads = rayon::current_num_threads();
        if threads == 1 || forms.len() < 1024 {
            return analyse(forms);
        }
        // A few pieces a thread, so that one slow piece does not hold the
        // others up; then each piece's tokens moved after the first's, and
        // its ranges moved with them.
        let piece = forms.len().div_ceil(4 * threads);
        let mut pieces: Vec<(FormTokenList, Vec<(FormRange, T)>)> = forms.par_chunks(piece).map(analyse).collect();
        let total = pieces.iter().map(|(list, _)| list.tokens.len()).sum::<usize>();
        let ranges = pieces.iter().map(|(_, made)| made.len()).sum::<usize>();
        assert!(u32::try_from(total).is_ok(), "more than u32::MAX form tokens");
        let rest = pieces.split_off(1);
        let (mut list, mut made) = pieces.pop().expect("one piece at least");
        list.tokens.reserve_exact(total - list.tokens.len());
        made.reserve_exact(ranges - made.len());
        for (piece_list, piece_made) in rest {
            let offset = list.tokens.len() as u32;
            list.tokens.extend(piece_list.tokens);
            made.extend(piece_made.into_iter().map(|(range, t)| (FormRange { start: range.start + offset, ..range }, t)));
        }
        (list, made)
    }
}

/// Appends the tokens of `form` (see [`analyze_form`]) to `tokens`.
fn analyze_form_into(form: &str, tokens: &mut Vec<FormToken>) {
    thread_local! {
        /// Each token's stem and skeleton, in turn.
        static LETTERS: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    LETTERS.with(|letters| {
        let mut letters = letters.borrow_mut();
        for_each_form_token(form, |token, source, definite| {
            let article = if definite { "ال".len() } else { 0 };
            let stem = &token.text[article..];
            letters.clear();
            letters.push_str(stem);
            // The skeleton of a definite token starts with the bare «ال» too.
            let skeleton_start = letters.len();
            if token.text == source {
                // Folding changed nothing: no marks to drop (folding drops
                // them all), so the skeleton is the token as written.
                letters.push_str(source);
            } else {
                skeleton_into(source, &mut letters);
            }
            if article > 0 {
                // The skeleton's bare «ال» (two letters, four bytes) dropped.
                letters.drain(skeleton_start..skeleton_start + article);
            }
            tokens.push(FormToken { letters: Letters::new(&letters), stem_len: stem.len() as u32, definite, script: token.script });
        });
    });
}

/// Calls `each` with every token of a glossary form, its source slice, and
/// whether it is registered definite (see [`analyze_form`]). The scanner gives
/// each token's source offsets directly: no folded copy or offset map is made
/// (a large glossary goes through this twice per form).
pub fn for_each_form_token(form: &str, mut each: impl FnMut(&ScannedToken<'_>, &str, bool)) {
    thread_local! {
        /// The tokenizer's buffer, from one form to the next.
        static BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let buffer = BUFFER.take();
    let mut tokenizer = Tokenizer::with_buffer(
        |token: &ScannedToken<'_>| {
            let source = &form[token.first_origin..source_end(form, token.last_origin)];
            let definite = token.script == Script::Arabic && starts_with_bare_article(source) && token.text.chars().nth(3).is_some();
            each(token, source, definite);
        },
        buffer,
    );
    tokenizer.scan(form);
    BUFFER.set(tokenizer.finish_with_buffer().1);
}

/// Whether `source`, marks and invisibles aside, starts with a bare «ال»: an
/// alef with no hamza or madda (neither precomposed nor combining) and a lam.
fn starts_with_bare_article(source: &str) -> bool {
    // The usual cases without filtering: the article written plainly, or a
    // first character that is kept and is not an alef.
    if source.starts_with("ال") {
        return true;
    }
    let kept = |c: char| !fold::is_deleted(c) || ('\u{0653}'..='\u{0655}').contains(&c);
    match source.chars().next() {
        Some(first) if first != 'ا' && kept(first) => false,
        _ => {
            let mut chars = source.chars().filter(|&c| kept(c));
            chars.next() == Some('ا') && chars.next() == Some('ل')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_analysed_one_after_another_are_analysed_as_alone() {
        // Forms that fold (ة, أ, marks), definite tokens, Latin, a hyphen: each
        // analysed on a fresh thread, then all on one thread after a long
        // form, reusing its buffers.
        let forms = ["اللجنةُ العسكريةُ العليا المشتركة للتنسيق", "ألمانيا", "CJTF-OIR", "اتفاقية الإطار الاستراتيجي", "حوار", "ال"];
        let alone: Vec<Vec<FormToken>> = forms.iter().map(|&form| std::thread::spawn(move || analyze_form(form)).join().unwrap()).collect();
        for (form, alone) in forms.iter().zip(&alone).rev() {
            assert_eq!(&analyze_form(form), alone, "{form}");
            let (list, ranges) = FormTokenList::analyse_all(&[form], |_, _| ());
            assert_eq!(list.get(ranges[0].0), &alone[..], "{form}");
        }
        assert_eq!(alone[1].len(), 1);
        assert_eq!(alone[0].iter().map(|t| t.skeleton()).collect::<Vec<_>>(), ["لجنة", "عسكرية", "عليا", "مشتركة", "للتنسيق"]);
    }

    #[test]
    fn long_and_short_tokens_keep_their_letters_alike() {
        // «الاستخباراتية»: 44 bytes of stem and skeleton, past what is kept inline.
        let tokens = analyze_form("القيادة الاستخباراتية");
        assert!(matches!(tokens[0].letters, Letters::Inline { .. }) && matches!(tokens[1].letters, Letters::Heap(_)));
        assert_eq!((tokens[0].stem(), tokens[0].skeleton()), ("قياده", "قيادة"));
        assert_eq!((tokens[1].stem(), tokens[1].skeleton()), ("استخباراتيه", "استخباراتية"));
        assert_eq!(format!("{:?}", tokens[0].letters), "\"قيادهقيادة\"");
    }

    #[test]
    fn the_article_is_told_apart_as_its_definition_says() {
        // Marks and invisibles aside (hamza above and below and madda kept),
        // a bare alef then a lam: every string of up to four characters from
        // letters, marks, tatweel and invisibles.
        let plain = |source: &str| {
            let mut chars = source.chars().filter(|&c| !fold::is_deleted(c) || ('\u{0653}'..='\u{0655}').contains(&c));
            chars.next() == Some('ا') && chars.next() == Some('ل')
        };
        let alphabet =
            ['ا', 'ل', 'أ', 'إ', 'آ', 'ب', 'ة', '\u{64e}', '\u{651}', '\u{653}', '\u{654}', '\u{655}', '\u{640}', '\u{200c}', 'a'];
        let mut strings = vec![String::new()];
        let mut longest = strings.clone();
        for _ in 0..4 {
            longest = longest.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.extend(longest.iter().cloned());
        }
        assert!(strings.iter().filter(|s| plain(s)).count() > 100);
        for s in &strings {
            assert_eq!(starts_with_bare_article(s), plain(s), "{s:?}");
        }
    }

    #[test]
    fn article_is_registered_apart_only_when_written_bare() {
        let tokens = analyze_form("اللجنة العسكرية العليا");
        assert_eq!(
            tokens.iter().map(|t| (t.stem(), t.definite)).collect::<Vec<_>>(),
            vec![("لجنه", true), ("عسكريه", true), ("عليا", true)]
        );
        let germany = analyze_form("ألمانيا");
        assert_eq!((germany[0].stem(), germany[0].definite), ("المانيا", false));
        let sfa = analyze_form("اتفاقية الإطار الاستراتيجي");
        assert_eq!(sfa.iter().map(|t| t.definite).collect::<Vec<_>>(), vec![false, true, true]);
        assert_eq!(sfa[1].skeleton(), "إطار");
        assert_eq!(sfa[1].stem(), "اطار");
    }

    #[test]
    fn forms_analysed_in_pieces_on_several_threads_are_analysed_as_on_one() {
        // Enough forms to be cut in pieces, each piece's words remembered
        // on its own; the ranges moved with their tokens when the pieces
        // are put together.
        let words = ["اللجنة", "العسكرية", "العليا", "CJTF-OIR", "للتنسيق", "الأمني", "ألمانيا", "الاستخباراتية"];
        let forms: Vec<String> =
            (0..5000usize).map(|i| format!("{} {} {i}", words[i % words.len()], words[(i / words.len()) % words.len()])).collect();
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        let analysed = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let (list, ranges) = FormTokenList::analyse_all(&forms, |form, _| form.len());
                ranges.into_iter().map(|(range, len)| (list.get(range).to_vec(), len)).collect::<Vec<_>>()
            })
        };
        let alone: Vec<(Vec<FormToken>, usize)> = forms.iter().map(|form| (analyze_form(form), form.len())).collect();
        assert_eq!(analysed(1), alone);
        assert_eq!(analysed(3), alone);
        assert_eq!(alone[4999].0.len(), 3);
    }
}
