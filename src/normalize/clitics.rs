//! Clitic readings of a folded Arabic token (specification §4 and the head-noun
//! suffixes of §6), guided by the glossary: a reading counts only if its stem is
//! a registered form, which the caller checks through a lookup function.
//!
//! This module owns the proclitic table, the spelling rules (لل for ل + ال, the
//! dropped lam of ل + ال + لـ), the protected words and the head-noun suffixes.
//! It never strips the future marker or verbal prefixes, never a lone ي, and
//! never a token that is itself a known form.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// One way to read a token as proclitics + stem (+ suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<Id> {
    /// The stem the lookup found.
    pub stem: Id,
    /// Bytes of proclitics at the start of the token, as written.
    pub prefix_len: usize,
    /// Whether the reading is definite (article, or a pronoun suffix).
    pub definite: bool,
    /// The stem starts with a lam that the spelling dropped (ل + ال + لجنة → للجنة).
    pub virtual_lam: bool,
    /// End of the stem's written letters in the token, before any suffix.
    pub base_end: usize,
    /// The stem's final ة is written ت, or dropped, before the suffix.
    pub taa: bool,
    /// Start of the suffix in the token (the token's length when none).
    pub suffix_start: usize,
}

impl<Id> Reading<Id> {
    /// The reading without what the lookup found (what a matched phrase keeps).
    pub fn without_stem(&self) -> Reading<()> {
        let Reading { prefix_len, definite, virtual_lam, base_end, taa, suffix_start, .. } = *self;
        Reading { stem: (), prefix_len, definite, virtual_lam, base_end, taa, suffix_start }
    }

    /// Letters of the token that the reading strips (proclitics and suffix).
    pub fn stripped(&self, token: &str) -> usize {
        token[..self.prefix_len].chars().count() + token[self.suffix_start..].chars().count()
    }
}

/// Written proclitic sequences, fewest letters first, with their definiteness.
const PROCLITICS: &[(&str, bool)] = &[
    ("", false),
    ("و", false),
    ("ف", false),
    ("ب", false),
    ("ك", false),
    ("ل", false),
    ("ال", true),
    ("لل", true),
    ("وب", false),
    ("وك", false),
    ("ول", false),
    ("فب", false),
    ("فك", false),
    ("فل", false),
    ("وال", true),
    ("فال", true),
    ("بال", true),
    ("كال", true),
    ("ولل", true),
    ("فلل", true),
    ("وبال", true),
    ("وكال", true),
    ("فبال", true),
    ("فكال", true),
];

/// [`PROCLITICS`] by first letter, each with the empty one first and in the
/// same order (fewest letters first).
const WAW: &[(&str, bool)] =
    &[("", false), ("و", false), ("وب", false), ("وك", false), ("ول", false), ("وال", true), ("ولل", true), ("وبال", true), ("وكال", true)];
const FA: &[(&str, bool)] =
    &[("", false), ("ف", false), ("فب", false), ("فك", false), ("فل", false), ("فال", true), ("فلل", true), ("فبال", true), ("فكال", true)];
const BA: &[(&str, bool)] = &[("", false), ("ب", false), ("بال", true)];
const KAF: &[(&str, bool)] = &[("", false), ("ك", false), ("كال", true)];
const LAM: &[(&str, bool)] = &[("", false), ("ل", false), ("لل", true)];
const ALEF: &[(&str, bool)] = &[("", false), ("ال", true)];

/// Pronoun enclitics that may follow a final ة written ت.
const PRONOUNS: &[&str] = &["هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه", "ك", "ي"];
/// Dual endings of a word in ة: nominative, oblique, and their construct forms.
const DUALS: &[&str] = &["تان", "تين", "تا", "تي"];

/// Common words whose first letters look like clitics; never stripped.
const PROTECTED: &[&str] = &[
    "الله",
    "لله",
    "والله",
    "بالله",
    "واشنطن",
    "فرنسا",
    "بغداد",
    "بيروت",
    "كركوك",
    "كربلاء",
    "لبنان",
    "ليبيا",
    "لندن",
    "لاهاي",
    "وزير",
    "وزاره",
    "وكاله",
    "ولايه",
    "وفد",
    "وفود",
    "لواء",
    "لجنه",
    "لجان",
    "بريطانيا",
    "بلجيكا",
    "فلسطين",
    "فنلندا",
    "كندا",
    "كوريا",
    "كوبا",
    "كينيا",
    "بنغلاديش",
    "البانيا",
    "الجزائر",
    "لاتفيا",
    "ليتوانيا",
    "باكستان",
    "بولندا",
    "بلغاريا",
    "واقع",
    "وقت",
    "ولد",
    "فريق",
    "فرع",
    "كلمه",
    "كتاب",
    "بيان",
    "بلد",
    "بلاد",
];

fn protected() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| PROTECTED.iter().copied().collect())
}

/// Whether a folded token is on the protected list.
pub fn is_protected(token: &str) -> bool {
    protected().contains(token)
}

const MIN_STEM_CHARS: usize = 2;

/// `s` without the suffix `suffix`, compared inline: these affixes are a few
/// bytes, and a call to `memcmp` for each would cost more than the comparison.
#[inline]
fn strip_suffix<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let (bytes, tail) = (s.as_bytes(), suffix.as_bytes());
    let cut = bytes.len().checked_sub(tail.len())?;
    if bytes[cut..].iter().zip(tail).all(|(a, b)| a == b) {
        s.get(..cut)
    } else {
        None
    }
}

/// `s` without the prefix `prefix`, compared inline (see [`strip_suffix`]).
#[inline]
fn strip_prefix<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let (bytes, head) = (s.as_bytes(), prefix.as_bytes());
    if bytes.len() >= head.len() && bytes.iter().zip(head).all(|(a, b)| a == b) {
        s.get(head.len()..)
    } else {
        None
    }
}

fn has_min_chars(s: &str) -> bool {
    s.chars().nth(MIN_STEM_CHARS - 1).is_some()
}

/// Readings of the first token of a phrase: proclitics, article, stem and an
/// optional head-noun suffix. `lookup` maps a candidate stem to its id.
pub fn head_readings<Id: Copy>(token: &str, scratch: &mut String, lookup: &mut impl FnMut(&str) -> Option<Id>, out: &mut Vec<Reading<Id>>) {
    out.clear();
    let whole = Reading {
        stem: (),
        prefix_len: 0,
        definite: false,
        virtual_lam: false,
        base_end: token.len(),
        taa: false,
        suffix_start: token.len(),
    };
    if let Some(stem) = lookup(token) {
        out.push(with_stem(whole, stem));
        return;
    }
    if is_protected(token) {
        return;
    }
    // Only the proclitic sequences that start with the token's first letter
    // can strip; most tokens try two or three, not all of them.
    let proclitics = match token.chars().next() {
        Some('و') => WAW,
        Some('ف') => FA,
        Some('ب') => BA,
        Some('ك') => KAF,
        Some('ل') => LAM,
        Some('ا') => ALEF,
        _ => &PROCLITICS[..1],
    };
    for &(written, definite) in proclitics {
        let Some(rest) = strip_prefix(token, written) else { continue };
        if !has_min_chars(rest) {
            continue;
        }
        let base = Reading { prefix_len: written.len(), definite, base_end: token.len(), ..whole };
        if !written.is_empty() {
            if let Some(stem) = lookup(rest) {
                out.push(with_stem(base, stem));
            }
        }
        if written.ends_with("لل") {
            scratch.clear();
            scratch.push('ل');
            scratch.push_str(rest);
            if let Some(stem) = lookup(scratch) {
                out.push(with_stem(Reading { virtual_lam: true, ..base }, stem));
            }
        }
        suffix_readings(token, base, scratch, lookup, out);
    }
}

/// Readings with a head-noun suffix on the part after the proclitics.
fn suffix_readings<Id: Copy>(
    token: &str,
    base: Reading<()>,
    scratch: &mut String,
    lookup: &mut impl FnMut(&str) -> Option<Id>,
    out: &mut Vec<Reading<Id>>,
) {
    let start = base.prefix_len;
    let rest = &token[start..];
    // Every suffix ends in one of these letters; most words end otherwise.
    if !rest.ends_with(['ا', 'ه', 'م', 'ن', 'ي', 'ك', 'ت']) {
        return;
    }
    let article = base.definite;
    let mut try_key = |base_end: usize, taa: bool, suffix_start: usize, definite: bool, out: &mut Vec<Reading<Id>>| {
        let written = &token[start..base_end];
        scratch.clear();
        scratch.push_str(written);
        if taa {
            scratch.push('ه');
        }
        if !has_min_chars(scratch) || (taa && !has_min_chars(written)) {
            return;
        }
        if let Some(stem) = lookup(scratch) {
            out.push(with_stem(Reading { definite, base_end, taa, suffix_start, ..base }, stem));
        }
    };
    // A pronoun after ت: the noun is definite by the pronoun, so no article.
    if !article {
        for pronoun in PRONOUNS {
            if let Some(before) = strip_suffix(rest, pronoun) {
                if let Some(word) = before.strip_suffix('ت') {
                    let base_end = start + word.len();
                    try_key(base_end, true, base_end + 'ت'.len_utf8(), true, out);
                }
                // A pronoun of two letters or more on any noun («لرفعها»,
                // «حسابكم»); never a lone ه, ك or ي, which end words of their own.
                if pronoun.chars().count() >= 2 {
                    let base_end = start + before.len();
                    try_key(base_end, false, base_end, true, out);
                }
            }
        }
        // The indefinite accusative: tanween fath written with an alef
        // («إشعارًا», often without the mark), on stems of three letters or more.
        if let Some(word) = rest.strip_suffix('ا') {
            if word.chars().nth(2).is_some() {
                let base_end = start + word.len();
                try_key(base_end, false, base_end, false, out);
            }
        }
    }
    for dual in DUALS {
        if let Some(word) = strip_suffix(rest, dual) {
            let base_end = start + word.len();
            try_key(base_end, true, base_end + 'ت'.len_utf8(), article, out);
        }
    }
    if let Some(word) = strip_suffix(rest, "ات") {
        let base_end = start + word.len();
        try_key(base_end, true, base_end, article, out);
        try_key(base_end, false, base_end, article, out);
    }
}

/// Readings of a later token of a phrase: whole, or article + stem.
pub fn tail_readings<Id: Copy>(token: &str, lookup: &mut impl FnMut(&str) -> Option<Id>, out: &mut Vec<Reading<Id>>) {
    out.clear();
    let whole = Reading {
        stem: (),
        prefix_len: 0,
        definite: false,
        virtual_lam: false,
        base_end: token.len(),
        taa: false,
        suffix_start: token.len(),
    };
    if let Some(stem) = lookup(token) {
        out.push(with_stem(whole, stem));
        return;
    }
    if let Some(rest) = strip_prefix(token, "ال") {
        if has_min_chars(rest) {
            if let Some(stem) = lookup(rest) {
                out.push(with_stem(Reading { prefix_len: "ال".len(), definite: true, ..whole }, stem));
            }
        }
    }
}

fn with_stem<Id>(r: Reading<()>, stem: Id) -> Reading<Id> {
    Reading {
        stem,
        prefix_len: r.prefix_len,
        definite: r.definite,
        virtual_lam: r.virtual_lam,
        base_end: r.base_end,
        taa: r.taa,
        suffix_start: r.suffix_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(token: &str, known: &[&str]) -> Vec<(String, usize, bool, String)> {
        let mut scratch = String::new();
        let mut out = Vec::new();
        let mut lookup = |s: &str| known.iter().position(|k| *k == s);
        head_readings(token, &mut scratch, &mut lookup, &mut out);
        out.iter().map(|r| (known[r.stem].to_string(), r.prefix_len, r.definite, token[r.suffix_start..].to_string())).collect()
    }

    #[test]
    fn lam_plus_article_before_lam_drops_a_lam() {
        let r = readings("للجنه", &["لجنه"]);
        assert!(r.contains(&("لجنه".into(), "لل".len(), true, String::new())), "{r:?}");
        assert!(r.contains(&("لجنه".into(), "ل".len(), false, String::new())), "{r:?}");
        assert!(readings("للجنه", &["جنه"]).iter().all(|r| r.0 != "جنه" || r.2), "ل + جنة read as indefinite");
    }

    #[test]
    fn lam_before_alef() {
        assert_eq!(readings("لاتفاقيه", &["اتفاقيه"]), vec![("اتفاقيه".into(), 2, false, String::new())]);
        assert_eq!(readings("وبالاتفاقيه", &["اتفاقيه"]), vec![("اتفاقيه".into(), "وبال".len(), true, String::new())]);
    }

    #[test]
    fn known_and_protected_tokens_are_never_stripped() {
        assert_eq!(readings("وكاله", &["وكاله", "كاله"]), vec![("وكاله".into(), 0, false, String::new())]);
        assert!(readings("لبنان", &["بنان"]).is_empty());
        assert!(readings("بغداد", &["غداد"]).is_empty());
        assert!(readings("الله", &["له"]).is_empty());
    }

    #[test]
    fn the_first_letter_tables_hold_every_proclitic_in_order() {
        let mut all: Vec<(&str, bool)> = [WAW, FA, BA, KAF, LAM, ALEF].iter().flat_map(|t| t[1..].iter().copied()).collect();
        all.insert(0, ("", false));
        let mut expected = PROCLITICS.to_vec();
        all.sort();
        expected.sort();
        assert_eq!(all, expected);
        for table in [WAW, FA, BA, KAF, LAM, ALEF] {
            let order: Vec<usize> = table.iter().map(|(w, _)| PROCLITICS.iter().position(|(p, _)| p == w).unwrap()).collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{table:?}");
        }
    }

    #[test]
    fn stems_keep_two_letters() {
        assert!(readings("ول", &["ل"]).is_empty());
    }

    #[test]
    fn head_noun_suffixes() {
        assert!(readings("لجنتها", &["لجنه"]).contains(&("لجنه".into(), 0, true, "ها".into())));
        assert!(readings("اللجنتين", &["لجنه"]).contains(&("لجنه".into(), 4, true, "ين".into())));
        assert!(readings("اتفاقيات", &["اتفاقيه"]).contains(&("اتفاقيه".into(), 0, false, "ات".into())));
        assert!(readings("اجتماعات", &["اجتماع"]).contains(&("اجتماع".into(), 0, false, "ات".into())));
        // A lone ي is never a suffix.
        assert!(readings("عسكري", &["عسكر"]).is_empty());
    }
}
