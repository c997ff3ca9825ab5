//! Properties of folding and matching, over arbitrary text and over text
//! assembled from the words of the embedded glossary with clitics, marks,
//! Persian letters and presentation forms mixed in.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use qamus::glossary::Glossary;
use std::sync::OnceLock;

use qamus::normalize::tokens::{letter_class, CLASS_BITS, HEAD_LETTERS};
use qamus::normalize::{analyze_form, fold, fold_into, fold_str, tokenize, FormTokenList, ScannedToken, Tokenizer};
use qamus::{MatchKind, Matcher};

fn glossary_words() -> Vec<String> {
    let glossary = Glossary::embedded().unwrap();
    let mut words: Vec<String> = glossary
        .concepts
        .iter()
        .flat_map(|c| c.terms.iter())
        .flat_map(|t| t.text.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    words.extend(
        ["ﷺ", "ﻻ", "CJTF-OIR", "cjtf-", "-oir", "ﻟﻠﺠﻨﺔ", "اتفاقیة", "الاستراتيجى", "لجنتها", "اتفاقيات", "الله", "بغداد", "(HMC)", "١٢٫٥٪"]
            .map(String::from),
    );
    words.sort();
    words.dedup();
    words
}

fn glossary_text() -> impl Strategy<Value = String> {
    let words = glossary_words();
    let prefixes = ["", "", "", "و", "ل", "ب", "وال", "لل", "ف", "بال"];
    let marks = ["", "", "", "\u{064E}", "\u{0651}", "\u{0640}", "\u{200F}", "\u{0654}", "\u{0653}", "\u{0655}"];
    let separators = [" ", " ", " ", "، ", "\n", " – ", "\r\n", " «", "» ", "\n\n"];
    prop::collection::vec((0..prefixes.len(), 0..words.len(), 0..marks.len(), 0..8usize, 0..separators.len()), 0..40).prop_map(
        move |parts| {
            let mut text = String::new();
            for (p, w, m, at, s) in parts {
                text.push_str(prefixes[p]);
                // A mark after one of the word's letters (the first one
                // time in two): a combining maddah or hamza composes with
                // an alef, waw or yeh before it, wherever it stands.
                let word = &words[w];
                let at = if at < 4 { 1 } else { at - 2 };
                for (k, c) in word.chars().enumerate() {
                    text.push(c);
                    if k + 1 == at {
                        text.push_str(marks[m]);
                    }
                }
                text.push_str(separators[s]);
            }
            text
        },
    )
}

/// One matcher for the whole test binary, so that its per-thread reading
/// cache stays warm from one case to the next, as it does in a run.
fn shared_matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&Glossary::embedded().unwrap()))
}

/// What the scanner says of a token: text, ordinal, joins, first and last
/// origin, and the classes of its first letters with their count.
type TokenFacts = (String, usize, bool, usize, usize, u64, u32);

/// The classes of the first letters of a folded token, as
/// `ScannedToken::head` packs them, and how many.
fn head_of(token: &str) -> (u64, u32) {
    let letters = token.chars().take(HEAD_LETTERS as usize);
    letters.enumerate().fold((0, 0), |(head, n), (k, c)| (head | letter_class(c) << (CLASS_BITS * k as u32), n + 1))
}

/// The tokens of the one-pass scanner (`Tokenizer::scan`, or the tokenizer
/// fed by `fold_into`): text, ordinal, joins, first and last origin; and the words.
fn scanned(text: &str, fast: bool) -> (Vec<TokenFacts>, usize) {
    let mut out = Vec::new();
    let mut tokenizer = Tokenizer::new(|t: &ScannedToken<'_>| {
        out.push((t.text.to_string(), t.ordinal, t.joins_previous, t.first_origin, t.last_origin, t.head, t.head_len))
    });
    if fast {
        tokenizer.scan(text);
    } else {
        fold_into(text, &mut tokenizer);
    }
    let words = tokenizer.finish().1;
    (out, words)
}

/// `Tokenizer::scan`, the tokenizer fed by `fold_into`, and folding then
/// tokenizing give the same tokens; the scanner's word count is that of the
/// folded text.
fn scanner_agrees(text: &str) -> Result<(), TestCaseError> {
    let (fast, fast_words) = scanned(text, true);
    let (general, general_words) = scanned(text, false);
    prop_assert_eq!(&fast, &folded_then_tokenized(text));
    prop_assert_eq!(&general, &fast);
    prop_assert_eq!(fast_words, general_words);
    prop_assert_eq!(fast_words, fold_str(text).split_whitespace().count());
    Ok(())
}

/// The same from the whole folded text and its offset map.
fn folded_then_tokenized(text: &str) -> Vec<TokenFacts> {
    let folded = fold(text);
    tokenize(folded.as_str())
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let word = folded.as_str()[t.range.clone()].to_string();
            let (head, head_len) = head_of(&word);
            (word, i, t.joins_previous, folded.origin(t.range.start), folded.origin(t.range.end - 1), head, head_len)
        })
        .collect()
}

/// The folded tokens of a text.
/// `cases` cases a property, failures kept in (and replayed from)
/// `properties.proptest-regressions` next to this file. Proptest's default
/// looks for the `main.rs` above the file and keeps them in a folder beside
/// its folder, `tests/proptest-regressions/properties.txt`; the file is named
/// here so that it stays where it was found.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::with_cases(cases)
    }
}

fn words(text: &str) -> Vec<String> {
    let folded = fold_str(text);
    tokenize(&folded).into_iter().map(|t| folded[t.range].to_string()).collect()
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn folding_is_idempotent(text in any::<String>()) {
        let once = fold_str(&text);
        prop_assert_eq!(fold_str(&once), once);
    }

    #[test]
    fn folding_is_idempotent_on_arabic(text in glossary_text()) {
        let once = fold_str(&text);
        prop_assert_eq!(fold_str(&once), once);
    }

    #[test]
    fn every_offset_is_a_char_boundary_and_monotone(text in any::<String>()) {
        let folded = fold(&text);
        let mut last = 0;
        for i in 0..=folded.as_str().len() {
            let origin = folded.origin(i);
            prop_assert!(text.is_char_boundary(origin));
            prop_assert!(origin >= last);
            last = origin;
        }
    }

    #[test]
    fn every_match_is_its_own_match(text in glossary_text()) {
        let glossary = Glossary::embedded().unwrap();
        let matcher = Matcher::new(&glossary);
        for m in matcher.find(&text) {
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
            let surface = &text[m.span.clone()];
            let again = matcher.find(surface);
            prop_assert_eq!(again.len(), 1, "{:?} alone gives {:?}", surface, again);
            prop_assert_eq!((again[0].concept, again[0].term, again[0].span.clone(), again[0].kind), (m.concept, m.term, 0..surface.len(), m.kind));
            let form = &glossary.concepts[m.concept].terms[m.term].text;
            if m.kind == MatchKind::Exact {
                prop_assert_eq!(words(surface), words(form), "exact {:?} vs form {:?}", surface, form);
            }
        }
    }

    #[test]
    fn the_one_pass_scanner_tokenizes_as_folding_then_tokenizing(text in glossary_text()) {
        scanner_agrees(&text)?;
    }

    #[test]
    fn the_one_pass_scanner_agrees_on_arbitrary_text(text in any::<String>()) {
        scanner_agrees(&text)?;
    }

    #[test]
    fn the_fast_matcher_agrees_with_the_reference(text in glossary_text()) {
        let matcher = shared_matcher();
        prop_assert_eq!(matcher.find(&text), matcher.find_reference(&text));
    }

    #[test]
    fn the_fast_matcher_agrees_on_arbitrary_text(text in any::<String>()) {
        let matcher = shared_matcher();
        prop_assert_eq!(matcher.find(&text), matcher.find_reference(&text));
    }

    /// Forms analysed together, word by word with the words met before
    /// copied, have the tokens of each form analysed alone: whatever the
    /// words, a space ends a token and changes nothing on either side.
    #[test]
    fn forms_analysed_together_have_the_tokens_of_each_alone(
        arbitrary in prop::collection::vec(any::<String>(), 1..6),
        arabic in glossary_text(),
        picks in prop::collection::vec(prop::collection::vec((any::<prop::sample::Index>(), 0..6usize), 1..5), 1..30),
    ) {
        let words: Vec<&str> = arbitrary.iter().map(String::as_str).chain(arabic.split(' ')).collect();
        let separators = [" ", " ", "  ", " - ", "\u{00A0}", "\t"];
        let forms: Vec<String> = picks
            .iter()
            .map(|form| form.iter().flat_map(|(word, s)| [separators[*s], *word.get(&words)]).skip(1).collect())
            .collect();
        let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
        let (list, ranges) = FormTokenList::analyse_all(&forms, |form, tokens| (form, tokens.to_vec()));
        for (range, (form, tokens)) in ranges {
            let alone = analyze_form(form);
            prop_assert_eq!(list.get(range), &alone[..], "{:?}", form);
            prop_assert_eq!(&tokens, &alone);
        }
    }

    #[test]
    fn matching_never_panics_on_arbitrary_text(text in any::<String>()) {
        let glossary = Glossary::embedded().unwrap();
        let matcher = Matcher::new(&glossary);
        for m in matcher.find(&text) {
            prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end) && m.span.start < m.span.end);
        }
    }
}

/// One concept's id, English name, acronym, and sorted forms with statuses.
type ConceptShape = (String, String, Option<String>, Vec<(String, qamus::glossary::Status)>);

/// The comparable shape of a glossary: ids, names, forms and statuses.
fn shape(glossary: &Glossary) -> Vec<ConceptShape> {
    glossary
        .concepts
        .iter()
        .map(|c| {
            let mut terms: Vec<_> = c.terms.iter().map(|t| (t.text.clone(), t.status)).collect();
            terms.sort();
            (c.id.clone(), c.en.clone(), c.acronym.clone(), terms)
        })
        .collect()
}

proptest! {
    #![proptest_config(config(40))]

    /// Any part of the shipped glossary, written as CSV or TBX and read back,
    /// is the same glossary.
    #[test]
    fn glossaries_survive_writing_and_reading(keep in prop::collection::vec(any::<bool>(), 50)) {
        use qamus::glossary::attested::Attested;
        use qamus::glossary::GlossaryFormat;
        let full = Glossary::embedded().unwrap();
        let mut part = full.clone();
        part.concepts = full.concepts.iter().zip(keep.iter().cycle()).filter(|(_, k)| **k).map(|(c, _)| c.clone()).collect();
        prop_assume!(!part.concepts.is_empty());
        let attested = Attested::new(&part);
        let rows = attested.rows(&part, true);
        let mut csv = Vec::new();
        qamus::glossary::csv::write(&part, &rows, false, &mut csv).unwrap();
        let mut tbx = Vec::new();
        qamus::glossary::tbx::write(&rows, &mut tbx).unwrap();
        for (format, bytes) in [(GlossaryFormat::Csv, csv), (GlossaryFormat::Tbx, tbx)] {
            let mut back = format.parse(&bytes, "back").unwrap();
            back.validate().unwrap();
            prop_assert_eq!(shape(&back), shape(&part), "{:?}", format);
        }
    }
}
