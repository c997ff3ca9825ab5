//! The cross-source consistency report's data: for each concept, which
//! sources say it which way, and who is out of line. Built from each
//! document's occurrences and findings as the run hands them on (counts and
//! first occurrences, not every occurrence), then rendered as Markdown, HTML
//! or JSON by the printers beside this module.
//!
//! This module owns the `cross-source` rule, the grouping of files into
//! sources, and the matrix; it prints nothing.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use regex::Regex;
use serde::Serialize;

use crate::check::DocumentResult;
use crate::glossary::attested::{Attested, Example, Row};
use crate::glossary::{Glossary, Status};
use crate::input::Format;
use crate::judge::{display_name, plainness, Finding, Occurrence, Rule, Severities, Severity, TermUses};

/// How files are grouped into sources.
#[derive(Debug, Clone)]
pub enum SourceBy {
    /// Each file is a source.
    File,
    /// Files are grouped by their folder.
    Dir,
    /// Files are grouped by a capture of a pattern on their path (the first
    /// group, or the whole match); files it does not match are their own source.
    Pattern(Regex),
}

impl SourceBy {
    /// Parses `file`, `dir`, or a regular expression.
    pub fn parse(spec: &str) -> Result<SourceBy, String> {
        match spec {
            "file" => Ok(SourceBy::File),
            "dir" => Ok(SourceBy::Dir),
            pattern => Regex::new(pattern).map(SourceBy::Pattern).map_err(|e| format!("--source-by: bad pattern {pattern:?}: {e}")),
        }
    }

    /// The source a path belongs to.
    pub fn source(&self, path: &str) -> String {
        match self {
            SourceBy::File => path.to_string(),
            SourceBy::Dir => match path.rfind('/') {
                Some(i) => path[..i].to_string(),
                None => ".".to_string(),
            },
            SourceBy::Pattern(re) => re
                .captures(path)
                .and_then(|c| c.get(1).or_else(|| c.get(0)))
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| path.to_string()),
        }
    }
}

/// One use of a form in a source: how often, and where first.
#[derive(Debug, Clone)]
struct Use {
    count: usize,
    first_path: String,
    /// The record `first_path` is, in a corpus.
    first_record: Option<usize>,
    first: Occurrence,
}

/// Counts a document's uses of each rendering (see [`crate::judge::Uses`])
/// in the attested glossary.
pub fn attest(attested: &mut Attested, path: &str, uses: &[TermUses]) {
    attested.add_document();
    for uses in uses {
        let example = uses.example();
        attested.add_uses(path, (uses.concept, uses.term), uses.count, plainness(example.kind), || {
            let surface = example.surface.replace(['\n', '\r'], " ");
            Example {
                text: format!("{}⟦{surface}⟧{}", example.context.before, example.context.after),
                path: path.to_string(),
                line: example.line,
            }
        });
    }
}

/// The rules whose findings the report lists as inconsistencies; the
/// others it only counts (a run for the report need not keep them:
/// [`crate::check::CheckOptions::listed_rules`]).
pub const LISTED: [Rule; 5] =
    [Rule::CrossSource, Rule::MixedRenderings, Rule::ForbiddenRendering, Rule::DeprecatedRendering, Rule::MissingRendering];

/// Collects what the report needs, document by document.
pub struct Collector<'a> {
    glossary: &'a Glossary,
    source_by: SourceBy,
    severities: Severities,
    /// Source → (files, words).
    sources: IndexMap<String, (usize, usize)>,
    /// (concept, source index) → term → use.
    cells: BTreeMap<(usize, usize), BTreeMap<usize, Use>>,
    findings: Vec<Finding>,
    /// Findings counted, not listed (see [`LISTED`]), per severity.
    counted: [usize; 4],
    attested: Attested,
    files: usize,
    words: usize,
    left_out: Vec<LeftOut>,
}

impl<'a> Collector<'a> {
    /// An empty collector.
    pub fn new(glossary: &'a Glossary, source_by: SourceBy, severities: Severities) -> Self {
        Collector {
            glossary,
            source_by,
            severities,
            sources: IndexMap::new(),
            cells: BTreeMap::new(),
            findings: Vec::new(),
            counted: [0; 4],
            attested: Attested::new(glossary),
            files: 0,
            words: 0,
            left_out: Vec::new(),
        }
    }

    /// Takes in one document (its occurrences must have been kept), unless
    /// it is no Arabic target (see [`LeftOut`]): then it is only listed.
    pub fn add(&mut self, document: &mut DocumentResult) {
        if let Some(left) = LeftOut::of(document) {
            self.left_out.push(left);
            return;
        }
        self.files += 1;
        self.words += document.words;
        // A corpus file is one source, whatever its number of records.
        let source = self.source_by.source(document.file());
        let entry = self.sources.entry(source.clone()).or_insert((0, 0));
        entry.0 += 1;
        entry.1 += document.words;
        let index = self.sources.get_index_of(&source).unwrap_or(0);
        // Homonyms and what a pragma or a configured ignore silences are
        // not in a document's uses, as `check` leaves them out.
        for uses in &document.uses {
            let cell = self.cells.entry((uses.concept, index)).or_default();
            cell.entry(uses.term).and_modify(|u| u.count += uses.count).or_insert_with(|| Use {
                count: uses.count,
                first_path: document.path.clone(),
                first_record: document.record,
                first: uses.first.clone(),
            });
        }
        attest(&mut self.attested, &document.path, &document.uses);
        self.findings.append(&mut document.findings);
        for (total, count) in self.counted.iter_mut().zip(document.finding_counts) {
            *total += count;
        }
    }

    /// The report, with the `cross-source` findings.
    pub fn finish(mut self, generated: String) -> ReportData {
        // Sources in a stable order: by name.
        let mut order: Vec<usize> = (0..self.sources.len()).collect();
        order.sort_by(|a, b| self.sources.get_index(*a).map(|s| s.0).cmp(&self.sources.get_index(*b).map(|s| s.0)));
        let column_of: Vec<usize> = {
            let mut column = vec![0; order.len()];
            for (c, &i) in order.iter().enumerate() {
                column[i] = c;
            }
            column
        };
        let glossary = self.glossary;
        let mut matrix = Vec::new();
        let mut cross = Vec::new();
        for (c, concept) in glossary.concepts.iter().enumerate() {
            let uses: Vec<(usize, &BTreeMap<usize, Use>)> = self.cells.range((c, 0)..(c + 1, 0)).map(|((_, s), u)| (*s, u)).collect();
            if uses.is_empty() {
                continue;
            }
            // The dominant form across sources: most sources, then most
            // occurrences; among the acceptable forms only (preferred or
            // admitted), the preferred form when none is used. A deprecated or
            // forbidden form is never the reference: when one is the most
            // used, the row says so.
            let mut by_term: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
            for (_, cell) in &uses {
                for (term, u) in cell.iter() {
                    let e = by_term.entry(*term).or_default();
                    e.0 += 1;
                    e.1 += u.count;
                }
            }
            let acceptable = |t: usize| matches!(concept.terms[t].status, Status::Preferred | Status::Admitted);
            let most = |acceptable_only: bool| {
                by_term
                    .iter()
                    .filter(|(t, _)| !acceptable_only || acceptable(**t))
                    .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(a.1 .1.cmp(&b.1 .1)).then(b.0.cmp(a.0)))
                    .map(|(t, u)| (*t, *u))
            };
            let dominant = most(true).map(|(t, _)| t).unwrap_or(0);
            let most_used = most(false).filter(|(t, _)| !acceptable(*t)).map(|(t, (sources, count))| MostUsed {
                form: concept.terms[t].text.clone(),
                status: concept.terms[t].status.as_str(),
                sources,
                count,
            });
            let mut cells = vec![Vec::new(); order.len()];
            for (source, cell) in &uses {
                let mut entries: Vec<CellEntry> = cell
                    .iter()
                    .map(|(term, u)| CellEntry {
                        form: concept.terms[*term].text.clone(),
                        status: concept.terms[*term].status.as_str(),
                        count: u.count,
                        differs: *term != dominant,
                        path: u.first_path.clone(),
                        line: u.first.line,
                    })
                    .collect();
                entries.sort_by_key(|e| std::cmp::Reverse(e.count));
                cells[column_of[*source]] = entries;
            }
            // cross-source: a form other than the dominant one.
            // Only where two sources or more name the concept: one source's own
            // mix is `mixed-renderings`.
            if uses.len() > 1 && by_term.len() > 1 {
                if let Some(level) = self.severities.get_for(Rule::CrossSource, &concept.id) {
                    let mut deviating: Vec<(&String, &Use)> = uses
                        .iter()
                        .flat_map(|(_, cell)| cell.iter().filter(|(t, _)| **t != dominant).map(|(_, u)| (&u.first_path, u)))
                        .collect();
                    deviating.sort_by(|a, b| (a.0, a.1.first.byte_start).cmp(&(b.0, b.1.first.byte_start)));
                    let forms: Vec<String> = by_term
                        .iter()
                        .map(|(t, (sources, count))| {
                            format!("«{}» in {sources} source{} ({count}×)", concept.terms[*t].text, if *sources == 1 { "" } else { "s" })
                        })
                        .collect();
                    let reference = match &most_used {
                        Some(m) => format!(
                            "the dominant acceptable rendering is «{}» («{}» is used more, but is {})",
                            concept.terms[dominant].text, m.form, m.status
                        ),
                        None => format!("the dominant rendering is «{}»", concept.terms[dominant].text),
                    };
                    if let Some((path, first)) = deviating.first() {
                        cross.push(Finding {
                            rule: Rule::CrossSource,
                            severity: level,
                            path: (*path).clone(),
                            record: first.first_record,
                            at: first.first.clone(),
                            suggestion: Some(crate::judge::suggestion_for(&first.first, &concept.terms[dominant].text)),
                            replacement: None,
                            message: format!(
                                "{} is rendered differently across sources: {}; {reference}.",
                                display_name(concept),
                                forms.join(", "),
                            ),
                            renderings: Vec::new(),
                        });
                    }
                }
            }
            matrix.push(MatrixRow {
                id: concept.id.clone(),
                label: concept.label().to_string(),
                en: concept.en.clone(),
                preferred: concept.preferred().to_string(),
                dominant: concept.terms[dominant].text.clone(),
                dominant_status: concept.terms[dominant].status.as_str(),
                most_used,
                cells,
            });
        }
        self.findings.extend(cross);
        // Worst first: severity, then the rule's order, then place.
        self.findings.sort_by(|a, b| {
            b.severity.cmp(&a.severity).then(a.rule.cmp(&b.rule)).then((&a.path, a.at.byte_start).cmp(&(&b.path, b.at.byte_start)))
        });
        let issues = self
            .findings
            .iter()
            .filter(|f| LISTED.contains(&f.rule))
            .map(|f| {
                let concept = &glossary.concepts[f.at.concept];
                Issue {
                    rule: f.rule.id(),
                    severity: f.severity.as_str(),
                    concept: concept.id.clone(),
                    label: concept.label().to_string(),
                    message: f.message.clone(),
                    path: f.path.clone(),
                    line: f.at.line,
                    column: f.at.column,
                    surface: f.at.surface.clone(),
                    before: f.at.context.before.clone(),
                    after: f.at.context.after.clone(),
                }
            })
            .collect();
        let mut counts = BTreeMap::new();
        for s in Severity::ALL {
            counts.insert(s.as_str(), self.findings.iter().filter(|f| f.severity == s).count() + self.counted[s.index()]);
        }
        let rows: Vec<Row> = self.attested.rows(glossary, false);
        let details = rows
            .iter()
            .map(|r| Detail {
                id: r.id.to_string(),
                label: glossary.concepts.iter().find(|c| c.id == r.id).map(|c| c.label().to_string()).unwrap_or_default(),
                en: r.en.to_string(),
                preferred: r.preferred.to_string(),
                note: r.note.map(str::to_string),
                renderings: r
                    .renderings
                    .iter()
                    .map(|x| DetailRendering {
                        form: x.form.to_string(),
                        status: x.status,
                        count: x.count,
                        sources: x.sources,
                        example: x.example.map(|e| e.text.clone()),
                        path: x.example.map(|e| e.path.clone()),
                        line: x.example.map(|e| e.line),
                    })
                    .collect(),
            })
            .collect();
        let seen: Vec<&String> = matrix.iter().map(|m| &m.id).collect();
        let unseen = glossary
            .concepts
            .iter()
            .filter(|c| !seen.contains(&&c.id))
            .map(|c| Unseen { id: c.id.clone(), label: c.label().to_string() })
            .collect();
        ReportData {
            generated,
            qamus: env!("CARGO_PKG_VERSION"),
            glossary: GlossaryInfo { names: glossary.names.clone(), concepts: glossary.concepts.len() },
            corpus: Corpus { files: self.files, sources: self.sources.len(), words: self.words },
            counts,
            sources: order
                .iter()
                .map(|&i| {
                    let (name, (files, words)) = self.sources.get_index(i).map(|(n, v)| (n.clone(), *v)).unwrap_or_default();
                    Source { name, files, words }
                })
                .collect(),
            matrix,
            inconsistencies: issues,
            details,
            unseen,
            left_out: self.left_out,
            summarised: None,
        }
    }
}

/// Everything a report shows; the JSON format is this, serialized.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// When it was made (UTC; `SOURCE_DATE_EPOCH` when set).
    pub generated: String,
    /// The qamus version.
    pub qamus: &'static str,
    /// The glossary.
    pub glossary: GlossaryInfo,
    /// The corpus.
    pub corpus: Corpus,
    /// Findings per severity.
    pub counts: BTreeMap<&'static str, usize>,
    /// The sources, in column order.
    pub sources: Vec<Source>,
    /// The concept × source matrix.
    pub matrix: Vec<MatrixRow>,
    /// Inconsistencies, worst first.
    pub inconsistencies: Vec<Issue>,
    /// Per-concept detail.
    pub details: Vec<Detail>,
    /// Concepts of the glossary never seen.
    pub unseen: Vec<Unseen>,
    /// Documents read but made no source: no Arabic targets.
    pub left_out: Vec<LeftOut>,
    /// Set when a printer had to leave parts out to fit, saying what.
    pub summarised: Option<String>,
}

/// The header's facts as words, for every printer to set in its markup.
#[derive(Debug, Clone)]
pub struct HeaderText {
    /// `3 files, 3 sources, 195 words`.
    pub corpus: String,
    /// `glossaries/…csv (46 concepts)`.
    pub glossary: String,
    /// `1 error`.
    pub errors: String,
    /// `3 warnings`.
    pub warnings: String,
    /// `2 info, 2 notes`.
    pub rest: String,
    /// `made 2026-… UTC with qamus 0.1.0`.
    pub made: String,
}

impl ReportData {
    /// The header's facts as words.
    pub fn header(&self) -> HeaderText {
        let count = |k: &str| self.counts.get(k).copied().unwrap_or(0);
        HeaderText {
            corpus: format!(
                "{}, {}, {}",
                plural(self.corpus.files, "file"),
                plural(self.corpus.sources, "source"),
                plural(self.corpus.words, "word")
            ),
            glossary: format!("{} ({})", self.glossary.names.join(", "), plural(self.glossary.concepts, "concept")),
            errors: plural(count("error"), "error"),
            warnings: plural(count("warning"), "warning"),
            rest: format!("{} info, {}", count("info"), plural(count("note"), "note")),
            made: format!("made {} with qamus {}", self.generated, self.qamus),
        }
    }
}

pub use crate::words::plural;

/// The glossary in the header.
#[derive(Debug, Clone, Serialize)]
pub struct GlossaryInfo {
    /// Its files.
    pub names: Vec<String>,
    /// Its concepts.
    pub concepts: usize,
}

/// The corpus in the header.
#[derive(Debug, Clone, Serialize)]
pub struct Corpus {
    /// Files read.
    pub files: usize,
    /// Sources they form.
    pub sources: usize,
    /// Words (runs of non-space).
    pub words: usize,
}

/// One source (a column).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Source {
    /// Its name.
    pub name: String,
    /// Its files.
    pub files: usize,
    /// Its words.
    pub words: usize,
}

/// One row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// Concept id.
    pub id: String,
    /// Acronym or English name.
    pub label: String,
    /// English name.
    pub en: String,
    /// Preferred Arabic.
    pub preferred: String,
    /// The dominant rendering across sources: the acceptable form (preferred
    /// or admitted) in most sources, then with most occurrences; the
    /// preferred form when none is used.
    pub dominant: String,
    /// Its status.
    pub dominant_status: &'static str,
    /// The form in most sources (then with most occurrences) when it is a
    /// deprecated or forbidden one, which is never the dominant rendering.
    pub most_used: Option<MostUsed>,
    /// Per source (in column order): the renderings used, most used first.
    pub cells: Vec<Vec<CellEntry>>,
}

/// A deprecated or forbidden form used more than any acceptable one.
#[derive(Debug, Clone, Serialize)]
pub struct MostUsed {
    /// The glossary form.
    pub form: String,
    /// Its status.
    pub status: &'static str,
    /// Sources that use it.
    pub sources: usize,
    /// Its occurrences in them all.
    pub count: usize,
}

/// One rendering in a cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellEntry {
    /// The glossary form.
    pub form: String,
    /// Its status.
    pub status: &'static str,
    /// Occurrences in the source.
    pub count: usize,
    /// Whether it is not the dominant rendering.
    pub differs: bool,
    /// Its first occurrence in the source.
    pub path: String,
    /// Line of that occurrence.
    pub line: usize,
}

/// One inconsistency.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// Rule id.
    pub rule: &'static str,
    /// Severity.
    pub severity: &'static str,
    /// Concept id.
    pub concept: String,
    /// Acronym or English name.
    pub label: String,
    /// The message.
    pub message: String,
    /// Where.
    pub path: String,
    /// Line.
    pub line: usize,
    /// Column.
    pub column: usize,
    /// The text there.
    pub surface: String,
    /// Words before.
    pub before: String,
    /// Words after.
    pub after: String,
}

/// Per-concept detail.
#[derive(Debug, Clone, Serialize)]
pub struct Detail {
    /// Concept id.
    pub id: String,
    /// Acronym or English name.
    pub label: String,
    /// English name.
    pub en: String,
    /// Preferred Arabic.
    pub preferred: String,
    /// The glossary's note.
    pub note: Option<String>,
    /// Every rendering.
    pub renderings: Vec<DetailRendering>,
}

/// One rendering in the detail.
#[derive(Debug, Clone, Serialize)]
pub struct DetailRendering {
    /// The form.
    pub form: String,
    /// Its status.
    pub status: &'static str,
    /// Occurrences.
    pub count: usize,
    /// Sources (files).
    pub sources: usize,
    /// An example in context, the surface marked.
    pub example: Option<String>,
    /// Its file.
    pub path: Option<String>,
    /// Its line.
    pub line: Option<usize>,
}

/// A document the report makes no source (no column) of, because it is no
/// Arabic target:
/// - `locale`: its name gives a language other than Arabic, as the walk
///   reads it ([`Format::named_language`]: `en.json`,
///   `locales/en/common.json`, `en.yml`, `fr.po`, `messages.de.xlf`), and
///   no Arabic rendering of a glossary term is in it — the English source
///   of a catalogue named on the command line, or another language's
///   translation. (A walk never picks these up; naming one does.) One that
///   does hold Arabic renderings stays a source.
/// - `no-arabic`: not one Arabic letter is in its text (an English README
///   or page beside the Arabic ones).
///
/// It is left out of everything the report counts (files, words, the
/// matrix, the detail, the findings), listed under the matrix and told on
/// standard error.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOut {
    /// The document.
    pub path: String,
    /// `locale` or `no-arabic`.
    pub reason: &'static str,
    /// For `locale`, the language its name gives.
    pub language: Option<String>,
}

impl LeftOut {
    /// Why `document` is no source, if it is none.
    pub fn of(document: &DocumentResult) -> Option<LeftOut> {
        let named = Format::named_language(Path::new(&document.path)).filter(|language| *language != "ar");
        if let Some(language) = named {
            if !document.renders {
                return Some(LeftOut { path: document.path.clone(), reason: "locale", language: Some(language.to_string()) });
            }
        }
        (!document.arabic).then(|| LeftOut { path: document.path.clone(), reason: "no-arabic", language: None })
    }

    /// Why, in words: `named for the locale en, with no Arabic rendering`.
    pub fn why(&self) -> String {
        match &self.language {
            Some(language) => format!("named for the locale {language}, with no Arabic rendering"),
            None => "no Arabic text".to_string(),
        }
    }
}

/// A concept never seen.
#[derive(Debug, Clone, Serialize)]
pub struct Unseen {
    /// Concept id.
    pub id: String,
    /// Acronym or English name.
    pub label: String,
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM UTC`.
pub fn format_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", rest / 3600, rest % 3600 / 60)
}

/// Whether a status is one a reader should act on.
pub fn is_bad(status: &str) -> bool {
    status == Status::Deprecated.as_str() || status == Status::Forbidden.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_by_file_dir_and_pattern() {
        assert_eq!(SourceBy::File.source("news/alpha/a.txt"), "news/alpha/a.txt");
        assert_eq!(SourceBy::Dir.source("news/alpha/a.txt"), "news/alpha");
        assert_eq!(SourceBy::Dir.source("a.txt"), ".");
        let by = SourceBy::parse(r"news/([^/]+)/").unwrap();
        assert_eq!(by.source("news/alpha/a.txt"), "alpha");
        assert_eq!(by.source("other/b.txt"), "other/b.txt");
        assert!(SourceBy::parse("(").is_err());
    }

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1785398400), "2026-07-30 08:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
    }
}
