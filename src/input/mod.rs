//! Input: finding the files to check, reading and decoding them, and cutting
//! each into the text units that are matched (the whole text for plain text,
//! the prose for Markdown). Every unit keeps its place in the original file, so
//! that a match's byte offset in a unit is a byte offset in the document.
//!
//! This module owns everything between a path on the command line and a string
//! of Arabic to match; it neither matches nor judges.

pub mod corpus;
pub mod decode;
pub mod html;
pub mod locale;
pub mod markdown;
pub mod office;
pub mod paths;
pub mod placeholders;
pub mod po;
pub mod pragmas;
pub mod text;
pub mod units;
pub mod walk;
pub mod xml;

/// What the readers' tests share: random texts made of given pieces, and the
/// generated pathological inputs (`synthetic::pathological`).
#[cfg(test)]
pub(crate) mod testing {
    use crate::synthetic::{self, Rng};

    /// `count` texts, each of up to `most` pieces drawn from `pieces`.
    pub fn random_texts(seed: u64, pieces: &[&str], most: usize, count: usize) -> Vec<String> {
        let mut rng = Rng::new(seed);
        (0..count)
            .map(|_| {
                let len = rng.next_bits() as usize % (most + 1);
                (0..len).map(|_| pieces[rng.next_bits() as usize % pieces.len()]).collect()
            })
            .collect()
    }

    /// The pathological input `kind` of about `bytes` bytes, and the byte
    /// offset of its term (the last occurrence).
    pub fn pathological(kind: &str, bytes: usize) -> (String, usize) {
        let text = synthetic::pathological(kind, bytes).unwrap_or_else(|| panic!("no pathological input {kind}"));
        let at = text.rfind(synthetic::PATHOLOGICAL_TERM).unwrap();
        assert!(text.len() >= bytes / 2, "{kind}: {} bytes", text.len());
        (text, at)
    }

    /// Sizes the tests generate pathological inputs at.
    pub const BYTES: usize = 512 << 10;
}

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
    /// A Word document (`.docx`): its paragraphs, one a line (see [`office`]).
    Docx,
    /// An OpenDocument text (`.odt`, flat `.fodt`): its paragraphs, one a line.
    Odt,
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
        (Format::Docx, "docx", &["docx", "docm", "dotx", "dotm"]),
        (Format::Odt, "odt", &["odt", "ott", "fodt"]),
    ];

    /// Kinds of document qamus does not read, by extension, with what to do
    /// instead. Named on the command line, such a file is an error; found
    /// by a walk, it is passed over with a notice. (Any other extension
    /// named is read as text, and not walked.)
    pub const UNREAD: &[(&'static str, &'static str)] = &[
        ("doc", "save it as .docx or .odt"),
        ("dot", "save it as .docx or .odt"),
        ("rtf", "save it as .docx or .odt"),
        ("wpd", "save it as .docx or .odt"),
        ("pages", "export it as .docx"),
        ("pdf", "export its text"),
        ("xls", "export its text"),
        ("xlsx", "export its text"),
        ("xlsm", "export its text"),
        ("ods", "export its text"),
        ("numbers", "export its text"),
        ("ppt", "export its text"),
        ("pptx", "export its text"),
        ("pptm", "export its text"),
        ("odp", "export its text"),
        ("key", "export its text"),
        ("epub", "export its text"),
        ("idml", "export its text"),
        ("indd", "export its text"),
    ];

    /// The extension (lower case) and the advice of a file qamus does not
    /// read (see [`Format::UNREAD`]).
    pub fn unread(path: &Path) -> Option<(String, &'static str)> {
        let extension = path.extension().and_then(|e| e.to_str())?.to_ascii_lowercase();
        let advice = Format::UNREAD.iter().find(|(e, _)| *e == extension)?.1;
        Some((extension, advice))
    }

    /// The error for a file qamus does not read, named as `shown`.
    pub fn unread_error(path: &Path, shown: &str) -> Option<Error> {
        let (extension, advice) = Format::unread(path)?;
        Some(Error::new(ErrorKind::Unsupported(format!("qamus does not read .{extension} files; {advice}")), shown))
    }

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

    /// Whether a directory walk picks up this file: a known extension, for
    /// JSON and YAML a locale-like name (`ar.json`, `locales/ar/…`); and no
    /// translation file whose name (or, for JSON and YAML, folder) names
    /// another language than Arabic (`en.json`, `locales/en/common.json`,
    /// `fr.po`, `messages.de.xlf`): those are sources, or other
    /// translations, never Arabic text.
    pub fn is_walked(path: &Path) -> bool {
        let arabic_or_unnamed = || Format::named_language(path).is_none_or(|language| language == "ar");
        match Format::by_extension(path) {
            Some(Format::Json | Format::Yaml) => locale::is_locale_path(path) && arabic_or_unnamed(),
            Some(Format::Po | Format::Xliff | Format::Tmx) => arabic_or_unnamed(),
            Some(_) => true,
            None => false,
        }
    }

    /// The language a translation file's path names, as the walk reads it:
    /// for JSON and YAML the file name or a folder (`en.json`,
    /// `locales/en/common.json`), for PO, XLIFF and TMX the file name
    /// (`fr.po`, `messages.de.xlf`); `None` for text, Markdown and HTML,
    /// and for a name that gives no language.
    pub fn named_language(path: &Path) -> Option<&str> {
        match Format::by_extension(path) {
            Some(Format::Json | Format::Yaml) => locale::path_language(path),
            Some(Format::Po | Format::Xliff | Format::Tmx) => locale::file_language(path),
            _ => None,
        }
    }
}

/// The largest file qamus reads: a file is read whole into memory, and
/// checking it holds, beside its text, its lines, its findings, and for a
/// translation file its units (a small multiple of its size; docs/reliability.md,
/// "Limits").
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// What `--input-format` names: a document format, or a corpus format
/// (every input a file of records, each record a document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Every input is one document of this format.
    Document(Format),
    /// Every input is a corpus of this format.
    Corpus(corpus::CorpusFormat),
}

impl InputFormat {
    /// The format named `name`: a name of [`Format::ALL`] or of
    /// [`CorpusFormat::ALL`](corpus::CorpusFormat::ALL).
    pub fn from_name(name: &str) -> Option<InputFormat> {
        Format::from_name(name).map(InputFormat::Document).or_else(|| corpus::CorpusFormat::from_name(name).map(InputFormat::Corpus))
    }

    /// Every name, document formats first.
    pub fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(|(_, n, _)| *n).chain(corpus::CorpusFormat::ALL.iter().map(|(_, n, _)| *n)).collect()
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format of every input, instead of choosing by extension.
    pub format: Option<Format>,
    /// Read every input as a corpus of records instead (`format` is then
    /// not used).
    pub corpus: Option<corpus::Corpus>,
    /// Read fuzzy PO entries and untranslated XLIFF targets too.
    pub include_fuzzy: bool,
    /// The locale code of source files beside Arabic locale files.
    pub source_locale: String,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { format: None, corpus: None, include_fuzzy: false, source_locale: "en".into() }
    }
}

/// A decoded input file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user named it (or `<stdin>`).
    pub path: String,
    /// The decoded text (shared with the unit of a plain-text file, not copied).
    pub text: Arc<Text>,
    /// Bytes before the text in the file (a byte-order mark), so that byte
    /// offsets in JSON are offsets in the file.
    pub byte_offset: usize,
    /// How to cut it into units.
    pub format: Format,
    /// An office document's comments, each with the line (paragraph) it is
    /// attached to: where its pragmas are written. Empty for other formats.
    pub comments: Vec<(usize, String)>,
}

pub use text::Text;
pub use units::{OffsetMap, Side, TextRef, Texts, Unit};

impl Document {
    /// Decodes `bytes` read from `path`.
    pub fn from_bytes(path: &str, bytes: Vec<u8>, encoding: Option<Encoding>, format: Format) -> Result<Document> {
        Document::decode(path, bytes, encoding, format, false)
    }

    /// Decodes `bytes`; with `parallel`, a large UTF-8 text is validated in
    /// pieces on the current rayon pool (see [`decode::decode`]).
    /// An office document is not decoded but read as such: its text is its
    /// paragraphs, one a line.
    fn decode(path: &str, bytes: Vec<u8>, encoding: Option<Encoding>, format: Format, parallel: bool) -> Result<Document> {
        let office = match format {
            Format::Docx => Some(office::docx_text(&bytes, path)),
            Format::Odt => Some(office::odt_text(&bytes, path)),
            _ => None,
        };
        if let Some(extracted) = office {
            let extracted = extracted?;
            return Ok(Document {
                path: path.to_string(),
                text: Arc::new(extracted.text.into()),
                byte_offset: 0,
                format,
                comments: extracted.comments,
            });
        }
        let (text, byte_offset) = decode::decode(bytes, encoding, parallel).map_err(|(kind, bytes)| locate_byte(kind, path, &bytes))?;
        Ok(Document { path: path.to_string(), text: Arc::new(text.into()), byte_offset, format, comments: Vec::new() })
    }

    /// Reads and decodes the file at `path`; files over [`MAX_FILE_BYTES`]
    /// are an error, and so is a kind of document qamus does not read
    /// ([`Format::UNREAD`]) unless `format` says how to read it.
    pub fn read(path: &Path, shown: &str, encoding: Option<Encoding>, format: Option<Format>) -> Result<Document> {
        Document::read_with(path, shown, encoding, format, false)
    }

    /// [`Document::read`]; with `parallel`, a large file is read and
    /// validated in pieces at once on the current rayon pool (see
    /// [`read_bytes`]), which is what lets one large file use every core
    /// from its first byte.
    ///
    /// A file is always read into memory, never mapped: the bytes checked as
    /// UTF-8 are the bytes used, whatever another process does to the file
    /// meanwhile (a mapped file rewritten in place reached `str` unchecked,
    /// and one truncated stopped the process with `SIGBUS`).
    pub fn read_with(path: &Path, shown: &str, encoding: Option<Encoding>, format: Option<Format>, parallel: bool) -> Result<Document> {
        // Opened once, its size asked of the open file: a file costs one
        // path lookup however it is then read (many small files are mostly
        // system calls).
        let file = std::fs::File::open(path).map_err(|e| io_error(e, shown))?;
        let metadata = file.metadata().map_err(|e| io_error(e, shown))?;
        let size = metadata.len();
        if size > MAX_FILE_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("file too large: {size} bytes (qamus reads files of up to {} MiB)", MAX_FILE_BYTES >> 20)),
                shown,
            ));
        }
        if format.is_none() {
            if let Some(error) = Format::unread_error(path, shown) {
                return Err(error);
            }
        }
        let format = format.unwrap_or_else(|| Format::for_path(path));
        // A FIFO, or a device named on the command line (`<(cmd)`,
        // `/dev/stdin`): read as standard input is, under the same limit,
        // so that `/dev/zero` is an error rather than all the memory.
        if let Some(kind) = special_kind(&metadata) {
            let bytes = read_at_most(&file, MAX_FILE_BYTES, shown, &format!("this file ({})", kind.trim_start_matches("not ")))?;
            return Document::decode(shown, bytes, encoding, format, parallel);
        }
        let bytes = read_bytes(&file, size, parallel).map_err(|e| io_error(e, shown))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge(format!("file grew while read to more than {}", size_limit(MAX_FILE_BYTES))),
                shown,
            ));
        }
        Document::decode(shown, bytes, encoding, format, parallel)
    }

    /// The units to check, and what to tell the user about them (a locale
    /// file whose English source is missing or malformed is checked as
    /// monolingual Arabic, with a notice naming the source and why).
    pub fn units(&self, options: &ReadOptions, encoding: Option<Encoding>) -> Result<(Vec<Unit>, Vec<String>)> {
        let mut notices = Vec::new();
        let units = self.units_noting(options, encoding, &mut notices)?;
        Ok((units, notices))
    }

    fn units_noting(&self, options: &ReadOptions, encoding: Option<Encoding>, notices: &mut Vec<String>) -> Result<Vec<Unit>> {
        let whole = |text: Arc<Text>| vec![Unit::monolingual(Side::whole(text))];
        Ok(match self.format {
            Format::Text | Format::Docx | Format::Odt => whole(Arc::clone(&self.text)),
            Format::Markdown => whole(Arc::new(markdown::prose(&self.text).into())),
            Format::Html => vec![Unit::monolingual(html::prose(&self.text))],
            Format::Po | Format::Xliff | Format::Tmx => {
                // Units that are slices of the text unchanged share it.
                let mut texts = Texts::new(Some(Arc::clone(&self.text)));
                let mut units = match self.format {
                    Format::Po => po::units_in(&self.text, &self.path, options.include_fuzzy, &mut texts)?,
                    Format::Xliff => xml::xliff_units_in(&self.text, &self.path, options.include_fuzzy, &mut texts)?,
                    _ => xml::tmx_units_in(&self.text, &self.path, &mut texts)?,
                };
                texts.fix_units(&mut units);
                units
            }
            Format::Json | Format::Yaml => {
                let yaml = self.format == Format::Yaml;
                // The Arabic file is read first: its errors come before the source's.
                let mut units = locale::document_units(yaml, &self.text, &self.path)?;
                let sources = match locale::source_path(&walk::path_of(&self.path), &options.source_locale) {
                    Some(source) if source.is_file() => {
                        let shown = walk::display(&source);
                        match Document::read(&source, &shown, encoding, Some(self.format))
                            .and_then(|d| locale::keyed_strings(yaml, &d.text, &shown))
                        {
                            Ok(strings) => Some(strings),
                            Err(e) => {
                                notices.push(format!(
                                    "{}: its source {shown} cannot be read ({e}); checked as monolingual Arabic, without the bilingual check",
                                    self.path
                                ));
                                None
                            }
                        }
                    }
                    Some(source) => {
                        notices.push(format!(
                            "{}: no source file {} beside it; checked as monolingual Arabic, without the bilingual check",
                            self.path,
                            walk::display(&source)
                        ));
                        None
                    }
                    None => None,
                };
                if let Some(sources) = sources {
                    locale::give_sources(&mut units, &sources);
                }
                units
            }
        })
    }
}

/// Files of at least twice this size are read, and validated, in pieces of
/// this size at once when the run is parallel.
pub const READ_PIECE_BYTES: usize = 4 << 20;

/// The bytes of `file`, opened and not yet read, whose size was `size` a moment ago. With
/// `parallel` and a large file (on Unix), the pieces are read at once with
/// positioned reads into one buffer; a file whose size changed meanwhile is
/// read again from the start the ordinary way, so the bytes returned are
/// always those of one whole read.
fn read_bytes(mut file: &std::fs::File, size: u64, parallel: bool) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    if parallel && size >= 2 * READ_PIECE_BYTES as u64 {
        use rayon::prelude::*;
        use std::os::unix::fs::FileExt;
        // Zeroed, so that no byte is ever uninitialised; a large zeroed
        // allocation is fresh pages, zeroed by the kernel as they are first
        // written, by whichever thread writes them.
        let mut bytes = vec![0u8; size as usize];
        let read = bytes
            .par_chunks_mut(READ_PIECE_BYTES)
            .enumerate()
            .try_for_each(|(i, piece)| file.read_exact_at(piece, (i * READ_PIECE_BYTES) as u64));
        let mut past_end = [0u8; 1];
        match read {
            Ok(()) if file.read_at(&mut past_end, size)? == 0 => return Ok(bytes),
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(e),
        }
    }
    let _ = parallel; // read in pieces on Unix only

    // Nothing has moved the file's position (a read in pieces that found
    // the size changed used positioned reads): this reads it whole, `size`
    // bytes into memory not written before (no zeroing), then until the
    // end, with no more system calls than that (`read_to_end` on the file
    // would first ask it its size and position again).
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size).read_to_end(&mut bytes)?;
    // The end, or what was added since the size was asked.
    let mut more = [0u8; 64];
    loop {
        match file.read(&mut more) {
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                // Growing while read (a log written to): as much as one
                // byte past the limit, which the caller refuses.
                bytes.extend_from_slice(&more[..n]);
                let room = (MAX_FILE_BYTES + 1).saturating_sub(bytes.len() as u64);
                file.take(room).read_to_end(&mut bytes)?;
                return Ok(bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads at most `limit` bytes from `reader`: an error saying so when
/// there are more (`what` names the source: "standard input", "this FIFO").
pub fn read_at_most(reader: impl std::io::Read, limit: u64, shown: &str, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_error(e, shown))?;
    if bytes.len() as u64 > limit {
        return Err(Error::new(ErrorKind::TooLarge(format!("{what} holds more than {}", size_limit(limit))), shown));
    }
    Ok(bytes)
}

/// `1024 MiB`, `16 MiB`, `512 bytes`.
fn size_limit(limit: u64) -> String {
    if limit >= 1 << 20 {
        format!("{} MiB, the most qamus reads", limit >> 20)
    } else {
        format!("{limit} bytes, the most qamus reads")
    }
}

/// What kind of file `metadata` describes, when it is no regular file.
pub fn special_kind(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Reads a file qamus needs whole before it starts — a glossary, the
/// configuration, a baseline (`what`) — of at most `limit` bytes. Only a
/// regular file (or a symbolic link to one): a FIFO would block until
/// something writes to it, and a device such as `/dev/zero` never ends;
/// both are errors naming the file, found without opening it.
pub fn read_whole_file(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| io_error(e, &shown))?;
    if let Some(kind) = special_kind(&metadata) {
        let kind = kind.strip_prefix("not ").map_or_else(|| format!("is {kind}"), |rest| format!("is not {rest}"));
        return Err(Error::new(ErrorKind::Unsupported(format!("{what} must be a regular file, and this {kind}")), &shown));
    }
    if metadata.len() > limit {
        return Err(Error::new(
            ErrorKind::TooLarge(format!("{what} too large: {} bytes, over {}", metadata.len(), size_limit(limit))),
            &shown,
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(e, &shown))?;
    read_at_most(file, limit, &shown, "the file")
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
        let mut starts = vec![0];
        LineIndex::push_starts(text.as_bytes(), 0..text.len(), &mut starts);
        LineIndex { starts }
    }

    /// [`LineIndex::new`], a large text looked at in pieces at once on the
    /// current rayon pool.
    pub fn new_in_pieces(text: &str) -> LineIndex {
        LineIndex::new_in_pieces_of(text, READ_PIECE_BYTES)
    }

    fn new_in_pieces_of(text: &str, piece: usize) -> LineIndex {
        use rayon::prelude::*;
        if text.len() < 2 * piece {
            return LineIndex::new(text);
        }
        let pieces: Vec<Vec<usize>> = (0..text.len())
            .into_par_iter()
            .step_by(piece)
            .map(|from| {
                let mut starts = Vec::new();
                LineIndex::push_starts(text.as_bytes(), from..(from + piece).min(text.len()), &mut starts);
                starts
            })
            .collect();
        let mut starts = Vec::with_capacity(1 + pieces.iter().map(Vec::len).sum::<usize>());
        starts.push(0);
        starts.extend(pieces.into_iter().flatten());
        LineIndex { starts }
    }

    /// Pushes the starts of the lines that begin after a line break in
    /// `bytes[range]`, in order. A `\r` at the range's end looks at the byte
    /// past it, so pieces cut anywhere give the starts of the whole.
    fn push_starts(bytes: &[u8], range: std::ops::Range<usize>, starts: &mut Vec<usize>) {
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[range.clone()]).map(|i| range.start + i) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
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
        let (last_offset, last_line, last_column) = *cursor;
        let line = self.line_index_from(offset, cursor);
        let column = if last_line == line && last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else {
            text[self.starts[line]..offset].chars().count() + 1
        };
        *cursor = (offset, line, column);
        (line + 1, column)
    }

    /// The 1-based line of a byte offset, with a cursor as
    /// [`LineIndex::position_with`] takes it, and no column: where only lines
    /// matter (a count), the characters between positions are not counted.
    /// The cursor is left at a position it knows the column of (the one it
    /// was at, or the start of the offset's line), so `position_with` may
    /// take it up after.
    pub fn line_with(&self, offset: usize, cursor: &mut (usize, usize, usize)) -> usize {
        let line = self.line_index_from(offset, cursor);
        if line != cursor.1 || cursor.0 > offset {
            *cursor = (self.starts[line], line, 1);
        }
        line + 1
    }

    /// The 0-based line of `offset`, searched from `cursor` when it is
    /// ahead of it.
    fn line_index_from(&self, offset: usize, cursor: &(usize, usize, usize)) -> usize {
        let (last_offset, last_line, _) = *cursor;
        if last_offset <= offset {
            // Asked in order, the line is the cursor's or one soon after it:
            // a few lines are stepped over before the rest is searched.
            let ahead = &self.starts[last_line + 1..];
            match ahead.iter().take(LINES_STEPPED).position(|&s| s > offset) {
                Some(k) => last_line + k,
                None => last_line + ahead.partition_point(|&s| s <= offset),
            }
        } else {
            self.starts.partition_point(|&s| s <= offset) - 1
        }
    }

    /// A cursor at the start of the text (offset 0, line 1, column 1).
    pub const START: (usize, usize, usize) = (0, 0, 1);
}

/// Lines [`LineIndex::position_with`] steps over, one by one, before it
/// searches the rest.
const LINES_STEPPED: usize = 4;

impl LineIndex {
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
    fn a_file_is_read_whole_whatever_size_it_had_when_asked() {
        // The size is asked before the file is read; a file that grew or
        // shrank in between is still read whole, small or in pieces.
        let dir = tempfile::tempdir().unwrap();
        for length in [0, 1, 63, 64, 65, 1000, 2 * READ_PIECE_BYTES + 5] {
            let bytes: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
            let path = dir.path().join(format!("{length}.bin"));
            std::fs::write(&path, &bytes).unwrap();
            let told = [0, length / 2, length.saturating_sub(1), length, length + 1, length + 100, 2 * length + 2 * READ_PIECE_BYTES];
            for size in told {
                for parallel in [false, true] {
                    let file = std::fs::File::open(&path).unwrap();
                    let read = read_bytes(&file, size as u64, parallel).unwrap();
                    assert!(read == bytes, "{length} bytes read as {} (told {size}, parallel {parallel})", read.len());
                }
            }
        }
    }

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
    fn a_text_indexed_in_pieces_has_the_lines_of_the_whole() {
        // Every kind of line break, and pieces cut inside `\r\n` and inside
        // Arabic letters.
        let text = "سطر\r\nثان\rثالث\n\nab\r\r\nc\r".repeat(7);
        let whole = LineIndex::new(&text);
        for piece in 1..=9 {
            let pieces = LineIndex::new_in_pieces_of(&text, piece);
            assert_eq!(pieces.starts, whole.starts, "pieces of {piece} bytes");
        }
    }

    #[test]
    fn positions_asked_with_a_cursor_are_positions_counted_afresh() {
        // Lines of every length (empty ones, runs of short ones longer than
        // the lines stepped over), every kind of line break.
        let text = "سطر طويل\r\n\n\na\rb\nc\nd\ne\nf\n\r\nثان\rab\r\r\nالأخير".repeat(3);
        let index = LineIndex::new(&text);
        // Line and column of `offset`, counted from the start.
        let counted = |offset: usize| {
            let (mut line, mut column) = (1, 1);
            for (i, c) in text[..offset].char_indices() {
                // A `\r` before a `\n` is the first half of one line break.
                let breaks = c == '\n' || c == '\r' && !text[i + 1..].starts_with('\n');
                (line, column) = if breaks { (line + 1, 1) } else { (line, column + 1) };
            }
            (line, column)
        };
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        // In order, step by step and in strides; then backwards, where the
        // cursor cannot help.
        for stride in [1, 2, 5, 13, 40] {
            let mut cursor = LineIndex::START;
            for &offset in boundaries.iter().step_by(stride) {
                assert_eq!(index.position_with(&text, offset, &mut cursor), counted(offset), "offset {offset}, stride {stride}");
            }
            for &offset in boundaries.iter().rev().step_by(stride) {
                assert_eq!(index.position_with(&text, offset, &mut cursor), counted(offset), "offset {offset} going back");
            }
        }
        // Lines alone, in order and back; and positions taken up after
        // them with the same cursor.
        for stride in [1, 3, 7, 40] {
            let mut cursor = LineIndex::START;
            for &offset in boundaries.iter().step_by(stride).chain(boundaries.iter().rev().step_by(stride)) {
                assert_eq!(index.line_with(offset, &mut cursor), counted(offset).0, "line of {offset}, stride {stride}");
            }
            let mut cursor = LineIndex::START;
            for (k, &offset) in boundaries.iter().step_by(stride).enumerate() {
                if k % 3 == 0 {
                    assert_eq!(index.line_with(offset, &mut cursor), counted(offset).0, "line of {offset}");
                } else {
                    assert_eq!(index.position_with(&text, offset, &mut cursor), counted(offset), "offset {offset} after lines");
                }
            }
        }
    }

    #[test]
    fn columns_count_scalar_values() {
        let text = "قال: حوار";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, text.find('ح').unwrap()), (1, 6));
    }
}
