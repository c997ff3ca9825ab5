//! English matching, for the source side of translation units: the concepts'
//! English names, variants and acronyms, found case-insensitively on word
//! boundaries (acronyms case-sensitively), with a plural or possessive on the
//! last word ("Commissions", "Commission's") and with hyphens, en dashes,
//! spaces and the periods of "U.S." all alike ("U.S.-Iraq" = "US-Iraq",
//! "Counter-Terrorism" = "Counter Terrorism"). Leftmost-longest, a hash lookup
//! per word.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::trie::{Trie, TrieBuilder, ROOT};
use crate::glossary::{Glossary, TermRole};

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
}

/// Finds English names and acronyms.
pub struct EnglishMatcher {
    words: FxHashMap<String, u32>,
    /// Word sequences of the names, each form at the node where it ends.
    trie: Trie<Form>,
}

/// A word of English text: its normalized form and byte range.
struct Word {
    key: String,
    range: Range<usize>,
    /// Only spaces, hyphens, dashes and periods separate it from the previous word.
    joins: bool,
    /// An apostrophe-s follows it directly ("Commission's"): its end, if so.
    possessive_end: Option<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Splits English text into words; single letters joined by periods
/// ("U.S.", "U.N.") become one word ("us").
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
        while let Some(&(i, d)) = chars.peek() {
            if is_word_char(d) {
                end = i + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let word = &text[start..end];
        // "U.S." and the like: a single letter after a single letter and a period.
        if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
            if let Some(last) = out.last_mut() {
                let between = &text[last.range.end..start];
                if between == "."
                    && last.key.chars().all(char::is_alphabetic)
                    && text[last.range.clone()].chars().all(|c| c.is_alphabetic() || c == '.')
                    && last.range.len() < 8
                    && is_initials(&text[last.range.clone()])
                {
                    last.key.push_str(&word.to_lowercase());
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
        out.push(Word { key: word.to_lowercase(), range: start..end, joins: gap_ok && !out.is_empty(), possessive_end });
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

impl EnglishMatcher {
    /// Indexes the English names, variants and acronyms of a glossary.
    pub fn new(glossary: &Glossary) -> EnglishMatcher {
        let mut words_of = FxHashMap::default();
        let mut trie = TrieBuilder::default();
        let mut labels = Vec::new();
        for (c, concept) in glossary.concepts.iter().enumerate() {
            for (t, term) in concept.terms.iter().enumerate() {
                if term.role == TermRole::Arabic {
                    continue;
                }
                let ws = words(&term.text);
                if ws.is_empty() {
                    continue;
                }
                labels.clear();
                for w in ws {
                    // Looked up first: a new word's key is moved in, not copied.
                    let id = match words_of.get(&w.key) {
                        Some(&id) => id,
                        None => {
                            let id = words_of.len() as u32;
                            words_of.insert(w.key, id);
                            id
                        }
                    };
                    labels.push(id);
                }
                let case_sensitive = (term.role == TermRole::Acronym).then(|| letters(&term.text));
                trie.insert(labels.iter().copied(), Form { concept: c, term: t, case_sensitive });
            }
        }
        EnglishMatcher { words: words_of, trie: trie.build() }
    }

    /// Every English occurrence, leftmost-longest.
    pub fn find(&self, text: &str) -> Vec<EnglishMatch> {
        let ws = words(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            let mut node = ROOT;
            let mut best: Option<(usize, &Form, usize)> = None;
            let mut j = i;
            while j < ws.len() && (j == i || ws[j].joins) {
                let word = &ws[j];
                // The word as written, or without a plural ending.
                let mut next = None;
                let mut plural = false;
                for (candidate, is_plural) in [
                    (word.key.as_str(), false),
                    (word.key.strip_suffix("es").unwrap_or(""), true),
                    (word.key.strip_suffix('s').unwrap_or(""), true),
                ] {
                    if candidate.is_empty() {
                        continue;
                    }
                    if let Some(&id) = self.words.get(candidate) {
                        if let Some(n) = self.trie.child(node, id) {
                            next = Some(n);
                            plural = is_plural;
                            break;
                        }
                    }
                }
                let Some(n) = next else { break };
                node = n;
                for form in self.trie.items(node) {
                    let written = &text[ws[i].range.start..word.range.end];
                    let ok = match &form.case_sensitive {
                        Some(acronym) => letters(written) == *acronym && !plural || letters(written) == format!("{acronym}s"),
                        None => true,
                    };
                    let end = word.possessive_end.unwrap_or(word.range.end);
                    if ok && best.is_none_or(|(len, _, _)| j + 1 - i > len) {
                        best = Some((j + 1 - i, form, end));
                    }
                }
                // A plural or possessive ends the phrase.
                if plural || word.possessive_end.is_some() {
                    break;
                }
                j += 1;
            }
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
}

/// The letters and digits of a written form, case kept.
fn letters(written: &str) -> String {
    written.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let csv = "id,en,acronym,ar,en_variants\nhmc,U.S.-Iraq Higher Military Commission,HMC,اللجنة العسكرية العليا,Higher Military Commission\ncts,Counter-Terrorism Service,CTS,جهاز مكافحة الإرهاب,\nisf,Iraqi Security Forces,ISF,قوات الأمن العراقية,Iraqi Security Force\n";
        let mut g = crate::glossary::csv::parse(csv.as_bytes(), "g.csv").unwrap();
        g.validate().unwrap();
        g
    }

    fn found(text: &str) -> Vec<(String, &str)> {
        let g = glossary();
        let m = EnglishMatcher::new(&g);
        m.find(text).into_iter().map(|x| (g.concepts[x.concept].id.clone(), &text[x.span])).collect()
    }

    #[test]
    fn names_case_insensitively_with_spelling_variants() {
        assert_eq!(found("The US-Iraq higher military commission met."), vec![("hmc".into(), "US-Iraq higher military commission")]);
        assert_eq!(found("the U.S.–Iraq Higher Military Commission"), vec![("hmc".into(), "U.S.–Iraq Higher Military Commission")]);
        assert_eq!(found("Counter Terrorism Service"), vec![("cts".into(), "Counter Terrorism Service")]);
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
}
