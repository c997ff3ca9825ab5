//! Turning the paths on the command line into the files to read: files as
//! named, directories walked recursively in a stable order (honouring
//! `.gitignore`, `.ignore` and hidden files like ripgrep), `-` for stdin.
//! Walk errors (permissions, broken links, loops) are reported, not skipped.
//! When corpora are read (`--input-format jsonl|csv`), each file (and
//! standard input) is read here, as it is found, into its records.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};
use crate::input::corpus::{self, Record};
pub use crate::input::paths::{display, path_of, relative_to};

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file, and whether the user named it (rather than a walk finding it).
    File {
        /// The path to open.
        path: PathBuf,
        /// Named on the command line.
        explicit: bool,
    },
    /// A record of a corpus, read by the walk.
    Record(Record),
}

/// What a record costs in memory beside its text (the input, the file's
/// share, the allocator's), for [`Input::weight`].
const RECORD_OVERHEAD: usize = 128;

impl Input {
    /// The memory an input holds while it waits to be checked: a record's
    /// text, and its bookkeeping; 0 for a file, which is read only when it
    /// is checked.
    pub fn weight(&self) -> usize {
        match self {
            Input::Record(record) => record.text.capacity() + RECORD_OVERHEAD,
            Input::Stdin | Input::File { .. } => 0,
        }
    }
}

/// How to walk directories.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Ignore `.gitignore` and `.ignore` files.
    pub no_ignore: bool,
    /// Enter hidden files and directories.
    pub hidden: bool,
    /// Pass named files through `keep` and the walk's choice of formats too.
    pub force_exclude: bool,
}

/// Expands `paths` into inputs, in order; errors are returned beside them.
/// `keep` decides which files a directory walk picks up (named files are
/// kept unless [`WalkOptions::force_exclude`]). With `corpus`, every file
/// is read as a corpus, and its records are the inputs (all of them held:
/// [`each`] streams them).
pub fn inputs(
    paths: &[PathBuf],
    options: WalkOptions,
    keep: &dyn Fn(&Path) -> bool,
    corpus: Option<corpus::Reading<'_>>,
) -> (Vec<Input>, Vec<Error>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    each(paths, options, keep, corpus, &mut |input| inputs.push(input), &mut |error| errors.push(error));
    (inputs, errors)
}

/// [`inputs`], each input handed to `found` as soon as it is found, each
/// error to `failed`, in order. With `corpus`, each file (and standard
/// input) is read as it is found, each record handed on as it is read;
/// a walk then picks up only the corpus format's extensions
/// ([`CorpusFormat::is_walked`](corpus::CorpusFormat::is_walked)).
pub fn each(
    paths: &[PathBuf],
    options: WalkOptions,
    keep: &dyn Fn(&Path) -> bool,
    corpus: Option<corpus::Reading<'_>>,
    found: &mut dyn FnMut(Input),
    failed: &mut dyn FnMut(Error),
) {
    let is_walked = |path: &Path| match corpus {
        Some(reading) => reading.corpus.format.is_walked(path),
        None => crate::input::Format::is_walked(path),
    };
    // What a walk picks up: what it reads, and kinds of document qamus does
    // not read, to be passed over with a notice.
    let picked = |path: &Path| is_walked(path) || (corpus.is_none() && crate::input::Format::unread(path).is_some());
    let file = |path: PathBuf, explicit: bool, found: &mut dyn FnMut(Input), failed: &mut dyn FnMut(Error)| match corpus {
        Some(reading) => corpus::read_path(&path, reading, &mut |record| found(Input::Record(record)), failed),
        None => found(Input::File { path, explicit }),
    };
    for path in paths {
        if path.as_os_str() == "-" {
            match corpus {
                Some(reading) => corpus::read_stdin(reading, &mut |record| found(Input::Record(record)), failed),
                None => found(Input::Stdin),
            }
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => failed(crate::input::io_error(e, &display(path))),
            Ok(meta) if meta.is_dir() => walk_dir(path, options, keep, &picked, &mut |entry| match entry {
                Ok(path) => file(path, false, found, failed),
                Err(e) => failed(e),
            }),
            Ok(_) if options.force_exclude && !(is_walked(path) && keep(path)) => {}
            Ok(_) => file(path.clone(), true, found, failed),
        }
    }
}

fn walk_dir(
    root: &Path,
    options: WalkOptions,
    keep: &dyn Fn(&Path) -> bool,
    is_walked: &dyn Fn(&Path) -> bool,
    found: &mut dyn FnMut(Result<PathBuf, Error>),
) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .parents(!options.no_ignore)
        .follow_links(true)
        // Entries are sorted among their siblings, whose paths are the
        // parent's and a name: comparing whole paths as bytes orders them
        // as their names do, without taking each path apart again for
        // every comparison (`sort_by_file_name` does: on a folder of 20,000
        // files that was 2 % of a run, before the first file was found).
        .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_walked(entry.path()) && keep(entry.path()) {
                    found(Ok(entry.into_path()));
                }
            }
            Err(e) => found(Err(walk_error(e, root))),
        }
    }
}

fn walk_error(e: ignore::Error, root: &Path) -> Error {
    let mut path = None;
    let mut inner = &e;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => inner = err,
            _ => break,
        }
    }
    let shown = display(path.as_deref().unwrap_or(root));
    let message = match inner {
        ignore::Error::Loop { child, ancestor } => format!("symbolic link loop: {} points back to {}", display(child), display(ancestor)),
        ignore::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => "broken symbolic link or vanished file".to_string(),
        ignore::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    };
    Error::new(ErrorKind::Io(std::io::Error::other(message)), shown)
}
