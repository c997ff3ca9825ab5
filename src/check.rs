//! The `check` pipeline: inputs → documents → units → matches → located
//! occurrences → pragmas → findings → configured ignores, for every file.
//! Files are checked in parallel, a bounded window of them at once, and
//! handed on in input order, so output is the same whatever the number of
//! jobs, and a printer can stream each document as soon as it and those
//! before it are done. Read errors are collected beside the
//! results and the run goes on.
//!
//! This module owns the order of the steps and turning unit offsets into file
//! positions; each step's rules live in its own module.

use std::mem::MaybeUninit;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::IgnoreRule;
use crate::error::{Error, ErrorKind};
use crate::glossary::{Glossary, TermRole};
use crate::input::walk::{self, Input, WalkOptions};
use crate::input::{pragmas, Document, Encoding, Format, LineIndex, ReadOptions, Unit};
use crate::judge::{count_findings, judge_document, Context, Finding, Judging, Occurrence, Rule, Severities, UnitPair};
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
    /// Drop each document's findings once it has been handed on (to the
    /// printer that streams them), keeping only their counts, so that memory
    /// does not grow with the corpus.
    pub drop_findings: bool,
    /// Only the number of findings is wanted (`--count` without a
    /// baseline, which matches findings by their context): occurrences are
    /// found without their surface, findings made bare — their rule,
    /// severity, concept and place, with no path, suggestion, message,
    /// replacement, context or written clitics.
    /// [`CheckOptions::keep_occurrences`] wins over it.
    pub counts_only: bool,
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
        (Some(root), Some(path)) if !options.ignores.is_empty() => file.relative.get_or_init(|| relative_to(root, path)).as_deref(),
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
        (Some(root), Some(path)) if !options.ignores.is_empty() => relative_to(root, path),
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
    let (units, unit_notices) = document.units(&options.read, options.encoding)?;
    let parallel = options.jobs != 1;
    // Contexts are made for every occurrence only when the output lists
    // them all; otherwise only for those the findings point at (below), and
    // for none in a count.
    let detail = match (options.keep_occurrences, options.counts_only) {
        (true, _) => Detail::Full,
        (false, true) => Detail::Counts,
        (false, false) => Detail::Located,
    };
    let find = || find_occurrences(glossary, matchers, document, &units, parallel, detail);
    let scan_pragmas = || pragmas::scan_document(document);
    // The pragma scan looks at every byte once: in a parallel run it goes on
    // beside the matching rather than after it.
    let (Found { mut occurrences, sites, mut pairs, words }, suppressions) =
        if parallel { rayon::join(find, scan_pragmas) } else { (find(), scan_pragmas()) };
    if detail == Detail::Counts && !suppressions.is_empty() {
        give_lines(document, &mut occurrences, &mut pairs, parallel);
    }
    let match_count = occurrences.len();
    let mut notices = unit_notices;
    if !suppressions.is_empty() {
        for (id, line) in &suppressions.named {
            if !glossary.concepts.iter().any(|c| &c.id == id) {
                notices.push(format!("{}:{line}: a qamus-ignore pragma names {id:?}, which is no concept of the glossary", document.path));
            }
        }
    }
    // Silenced occurrences are left out of judging; the pairs keep their
    // indices, so mark them rather than remove them.
    // With no pragma, as nearly always, nothing is silenced: no list is
    // made, and no occurrence's concept is looked up.
    let silenced: Vec<bool> = if suppressions.is_empty() {
        Vec::new()
    } else {
        occurrences.iter().map(|o| suppressions.covers(o.line, &glossary.concepts[o.concept].id)).collect()
    };
    let judging = Judging { severities: &options.severities, with_messages: detail != Detail::Counts, parallel };
    // The configured ignores that apply to this file.
    let ignores: Vec<&IgnoreRule> = match relative {
        Some(relative) => options.ignores.iter().filter(|r| r.paths.is_match(relative)).collect(),
        None => Vec::new(),
    };
    // A finding is kept unless a pragma silences its line or a configured
    // ignore its concept and rule.
    // With neither, as nearly always, every finding is kept and no concept
    // is looked up (with a large glossary, a cache miss a finding).
    let filtered = !suppressions.is_empty() || !ignores.is_empty();
    let keep = |f: &Finding| {
        if !filtered {
            return true;
        }
        let concept = &glossary.concepts[f.at.concept].id;
        let silenced = suppressions.covers(f.at.line, concept);
        let ignored = ignores.iter().any(|rule| {
            let concept_hit = rule.concepts.is_empty() || rule.concepts.contains(concept);
            let rule_hit = rule.rules.is_empty() || rule.rules.contains(&f.rule);
            concept_hit && rule_hit
        });
        !(silenced || ignored)
    };
    let mut finding_counts = [0; 4];
    let mut findings = Vec::new();
    if detail == Detail::Counts {
        finding_counts = count_findings(glossary, &document.path, &occurrences, &silenced, &pairs, judging, &keep);
    } else {
        findings = judge_document(glossary, &document.path, &occurrences, &silenced, &pairs, judging);
        if filtered {
            findings.retain(keep);
        }
    }
    // What the report must leave out of its matrix (see `DocumentResult::silenced`).
    let mut out_of_report = Vec::new();
    if options.keep_occurrences && filtered {
        out_of_report = occurrences
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let concept = &glossary.concepts[o.concept].id;
                silenced.get(i).copied().unwrap_or(false)
                    || ignores.iter().any(|rule| {
                        (rule.concepts.is_empty() || rule.concepts.contains(concept))
                            && (rule.rules.is_empty() || rule.rules.contains(&Rule::CrossSource))
                    })
            })
            .collect();
    }
    if !options.keep_occurrences {
        if detail != Detail::Counts {
            give_contexts(&mut findings, &occurrences, &sites, &units);
        }
        // Hundreds of thousands of occurrences in one large file took tens
        // of milliseconds to free on one thread, at the end of the run.
        if parallel && occurrences.len() >= 1 << 16 {
            std::mem::take(&mut occurrences).into_par_iter().with_min_len(1 << 14).for_each(drop);
        }
        occurrences = Vec::new();
    }
    Ok(DocumentResult {
        path: document.path.clone(),
        record: None,
        match_count,
        words,
        arabic: units.iter().any(|u| has_arabic_letter(&u.target.text)),
        occurrences,
        silenced: out_of_report,
        findings,
        finding_counts,
        notices,
    })
}

/// Whether a text holds a letter of the Arabic script (digits, punctuation
/// and a byte-order mark are no letters); it stops at the first.
fn has_arabic_letter(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
            && c.is_alphabetic()
    })
}

/// Gives a count's occurrences, and its units' anchors, the lines
/// [`find_occurrences`] leaves 0 for a count (no columns).
fn give_lines(document: &Document, occurrences: &mut [Occurrence], pairs: &mut [UnitPair], parallel: bool) {
    let text = &document.text;
    let lines = if parallel { LineIndex::new_in_pieces(text) } else { LineIndex::new(text) };
    let mut cursor = LineIndex::START;
    for occurrence in occurrences.iter_mut().chain(pairs.iter_mut().map(|pair| &mut pair.anchor)) {
        occurrence.line = lines.line_with(occurrence.byte_start - document.byte_offset, &mut cursor);
        occurrence.end_line = lines.line_with(occurrence.byte_end - document.byte_offset, &mut cursor);
    }
}

/// Gives each finding that points at an occurrence the occurrence's context
/// (a finding about a whole unit points at its first line and has none).
fn give_contexts(findings: &mut [Finding], occurrences: &[Occurrence], sites: &[Site], units: &[Unit]) {
    if findings.is_empty() {
        return;
    }
    let key = |o: &Occurrence| (o.byte_start, o.byte_end, o.concept, o.term);
    // Occurrences come in file order for every format but the odd one out;
    // a map is made only then.
    let sorted = occurrences.windows(2).all(|w| w[0].byte_start <= w[1].byte_start);
    let map: rustc_hash::FxHashMap<_, usize> =
        if sorted { Default::default() } else { occurrences.iter().enumerate().map(|(i, o)| (key(o), i)).collect() };
    for finding in findings.iter_mut().filter(|f| f.rule != Rule::MissingRendering) {
        let wanted = key(&finding.at);
        let index = if sorted {
            let first = occurrences.partition_point(|o| o.byte_start < wanted.0);
            occurrences[first..].iter().take_while(|o| o.byte_start == wanted.0).position(|o| key(o) == wanted).map(|i| first + i)
        } else {
            map.get(&wanted).copied()
        };
        if let Some(i) = index {
            finding.at.context = sites[i].context(units);
        }
    }
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

/// `path` relative to `root`, with `/` separators, as
/// [`walk::display`] shows it; `root` must be absolute and canonical (see
/// [`std::fs::canonicalize`]), `path` is made so.
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    Some(walk::display(path.strip_prefix(root).ok()?))
}

/// What [`find_occurrences`] finds in a document.
pub struct Found {
    /// Every occurrence, located in the file, in unit order.
    pub occurrences: Vec<Occurrence>,
    /// Where each occurrence stands in its unit, to make its context later.
    pub sites: Vec<Site>,
    /// For units with a source, what the bilingual check needs.
    pub pairs: Vec<UnitPair>,
    /// The number of words in the units.
    pub words: usize,
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

/// How much of each occurrence [`find_occurrences`] writes out.
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

/// Every occurrence in a document's units, located in the file, written out
/// as `detail` asks; for units with a source, what the bilingual check
/// needs; and the number of words in the units.
/// With `parallel`, a large unit is cut into chunks matched in parallel
/// (see [`find_in_chunks`]).
pub fn find_occurrences(
    glossary: &Glossary,
    matchers: &Matchers,
    document: &Document,
    units: &[Unit],
    parallel: bool,
    detail: Detail,
) -> Found {
    let matcher = &matchers.arabic;
    let text = &document.text;
    // A Word or OpenDocument file's text is not its bytes: no replacement
    // can be made in it (a SARIF fix would edit the zip).
    let in_file = !matches!(document.format, Format::Docx | Format::Odt);
    // A count places occurrences by their bytes alone (lines and columns
    // left 0): it needs lines only for `qamus-ignore` pragmas, which few
    // documents have, and is given them then ([`give_lines`]); no columns
    // (counting the characters between matches was a few per cent of a
    // count with many matches), and no line index (a pass over the text).
    let lines = (detail != Detail::Counts).then(|| if parallel { LineIndex::new_in_pieces(text) } else { LineIndex::new(text) });
    // An occurrence placed at a byte range of the document, its other fields
    // blank; `cursor` makes positions asked in order cost their distance.
    let placed = |start: usize, end: usize, cursor: &mut (usize, usize, usize)| {
        let ((line, column), (end_line, end_column)) = match &lines {
            Some(lines) => (lines.position_with(text, start, cursor), lines.position_with(text, end, cursor)),
            None => ((0, 0), (0, 0)),
        };
        Occurrence {
            concept: 0,
            term: 0,
            line,
            column,
            end_line,
            end_column,
            byte_start: document.byte_offset + start,
            byte_end: document.byte_offset + end,
            surface: String::new(),
            verbatim: false,
            kind: crate::matcher::MatchKind::Exact,
            orthographic: false,
            article: false,
            proclitics: String::new(),
            prefix: String::new(),
            suffix: String::new(),
            homonym: false,
            in_arabic: true,
            context: Context::default(),
        }
    };
    let mut occurrences = Vec::new();
    let mut sites = Vec::new();
    let mut pairs = Vec::new();
    let mut words = 0;
    let mut anchor_cursor = LineIndex::START;
    // The last note read, with its scope: the segments of one XLIFF unit
    // share their notes, which are read once, not once a segment.
    let mut last_note: Option<(Arc<str>, Option<pragmas::Scope>)> = None;
    // The last source matched (under which notes), with the concepts it
    // names: the forms of a PO entry share their source, matched once.
    let mut last_source: Option<LastSource> = None;
    for (unit_index, unit) in units.iter().enumerate() {
        let target = &unit.target;
        let first = occurrences.len();
        // A `qamus-ignore` in the unit's note silences the unit (for its concepts).
        let silenced = match &unit.note {
            Some(note) => match &last_note {
                Some((last, scope)) if Arc::ptr_eq(last, note) => scope.clone(),
                _ => last_note.insert((Arc::clone(note), pragmas::note_scope(note))).1.clone(),
            },
            None => None,
        };
        let silenced_concept = |c: usize| silenced.as_ref().is_some_and(|s| s.covers(&glossary.concepts[c].id));
        let (mut parts, unit_words) = find_in_chunks(matcher, &target.text, CHUNK_BYTES, parallel);
        words += unit_words;
        if silenced.is_some() {
            for matches in &mut parts {
                matches.retain(|m| !silenced_concept(m.concept));
            }
        }
        // Each chunk's matches are placed with a cursor of its own, in
        // parallel when the unit was cut into chunks, straight into their
        // places at the end of `occurrences` and `sites`: one slice of spare
        // room a chunk, as long as its matches. Nothing is moved afterwards,
        // which for one large file was a pass over all its occurrences on
        // one thread.
        let placed_count: usize = parts.iter().map(Vec::len).sum();
        occurrences.reserve(placed_count);
        sites.reserve(placed_count);
        {
            let mut occurrence_room = &mut occurrences.spare_capacity_mut()[..placed_count];
            let mut site_room = &mut sites.spare_capacity_mut()[..placed_count];
            let mut jobs = Vec::with_capacity(parts.len());
            for matches in parts {
                let (occurrence_slots, rest) = std::mem::take(&mut occurrence_room).split_at_mut(matches.len());
                occurrence_room = rest;
                let (site_slots, rest) = std::mem::take(&mut site_room).split_at_mut(matches.len());
                site_room = rest;
                jobs.push((matches, occurrence_slots, site_slots));
            }
            let place_part =
                |(matches, occurrence_slots, site_slots): (Vec<Match>, &mut [MaybeUninit<Occurrence>], &mut [MaybeUninit<Site>])| {
                    let mut cursor = LineIndex::START;
                    for ((m, occurrence_slot), site_slot) in matches.into_iter().zip(occurrence_slots).zip(site_slots) {
                        let start = target.map.start(m.span.start);
                        let end = target.map.end(m.span.end).max(start);
                        // The line is looked at only for what needs it: whether an
                        // acronym stands in Arabic text, and a full listing's context.
                        let acronym = m.role == TermRole::Acronym;
                        let unit_line = (acronym || detail == Detail::Full).then(|| line_around(&target.text, m.span.start));
                        site_slot.write(Site { unit: unit_index, span: m.span.clone() });
                        occurrence_slot.write(Occurrence {
                            concept: m.concept,
                            term: m.term,
                            surface: if detail == Detail::Counts { String::new() } else { target.text[m.span.clone()].to_string() },
                            verbatim: in_file && text[start..end] == target.text[m.span.clone()],
                            kind: m.kind,
                            orthographic: m.orthographic,
                            article: m.article,
                            proclitics: m.proclitics,
                            prefix: m.prefix,
                            suffix: m.suffix,
                            in_arabic: acronym
                                && unit_line
                                    .clone()
                                    .is_some_and(|line| target.text[line].chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))),
                            context: match unit_line {
                                Some(line) if detail == Detail::Full => context(&target.shown, line, m.span.clone()),
                                _ => Context::default(),
                            },
                            ..placed(start, end, &mut cursor)
                        });
                    }
                };
            if parallel && jobs.len() > 1 {
                jobs.into_par_iter().with_max_len(1).for_each(place_part);
            } else {
                jobs.into_iter().for_each(place_part);
            }
        }
        // SAFETY: the first `placed_count` spare slots of both vectors were
        // cut into one slice a chunk, exactly as long as its matches, and
        // `place_part` wrote every slot of its slices (one occurrence and one
        // site a match; the zips run over equal lengths). Had it panicked,
        // this would not be reached and the written values would only leak.
        unsafe {
            occurrences.set_len(occurrences.len() + placed_count);
            sites.set_len(sites.len() + placed_count);
        }
        let Some(source) = &unit.source else { continue };
        let source_concepts = match &last_source {
            Some(last) if last.is_of(source, unit) => last.concepts.clone(),
            _ => {
                let mut source_concepts: Vec<(usize, String)> = Vec::new();
                for m in matchers.english(glossary).find(&source.text).into_iter().filter(|m| !silenced_concept(m.concept)) {
                    if !source_concepts.iter().any(|(c, _)| *c == m.concept) {
                        source_concepts.push((m.concept, source.shown[m.span].to_string()));
                    }
                }
                last_source = Some(LastSource { text: source.text.clone(), note: unit.note.clone(), concepts: source_concepts.clone() });
                source_concepts
            }
        };
        // The source decides the sense: an occurrence of a concept the
        // source does not name is a homonym here (or a mistranslation, which
        // `unexpected-rendering` reports), not a rendering to judge.
        for occurrence in &mut occurrences[first..] {
            occurrence.homonym = !source_concepts.iter().any(|(c, _)| *c == occurrence.concept);
        }
        // A unit whose source names no concept and whose target has no
        // occurrence gives no finding: no pair is kept for it (a catalogue
        // of many short strings kept one a string, 300 bytes each).
        if source_concepts.is_empty() && first == occurrences.len() {
            continue;
        }
        // The anchor of a finding about the whole target: its first line.
        let trimmed_start = target.text.len() - target.text.trim_start().len();
        let first_line = line_around(&target.text, trimmed_start);
        let first_line = trimmed_start.max(first_line.start)..first_line.end;
        let start = target.map.start(first_line.start);
        let end = target.map.end(first_line.end).max(start);
        let surface: String = target.shown[first_line].chars().take(80).collect();
        pairs.push(UnitPair {
            source_concepts,
            occurrences: first..occurrences.len(),
            id: unit.id.as_deref().map(Arc::from),
            anchor: Occurrence { surface: surface.replace('\u{1F}', " "), ..placed(start, end, &mut anchor_cursor) },
        });
    }
    Found { occurrences, sites, pairs, words }
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

/// [`Matcher::find_counting_words`] on a large text cut into chunks at line
/// breaks that no phrase runs across ([`line_ends_phrases`]), matched in
/// parallel (on the current rayon pool) when `parallel`, in turn otherwise:
/// the matches of each chunk in order (spans in the whole text), and the
/// word count, are those of the whole text. A text with no such line break
/// (one long line) is matched whole. `chunk` is the chunk size
/// ([`CHUNK_BYTES`] in a run; 0 matches every text whole).
pub fn find_in_chunks(matcher: &Matcher, text: &str, chunk: usize, parallel: bool) -> (Vec<Vec<Match>>, usize) {
    if chunk == 0 || text.len() < 2 * chunk {
        let (matches, words) = matcher.find_counting_words(text);
        return (vec![matches], words);
    }
    let mut cuts = vec![0];
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
    cuts.push(text.len());
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
    use crate::input::units::{OffsetMap, Side};
    use crate::judge::Severity;
    use std::sync::Arc;

    fn unit(text: &str, start: usize) -> Unit {
        let text = Arc::new(crate::input::Text::from(text));
        Unit::monolingual(Side { text: Arc::clone(&text).into(), shown: text.into(), map: OffsetMap::identity(start, 0) })
    }

    fn occurrence(concept: usize, byte_start: usize, byte_end: usize) -> Occurrence {
        Occurrence {
            concept,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            byte_start,
            byte_end,
            in_arabic: true,
            verbatim: true,
            ..Occurrence::default()
        }
    }

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

    fn finding(rule: Rule, at: &Occurrence) -> Finding {
        let (suggestion, replacement, renderings) = (None, None, Vec::new());
        Finding {
            rule,
            severity: Severity::Error,
            path: "a.po".into(),
            record: None,
            at: at.clone(),
            suggestion,
            replacement,
            message: String::new(),
            renderings,
        }
    }

    #[test]
    fn findings_get_the_context_of_their_occurrence_in_or_out_of_file_order() {
        // Two units; the second stands earlier in the file than the first.
        let units = [unit("قال إن الحوار الأمني المشترك انعقد", 500), unit("وعقدت اللجنة العسكرية العليا اجتماعا", 100)];
        let span = |u: usize, word: &str| {
            let text = &units[u].target.text;
            let at = text.find(word).unwrap();
            at..at + word.len()
        };
        let sites = [Site { unit: 0, span: span(0, "الحوار") }, Site { unit: 1, span: span(1, "اللجنة") }];
        for order in [[0, 1], [1, 0]] {
            let starts = [500, 100];
            let occurrences: Vec<Occurrence> = order.iter().map(|&u| occurrence(u, starts[u], starts[u] + 10)).collect();
            let sites: Vec<Site> = order.iter().map(|&u| sites[u].clone()).collect();
            let mut findings = vec![
                finding(Rule::ForbiddenRendering, &occurrence(1, 100, 110)),
                finding(Rule::MissingRendering, &occurrence(0, 500, 510)),
                finding(Rule::DeprecatedRendering, &occurrence(0, 500, 510)),
            ];
            give_contexts(&mut findings, &occurrences, &sites, &units);
            assert_eq!(findings[0].at.context.before, "وعقدت ", "{order:?}");
            assert_eq!(findings[0].at.context.after, " العسكرية العليا اجتماعا", "{order:?}");
            // A finding about a whole unit keeps no context.
            assert_eq!(findings[1].at.context, Context::default(), "{order:?}");
            assert_eq!(findings[2].at.context.before, "قال إن ", "{order:?}");
        }
    }
}
