//! Judgement: turns the occurrences found in a document into findings, by rules
//! with stable ids and default severities that a run may change.
//!
//! This module owns the rules and their messages. It reads occurrences and the
//! glossary; it neither matches text nor prints anything. In a translation
//! unit the source decides the sense: an occurrence of a concept the source
//! does not name ([`Occurrence::homonym`]) is judged by
//! `unexpected-rendering` alone, never as a forbidden, deprecated or mixed
//! rendering.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::glossary::{Concept, Glossary, Status, TermRole};
use crate::matcher::MatchKind;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Hidden unless asked for.
    Note,
    /// Worth knowing.
    Info,
    /// Should be fixed.
    Warning,
    /// Must be fixed.
    Error,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::Info, Severity::Note];

    /// Its place in [`Severity::ALL`].
    pub fn index(self) -> usize {
        match self {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
            Severity::Note => 3,
        }
    }

    /// The name used on the command line, in reports and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown severity {s:?} (expected error, warning, info or note)"))
    }
}

/// A rule: what it checks, its stable id and its default severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A forbidden form: a known mistranslation.
    ForbiddenRendering,
    /// A deprecated form: use the preferred one instead.
    DeprecatedRendering,
    /// One document renders one concept in lexically different forms.
    MixedRenderings,
    /// A Latin acronym in Arabic text where the document never gives the Arabic.
    BareAcronym,
    /// A form that matched only after folding letters.
    OrthographicVariant,
    /// The source names a concept that the translation does not render.
    MissingRendering,
    /// The translation renders a concept that the source does not name.
    UnexpectedRendering,
    /// Sources of a corpus render one concept with different forms (`qamus report`).
    CrossSource,
}

impl Rule {
    /// Every rule, in the order they are documented.
    pub const ALL: [Rule; 8] = [
        Rule::ForbiddenRendering,
        Rule::DeprecatedRendering,
        Rule::MixedRenderings,
        Rule::BareAcronym,
        Rule::OrthographicVariant,
        Rule::MissingRendering,
        Rule::UnexpectedRendering,
        Rule::CrossSource,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::ForbiddenRendering => "forbidden-rendering",
            Rule::DeprecatedRendering => "deprecated-rendering",
            Rule::MixedRenderings => "mixed-renderings",
            Rule::BareAcronym => "bare-acronym",
            Rule::OrthographicVariant => "orthographic-variant",
            Rule::MissingRendering => "missing-rendering",
            Rule::UnexpectedRendering => "unexpected-rendering",
            Rule::CrossSource => "cross-source",
        }
    }

    /// The severity unless a run says otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::ForbiddenRendering => Severity::Error,
            Rule::DeprecatedRendering | Rule::MixedRenderings | Rule::MissingRendering | Rule::CrossSource => Severity::Warning,
            Rule::BareAcronym | Rule::UnexpectedRendering => Severity::Info,
            Rule::OrthographicVariant => Severity::Note,
        }
    }

    /// One line on what the rule checks.
    pub fn description(self) -> &'static str {
        match self {
            Rule::ForbiddenRendering => "a rendering the glossary marks forbidden: a known mistranslation",
            Rule::DeprecatedRendering => "a rendering the glossary marks deprecated: use the preferred one instead",
            Rule::MixedRenderings => "one document renders one concept with lexically different forms",
            Rule::BareAcronym => "a Latin acronym in Arabic text where the document never gives the concept's Arabic rendering",
            Rule::OrthographicVariant => {
                "a form that matched only after folding letters (hamza, final ى, Persian letters, spelling variants)"
            }
            Rule::MissingRendering => "a translation unit whose source names a concept that its Arabic target does not render",
            Rule::UnexpectedRendering => {
                "a translation unit whose Arabic target holds a form of a concept its source does not name: a homonym there, or a mistranslation"
            }
            Rule::CrossSource => "sources of a corpus render one concept with lexically different forms (qamus report)",
        }
    }
}

impl FromStr for Rule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rule::ALL.into_iter().find(|r| r.id() == s).ok_or_else(|| {
            let ids: Vec<_> = Rule::ALL.iter().map(|r| r.id()).collect();
            format!("unknown rule {s:?} (the rules are: {})", ids.join(", "))
        })
    }
}

/// The severity of each rule for a run, and per concept where a
/// configuration says so; `None` turns a rule off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Severities {
    levels: BTreeMap<Rule, Option<Severity>>,
    /// Concept id → (rule, or every rule) → level.
    concepts: BTreeMap<String, BTreeMap<Option<Rule>, Option<Severity>>>,
}

impl Default for Severities {
    fn default() -> Self {
        Severities { levels: Rule::ALL.iter().map(|r| (*r, Some(r.default_severity()))).collect(), concepts: BTreeMap::new() }
    }
}

impl Severities {
    /// Sets a rule's severity (`None` is off).
    pub fn set(&mut self, rule: Rule, level: Option<Severity>) {
        self.levels.insert(rule, level);
    }

    /// Sets the severity of one concept's findings, for one rule or (`None`) all.
    pub fn set_for_concept(&mut self, concept: &str, rule: Option<Rule>, level: Option<Severity>) {
        self.concepts.entry(concept.to_string()).or_default().insert(rule, level);
    }

    /// Drops the per-concept levels of one rule (the command line overrides them).
    pub fn clear_concept_levels(&mut self, rule: Rule) {
        for levels in self.concepts.values_mut() {
            levels.remove(&Some(rule));
        }
    }

    /// A rule's severity, `None` when off.
    pub fn get(&self, rule: Rule) -> Option<Severity> {
        self.levels.get(&rule).copied().unwrap_or(Some(rule.default_severity()))
    }

    /// A rule's severity for one concept: the concept's level for the rule,
    /// else its level for every rule, else the rule's.
    pub fn get_for(&self, rule: Rule, concept: &str) -> Option<Severity> {
        match self.concepts.get(concept) {
            Some(levels) => levels.get(&Some(rule)).or_else(|| levels.get(&None)).copied().unwrap_or_else(|| self.get(rule)),
            None => self.get(rule),
        }
    }

    /// Applies a `RULE=LEVEL` setting (LEVEL may be `off`).
    pub fn apply(&mut self, setting: &str) -> Result<(), String> {
        let (rule, level) = setting.split_once('=').ok_or_else(|| format!("expected RULE=LEVEL, got {setting:?}"))?;
        let rule: Rule = rule.trim().parse()?;
        let level = match level.trim() {
            "off" => None,
            other => Some(other.parse::<Severity>().map_err(|e| e.replace("or note", "note or off"))?),
        };
        self.set(rule, level);
        self.clear_concept_levels(rule);
        Ok(())
    }
}

/// The text around an occurrence, on its line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Words before the surface.
    pub before: String,
    /// Words after it.
    pub after: String,
}

/// One occurrence of a glossary form in a document, located. (The default,
/// for tests and builders: the first term of the first concept, nowhere.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Occurrence {
    /// Index of the concept in the glossary.
    pub concept: usize,
    /// Index of the term in the concept.
    pub term: usize,
    /// 1-based line of the first character.
    pub line: usize,
    /// 1-based column (Unicode scalar values) of the first character.
    pub column: usize,
    /// 1-based line of the last character.
    pub end_line: usize,
    /// 1-based column just past the last character.
    pub end_column: usize,
    /// Byte offsets in the file.
    pub byte_start: usize,
    /// Byte offset just past the surface in the file.
    pub byte_end: usize,
    /// The text as written.
    pub surface: String,
    /// The kind of match.
    pub kind: MatchKind,
    /// Whether letters were folded to match.
    pub orthographic: bool,
    /// Whether its first word carries the article (see
    /// [`crate::Match::article`]).
    pub article: bool,
    /// Proclitics stripped, as written.
    pub proclitics: String,
    /// A verb's subject prefix stripped after the proclitics, as written.
    pub prefix: String,
    /// Suffixes stripped, as written (each word's, separated by spaces).
    pub suffix: String,
    /// It stands in a translation unit whose source does not name its
    /// concept: there it is a homonym (or a mistranslation), not a rendering
    /// to judge — no forbidden, deprecated, orthographic or mixed-renderings
    /// finding, at most `unexpected-rendering`.
    pub homonym: bool,
    /// Whether the line it stands on holds Arabic letters. Only an
    /// acronym's is asked (a bare acronym in Arabic text): it is false for
    /// every other term.
    pub in_arabic: bool,
    /// Whether the file holds the surface verbatim over the span (no escape,
    /// entity or tag inside), so that a fix may replace the span.
    pub verbatim: bool,
    /// The words around it.
    pub context: Context,
}

/// What the bilingual check needs of one translation unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPair {
    /// Concepts the source names, each with its first English surface.
    pub source_concepts: Vec<(usize, String)>,
    /// The unit's occurrences: a range of the document's occurrences.
    pub occurrences: std::ops::Range<usize>,
    /// Where a finding about the whole target points (its first line).
    pub anchor: Occurrence,
    /// The unit's id or context.
    pub id: Option<std::sync::Arc<str>>,
}

/// One count of a rendering inside a document, for `mixed-renderings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderingCount {
    /// The glossary form.
    pub form: String,
    /// Its status.
    pub status: Status,
    /// Occurrences in the document.
    pub count: usize,
    /// Line of the first one.
    pub first_line: usize,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule that found it.
    pub rule: Rule,
    /// Its severity for this run.
    pub severity: Severity,
    /// The document.
    pub path: String,
    /// For a record of a corpus (`path` is then `FILE#LINE`), the line of
    /// the file where the record starts; `at`'s lines and columns are in
    /// the record's text.
    pub record: Option<usize>,
    /// Where it is: the occurrence it points at.
    pub at: Occurrence,
    /// What to write instead, if anything: a glossary form.
    pub suggestion: Option<String>,
    /// The text to put in place of the surface, keeping its proclitics, where
    /// that can be done safely (not for inflected or indefinite occurrences).
    pub replacement: Option<String>,
    /// The message, one sentence or two.
    pub message: String,
    /// For `mixed-renderings`: every rendering with its count.
    pub renderings: Vec<RenderingCount>,
}

impl Finding {
    /// The file it is in, as shown: its path, without a record's `#LINE`.
    pub fn file(&self) -> &str {
        crate::input::corpus::file_of(&self.path, self.record)
    }
}

/// How a message names a concept: `HMC (U.S.-Iraq Higher Military Commission)`,
/// or the English name alone when there is no acronym.
pub fn display_name(concept: &Concept) -> String {
    match &concept.acronym {
        Some(acronym) => format!("{acronym} ({})", concept.en),
        None => concept.en.clone(),
    }
}

/// The part of a concept's note that speaks of `form`: the sentences that
/// quote it, or a word of it that the preferred form lacks, as «…»; the whole
/// note when no sentence does.
pub fn note_for(concept: &Concept, form: &str) -> Option<String> {
    let note = concept.note.as_deref()?;
    let mut sentences = Vec::new();
    let mut start = 0;
    for (i, _) in note.match_indices(". ") {
        sentences.push(&note[start..=i]);
        start = i + 2;
    }
    sentences.push(&note[start..]);
    let relevant: Vec<&str> = sentences.into_iter().filter(|s| quotes_form(s, form, concept.preferred())).collect();
    Some(if relevant.is_empty() { note.to_string() } else { relevant.join(" ") })
}

/// Whether `text` quotes, as «…», `form` or a part of it that `preferred` lacks.
pub fn quotes_form(text: &str, form: &str, preferred: &str) -> bool {
    text.split('«')
        .skip(1)
        .filter_map(|rest| rest.split_once('»').map(|(quoted, _)| quoted))
        .any(|quoted| quoted == form || (!quoted.is_empty() && form.contains(quoted) && !preferred.contains(quoted)))
}

/// The preferred form `preferred` in the definiteness of the occurrence's
/// surface, so that a suggestion is never less grammatical than what it
/// replaces: for a bare noun (a one-word surface without the article or a
/// pronoun, as «تحميل» in «بإكمال تحميل الملفات»), the preferred form
/// without its head's article («تنزيل», not «التنزيل»); for an
/// all-indefinite surface («لجنة عسكرية عليا»), without any article. A
/// definite surface — by its article, a pronoun, or a definite genitive
/// («مؤسسة حمد الطبية») — takes the form as the glossary writes it.
/// (Rebuilding the whole shape — clitics, suffixes, a verb's affixes — is
/// the fix engine's work.)
pub fn suggestion_for(occ: &Occurrence, preferred: &str) -> String {
    // The bare article of a word (never «أل» or «إل»), as the glossary reads it.
    let without_article = |word: &str| match word.strip_prefix("ال") {
        Some(rest) if rest.chars().nth(1).is_some() => rest.to_string(),
        _ => word.to_string(),
    };
    let indefinite = occ.kind == MatchKind::Indefinite;
    if occ.article || (!indefinite && occ.surface.trim().contains(char::is_whitespace)) {
        return preferred.to_string();
    }
    let mut words = preferred.split(' ');
    let head = words.next().unwrap_or_default();
    let mut out = without_article(head);
    for word in words {
        out.push(' ');
        if indefinite {
            out.push_str(&without_article(word));
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The text that replaces an occurrence's surface with `form`, keeping its
/// proclitics and the spelling rules that join them: «لـ» + «اللجنة…» is
/// «للجنة…», «لـ» + «الاتفاقية» is «للاتفاقية». `None` for inflected and
/// indefinite occurrences, whose grammar a plain replacement would break.
pub fn replacement(occ: &Occurrence, form: &str) -> Option<String> {
    if !occ.verbatim || !occ.suffix.is_empty() || matches!(occ.kind, MatchKind::Indefinite | MatchKind::Inflected | MatchKind::Construct) {
        return None;
    }
    Some(attach_proclitics(&occ.proclitics, form))
}

/// Writes proclitics (as a match reports them) before a glossary form.
pub fn attach_proclitics(proclitics: &str, form: &str) -> String {
    // The form decides definiteness: drop an article the proclitics carry
    // («بال» → «ب», «لل» → «ل»).
    let prefix = if let Some(p) = proclitics.strip_suffix("لل") {
        format!("{p}ل")
    } else {
        proclitics.strip_suffix("ال").unwrap_or(proclitics).to_string()
    };
    match (prefix.ends_with('ل'), form.strip_prefix("ال")) {
        // ل + ال + لـX is written للـX; ل + ال + X is written للX.
        (true, Some(rest)) if rest.starts_with('ل') => format!("{prefix}{rest}"),
        (true, Some(rest)) => format!("{prefix}ل{rest}"),
        _ => format!("{prefix}{form}"),
    }
}

/// How a document is judged.
#[derive(Debug, Clone, Copy)]
pub struct Judging<'a> {
    /// The rules' severities.
    pub severities: &'a Severities,
    /// Write each finding's message and replacement; a run that only counts
    /// findings makes them bare: no path, suggestion, message, replacement
    /// or renderings, and their occurrence without its written text.
    pub with_messages: bool,
    /// Judge a large document's occurrences in pieces at once, on the
    /// current rayon pool.
    pub parallel: bool,
}

/// Documents with at least this many occurrences are judged in pieces of
/// this many when the run is parallel.
const JUDGING_PIECE: usize = 1 << 14;

/// Makes the findings of one document.
struct FindingMaker<'a> {
    glossary: &'a Glossary,
    path: &'a str,
    judging: Judging<'a>,
}

impl FindingMaker<'_> {
    /// A finding of `rule` at `at`, unless the rule is off for its concept.
    /// The message is written only when a finding is made and messages are
    /// wanted: a run that only counts findings never formats one.
    fn make(
        &self,
        rule: Rule,
        at: &Occurrence,
        suggestion: Option<String>,
        message: &mut dyn FnMut() -> String,
        renderings: Vec<RenderingCount>,
    ) -> Option<Finding> {
        let severity = self.judging.severities.get_for(rule, &self.glossary.concepts[at.concept].id)?;
        let with_messages = self.judging.with_messages;
        if !with_messages {
            // A count: only what is counted, and what pragmas and ignores
            // filter by (rule, severity, concept, line), with no text at
            // all; a document with many findings made a few allocations for
            // each, then dropped them.
            let at = Occurrence {
                surface: String::new(),
                proclitics: String::new(),
                prefix: String::new(),
                suffix: String::new(),
                context: Context::default(),
                ..*at
            };
            return Some(Finding {
                rule,
                severity,
                path: String::new(),
                record: None,
                at,
                suggestion: None,
                replacement: None,
                message: String::new(),
                renderings: Vec::new(),
            });
        }
        let message = message();
        let replacement = match rule {
            Rule::ForbiddenRendering | Rule::DeprecatedRendering | Rule::OrthographicVariant => {
                suggestion.as_deref().and_then(|form| replacement(at, form))
            }
            _ => None,
        };
        Some(Finding {
            rule,
            severity,
            path: self.path.to_string(),
            record: None,
            at: at.clone(),
            suggestion,
            replacement,
            message,
            renderings,
        })
    }

    /// The findings each occurrence makes on its own (a forbidden or
    /// deprecated rendering, a folded spelling), in order.
    fn of_each(&self, occurrences: &[&Occurrence]) -> Vec<Finding> {
        let glossary = self.glossary;
        let mut findings = Vec::new();
        let mut push = |rule: Rule,
                        at: &Occurrence,
                        suggestion: Option<String>,
                        message: &mut dyn FnMut() -> String,
                        renderings: Vec<RenderingCount>| {
            findings.extend(self.make(rule, at, suggestion, message, renderings));
        };
        // A term's note is cut from its concept's once per document (or
        // piece), however many findings repeat it.
        let mut notes: rustc_hash::FxHashMap<(usize, usize), String> = Default::default();
        for &occ in occurrences {
            let concept = &glossary.concepts[occ.concept];
            let term = &concept.terms[occ.term];
            let mut note = || {
                notes
                    .entry((occ.concept, occ.term))
                    .or_insert_with(|| note_for(concept, &term.text).map(|n| format!(" {n}")).unwrap_or_default())
                    .clone()
            };
            match term.status {
                status @ (Status::Forbidden | Status::Deprecated) => {
                    let (rule, what, instead) = match status {
                        Status::Forbidden => (Rule::ForbiddenRendering, "forbidden", ""),
                        _ => (Rule::DeprecatedRendering, "deprecated", " instead"),
                    };
                    let suggestion = suggestion_for(occ, concept.preferred());
                    push(
                        rule,
                        occ,
                        Some(suggestion.clone()),
                        &mut || {
                            format!(
                                "«{}» is a {what} rendering of {}; use «{}»{instead}.{}",
                                occ.surface,
                                display_name(concept),
                                suggestion,
                                note()
                            )
                        },
                        Vec::new(),
                    )
                }
                Status::Preferred | Status::Admitted => {}
            }
            if occ.orthographic {
                push(
                    Rule::OrthographicVariant,
                    occ,
                    Some(term.text.clone()),
                    &mut || {
                        format!(
                            "«{}» matched «{}» ({}) only after folding letters; the glossary writes «{}».",
                            occ.surface,
                            term.text,
                            concept.label(),
                            term.text
                        )
                    },
                    Vec::new(),
                );
            }
        }
        findings
    }
}

/// How often each term of a concept is used in a document's occurrences,
/// and where first: what the rules about a concept as a whole (mixed
/// renderings, a bare acronym) need, tallied in one pass over the
/// occurrences rather than by grouping them.
#[derive(Default)]
struct TermTally {
    /// By (concept, term).
    uses: rustc_hash::FxHashMap<(usize, usize), TermUse>,
}

/// One term's use in a document.
#[derive(Debug, Clone, Copy)]
struct TermUse {
    term: usize,
    /// Occurrences of it.
    count: usize,
    /// Index of the first, among the occurrences judged.
    first: usize,
    /// Index of the first that stands on a line holding Arabic letters
    /// (asked of acronyms only: see [`Occurrence::in_arabic`]).
    first_in_arabic: Option<usize>,
}

impl TermTally {
    /// The tally of `piece`, the occurrences judged from index `base` on.
    fn of(glossary: &Glossary, piece: &[&Occurrence], base: usize) -> TermTally {
        let mut tally = TermTally::default();
        for (k, o) in piece.iter().enumerate() {
            let index = base + k;
            let found =
                tally.uses.entry((o.concept, o.term)).or_insert(TermUse { term: o.term, count: 0, first: index, first_in_arabic: None });
            found.count += 1;
            // The glossary is looked at last: with a large one, reaching a
            // term is two cache misses, and `in_arabic` is rarely true.
            if o.in_arabic && found.first_in_arabic.is_none() && glossary.concepts[o.concept].terms[o.term].role == TermRole::Acronym {
                found.first_in_arabic = Some(index);
            }
        }
        tally
    }

    /// Adds the tally of a later piece.
    fn add(&mut self, later: TermTally) {
        for (key, use_) in later.uses {
            self.uses
                .entry(key)
                .and_modify(|known| {
                    known.count += use_.count;
                    known.first_in_arabic = known.first_in_arabic.or(use_.first_in_arabic);
                })
                .or_insert(use_);
        }
    }

    /// Each concept used, in glossary order, with its terms used in order of
    /// first appearance.
    fn by_concept(self) -> Vec<(usize, Vec<TermUse>)> {
        let mut uses: Vec<((usize, usize), TermUse)> = self.uses.into_iter().collect();
        uses.sort_unstable_by_key(|&((concept, _), use_)| (concept, use_.first));
        let mut concepts: Vec<(usize, Vec<TermUse>)> = Vec::new();
        for ((concept, _), use_) in uses {
            match concepts.last_mut() {
                Some((last, terms)) if *last == concept => terms.push(use_),
                _ => concepts.push((concept, vec![use_])),
            }
        }
        concepts
    }
}

/// Judges the occurrences of one document (in text order); `silenced[i]`
/// leaves occurrence `i` out (a pragma); `pairs` are its translation units.
pub fn judge_document(
    glossary: &Glossary,
    path: &str,
    all: &[Occurrence],
    silenced: &[bool],
    pairs: &[UnitPair],
    judging: Judging<'_>,
) -> Vec<Finding> {
    let occurrences = unsilenced(all, silenced);
    let maker = FindingMaker { glossary, path, judging };
    // A document judged whole, as nearly always, makes one list: nothing
    // to gather.
    let (pieces, tally) = judge_each(&maker, &occurrences, judging.parallel, |findings| findings);
    let mut findings = match <[Vec<Finding>; 1]>::try_from(pieces) {
        Ok([whole]) => whole,
        Err(pieces) => {
            let mut findings = Vec::with_capacity(pieces.iter().map(Vec::len).sum());
            for mut piece in pieces {
                findings.append(&mut piece);
            }
            findings
        }
    };
    findings.extend(judge_whole(&maker, tally, &occurrences, all, pairs));
    findings.sort_by_key(|f| (f.at.byte_start, f.rule));
    findings
}

/// The findings [`judge_document`] makes, per severity in
/// [`Severity::ALL`] order, counting only those `keep` keeps: what a count
/// needs, without gathering findings into one list, sorting them or
/// freeing them one by one (for one large file, a tenth of a second on one
/// thread at the end of a two-job run). A large document is judged in
/// pieces, at once when `judging.parallel`, each counted as it is made.
pub fn count_findings(
    glossary: &Glossary,
    path: &str,
    all: &[Occurrence],
    silenced: &[bool],
    pairs: &[UnitPair],
    judging: Judging<'_>,
    keep: &(dyn Fn(&Finding) -> bool + Sync),
) -> [usize; 4] {
    let occurrences = unsilenced(all, silenced);
    let maker = FindingMaker { glossary, path, judging };
    let count = |findings: Vec<Finding>| {
        let mut counts = [0; 4];
        for finding in findings.iter().filter(|f| keep(f)) {
            counts[finding.severity.index()] += 1;
        }
        counts
    };
    let (pieces, tally) = judge_each(&maker, &occurrences, true, count);
    let whole = count(judge_whole(&maker, tally, &occurrences, all, pairs));
    pieces.iter().fold(whole, |mut total, piece| {
        for (total, count) in total.iter_mut().zip(piece) {
            *total += count;
        }
        total
    })
}

/// The occurrences judged: neither silenced nor homonyms (see
/// [`Occurrence::homonym`]).
fn unsilenced<'a>(all: &'a [Occurrence], silenced: &[bool]) -> Vec<&'a Occurrence> {
    all.iter().zip(silenced.iter().chain(std::iter::repeat(&false))).filter(|(o, s)| !**s && !o.homonym).map(|(o, _)| o).collect()
}

/// Each occurrence's own findings, handed to `each` a piece at a time in
/// order, and the tally of the terms used. A large document is cut into
/// pieces when `cut` (judged at once when the run is parallel); otherwise
/// it is one piece (none when there are no occurrences).
fn judge_each<T: Send>(
    maker: &FindingMaker<'_>,
    occurrences: &[&Occurrence],
    cut: bool,
    each: impl Fn(Vec<Finding>) -> T + Sync,
) -> (Vec<T>, TermTally) {
    let glossary = maker.glossary;
    let size = if cut && occurrences.len() >= 2 * JUDGING_PIECE { JUDGING_PIECE } else { occurrences.len().max(1) };
    let judge = |(k, piece): (usize, &[&Occurrence])| (each(maker.of_each(piece)), TermTally::of(glossary, piece, k * size));
    let pieces: Vec<(T, TermTally)> = if maker.judging.parallel && size < occurrences.len() {
        use rayon::prelude::*;
        occurrences.par_chunks(size).enumerate().map(judge).collect()
    } else {
        occurrences.chunks(size).enumerate().map(judge).collect()
    };
    let mut tally = TermTally::default();
    let mut made = Vec::with_capacity(pieces.len());
    for (piece, piece_tally) in pieces {
        made.push(piece);
        if tally.uses.is_empty() {
            tally = piece_tally;
        } else {
            tally.add(piece_tally);
        }
    }
    (made, tally)
}

/// The findings about a concept in the whole document (mixed renderings, a
/// bare acronym) and about translation units (a missing or unexpected
/// rendering), from the tally of the terms used; unsorted.
fn judge_whole(
    maker: &FindingMaker<'_>,
    tally: TermTally,
    occurrences: &[&Occurrence],
    all: &[Occurrence],
    pairs: &[UnitPair],
) -> Vec<Finding> {
    let glossary = maker.glossary;
    let mut findings = Vec::new();
    let mut push =
        |rule: Rule, at: &Occurrence, suggestion: Option<String>, message: &mut dyn FnMut() -> String, renderings: Vec<RenderingCount>| {
            findings.extend(maker.make(rule, at, suggestion, message, renderings));
        };
    // Per concept, in glossary order: the Arabic renderings used, and
    // acronyms used bare.
    for (c, terms) in tally.by_concept() {
        let concept = &glossary.concepts[c];
        let role = |t: &TermUse| concept.terms[t.term].role;
        if !terms.iter().any(|t| role(t) == TermRole::Arabic) {
            let acronyms = terms.iter().filter(|t| role(t) == TermRole::Acronym);
            let count: usize = acronyms.clone().map(|t| t.count).sum();
            if let Some(first) = acronyms.filter_map(|t| t.first_in_arabic).min().map(|i| occurrences[i]) {
                let times = if count == 1 { "once".to_string() } else { format!("{count} times") };
                push(
                    Rule::BareAcronym,
                    first,
                    Some(concept.preferred().to_string()),
                    &mut || {
                        format!(
                        "{} is used {times} in Arabic text, but the document never gives its Arabic rendering; write «{}» ({}) at the first mention.",
                        first.surface,
                        concept.preferred(),
                        concept.en
                    )
                    },
                    Vec::new(),
                );
            }
            continue;
        }
        // Most concepts of a document are rendered one way: nothing to list.
        if terms.iter().filter(|t| role(t) == TermRole::Arabic).nth(1).is_none() {
            continue;
        }
        // In order of first appearance, as `by_concept` gives them.
        let mut renderings: Vec<(usize, RenderingCount, &Occurrence)> = terms
            .iter()
            .filter(|t| role(t) == TermRole::Arabic)
            .map(|t| {
                let term = &concept.terms[t.term];
                let first = occurrences[t.first];
                (t.first, RenderingCount { form: term.text.clone(), status: term.status, count: t.count, first_line: first.line }, first)
            })
            .collect();
        // Most used first; ties by first appearance. The finding points at the
        // first occurrence of a rendering other than the preferred one (not
        // of one other than the most used, which may be a deprecated form:
        // then the preferred form would be marked as the one out of line).
        renderings.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.2.byte_start.cmp(&b.2.byte_start)));
        let at = renderings
            .iter()
            .filter(|(_, r, _)| r.status != Status::Preferred)
            .min_by_key(|(first, _, _)| *first)
            .map_or(renderings[1].2, |(_, _, o)| *o);
        let renderings: Vec<RenderingCount> = renderings.into_iter().map(|(_, r, _)| r).collect();
        let list = || -> Vec<String> {
            renderings.iter().map(|r| format!("«{}» ×{} (line {}, {})", r.form, r.count, r.first_line, r.status.as_str())).collect()
        };
        push(
            Rule::MixedRenderings,
            at,
            Some(suggestion_for(at, concept.preferred())),
            &mut || format!("{} is rendered {} ways in this document: {}.", display_name(concept), renderings.len(), list().join(", ")),
            renderings.clone(),
        );
    }
    for pair in pairs {
        let target = &all[pair.occurrences.clone()];
        let live = |o: &&Occurrence| glossary.concepts[o.concept].terms[o.term].role == TermRole::Arabic;
        for (concept, english) in &pair.source_concepts {
            if target.iter().filter(live).any(|o| o.concept == *concept) {
                continue;
            }
            let c = &glossary.concepts[*concept];
            let at = Occurrence { concept: *concept, ..pair.anchor.clone() };
            push(
                Rule::MissingRendering,
                &at,
                Some(c.preferred().to_string()),
                &mut || {
                    format!(
                        "the source says “{english}” but the translation does not render {}; expected «{}».",
                        display_name(c),
                        c.preferred()
                    )
                },
                Vec::new(),
            );
        }
        let mut reported = Vec::new();
        for o in target.iter().filter(live) {
            if pair.source_concepts.iter().any(|(c, _)| *c == o.concept) || reported.contains(&o.concept) {
                continue;
            }
            reported.push(o.concept);
            let c = &glossary.concepts[o.concept];
            push(
                Rule::UnexpectedRendering,
                o,
                None,
                &mut || {
                    let status = c.terms[o.term].status;
                    let form = if matches!(status, Status::Deprecated | Status::Forbidden) {
                        format!("a {} rendering of {}", status.as_str(), display_name(c))
                    } else {
                        format!("a rendering of {}", display_name(c))
                    };
                    format!(
                        "«{}» is {form}, which the source does not name: here it is another word of the same spelling, or a mistranslation; check the translation.",
                        o.surface
                    )
                },
                Vec::new(),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_parse_rule_level_settings() {
        let mut s = Severities::default();
        s.apply("orthographic-variant=info").unwrap();
        assert_eq!(s.get(Rule::OrthographicVariant), Some(Severity::Info));
        s.apply("mixed-renderings=off").unwrap();
        assert_eq!(s.get(Rule::MixedRenderings), None);
        assert!(s.apply("no-such-rule=error").unwrap_err().contains("the rules are: forbidden-rendering"));
        assert!(s.apply("bare-acronym=loud").is_err());
        assert!(s.apply("bare-acronym").is_err());
    }

    #[test]
    fn proclitics_join_the_replacement_by_the_spelling_rules() {
        assert_eq!(attach_proclitics("", "اللجنة العسكرية العليا"), "اللجنة العسكرية العليا");
        assert_eq!(attach_proclitics("لل", "اللجنة العسكرية العليا"), "للجنة العسكرية العليا");
        assert_eq!(attach_proclitics("ل", "اتفاقية الإطار"), "لاتفاقية الإطار");
        assert_eq!(attach_proclitics("ل", "التمويل العسكري"), "للتمويل العسكري");
        assert_eq!(attach_proclitics("و", "التمويل العسكري"), "والتمويل العسكري");
        assert_eq!(attach_proclitics("وبال", "اتفاقية الإطار"), "وباتفاقية الإطار");
        assert_eq!(attach_proclitics("ولل", "اللجنة"), "وللجنة");
        assert_eq!(attach_proclitics("لل", "اتفاقية الإطار"), "لاتفاقية الإطار");
    }

    #[test]
    fn concept_levels_override_rule_levels() {
        let mut s = Severities::default();
        s.set_for_concept("hmc", Some(Rule::MixedRenderings), Some(Severity::Info));
        s.set_for_concept("isis", None, None);
        assert_eq!(s.get_for(Rule::MixedRenderings, "hmc"), Some(Severity::Info));
        assert_eq!(s.get_for(Rule::ForbiddenRendering, "hmc"), Some(Severity::Error));
        assert_eq!(s.get_for(Rule::ForbiddenRendering, "isis"), None);
        assert_eq!(s.get_for(Rule::MixedRenderings, "sfa"), Some(Severity::Warning));
    }

    #[test]
    fn a_bare_acronym_is_pointed_at_where_first_used_in_arabic_text_and_every_use_counted() {
        let glossary = Glossary::embedded().unwrap();
        let (c, concept) = glossary.concepts.iter().enumerate().find(|(_, c)| c.terms.iter().any(|t| t.role == TermRole::Acronym)).unwrap();
        let t = concept.terms.iter().position(|t| t.role == TermRole::Acronym).unwrap();
        let used = |line: usize, in_arabic: bool| Occurrence {
            concept: c,
            term: t,
            line,
            column: 1,
            end_line: line,
            end_column: 5,
            byte_start: line * 100,
            byte_end: line * 100 + 4,
            surface: concept.terms[t].text.clone(),
            kind: MatchKind::Exact,
            orthographic: false,
            article: false,
            proclitics: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            homonym: false,
            in_arabic,
            verbatim: true,
            context: Context::default(),
        };
        let judge = |occurrences: &[Occurrence]| {
            let severities = Severities::default();
            let judging = Judging { severities: &severities, with_messages: true, parallel: false };
            judge_document(&glossary, "brief.txt", occurrences, &[], &[], judging)
        };
        let findings = judge(&[used(1, false), used(2, true), used(3, true)]);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!((findings[0].rule, findings[0].at.line), (Rule::BareAcronym, 2));
        assert!(findings[0].message.contains("used 3 times"), "{}", findings[0].message);
        // Never in Arabic text: no finding.
        assert!(judge(&[used(1, false), used(2, false)]).is_empty());
    }

    #[test]
    fn a_suggestion_takes_the_definiteness_of_the_surface() {
        let bare = |surface: &str, kind: MatchKind, article: bool| Occurrence {
            byte_end: surface.len(),
            surface: surface.to_string(),
            kind,
            article,
            in_arabic: true,
            verbatim: true,
            ..Occurrence::default()
        };
        // A bare one-word head: the preferred form without its head's article only.
        assert_eq!(suggestion_for(&bare("تحميل", MatchKind::Exact, false), "التنزيل"), "تنزيل");
        assert_eq!(suggestion_for(&bare("تحميل", MatchKind::Exact, false), "التنزيل الآمن"), "تنزيل الآمن");
        // Definite by its article or a pronoun: as the glossary writes it.
        assert_eq!(suggestion_for(&bare("بالتحميل", MatchKind::Exact, true), "التنزيل"), "التنزيل");
        // All-indefinite: no article anywhere; «الا…» of a word that is the
        // article alone is kept.
        assert_eq!(suggestion_for(&bare("لجنة عسكرية مشتركة", MatchKind::Indefinite, false), "اللجنة العسكرية العليا"), "لجنة عسكرية عليا");
        // A construct with a definite genitive: the glossary's form.
        assert_eq!(suggestion_for(&bare("مؤسسة حمد الطبية", MatchKind::Exact, false), "اللجنة العسكرية العليا"), "اللجنة العسكرية العليا");
        // A word that only begins like the article is left whole.
        assert_eq!(suggestion_for(&bare("ملف", MatchKind::Exact, false), "ال"), "ال");
    }

    /// Every term of every concept, over and over, some matched only after
    /// folding: enough occurrences for three pieces. One concept (returned)
    /// is used by its acronym alone, on lines without Arabic until the
    /// second piece.
    fn large_document(glossary: &Glossary) -> (Vec<Occurrence>, usize) {
        let bare = glossary.concepts.iter().position(|c| c.terms.iter().any(|t| t.role == TermRole::Acronym)).unwrap();
        let mut occurrences = Vec::new();
        while occurrences.len() < 3 * JUDGING_PIECE {
            for (c, concept) in glossary.concepts.iter().enumerate() {
                for (t, term) in concept.terms.iter().enumerate() {
                    if c == bare && term.role != TermRole::Acronym {
                        continue;
                    }
                    let i = occurrences.len();
                    occurrences.push(Occurrence {
                        concept: c,
                        term: t,
                        line: i / 10 + 1,
                        column: 1 + i % 10 * 12,
                        end_line: i / 10 + 1,
                        end_column: 11 + i % 10 * 12,
                        byte_start: i * 12,
                        byte_end: i * 12 + 10,
                        surface: term.text.clone(),
                        kind: MatchKind::Exact,
                        orthographic: i % 7 == 0,
                        article: false,
                        proclitics: String::new(),
                        prefix: String::new(),
                        suffix: String::new(),
                        homonym: false,
                        in_arabic: c != bare || i > JUDGING_PIECE + 100,
                        verbatim: true,
                        context: Context::default(),
                    });
                }
            }
        }
        (occurrences, bare)
    }

    #[test]
    fn a_large_document_is_judged_alike_in_pieces_and_whole() {
        let glossary = Glossary::embedded().unwrap();
        // The bare-acronym finding points into the second piece.
        let (occurrences, _) = large_document(&glossary);
        let severities = Severities::default();
        let judge = |parallel| {
            judge_document(
                &glossary,
                "large.txt",
                &occurrences,
                &[],
                &[],
                Judging { severities: &severities, with_messages: true, parallel },
            )
        };
        let whole = judge(false);
        // Findings about occurrences of the first piece and of the third.
        assert!(whole.iter().any(|f| f.at.byte_start / 12 < JUDGING_PIECE), "none in the first piece");
        assert!(whole.iter().any(|f| f.at.byte_start / 12 >= 2 * JUDGING_PIECE), "none in the third piece");
        for rule in [Rule::ForbiddenRendering, Rule::DeprecatedRendering, Rule::OrthographicVariant, Rule::MixedRenderings] {
            assert!(whole.iter().any(|f| f.rule == rule), "no {rule:?}");
        }
        let bare_finding = whole.iter().find(|f| f.rule == Rule::BareAcronym).expect("no bare acronym");
        assert!((JUDGING_PIECE + 100..2 * JUDGING_PIECE).contains(&(bare_finding.at.byte_start / 12)), "{:?}", bare_finding.at);
        assert!(judge(true) == whole, "findings differ in pieces");
    }

    #[test]
    fn a_count_is_the_tally_by_severity_of_the_findings_it_keeps() {
        let glossary = Glossary::embedded().unwrap();
        let (occurrences, bare) = large_document(&glossary);
        // Some occurrences silenced; a translation unit over the first
        // hundred, whose source names a concept they do not render and does
        // not name those they do.
        let silenced: Vec<bool> = (0..occurrences.len()).map(|i| i % 11 == 3).collect();
        let absent = (0..glossary.concepts.len()).find(|&c| occurrences[..100].iter().all(|o| o.concept != c)).unwrap();
        let pairs = [UnitPair {
            source_concepts: vec![(absent, "something".into())],
            occurrences: 0..100,
            anchor: occurrences[0].clone(),
            id: Some("unit-1".into()),
        }];
        let mut severities = Severities::default();
        severities.set(Rule::DeprecatedRendering, None);
        // Kept: neither on a line divisible by 5 nor about the concept used
        // bare (whose one finding is in the second piece).
        let keep = |f: &Finding| f.at.line % 5 != 0 && f.at.concept != bare;
        let listed = judge_document(
            &glossary,
            "large.txt",
            &occurrences,
            &silenced,
            &pairs,
            Judging { severities: &severities, with_messages: true, parallel: false },
        );
        let mut expected = [0; 4];
        for finding in listed.iter().filter(|f| keep(f)) {
            expected[finding.severity.index()] += 1;
        }
        // Every severity and every kind of finding is there to count, and
        // some are not kept.
        assert!(expected.iter().all(|&n| n > 0), "{expected:?}");
        for rule in [Rule::MixedRenderings, Rule::MissingRendering, Rule::UnexpectedRendering, Rule::BareAcronym] {
            assert!(listed.iter().any(|f| f.rule == rule), "no {rule:?}");
        }
        assert!(listed.iter().any(|f| !keep(f)) && listed.iter().any(|f| f.rule == Rule::BareAcronym && !keep(f)));
        for parallel in [false, true] {
            for with_messages in [false, true] {
                let judging = Judging { severities: &severities, with_messages, parallel };
                let counted = count_findings(&glossary, "large.txt", &occurrences, &silenced, &pairs, judging, &keep);
                assert_eq!(counted, expected, "parallel {parallel}, messages {with_messages}");
            }
        }
    }

    #[test]
    fn severities_order_from_note_to_error() {
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info && Severity::Info > Severity::Note);
    }
}
