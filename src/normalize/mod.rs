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

/// [`analyze_form`] in one shared allocation, as a glossary keeps its
/// analyses (a large glossary makes hundreds of thousands of them).
pub fn analyze_form_shared(form: &str) -> std::sync::Arc<[FormToken]> {
    thread_local! {
        static TOKENS: std::cell::RefCell<Vec<FormToken>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TOKENS.with(|tokens| {
        let mut tokens = tokens.borrow_mut();
        tokens.clear();
        analyze_form_into(form, &mut tokens);
        // Moved out, exactly as many as there are: one allocation.
        tokens.drain(..).collect()
    })
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
            assert_eq!(&*analyze_form_shared(form), &alone[..], "{form}");
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
}
