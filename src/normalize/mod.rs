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
    /// The folded stem followed by the skeleton, in one allocation (a large
    /// glossary has hundreds of thousands of these).
    letters: Box<str>,
    /// Where the stem ends in `letters`.
    stem_len: usize,
    /// Whether the form writes the article «ال» on this token.
    pub definite: bool,
    /// The script of the token.
    pub script: Script,
}

impl FormToken {
    /// The folded stem: the folded token without a written article.
    pub fn stem(&self) -> &str {
        &self.letters[..self.stem_len]
    }

    /// The stem as written (marks removed, letters unfolded), to tell an
    /// orthographic variant from an exact occurrence.
    pub fn skeleton(&self) -> &str {
        &self.letters[self.stem_len..]
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
                letters.replace_range(skeleton_start..skeleton_start + article, "");
            }
            tokens.push(FormToken { letters: letters.as_str().into(), stem_len: stem.len(), definite, script: token.script });
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
            let definite = token.script == Script::Arabic && starts_with_bare_article(source) && token.text.chars().count() >= 4;
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
    let mut chars = source.chars().filter(|&c| !fold::is_deleted(c) || ('\u{0653}'..='\u{0655}').contains(&c));
    chars.next() == Some('ا') && chars.next() == Some('ل')
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
