//! Input: finding the files to check, reading and decoding them, and cutting
//! each into the text units that are matched (the whole text for plain text,
//! the prose for Markdown). Every unit keeps its place in the original file, so
//! that a match's byte offset in a unit is a byte offset in the document.
//!
//! This module owns everything between a path on the command line and a string
//! of Arabic to match; it neither matches nor judges.

pub mod decode;
pub mod html;
pub mod locale;
pub mod markdown;
pub mod placeholders;
pub mod po;
pub mod pragmas;
pub mod units;
pub mod walk;
pub mod xml;

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
pub use decode::Encoding;

/// The format of an input file, which decides how it is cut into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text: one unit, the whole file.
    Text,
    /// Markdown: prose only; code, URLs, HTML and front matter are skipped.
    Markdown,
    /// HTML: text nodes only.
    Html,
    /// Gettext PO/POT: one unit per translated msgstr, with its msgid.
    Po,
    /// XLIFF 1.2 or 2.0: one unit per target, with its source.
    Xliff,
    /// TMX 1.4: one unit per translation unit's Arabic variant.
    Tmx,
    /// A JSON locale file: one unit per string, paired with the English file.
    Json,
    /// A YAML locale file (Rails): one unit per string, paired likewise.
    Yaml,
}

impl Format {
    /// Every format with its name for `--input-format` and its extensions.
    pub const ALL: &[(Format, &'static str, &'static [&'static str])] = &[
        (Format::Text, "text", &["txt", "text"]),
        (Format::Markdown, "markdown", &["md", "markdown", "mdown", "mkd"]),
        (Format::Html, "html", &["html", "htm", "xhtml"]),
        (Format::Po, "po", &["po", "pot"]),
        (Format::Xliff, "xliff", &["xlf", "xliff", "sdlxliff", "mxliff"]),
        (Format::Tmx, "tmx", &["tmx"]),
        (Format::Json, "json", &["json"]),
        (Format::Yaml, "yaml", &["yml", "yaml"]),
    ];

    /// The format named `name` (as `--input-format` takes it).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.iter().find(|(_, n, _)| *n == name).map(|(f, _, _)| *f)
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        Format::ALL.iter().find(|(f, _, _)| *f == self).map_or("text", |(_, n, _)| n)
    }

    fn by_extension(path: &Path) -> Option<Format> {
        let extension = path.extension().and_then(|e| e.to_str())?.to_ascii_lowercase();
        Format::ALL.iter().find(|(_, _, exts)| exts.contains(&extension.as_str())).map(|(f, _, _)| *f)
    }

    /// The format for a file name, by extension; anything unknown is text.
    pub fn for_path(path: &Path) -> Format {
        Format::by_extension(path).unwrap_or(Format::Text)
    }

    /// Whether a directory walk picks up this file: a known extension, and
    /// for JSON and YAML a locale-like name (`ar.json`, `locales/ar/…`).
    pub fn is_walked(path: &Path) -> bool {
        match Format::by_extension(path) {
            Some(Format::Json | Format::Yaml) => locale::is_locale_path(path),
            Some(_) => true,
            None => false,
        }
    }
}

/// The largest file qamus reads: it holds a file, its folded copy and the
/// offset map in memory at once (about seven times the file's size).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format of every input, instead of choosing by extension.
    pub format: Option<Format>,
    /// Read fuzzy PO entries and untranslated XLIFF targets too.
    pub include_fuzzy: bool,
    /// The locale code of source files beside Arabic locale files.
    pub source_locale: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { format: None, include_fuzzy: false, source_locale: "en".into() }
    }
}

/// A decoded input file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user named it (or `<stdin>`).
    pub path: String,
    /// The decoded text (shared with the unit of a plain-text file, not copied).
    pub text: Arc<String>,
    /// Bytes before the text in the file (a byte-order mark), so that byte
    /// offsets in JSON are offsets in the file.
    pub byte_offset: usize,
    /// How to cut it into units.
    pub format: Format,
}

pub use units::{OffsetMap, Side, Unit};

impl Document {
    /// Decodes `bytes` read from `path`.
    pub fn from_bytes(path: &str, bytes: Vec<u8>, encoding: Option<Encoding>, format: Format) -> Result<Document> {
        let (text, byte_offset) = decode::decode(bytes, encoding).map_err(|(kind, bytes)| locate_byte(kind, path, &bytes))?;
        Ok(Document { path: path.to_string(), text: Arc::new(text), byte_offset, format })
    }

    /// Reads and decodes the file at `path`; files over [`MAX_FILE_BYTES`] are an error.
    pub fn read(path: &Path, shown: &str, encoding: Option<Encoding>, format: Option<Format>) -> Result<Document> {
        let size = std::fs::metadata(path).map_err(|e| io_error(e, shown))?.len();
        if size > MAX_FILE_BYTES {
            return Err(Error::new(
                ErrorKind::Usage(format!("file too large: {size} bytes (qamus reads files of up to {} MiB)", MAX_FILE_BYTES >> 20)),
                shown,
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| io_error(e, shown))?;
        Document::from_bytes(shown, bytes, encoding, format.unwrap_or_else(|| Format::for_path(path)))
    }

    /// The units to check.
    pub fn units(&self, options: &ReadOptions, encoding: Option<Encoding>) -> Result<Vec<Unit>> {
        let whole =
            |text: Arc<String>| vec![Unit::monolingual(Side { map: OffsetMap::identity(0, text.len()), shown: Arc::clone(&text), text })];
        Ok(match self.format {
            Format::Text => whole(Arc::clone(&self.text)),
            Format::Markdown => whole(Arc::new(markdown::prose(&self.text))),
            Format::Html => vec![Unit::monolingual(html::prose(&self.text))],
            Format::Po => po::units(&self.text, &self.path, options.include_fuzzy)?,
            Format::Xliff => xml::xliff_units(&self.text, &self.path, options.include_fuzzy)?,
            Format::Tmx => xml::tmx_units(&self.text, &self.path)?,
            Format::Json | Format::Yaml => {
                let strings = |text: &str, path: &str| match self.format {
                    Format::Json => locale::json_strings(text, path),
                    _ => locale::yaml_strings(text, path),
                };
                let targets = strings(&self.text, &self.path)?;
                let sources = match locale::source_path(Path::new(&self.path), &options.source_locale).filter(|p| p.is_file()) {
                    Some(source) => {
                        let shown = walk::display(&source);
                        let document = Document::read(&source, &shown, encoding, Some(self.format))?;
                        Some(strings(&document.text, &shown)?)
                    }
                    None => None,
                };
                locale::units(targets, sources)
            }
        })
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
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and column (in Unicode scalar values) of a byte offset,
    /// counted from the start of its line.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut cursor = LineIndex::START;
        self.position_with(text, offset, &mut cursor)
    }

    /// [`LineIndex::position`] with a cursor: the last position asked for
    /// (offset, line index, column), so that positions asked in increasing
    /// order cost the distance between them, not the length of the line (a
    /// 200 MB line stays linear). Start from [`LineIndex::START`]; each
    /// thread placing positions in its own stretch of a text keeps its own.
    pub fn position_with(&self, text: &str, offset: usize, cursor: &mut (usize, usize, usize)) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_offset, last_line, last_column) = *cursor;
        let column = if last_line == line && last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[self.starts[line]..offset].chars().count() + 1
        };
        *cursor = (offset, line, column);
        (line + 1, column)
    }

    /// A cursor at the start of the text (offset 0, line 1, column 1).
    pub const START: (usize, usize, usize) = (0, 0, 1);

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
