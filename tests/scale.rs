//! Matching at scale: a large text cut into chunks and matched in parallel
//! gives exactly what matching it whole gives, and the cut points never
//! split a phrase.

use qamus::check::find_in_chunks;
use qamus::glossary::Glossary;
use qamus::normalize::tokens::line_ends_phrases;
use qamus::synthetic::{self, Rng};
use qamus::Matcher;

#[test]
fn chunks_give_the_matches_and_words_of_the_whole() {
    let glossary = Glossary::embedded().unwrap();
    let matcher = Matcher::new(&glossary);
    let mut text = synthetic::article(&mut Rng::new(7), 600_000, &synthetic::planted_forms());
    // A phrase across a single line break, at many places: no cut may fall there.
    for _ in 0..50 {
        text.push_str("اللجنة العسكرية\nالعليا ");
        text.push_str(&synthetic::article(&mut Rng::new(text.len() as u64), 5_000, &[]));
    }
    let whole = matcher.find_counting_words(&text);
    assert!(whole.0.len() > 300, "{} matches", whole.0.len());
    for chunk in [4_096, 65_536, 250_000] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let chunked = pool.install(|| find_in_chunks(&matcher, &text, chunk));
        assert_eq!(chunked.1, whole.1, "words with chunks of {chunk}");
        assert_eq!(chunked.0, whole.0, "matches with chunks of {chunk}");
    }
}

#[test]
fn lines_that_end_phrases() {
    let text = "قال المصدر.\nاللجنة العسكرية\nالعليا «داعش»\n\nثم ،\n";
    let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let ends: Vec<bool> = newlines.iter().map(|&i| line_ends_phrases(text, i)).collect();
    // After a full stop: yes; after a word: no; after a closing quote (a
    // phrase gap): no; a blank line: yes; after an Arabic comma: yes.
    assert_eq!(ends, vec![true, false, false, true, true]);
}
