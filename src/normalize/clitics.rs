//! Readings of a folded Arabic token, guided by the glossary: a token is read
//! as proclitics + a stem + suffixes only when the stem is a registered stem
//! of a glossary form, which the caller checks through a lookup function
//! (specification §4 and §6, and the inflection model of docs/matching.md).
//!
//! This module owns the affix inventories and their spelling rules: the
//! proclitics (و ف, ب ك ل, the article, «لل» for ل + ال and the dropped lam of
//! «للجنة»); the nominal suffixes (pronouns, with ة written ت; the dual; the
//! sound plurals, with their ن dropped before a pronoun; the accusative alef;
//! the feminine ة of an adjective); and the verbal affixes (subject prefixes
//! ي ت ن أ with س or ل before them, subject suffixes, object pronouns). Each
//! reading says which classes of affix it used ([`class`]), so that the
//! matcher can accept it only for a form that takes them (a verb takes no
//! article, a noun no subject prefix). A token that is itself a registered
//! stem is read whole first (and also otherwise); a protected word only whole.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// The classes of affix a reading used, as bits of [`Reading::class`].
pub mod class {
    /// The article «ال» among the proclitics (nominal only).
    pub const ARTICLE: u8 = 1;
    /// The preposition ب or ك among the proclitics (nominal only).
    pub const PREPOSITION: u8 = 1 << 1;
    /// A pronoun suffix: possessive on a noun, object on a verb.
    pub const PRONOUN: u8 = 1 << 2;
    /// A dual or plural suffix (ان ين ون ات, and their construct forms).
    pub const NUMBER: u8 = 1 << 3;
    /// The feminine ة of an adjective (and its dual and plural).
    pub const FEMININE: u8 = 1 << 4;
    /// The alef of the indefinite accusative («منشورًا»).
    pub const ACCUSATIVE: u8 = 1 << 5;
    /// A verbal affix: a subject prefix or suffix, or the future س.
    pub const VERBAL: u8 = 1 << 6;
    /// The suffix is the pronoun ه alone: a reading the matcher refuses
    /// where the text wrote ة (which folds to ه).
    pub const LONE_HEH: u8 = 1 << 7;
    /// The classes only a noun or an adjective takes.
    pub const NOMINAL: u8 = ARTICLE | PREPOSITION | NUMBER | ACCUSATIVE;
}

/// What the glossary registers a stem for, as bits: the lookups give them
/// with the stem, and only the suffixes a stem may take are tried.
pub mod stem_kind {
    /// It heads a noun or adjective form: nominal suffixes.
    pub const NOMINAL: u8 = 1;
    /// It heads an adjective form: the feminine ة as well.
    pub const ADJECTIVE: u8 = 1 << 1;
    /// It heads a verb form: verbal affixes.
    pub const VERB: u8 = 1 << 2;
}

/// One way to read a token as proclitics + stem (+ suffixes). Offsets are
/// small (a token with readings is a registered stem and a few affixes; the
/// matcher reads no token of [`MAX_READ_TOKEN`] bytes or more), so that the
/// readings copied for every hit of a text take 16 bytes each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<Id> {
    /// The stem the lookup found.
    pub stem: Id,
    /// Bytes of proclitics at the start of the token, as written, and for a
    /// verb the subject prefix after them.
    pub prefix_len: u8,
    /// Bytes at the end of `prefix_len` that are a verb's subject prefix
    /// (ي ت ن أ), not a proclitic.
    pub subject_len: u8,
    /// Whether the reading is definite (article, or a possessive pronoun).
    pub definite: bool,
    /// The stem's first letter is not written: a lam the spelling dropped
    /// (ل + ال + لجنة → للجنة), or the ي of an imperfect form read with
    /// another subject prefix (the form «يحذف», the text «تحذف»).
    pub skip_first: bool,
    /// End of the stem's written letters in the token, before any suffix.
    pub base_end: u16,
    /// The stem's final ة is written ت, or dropped, before the suffix.
    pub taa: bool,
    /// Start of the suffix in the token (the token's length when none).
    pub suffix_start: u16,
    /// The affixes used ([`class`] bits).
    pub class: u8,
}

/// The longest token the matcher reads (see [`Reading`]).
pub const MAX_READ_TOKEN: usize = u16::MAX as usize;

impl Reading<()> {
    /// The whole token as the stem (of fewer than [`MAX_READ_TOKEN`] bytes).
    pub fn whole(len: usize) -> Reading<()> {
        Reading {
            stem: (),
            prefix_len: 0,
            subject_len: 0,
            definite: false,
            skip_first: false,
            base_end: len as u16,
            taa: false,
            suffix_start: len as u16,
            class: 0,
        }
    }
}

impl<Id> Reading<Id> {
    /// The reading without what the lookup found (what a matched phrase keeps).
    pub fn without_stem(&self) -> Reading<()> {
        let Reading { prefix_len, subject_len, definite, skip_first, base_end, taa, suffix_start, class, .. } = *self;
        Reading { stem: (), prefix_len, subject_len, definite, skip_first, base_end, taa, suffix_start, class }
    }

    /// Letters of the token that the reading strips (proclitics and suffix).
    pub fn stripped(&self, token: &str) -> usize {
        token[..usize::from(self.prefix_len)].chars().count() + token[usize::from(self.suffix_start)..].chars().count()
    }

    /// Whether the reading strips anything after the stem, or a verb's
    /// subject prefix: an inflected occurrence.
    pub fn inflected(&self, token_len: usize) -> bool {
        usize::from(self.suffix_start) < token_len || self.subject_len > 0 || self.class & class::FEMININE != 0
    }
}

/// Written proclitic sequences, fewest letters first, with their
/// definiteness and classes.
type Proclitic = (&'static str, bool, u8);

const ART: u8 = class::ARTICLE;
const PREP: u8 = class::PREPOSITION;

/// Every proclitic sequence of a noun.
const PROCLITICS: &[Proclitic] = &[
    ("", false, 0),
    ("و", false, 0),
    ("ف", false, 0),
    ("ب", false, PREP),
    ("ك", false, PREP),
    ("ل", false, 0),
    ("ال", true, ART),
    ("لل", true, ART),
    ("وب", false, PREP),
    ("وك", false, PREP),
    ("ول", false, 0),
    ("فب", false, PREP),
    ("فك", false, PREP),
    ("فل", false, 0),
    ("وال", true, ART),
    ("فال", true, ART),
    ("بال", true, ART | PREP),
    ("كال", true, ART | PREP),
    ("ولل", true, ART),
    ("فلل", true, ART),
    ("وبال", true, ART | PREP),
    ("وكال", true, ART | PREP),
    ("فبال", true, ART | PREP),
    ("فكال", true, ART | PREP),
];

/// [`PROCLITICS`] by first letter, each with the empty one first and in the
/// same order (fewest letters first).
const WAW: &[Proclitic] = &[
    ("", false, 0),
    ("و", false, 0),
    ("وب", false, PREP),
    ("وك", false, PREP),
    ("ول", false, 0),
    ("وال", true, ART),
    ("ولل", true, ART),
    ("وبال", true, ART | PREP),
    ("وكال", true, ART | PREP),
];
const FA: &[Proclitic] = &[
    ("", false, 0),
    ("ف", false, 0),
    ("فب", false, PREP),
    ("فك", false, PREP),
    ("فل", false, 0),
    ("فال", true, ART),
    ("فلل", true, ART),
    ("فبال", true, ART | PREP),
    ("فكال", true, ART | PREP),
];
const BA: &[Proclitic] = &[("", false, 0), ("ب", false, PREP), ("بال", true, ART | PREP)];
const KAF: &[Proclitic] = &[("", false, 0), ("ك", false, PREP), ("كال", true, ART | PREP)];
const LAM: &[Proclitic] = &[("", false, 0), ("ل", false, 0), ("لل", true, ART)];
const ALEF: &[Proclitic] = &[("", false, 0), ("ال", true, ART)];

/// Pronoun enclitics of a noun, longest first (so that «هما» is tried before «ها»).
const PRONOUNS: &[&str] = &["هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ه", "ك", "ي"];
/// Object pronouns of a verb (ني for the first person singular).
const OBJECTS: &[&str] = &["هما", "كما", "ها", "هم", "هن", "كم", "كن", "نا", "ني", "ه", "ك"];
/// Dual endings of a word in ة: nominative, oblique, and their construct forms.
const DUALS_OF_TAA: &[&str] = &["تان", "تين", "تا", "تي"];
/// Dual and sound masculine plural endings of any other noun, with the ن
/// (before a pronoun they drop it: see [`CONSTRUCT_ENDINGS`]).
const NUMBER_ENDINGS: &[&str] = &["ان", "ين", "ون"];
/// The dual and sound masculine plural before a pronoun (or in construct):
/// ـا / ـي, ـو / ـي.
const CONSTRUCT_ENDINGS: &[&str] = &["ا", "ي", "و"];

/// A verb's subject suffixes after the perfect or imperative stem (the
/// empty one first), and the forms some take before an object pronoun.
const PERFECT_SUBJECTS: &[&str] = &["", "تما", "تم", "تن", "ت", "نا", "وا", "ا", "ن", "ي"];
const PERFECT_SUBJECTS_BEFORE_OBJECT: &[&str] = &["", "تمو", "تما", "تن", "ت", "نا", "و", "ا", "ن", "ي"];
/// A verb's subject suffixes after the imperfect stem.
const IMPERFECT_SUBJECTS: &[&str] = &["", "ون", "ين", "ان", "وا", "ا", "ن", "ي"];
const IMPERFECT_SUBJECTS_BEFORE_OBJECT: &[&str] = &["", "ون", "ين", "ان", "و", "ا", "ن", "ي"];
/// What may stand before a verb: the conjunctions, then ل or the future س
/// (before an imperfect only).
const VERB_CONJUNCTIONS: &[&str] = &["", "و", "ف"];
const VERB_MOODS: &[&str] = &["", "ل", "س"];
/// The imperfect's subject prefixes (أ folds to ا).
const SUBJECT_PREFIXES: &[char] = &['ي', 'ت', 'ن', 'ا'];

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

/// Whether `s` has at least `n` characters.
fn has_chars(s: &str, n: usize) -> bool {
    n == 0 || s.chars().nth(n - 1).is_some()
}

fn has_min_chars(s: &str) -> bool {
    has_chars(s, MIN_STEM_CHARS)
}

/// Readings of the first token of a phrase: proclitics, article, stem and
/// the suffixes of a noun, an adjective or (when `verbs`, the glossary has
/// verb forms) a verb. `lookup` maps a candidate stem to its id and
/// [`stem_kind`] bits; `imperfect` maps a candidate imperfect stem (what
/// follows a subject prefix) to the id of the form's stem, and whether the
/// form's first letter goes unwritten then.
pub fn head_readings<Id: Copy>(
    token: &str,
    scratch: &mut String,
    lookup: &mut impl FnMut(&str) -> Option<(Id, u8)>,
    imperfect: &mut impl FnMut(&str) -> Option<(Id, bool)>,
    verbs: bool,
    out: &mut Vec<Reading<Id>>,
) {
    out.clear();
    let whole = Reading::whole(token.len());
    // A token that is itself a registered stem is read whole first; it may
    // also be an inflection of another («ملفات», the head of «الملفات
    // المؤقتة», is also «ملف» + ات), and a match prefers the reading that
    // strips fewest letters.
    if let Some((stem, _)) = lookup(token) {
        out.push(with_stem(whole, stem));
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
    for &(written, definite, class) in proclitics {
        let Some(rest) = strip_prefix(token, written) else { continue };
        if !has_min_chars(rest) {
            continue;
        }
        let base = Reading { prefix_len: written.len() as u8, definite, class, ..whole };
        if !written.is_empty() {
            if let Some((stem, _)) = lookup(rest) {
                out.push(with_stem(base, stem));
            }
        }
        if written.ends_with("لل") {
            scratch.clear();
            scratch.push('ل');
            scratch.push_str(rest);
            if let Some((stem, _)) = lookup(scratch) {
                out.push(with_stem(Reading { skip_first: true, ..base }, stem));
            }
        }
        nominal_suffix_readings(token, base, true, scratch, lookup, out);
    }
    if verbs {
        verbal_readings(token, lookup, imperfect, out);
    }
}

/// Readings of a later token of a phrase: whole, or article + stem, with
/// the suffixes of agreement (an adjective after a dual or plural head) or
/// the pronoun that ends a construct («كلمة مرورك»); the matcher decides
/// which of them the phrase allows.
pub fn tail_readings<Id: Copy>(
    token: &str,
    scratch: &mut String,
    lookup: &mut impl FnMut(&str) -> Option<(Id, u8)>,
    out: &mut Vec<Reading<Id>>,
) {
    out.clear();
    let whole = Reading::whole(token.len());
    if let Some((stem, _)) = lookup(token) {
        out.push(with_stem(whole, stem));
    }
    nominal_suffix_readings(token, whole, false, scratch, lookup, out);
    if let Some(rest) = strip_prefix(token, "ال") {
        if has_min_chars(rest) {
            let base = Reading { prefix_len: "ال".len() as u8, definite: true, class: class::ARTICLE, ..whole };
            if let Some((stem, _)) = lookup(rest) {
                out.push(with_stem(base, stem));
            }
            nominal_suffix_readings(token, base, false, scratch, lookup, out);
        }
    }
}

/// Readings with a nominal suffix on the part of `token` after `base`'s
/// proclitics. `head`: the first token of a phrase, whose stem must be
/// registered for the suffix ([`stem_kind`]); a later token takes any
/// registered stem and leaves the choice to the matcher.
fn nominal_suffix_readings<Id: Copy>(
    token: &str,
    base: Reading<()>,
    head: bool,
    scratch: &mut String,
    lookup: &mut impl FnMut(&str) -> Option<(Id, u8)>,
    out: &mut Vec<Reading<Id>>,
) {
    let start = usize::from(base.prefix_len);
    let rest = &token[start..];
    // Every suffix ends in one of these letters; most words end otherwise.
    if !rest.ends_with(['ا', 'ه', 'م', 'ن', 'ي', 'ك', 'ت', 'و']) {
        return;
    }
    let article = base.definite;
    // A candidate: the stem written up to `base_end` (with ه added when its
    // ة is written ت or dropped), the suffix from `suffix_start`; `min` is
    // the fewest letters the written stem must keep; `needs` the
    // [`stem_kind`] a head's stem must have.
    let mut try_key = |base_end: usize, taa: bool, suffix_start: usize, definite: bool, class: u8, min: usize, needs: u8| {
        let written = &token[start..base_end];
        if !has_chars(written, min.max(if taa { MIN_STEM_CHARS } else { 0 })) {
            return;
        }
        scratch.clear();
        scratch.push_str(written);
        if taa {
            scratch.push('ه');
        }
        if !has_min_chars(scratch) {
            return;
        }
        if let Some((stem, kind)) = lookup(scratch) {
            if !head || kind & needs != 0 {
                let (base_end, suffix_start) = (base_end as u16, suffix_start as u16);
                out.push(with_stem(Reading { definite, base_end, taa, suffix_start, class: base.class | class, ..base }, stem));
            }
        }
    };
    let nominal = stem_kind::NOMINAL;
    let adjective = stem_kind::ADJECTIVE;
    // A pronoun: the noun is definite by it, so no article.
    if !article {
        for pronoun in PRONOUNS {
            let Some(before) = strip_suffix(rest, pronoun) else { continue };
            let lone = pronoun.chars().nth(1).is_none();
            let class = class::PRONOUN | if *pronoun == "ه" { class::LONE_HEH } else { 0 };
            let at = |s: &str| start + s.len();
            // After a ة written ت («لجنتها»).
            if let Some(word) = before.strip_suffix('ت') {
                try_key(at(word), true, at(word) + 'ت'.len_utf8(), true, class, 0, nominal);
            }
            // On any noun («حسابكم», «حسابك»): a lone ه, ك or ي only after a
            // stem of three letters or more (they end short words of their own).
            try_key(at(before), false, at(before), true, class, if lone { 3 } else { 0 }, nominal);
            // After the plural ات («مشاركاتك», «إشعاراتكم»).
            if let Some(word) = strip_suffix(before, "ات") {
                try_key(at(word), true, at(word), true, class | class::NUMBER, 0, nominal);
                try_key(at(word), false, at(word), true, class | class::NUMBER, 0, nominal);
            }
            // After the dual of a word in ة, its ن dropped («لجنتاه»).
            for ending in ["تا", "تي"] {
                if let Some(word) = strip_suffix(before, ending) {
                    try_key(at(word), true, at(word) + 'ت'.len_utf8(), true, class | class::NUMBER, 0, nominal);
                }
            }
            // After the dual or the sound masculine plural, its ن dropped
            // («ملفاك», «متابعوك», «متابعيك»).
            for ending in CONSTRUCT_ENDINGS {
                if let Some(word) = strip_suffix(before, ending) {
                    try_key(at(word), false, at(word), true, class | class::NUMBER, 3, nominal);
                }
            }
        }
        // The indefinite accusative: tanween fath written with an alef
        // («منشورًا», often without the mark), on stems of three letters or more.
        if let Some(word) = rest.strip_suffix('ا') {
            try_key(start + word.len(), false, start + word.len(), false, class::ACCUSATIVE, 3, nominal);
        }
    }
    let at = |s: &str| start + s.len();
    // The dual of a word in ة, and its construct form («اللجنتين», «لجنتا»).
    for dual in DUALS_OF_TAA {
        if let Some(word) = strip_suffix(rest, dual) {
            try_key(at(word), true, at(word) + 'ت'.len_utf8(), article, class::NUMBER, 0, nominal);
            // The feminine dual of an adjective («المحظورتين»).
            try_key(at(word), false, at(word), article, class::NUMBER | class::FEMININE, 3, adjective);
        }
    }
    // The dual and the sound masculine plural («ملفان», «الحسابين», «المتابعون»).
    for ending in NUMBER_ENDINGS {
        if let Some(word) = strip_suffix(rest, ending) {
            try_key(at(word), false, at(word), article, class::NUMBER, 2, nominal);
        }
    }
    // The sound masculine plural in construct («متابعو الحساب»).
    if let Some(word) = rest.strip_suffix('و') {
        try_key(at(word), false, at(word), article, class::NUMBER, 3, nominal);
    }
    // The sound feminine plural: ة dropped before ات, or a noun without ة.
    if let Some(word) = strip_suffix(rest, "ات") {
        try_key(at(word), true, at(word), article, class::NUMBER, 0, nominal);
        try_key(at(word), false, at(word), article, class::NUMBER, 2, nominal);
    }
    // The feminine of an adjective («المحظورة», «الشخصية»): ة folds to ه.
    if let Some(word) = rest.strip_suffix('ه') {
        try_key(at(word), false, at(word), article, class::FEMININE, 2, adjective);
    }
}

/// Readings of a verb: conjunction, then ل or the future س and a subject
/// prefix before an imperfect stem; the subject suffix and an object
/// pronoun after the stem. Only stems registered as verbs are read.
fn verbal_readings<Id: Copy>(
    token: &str,
    lookup: &mut impl FnMut(&str) -> Option<(Id, u8)>,
    imperfect: &mut impl FnMut(&str) -> Option<(Id, bool)>,
    out: &mut Vec<Reading<Id>>,
) {
    for conjunction in VERB_CONJUNCTIONS {
        let Some(after_conjunction) = strip_prefix(token, conjunction) else { continue };
        // The perfect or the imperative: no subject prefix, a suffix.
        verb_suffix_readings(
            token,
            conjunction.len(),
            0,
            false,
            &mut |s| lookup(s).and_then(|(stem, kind)| (kind & stem_kind::VERB != 0).then_some((stem, false))),
            out,
        );
        for mood in VERB_MOODS {
            let Some(after_mood) = strip_prefix(after_conjunction, mood) else { continue };
            let Some(subject) = after_mood.chars().next().filter(|c| SUBJECT_PREFIXES.contains(c)) else { continue };
            let prefix_len = conjunction.len() + mood.len() + subject.len_utf8();
            verb_suffix_readings(token, prefix_len, subject.len_utf8() as u8, true, imperfect, out);
        }
    }
}

/// Readings of `token` as a verb stem at `prefix_len` (after proclitics and
/// `subject_len` bytes of subject prefix) followed by a subject suffix and
/// an object pronoun, each possibly absent; at least one affix is required
/// of a reading (the bare stem is the token itself, or a plain clitic
/// reading).
fn verb_suffix_readings<Id: Copy>(
    token: &str,
    prefix_len: usize,
    subject_len: u8,
    imperfect: bool,
    lookup: &mut impl FnMut(&str) -> Option<(Id, bool)>,
    out: &mut Vec<Reading<Id>>,
) {
    let rest = &token[prefix_len..];
    if !has_min_chars(rest) {
        return;
    }
    let objects = std::iter::once("").chain(OBJECTS.iter().copied());
    for object in objects {
        let Some(before_object) = strip_suffix(rest, object) else { continue };
        let subjects = match (imperfect, object.is_empty()) {
            (false, true) => PERFECT_SUBJECTS,
            (false, false) => PERFECT_SUBJECTS_BEFORE_OBJECT,
            (true, true) => IMPERFECT_SUBJECTS,
            (true, false) => IMPERFECT_SUBJECTS_BEFORE_OBJECT,
        };
        for subject in subjects {
            let Some(stem) = strip_suffix(before_object, subject) else { continue };
            if (object.is_empty() && subject.is_empty() && subject_len == 0) || !has_min_chars(stem) {
                continue;
            }
            let Some((id, skip_first)) = lookup(stem) else { continue };
            let base_end = prefix_len + stem.len();
            // Every reading here is a verb's, even a perfect with an object
            // alone («حذفه»), which a noun's pronoun reading may also give.
            let mut class = class::VERBAL;
            if !object.is_empty() {
                class |= class::PRONOUN;
                if object == "ه" {
                    class |= class::LONE_HEH;
                }
            }
            out.push(Reading {
                stem: id,
                prefix_len: prefix_len as u8,
                subject_len,
                definite: false,
                skip_first,
                base_end: base_end as u16,
                taa: false,
                suffix_start: base_end as u16,
                class,
            });
        }
    }
}

fn with_stem<Id>(r: Reading<()>, stem: Id) -> Reading<Id> {
    Reading {
        stem,
        prefix_len: r.prefix_len,
        subject_len: r.subject_len,
        definite: r.definite,
        skip_first: r.skip_first,
        base_end: r.base_end,
        taa: r.taa,
        suffix_start: r.suffix_start,
        class: r.class,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (stem, prefix bytes, definite, suffix) of every head reading of
    /// `token` where `known` are noun stems.
    fn readings(token: &str, known: &[&str]) -> Vec<(String, usize, bool, String)> {
        readings_with(token, known, stem_kind::NOMINAL, &[])
            .iter()
            .map(|(stem, r)| (stem.clone(), usize::from(r.prefix_len), r.definite, token[usize::from(r.suffix_start)..].to_string()))
            .collect()
    }

    /// Every head reading of `token`, `known` stems registered as `kind`,
    /// `imperfect` the imperfect stems (with whether the form's first letter
    /// goes unwritten).
    fn readings_with(token: &str, known: &[&str], kind: u8, imperfect: &[(&str, bool)]) -> Vec<(String, Reading<usize>)> {
        let mut scratch = String::new();
        let mut out = Vec::new();
        let mut lookup = |s: &str| known.iter().position(|k| *k == s).map(|i| (i, kind));
        let mut imperfect_lookup = |s: &str| imperfect.iter().position(|(k, _)| *k == s).map(|i| (known.len() + i, imperfect[i].1));
        head_readings(token, &mut scratch, &mut lookup, &mut imperfect_lookup, kind & stem_kind::VERB != 0, &mut out);
        out.iter()
            .map(|r| {
                let stem = if r.stem < known.len() { known[r.stem].to_string() } else { imperfect[r.stem - known.len()].0.to_string() };
                (stem, *r)
            })
            .collect()
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
        let mut all: Vec<Proclitic> = [WAW, FA, BA, KAF, LAM, ALEF].iter().flat_map(|t| t[1..].iter().copied()).collect();
        all.insert(0, ("", false, 0));
        let mut expected = PROCLITICS.to_vec();
        all.sort();
        expected.sort();
        assert_eq!(all, expected);
        for table in [WAW, FA, BA, KAF, LAM, ALEF] {
            let order: Vec<usize> = table.iter().map(|(w, _, _)| PROCLITICS.iter().position(|(p, _, _)| p == w).unwrap()).collect();
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
        // A lone ي is no suffix of a stem of two letters.
        assert!(readings("امي", &["ام"]).is_empty());
    }

    #[test]
    fn pronouns_on_any_noun_after_plurals_and_duals() {
        // A lone pronoun on a noun without ة.
        assert!(readings("حسابك", &["حساب"]).contains(&("حساب".into(), 0, true, "ك".into())));
        assert!(readings("ملفه", &["ملف"]).contains(&("ملف".into(), 0, true, "ه".into())));
        assert!(readings("منشوري", &["منشور"]).contains(&("منشور".into(), 0, true, "ي".into())));
        // After ات, the ة of the stem dropped or none.
        assert!(readings("مشاركاتك", &["مشاركه"]).contains(&("مشاركه".into(), 0, true, "اتك".into())));
        assert!(readings("اشعاراتكم", &["اشعار"]).contains(&("اشعار".into(), 0, true, "اتكم".into())));
        // Dual and sound masculine plural, with and without their ن.
        assert!(readings("ملفان", &["ملف"]).contains(&("ملف".into(), 0, false, "ان".into())));
        assert!(readings("حسابين", &["حساب"]).contains(&("حساب".into(), 0, false, "ين".into())));
        assert!(readings("المتابعون", &["متابع"]).contains(&("متابع".into(), 4, true, "ون".into())));
        assert!(readings("للمتابعين", &["متابع"]).contains(&("متابع".into(), 4, true, "ين".into())));
        assert!(readings("متابعوك", &["متابع"]).contains(&("متابع".into(), 0, true, "وك".into())));
        assert!(readings("متابعيك", &["متابع"]).contains(&("متابع".into(), 0, true, "يك".into())));
        // The article and a pronoun never together.
        assert!(!readings("الحسابك", &["حساب"]).iter().any(|r| r.3 == "ك"));
    }

    #[test]
    fn the_feminine_only_on_adjective_stems() {
        let adjective = readings_with("المحظوره", &["محظور"], stem_kind::NOMINAL | stem_kind::ADJECTIVE, &[]);
        assert!(adjective.iter().any(|(_, r)| r.class & class::FEMININE != 0 && r.definite), "{adjective:?}");
        let noun = readings_with("المحظوره", &["محظور"], stem_kind::NOMINAL, &[]);
        assert!(noun.is_empty(), "{noun:?}");
    }

    #[test]
    fn verbs_take_subject_prefixes_and_suffixes_and_objects() {
        let verb = stem_kind::VERB;
        let forms = |token: &str| -> Vec<(String, String, String)> {
            readings_with(token, &["حذف"], verb, &[("حذف", false)])
                .into_iter()
                .map(|(stem, r)| (stem, token[..usize::from(r.prefix_len)].to_string(), token[usize::from(r.suffix_start)..].to_string()))
                .collect()
        };
        for (token, prefix, suffix) in [
            ("يحذف", "ي", ""),
            ("تحذف", "ت", ""),
            ("سيحذف", "سي", ""),
            ("وسيحذفونها", "وسي", "ونها"),
            ("احذف", "ا", ""),
            ("احذفوا", "ا", "وا"),
            ("حذفت", "", "ت"),
            ("حذفتها", "", "تها"),
            ("فحذفوها", "ف", "وها"),
            ("لتحذفي", "لت", "ي"),
            ("حذفه", "", "ه"),
        ] {
            let found = forms(token);
            assert!(found.iter().any(|(s, p, x)| s == "حذف" && p == prefix && x == suffix), "{token}: {found:?}");
            assert!(readings_with(token, &["حذف"], verb, &[("حذف", false)]).iter().all(|(_, r)| r.class & class::VERBAL != 0));
        }
        // A noun stem takes no verbal affix.
        assert!(readings_with("يحذف", &["حذف"], stem_kind::NOMINAL, &[("حذف", false)]).is_empty());
        // The lone ه of an object is marked, for the matcher to refuse a ة.
        let heh = readings_with("نشره", &["نشر"], verb, &[]);
        assert!(heh.iter().all(|(_, r)| r.class & class::LONE_HEH != 0), "{heh:?}");
    }
}
