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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::IgnoreRule;
use crate::error::{Error, ErrorKind};
use crate::glossary::{Glossary, TermRole};
use crate::input::walk::{self, Input, WalkOptions};
use crate::input::{pragmas, Document, Encoding, Format, LineIndex, ReadOptions, Unit};
use crate::judge::{Context, Finding, Judge, Judging, Occurrence, Rule, Severities, Tally, TermUses, UnitPair, Uses};
use crate::matcher::english::EnglishMatcher;
use crate::matcher::{Match, Matcher};
use crate::normalize::tokens::line_ends_phrases;

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
            check_in_window(pool, &walk, jobs * WINDOW_PER_JOB, &process, &mut hand_on);
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

/// A walk: finds inputs, handing each in turn to the function it is given.
type Walk<'a> = dyn Fn(&mut dyn FnMut(Input)) + Sync + 'a;

/// Checks the inputs `walk` finds on `pool`, or on the current pool, at
/// most `window` at once, and hands each result on in input order on this
/// thread, with the number handed on so far and, once the walk is over,
/// the number of inputs.
///
/// The walk runs on a thread of its own: what it finds beyond the window
/// is kept in a queue, started as files are handed on. It waits only
/// while the inputs found and not yet checked hold [`QUEUE_BYTES`] (a
/// corpus's records, which carry their text), until checking them makes
/// room.
/// A thread that finishes a file takes the next at once: no thread waits
/// for the slowest file of a batch (there is none), and handing on
/// (printing) goes on beside the checking. This thread is woken only when
/// half the window is done in order, or the results done in order hold
/// [`WAKE_WORDS`] words of text, or all that was started is done: with many
/// small files, waking it often cost more than the files (on 20,000 files
/// of 5 KB, waking it every eight files made 7,500 context switches, and
/// the two threads checking ran out of work while it waited for a core).
fn check_in_window(
    pool: Option<&rayon::ThreadPool>,
    walk: &Walk<'_>,
    window: usize,
    process: &(dyn Fn(Input) -> Processed + Sync),
    hand_on: &mut dyn FnMut(Processed, usize, Option<usize>),
) {
    check_in_window_holding(pool, walk, window, QUEUE_BYTES, process, hand_on)
}

/// [`check_in_window`], the walk waiting while the inputs not yet checked
/// weigh `queue_bytes`.
fn check_in_window_holding(
    pool: Option<&rayon::ThreadPool>,
    walk: &Walk<'_>,
    window: usize,
    queue_bytes: usize,
    process: &(dyn Fn(Input) -> Processed + Sync),
    hand_on: &mut dyn FnMut(Processed, usize, Option<usize>),
) {
    let shared = Shared { window, wake_at: (window / 2).max(1), queue_bytes, ..Shared::default() };
    match pool {
        Some(pool) => pool.in_place_scope(|scope| walk_and_check(scope, &shared, walk, process, hand_on)),
        None => rayon::in_place_scope(|scope| walk_and_check(scope, &shared, walk, process, hand_on)),
    }
}

/// [`check_in_window`] in a scope that `shared`, `walk` and `process`
/// outlive.
fn walk_and_check<'scope>(
    scope: &rayon::Scope<'scope>,
    shared: &'scope Shared,
    walk: &'scope Walk<'scope>,
    process: &'scope (dyn Fn(Input) -> Processed + Sync),
    hand_on: &mut dyn FnMut(Processed, usize, Option<usize>),
) {
    let start = |started: Vec<(usize, Input)>| {
        for (index, input) in started {
            scope.spawn(move |_| {
                let weight = input.weight();
                // A panic is kept as a result, so that the thread handing on
                // never waits for a file that will not come; it is raised
                // again there.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(input)));
                shared.done(index, result, weight);
            });
        }
    };
    std::thread::scope(|threads| {
        threads.spawn(|| {
            // Told, even if the walk panics, so that the thread handing on
            // does not wait for it.
            let _over = WalkOver(shared);
            walk(&mut |input| {
                let weight = input.weight();
                let mut state = shared.lock();
                // Back-pressure: a corpus is read no faster than it is
                // checked (an input of no weight, a file, never waits).
                while weight > 0 && state.pending_bytes > 0 && state.pending_bytes + weight > shared.queue_bytes && !state.abandoned {
                    state.walk_waits_for = weight;
                    state = shared.room.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                state.walk_waits_for = 0;
                if state.abandoned {
                    return;
                }
                state.pending_bytes += weight;
                state.queued.push_back(input);
                let started = state.start(shared.window);
                drop(state);
                start(started);
            });
        });
        hand_on_in_order(shared, hand_on, &start);
    })
}

/// Hands results on as [`check_in_window`] says, starting queued files as
/// the window makes room, until the walk is over and every file is handed
/// on; a file that panicked is raised here, after telling the walk to stop.
fn hand_on_in_order(shared: &Shared, hand_on: &mut dyn FnMut(Processed, usize, Option<usize>), start: &dyn Fn(Vec<(usize, Input)>)) {
    let mut handed = 0;
    loop {
        let (ready, total): (Vec<std::thread::Result<Processed>>, Option<usize>) = {
            let mut state = shared.lock();
            loop {
                let over = state.walked && state.queued.is_empty() && state.ready == state.done.len();
                if over || shared.worth_waking(&state) {
                    break;
                }
                state = shared.wake.wait(state).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            let ready = state.ready;
            state.base += ready;
            state.taken = ready;
            state.ready = 0;
            state.ready_words = 0;
            let ready: Vec<_> = state.done.drain(..ready).flatten().map(|(result, _)| result).collect();
            (ready, state.walked.then_some(state.base + state.done.len() + state.queued.len()))
        };
        if ready.is_empty() {
            return;
        }
        for result in ready {
            match result {
                Ok(result) => {
                    handed += 1;
                    hand_on(result, handed, total);
                }
                Err(panic) => {
                    shared.lock().abandoned = true;
                    shared.room.notify_all();
                    std::panic::resume_unwind(panic)
                }
            }
        }
        // Handed on: the window has room for queued files.
        let started = {
            let mut state = shared.lock();
            state.taken = 0;
            state.start(shared.window)
        };
        start(started);
    }
}

/// What the walk, the threads checking files and the thread handing them
/// on share.
#[derive(Default)]
struct Shared {
    state: std::sync::Mutex<WindowState>,
    /// Told when enough files are done in order, or the walk is over.
    wake: std::sync::Condvar,
    /// Told when checking made room for the walk (see [`QUEUE_BYTES`]), or
    /// handing on stopped.
    room: std::sync::Condvar,
    /// Files started and not yet handed on, at most.
    window: usize,
    /// The files done in order that wake the thread handing on.
    wake_at: usize,
    /// What the inputs found and not yet checked may weigh before the walk
    /// waits ([`QUEUE_BYTES`]).
    queue_bytes: usize,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState> {
        // No code panics while holding it (checking is caught first).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps the result of file `index`, whose input weighed `weight`;
    /// wakes the thread handing on when it is [worth
    /// waking](Shared::worth_waking), and the walk when it waits for the
    /// room this makes.
    fn done(&self, index: usize, result: std::thread::Result<Processed>, weight: usize) {
        let words = match &result {
            Ok(Processed::Checked(document)) => document.words,
            _ => 0,
        };
        let mut state = self.lock();
        state.keep(index, result, words);
        if weight > 0 {
            state.pending_bytes -= weight;
            // A walk waiting is woken when what it waits to add fits and
            // half the room is free (not for every record), or when nothing
            // is left.
            let (pending, wanted) = (state.pending_bytes, state.walk_waits_for);
            if wanted > 0 && (pending == 0 || pending + wanted <= self.queue_bytes && pending <= self.queue_bytes / 2) {
                self.room.notify_one();
            }
        }
        if self.worth_waking(&state) {
            self.wake.notify_one();
        }
    }

    /// Whether the results done in order are enough to hand on: half the
    /// window, or [`WAKE_WORDS`] words, or all that was started.
    fn worth_waking(&self, state: &WindowState) -> bool {
        state.ready > 0 && (state.ready >= self.wake_at.min(state.done.len()) || state.ready_words >= WAKE_WORDS)
    }
}

/// Tells the thread handing on that the walk is over when dropped.
struct WalkOver<'a>(&'a Shared);

impl Drop for WalkOver<'_> {
    fn drop(&mut self) {
        self.0.lock().walked = true;
        self.0.wake.notify_one();
    }
}

/// The files found and not yet handed on.
#[derive(Default)]
struct WindowState {
    /// Found, not started (the window was full).
    queued: std::collections::VecDeque<Input>,
    /// What the inputs found and not yet checked weigh ([`Input::weight`]).
    pending_bytes: usize,
    /// What the walk waits to add (0: it does not wait).
    walk_waits_for: usize,
    /// The index of the first file started and not handed on.
    base: usize,
    /// Each started file's result once done, with the words it checked,
    /// in input order.
    done: std::collections::VecDeque<Option<(std::thread::Result<Processed>, usize)>>,
    /// How many are done in a row from the first.
    ready: usize,
    /// The words those hold.
    ready_words: usize,
    /// Results taken out of `done` and still being handed on: they count
    /// against the window too.
    taken: usize,
    /// The walk is over: no more files will be found.
    walked: bool,
    /// Handing on has stopped (a file panicked): start no more.
    abandoned: bool,
}

impl WindowState {
    /// Keeps the result of file `index`, and counts the files done in a
    /// row from the first (each is counted once, when the row reaches it).
    fn keep(&mut self, index: usize, result: std::thread::Result<Processed>, words: usize) {
        let slot = index - self.base;
        self.done[slot] = Some((result, words));
        while let Some(Some((_, words))) = self.done.get(self.ready) {
            self.ready_words += words;
            self.ready += 1;
        }
    }

    /// Takes queued files, with their indices, as far as the window has
    /// room, and marks them started.
    fn start(&mut self, window: usize) -> Vec<(usize, Input)> {
        let mut started = Vec::new();
        while self.done.len() + self.taken < window && !self.abandoned {
            let Some(input) = self.queued.pop_front() else { break };
            self.done.push_back(None);
            started.push((self.base + self.done.len() - 1, input));
        }
        started
    }
}

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
        let whole = |text: std::sync::Arc<crate::input::Text>| crate::input::Side {
            map: crate::input::units::OffsetMap::identity(0, text.len()),
            shown: crate::input::TextRef::whole(std::sync::Arc::clone(&text)),
            text: crate::input::TextRef::whole(text),
        };
        let source = std::sync::Arc::new(crate::input::Text::from(source));
        let unit = Unit { target: whole(std::sync::Arc::clone(&document.text)), source: Some(whole(source)), id: None, note: None };
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

/// Sorts findings by place, then rule, those alike staying in order, as
/// `sort_by_key` would, without its scratch room of half the findings
/// (for a document of many findings, tens of megabytes): findings judged
/// piece by piece come nearly in order, and only keys are sorted.
fn sort_by_place(findings: &mut [Finding]) {
    let key = |f: &Finding| (f.at.byte_start, f.rule);
    if findings.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        return;
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_unstable_by_key(|&i| (key(&findings[i]), i));
    // Put each finding in its place, cycle by cycle: `order[k]` is where
    // the finding that belongs at `k` stands.
    for start in 0..order.len() {
        let mut k = start;
        while order[k] != start {
            let from = order[k];
            findings.swap(k, from);
            order[k] = k;
            k = from;
        }
        order[k] = k;
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

/// Where an occurrence stands: its unit (an index into the document's units)
/// and its byte range in the unit's text.
#[derive(Debug, Clone)]
pub struct Site {
    /// The unit.
    pub unit: usize,
    /// The occurrence's bytes in the unit's text.
    pub span: std::ops::Range<usize>,
}

impl Site {
    /// The words around the occurrence (see [`Occurrence::context`]).
    pub fn context(&self, units: &[Unit]) -> Context {
        let target = &units[self.unit].target;
        context(&target.shown, line_around(&target.text, self.span.start), self.span.clone())
    }
}

/// How much of each occurrence a check writes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// What judging needs and no more: no surface, no context, no line or
    /// column (a run that only counts findings,
    /// [`CheckOptions::counts_only`]; lines are given afterwards where
    /// pragmas need them).
    Counts,
    /// The surface; contexts are left empty and made by [`Site::context`]
    /// for the occurrences that are shown.
    Located,
    /// The surface and the context (the words around it) of every occurrence.
    Full,
}

/// One document being checked: what the pieces of its units (each unit, or
/// each chunk of a large one) are checked with. Each piece is matched,
/// placed, judged and tallied, and its occurrences let go of unless the
/// output lists them all ([`Detail::Full`]): memory grows with a
/// document's findings, not with its matches.
struct Pass<'a> {
    glossary: &'a Glossary,
    matchers: &'a Matchers,
    document: &'a Document,
    units: &'a [Unit],
    detail: Detail,
    /// Whether findings are counted ([`CheckOptions::counts_only`]), not listed.
    counted: bool,
    /// The document's lines, when positions are wanted.
    lines: Option<LineIndex>,
    suppressions: &'a pragmas::Suppressions,
    /// The configured ignores that apply to the document.
    ignores: &'a [&'a IgnoreRule],
    judge: Judge<'a>,
    tally_uses: bool,
    listed_rules: Option<&'a [Rule]>,
    parallel: bool,
    /// Whether the document's text is the file's (not a Word or
    /// OpenDocument file's, in which no replacement can be made: a SARIF
    /// fix would edit the zip).
    in_file: bool,
}

/// What a piece of a document comes to, or the pieces so far.
#[derive(Default)]
struct Piece {
    /// The findings kept (not in a count).
    findings: Vec<Finding>,
    /// The findings kept, per severity (a count).
    counts: [usize; 4],
    /// See [`DocumentResult::uses`].
    uses: Uses,
    /// See [`DocumentResult::renders`].
    renders: bool,
    /// Every occurrence ([`Detail::Full`]).
    occurrences: Vec<Occurrence>,
    /// See [`DocumentResult::silenced`].
    out_of_report: Vec<bool>,
    /// Occurrences found.
    matches: usize,
    /// Words.
    words: usize,
}

impl Piece {
    /// Adds the piece after this one.
    fn append(&mut self, mut later: Piece) {
        self.findings.append(&mut later.findings);
        for (total, count) in self.counts.iter_mut().zip(later.counts) {
            *total += count;
        }
        if self.uses.is_empty() {
            self.uses = later.uses;
        } else {
            self.uses.append(later.uses);
        }
        self.renders |= later.renders;
        if self.occurrences.is_empty() {
            self.occurrences = later.occurrences;
        } else {
            self.occurrences.append(&mut later.occurrences);
        }
        self.out_of_report.append(&mut later.out_of_report);
        self.matches += later.matches;
        self.words += later.words;
    }
}

impl Pass<'_> {
    /// Whether anything may silence a finding here: a pragma, or a
    /// configured ignore. With neither, as nearly always, every finding is
    /// kept and no concept is looked up (with a large glossary, a cache
    /// miss a finding).
    fn filtered(&self) -> bool {
        !self.suppressions.is_empty() || !self.ignores.is_empty()
    }

    /// Keeps in `into` the findings that no pragma silences on their line
    /// and no configured ignore silences for their concept and rule:
    /// listed, or counted in a count.
    fn keep(&self, findings: Vec<Finding>, into: &mut Piece) {
        let kept = |f: &Finding| {
            if !self.filtered() {
                return true;
            }
            let concept = &self.glossary.concepts[f.at.concept].id;
            let silenced = self.suppressions.covers(f.at.line, concept);
            let ignored = self.ignores.iter().any(|rule| {
                let concept_hit = rule.concepts.is_empty() || rule.concepts.contains(concept);
                let rule_hit = rule.rules.is_empty() || rule.rules.contains(&f.rule);
                concept_hit && rule_hit
            });
            !(silenced || ignored)
        };
        if self.counted {
            for finding in findings.iter().filter(|f| kept(f)) {
                into.counts[finding.severity.index()] += 1;
            }
        } else if let Some(listed) = self.listed_rules {
            for finding in findings.into_iter().filter(kept) {
                if listed.contains(&finding.rule) {
                    into.findings.push(finding);
                } else {
                    into.counts[finding.severity.index()] += 1;
                }
            }
        } else if into.findings.is_empty() && !self.filtered() {
            into.findings = findings;
        } else {
            into.findings.extend(findings.into_iter().filter(kept));
        }
    }

    /// An occurrence placed at a byte range of the document's text, its
    /// other fields blank; `cursor` makes positions asked in order cost
    /// their distance.
    fn placed(&self, start: usize, end: usize, cursor: &mut (usize, usize, usize)) -> Occurrence {
        let text = &self.document.text;
        let ((line, column), (end_line, end_column)) = match &self.lines {
            Some(lines) if self.detail == Detail::Counts => ((lines.line_with(start, cursor), 0), (lines.line_with(end, cursor), 0)),
            Some(lines) => (lines.position_with(text, start, cursor), lines.position_with(text, end, cursor)),
            None => ((0, 0), (0, 0)),
        };
        Occurrence {
            line,
            column,
            end_line,
            end_column,
            byte_start: self.document.byte_offset + start,
            byte_end: self.document.byte_offset + end,
            in_arabic: true,
            ..Occurrence::default()
        }
    }

    /// Checks every unit: what they come to, and the tally of the
    /// occurrences judged for [`Judge::whole`].
    fn run(&self) -> (Piece, Tally) {
        let glossary = self.glossary;
        let mut whole = Piece::default();
        let mut tally = Tally::default();
        let mut anchor_cursor = LineIndex::START;
        // The last note read, with its scope: the segments of one XLIFF unit
        // share their notes, which are read once, not once a segment.
        let mut last_note: Option<(Arc<str>, Option<pragmas::Scope>)> = None;
        // The last source matched (under which notes), with the concepts it
        // names: the forms of a PO entry share their source, matched once.
        let mut last_source: Option<LastSource> = None;
        for (unit_index, unit) in self.units.iter().enumerate() {
            let target = &unit.target;
            // A `qamus-ignore` in the unit's note silences the unit (for its concepts).
            let silenced = match &unit.note {
                Some(note) => match &last_note {
                    Some((last, scope)) if Arc::ptr_eq(last, note) => scope.clone(),
                    _ => last_note.insert((Arc::clone(note), pragmas::note_scope(note))).1.clone(),
                },
                None => None,
            };
            let silenced_concept = |c: usize| silenced.as_ref().is_some_and(|s| s.covers(&glossary.concepts[c].id));
            let find = |range: std::ops::Range<usize>| {
                let (mut matches, words) = self.matchers.arabic.find_counting_words(&target.text[range.clone()]);
                for m in &mut matches {
                    m.span = m.span.start + range.start..m.span.end + range.start;
                }
                if silenced.is_some() {
                    matches.retain(|m| !silenced_concept(m.concept));
                }
                (matches, words)
            };
            let Some(source) = &unit.source else {
                // A large unit is matched in chunks: at once in a parallel
                // run, in turn otherwise, each judged and let go of before
                // the next.
                let cuts = chunk_cuts(&target.text, CHUNK_BYTES);
                if self.parallel && cuts.len() > 2 {
                    // A few chunks a thread at a time, so that the findings of
                    // chunks done but not yet gathered stay few.
                    let at_once = 2 * rayon::current_num_threads();
                    let chunks: Vec<&[usize]> = cuts.windows(2).collect();
                    for batch in chunks.chunks(at_once) {
                        let pieces: Vec<(Piece, Tally)> = batch
                            .par_iter()
                            .with_max_len(1)
                            .map(|w| {
                                let (matches, words) = find(w[0]..w[1]);
                                let mut piece_tally = Tally::default();
                                (self.piece(unit_index, matches, words, None, &mut piece_tally), piece_tally)
                            })
                            .collect();
                        for (piece, piece_tally) in pieces {
                            whole.append(piece);
                            tally.append(piece_tally);
                        }
                    }
                } else {
                    for w in cuts.windows(2) {
                        let (matches, words) = find(w[0]..w[1]);
                        whole.append(self.piece(unit_index, matches, words, None, &mut tally));
                    }
                }
                continue;
            };
            // A unit with a source is matched whole: the bilingual check
            // looks at all of it.
            let source_concepts = match &last_source {
                Some(last) if last.is_of(source, unit) => last.concepts.clone(),
                _ => {
                    let mut source_concepts: Vec<(usize, String)> = Vec::new();
                    for m in self.matchers.english(glossary).find(&source.text).into_iter().filter(|m| !silenced_concept(m.concept)) {
                        if !source_concepts.iter().any(|(c, _)| *c == m.concept) {
                            source_concepts.push((m.concept, source.shown[m.span].to_string()));
                        }
                    }
                    last_source =
                        Some(LastSource { text: source.text.clone(), note: unit.note.clone(), concepts: source_concepts.clone() });
                    source_concepts
                }
            };
            let (matches, words) = find(0..target.text.len());
            // A unit whose source names no concept and whose target has no
            // occurrence gives no finding: no pair is made for it (a
            // catalogue of many short strings).
            if source_concepts.is_empty() && matches.is_empty() {
                whole.words += words;
                continue;
            }
            // The anchor of a finding about the whole target: its first line.
            let trimmed_start = target.text.len() - target.text.trim_start().len();
            let first_line = line_around(&target.text, trimmed_start);
            let first_line = trimmed_start.max(first_line.start)..first_line.end;
            let start = target.map.start(first_line.start);
            let end = target.map.end(first_line.end).max(start);
            let surface: String = target.shown[first_line].chars().take(80).collect();
            let pair = UnitPair {
                source_concepts,
                occurrences: 0..matches.len(),
                id: unit.id.as_deref().map(Arc::from),
                anchor: Occurrence { surface: surface.replace('\u{1F}', " "), ..self.placed(start, end, &mut anchor_cursor) },
            };
            whole.append(self.piece(unit_index, matches, words, Some(&pair), &mut tally));
        }
        (whole, tally)
    }

    /// Places, judges and tallies the matches of one piece of a unit (the
    /// whole unit when `pair` gives its source), the occurrences judged
    /// going into `tally`.
    fn piece(&self, unit_index: usize, matches: Vec<Match>, words: usize, pair: Option<&UnitPair>, tally: &mut Tally) -> Piece {
        let glossary = self.glossary;
        let detail = self.detail;
        let target = &self.units[unit_index].target;
        let text = &self.document.text;
        let mut piece = Piece { matches: matches.len(), words, ..Piece::default() };
        let mut cursor = LineIndex::START;
        let mut sites = Vec::with_capacity(if detail == Detail::Located { matches.len() } else { 0 });
        let mut occurrences = Vec::with_capacity(matches.len());
        for m in matches {
            let start = target.map.start(m.span.start);
            let end = target.map.end(m.span.end).max(start);
            // The line is looked at only for what needs it: whether an
            // acronym stands in Arabic text, and a full listing's context.
            let acronym = m.role == TermRole::Acronym;
            let unit_line = (acronym || detail == Detail::Full).then(|| line_around(&target.text, m.span.start));
            occurrences.push(Occurrence {
                concept: m.concept,
                term: m.term,
                surface: if detail == Detail::Counts { String::new() } else { target.text[m.span.clone()].to_string() },
                verbatim: self.in_file && text[start..end] == target.text[m.span.clone()],
                kind: m.kind,
                orthographic: m.orthographic,
                article: m.article,
                proclitics: m.proclitics,
                prefix: m.prefix,
                suffix: m.suffix,
                in_arabic: acronym
                    && unit_line.clone().is_some_and(|line| target.text[line].chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
                context: match unit_line {
                    Some(line) if detail == Detail::Full => context(&target.shown, line, m.span.clone()),
                    _ => Context::default(),
                },
                ..self.placed(start, end, &mut cursor)
            });
            if detail == Detail::Located {
                sites.push(Site { unit: unit_index, span: m.span });
            }
        }
        // The source decides the sense: an occurrence of a concept the
        // source does not name is a homonym here (or a mistranslation,
        // which `unexpected-rendering` reports), not a rendering to judge.
        if let Some(pair) = pair {
            for occurrence in &mut occurrences {
                occurrence.homonym = !pair.source_concepts.iter().any(|(c, _)| *c == occurrence.concept);
            }
        }
        // Silenced occurrences are left out of judging. With no pragma, as
        // nearly always, nothing is silenced: no concept is looked up.
        let silenced = |o: &Occurrence| !self.suppressions.is_empty() && self.suppressions.covers(o.line, &glossary.concepts[o.concept].id);
        let judged_at: Vec<usize> = (0..occurrences.len()).filter(|&i| !occurrences[i].homonym && !silenced(&occurrences[i])).collect();
        let judged: Vec<&Occurrence> = judged_at.iter().map(|&i| &occurrences[i]).collect();
        let context_at = |i: usize| (detail == Detail::Located).then(|| sites[i].context(self.units));
        let findings = self.judge.each(&judged, tally, &|k| context_at(judged_at[k]));
        self.keep(findings, &mut piece);
        if let Some(pair) = pair {
            let findings = self.judge.unit(pair, &occurrences, &context_at);
            self.keep(findings, &mut piece);
        }
        // What a comparison across sources leaves out: what a pragma
        // silences, and a concept a configured ignore silences for every
        // rule or for `cross-source`.
        let out_of_report = |o: &Occurrence| {
            self.filtered() && {
                let concept = &glossary.concepts[o.concept].id;
                silenced(o)
                    || self.ignores.iter().any(|rule| {
                        (rule.concepts.is_empty() || rule.concepts.contains(concept))
                            && (rule.rules.is_empty() || rule.rules.contains(&Rule::CrossSource))
                    })
            }
        };
        if self.tally_uses {
            for (i, o) in occurrences.iter().enumerate() {
                if o.homonym || glossary.concepts[o.concept].terms[o.term].role != TermRole::Arabic {
                    continue;
                }
                piece.renders = true;
                if !out_of_report(o) {
                    piece.uses.add(o, || context_at(i));
                }
            }
        }
        if detail == Detail::Full {
            if self.filtered() {
                piece.out_of_report = occurrences.iter().map(out_of_report).collect();
            }
            piece.occurrences = occurrences;
        }
        piece
    }
}

/// A unit's source as matched, with the notes it was matched under (they
/// may silence concepts), and the concepts it names with their first
/// English surface.
struct LastSource {
    text: crate::input::TextRef,
    note: Option<Arc<str>>,
    concepts: Vec<(usize, String)>,
}

impl LastSource {
    /// Whether `unit`'s source is this one, under the same notes: the same
    /// text and notes, not copies of them.
    fn is_of(&self, source: &crate::input::Side, unit: &Unit) -> bool {
        let same_note = match (&self.note, &unit.note) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        crate::input::TextRef::same(&self.text, &source.text) && same_note
    }
}

/// Units of at least twice this size are matched in chunks of about this
/// size: in parallel with several jobs, one after the other with one (so
/// that what matching keeps of a text, its hits, is a chunk's, not a whole
/// large file's).
pub const CHUNK_BYTES: usize = 4 << 20;

/// Where a text is cut into chunks of about `chunk` bytes, at line breaks
/// that no phrase runs across ([`line_ends_phrases`]): the offsets where
/// each chunk starts, then the text's length. A text shorter than two
/// chunks, or with no such line break (one long line), is one chunk; so is
/// every text when `chunk` is 0.
pub fn chunk_cuts(text: &str, chunk: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    if chunk != 0 && text.len() >= 2 * chunk {
        let mut from = chunk;
        while from < text.len() {
            let cut = memchr::memchr_iter(b'\n', &text.as_bytes()[from..]).map(|i| from + i).find(|&i| line_ends_phrases(text, i));
            match cut {
                Some(newline) if text.len() - newline > chunk / 2 => {
                    cuts.push(newline + 1);
                    from = newline + 1 + chunk;
                }
                _ => break,
            }
        }
    }
    cuts.push(text.len());
    cuts
}

/// [`Matcher::find_counting_words`] on a text cut into chunks
/// ([`chunk_cuts`]), matched in parallel (on the current rayon pool) when
/// `parallel`, in turn otherwise: the matches of each chunk in order
/// (spans in the whole text), and the word count, are those of the whole
/// text. (A run judges each chunk's matches before the next chunk's are
/// found; this gathers them all.)
pub fn find_in_chunks(matcher: &Matcher, text: &str, chunk: usize, parallel: bool) -> (Vec<Vec<Match>>, usize) {
    let cuts = chunk_cuts(text, chunk);
    let match_chunk = |w: &[usize]| {
        let (mut matches, words) = matcher.find_counting_words(&text[w[0]..w[1]]);
        for m in &mut matches {
            m.span = m.span.start + w[0]..m.span.end + w[0];
        }
        (matches, words)
    };
    let parts: Vec<(Vec<Match>, usize)> =
        if parallel { cuts.par_windows(2).with_max_len(1).map(match_chunk).collect() } else { cuts.windows(2).map(match_chunk).collect() };
    let words = parts.iter().map(|(_, w)| w).sum();
    (parts.into_iter().map(|(m, _)| m).collect(), words)
}

/// How far either side of an occurrence its line is looked at (for the
/// context and the Arabic-line test), so that a very long line costs no more.
const LINE_WINDOW: usize = 512;

/// The byte range of the line of `text` holding `offset`, at most
/// [`LINE_WINDOW`] bytes either side of it.
fn line_around(text: &str, offset: usize) -> std::ops::Range<usize> {
    let mut low = offset.saturating_sub(LINE_WINDOW);
    while !text.is_char_boundary(low) {
        low += 1;
    }
    let mut high = (offset + LINE_WINDOW).min(text.len());
    while !text.is_char_boundary(high) {
        high -= 1;
    }
    let bytes = text.as_bytes();
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[low..offset]).map_or(low, |i| low + i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[offset..high]).map_or(high, |i| offset + i);
    start..end
}

/// Up to `CONTEXT_CHARS` characters each side of the surface, on its line, cut
/// at a word boundary.
const CONTEXT_CHARS: usize = 40;

fn context(text: &str, line: std::ops::Range<usize>, surface: std::ops::Range<usize>) -> Context {
    let clean = |s: &str| if s.contains('\u{1F}') { s.replace('\u{1F}', " ") } else { s.to_string() };
    let before = &text[line.start..surface.start.max(line.start)];
    let after = &text[surface.end.min(line.end)..line.end.max(surface.end.min(line.end))];
    // Only the characters next to the surface are looked at, however long
    // the line: a paragraph-long line costs no more than a short one.
    let before = match before.char_indices().rev().nth(CONTEXT_CHARS) {
        Some(_) => {
            let cut = before.char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
            let cut = before[cut..].find(' ').map_or(cut, |s| cut + s + 1);
            format!("…{}", &before[cut..])
        }
        None => before.to_string(),
    };
    let after = match after.char_indices().nth(CONTEXT_CHARS) {
        Some((cut, _)) => {
            let cut = after[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", &after[..cut])
        }
        None => after.to_string(),
    };
    Context { before: clean(before.trim_start()), after: clean(after.trim_end()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn numbered_inputs(n: usize) -> Vec<Input> {
        (0..n).map(|i| Input::File { path: PathBuf::from(i.to_string()), explicit: true }).collect()
    }

    fn number(input: &Input) -> usize {
        match input {
            Input::File { path, .. } => path.to_str().unwrap().parse().unwrap(),
            Input::Stdin | Input::Record(_) => usize::MAX,
        }
    }

    #[test]
    fn files_done_out_of_order_are_handed_on_in_order_with_at_most_a_window_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let window = 6;
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let handed = AtomicUsize::new(0);
        // Every fifth file is slow: those after it finish first.
        let process = |input: Input| {
            let i = number(&input);
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Never more than `window` past the last handed on.
            assert!(i < handed.load(Ordering::SeqCst) + window, "{i} started too early");
            std::thread::sleep(std::time::Duration::from_millis(if i % 5 == 0 { 30 } else { 2 }));
            running.fetch_sub(1, Ordering::SeqCst);
            Processed::Skipped(i.to_string())
        };
        let mut order = Vec::new();
        let mut totals = Vec::new();
        let mut hand_on = |result: Processed, done: usize, total: Option<usize>| {
            handed.store(done, Ordering::SeqCst);
            totals.push(total);
            match result {
                Processed::Skipped(name) => order.push((name.parse::<usize>().unwrap(), done)),
                _ => panic!("only skips are made"),
            }
        };
        let pool = crate::threads::pool(4).build().unwrap();
        // The walk finds the files slowly at first, then all at once.
        let walk = |found: &mut dyn FnMut(Input)| {
            for (i, input) in numbered_inputs(40).into_iter().enumerate() {
                if i < 5 {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                found(input);
            }
        };
        check_in_window(Some(&pool), &walk, window, &process, &mut hand_on);
        let expected: Vec<(usize, usize)> = (0..40).map(|i| (i, i + 1)).collect();
        assert_eq!(order, expected);
        // The number of files is told once the walk is over, and is right.
        assert_eq!(totals.last(), Some(&Some(40)));
        assert!(totals.windows(2).all(|w| w[0].is_none() || w[0] == w[1]), "{totals:?}");
        assert!(most.load(Ordering::SeqCst) > 1, "files were checked at once");
    }

    #[test]
    fn a_large_result_is_handed_on_without_waiting_for_half_the_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let handed = AtomicUsize::new(0);
        let document = |i: usize, words: usize| DocumentResult {
            path: i.to_string(),
            record: None,
            match_count: 0,
            words,
            arabic: true,
            occurrences: Vec::new(),
            silenced: Vec::new(),
            uses: Vec::new(),
            renders: false,
            findings: Vec::new(),
            finding_counts: [0; 4],
            notices: Vec::new(),
        };
        // File 0 holds as many words as wake the thread handing on; file 1
        // is not done until file 0 is handed on (or five seconds pass), so
        // that half the window (20 of 40) is never done in order before.
        let handed_before_one = AtomicUsize::new(usize::MAX);
        let process = |input: Input| {
            let i = number(&input);
            if i == 1 {
                let waited = std::time::Instant::now();
                while handed.load(Ordering::SeqCst) == 0 && waited.elapsed() < std::time::Duration::from_secs(5) {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                handed_before_one.store(handed.load(Ordering::SeqCst), Ordering::SeqCst);
            }
            Processed::Checked(document(i, if i == 0 { WAKE_WORDS } else { 10 }))
        };
        let pool = crate::threads::pool(2).build().unwrap();
        let walk = |found: &mut dyn FnMut(Input)| numbered_inputs(40).into_iter().for_each(found);
        let mut order = Vec::new();
        check_in_window(Some(&pool), &walk, 40, &process, &mut |result, done, _| {
            handed.store(done, Ordering::SeqCst);
            if let Processed::Checked(document) = result {
                order.push(document.path);
            }
        });
        assert_eq!(handed_before_one.load(Ordering::SeqCst), 1, "file 0 was handed on while file 1 was being checked");
        assert_eq!(order, (0..40).map(|i| i.to_string()).collect::<Vec<_>>());
    }

    #[test]
    fn the_walk_waits_while_the_records_not_yet_checked_weigh_the_bound() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        // Records found weigh 1,000 bytes and more each; the walk finds
        // them much faster than they are checked.
        let file = Arc::new(crate::input::corpus::CorpusFile::default());
        let record =
            |i: usize| Input::Record(crate::input::corpus::Record { file: Arc::clone(&file), line: i + 1, text: "ن".repeat(500) });
        let weight = record(0).weight();
        let bound = 20 * weight;
        let (found, checked, most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let walk = |hand: &mut dyn FnMut(Input)| {
            for i in 0..400 {
                hand(record(i));
                let held = found.fetch_add(weight, Ordering::SeqCst) + weight - checked.load(Ordering::SeqCst);
                most.fetch_max(held, Ordering::SeqCst);
            }
        };
        let process = |input: Input| {
            std::thread::sleep(std::time::Duration::from_micros(300));
            let Input::Record(record) = input else { panic!("only records") };
            let line = record.line;
            checked.fetch_add(weight, Ordering::SeqCst);
            Processed::Skipped(line.to_string())
        };
        let pool = crate::threads::pool(2).build().unwrap();
        let mut order = Vec::new();
        check_in_window_holding(Some(&pool), &walk, 64, bound, &process, &mut |result, _, _| {
            if let Processed::Skipped(line) = result {
                order.push(line.parse::<usize>().unwrap());
            }
        });
        assert_eq!(order, (1..=400).collect::<Vec<_>>());
        // Never more than the bound (and the record being handed over) was
        // found and not yet checked, though the window (64) had room for more.
        let most = most.load(Ordering::SeqCst);
        assert!(most <= bound + weight, "{} records held at once, the bound is {}", most / weight, bound / weight);
    }

    #[test]
    fn a_panic_while_checking_a_file_is_raised_not_waited_for() {
        let walk = |found: &mut dyn FnMut(Input)| numbered_inputs(100).into_iter().for_each(found);
        let process = |input: Input| {
            assert!(number(&input) != 7, "file seven");
            Processed::Skipped(String::new())
        };
        let pool = crate::threads::pool(2).build().unwrap();
        let mut handed = 0;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_in_window(Some(&pool), &walk, 4, &process, &mut |_, done, _| handed = done)
        }));
        let panic = outcome.expect_err("the panic is raised");
        let message = panic.downcast_ref::<&str>().map(|m| m.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
        assert_eq!(message.as_deref(), Some("file seven"));
        assert_eq!(handed, 7, "the files before it were handed on");
    }

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
                    _ => assert_eq!(at.context, Context::default(), "{path}: {finding:?}"),
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
