//! The `check` pipeline: inputs → documents → pragmas and units → matches
//! → located occurrences → findings → configured ignores, for every file.
//! Files are checked in parallel, a bounded window of them at once, and
//! handed on in input order, so output is the same whatever the number of
//! jobs, and a printer can stream each document as soon as it and those
//! before it are done. Read errors are collected beside the
//! results and the run goes on. Within a document, each unit (and each
//! chunk of a large one) is matched, placed, judged and tallied before
//! the next is let go of: memory grows with a document's
//! findings, not its matches, unless the output lists every occurrence.
//!
//! This module owns the order of the steps and turning unit offsets into file
//! positions; each step's rules live in its own module.

mod pass;
mod window;

pub use pass::{chunk_cuts, find_in_chunks, Detail, Site, CHUNK_BYTES};
use pass::{Pass, Piece};

use std::path::{Path, PathBuf};

use crate::config::IgnoreRule;
use crate::error::{Error, ErrorKind};
use crate::glossary::Glossary;
use crate::input::walk::{self, Input, WalkOptions};
use crate::input::{pragmas, Document, Encoding, Format, LineIndex, ReadOptions, Unit};
use crate::judge::{Finding, Judge, Judging, Occurrence, Rule, Severities, TermUses};
use crate::matcher::english::EnglishMatcher;
use crate::matcher::{Match, Matcher};

/// What a run is asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// How to walk directories.
    pub walk: WalkOptions,
    /// The encoding of files without a byte-order mark (UTF-8 when `None`).
    pub encoding: Option<Encoding>,
    /// Rule severities.
    pub severities: Severities,
    /// Files checked at once (0: all cores).
    pub jobs: usize,
    /// Configured ignores, with the directory their globs are relative to.
    pub ignores: Vec<IgnoreRule>,
    /// The directory `ignores` globs are relative to (made absolute).
    pub ignore_root: Option<PathBuf>,
    /// Keep every occurrence in the outcome (the JSON report needs them).
    pub keep_occurrences: bool,
    /// Tally each document's uses of the glossary's renderings
    /// ([`DocumentResult::uses`]), for the consistency report and `qamus
    /// glossary`, which need no occurrence kept.
    pub tally_uses: bool,
    /// Drop each document's findings once it has been handed on (to the
    /// printer that streams them), keeping only their counts, so that memory
    /// does not grow with the corpus.
    pub drop_findings: bool,
    /// Only the number of findings is wanted (`--count` without a
    /// baseline, which matches findings by their context): occurrences are
    /// found without their surface, findings made bare — their rule,
    /// severity, concept and place, with no path, suggestion, message,
    /// replacement, context or written clitics.
    /// [`CheckOptions::keep_occurrences`] wins over it; with
    /// [`CheckOptions::tally_uses`], occurrences are placed and their
    /// surfaces written, for the uses, and findings still made bare.
    pub counts_only: bool,
    /// Only findings of these rules are listed ([`DocumentResult::findings`]);
    /// the others are counted ([`DocumentResult::finding_counts`]), not
    /// kept: `qamus report` lists some rules only. `None`: every rule.
    pub listed_rules: Option<Vec<Rule>>,
    /// How to read inputs.
    pub read: ReadOptions,
    /// The path standard input stands for (`--stdin-filename`): how it is
    /// named, which format it is read as (by its extension), which source
    /// file a locale file pairs with, and which ignores apply.
    pub stdin_path: Option<PathBuf>,
}

/// One checked document.
#[derive(Debug, Clone)]
pub struct DocumentResult {
    /// The path as shown (`FILE#LINE` for a record of a corpus).
    pub path: String,
    /// For a record of a corpus, the line of its file where it starts.
    pub record: Option<usize>,
    /// Number of occurrences found.
    pub match_count: usize,
    /// Words in its units (runs of non-space).
    pub words: usize,
    /// Whether its units hold an Arabic letter: a document with none is no
    /// Arabic text (an English README, an English locale file), and the
    /// report makes no source of it.
    pub arabic: bool,
    /// Every occurrence, in text order (empty unless asked to keep them).
    pub occurrences: Vec<Occurrence>,
    /// For each kept occurrence, whether what silences findings here keeps
    /// it out of a comparison across sources as well: a pragma covering its
    /// line and concept, or a configured ignore of its concept for every
    /// rule or for `cross-source`. Empty when nothing is silenced.
    pub silenced: Vec<bool>,
    /// Its uses of each Arabic rendering, by concept and term (empty
    /// unless [`CheckOptions::tally_uses`]).
    pub uses: Vec<TermUses>,
    /// Whether an occurrence in it renders a concept in Arabic (not a
    /// homonym; silenced or not), when [`CheckOptions::tally_uses`].
    pub renders: bool,
    /// Its findings, in text order (empty once dropped; see
    /// [`CheckOptions::drop_findings`]).
    pub findings: Vec<Finding>,
    /// Its findings per severity, in [`Severity::ALL`](crate::judge::Severity::ALL) order, that are not
    /// in `findings`: counted without being made ([`CheckOptions::counts_only`]), or dropped once the
    /// document was handed on ([`CheckOptions::drop_findings`]). See
    /// [`DocumentResult::severity_counts`] for them all.
    pub finding_counts: [usize; 4],
    /// Things worth telling the user (a pragma naming an unknown concept).
    pub notices: Vec<String>,
}

impl DocumentResult {
    /// All its findings per severity, in [`Severity::ALL`](crate::judge::Severity::ALL) order: those
    /// counted or dropped ([`DocumentResult::finding_counts`]) and those kept.
    pub fn severity_counts(&self) -> [usize; 4] {
        let mut counts = self.finding_counts;
        for finding in &self.findings {
            counts[finding.severity.index()] += 1;
        }
        counts
    }

    /// The file it is in, as shown: its path, without a record's `#LINE`.
    pub fn file(&self) -> &str {
        crate::input::corpus::file_of(&self.path, self.record)
    }
}

/// Everything a run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Documents read, in order; with [`CheckOptions::drop_findings`],
    /// none: each is counted in `let_go` once handed on, so that memory
    /// does not grow with the number of documents (a corpus of millions of
    /// records).
    pub documents: Vec<DocumentResult>,
    /// What the documents handed on and not kept in `documents` held.
    pub let_go: LetGo,
    /// Inputs that could not be read.
    pub errors: Vec<Error>,
    /// Inputs passed over, with the reason (binary files found by a walk,
    /// and kinds of document qamus does not read).
    pub skipped: Vec<String>,
}

/// The counts of documents let go of once handed on (see
/// [`Outcome::documents`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct LetGo {
    /// How many.
    pub documents: usize,
    /// How many of them were records of a corpus.
    pub records: usize,
    /// Their occurrences.
    pub match_count: usize,
    /// Their findings per severity, in [`Severity::ALL`](crate::judge::Severity::ALL) order.
    pub finding_counts: [usize; 4],
}

impl Outcome {
    /// Number of documents read (those let go of too).
    pub fn document_count(&self) -> usize {
        self.documents.len() + self.let_go.documents
    }

    /// Number of documents read that were records of a corpus.
    pub fn record_count(&self) -> usize {
        self.documents.iter().filter(|d| d.record.is_some()).count() + self.let_go.records
    }

    /// Number of occurrences in all documents.
    pub fn match_count(&self) -> usize {
        self.documents.iter().map(|d| d.match_count).sum::<usize>() + self.let_go.match_count
    }

    /// Findings per severity, in [`Severity::ALL`](crate::judge::Severity::ALL) order (dropped ones too).
    pub fn finding_counts(&self) -> [usize; 4] {
        let mut counts = self.let_go.finding_counts;
        for document in &self.documents {
            for (total, count) in counts.iter_mut().zip(document.severity_counts()) {
                *total += count;
            }
        }
        counts
    }

    /// Every finding kept, by document, then position.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.documents.iter().flat_map(|d| d.findings.iter())
    }
}

/// What happened to one input.
enum Processed {
    Checked(DocumentResult),
    Skipped(String),
    Failed(Error),
}

/// Checks every input named by `paths`. `walk_filter` decides which files a
/// directory walk picks up; `on_document` sees each document as it is done,
/// in input order; `progress` is told how many inputs are done of how many.
pub fn check_paths(
    glossary: &Glossary,
    matcher: &Matchers,
    paths: &[PathBuf],
    options: &CheckOptions,
    walk_filter: &(dyn Fn(&Path) -> bool + Sync),
    on_document: &mut dyn FnMut(&mut DocumentResult),
    progress: &mut dyn FnMut(usize, usize),
) -> Outcome {
    let mut outcome = Outcome::default();
    let jobs = if options.jobs == 0 { std::thread::available_parallelism().map_or(1, |n| n.get()) } else { options.jobs };
    // `total` is the number of inputs once the walk is over (while it goes
    // on, progress is told 0).
    let mut hand_on = |result: Processed, done: usize, total: Option<usize>| {
        match result {
            Processed::Checked(mut document) => {
                on_document(&mut document);
                if options.drop_findings {
                    let let_go = &mut outcome.let_go;
                    let_go.documents += 1;
                    let_go.records += usize::from(document.record.is_some());
                    let_go.match_count += document.match_count;
                    for (total, count) in let_go.finding_counts.iter_mut().zip(document.severity_counts()) {
                        *total += count;
                    }
                } else {
                    outcome.documents.push(document);
                }
            }
            Processed::Skipped(notice) => outcome.skipped.push(notice),
            Processed::Failed(e) => outcome.errors.push(e),
        }
        if done % PROGRESS_EVERY == 0 || Some(done) == total {
            progress(done, total.unwrap_or(0));
        }
    };
    let process = |input: Input| process(glossary, matcher, input, options);
    let corpus = options.read.corpus.as_ref().map(|corpus| crate::input::corpus::Reading {
        corpus,
        encoding: options.encoding,
        stdin_path: options.stdin_path.as_deref(),
    });
    // One job walks, then checks, on this thread: no pool (whose thread
    // would only start, reserve its heap and wait). Several use the
    // current pool when it has as many threads (the binary's), else one of
    // their own, and check files while the walk finds more.
    let own_pool = (jobs > 1 && rayon::current_num_threads() != jobs).then(|| crate::threads::pool(jobs).build());
    // With several jobs: the pool to check on (`None`: the current one).
    let several: Option<Option<&rayon::ThreadPool>> = match &own_pool {
        _ if jobs == 1 => None,
        None => Some(None),
        Some(Ok(pool)) => Some(Some(pool)),
        // No pool could be started: one job.
        Some(Err(_)) => None,
    };
    let walk_errors = match several {
        None if corpus.is_some() => {
            // Records carry their text: each is checked as it is read, and
            // handed on once the next is (so that the last is told to be
            // the last).
            let mut errors = Vec::new();
            let mut last: Option<Processed> = None;
            let mut done = 0;
            walk::each(
                paths,
                options.walk,
                walk_filter,
                corpus,
                &mut |input| {
                    if let Some(result) = last.replace(process(input)) {
                        done += 1;
                        hand_on(result, done, None);
                    }
                },
                &mut |e| errors.push(e),
            );
            if let Some(result) = last {
                hand_on(result, done + 1, Some(done + 1));
            }
            errors
        }
        None => {
            let (inputs, errors) = walk::inputs(paths, options.walk, walk_filter, None);
            let total = Some(inputs.len());
            inputs.into_iter().enumerate().for_each(|(i, input)| hand_on(process(input), i + 1, total));
            errors
        }
        Some(pool) => {
            let errors = std::sync::Mutex::new(Vec::new());
            let walk = |found: &mut dyn FnMut(Input)| {
                walk::each(paths, options.walk, walk_filter, corpus, found, &mut |e| {
                    errors.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(e)
                })
            };
            let window = window::Window {
                at_once: jobs * WINDOW_PER_JOB,
                queue_weight: QUEUE_BYTES,
                weight: Input::weight,
                wake_size: WAKE_WORDS,
                size: |result: &Processed| match result {
                    Processed::Checked(document) => document.words,
                    _ => 0,
                },
            };
            window::run_in_order(pool, &walk, window, &process, &mut hand_on);
            errors.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
        }
    };
    // Errors of the walk come first, as they were found before any file
    // was read.
    outcome.errors.splice(0..0, walk_errors);
    outcome
}

/// Files started and not yet handed on, per job. A started file waits as
/// a task until a thread is free and costs nothing until then; what the
/// results waiting to be handed on hold is bounded by this and, for large
/// files, by [`WAKE_WORDS`].
const WINDOW_PER_JOB: usize = 64;

/// The thread handing on is woken when the results done in order hold this
/// many words of text, if it is not woken sooner by half the window: a large
/// file's findings are handed on (printed, then dropped) as soon as it is
/// done, while small files are handed on in batches. Findings and
/// occurrences stand on words of text, so what the results waiting hold
/// grows with their words.
const WAKE_WORDS: usize = 1 << 20;

/// The walk waits while the inputs found and not yet checked hold this
/// much memory ([`Input::weight`]: a corpus's records, with their text;
/// a file costs nothing until it is read), so that a corpus is read no
/// faster than it is checked. One record larger than this is still let
/// through, alone.
const QUEUE_BYTES: usize = 16 << 20;

/// Progress is told after this many inputs (and after the last).
const PROGRESS_EVERY: usize = 16;

fn process(glossary: &Glossary, matcher: &Matchers, input: Input, options: &CheckOptions) -> Processed {
    // A kind of document qamus does not read, found by a walk: passed over
    // with a notice (named, it is an error).
    if let Input::File { path, explicit: false } = &input {
        if let Some((extension, _)) = Format::unread(path) {
            return Processed::Skipped(format!("{}: qamus does not read .{extension} files, skipped", walk::display(path)));
        }
    }
    let document = match &input {
        Input::Stdin => read_stdin(options.encoding, options.read.format, options.stdin_path.as_deref()),
        Input::File { path, .. } => {
            Document::read_with(path, &walk::display(path), options.encoding, options.read.format, options.jobs != 1)
        }
        Input::Record(_) => return process_record(glossary, matcher, input, options),
    };
    match document {
        Ok(document) => {
            let path = match &input {
                Input::File { path, .. } => Some(path.as_path()),
                Input::Stdin | Input::Record(_) => options.stdin_path.as_deref(),
            };
            match check_document(glossary, matcher, &document, path, options) {
                Ok(result) => Processed::Checked(result),
                Err(e) => Processed::Failed(e),
            }
        }
        Err(e) if matches!(e.kind, ErrorKind::Binary { .. }) && matches!(input, Input::File { explicit: false, .. }) => {
            Processed::Skipped(format!("{}: binary file, skipped", e.path.as_deref().unwrap_or("?")))
        }
        Err(e) => Processed::Failed(e),
    }
}

/// Checks a record of a corpus as a plain-text document named `FILE#LINE`,
/// its positions in its text; the configured ignores are those of its file.
fn process_record(glossary: &Glossary, matcher: &Matchers, input: Input, options: &CheckOptions) -> Processed {
    let Input::Record(record) = input else { unreachable!("process_record takes records") };
    let name = record.name();
    let crate::input::corpus::Record { file, line, text } = record;
    let document =
        Document { path: name, text: std::sync::Arc::new(text.into()), byte_offset: 0, format: Format::Text, comments: Vec::new() };
    // The file's path relative to the ignores' root: made once a file,
    // not once a record.
    let relative = match (&options.ignore_root, &file.path) {
        (Some(root), Some(path)) if !options.ignores.is_empty() => file.relative.get_or_init(|| walk::relative_to(root, path)).as_deref(),
        _ => None,
    };
    match check_document_at(glossary, matcher, &document, relative, options) {
        Ok(mut result) => {
            result.record = Some(line);
            for finding in &mut result.findings {
                finding.record = Some(line);
            }
            Processed::Checked(result)
        }
        Err(e) => Processed::Failed(e),
    }
}

/// Reads standard input as the document `name` stands for (`<stdin>`
/// without one), under the size limit of a file.
fn read_stdin(encoding: Option<Encoding>, format: Option<Format>, name: Option<&Path>) -> Result<Document, Error> {
    let shown = name.map_or_else(|| "<stdin>".to_string(), walk::display);
    let bytes = crate::input::read_at_most(std::io::stdin(), crate::input::MAX_FILE_BYTES, &shown, "standard input")?;
    if let (None, Some(error)) = (format, name.and_then(|name| Format::unread_error(name, &shown))) {
        return Err(error);
    }
    let format = format.or_else(|| name.map(Format::for_path)).unwrap_or(Format::Text);
    Document::from_bytes(&shown, bytes, encoding, format)
}

/// Matches and judges one document. `path` is the file on disk, for the
/// configured ignores.
pub fn check_document(
    glossary: &Glossary,
    matchers: &Matchers,
    document: &Document,
    path: Option<&Path>,
    options: &CheckOptions,
) -> Result<DocumentResult, Error> {
    // Making a path relative asks the file system for every component of
    // it: not done when there is no ignore to match it against.
    let relative = match (&options.ignore_root, path) {
        (Some(root), Some(path)) if !options.ignores.is_empty() => walk::relative_to(root, path),
        _ => None,
    };
    check_document_at(glossary, matchers, document, relative.as_deref(), options)
}

/// [`check_document`], the file's path relative to the root of the
/// configured ignores given (`None`: no ignore applies).
fn check_document_at(
    glossary: &Glossary,
    matchers: &Matchers,
    document: &Document,
    relative: Option<&str>,
    options: &CheckOptions,
) -> Result<DocumentResult, Error> {
    let parallel = options.jobs != 1;
    // The pragma scan looks at every byte once (and at once only where the
    // text holds a pragma): in a parallel run it goes on beside reading
    // the units. Matches are judged as they are found, so pragmas are
    // known first.
    let units = || document.units(&options.read, options.encoding);
    let scan_pragmas = || pragmas::scan_document(document);
    let (units, suppressions) = if parallel { rayon::join(units, scan_pragmas) } else { (units(), scan_pragmas()) };
    let (units, notices) = units?;
    Ok(check_units(glossary, matchers, document, &units, notices, suppressions, relative, options))
}

/// Matches and judges the units of a document, under its pragmas.
#[allow(clippy::too_many_arguments)]
fn check_units(
    glossary: &Glossary,
    matchers: &Matchers,
    document: &Document,
    units: &[Unit],
    mut notices: Vec<String>,
    suppressions: pragmas::Suppressions,
    relative: Option<&str>,
    options: &CheckOptions,
) -> DocumentResult {
    let parallel = options.jobs != 1;
    for (id, line) in &suppressions.named {
        if !glossary.concepts.iter().any(|c| &c.id == id) {
            notices.push(format!("{}:{line}: a qamus-ignore pragma names {id:?}, which is no concept of the glossary", document.path));
        }
    }
    // Contexts are made for every occurrence only when the output lists
    // them all; otherwise only for those the findings point at, and for
    // none in a count.
    // (Tallied uses keep their first occurrence's place and context.)
    let detail = match (options.keep_occurrences, options.counts_only && !options.tally_uses) {
        (true, _) => Detail::Full,
        (false, true) => Detail::Counts,
        (false, false) => Detail::Located,
    };
    // Findings are counted, not listed: made bare.
    let counted = options.counts_only && !options.keep_occurrences;
    // The configured ignores that apply to this file.
    let ignores: Vec<&IgnoreRule> = match relative {
        Some(relative) => options.ignores.iter().filter(|r| r.paths.is_match(relative)).collect(),
        None => Vec::new(),
    };
    // A count places occurrences by their bytes alone (lines and columns
    // left 0): it needs lines only for `qamus-ignore` pragmas, which few
    // documents have (no columns: counting the characters between matches
    // was a few per cent of a count with many matches).
    let lines = (detail != Detail::Counts || !suppressions.is_empty()).then(|| {
        if parallel {
            LineIndex::new_in_pieces(&document.text)
        } else {
            LineIndex::new(&document.text)
        }
    });
    let judging = Judging { severities: &options.severities, with_messages: !counted, parallel };
    let pass = Pass {
        glossary,
        matchers,
        document,
        units,
        detail,
        counted,
        lines,
        suppressions: &suppressions,
        ignores: &ignores,
        judge: Judge::new(glossary, &document.path, judging),
        tally_uses: options.tally_uses,
        listed_rules: options.listed_rules.as_deref(),
        parallel,
        in_file: !matches!(document.format, Format::Docx | Format::Odt),
    };
    let (mut whole, tally) = pass.run();
    let about_concepts = pass.judge.whole(tally);
    pass.keep(about_concepts, &mut whole);
    let Piece { mut findings, counts, uses, renders, occurrences, out_of_report, matches, words } = whole;
    sort_by_place(&mut findings);
    DocumentResult {
        path: document.path.clone(),
        record: None,
        match_count: matches,
        words,
        arabic: units.iter().any(|u| has_arabic_letter(&u.target.text)),
        occurrences,
        silenced: out_of_report,
        uses: uses.into_sorted(),
        renders,
        findings,
        finding_counts: counts,
        notices,
    }
}

/// Checks texts and files against a glossary: what a program embedding
/// qamus calls (an editor's language server, a fixer). It holds the
/// matchers made from the glossary, so that checking many texts builds
/// them once. See the crate's example.
pub struct Checker<'g> {
    glossary: &'g Glossary,
    matchers: Matchers,
    options: CheckOptions,
}

impl<'g> Checker<'g> {
    /// A checker of `glossary` with the default options: every rule at its
    /// default severity, findings with their messages and contexts, one job.
    pub fn new(glossary: &'g Glossary) -> Checker<'g> {
        Checker::with_options(glossary, CheckOptions { jobs: 1, ..CheckOptions::default() })
    }

    /// A checker of `glossary` with `options` (severities, which findings
    /// to keep, occurrences kept or not…; `walk` and `ignores` are for
    /// [`check_paths`] and not used here).
    pub fn with_options(glossary: &'g Glossary, options: CheckOptions) -> Checker<'g> {
        Checker { glossary, matchers: Matchers::new(glossary), options }
    }

    /// The glossary.
    pub fn glossary(&self) -> &'g Glossary {
        self.glossary
    }

    /// Every occurrence of a glossary form in an Arabic `text`, unjudged, in
    /// text order (spans are byte ranges of `text`).
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.matchers.arabic.find(text)
    }

    /// Checks `text`, read as `format` would be (a PO catalogue, Markdown,
    /// plain text…), under the name `name` (its findings' path).
    pub fn check_text(&self, name: &str, text: &str, format: Format) -> Result<DocumentResult, Error> {
        let document = Document::from_bytes(name, text.as_bytes().to_vec(), None, format)?;
        check_document(self.glossary, &self.matchers, &document, None, &self.options)
    }

    /// Checks an Arabic `target` that translates an English `source`, as one
    /// translation unit: besides the rules on the Arabic, what the source
    /// names and the translation does not render, and renderings of what
    /// it does not name. `name` is the findings' path.
    pub fn check_translation(&self, name: &str, source: &str, target: &str) -> Result<DocumentResult, Error> {
        let document = Document::from_bytes(name, target.as_bytes().to_vec(), None, Format::Text)?;
        let unit = Unit {
            target: crate::input::Side::whole(std::sync::Arc::clone(&document.text)),
            source: Some(crate::input::Side::whole(std::sync::Arc::new(crate::input::Text::from(source)))),
            id: None,
            note: None,
        };
        let suppressions = pragmas::scan_document(&document);
        Ok(check_units(self.glossary, &self.matchers, &document, &[unit], Vec::new(), suppressions, None, &self.options))
    }

    /// Checks the file at `path`, its format chosen by its name as a walk
    /// chooses it.
    pub fn check_file(&self, path: &Path) -> Result<DocumentResult, Error> {
        let document = Document::read(path, &walk::display(path), self.options.encoding, self.options.read.format)?;
        check_document(self.glossary, &self.matchers, &document, Some(path), &self.options)
    }
}

/// Sorts findings by place, then rule, those alike staying in order:
/// findings judged piece by piece come nearly in order, and only their
/// keys are sorted (`sort_by_cached_key` moves the findings into place),
/// without the scratch room of half the findings that a stable sort of
/// the findings themselves takes (for a document of many findings, tens of
/// megabytes).
fn sort_by_place(findings: &mut [Finding]) {
    let key = |f: &Finding| (f.at.byte_start, f.rule);
    if !findings.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        findings.sort_by_cached_key(key);
    }
}

/// Whether a text holds a letter of the Arabic script (digits, punctuation
/// and a byte-order mark are no letters); it stops at the first.
fn has_arabic_letter(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
            && c.is_alphabetic()
    })
}

/// The matchers a run uses.
pub struct Matchers {
    /// Arabic (and inline Latin) forms, on the target side.
    pub arabic: Matcher,
    /// English names and acronyms, on the source side: made the first time
    /// a translation unit has a source ([`Matchers::english`]). Most runs
    /// check Arabic text alone and never need it; with 100,000 concepts it
    /// is a tenth of loading.
    english: std::sync::OnceLock<EnglishMatcher>,
}

impl Matchers {
    /// Builds the Arabic matcher for a glossary; the English one waits
    /// until it is needed.
    pub fn new(glossary: &Glossary) -> Matchers {
        Matchers { arabic: Matcher::new(glossary), english: std::sync::OnceLock::new() }
    }

    /// The English matcher of `glossary`, the glossary these matchers were
    /// made for; made on first use (a thread asking meanwhile waits for it).
    pub fn english(&self, glossary: &Glossary) -> &EnglishMatcher {
        self.english.get_or_init(|| EnglishMatcher::new(glossary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_english_matcher_is_made_only_for_a_text_with_a_source_side() {
        let glossary = Glossary::embedded().unwrap();
        let matchers = Matchers::new(&glossary);
        let options = CheckOptions::default();
        let check = |path: &str, format: Format| {
            let bytes = std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            let document = Document::from_bytes(path, bytes, None, format).unwrap();
            check_document(&glossary, &matchers, &document, None, &options).unwrap()
        };
        let article = check("fixtures/articles/hmc-mixed-renderings.txt", Format::Text);
        assert!(article.match_count > 0);
        assert!(matchers.english.get().is_none(), "made for Arabic text alone");
        let catalogue = check("fixtures/translations/statement.ar.po", Format::Po);
        assert!(matchers.english.get().is_some(), "not made for a catalogue");
        // And used: the catalogue's units compare their two sides.
        assert!(catalogue.findings.iter().any(|f| matches!(f.rule, Rule::MissingRendering | Rule::UnexpectedRendering)));
    }

    #[test]
    fn findings_are_alike_whether_occurrences_are_kept_listed_or_counted() {
        let glossary = Glossary::embedded().unwrap();
        let matchers = Matchers::new(&glossary);
        for (path, format) in [
            ("fixtures/articles/hmc-mixed-renderings.txt", Format::Text),
            ("fixtures/articles/weekly-brief.md", Format::Markdown),
            ("fixtures/translations/statement.ar.po", Format::Po),
            ("fixtures/translations/statement.xlf", Format::Xliff),
            ("fixtures/translations/memory.tmx", Format::Tmx),
            ("fixtures/translations/page.html", Format::Html),
        ] {
            let bytes = std::fs::read(path).unwrap();
            let document = Document::from_bytes(path, bytes, None, format).unwrap();
            let run = |keep_occurrences, counts_only| {
                let options = CheckOptions { jobs: 1, keep_occurrences, counts_only, ..CheckOptions::default() };
                check_document(&glossary, &matchers, &document, None, &options).unwrap()
            };
            let (full, listed, counted) = (run(true, false), run(false, false), run(false, true));
            assert!(!full.findings.is_empty(), "{path}: no finding");
            assert!(listed.occurrences.is_empty() && counted.occurrences.is_empty());
            assert!(listed.findings == full.findings, "{path}: findings differ when occurrences are not kept");
            // A finding at an occurrence has its context; one about a whole
            // unit has none.
            for finding in &full.findings {
                let at = &finding.at;
                let occurrence =
                    full.occurrences.iter().find(|o| (o.byte_start, o.byte_end, o.concept) == (at.byte_start, at.byte_end, at.concept));
                match occurrence {
                    Some(o) if finding.rule != Rule::MissingRendering => assert_eq!(at.context, o.context, "{path}: {finding:?}"),
                    _ => assert_eq!(at.context, crate::judge::Context::default(), "{path}: {finding:?}"),
                }
            }
            assert_eq!(counted.finding_counts, listed.severity_counts(), "{path}");
            // Listing some rules only counts the others.
            let options = CheckOptions { jobs: 1, listed_rules: Some(vec![Rule::ForbiddenRendering]), ..CheckOptions::default() };
            let some = check_document(&glossary, &matchers, &document, None, &options).unwrap();
            let forbidden: Vec<&Finding> = listed.findings.iter().filter(|f| f.rule == Rule::ForbiddenRendering).collect();
            assert!(some.findings.iter().eq(forbidden), "{path}");
            assert_eq!(some.severity_counts(), listed.severity_counts(), "{path}");
            assert_eq!((counted.match_count, counted.words), (full.match_count, full.words), "{path}");
        }
    }

    #[test]
    fn the_checker_judges_texts_translations_and_files_as_a_run_does() {
        let glossary = Glossary::embedded().unwrap();
        let checker = Checker::new(&glossary);
        // A file, and the same text given as a text: the same findings.
        let path = Path::new("fixtures/articles/hmc-mixed-renderings.txt");
        let from_file = checker.check_file(path).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let from_text = checker.check_text("fixtures/articles/hmc-mixed-renderings.txt", &text, Format::Text).unwrap();
        assert!(!from_file.findings.is_empty());
        assert!(from_file.findings == from_text.findings);
        // In a translation unit the source decides the sense: a forbidden
        // form of a concept the source does not name is no forbidden
        // rendering there.
        let forbidden = "مؤسسة حمد الطبية";
        let named = checker.check_translation("u1", "The Higher Military Commission met.", &format!("اجتمعت {forbidden}.")).unwrap();
        assert!(named.findings.iter().any(|f| f.rule == Rule::ForbiddenRendering), "{:?}", named.findings);
        let unnamed =
            checker.check_translation("u2", "Hamad Medical Corporation opened a clinic.", &format!("افتتحت {forbidden} عيادة.")).unwrap();
        assert!(unnamed.findings.iter().all(|f| f.rule != Rule::ForbiddenRendering), "{:?}", unnamed.findings);
        assert!(unnamed.findings.iter().any(|f| f.rule == Rule::UnexpectedRendering), "{:?}", unnamed.findings);
        assert_eq!(checker.find(forbidden).len(), 1);
    }
}
