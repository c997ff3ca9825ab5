//! Typed errors of the library. Every error carries the location it is about
//! (file, and line and column where known) so that the binary prints one line a
//! user can act on; the binary adds no location of its own.

use std::fmt;
use std::io;

/// An error with the place it is about.
#[derive(Debug)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The file it is about, as the user named it.
    pub path: Option<String>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// 1-based column (Unicode scalar values) in that line.
    pub column: Option<usize>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading a file or directory failed.
    Io(io::Error),
    /// The path does not exist.
    NotFound,
    /// The bytes are not valid in the file's encoding.
    InvalidEncoding {
        /// The encoding tried.
        encoding: &'static str,
        /// Byte offset of the first bad sequence.
        offset: usize,
    },
    /// The file holds NUL bytes: it is binary, not text.
    Binary {
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// `--encoding` names no encoding we know.
    UnknownEncoding(String),
    /// A glossary is malformed; the message says how.
    Glossary(String),
    /// A glossary has several problems: each one (with its file and line),
    /// and how many more there were than are listed.
    GlossaryProblems {
        /// The problems listed, in file order.
        problems: Vec<Error>,
        /// Problems found but not listed.
        more: usize,
    },
    /// An input file is malformed for its format (PO, XML, JSON, YAML); the
    /// message says how.
    Malformed(String),
    /// A bound was passed: a file, a line, a record or standard input
    /// larger than qamus reads; the message says which and how large.
    TooLarge(String),
    /// A kind of file qamus does not read here (a `.pdf`, a FIFO as a
    /// configuration, a corpus in UTF-16); the message says what to do.
    Unsupported(String),
    /// A configuration file (`qamus.toml`) is invalid; the message says how.
    Config(String),
    /// A baseline file is not one qamus wrote, or of another version.
    Baseline(String),
    /// The command line asks for something impossible; the message says what.
    Usage(String),
}

impl Error {
    /// An error about `path`.
    pub fn new(kind: ErrorKind, path: impl Into<String>) -> Self {
        Error { kind, path: Some(path.into()), line: None, column: None }
    }

    /// An error about no particular file.
    pub fn usage(message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Usage(message.into()), path: None, line: None, column: None }
    }

    /// A glossary error at `path:line`.
    pub fn glossary(path: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Glossary(message.into()), path: Some(path.to_string()), line, column: None }
    }

    /// A malformed-input error at `path:line:column`.
    pub fn malformed(path: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Error { kind: ErrorKind::Malformed(message.into()), path: Some(path.to_string()), line: Some(line), column: Some(column) }
    }

    /// One error for all of `problems` (in file order): the problem itself
    /// when there is one, otherwise a list of the first
    /// [`MAX_LISTED_PROBLEMS`] and the number of the others. `None` when
    /// there are none.
    pub fn glossary_problems(mut problems: Vec<Error>) -> Option<Error> {
        match problems.len() {
            0 => None,
            1 => problems.pop(),
            n => {
                let more = n.saturating_sub(MAX_LISTED_PROBLEMS);
                problems.truncate(MAX_LISTED_PROBLEMS);
                let path = problems[0].path.clone().filter(|p| problems.iter().all(|e| e.path.as_ref() == Some(p)));
                Some(Error { kind: ErrorKind::GlossaryProblems { problems, more }, path, line: None, column: None })
            }
        }
    }

    /// The problems this error stands for: itself, or those it lists.
    pub fn problems(&self) -> Vec<&Error> {
        match &self.kind {
            ErrorKind::GlossaryProblems { problems, .. } => problems.iter().collect(),
            _ => vec![self],
        }
    }

    /// The same error, located at `line` (and `column`).
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{path}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            write!(f, ": ")?;
        }
        match &self.kind {
            ErrorKind::Io(e) => write!(f, "{e}"),
            ErrorKind::NotFound => write!(f, "no such file or directory"),
            ErrorKind::InvalidEncoding { encoding, offset } => {
                write!(f, "invalid {encoding} at byte {offset} (name the file's encoding with --encoding, e.g. --encoding windows-1256)")
            }
            ErrorKind::Binary { offset } => write!(f, "binary file (NUL byte at byte {offset}), not text"),
            ErrorKind::UnknownEncoding(name) => {
                write!(f, "unknown encoding {name:?} (try utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6)")
            }
            ErrorKind::Glossary(message)
            | ErrorKind::Usage(message)
            | ErrorKind::Malformed(message)
            | ErrorKind::TooLarge(message)
            | ErrorKind::Unsupported(message)
            | ErrorKind::Config(message)
            | ErrorKind::Baseline(message) => write!(f, "{message}"),
            ErrorKind::GlossaryProblems { problems, more } => {
                let all = problems.len() + more;
                write!(f, "{} in the glossary:", crate::words::plural(all, "problem"))?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                if *more > 0 {
                    write!(f, "\n  … and {more} more")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// The most problems of one glossary an error lists; it counts the others.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The library says what went wrong by kind; `Usage` is the command
    /// line's alone (a test in `src/lib.rs` keeps library code from making it).
    #[test]
    fn a_bound_an_unread_kind_a_configuration_and_a_baseline_are_kinds_of_their_own() {
        let too_large = crate::input::read_at_most(&b"0123456789"[..], 4, "big.txt", "the file").unwrap_err();
        assert!(matches!(too_large.kind, ErrorKind::TooLarge(_)), "{too_large:?}");
        let pdf = crate::input::Format::unread_error(std::path::Path::new("a.pdf"), "a.pdf").unwrap();
        assert!(matches!(pdf.kind, ErrorKind::Unsupported(_)), "{pdf:?}");
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("qamus.toml");
        std::fs::write(&toml, "jobs = \"many\"\n").unwrap();
        let config = crate::config::Config::load(&toml).unwrap_err();
        assert!(matches!(config.kind, ErrorKind::Config(_)), "{config:?}");
        assert_eq!(config.line, Some(1));
        let baseline = dir.path().join("qamus-baseline.json");
        std::fs::write(&baseline, "{}").unwrap();
        let baseline = crate::baseline::Baseline::load(&baseline).unwrap_err();
        assert!(matches!(baseline.kind, ErrorKind::Baseline(_)), "{baseline:?}");
    }
}
