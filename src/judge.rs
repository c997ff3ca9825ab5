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

/// A rule: what it checks, its stable id and its default severity. What
/// is said of each is in one place, the registry [`RULES`], from which
/// `qamus rules`, the README's table of rules and SARIF's rule metadata are
/// made.
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

/// What a rule looks at to make one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One occurrence.
    Occurrence,
    /// A concept across a document.
    Document,
    /// A translation unit: its source and its target.
    Unit,
    /// A concept across the sources of a corpus (`qamus report`).
    Corpus,
}

impl Scope {
    /// Its name, as `qamus rules` and SARIF give it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Occurrence => "occurrence",
            Scope::Document => "document",
            Scope::Unit => "unit",
            Scope::Corpus => "corpus",
        }
    }
}

/// What the registry says of a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The rule.
    pub rule: Rule,
    /// Its stable id.
    pub id: &'static str,
    /// Its severity unless a run says otherwise.
    pub default_severity: Severity,
    /// What one finding is about.
    pub scope: Scope,
    /// Whether its findings carry a replacement a fix may make.
    pub fix: bool,
    /// One line on what it checks.
    pub summary: &'static str,
    /// What it finds, in full.
    pub help: &'static str,
}

/// Every rule, in the order they are documented (the order of [`Rule`]).
pub const RULES: [RuleInfo; 8] = [
    RuleInfo {
        rule: Rule::ForbiddenRendering,
        id: "forbidden-rendering",
        default_severity: Severity::Error,
        scope: Scope::Occurrence,
        fix: true,
        summary: "a rendering the glossary marks forbidden: a known mistranslation",
        help: "a form the glossary marks forbidden: a known mistranslation. The message names the concept, the preferred form and the glossary's note",
    },
    RuleInfo {
        rule: Rule::DeprecatedRendering,
        id: "deprecated-rendering",
        default_severity: Severity::Warning,
        scope: Scope::Occurrence,
        fix: true,
        summary: "a rendering the glossary marks deprecated: use the preferred one instead",
        help: "a deprecated form: use the preferred one",
    },
    RuleInfo {
        rule: Rule::MixedRenderings,
        id: "mixed-renderings",
        default_severity: Severity::Warning,
        scope: Scope::Document,
        fix: false,
        summary: "one document renders one concept with lexically different forms",
        help: "one document renders one concept with lexically different forms (clitics, inflection, listed forms and folding do not make forms different); one finding per concept per document, listing each form with its count and first line, at the first use of a form other than the preferred one",
    },
    RuleInfo {
        rule: Rule::BareAcronym,
        id: "bare-acronym",
        default_severity: Severity::Info,
        scope: Scope::Document,
        fix: false,
        summary: "a Latin acronym in Arabic text where the document never gives the concept's Arabic rendering",
        help: "a Latin acronym (HMC, CJTF-OIR) on a line of Arabic where the document never gives the concept's Arabic rendering; one finding per concept per document",
    },
    RuleInfo {
        rule: Rule::OrthographicVariant,
        id: "orthographic-variant",
        default_severity: Severity::Note,
        scope: Scope::Occurrence,
        fix: true,
        summary: "a form that matched only after folding letters (hamza, final ى, Persian letters, spelling variants)",
        help: "a form that matched only after folding letters (hamza, final ى, Persian ی/ک, a declared spelling variant); hidden unless asked for (`--min-severity note` or `--severity orthographic-variant=info`)",
    },
    RuleInfo {
        rule: Rule::MissingRendering,
        id: "missing-rendering",
        default_severity: Severity::Warning,
        scope: Scope::Unit,
        fix: false,
        summary: "a translation unit whose source names a concept that its Arabic target does not render",
        help: "in a translation unit, the English source names a concept the Arabic target does not render (see the bilingual rules)",
    },
    RuleInfo {
        rule: Rule::UnexpectedRendering,
        id: "unexpected-rendering",
        default_severity: Severity::Info,
        scope: Scope::Unit,
        fix: false,
        summary: "a translation unit whose Arabic target holds a form of a concept its source does not name: a homonym there, or a mistranslation",
        help: "in a translation unit, the Arabic target holds a form of a concept the source does not name (a homonym there, or a mistranslation); such a form is not judged by the rules above",
    },
    RuleInfo {
        rule: Rule::CrossSource,
        id: "cross-source",
        default_severity: Severity::Warning,
        scope: Scope::Corpus,
        fix: false,
        summary: "sources of a corpus render one concept with lexically different forms (qamus report)",
        help: "`qamus report` only: sources of a corpus render one concept with lexically different forms",
    },
];

impl Rule {
    /// Every rule, in the order they are documented.
    pub const ALL: [Rule; 8] = {
        let mut all = [Rule::ForbiddenRendering; 8];
        let mut i = 0;
        while i < RULES.len() {
            all[i] = RULES[i].rule;
            i += 1;
        }
        all
    };

    /// What the registry says of it.
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }

    /// The stable id.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The severity unless a run says otherwise.
    pub fn default_severity(self) -> Severity {
        self.info().default_severity
    }

    /// One line on what the rule checks.
    pub fn description(self) -> &'static str {
        self.info().summary
    }
}

/// The rules as the README's Markdown table gives them.
pub fn rules_table() -> String {
    let mut table = String::from("| rule | default | scope | fix | finds |\n|---|---|---|---|---|\n");
    for info in &RULES {
        table.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            info.id,
            info.default_severity.as_str(),
            info.scope.as_str(),
            if info.fix { "yes" } else { "no" },
            info.help
        ));
    }
    table
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
    /// deprecated rendering, a folded spelling), in order; a finding at the
    /// `k`-th occurrence takes `context(k)` when it gives one.
    fn of_each(&self, occurrences: &[&Occurrence], context: &dyn Fn(usize) -> Option<Context>) -> Vec<Finding> {
        let glossary = self.glossary;
        let mut findings = Vec::new();
        // A term's note is cut from its concept's once per document (or
        // piece), however many findings repeat it.
        let mut notes: rustc_hash::FxHashMap<(usize, usize), String> = Default::default();
        for (k, &occ) in occurrences.iter().enumerate() {
            let concept = &glossary.concepts[occ.concept];
            let term = &concept.terms[occ.term];
            let made = findings.len();
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
                    findings.extend(self.make(
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
                    ))
                }
                Status::Preferred | Status::Admitted => {}
            }
            if occ.orthographic {
                findings.extend(self.make(
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
                ));
            }
            if findings.len() > made && self.judging.with_messages {
                if let Some(context) = context(k) {
                    for finding in &mut findings[made..] {
                        finding.at.context = context.clone();
                    }
                }
            }
        }
        findings
    }
}

/// How often each term of a concept is used among a document's
/// occurrences judged, and where first: what the rules about a concept as a
/// whole (mixed renderings, a bare acronym) need, tallied as the
/// occurrences are judged, piece by piece, rather than by keeping them.
/// A piece judged apart (at once with others) is tallied apart and
/// [`Tally::append`]ed in order.
#[derive(Default)]
pub struct Tally {
    /// By (concept, term).
    uses: rustc_hash::FxHashMap<(usize, usize), TermUse>,
    /// How many occurrences were judged: the ordinal of the next.
    judged: usize,
}

/// One term's use in a document.
#[derive(Debug, Clone)]
struct TermUse {
    term: usize,
    /// Occurrences of it.
    count: usize,
    /// Ordinal of the first, among the occurrences judged.
    first: usize,
    /// The first, with its context where findings have one.
    at: Occurrence,
    /// The first that stands on a line holding Arabic letters (asked of
    /// acronyms only: see [`Occurrence::in_arabic`]), with its ordinal.
    in_arabic: Option<(usize, Occurrence)>,
}

impl Tally {
    /// Tallies `piece`, the next occurrences judged; `context(k)`, the
    /// context of the piece's `k`-th, is asked only of a term's first use.
    fn record(&mut self, glossary: &Glossary, piece: &[&Occurrence], context: &dyn Fn(usize) -> Option<Context>) {
        let base = self.judged;
        for (k, &o) in piece.iter().enumerate() {
            let index = base + k;
            let with_context = || {
                let mut at = o.clone();
                if let Some(context) = context(k) {
                    at.context = context;
                }
                at
            };
            let found = self.uses.entry((o.concept, o.term)).or_insert_with(|| TermUse {
                term: o.term,
                count: 0,
                first: index,
                at: with_context(),
                in_arabic: None,
            });
            found.count += 1;
            // The glossary is looked at last: with a large one, reaching a
            // term is two cache misses, and `in_arabic` is rarely true.
            if o.in_arabic && found.in_arabic.is_none() && glossary.concepts[o.concept].terms[o.term].role == TermRole::Acronym {
                found.in_arabic = Some((index, with_context()));
            }
        }
        self.judged += piece.len();
    }

    /// Adds the tally of the occurrences judged next, tallied apart.
    pub fn append(&mut self, later: Tally) {
        let base = self.judged;
        self.judged += later.judged;
        for (key, mut use_) in later.uses {
            use_.first += base;
            if let Some((index, _)) = &mut use_.in_arabic {
                *index += base;
            }
            match self.uses.entry(key) {
                std::collections::hash_map::Entry::Occupied(mut known) => {
                    let known = known.get_mut();
                    known.count += use_.count;
                    if known.in_arabic.is_none() {
                        known.in_arabic = use_.in_arabic;
                    }
                }
                std::collections::hash_map::Entry::Vacant(room) => {
                    room.insert(use_);
                }
            }
        }
    }

    /// Each concept used, in glossary order, with its terms used in order of
    /// first appearance.
    fn by_concept(self) -> Vec<(usize, Vec<TermUse>)> {
        let mut uses: Vec<((usize, usize), TermUse)> = self.uses.into_iter().collect();
        uses.sort_unstable_by_key(|((concept, _), use_)| (*concept, use_.first));
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

/// Judges one document as its occurrences are found, without keeping them:
/// each piece of occurrences in text order ([`Judge::each`]), each
/// translation unit ([`Judge::unit`]), then the concepts of the whole
/// document from the [`Tally`] of the pieces ([`Judge::whole`]). Sorted by
/// place, the findings are those [`judge_document`] makes of the
/// occurrences all at once.
pub struct Judge<'a> {
    maker: FindingMaker<'a>,
}

impl<'a> Judge<'a> {
    /// A judge for the document at `path`.
    pub fn new(glossary: &'a Glossary, path: &'a str, judging: Judging<'a>) -> Judge<'a> {
        Judge { maker: FindingMaker { glossary, path, judging } }
    }

    /// The findings each occurrence of `piece` makes on its own, the piece
    /// being the occurrences judged after those `tally` holds, in text order
    /// (none silenced, none a homonym), which `tally` then holds too. A
    /// finding at the piece's `k`-th occurrence, and a term first used
    /// there, takes `context(k)` when it gives one (else the occurrence's
    /// own).
    pub fn each(&self, piece: &[&Occurrence], tally: &mut Tally, context: &dyn Fn(usize) -> Option<Context>) -> Vec<Finding> {
        let findings = self.maker.of_each(piece, context);
        tally.record(self.maker.glossary, piece, context);
        findings
    }

    /// The findings about a translation unit (a missing or unexpected
    /// rendering): `target` is every occurrence in it, homonyms and those a
    /// pragma silences included; a finding at `target[k]` takes
    /// `context(k)` when it gives one.
    pub fn unit(&self, pair: &UnitPair, target: &[Occurrence], context: &dyn Fn(usize) -> Option<Context>) -> Vec<Finding> {
        let maker = &self.maker;
        let glossary = maker.glossary;
        let mut findings = Vec::new();
        let live = |o: &Occurrence| glossary.concepts[o.concept].terms[o.term].role == TermRole::Arabic;
        for (concept, english) in &pair.source_concepts {
            if target.iter().any(|o| o.concept == *concept && live(o)) {
                continue;
            }
            let c = &glossary.concepts[*concept];
            let at = Occurrence { concept: *concept, ..pair.anchor.clone() };
            findings.extend(maker.make(
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
            ));
        }
        let mut reported = Vec::new();
        for (k, o) in target.iter().enumerate().filter(|(_, o)| live(o)) {
            if pair.source_concepts.iter().any(|(c, _)| *c == o.concept) || reported.contains(&o.concept) {
                continue;
            }
            reported.push(o.concept);
            let c = &glossary.concepts[o.concept];
            let made = maker.make(Rule::UnexpectedRendering, o, None, &mut || {
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
            }, Vec::new());
            findings.extend(made.map(|mut finding| {
                if maker.judging.with_messages {
                    if let Some(context) = context(k) {
                        finding.at.context = context;
                    }
                }
                finding
            }));
        }
        findings
    }

    /// The findings about a concept in the whole document (mixed
    /// renderings, a bare acronym), from the tally of every occurrence
    /// judged; unsorted.
    pub fn whole(&self, tally: Tally) -> Vec<Finding> {
        let maker = &self.maker;
        let glossary = maker.glossary;
        let mut findings = Vec::new();
        // Per concept, in glossary order: the Arabic renderings used, and
        // acronyms used bare.
        for (c, terms) in tally.by_concept() {
            let concept = &glossary.concepts[c];
            let role = |t: &TermUse| concept.terms[t.term].role;
            if !terms.iter().any(|t| role(t) == TermRole::Arabic) {
                let acronyms = terms.iter().filter(|t| role(t) == TermRole::Acronym);
                let count: usize = acronyms.clone().map(|t| t.count).sum();
                if let Some((_, first)) = acronyms.filter_map(|t| t.in_arabic.as_ref()).min_by_key(|(index, _)| *index) {
                    let times = if count == 1 { "once".to_string() } else { format!("{count} times") };
                    findings.extend(maker.make(
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
                    ));
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
                    (t.first, RenderingCount { form: term.text.clone(), status: term.status, count: t.count, first_line: t.at.line }, &t.at)
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
            findings.extend(maker.make(
                Rule::MixedRenderings,
                at,
                Some(suggestion_for(at, concept.preferred())),
                &mut || format!("{} is rendered {} ways in this document: {}.", display_name(concept), renderings.len(), list().join(", ")),
                renderings.clone(),
            ));
        }
        findings
    }
}

/// Judges the occurrences of one document (in text order) all at once;
/// `silenced[i]` leaves occurrence `i` out (a pragma); `pairs` are its
/// translation units. With `judging.parallel`, a document of many
/// occurrences is judged in pieces at once. (A run judges as it finds, with
/// a [`Judge`].)
pub fn judge_document(
    glossary: &Glossary,
    path: &str,
    all: &[Occurrence],
    silenced: &[bool],
    pairs: &[UnitPair],
    judging: Judging<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    judge_all(glossary, path, all, silenced, pairs, judging, &mut |mut made| findings.append(&mut made));
    findings.sort_by_key(|f| (f.at.byte_start, f.rule));
    findings
}

/// The findings [`judge_document`] makes, per severity in
/// [`Severity::ALL`] order, counting only those `keep` keeps.
pub fn count_findings(
    glossary: &Glossary,
    path: &str,
    all: &[Occurrence],
    silenced: &[bool],
    pairs: &[UnitPair],
    judging: Judging<'_>,
    keep: &(dyn Fn(&Finding) -> bool + Sync),
) -> [usize; 4] {
    let mut counts = [0; 4];
    judge_all(glossary, path, all, silenced, pairs, judging, &mut |made| {
        for finding in made.iter().filter(|f| keep(f)) {
            counts[finding.severity.index()] += 1;
        }
    });
    counts
}

/// Every finding of a document's occurrences, handed to `take` a batch at
/// a time, unsorted.
fn judge_all(
    glossary: &Glossary,
    path: &str,
    all: &[Occurrence],
    silenced: &[bool],
    pairs: &[UnitPair],
    judging: Judging<'_>,
    take: &mut dyn FnMut(Vec<Finding>),
) {
    let occurrences: Vec<&Occurrence> =
        all.iter().zip(silenced.iter().chain(std::iter::repeat(&false))).filter(|(o, s)| !**s && !o.homonym).map(|(o, _)| o).collect();
    let judge = Judge::new(glossary, path, judging);
    let own = |_: usize| None;
    let mut tally = Tally::default();
    if judging.parallel && occurrences.len() >= 2 * JUDGING_PIECE {
        use rayon::prelude::*;
        let pieces: Vec<(Vec<Finding>, Tally)> = occurrences
            .par_chunks(JUDGING_PIECE)
            .map(|piece| {
                let mut tally = Tally::default();
                (judge.each(piece, &mut tally, &own), tally)
            })
            .collect();
        for (findings, piece_tally) in pieces {
            take(findings);
            tally.append(piece_tally);
        }
    } else {
        take(judge.each(&occurrences, &mut tally, &own));
    }
    for pair in pairs {
        take(judge.unit(pair, &all[pair.occurrences.clone()], &own));
    }
    take(judge.whole(tally));
}

/// What a document attests of each Arabic rendering: how often it uses
/// it, its first use, and its plainest (the first written as the form is,
/// else the first with clitics read, else the first): what the
/// consistency report and `qamus glossary` take of a document, tallied as
/// its occurrences are found rather than kept. A homonym renders no
/// concept and is not counted; neither is what a pragma or a configured
/// ignore keeps out of a comparison across sources.
#[derive(Debug, Clone, Default)]
pub struct Uses {
    /// By (concept, term).
    terms: rustc_hash::FxHashMap<(usize, usize), TermUses>,
}

/// A document's uses of one rendering (see [`Uses`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermUses {
    /// Index of the concept in the glossary.
    pub concept: usize,
    /// Index of the term in the concept.
    pub term: usize,
    /// Occurrences.
    pub count: usize,
    /// The first, with its context.
    pub first: Occurrence,
    /// The plainest, with its context, when it is not the first.
    pub plainest: Option<Occurrence>,
}

impl TermUses {
    /// The plainest occurrence (see [`Uses`]).
    pub fn example(&self) -> &Occurrence {
        self.plainest.as_ref().unwrap_or(&self.first)
    }
}

/// How plain an occurrence is, as an example of its form: 0 written as the
/// form is, 1 with clitics read, 2 otherwise (inflected, a construct).
pub fn plainness(kind: MatchKind) -> u8 {
    match kind {
        MatchKind::Exact => 0,
        MatchKind::Clitic => 1,
        _ => 2,
    }
}

impl Uses {
    /// Counts `o`, a rendering's occurrence after those counted already;
    /// `context` gives its context when it is kept (the first use, or a
    /// plainer one) and it has none of its own.
    pub fn add(&mut self, o: &Occurrence, context: impl Fn() -> Option<Context>) {
        let with_context = || {
            let mut kept = o.clone();
            if let Some(context) = context() {
                kept.context = context;
            }
            kept
        };
        match self.terms.entry((o.concept, o.term)) {
            std::collections::hash_map::Entry::Occupied(mut known) => {
                let known = known.get_mut();
                known.count += 1;
                if plainness(o.kind) < plainness(known.example().kind) {
                    known.plainest = Some(with_context());
                }
            }
            std::collections::hash_map::Entry::Vacant(room) => {
                room.insert(TermUses { concept: o.concept, term: o.term, count: 1, first: with_context(), plainest: None });
            }
        }
    }

    /// Adds the uses counted apart of the occurrences after these.
    pub fn append(&mut self, later: Uses) {
        for (key, later) in later.terms {
            match self.terms.entry(key) {
                std::collections::hash_map::Entry::Occupied(mut known) => {
                    let known = known.get_mut();
                    known.count += later.count;
                    if plainness(later.example().kind) < plainness(known.example().kind) {
                        known.plainest = Some(later.example().clone());
                    }
                }
                std::collections::hash_map::Entry::Vacant(room) => {
                    room.insert(later);
                }
            }
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The renderings used, by concept and term in glossary order.
    pub fn into_sorted(self) -> Vec<TermUses> {
        let mut terms: Vec<TermUses> = self.terms.into_values().collect();
        terms.sort_unstable_by_key(|t| (t.concept, t.term));
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_holds_every_rule_in_its_place_and_the_readme_its_table() {
        for (i, info) in RULES.iter().enumerate() {
            assert_eq!(info.rule as usize, i, "{} out of place", info.id);
            assert_eq!(Rule::ALL[i], info.rule);
            assert_eq!(info.id.parse::<Rule>(), Ok(info.rule));
        }
        // A rule offers a fix exactly when its findings carry a replacement.
        let fixable: Vec<Rule> = RULES.iter().filter(|i| i.fix).map(|i| i.rule).collect();
        assert_eq!(fixable, [Rule::ForbiddenRendering, Rule::DeprecatedRendering, Rule::OrthographicVariant]);
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        assert!(
            readme.contains(&rules_table()),
            "the README's table of rules is not the registry's: `qamus rules --format markdown` writes it"
        );
    }

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
