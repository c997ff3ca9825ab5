//! Input: finding the files to check, reading and decoding them, and cutting
//! each into the text units that are matched (the whole text for plain text,
//! the prose for Markdown). Every unit keeps its place in the original file, so
//! that a match's byte offset in a unit is a byte offset in the document.
//!
//! This module owns everything between a path on the command line and a string
//! of Arabic to match; it neither matches nor judges.

pub mod decode;
pub mod markdown;
pub mod pragmas;
pub mod walk;

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
pub use decode::Encoding;

/// The format of an input file, which decides how it is cut into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: one unit, the whole file.
    Text,
    /// Markdown: prose only; code, URLs, HTML and front matter are skipped.
    Markdown,
}

impl Format {
    /// The format for a file name, by extension; anything unknown is text.
    pub fn for_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            _ => Format::Text,
        }
    }

    /// Whether a directory walk picks up files with this name.
    pub fn is_walked(path: &Path) -> bool {
        matches!(
            path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
            Some("txt" | "text" | "md" | "markdown" | "mdown" | "mkd")
        )
    }
}

/// A decoded input file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user named it (or `<stdin>`).
    pub path: String,
    /// The decoded text.
    pub text: String,
    /// Bytes before the text in the file (a byte-order mark), so that byte
    /// offsets in JSON are offsets in the file.
    pub byte_offset: usize,
    /// How to cut it into units.
    pub format: Format,
}

/// A stretch of a document to match: `text[..]` stands at `start` in the document
/// text, byte for byte (skipped parts are blanked to spaces, keeping lengths).
#[derive(Debug, Clone)]
pub struct Unit {
    /// The text to match.
    pub text: String,
    /// Byte offset of `text` in the document text.
    pub start: usize,
}

impl Document {
    /// Decodes `bytes` read from `path`.
    pub fn from_bytes(path: &str, bytes: &[u8], encoding: Option<Encoding>, format: Format) -> Result<Document> {
        let (text, byte_offset) = decode::decode(bytes, encoding).map_err(|kind| locate_byte(kind, path, bytes))?;
        Ok(Document { path: path.to_string(), text, byte_offset, format })
    }

    /// Reads and decodes the file at `path`.
    pub fn read(path: &Path, shown: &str, encoding: Option<Encoding>) -> Result<Document> {
        let bytes = std::fs::read(path).map_err(|e| io_error(e, shown))?;
        Document::from_bytes(shown, &bytes, encoding, Format::for_path(path))
    }

    /// The units to match.
    pub fn units(&self) -> Vec<Unit> {
        match self.format {
            Format::Text => vec![Unit { text: self.text.clone(), start: 0 }],
            Format::Markdown => vec![Unit { text: markdown::prose(&self.text), start: 0 }],
        }
    }
}

/// Maps an I/O error to ours, naming the path.
pub fn io_error(e: std::io::Error, path: &str) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::new(ErrorKind::NotFound, path),
        _ => Error::new(ErrorKind::Io(e), path),
    }
}

/// Adds the line and column of a byte offset to a decoding error.
fn locate_byte(kind: ErrorKind, path: &str, bytes: &[u8]) -> Error {
    let offset = match kind {
        ErrorKind::InvalidEncoding { offset, .. } | ErrorKind::Binary { offset } => Some(offset),
        _ => None,
    };
    let error = Error::new(kind, path);
    match offset {
        Some(offset) => {
            let before = &bytes[..offset.min(bytes.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            error.at(line, None)
        }
        None => error,
    }
}

/// Line starts of a text, for turning byte offsets into lines and columns.
/// `\n`, `\r\n` and a lone `\r` all end a line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The byte range of the line (without its line break) holding `offset`.
    pub fn line_range(&self, text: &str, offset: usize) -> std::ops::Range<usize> {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let trimmed = text[start..end].trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_cr() {
        let text = "ab\r\ncd\ref\ngh";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 4), (2, 1));
        assert_eq!(index.position(text, 7), (3, 1));
        assert_eq!(index.position(text, 11), (4, 2));
        assert_eq!(&text[index.line_range(text, 1)], "ab");
    }

    #[test]
    fn columns_count_scalar_values() {
        let text = "قال: حوار";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, text.find('ح').unwrap()), (1, 6));
    }
}
