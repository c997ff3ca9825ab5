//! The matcher (specification §4–§7): glossary forms indexed by folded stem, a
//! trie of stem sequences, clitic readings of each text token, definiteness
//! patterns, and leftmost-longest resolution.
//!
//! Cost is linear in the text: every token costs a handful of hash lookups (its
//! readings), and a phrase walks the trie one token at a time, whatever the
//! number of concepts. This module owns what counts as an occurrence of a form
//! and how it is described (kind, proclitics, suffix); it does not judge.

pub mod english;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;

use crate::glossary::{Glossary, TermRole};
use crate::normalize::clitics::{head_readings, tail_readings, Reading};
use crate::normalize::{analyze_form, fold, skeleton, tokenize, FormToken, Script, Token};

type StemId = u32;
type NodeId = u32;
const ROOT: NodeId = 0;

/// How an occurrence relates to the glossary form it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The form as written, up to marks (harakat, tatweel, invisibles).
    Exact,
    /// The form with proclitics (و ف ب ك ل, the article).
    Clitic,
    /// The all-indefinite pattern of a noun-adjective form («لجنة عسكرية عليا»).
    Indefinite,
    /// The head noun carries a suffix (dual, plural, pronoun).
    Inflected,
    /// Matched only after folding letters (hamza, ى, Persian letters, a
    /// declared spelling equivalence).
    Orthographic,
}

impl MatchKind {
    /// The name used in reports and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Clitic => "clitic",
            MatchKind::Indefinite => "indefinite",
            MatchKind::Inflected => "inflected",
            MatchKind::Orthographic => "orthographic",
        }
    }
}

/// One occurrence of a glossary form in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the concept in the glossary.
    pub concept: usize,
    /// Index of the term in the concept.
    pub term: usize,
    /// Byte range of the surface in the text.
    pub span: Range<usize>,
    /// The most telling of what the match needed (see [`MatchKind`]).
    pub kind: MatchKind,
    /// Whether letters were folded to match, whatever the kind.
    pub orthographic: bool,
    /// Whether the text used the all-indefinite pattern.
    pub indefinite: bool,
    /// Proclitics stripped from the first word, as written.
    pub proclitics: String,
    /// Suffix stripped from the head noun, as written.
    pub suffix: String,
}

struct FormEntry {
    concept: usize,
    term: usize,
    tokens: Vec<FormToken>,
    /// Forms whose tokens after the head are all definite — noun-adjective
    /// («اللجنة العسكرية العليا») or construct («مساحة العمل») — also match
    /// all-indefinite («لجنة عسكرية عليا», «مساحة عمل»).
    all_definite: bool,
}

/// Finds glossary forms in text.
pub struct Matcher {
    stems: FxHashMap<Box<str>, StemId>,
    edges: FxHashMap<(NodeId, StemId), NodeId>,
    /// Forms ending at each node.
    terminals: Vec<Vec<u32>>,
    forms: Vec<FormEntry>,
}

/// A candidate being compared at one text position.
#[derive(Clone)]
struct Candidate {
    form: u32,
    tokens: usize,
    /// The text's definiteness equals the form's, token by token.
    exact_pattern: bool,
    /// The text uses the all-indefinite pattern of a noun-adjective form.
    indefinite: bool,
    stripped: usize,
    readings: Vec<Reading<StemId>>,
}

impl Matcher {
    /// Indexes every form of a validated glossary.
    pub fn new(glossary: &Glossary) -> Matcher {
        let spellings = glossary.spelling_map().unwrap_or_default();
        let mut matcher =
            Matcher { stems: FxHashMap::default(), edges: FxHashMap::default(), terminals: vec![Vec::new()], forms: Vec::new() };
        // Spelling classes first, so that every variant shares its canonical id.
        let mut canonical_ids: HashMap<String, StemId> = HashMap::new();
        for (variant, canonical) in &spellings {
            let next = canonical_ids.len() as StemId;
            let id = *canonical_ids.entry(canonical.clone()).or_insert(next);
            matcher.stems.insert(variant.as_str().into(), id);
        }
        let mut next_stem = canonical_ids.len() as StemId;
        for (c, concept) in glossary.concepts.iter().enumerate() {
            for (t, term) in concept.terms.iter().enumerate() {
                let tokens = analyze_form(&term.text);
                if tokens.is_empty() {
                    continue;
                }
                let mut node = ROOT;
                for token in &tokens {
                    let stem = *matcher.stems.entry(token.stem.as_str().into()).or_insert_with(|| {
                        next_stem += 1;
                        next_stem - 1
                    });
                    let next_node = matcher.terminals.len() as NodeId;
                    node = *matcher.edges.entry((node, stem)).or_insert(next_node);
                    if node == next_node {
                        matcher.terminals.push(Vec::new());
                    }
                }
                let all_definite =
                    term.role == TermRole::Arabic && tokens.iter().skip(1).all(|t| t.definite) && (tokens.len() > 1 || tokens[0].definite);
                matcher.terminals[node as usize].push(matcher.forms.len() as u32);
                matcher.forms.push(FormEntry { concept: c, term: t, tokens, all_definite });
            }
        }
        matcher
    }

    /// Every occurrence in `text`, leftmost-longest, in text order.
    pub fn find(&self, text: &str) -> Vec<Match> {
        let folded = fold(text);
        let ftext = folded.as_str();
        let tokens = tokenize(ftext);
        let mut matches = Vec::new();
        let mut scratch = String::new();
        let mut heads = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(&tokens, i, ftext, &mut scratch, &mut heads) {
                Some(best) => {
                    matches.push(self.describe(&best, &tokens[i..i + best.tokens], ftext, &folded, text));
                    i += best.tokens;
                }
                None => i += 1,
            }
        }
        matches
    }

    fn lookup(&self, stem: &str) -> Option<StemId> {
        self.stems.get(stem).copied()
    }

    fn longest_at(
        &self,
        tokens: &[Token],
        i: usize,
        ftext: &str,
        scratch: &mut String,
        heads: &mut Vec<Reading<StemId>>,
    ) -> Option<Candidate> {
        let head = &tokens[i];
        let word = &ftext[head.range.clone()];
        // A head reading needs a stem that starts some form: a token known
        // only inside forms («للتحالف» in «المهمة العسكرية للتحالف») is not
        // "a known form" that protects it from being read with proclitics.
        let mut lookup = |s: &str| self.lookup(s).filter(|stem| self.edges.contains_key(&(ROOT, *stem)));
        match head.script {
            Script::Arabic => head_readings(word, scratch, &mut lookup, heads),
            Script::Other => tail_readings_whole(word, &mut lookup, heads),
        }
        let mut best: Option<Candidate> = None;
        let mut path = Vec::new(); // allocates only when a head starts a form
        for reading in heads.iter() {
            if let Some(&node) = self.edges.get(&(ROOT, reading.stem)) {
                path.clear();
                path.push(*reading);
                self.extend(tokens, i, ftext, node, &mut path, &mut best);
            }
        }
        best
    }

    /// Depth-first walk of the trie along the readings of the following tokens.
    fn extend(
        &self,
        tokens: &[Token],
        start: usize,
        ftext: &str,
        node: NodeId,
        path: &mut Vec<Reading<StemId>>,
        best: &mut Option<Candidate>,
    ) {
        for &form in &self.terminals[node as usize] {
            self.consider(form, start, ftext, tokens, path, best);
        }
        let next = start + path.len();
        let Some(token) = tokens.get(next) else { return };
        if !token.joins_previous {
            return;
        }
        let word = &ftext[token.range.clone()];
        let mut readings = Vec::new();
        let mut lookup = |s: &str| self.lookup(s);
        match token.script {
            Script::Arabic => tail_readings(word, &mut lookup, &mut readings),
            Script::Other => tail_readings_whole(word, &mut lookup, &mut readings),
        }
        for reading in readings {
            if let Some(&child) = self.edges.get(&(node, reading.stem)) {
                path.push(reading);
                self.extend(tokens, start, ftext, child, path, best);
                path.pop();
            }
        }
    }

    fn consider(&self, form: u32, start: usize, ftext: &str, tokens: &[Token], path: &[Reading<StemId>], best: &mut Option<Candidate>) {
        let entry = &self.forms[form as usize];
        // The head may add an article to an indefinite head (a single noun, or
        // «بالاتفاقية الإطار», a common construct slip); every later token
        // must agree exactly.
        let head_form = entry.tokens[0].definite;
        let head_ok = head_form == path[0].definite || (!head_form && path[0].definite);
        let tails_ok = entry.tokens[1..].iter().zip(&path[1..]).all(|(t, r)| t.definite == r.definite);
        let pattern_ok = head_ok && tails_ok;
        let exact_pattern = head_form == path[0].definite && tails_ok;
        let indefinite = !pattern_ok && entry.all_definite && path.iter().all(|r| !r.definite);
        if !pattern_ok && !indefinite {
            return;
        }
        let stripped = path.iter().zip(&tokens[start..]).map(|(r, t)| r.stripped(&ftext[t.range.clone()])).sum();
        let candidate = Candidate { form, tokens: path.len(), exact_pattern, indefinite, stripped, readings: path.to_vec() };
        let better = match best {
            None => true,
            Some(b) => {
                (candidate.tokens, candidate.exact_pattern, std::cmp::Reverse(candidate.stripped))
                    > (b.tokens, b.exact_pattern, std::cmp::Reverse(b.stripped))
            }
        };
        if better {
            *best = Some(candidate);
        }
    }

    fn describe(&self, best: &Candidate, tokens: &[Token], ftext: &str, folded: &crate::normalize::Folded, text: &str) -> Match {
        let entry = &self.forms[best.form as usize];
        let first = &tokens[0];
        let last = &tokens[tokens.len() - 1];
        let span = folded.source_range(first.range.start..last.range.end, text);
        let written = |range: Range<usize>| -> String {
            if range.is_empty() {
                String::new()
            } else {
                skeleton(&text[folded.source_range(range, text)])
            }
        };
        let head = &best.readings[0];
        // The article of a definite form is part of the form, not a proclitic;
        // «لل» (ل + ال) is reported whole.
        let mut prefix_len = head.prefix_len;
        if entry.tokens[0].definite && ftext[first.range.start..first.range.start + prefix_len].ends_with("ال") {
            prefix_len -= "ال".len();
        }
        let proclitics = written(first.range.start..first.range.start + prefix_len);
        let suffix = written(first.range.start + head.suffix_start..first.range.end);
        let mut orthographic = false;
        for ((token, reading), form_token) in tokens.iter().zip(&best.readings).zip(&entry.tokens) {
            let base = token.range.start + reading.prefix_len..token.range.start + reading.base_end;
            let text_skeleton = written(base);
            let mut expected: &str = &form_token.skeleton;
            if reading.virtual_lam {
                expected = expected.char_indices().nth(1).map_or("", |(i, _)| &expected[i..]);
            }
            if reading.taa {
                expected = expected.char_indices().last().map_or("", |(i, _)| &expected[..i]);
            }
            if text_skeleton != expected {
                orthographic = true;
            }
        }
        let indefinite = best.indefinite;
        let kind = if orthographic {
            MatchKind::Orthographic
        } else if head.suffix_start < first.range.len() {
            MatchKind::Inflected
        } else if indefinite {
            MatchKind::Indefinite
        } else if !proclitics.is_empty() {
            MatchKind::Clitic
        } else {
            MatchKind::Exact
        };
        Match { concept: entry.concept, term: entry.term, span, kind, orthographic, indefinite, proclitics, suffix }
    }
}

/// A non-Arabic token is read whole.
fn tail_readings_whole(word: &str, lookup: &mut impl FnMut(&str) -> Option<StemId>, out: &mut Vec<Reading<StemId>>) {
    out.clear();
    if let Some(stem) = lookup(word) {
        out.push(Reading {
            stem,
            prefix_len: 0,
            definite: false,
            virtual_lam: false,
            base_end: word.len(),
            taa: false,
            suffix_start: word.len(),
        });
    }
}
