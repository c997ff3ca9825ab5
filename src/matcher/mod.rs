//! The matcher (specification §4–§7): glossary forms indexed by folded stem, a
//! trie of stem sequences, clitic readings of each text token, definiteness
//! patterns, and leftmost-longest resolution.
//!
//! Cost is linear in the text: most tokens are turned away by a prefilter on
//! their first letters; the rest cost one lookup in a per-thread cache of
//! readings (a handful of hash lookups the first time), and a phrase walks the
//! trie one token at a time, whatever the number of concepts. This module
//! owns what counts as an occurrence of a form and how it is described (kind,
//! proclitics, suffix); it does not judge.

pub mod english;
pub mod selftest;
mod trie;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;

use crate::glossary::{Glossary, PartsOfSpeech, TermRole};
use crate::normalize::clitics::{class, head_readings, stem_kind, tail_readings, Reading, MAX_READ_TOKEN};
use crate::normalize::tokens::{letter_class, CLASS_BITS};
use crate::normalize::{
    fold, skeleton, skeleton_into, source_end, tokenize, Folded, FormRange, FormTokenList, ScannedToken, Script, TokenSink, Tokenizer,
};
use trie::{NodeId, Trie, TrieBuilder, ROOT};

type StemId = u32;

/// How an occurrence relates to the glossary form it matched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The form as written, up to marks (harakat, tatweel, invisibles).
    #[default]
    Exact,
    /// The form with proclitics (و ف ب ك ل, the article).
    Clitic,
    /// The all-indefinite pattern of a noun-adjective form («لجنة عسكرية عليا»).
    Indefinite,
    /// Inflected: a suffix (pronoun, dual, plural, the feminine of an
    /// adjective), a verb's subject prefix or suffix, or a form the glossary
    /// lists as an inflected form of a rendering (a broken plural, a verb's
    /// imperfect).
    Inflected,
    /// A noun-adjective form whose head stands in construct: without its
    /// article before the adjectives, with one word between them or none
    /// («مساحة القرص الفارغة», «ذاكرة DNS المؤقتة» for «المساحة الفارغة»,
    /// «الذاكرة المؤقتة»).
    Construct,
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
            MatchKind::Construct => "construct",
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
    /// Whether the first word is definite by its article or a pronoun
    /// («الملف», «بالملف», «ملفك»), as against a bare head («ملف»).
    pub article: bool,
    /// Proclitics stripped from the first word, as written.
    pub proclitics: String,
    /// A verb's subject prefix (ي ت ن أ) after the proclitics, as written.
    pub prefix: String,
    /// Suffixes stripped, as written: the first word's, then any later
    /// word's (an adjective agreeing with a plural head, the pronoun that
    /// ends a construct), separated by spaces.
    pub suffix: String,
    /// The matched term's role in its concept (an Arabic form, an acronym,
    /// an English name), carried so that the caller need not reach into the
    /// glossary for it: with a large glossary, that was two cache misses a
    /// match.
    pub role: TermRole,
}

struct FormEntry {
    concept: usize,
    /// The rendering it counts as (a listed inflected form's rendering).
    term: usize,
    /// A form the glossary lists as an inflected form of `term`.
    listed: bool,
    /// Its first word's written «ال» belongs to its stem (a verb: «التقط»).
    head_article: bool,
    role: TermRole,
    /// Where its tokens are in [`Matcher::form_tokens`].
    tokens: FormRange,
}

/// A form as the trie keeps it at the node where it ends: its id and what
/// [`Matcher::consider`] needs of it, so that the walk judges a pattern
/// without reaching for the form.
#[derive(Clone, Copy)]
struct Terminal {
    form: u32,
    /// Bit `k`: token `k` of the form is definite (the first 64 tokens; a
    /// longer form's others are looked up in [`Matcher::forms`]).
    definite: u64,
    /// The form's tokens after the head are all definite — noun-adjective
    /// («اللجنة العسكرية العليا») or construct («مساحة العمل») — so it also
    /// matches all-indefinite («لجنة عسكرية عليا», «مساحة عمل»).
    all_definite: bool,
    /// The parts of speech the form is read as ([`PartsOfSpeech::bits`]):
    /// which affixes its head may take.
    pos: u8,
}

/// Tokens whose definiteness [`Terminal::definite`] holds.
const DEFINITE_BITS: usize = 64;

/// The definiteness of the first [`DEFINITE_BITS`] tokens, as bits.
fn definite_bits(definite: impl Iterator<Item = bool>) -> u64 {
    definite.take(DEFINITE_BITS).enumerate().fold(0, |bits, (k, d)| bits | u64::from(d) << k)
}

/// Finds glossary forms in text.
pub struct Matcher {
    /// Distinguishes this matcher's entries in the per-thread reading cache.
    id: u64,
    stems: FxHashMap<Box<str>, StemId>,
    /// What each stem is registered for ([`stem_kind`] bits), by id.
    kinds: Vec<u8>,
    /// The stems a verb's imperfect is written with after its subject
    /// prefix («حذف» of «يحذف», «تحذف»), each with the id of the form's stem
    /// and whether the form's first letter then goes unwritten.
    imperfect: FxHashMap<Box<str>, (StemId, bool)>,
    /// Whether any form is a verb: only then are verbal readings tried.
    verbs: bool,
    /// The first two letters of every verb stem (perfect and imperfect):
    /// a token holds one of them within its first five letters, or it has
    /// no verbal reading (see [`Matcher::may_be_verb`]).
    verb_pairs: rustc_hash::FxHashSet<[char; 2]>,
    /// A quick "certainly not a stem" test in front of `stems`.
    filter: StemFilter,
    /// A quick "certainly no reading" test for whole Arabic tokens.
    prefilter: ReadingPrefilter,
    /// Stem sequences of the forms, each form at the node where it ends.
    trie: Trie<Terminal>,
    forms: Vec<FormEntry>,
    /// The tokens of every form (the glossary's own list when it was
    /// validated and has not changed since).
    form_tokens: std::sync::Arc<FormTokenList>,
}

/// Buffers [`Matcher::describe_hits`] reuses from one match to the next.
#[derive(Default)]
struct DescribeScratch {
    folded: Folded,
    skeleton: String,
    ranges: Vec<Range<usize>>,
}

/// How the folded tokens of a match map back to the source text they were
/// folded from, for [`Matcher::describe`].
enum Origins<'a> {
    /// The text folded again, with its offset map.
    Refolded(&'a Folded),
    /// Every token was folded character for character into as many bytes
    /// ([`ScannedToken::aligned`]): folded ranges are source ranges. Holds
    /// the first token's folded text.
    Aligned(&'a str),
}

impl Origins<'_> {
    /// The source range of the folded range `folded`, as
    /// [`Folded::source_range`] gives it: from its first character to the
    /// end of its last, and the marks written right after it.
    fn source_range(&self, folded: Range<usize>, text: &str) -> Range<usize> {
        match self {
            Origins::Refolded(map) => map.source_range(folded, text),
            Origins::Aligned(_) => {
                let mut last = folded.end - 1;
                while !text.is_char_boundary(last) {
                    last -= 1;
                }
                folded.start..source_end(text, last)
            }
        }
    }

    /// The folded text of the first token, at `range`.
    fn first_token(&self, range: Range<usize>) -> &str {
        match self {
            Origins::Refolded(map) => &map.as_str()[range],
            Origins::Aligned(first) => first,
        }
    }
}

/// Descriptions already made, by the hash of what they were made from (see
/// [`DescriptionKey`]), kept per thread beside the readings
/// ([`ReadingCache`]): a term written the same way again, in the same text
/// or the next, is described without folding its stretch again. A hash seen
/// once is only noted (`None`); the description is kept the second time, so
/// that text whose matches are all different pays little for the memo.
#[derive(Default)]
struct Descriptions {
    made: FxHashMap<u64, Option<(DescriptionKey, Match)>>,
}

impl Descriptions {
    /// The hash of a match's stretch and form (its readings are compared,
    /// not hashed: the same stretch read two ways as one form is rare).
    fn hash(stretch: &str, form: u32) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one((stretch, form))
    }

    /// The description made before of `stretch` matched as `best` (its span
    /// in the stretch); or whether this one, once made, is to be kept: it is
    /// when the hash was seen once before.
    fn recall(&mut self, hash: u64, stretch: &str, best: &Candidate) -> Result<Match, bool> {
        match self.made.get(&hash) {
            Some(Some((key, m))) if *key.stretch == *stretch && key.form == best.form && *key.readings == best.readings[..] => {
                Ok(m.clone())
            }
            // Another stretch with the same hash: described every time.
            Some(Some(_)) => Err(false),
            Some(None) => Err(true),
            None => {
                if self.made.len() >= DESCRIPTIONS_KEPT {
                    self.made.clear();
                }
                self.made.insert(hash, None);
                Err(false)
            }
        }
    }

    /// Keeps the description `m` (its span in `stretch`) of `stretch` matched as `best`.
    fn keep(&mut self, hash: u64, stretch: &str, best: &Candidate, m: &Match) {
        let key = DescriptionKey { stretch: stretch.into(), form: best.form, readings: best.readings.as_slice().into() };
        self.made.insert(hash, Some((key, m.clone())));
    }
}

/// Everything a match's description depends on: the stretch of source it
/// covers, the form, and the reading of each token. The same key always
/// gives the same description, up to where the stretch stands.
struct DescriptionKey {
    stretch: Box<str>,
    form: u32,
    readings: Box<[Reading<()>]>,
}

/// Descriptions (or hashes seen once) a thread keeps before it starts
/// afresh: a few MB at most.
const DESCRIPTIONS_KEPT: usize = 1 << 14;

/// A candidate being compared at one text position; none yet while
/// `tokens` is 0. One is reused from position to position, and its readings'
/// buffer with it.
#[derive(Default)]
struct Candidate {
    form: u32,
    tokens: usize,
    /// The text's definiteness equals the form's, token by token.
    exact_pattern: bool,
    /// The text uses the all-indefinite pattern of a noun-adjective form.
    indefinite: bool,
    /// The head stands in construct (see [`MatchKind::Construct`]).
    construct: bool,
    stripped: usize,
    readings: Vec<Reading<()>>,
    /// The hit of each token of the form.
    hits: Vec<usize>,
    /// A word stands between the head and the next token (in construct).
    gap: bool,
}

impl Candidate {
    /// The hit just past the match.
    fn end_hit(&self) -> usize {
        self.hits.last().map_or(0, |&last| last + 1)
    }
}

impl Matcher {
    /// Indexes every form of a validated glossary.
    pub fn new(glossary: &Glossary) -> Matcher {
        let spellings = glossary.spelling_map().unwrap_or_default();
        let mut matcher = Matcher {
            id: NEXT_MATCHER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            stems: FxHashMap::default(),
            kinds: Vec::new(),
            imperfect: FxHashMap::default(),
            verbs: false,
            verb_pairs: Default::default(),
            filter: StemFilter::default(),
            prefilter: ReadingPrefilter::default(),
            trie: Trie::default(),
            forms: Vec::new(),
            form_tokens: std::sync::Arc::default(),
        };
        // Spelling classes first, so that every variant shares its canonical id.
        let mut canonical_ids: HashMap<String, StemId> = HashMap::new();
        for (variant, canonical) in &spellings {
            let next = canonical_ids.len() as StemId;
            let id = *canonical_ids.entry(canonical.clone()).or_insert(next);
            matcher.stems.insert(variant.as_str().into(), id);
        }
        let mut next_stem = canonical_ids.len() as StemId;
        // Validation analysed every form already (`Glossary::analyses`) and
        // those analyses are shared, each checked once against its term's
        // text. If any term changed since (or the glossary was never
        // validated), all forms are analysed afresh, in parallel: the costly
        // part, independent per form. Term after term, concept after concept.
        let terms = || {
            glossary
                .concepts
                .iter()
                .enumerate()
                .flat_map(|(c, concept)| concept.terms.iter().enumerate().map(move |(t, term)| (c, t, term)))
        };
        let reused: Option<Vec<FormRange>> = terms().map(|(c, t, term)| glossary.analyses.of(c, t, &term.text)).collect();
        let analyses = match (reused, glossary.analyses.tokens()) {
            (Some(ranges), Some(tokens)) => {
                matcher.form_tokens = tokens.clone();
                ranges
            }
            _ => {
                let all: Vec<&str> = terms().map(|(_, _, term)| term.text.as_str()).collect();
                let (tokens, ranges) = FormTokenList::analyse_all(&all, |_, _| ());
                matcher.form_tokens = std::sync::Arc::new(tokens);
                ranges.into_iter().map(|(range, ())| range).collect()
            }
        };
        matcher.forms.reserve_exact(analyses.len());
        // A label per form token: the builder never grows.
        let form_tokens = &matcher.form_tokens;
        let mut trie = TrieBuilder::with_capacity(analyses.iter().map(|&range| form_tokens.get(range).len()).sum(), analyses.len());
        let mut labels = Vec::new();
        // The imperfect stems the forms list («يحذف»), then those derived
        // from a perfect or an imperative («حذف», «احذف»): a listed one wins.
        let (mut listed_imperfect, mut derived_imperfect) = (Vec::new(), Vec::new());
        for ((c, t, term), range) in terms().zip(analyses) {
            let tokens = form_tokens.get(range);
            if tokens.is_empty() {
                continue;
            }
            let arabic = term.role == TermRole::Arabic;
            let pos = if arabic { term.pos } else { PartsOfSpeech::NOUN };
            let verb_only = pos == PartsOfSpeech::VERB;
            labels.clear();
            for (k, token) in tokens.iter().enumerate() {
                // A verb's first letters are never the article («التقط»).
                let verb_head = k == 0 && verb_only && token.definite && token.script == Script::Arabic;
                let joined;
                let key = if verb_head {
                    joined = format!("ال{}", token.stem());
                    joined.as_str()
                } else {
                    token.stem()
                };
                // Looked up first: a new key is allocated only for a new stem.
                let stem = match matcher.stems.get(key) {
                    Some(&stem) => stem,
                    None => {
                        matcher.stems.insert(key.into(), next_stem);
                        next_stem += 1;
                        next_stem - 1
                    }
                };
                if k == 0 && arabic && token.script == Script::Arabic {
                    if matcher.kinds.len() <= stem as usize {
                        matcher.kinds.resize(stem as usize + 1, 0);
                    }
                    let mut kind = 0;
                    if pos.contains(PartsOfSpeech::NOUN) || pos.contains(PartsOfSpeech::ADJECTIVE) {
                        kind |= stem_kind::NOMINAL;
                    }
                    if pos.contains(PartsOfSpeech::ADJECTIVE) {
                        kind |= stem_kind::ADJECTIVE;
                    }
                    if pos.contains(PartsOfSpeech::VERB) {
                        kind |= stem_kind::VERB;
                        matcher.verbs = true;
                        let chars: Vec<(usize, char)> = key.char_indices().collect();
                        let rest = |from: usize| &key[chars[from].0..];
                        match chars.first().map(|&(_, c)| c) {
                            Some('ي') if chars.len() >= 3 => listed_imperfect.push((rest(1).to_string(), stem, true)),
                            Some('ا') if chars.len() >= 4 => derived_imperfect.push((rest(1).to_string(), stem, true)),
                            _ => derived_imperfect.push((key.to_string(), stem, false)),
                        }
                    }
                    matcher.kinds[stem as usize] |= kind;
                }
                labels.push(stem);
            }
            let definite = |k: usize, token: &crate::normalize::FormToken| token.definite && !(k == 0 && verb_only);
            let all_definite =
                arabic && !verb_only && tokens.iter().skip(1).all(|t| t.definite) && (tokens.len() > 1 || tokens[0].definite);
            let form = matcher.forms.len() as u32;
            trie.insert(
                labels.iter().copied(),
                Terminal {
                    form,
                    definite: definite_bits(tokens.iter().enumerate().map(|(k, token)| definite(k, token))),
                    all_definite,
                    pos: pos.bits(),
                },
            );
            matcher.forms.push(FormEntry {
                concept: c,
                term: term.rendering(t),
                listed: !term.is_rendering(),
                head_article: verb_only && tokens[0].definite,
                role: term.role,
                tokens: range,
            });
        }
        for (key, stem, skip_first) in listed_imperfect.into_iter().chain(derived_imperfect) {
            matcher.imperfect.entry(key.into_boxed_str()).or_insert((stem, skip_first));
        }
        let pair = |key: &str| {
            let mut chars = key.chars();
            Some([chars.next()?, chars.next()?])
        };
        if matcher.verbs {
            let verb_stems =
                matcher.stems.iter().filter(|(_, &id)| matcher.kinds.get(id as usize).is_some_and(|k| k & stem_kind::VERB != 0));
            let pairs: Vec<[char; 2]> =
                verb_stems.map(|(key, _)| &**key).chain(matcher.imperfect.keys().map(|k| &**k)).filter_map(pair).collect();
            matcher.verb_pairs.extend(pairs);
        }
        matcher.kinds.resize(next_stem as usize, 0);
        matcher.trie = trie.build();
        let keys = || matcher.stems.keys().chain(matcher.imperfect.keys()).map(|k| &**k);
        matcher.filter = StemFilter::new(keys());
        matcher.prefilter = ReadingPrefilter::new(keys().collect::<Vec<_>>().into_iter());
        matcher
    }

    /// Every occurrence in `text`, leftmost-longest, in text order.
    ///
    /// One pass folds and tokenizes the text ([`Tokenizer::scan`]); a token
    /// whose first letters rule out any reading ([`ReadingPrefilter`]) is
    /// passed over, and the others are looked up in a per-thread cache of
    /// readings, so that a token seen before costs one hash lookup and no
    /// allocation. Only tokens with a reading (a "hit") are kept, with their
    /// ordinal; a phrase continues from one hit to the next only when their
    /// ordinals are consecutive. Matches are then resolved on the hits alone.
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.find_counting_words(text).0
    }

    /// [`Matcher::find`], and the number of words in `text` (runs of folded
    /// characters that are not white space; marks and invisibles alone make
    /// no word), counted in the same pass.
    pub fn find_counting_words(&self, text: &str) -> (Vec<Match>, usize) {
        let mut words = 0;
        let mut matches = Vec::new();
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            cache.prepare(self.id);
            // The thread's hit buffers, emptied: they grow to a text's hits
            // once, not again for every text.
            let mut hits = std::mem::take(&mut cache.hits);
            hits.clear();
            let mut tokenizer = Tokenizer::new(HitCollector { matcher: self, cache: &mut cache, hits: &mut hits });
            tokenizer.scan(text);
            words = tokenizer.finish().1;
            matches = self.resolve(&hits, text, Some(&mut cache.descriptions));
            if hits.tokens.capacity() <= HITS_KEPT {
                cache.hits = hits;
            }
        });
        (matches, words)
    }

    /// [`Matcher::find`] the plain way: the whole text folded with its offset
    /// map, tokenized, and every token's readings computed afresh. The fast
    /// path must agree with it on every text (a property test and the
    /// `fold_match` fuzz target check); it is not meant for other uses.
    #[doc(hidden)]
    pub fn find_reference(&self, text: &str) -> Vec<Match> {
        let folded = fold(text);
        let mut hits = Hits::default();
        let (mut heads, mut tails, mut scratch) = (Vec::new(), Vec::new(), String::new());
        for (ordinal, token) in tokenize(folded.as_str()).iter().enumerate() {
            let word = &folded.as_str()[token.range.clone()];
            self.compute_readings(word, token.script, &mut scratch, &mut heads, &mut tails);
            if !heads.is_empty() || !tails.is_empty() {
                let scanned = ScannedToken {
                    text: word,
                    script: token.script,
                    joins_previous: token.joins_previous,
                    ordinal,
                    first_origin: folded.origin(token.range.start),
                    last_origin: folded.origin(token.range.end - 1),
                    // Every match is described from its stretch folded again.
                    aligned: false,
                    head: 0,
                    head_len: 0,
                };
                hits.push(&scanned, (&heads, &tails));
            }
        }
        self.resolve(&hits, text, None)
    }

    #[inline]
    fn lookup(&self, stem: &str) -> Option<(StemId, u8)> {
        if !self.filter.may_contain(stem) {
            return None;
        }
        self.stems.get(stem).map(|&id| (id, self.kinds[id as usize]))
    }

    /// The head readings (stems that start some form) and tail readings (any
    /// registered stem) of one folded token. A head reading holds, instead
    /// of its stem, the trie node its stem leads to from the root: the walk
    /// starts there without looking the edge up again for every hit.
    fn compute_readings(
        &self,
        word: &str,
        script: Script,
        scratch: &mut String,
        heads: &mut Vec<Reading<NodeId>>,
        tails: &mut Vec<Reading<StemId>>,
    ) {
        // No stem is as long as this: a token that is has no reading (and
        // a reading's offsets fit in 16 bits).
        if word.len() >= MAX_READ_TOKEN {
            heads.clear();
            tails.clear();
            return;
        }
        // A head reading needs a stem that starts some form: a token known
        // only inside forms («للتحالف» in «المهمة العسكرية للتحالف») is not
        // "a known form" that protects it from being read with proclitics.
        let mut starts_form = |s: &str| self.lookup(s).and_then(|(stem, kind)| self.trie.child(ROOT, stem).map(|node| (node, kind)));
        let mut any = |s: &str| self.lookup(s);
        match script {
            Script::Arabic => {
                let mut imperfect = |s: &str| {
                    if !self.filter.may_contain(s) {
                        return None;
                    }
                    self.imperfect.get(s).and_then(|&(stem, skip)| self.trie.child(ROOT, stem).map(|node| (node, skip)))
                };
                head_readings(word, scratch, &mut starts_form, &mut imperfect, self.verbs && self.may_be_verb(word), heads);
                tail_readings(word, scratch, &mut any, tails);
            }
            Script::Other => {
                tail_readings_whole(word, &mut |s| starts_form(s).map(|(node, _)| node), heads);
                tail_readings_whole(word, &mut |s| any(s).map(|(stem, _)| stem), tails);
            }
        }
    }

    /// Whether a folded token may be read as a verb: a verb stem starts
    /// after at most a conjunction, ل or س, and a subject prefix (three
    /// letters), so one of the verb stems' first two letters stands at one
    /// of the token's first four letters. Most tokens fail this and are
    /// spared the verbal readings' many affix combinations.
    fn may_be_verb(&self, word: &str) -> bool {
        let mut chars = word.chars();
        let mut previous = chars.next();
        for c in chars.take(4) {
            if previous.is_some_and(|p| self.verb_pairs.contains(&[p, c])) {
                return true;
            }
            previous = Some(c);
        }
        false
    }

    /// Leftmost-longest over the hits; `descriptions` remembers matches
    /// described before (the reference path describes every match afresh).
    /// A form of another concept that starts inside a match and ends past
    /// it is matched too («انتشار فيروس» and «فيروس كورونا المستجد» in
    /// «انتشار فيروس كورونا المستجد»); a form inside a match is not.
    fn resolve(&self, hits: &Hits, text: &str, mut descriptions: Option<&mut Descriptions>) -> Vec<Match> {
        let mut matches = Vec::new();
        let mut scratch = DescribeScratch::default();
        // The walk's path and the best candidate, reused from hit to hit.
        let (mut path, mut best) = (Vec::new(), Candidate::default());
        // The hit just past the matches so far, and the concepts of the
        // matches that reach it.
        let (mut covered, mut covering) = (0usize, Vec::<usize>::new());
        let mut i = 0;
        let mut at = Vec::new();
        while i < hits.tokens.len() {
            self.longest_at(hits, i, text, &mut path, &mut at, &mut best);
            if best.tokens == 0 {
                i += 1;
                continue;
            }
            let end = best.end_hit();
            let concept = self.forms[best.form as usize].concept;
            if i < covered && (end <= covered || covering.contains(&concept)) {
                i += 1;
                continue;
            }
            // A head in construct with a word between: that word is no part
            // of the form. If a form of the same concept starts there
            // («بقيادة القيادة المركزية الأمريكية»), that is the match; a
            // form of another concept there is matched too («القرص» in
            // «مساحة القرص الفارغة»).
            let mut between = None;
            if best.gap && best.hits[0] + 1 < best.hits[1] {
                let word = best.hits[0] + 1;
                let mut inner = Candidate::default();
                let (mut inner_path, mut inner_at) = (Vec::new(), Vec::new());
                self.longest_at(hits, word, text, &mut inner_path, &mut inner_at, &mut inner);
                if inner.tokens > 0 {
                    if self.forms[inner.form as usize].concept == concept {
                        i += 1;
                        continue;
                    }
                    if inner.end_hit() == word + 1 {
                        between = Some((word, inner));
                    }
                }
            }
            matches.push(self.describe_hits(&best, hits, i, text, &mut scratch, descriptions.as_deref_mut()));
            if let Some((word, inner)) = between {
                matches.push(self.describe_hits(&inner, hits, word, text, &mut scratch, descriptions.as_deref_mut()));
            }
            if end > covered {
                if i >= covered {
                    covering.clear();
                }
                covering.push(concept);
                covered = end;
            }
            // Inside the match, only a form that ends past it is looked for,
            // and there is none unless the token after the match goes on
            // the phrase (a form runs over consecutive tokens): as a rule
            // the next hit to look at is the one after the match.
            let goes_on = hits.tokens.get(end).is_some_and(|next| next.joins_previous && next.ordinal == hits.tokens[end - 1].ordinal + 1);
            i = if goes_on { i + 1 } else { i.max(end - 1) + 1 };
        }
        matches
    }

    /// Makes `best` the longest candidate at hit `i`, or none (`tokens` 0).
    /// `path` and `at` are the walk's readings and their hits, reused.
    fn longest_at(&self, hits: &Hits, i: usize, text: &str, path: &mut Vec<Reading<()>>, at: &mut Vec<usize>, best: &mut Candidate) {
        best.tokens = 0;
        for reading in hits.heads(i) {
            path.clear();
            at.clear();
            path.push(reading.without_stem());
            at.push(i);
            // A head reading holds the node its stem leads to from the root.
            self.extend(hits, text, reading.stem, path, at, best);
        }
    }

    /// Depth-first walk of the trie along the readings of the following
    /// hits: the very next token, or, after a head without its article, the
    /// token after one word between ([`MatchKind::Construct`]).
    fn extend(&self, hits: &Hits, text: &str, node: NodeId, path: &mut Vec<Reading<()>>, at: &mut Vec<usize>, best: &mut Candidate) {
        let (terminals, children) = self.trie.node(node);
        for terminal in terminals {
            self.consider(terminal, hits, text, path, at, best);
        }
        if children.is_empty() {
            return;
        }
        let last = at[at.len() - 1];
        let ordinal = hits.tokens[last].ordinal;
        // The next hit continues the phrase only if it is the very next token.
        let mut next = last + 1;
        if let Some(token) = hits.tokens.get(next) {
            if token.ordinal == ordinal + 1 && token.joins_previous {
                self.extend_with(hits, text, children, next, path, at, best);
            }
        }
        // After a head written without its article (and not a verb), one
        // word may stand between it and the rest: a genitive in construct.
        if path.len() == 1 && !path[0].definite && path[0].class & class::VERBAL == 0 {
            if hits.tokens.get(next).is_some_and(|t| t.ordinal == ordinal + 1) {
                if !hits.tokens[next].joins_previous {
                    return;
                }
                next += 1;
            }
            if let Some(token) = hits.tokens.get(next) {
                if token.ordinal == ordinal + 2 && token.joins_previous {
                    self.extend_with(hits, text, children, next, path, at, best);
                }
            }
        }
    }

    /// [`Matcher::extend`] through each tail reading of hit `next` that
    /// leads to one of `children`.
    #[allow(clippy::too_many_arguments)]
    fn extend_with(
        &self,
        hits: &Hits,
        text: &str,
        children: &[trie::Edge],
        next: usize,
        path: &mut Vec<Reading<()>>,
        at: &mut Vec<usize>,
        best: &mut Candidate,
    ) {
        for reading in hits.tails(next) {
            if let Some(child) = self.trie.child_in(children, reading.stem) {
                path.push(reading.without_stem());
                at.push(next);
                self.extend(hits, text, child, path, at, best);
                path.pop();
                at.pop();
            }
        }
    }

    /// Whether the readings of `path` are affixes the form of `terminal`
    /// takes: a verb's affixes only on a verb, the article, a preposition,
    /// a number or the accusative only on a noun or an adjective, the
    /// feminine only on an adjective (or a later word agreeing with a plural
    /// head), a pronoun on a later word only where it ends a construct; and
    /// a lone pronoun ه never where the text wrote ة.
    fn affixes_fit(terminal: &Terminal, at: &[usize], hits: &Hits, text: &str, path: &[Reading<()>]) -> bool {
        let head = &path[0];
        let pos = terminal.pos;
        let (noun, verb, adjective) = (PartsOfSpeech::NOUN.bits(), PartsOfSpeech::VERB.bits(), PartsOfSpeech::ADJECTIVE.bits());
        if head.class & class::VERBAL != 0 && pos & verb == 0 {
            return false;
        }
        if head.class & class::NOMINAL != 0 && pos & (noun | adjective) == 0 {
            return false;
        }
        if head.class & class::FEMININE != 0 && pos & adjective == 0 {
            return false;
        }
        let plural_head = head.class & class::NUMBER != 0;
        let last = path.len() - 1;
        for (k, reading) in path.iter().enumerate().skip(1) {
            if reading.class & (class::NUMBER | class::FEMININE) != 0 && !plural_head {
                return false;
            }
            if reading.class & class::PRONOUN != 0 && (k != last || head.class & class::PRONOUN != 0) {
                return false;
            }
        }
        // A pronoun ه read on a word whose last letter was written ة.
        path.iter().enumerate().all(|(k, reading)| {
            reading.class & class::LONE_HEH == 0 || !text[hits.tokens[at[k]].last_origin..].starts_with(['ة', '\u{FE93}', '\u{FE94}'])
        })
    }

    /// Makes the form of `terminal`, read along `path` (its tokens'
    /// readings, at hits `at`), the `best` candidate if it is better.
    fn consider(&self, terminal: &Terminal, hits: &Hits, text: &str, path: &[Reading<()>], at: &[usize], best: &mut Candidate) {
        let form = terminal.form;
        // The head may add an article to an indefinite head (a single noun, or
        // «بالاتفاقية الإطار», a common construct slip); every later token
        // must agree exactly. (`path` is as long as the form: the walk ends
        // at its node.)
        let written = definite_bits(path.iter().map(|r| r.definite));
        let head_form = terminal.definite & 1 != 0;
        let head_ok = head_form == path[0].definite || (!head_form && path[0].definite);
        let tails_ok = (terminal.definite ^ written) >> 1 == 0
            && (path.len() <= DEFINITE_BITS
                || self.form_tokens.get(self.forms[form as usize].tokens)[DEFINITE_BITS..]
                    .iter()
                    .zip(&path[DEFINITE_BITS..])
                    .all(|(t, r)| t.definite == r.definite));
        let pattern_ok = head_ok && tails_ok;
        let exact_pattern = head_form == path[0].definite && tails_ok;
        let indefinite = !pattern_ok && terminal.all_definite && path.iter().all(|r| !r.definite);
        // A noun-adjective form whose head stands in construct: the head
        // without its article, the adjectives with theirs, one word between
        // or none.
        let construct = !pattern_ok && !indefinite && head_form && terminal.all_definite && path.len() > 1 && tails_ok;
        // Tokens, not hits: the word between need not be a hit.
        let gap = hits.tokens[at[at.len() - 1]].ordinal - hits.tokens[at[0]].ordinal >= path.len();
        if !(pattern_ok || indefinite || construct) || (gap && !construct) {
            return;
        }
        if !Self::affixes_fit(terminal, at, hits, text, path) {
            return;
        }
        // No candidate yet has 0 tokens, which any path beats; over as many
        // tokens, one without a word between beats one with; then the one
        // that strips fewer letters (counted only for such a tie).
        let stripped = || path.iter().zip(at).map(|(r, &k)| r.stripped(hits.text(k))).sum::<usize>();
        let (better, stripped) = match (path.len(), exact_pattern, !gap).cmp(&(best.tokens, best.exact_pattern, !best.gap)) {
            std::cmp::Ordering::Greater => (true, stripped()),
            std::cmp::Ordering::Less => (false, 0),
            std::cmp::Ordering::Equal => {
                let stripped = stripped();
                (stripped < best.stripped, stripped)
            }
        };
        if better {
            best.readings.clear();
            best.readings.extend_from_slice(path);
            best.hits.clear();
            best.hits.extend_from_slice(at);
            best.form = form;
            best.tokens = path.len();
            best.exact_pattern = exact_pattern;
            best.indefinite = indefinite;
            best.construct = construct;
            best.gap = gap;
            best.stripped = stripped;
        }
    }

    /// Describes the match of `best` starting at hit `first`. Only the
    /// matched stretch of source is folded again, with its offset map, to say
    /// what was stripped and how it was written; when that stretch does not
    /// fold to the same tokens on its own (a ligature spelling several words,
    /// U+FDFA), the whole text is.
    fn describe_hits(
        &self,
        best: &Candidate,
        hits: &Hits,
        first: usize,
        text: &str,
        scratch: &mut DescribeScratch,
        mut descriptions: Option<&mut Descriptions>,
    ) -> Match {
        debug_assert_eq!(best.hits[0], first);
        // The matched hits, without gathering them: no allocation a match.
        let matched = || best.hits.iter().map(|&k| &hits.tokens[k]);
        let start = hits.tokens[best.hits[0]].first_origin;
        let end = source_end(text, hits.tokens[best.hits[best.hits.len() - 1]].last_origin);
        let local = &text[start..end];
        // With a memo: the hash to look up, and whether to keep this one.
        let mut memo = None;
        if let Some(descriptions) = descriptions.as_deref_mut() {
            let hash = Descriptions::hash(local, best.form);
            match descriptions.recall(hash, local, best) {
                Ok(m) => return Match { span: m.span.start + start..m.span.end + start, ..m },
                Err(seen_before) => memo = Some((hash, seen_before)),
            }
        }
        let DescribeScratch { folded, skeleton, ranges } = scratch;
        ranges.clear();
        // Tokens folded character for character into as many bytes are
        // where they were written: their ranges are their source ranges,
        // and the stretch need not be folded again.
        let aligned = matched().all(|hit| hit.aligned);
        let lined_up = if aligned {
            ranges.extend(matched().zip(&best.hits).map(|(hit, &k)| {
                let at = hit.first_origin - start;
                at..at + hits.text(k).len()
            }));
            true
        } else {
            folded.refold(local);
            // Each hit's folded text, found where its first character folded
            // to: no need to tokenize the stretch again.
            matched().zip(&best.hits).all(|(hit, &k)| {
                let Some(at) = folded.folded_at(hit.first_origin - start) else { return false };
                let range = at..at + hits.text(k).len();
                let found = folded.as_str().get(range.clone()) == Some(hits.text(k));
                ranges.push(range);
                found
            })
        };
        if lined_up {
            let origins = if aligned { Origins::Aligned(hits.text(first)) } else { Origins::Refolded(folded) };
            let mut m = self.describe(best, ranges, &origins, local, skeleton);
            if let (Some(descriptions), Some((hash, true))) = (descriptions, memo) {
                descriptions.keep(hash, local, best, &m);
            }
            m.span = m.span.start + start..m.span.end + start;
            return m;
        }
        let folded = fold(text);
        let tokens = tokenize(folded.as_str());
        let ranges: Vec<Range<usize>> = matched().map(|hit| tokens[hit.ordinal].range.clone()).collect();
        self.describe(best, &ranges, &Origins::Refolded(&folded), text, skeleton)
    }

    /// The match of `best` over `tokens` (their byte ranges in the folding
    /// of `text`, which `origins` maps back); `scratch` holds each token's
    /// written skeleton in turn.
    fn describe(&self, best: &Candidate, tokens: &[Range<usize>], origins: &Origins<'_>, text: &str, scratch: &mut String) -> Match {
        let entry = &self.forms[best.form as usize];
        let entry_tokens = self.form_tokens.get(entry.tokens);
        let first = &tokens[0];
        let last = &tokens[tokens.len() - 1];
        let span = origins.source_range(first.start..last.end, text);
        let written = |range: Range<usize>| -> String {
            if range.is_empty() {
                String::new()
            } else {
                skeleton(&text[origins.source_range(range, text)])
            }
        };
        let head = &best.readings[0];
        // The article of a definite form is part of the form, not a proclitic;
        // «لل» (ل + ال) is reported whole. A verb's first letters «ال» are
        // its own («التقط»).
        let mut prefix_len = usize::from(head.prefix_len);
        if entry_tokens[0].definite && !entry.head_article && origins.first_token(first.clone())[..prefix_len].ends_with("ال") {
            prefix_len -= "ال".len();
        }
        let subject = usize::from(head.subject_len);
        let proclitics = written(first.start..first.start + prefix_len - subject);
        let prefix = written(first.start + prefix_len - subject..first.start + prefix_len);
        let mut suffix = String::new();
        let mut orthographic = false;
        let mut inflected = entry.listed;
        for (k, ((token, reading), form_token)) in tokens.iter().zip(&best.readings).zip(entry_tokens).enumerate() {
            let base = token.start + usize::from(reading.prefix_len)..token.start + usize::from(reading.base_end);
            scratch.clear();
            if !base.is_empty() {
                skeleton_into(&text[origins.source_range(base, text)], scratch);
            }
            let mut expected: &str = form_token.skeleton();
            if reading.skip_first {
                expected = expected.char_indices().nth(1).map_or("", |(i, _)| &expected[i..]);
            }
            if reading.taa {
                expected = expected.char_indices().last().map_or("", |(i, _)| &expected[..i]);
            }
            let same = if k == 0 && entry.head_article && !reading.skip_first {
                scratch.strip_prefix("ال") == Some(expected)
            } else {
                *scratch == expected
            };
            if !same {
                orthographic = true;
            }
            if reading.inflected(token.len()) {
                inflected = true;
                let written_suffix = written(token.start + usize::from(reading.suffix_start)..token.end);
                if !written_suffix.is_empty() {
                    if !suffix.is_empty() {
                        suffix.push(' ');
                    }
                    suffix.push_str(&written_suffix);
                }
            }
        }
        let indefinite = best.indefinite;
        let kind = if orthographic {
            MatchKind::Orthographic
        } else if inflected {
            MatchKind::Inflected
        } else if best.construct {
            MatchKind::Construct
        } else if indefinite {
            MatchKind::Indefinite
        } else if !proclitics.is_empty() {
            MatchKind::Clitic
        } else {
            MatchKind::Exact
        };
        Match {
            concept: entry.concept,
            term: entry.term,
            span,
            kind,
            orthographic,
            indefinite,
            article: head.definite,
            proclitics,
            prefix,
            suffix,
            role: entry.role,
        }
    }
}

/// A bit set over a cheap fingerprint of a string (its length and its first
/// and last two bytes), with every registered stem's bit set. A string whose
/// bit is clear is certainly not a stem, and most candidate stems a clitic
/// reading tries are rejected without hashing the whole string. It never
/// rejects a stem, so it changes no result, only the time.
struct StemFilter {
    bits: Vec<u64>,
}

impl Default for StemFilter {
    fn default() -> Self {
        StemFilter { bits: vec![u64::MAX; 1] }
    }
}

/// Bits in the filter: 2^20, 128 KiB, a few per cent full with 100,000 stems.
const FILTER_BITS: u32 = 20;

impl StemFilter {
    fn new<'a>(stems: impl Iterator<Item = &'a str>) -> StemFilter {
        let mut bits = vec![0u64; 1 << (FILTER_BITS - 6)];
        for stem in stems {
            let bit = Self::fingerprint(stem);
            bits[bit >> 6] |= 1 << (bit & 63);
        }
        StemFilter { bits }
    }

    #[inline]
    fn fingerprint(s: &str) -> usize {
        let b = s.as_bytes();
        let n = b.len();
        let head = u64::from(b.first().copied().unwrap_or(0)) << 8 | u64::from(b.get(1).copied().unwrap_or(0));
        let tail = u64::from(b[..n].last().copied().unwrap_or(0)) << 8 | u64::from(if n >= 2 { b[n - 2] } else { 0 });
        let mixed = ((n as u64) << 32 | head << 16 | tail).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - FILTER_BITS)) as usize
    }

    #[inline]
    fn may_contain(&self, s: &str) -> bool {
        let bit = Self::fingerprint(s) & (self.bits.len() * 64 - 1);
        self.bits[bit >> 6] & (1 << (bit & 63)) != 0
    }
}

/// A necessary condition for an Arabic token to have any clitic reading,
/// checked before the reading cache: most tokens of running text fail it and
/// cost a few table lookups.
///
/// Why it holds (see `normalize::clitics`): a reading is proclitics (at most
/// four letters) + the stem as written + a suffix. The written stem keeps
/// every letter of the stem but the last (a final ة may be written ت, or
/// dropped before ات), or drops the stem's first letter, a lam, right after
/// the proclitics «لل» (the dropped lam of «للجنة») — whose last letter is
/// that lam. So a token with a reading of a stem of three letters or more
/// holds, starting at one of its first five letters, the stem's first three
/// letters, or for a three-letter stem in ة its first two and ت or ا; a
/// two-letter stem, its two letters (or its first and ت or ا). The filter
/// keeps those triples and pairs, of letter classes ([`letter_class`]:
/// letters outside the folded alphabet are one class); it never rejects a token with
/// a reading, so it changes no result (a property test compares against the
/// path without it).
///
/// One table serves both: a pair is kept as every triple it starts, the
/// third class 0 included — the class of no letter, which is what
/// [`ScannedToken::head`] holds past a token's last letter. So each of the
/// first five offsets costs one bit test, whether two or three letters are
/// left from it.
///
/// A token that passes (one in five or ten of running text) is looked at
/// again, letter four included: a stem of four letters or more is written
/// with its first four letters as they are, but for a four-letter stem in ة,
/// whose last may be ت or ا instead (the same argument). So at the offset
/// where its triple was found, a token with a reading of a long stem also
/// holds one of the stem's letter quadruples, which a hashed bit set keeps;
/// a triple of a stem of two or three letters needs no fourth letter.
struct ReadingPrefilter {
    /// Bit per letter triple (64 × 64 × 64 classes), bit `a | b << 6 | c << 12`
    /// of the table, as [`ScannedToken::head`] packs the letters.
    triples: Box<[u64; TRIPLE_WORDS]>,
    /// The same for the stems of two or three letters alone.
    short_triples: Box<[u64; TRIPLE_WORDS]>,
    /// A bit per hashed letter quadruple of the stems of four letters or
    /// more (see [`ReadingPrefilter::quad_bit`]); a power of two of words.
    quads: Vec<u64>,
}

/// Words of [`ReadingPrefilter::triples`]: 64 × 64 × 64 bits, 32 KiB.
const TRIPLE_WORDS: usize = (1 << (3 * CLASS_BITS)) / 64;

/// The classes of three letters, as [`ScannedToken::head`] packs them.
const TRIPLE: u64 = (1 << (3 * CLASS_BITS)) - 1;

/// The classes of four letters.
const QUAD: u64 = (1 << (4 * CLASS_BITS)) - 1;

impl Default for ReadingPrefilter {
    /// Lets everything through (used only before the stems are known).
    fn default() -> Self {
        ReadingPrefilter {
            triples: Box::new([u64::MAX; TRIPLE_WORDS]),
            short_triples: Box::new([u64::MAX; TRIPLE_WORDS]),
            quads: vec![u64::MAX],
        }
    }
}

/// How far into a token a stem may start: after four letters of proclitics.
const PROCLITIC_LETTERS: usize = 4;

impl ReadingPrefilter {
    fn class(c: char) -> usize {
        letter_class(c) as usize
    }

    fn new<'a>(stems: impl ExactSizeIterator<Item = &'a str>) -> ReadingPrefilter {
        // About 16 bits per quadruple (at most three a stem), 4 KiB to 512 KiB.
        let quad_words = (stems.len() * 3 * 16 / 64).next_power_of_two().clamp(512, 1 << 16);
        let mut filter = ReadingPrefilter {
            triples: Box::new([0; TRIPLE_WORDS]),
            short_triples: Box::new([0; TRIPLE_WORDS]),
            quads: vec![0; quad_words],
        };
        let (taa, alef, heh) = (Self::class('ت'), Self::class('ا'), Self::class('ه'));
        let mut letters = Vec::new();
        for stem in stems {
            letters.clear();
            letters.extend(stem.chars().map(Self::class));
            let ends_in_heh = letters.last() == Some(&heh);
            match letters.len() {
                0 | 1 => {}
                2 => {
                    filter.add_pair(letters[0], letters[1]);
                    if ends_in_heh {
                        filter.add_pair(letters[0], taa);
                        filter.add_pair(letters[0], alef);
                    }
                }
                3 => {
                    filter.add_triple(letters[0], letters[1], letters[2], true);
                    if ends_in_heh {
                        filter.add_triple(letters[0], letters[1], taa, true);
                        filter.add_triple(letters[0], letters[1], alef, true);
                    }
                }
                n => {
                    filter.add_triple(letters[0], letters[1], letters[2], false);
                    filter.add_quad([letters[0], letters[1], letters[2], letters[3]]);
                    if n == 4 && ends_in_heh {
                        filter.add_quad([letters[0], letters[1], letters[2], taa]);
                        filter.add_quad([letters[0], letters[1], letters[2], alef]);
                    }
                }
            }
        }
        filter
    }

    /// A pair: every triple it starts, whatever follows (or nothing).
    fn add_pair(&mut self, a: usize, b: usize) {
        for c in 0..1 << CLASS_BITS {
            self.add_triple(a, b, c, true);
        }
    }

    /// The bits are laid out as [`ScannedToken::head`] packs letters: the
    /// first letter in the lowest bits.
    fn add_triple(&mut self, a: usize, b: usize, c: usize, short: bool) {
        let bit = (c << (2 * CLASS_BITS)) | (b << CLASS_BITS) | a;
        self.triples[bit >> 6] |= 1 << (bit & 63);
        if short {
            self.short_triples[bit >> 6] |= 1 << (bit & 63);
        }
    }

    fn add_quad(&mut self, [a, b, c, d]: [usize; 4]) {
        let bit = self.quad_bit(((d << (3 * CLASS_BITS)) | (c << (2 * CLASS_BITS)) | (b << CLASS_BITS) | a) as u64);
        self.quads[bit >> 6] |= 1 << (bit & 63);
    }

    /// The bit of a letter quadruple (20 bits, as [`ScannedToken::head`]
    /// packs them) in [`ReadingPrefilter::quads`].
    #[inline]
    fn quad_bit(&self, quad: u64) -> usize {
        let bits = self.quads.len() * 64;
        (quad.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & (bits - 1)
    }

    /// Whether an Arabic token may have a reading, from the classes of its
    /// first letters as the tokenizer packed them ([`ScannedToken::head`]):
    /// one test at each of the first five letters that has another after it.
    /// All five are tested, without branches, and the ones past the token's
    /// letters masked off: most tokens fail every test, and a branch per
    /// test would be taken at random.
    #[inline(always)]
    fn may_read(&self, head: u64, head_len: u32) -> bool {
        const OFFSETS: u32 = PROCLITIC_LETTERS as u32 + 1;
        let offsets = head_len.saturating_sub(1).min(OFFSETS);
        let mut found = 0u32;
        for o in 0..OFFSETS {
            let bit = ((head >> (CLASS_BITS * o)) & TRIPLE) as usize;
            found |= (((self.triples[(bit >> 6) & (TRIPLE_WORDS - 1)] >> (bit & 63)) & 1) as u32) << o;
        }
        found &= (1 << offsets) - 1;
        // The second look, at the offsets whose triple was found.
        while found != 0 {
            let o = found.trailing_zeros();
            found &= found - 1;
            let bit = ((head >> (CLASS_BITS * o)) & TRIPLE) as usize;
            if self.short_triples[(bit >> 6) & (TRIPLE_WORDS - 1)] & (1 << (bit & 63)) != 0 {
                return true;
            }
            let quad = self.quad_bit((head >> (CLASS_BITS * o)) & QUAD);
            if self.quads[quad >> 6] & (1 << (quad & 63)) != 0 {
                return true;
            }
        }
        false
    }
}

/// What [`Matcher::find`] gives the tokenizer: Arabic tokens the prefilter
/// turns away are never folded; the others are looked up in the reading
/// cache and kept when they have a reading.
struct HitCollector<'a> {
    matcher: &'a Matcher,
    cache: &'a mut ReadingCache,
    hits: &'a mut Hits,
}

impl TokenSink for HitCollector<'_> {
    #[inline(always)]
    fn wants(&mut self, script: Script, head: u64, head_len: u32) -> bool {
        script != Script::Arabic || self.matcher.prefilter.may_read(head, head_len)
    }

    fn token(&mut self, token: &ScannedToken<'_>) {
        let readings = self.cache.readings(self.matcher, token.text, token.script);
        if !readings.0.is_empty() || !readings.1.is_empty() {
            self.hits.push(token, readings);
        }
    }
}

/// One token with at least one reading, as [`Matcher::find`] keeps it.
struct Hit {
    ordinal: usize,
    joins_previous: bool,
    first_origin: usize,
    last_origin: usize,
    /// See [`ScannedToken::aligned`].
    aligned: bool,
    /// Its folded text in [`Hits::text`].
    text: Range<u32>,
    /// Its head readings, then its tail readings, in [`Hits::readings`].
    readings: u32,
    heads: u16,
    tails: u16,
}

/// The hits of one text, with their folded texts and readings side by side.
#[derive(Default)]
struct Hits {
    tokens: Vec<Hit>,
    text: String,
    /// Each hit's head readings (`Reading<NodeId>`), then its tail readings
    /// (`Reading<StemId>`): both ids are `u32`.
    readings: Vec<Reading<u32>>,
}

/// Hits a thread keeps room for between texts (a chunk of a large file
/// has some tens of thousands); a text with more gives its room back.
const HITS_KEPT: usize = 1 << 18;

impl Hits {
    fn clear(&mut self) {
        self.tokens.clear();
        self.text.clear();
        self.readings.clear();
    }

    fn push(&mut self, token: &ScannedToken<'_>, (heads, tails): (&[Reading<NodeId>], &[Reading<StemId>])) {
        let text = self.text.len() as u32..(self.text.len() + token.text.len()) as u32;
        self.text.push_str(token.text);
        let readings = self.readings.len() as u32;
        self.readings.extend_from_slice(heads);
        self.readings.extend_from_slice(tails);
        self.tokens.push(Hit {
            ordinal: token.ordinal,
            joins_previous: token.joins_previous,
            first_origin: token.first_origin,
            last_origin: token.last_origin,
            aligned: token.aligned,
            text,
            readings,
            heads: heads.len() as u16,
            tails: tails.len() as u16,
        });
    }

    fn text(&self, i: usize) -> &str {
        let r = &self.tokens[i].text;
        &self.text[r.start as usize..r.end as usize]
    }

    /// Its head readings, each holding the trie node its stem leads to from
    /// the root (see [`Matcher::compute_readings`]).
    fn heads(&self, i: usize) -> &[Reading<NodeId>] {
        let h = &self.tokens[i];
        &self.readings[h.readings as usize..h.readings as usize + h.heads as usize]
    }

    fn tails(&self, i: usize) -> &[Reading<StemId>] {
        let h = &self.tokens[i];
        let start = h.readings as usize + h.heads as usize;
        &self.readings[start..start + h.tails as usize]
    }
}

/// Tokens a thread keeps readings for before it starts afresh. Only tokens
/// that pass the prefilter (about one in five) are kept, so 65,536 hold the
/// common ones of a large archive in about 3 MB; a larger cache bought little
/// speed for its memory (bench/RESULTS.md).
const CACHE_CAPACITY: usize = 1 << 16;

/// Per-thread cache of the readings of folded tokens already seen, for one
/// matcher at a time. In running text most tokens are frequent words with no
/// reading at all; each then costs one hash lookup.
#[derive(Default)]
struct ReadingCache {
    /// The [`Matcher::id`] the entries belong to.
    owner: u64,
    /// Token → (start in `readings`, head count, tail count), for tokens of
    /// up to [`SmallKey::MAX`] bytes (nearly all), kept inline: no allocation
    /// and no `memcmp` per lookup.
    entries: FxHashMap<SmallKey, (u32, u16, u16)>,
    /// The same for longer tokens.
    long_entries: FxHashMap<Box<str>, (u32, u16, u16)>,
    /// Head readings, then tail readings, token after token (as in [`Hits`]).
    readings: Vec<Reading<u32>>,
    scratch: String,
    heads: Vec<Reading<NodeId>>,
    tails: Vec<Reading<StemId>>,
    /// The matches described so far for this matcher (emptied when the
    /// thread turns to another, or when full; not with the readings).
    descriptions: Descriptions,
    /// Room for the hits of the next text ([`Matcher::find_counting_words`]).
    hits: Hits,
}

impl ReadingCache {
    fn prepare(&mut self, owner: u64) {
        if self.owner != owner {
            self.clear();
            // Descriptions name the forms of the matcher that made them.
            self.descriptions.made.clear();
            self.owner = owner;
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.long_entries.clear();
        self.readings.clear();
    }

    /// The head and tail readings of a folded token.
    #[inline]
    fn readings(&mut self, matcher: &Matcher, word: &str, script: Script) -> (&[Reading<NodeId>], &[Reading<StemId>]) {
        let key = SmallKey::new(word);
        let found = match &key {
            Some(key) => self.entries.get(key),
            None => self.long_entries.get(word),
        };
        let (start, heads, tails) = match found {
            Some(&entry) => entry,
            None => {
                if self.entries.len() + self.long_entries.len() >= CACHE_CAPACITY {
                    self.clear();
                }
                matcher.compute_readings(word, script, &mut self.scratch, &mut self.heads, &mut self.tails);
                let entry = (self.readings.len() as u32, self.heads.len() as u16, self.tails.len() as u16);
                self.readings.extend_from_slice(&self.heads);
                self.readings.extend_from_slice(&self.tails);
                match key {
                    Some(key) => self.entries.insert(key, entry),
                    None => self.long_entries.insert(word.into(), entry),
                };
                entry
            }
        };
        let start = start as usize;
        let middle = start + heads as usize;
        (&self.readings[start..middle], &self.readings[middle..middle + tails as usize])
    }
}

/// A token of up to [`SmallKey::MAX`] bytes as three words: its bytes, zero
/// padded, with the length in the last byte (so that no two tokens share a key).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SmallKey([u64; 3]);

impl SmallKey {
    const MAX: usize = 23;

    #[inline]
    fn new(word: &str) -> Option<SmallKey> {
        let bytes = word.as_bytes();
        if bytes.len() > Self::MAX {
            return None;
        }
        let mut key = [0u8; 24];
        key[..bytes.len()].copy_from_slice(bytes);
        key[23] = bytes.len() as u8;
        let word =
            |i: usize| u64::from_le_bytes([key[i], key[i + 1], key[i + 2], key[i + 3], key[i + 4], key[i + 5], key[i + 6], key[i + 7]]);
        Some(SmallKey([word(0), word(8), word(16)]))
    }
}

thread_local! {
    static CACHE: std::cell::RefCell<ReadingCache> = std::cell::RefCell::new(ReadingCache::default());
}

/// Gives every matcher its own id, so that a thread's cache never serves one
/// matcher the readings of another.
static NEXT_MATCHER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A non-Arabic token is read whole.
fn tail_readings_whole(word: &str, lookup: &mut impl FnMut(&str) -> Option<StemId>, out: &mut Vec<Reading<StemId>>) {
    out.clear();
    if let Some(stem) = lookup(word) {
        out.push(Reading {
            stem,
            prefix_len: 0,
            subject_len: 0,
            definite: false,
            skip_first: false,
            base_end: word.len() as u16,
            taa: false,
            suffix_start: word.len() as u16,
            class: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The head the tokenizer packs for the one token of `text`.
    fn head_of(text: &str) -> (u64, u32) {
        let mut head = None;
        let mut tokenizer = Tokenizer::new(|token: &ScannedToken<'_>| head = Some((token.head, token.head_len)));
        tokenizer.scan(text);
        tokenizer.finish();
        head.unwrap()
    }

    #[test]
    fn the_prefilter_lets_through_every_written_form_of_a_long_stem() {
        // Folded stems, as the matcher gives them: «دولة» (four letters in ة)
        // and «مجلس».
        let filter = ReadingPrefilter::new(["دوله", "مجلس"].into_iter());
        // ة as written, as ت before a suffix, dropped before ات; proclitics;
        // the long stem's quadruple found after up to four proclitic letters.
        for token in ["دولة", "دولتها", "الدولتين", "دولات", "للدولة", "وبالدولتين", "مجلسهم", "والمجلس", "وبالمجلس"]
        {
            let (head, len) = head_of(token);
            assert!(filter.may_read(head, len), "{token} turned away");
        }
        // The triple of «دولة» with another fourth letter, and no triple at all.
        for token in ["دولي", "الدولية", "مجالس", "كتاب"] {
            let (head, len) = head_of(token);
            assert!(!filter.may_read(head, len), "{token} let through");
        }
    }

    #[test]
    fn definiteness_is_compared_past_the_tokens_a_terminal_holds() {
        // A construct form longer than `DEFINITE_BITS` tokens: an indefinite
        // head, then definite tokens; the text must agree token by token, on
        // either side of the 64th.
        let length = DEFINITE_BITS + 6;
        let form = |indefinite_at: Option<usize>| -> String {
            (0..length)
                .map(|k| if k == 0 || Some(k) == indefinite_at { "دولية" } else { "الدولية" })
                .map(|word| format!("{word} "))
                .collect::<String>()
                .trim_end()
                .to_string()
        };
        let csv = format!("id,en,ar\nlong,Long,{}\n", form(None));
        let mut glossary = crate::glossary::csv::parse(csv.as_bytes(), "long.csv").unwrap();
        glossary.validate().unwrap();
        let matcher = Matcher::new(&glossary);
        let exact = matcher.find(&form(None));
        assert_eq!(exact.len(), 1, "{exact:?}");
        assert_eq!(exact[0].span, 0..form(None).len());
        for k in [1, DEFINITE_BITS - 1, DEFINITE_BITS, length - 1] {
            let text = form(Some(k));
            assert!(matcher.find(&text).iter().all(|m| m.span.len() < text.len()), "token {k} written indefinite");
            assert_eq!(matcher.find(&text), matcher.find_reference(&text));
        }
    }

    #[test]
    fn a_match_described_from_memory_is_the_match_described_afresh() {
        let glossary = Glossary::embedded().unwrap();
        let matcher = Matcher::new(&glossary);
        // One phrase written the same way again and again at other offsets,
        // and written otherwise (clitics, the article, a folded letter)
        // between; then a second text, as the next file of a run would be.
        let sentence = "عقدت اللجنة العسكرية العليا اجتماعها، وقالت اللجنة العسكرية العليا إن للجنة العسكرية العليا \
                        دورا واللجنه العسكريه العليا تتابع لجنة عسكرية عليا.\n";
        let first = sentence.repeat(4);
        let second = format!("قال إن {}", sentence.repeat(2));
        for text in [first.as_str(), second.as_str(), first.as_str()] {
            let found = matcher.find(text);
            assert!(found.len() >= 10, "{found:?}");
            assert_eq!(found, matcher.find_reference(text), "{text}");
        }
    }

    #[test]
    fn a_glossary_changed_after_validation_is_matched_as_it_now_is() {
        // Validation keeps each form's analysis for the matcher; a term
        // changed since (same length or not), added or taken away is
        // analysed afresh, never matched as it was.
        let csv = "id,en,ar,ar_admitted\nhmc,Higher Military Commission,اللجنة العسكرية العليا,\njscd,Joint Security Cooperation Dialogue,حوار التعاون الأمني المشترك,الحوار الأمني\n";
        let mut glossary = crate::glossary::csv::parse(csv.as_bytes(), "changed.csv").unwrap();
        glossary.validate().unwrap();
        let text = "اجتمعت اللجنة العسكرية العليا، ثم انعقد الحوار الأمني، وبحثت الهيئة العسكرية العليا الأمر.";
        let found =
            |glossary: &Glossary| -> Vec<&str> { Matcher::new(glossary).find(text).iter().map(|m| &text[m.span.clone()]).collect() };
        assert_eq!(found(&glossary), ["اللجنة العسكرية العليا", "الحوار الأمني"]);
        let mut changed = glossary.clone();
        // «اللجنة» and «الهيئة» have as many bytes.
        changed.concepts[0].terms[0].text = "الهيئة العسكرية العليا".into();
        assert_eq!(changed.concepts[0].terms[0].text.len(), glossary.concepts[0].terms[0].text.len());
        assert_eq!(found(&changed), ["الحوار الأمني", "الهيئة العسكرية العليا"]);
        let mut fewer = glossary.clone();
        fewer.concepts[1].terms.remove(1);
        assert_eq!(found(&fewer), ["اللجنة العسكرية العليا"]);
        let mut more = glossary.clone();
        let added =
            crate::glossary::Term { text: "الهيئة العسكرية العليا".into(), ..more.concepts[0].terms[0].clone() };
        more.concepts[0].terms.insert(0, added);
        assert_eq!(found(&more), ["اللجنة العسكرية العليا", "الحوار الأمني", "الهيئة العسكرية العليا"]);
        let mut reordered = glossary.clone();
        reordered.concepts.swap(0, 1);
        let matcher = Matcher::new(&reordered);
        let concepts: Vec<&str> = matcher.find(text).iter().map(|m| reordered.concepts[m.concept].id.as_str()).collect();
        assert_eq!(concepts, ["hmc", "jscd"]);
    }
}
