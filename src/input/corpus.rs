//! Corpora: a news archive as one file of records — JSON Lines (one JSON
//! object a line) or CSV with a header row — each record's text a document
//! of its own, named `FILE#LINE` after the line of the file where the
//! record starts. A corpus is read as a stream: each record is handed on as
//! soon as it is read, and no more than one record (and what the reader
//! buffers) is held here, so a corpus may be larger than any file qamus
//! reads whole.
//!
//! A corpus is never chosen by extension: only `--input-format jsonl|csv`
//! makes a file one. This module owns the two formats, the naming of a
//! record, and what is wrong with a record (each problem an error naming
//! `FILE:LINE`, the reading going on with the next record).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::error::{Error, ErrorKind};
use crate::input::{io_error, paths, Encoding, MAX_FILE_BYTES};

/// A corpus format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// JSON Lines: one JSON object a line; blank lines are skipped.
    Jsonl,
    /// CSV (RFC 4180) with a header row; separated by commas, or by
    /// semicolons or tabs when the header has no comma.
    Csv,
}

impl CorpusFormat {
    /// Every corpus format with its name for `--input-format` and the
    /// extensions a directory walk picks up when reading corpora.
    pub const ALL: &[(CorpusFormat, &'static str, &'static [&'static str])] =
        &[(CorpusFormat::Jsonl, "jsonl", &["jsonl", "ndjson", "jsonlines"]), (CorpusFormat::Csv, "csv", &["csv", "tsv"])];

    /// The format named `name` (as `--input-format` takes it).
    pub fn from_name(name: &str) -> Option<CorpusFormat> {
        CorpusFormat::ALL.iter().find(|(_, n, _)| *n == name).map(|(f, _, _)| *f)
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        CorpusFormat::ALL.iter().find(|(f, _, _)| *f == self).map_or("jsonl", |(_, n, _)| n)
    }

    /// Whether a directory walk reading corpora of this format picks up
    /// `path`: by its extension (`.jsonl`, `.ndjson`, `.jsonlines`; `.csv`,
    /// `.tsv`), so that a README beside the archives is not read as one.
    pub fn is_walked(self, path: &Path) -> bool {
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else { return false };
        let extension = extension.to_ascii_lowercase();
        CorpusFormat::ALL.iter().any(|(f, _, exts)| *f == self && exts.contains(&extension.as_str()))
    }

    /// The flag naming the text in a record of this format.
    pub fn field_flag(self) -> &'static str {
        match self {
            CorpusFormat::Jsonl => "--text-field",
            CorpusFormat::Csv => "--text-column",
        }
    }
}

/// The field (JSON Lines) or column (CSV) holding a record's text when
/// none is named.
pub const DEFAULT_FIELD: &str = "text";

/// How corpora are read: the format and where the text is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    /// The format.
    pub format: CorpusFormat,
    /// For JSON Lines, a top-level key, or a JSON Pointer (RFC 6901) when it
    /// starts with `/` (`/article/body`); for CSV, a header name.
    pub field: String,
}

/// What a corpus reader needs besides the corpus: the encoding of input
/// without a byte-order mark, and the path standard input stands for.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The format and field.
    pub corpus: &'a Corpus,
    /// `--encoding` (UTF-8 when `None`); it must keep ASCII as ASCII.
    pub encoding: Option<Encoding>,
    /// `--stdin-filename`.
    pub stdin_path: Option<&'a Path>,
}

/// The file a record comes from, shared by all its records.
#[derive(Debug, Default)]
pub struct CorpusFile {
    /// The file on disk (for standard input, the path it stands for, if
    /// any): what configured ignores are matched against.
    pub path: Option<PathBuf>,
    /// Its name as shown ([`paths::display`], or `<stdin>`).
    pub shown: String,
    /// The path relative to the root of the configured ignores, made once
    /// for all the file's records by whoever needs it.
    pub relative: OnceLock<Option<String>>,
}

impl PartialEq for CorpusFile {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.shown == other.shown
    }
}

impl Eq for CorpusFile {}

/// One record of a corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file it was read from.
    pub file: Arc<CorpusFile>,
    /// The 1-based line of the file where the record starts.
    pub line: usize,
    /// Its text (the field's string, the cell), decoded.
    pub text: String,
}

impl Record {
    /// Its name as a document: `FILE#LINE`.
    pub fn name(&self) -> String {
        format!("{}#{}", self.file.shown, self.line)
    }
}

/// The file a document shown as `path` is in: `path` itself, or for a
/// record (`record` is the line it starts on) the part before its `#LINE`.
pub fn file_of(path: &str, record: Option<usize>) -> &str {
    match record {
        Some(_) => path.rsplit_once('#').map_or(path, |(file, _)| file),
        None => path,
    }
}

/// Records of a file whose first this many are all bad end the reading of
/// the file (it is not in the format: one error a line would bury the rest).
const BAD_RECORDS_BEFORE_GIVING_UP: usize = 20;

/// Reads the corpus at `path`, handing each record to `found` as it is read
/// and each problem to `failed`.
pub fn read_path(path: &Path, reading: Reading<'_>, found: &mut dyn FnMut(Record), failed: &mut dyn FnMut(Error)) {
    let shown = paths::display(path);
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return failed(io_error(e, &shown)),
    };
    match file.metadata() {
        Ok(metadata) if metadata.is_dir() => {
            return failed(Error::new(ErrorKind::Io(std::io::Error::other("is a directory")), &shown));
        }
        Ok(_) => {}
        Err(e) => return failed(io_error(e, &shown)),
    }
    let file_info = Arc::new(CorpusFile { path: Some(path.to_path_buf()), shown, relative: OnceLock::new() });
    let mut reader = std::io::BufReader::with_capacity(BUFFER_BYTES, file);
    read(&mut reader, &file_info, reading, MAX_FILE_BYTES as usize, found, failed);
}

/// Reads standard input as a corpus, named after `--stdin-filename`, else
/// `<stdin>`.
pub fn read_stdin(reading: Reading<'_>, found: &mut dyn FnMut(Record), failed: &mut dyn FnMut(Error)) {
    let shown = reading.stdin_path.map_or_else(|| "<stdin>".to_string(), paths::display);
    let file = Arc::new(CorpusFile { path: reading.stdin_path.map(Path::to_path_buf), shown, relative: OnceLock::new() });
    let stdin = std::io::stdin();
    let mut reader = std::io::BufReader::with_capacity(BUFFER_BYTES, stdin.lock());
    read(&mut reader, &file, reading, MAX_FILE_BYTES as usize, found, failed);
}

/// The size of a corpus reader's buffer.
const BUFFER_BYTES: usize = 1 << 16;

/// Reads a corpus from `reader`, the records of `file`; a record (a JSON
/// Lines line, a CSV row) of more than `limit` bytes is an error, read
/// past without being held.
pub fn read(
    reader: &mut dyn BufRead,
    file: &Arc<CorpusFile>,
    reading: Reading<'_>,
    limit: usize,
    found: &mut dyn FnMut(Record),
    failed: &mut dyn FnMut(Error),
) {
    let shown = file.shown.as_str();
    // What the start says: a byte-order mark, or a NUL byte (binary).
    let (bom, nul) = match fill(reader) {
        Ok(start) => (encoding_rs::Encoding::for_bom(start), memchr::memchr(0, start)),
        Err(e) => return failed(io_error(e, shown)),
    };
    if let Some((encoding, bom)) = bom {
        if encoding != encoding_rs::UTF_8 {
            let message = format!("a corpus in {} is not read: convert it to UTF-8", encoding.name());
            return failed(Error::new(ErrorKind::Unsupported(message), shown).at(1, None));
        }
        reader.consume(bom);
    }
    if let Some(offset) = nul {
        return failed(Error::new(ErrorKind::Binary { offset }, shown).at(1, None));
    }
    let decoder = match reading.encoding {
        Some(encoding) if !encoding.is_utf8() => {
            let encoding = encoding.inner();
            if !encoding.is_ascii_compatible() {
                let message = format!("a corpus in {} is not read: convert it to UTF-8", encoding.name());
                return failed(Error::new(ErrorKind::Unsupported(message), shown).at(1, None));
            }
            Some(encoding)
        }
        _ => None,
    };
    let mut records = Records { file, found, failed, good: 0, bad: 0 };
    let outcome = match reading.corpus.format {
        CorpusFormat::Jsonl => read_jsonl(reader, &reading.corpus.field, decoder, limit, &mut records),
        CorpusFormat::Csv => read_csv(reader, &reading.corpus.field, decoder, limit, &mut records),
    };
    if let Err((e, line)) = outcome {
        (records.failed)(io_error(e, shown).at(line, None));
    }
}

/// Where records and problems go, and how many of each there were.
struct Records<'a, 'f> {
    file: &'a Arc<CorpusFile>,
    found: &'f mut dyn FnMut(Record),
    failed: &'f mut dyn FnMut(Error),
    good: usize,
    bad: usize,
}

impl Records<'_, '_> {
    fn found(&mut self, line: usize, text: String) {
        self.good += 1;
        (self.found)(Record { file: Arc::clone(self.file), line, text });
    }

    /// Tells of a bad record at `line` (and `column`); `false` when the file
    /// is not to be read further: every record so far was bad, and there
    /// were [`BAD_RECORDS_BEFORE_GIVING_UP`].
    fn bad(&mut self, line: usize, column: Option<usize>, message: String) -> bool {
        self.bad += 1;
        (self.failed)(Error::new(ErrorKind::Malformed(message), &self.file.shown).at(line, column));
        if self.good == 0 && self.bad == BAD_RECORDS_BEFORE_GIVING_UP {
            let message = format!("the first {BAD_RECORDS_BEFORE_GIVING_UP} records could not be read: is this the right --input-format? The rest of the file is not read");
            (self.failed)(Error::new(ErrorKind::Malformed(message), &self.file.shown));
            return false;
        }
        true
    }
}

/// What is in the reader's buffer, filled when empty (an empty slice at
/// the end).
fn fill(reader: &mut dyn BufRead) -> std::io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    // Filled: this gives the buffer again, reading nothing.
    reader.fill_buf()
}

/// What [`read_line`] read.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line, in the buffer (without its `\n`).
    Read,
    /// A line longer than the limit: read to its end, not kept.
    TooLong,
    /// Nothing: the end of the input.
    End,
}

/// Reads one line (to `\n` or the end) into `line`, holding at most
/// `limit` bytes of it: a longer line is read to its end and dropped.
fn read_line(reader: &mut dyn BufRead, line: &mut Vec<u8>, limit: usize) -> std::io::Result<Line> {
    line.clear();
    let (mut any, mut too_long) = (false, false);
    loop {
        let buffer = fill(reader)?;
        if buffer.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong,
                (true, false) => Line::Read,
            });
        }
        any = true;
        let (piece, used, ended) = match memchr::memchr(b'\n', buffer) {
            Some(i) => (&buffer[..i], i + 1, true),
            None => (buffer, buffer.len(), false),
        };
        if !too_long {
            if line.len() + piece.len() > limit {
                too_long = true;
                *line = Vec::new();
            } else {
                line.extend_from_slice(piece);
            }
        }
        reader.consume(used);
        if ended {
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

/// `bytes` as text: UTF-8, or decoded from `decoder`'s encoding; the error
/// says what is wrong and at which byte.
fn text_of(bytes: Vec<u8>, decoder: Option<&'static encoding_rs::Encoding>, what: &str) -> Result<String, String> {
    match decoder {
        Some(encoding) => match encoding.decode_without_bom_handling_and_without_replacement(&bytes) {
            Some(text) => Ok(text.into_owned()),
            None => Err(format!("{what} is not valid {} (name the file's encoding with --encoding)", encoding.name())),
        },
        None => {
            if simdutf8::basic::from_utf8(&bytes).is_ok() {
                // SAFETY: validated as UTF-8 just above.
                return Ok(unsafe { String::from_utf8_unchecked(bytes) });
            }
            let offset = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
            Err(format!(
                "invalid UTF-8 at byte {offset} of {what} (name the file's encoding with --encoding, e.g. --encoding windows-1256)"
            ))
        }
    }
}

/// `1024 MiB`.
fn limit_text(limit: usize) -> String {
    if limit >= 1 << 20 {
        format!("{} MiB", limit >> 20)
    } else {
        format!("{limit} bytes")
    }
}

/// The JSON Lines reader: each line a record, its text the string at
/// `field`. An I/O error comes back with the line it stopped at.
fn read_jsonl(
    reader: &mut dyn BufRead,
    field: &str,
    decoder: Option<&'static encoding_rs::Encoding>,
    limit: usize,
    records: &mut Records<'_, '_>,
) -> Result<(), (std::io::Error, usize)> {
    let mut bytes = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        let line = read_line(reader, &mut bytes, limit).map_err(|e| (e, number))?;
        let going_on = match line {
            Line::End => return Ok(()),
            Line::TooLong => {
                records.bad(number, None, format!("a line longer than {}, the most qamus reads of a record", limit_text(limit)))
            }
            Line::Read => {
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match jsonl_text(std::mem::take(&mut bytes), field, decoder) {
                    Ok(text) => {
                        records.found(number, text);
                        true
                    }
                    Err((column, message)) => records.bad(number, column, message),
                }
            }
        };
        if !going_on {
            return Ok(());
        }
    }
}

/// The text at `field` of one JSON Lines record, or the column (in
/// characters) where it is malformed and what is wrong.
fn jsonl_text(bytes: Vec<u8>, field: &str, decoder: Option<&'static encoding_rs::Encoding>) -> Result<String, (Option<usize>, String)> {
    // The line is made text first (validated by simdutf8, which on Arabic
    // takes a fifth of the time of the validation serde_json runs on each
    // string it reads from bytes), then parsed as text.
    let line = text_of(bytes, decoder, "the line").map_err(|m| (None, m))?;
    let parsed = serde_json::from_str::<serde_json::Value>(&line).map_err(|e| (Some(char_column(line.as_bytes(), e.column())), e));
    let mut value = parsed.map_err(|(column, e)| (column, format!("malformed JSON: {}", json_message(&e))))?;
    if !value.is_object() {
        return Err((None, format!("a record must be a JSON object, and this is {}", json_kind(&value))));
    }
    let (at, what) = if field.starts_with('/') {
        (value.pointer_mut(field), format!("nothing at {field:?}"))
    } else {
        (value.get_mut(field), format!("no field {field:?}"))
    };
    match at.map(serde_json::Value::take) {
        Some(serde_json::Value::String(text)) => Ok(text),
        Some(other) => Err((None, format!("{} is {}, not a string", field_name(field), json_kind(&other)))),
        None => Err((None, format!("{what} (name the field holding the text with --text-field)"))),
    }
}

fn field_name(field: &str) -> String {
    if field.starts_with('/') {
        format!("the value at {field:?}")
    } else {
        format!("field {field:?}")
    }
}

/// serde_json's message without its own ` at line 1 column N`.
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

/// The 1-based column in characters of serde_json's 1-based byte column.
fn char_column(line: &[u8], byte_column: usize) -> usize {
    let end = byte_column.saturating_sub(1).min(line.len());
    String::from_utf8_lossy(&line[..end]).chars().count() + 1
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The CSV reader: a header row naming the columns, then one record a row,
/// its text the cell under `column`. An I/O error comes back with the line
/// it stopped at.
fn read_csv(
    reader: &mut dyn BufRead,
    column: &str,
    decoder: Option<&'static encoding_rs::Encoding>,
    limit: usize,
    records: &mut Records<'_, '_>,
) -> Result<(), (std::io::Error, usize)> {
    let start = fill(reader).map_err(|e| (e, 1))?;
    let delimiter = super::decode::sniff_delimiter(start);
    let mut rows = CsvRows { reader, delimiter, line: 1, limit, after_cr: false };
    // The header: the first row.
    let (header_line, header) = match rows.next().map_err(|e| (e, rows.line))? {
        None => return Ok(()),
        Some(Row::Cells { line, cells }) => (line, cells),
        Some(Row::TooLong { line }) => {
            let message = format!("a header row longer than {}, the most qamus reads of a record", limit_text(limit));
            records.bad(line, None, message);
            return Ok(());
        }
        Some(Row::Unterminated { line }) => {
            records.bad(line, None, "a quoted cell opened in the header row is never closed".into());
            return Ok(());
        }
    };
    let names: Vec<String> =
        header.into_iter().map(|cell| text_of(cell, decoder, "the header").unwrap_or_default().trim().to_string()).collect();
    let index = match names.iter().enumerate().filter(|(_, n)| *n == column).map(|(i, _)| i).collect::<Vec<_>>()[..] {
        [i] => i,
        [] => {
            let message = format!(
                "no column {column:?} in the header (its columns: {}); name the column holding the text with --text-column",
                names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
            );
            records.bad(header_line, None, message);
            return Ok(());
        }
        _ => {
            records.bad(header_line, None, format!("column {column:?} appears twice in the header"));
            return Ok(());
        }
    };
    loop {
        let going_on = match rows.next().map_err(|e| (e, rows.line))? {
            None => return Ok(()),
            Some(Row::TooLong { line }) => {
                records.bad(line, None, format!("a row longer than {}, the most qamus reads of a record", limit_text(limit)))
            }
            Some(Row::Unterminated { line }) => {
                // The rest of the file is in the cell: nothing more to read.
                records.bad(
                    line,
                    None,
                    "a quoted cell is never closed: the rest of the file was read as this cell, and not checked".into(),
                );
                return Ok(());
            }
            Some(Row::Cells { line, mut cells }) if cells.len() == names.len() => {
                match text_of(std::mem::take(&mut cells[index]), decoder, "the cell") {
                    Ok(text) => {
                        records.found(line, text);
                        true
                    }
                    Err(message) => records.bad(line, None, message),
                }
            }
            Some(Row::Cells { line, cells }) => records.bad(
                line,
                None,
                format!(
                    "the row has {}, the header {}",
                    crate::words::plural(cells.len(), "cell"),
                    crate::words::plural(names.len(), "column")
                ),
            ),
        };
        if !going_on {
            return Ok(());
        }
    }
}

/// One CSV row.
#[derive(Debug, PartialEq, Eq)]
enum Row {
    /// Its cells' bytes, and the line it starts on.
    Cells { line: usize, cells: Vec<Vec<u8>> },
    /// A row longer than the limit, read to its end and not kept.
    TooLong { line: usize },
    /// A quoted cell still open at the end of the input.
    Unterminated { line: usize },
}

/// Rows of RFC 4180 CSV, read one at a time: cells separated by the
/// delimiter, rows ended by `\n`, `\r\n` or `\r`; a cell in double quotes
/// may hold the delimiter, line breaks and doubled quotes (`""`). As the
/// `csv` crate reads them, a quote inside an unquoted cell is kept, and
/// text after a closing quote joins the cell. Empty lines are skipped.
/// Lines are counted as [`LineIndex`](crate::input::LineIndex) counts them,
/// line breaks inside quoted cells included.
struct CsvRows<'r> {
    reader: &'r mut dyn BufRead,
    delimiter: u8,
    /// The line the next byte is on.
    line: usize,
    limit: usize,
    /// The last byte read was a `\r` (a `\n` after it ends no other line).
    after_cr: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CellState {
    /// At the start of a cell.
    Start,
    /// In a cell not in quotes.
    Plain,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: its end, or the first of `""`.
    QuoteInQuoted,
}

impl CsvRows<'_> {
    fn next(&mut self) -> std::io::Result<Option<Row>> {
        let mut cells: Vec<Vec<u8>> = Vec::new();
        let mut cell: Vec<u8> = Vec::new();
        let mut state = CellState::Start;
        let mut row_line = None;
        let mut held = 0usize;
        let mut too_long = false;
        loop {
            let buffer = fill(self.reader)?;
            if buffer.is_empty() {
                return Ok(match (row_line, state) {
                    (None, _) => None,
                    (Some(line), CellState::Quoted) => Some(Row::Unterminated { line }),
                    (Some(line), _) if too_long => Some(Row::TooLong { line }),
                    (Some(line), _) => {
                        cells.push(cell);
                        Some(Row::Cells { line, cells })
                    }
                });
            }
            let mut i = 0;
            let mut ended = false;
            while i < buffer.len() {
                let b = buffer[i];
                // A `\n` right after a `\r` is the second half of one line
                // break: counted, and (between rows) skipped, once.
                if std::mem::take(&mut self.after_cr) && b == b'\n' {
                    i += 1;
                    if state == CellState::Quoted {
                        push_bytes(&mut cell, b"\n", &mut held, self.limit, &mut too_long);
                    }
                    continue;
                }
                if row_line.is_none() {
                    if b == b'\n' || b == b'\r' {
                        // An empty line.
                        self.line += 1;
                        self.after_cr = b == b'\r';
                        i += 1;
                        continue;
                    }
                    row_line = Some(self.line);
                }
                match state {
                    CellState::Start | CellState::Plain | CellState::QuoteInQuoted => {
                        if state == CellState::Start && b == b'"' {
                            state = CellState::Quoted;
                            i += 1;
                            continue;
                        }
                        if state == CellState::QuoteInQuoted && b == b'"' {
                            push_bytes(&mut cell, b"\"", &mut held, self.limit, &mut too_long);
                            state = CellState::Quoted;
                            i += 1;
                            continue;
                        }
                        // Up to the next delimiter or line break.
                        let run = memchr::memchr3(self.delimiter, b'\n', b'\r', &buffer[i..]).map_or(buffer.len() - i, |k| k);
                        if run > 0 {
                            push_bytes(&mut cell, &buffer[i..i + run], &mut held, self.limit, &mut too_long);
                            i += run;
                            state = CellState::Plain;
                            continue;
                        }
                        let b = buffer[i];
                        i += 1;
                        if b == self.delimiter {
                            cells.push(std::mem::take(&mut cell));
                            state = CellState::Start;
                        } else {
                            // The row's end.
                            self.line += 1;
                            self.after_cr = b == b'\r';
                            ended = true;
                            break;
                        }
                    }
                    CellState::Quoted => {
                        let run = memchr::memchr3(b'"', b'\n', b'\r', &buffer[i..]).map_or(buffer.len() - i, |k| k);
                        push_bytes(&mut cell, &buffer[i..i + run], &mut held, self.limit, &mut too_long);
                        i += run;
                        if i == buffer.len() {
                            continue;
                        }
                        let b = buffer[i];
                        i += 1;
                        if b == b'"' {
                            state = CellState::QuoteInQuoted;
                        } else {
                            push_bytes(&mut cell, &[b], &mut held, self.limit, &mut too_long);
                            self.line += 1;
                            self.after_cr = b == b'\r';
                        }
                    }
                }
            }
            self.reader.consume(i);
            if ended {
                let line = row_line.unwrap_or(self.line);
                if too_long {
                    return Ok(Some(Row::TooLong { line }));
                }
                cells.push(cell);
                return Ok(Some(Row::Cells { line, cells }));
            }
        }
    }
}

/// Appends `bytes` to a cell unless the row would hold more than `limit`
/// bytes (then nothing more of it is kept, and `too_long` says so).
fn push_bytes(cell: &mut Vec<u8>, bytes: &[u8], held: &mut usize, limit: usize, too_long: &mut bool) {
    if *too_long {
        return;
    }
    *held += bytes.len();
    if *held > limit {
        *too_long = true;
        *cell = Vec::new();
        return;
    }
    cell.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(format: CorpusFormat, field: &str, input: &[u8], limit: usize, buffer: usize) -> (Vec<(usize, String)>, Vec<String>) {
        read_encoded(format, field, input, limit, buffer, None)
    }

    fn read_encoded(
        format: CorpusFormat,
        field: &str,
        input: &[u8],
        limit: usize,
        buffer: usize,
        encoding: Option<Encoding>,
    ) -> (Vec<(usize, String)>, Vec<String>) {
        let corpus = Corpus { format, field: field.to_string() };
        let reading = Reading { corpus: &corpus, encoding, stdin_path: None };
        let file = Arc::new(CorpusFile { path: None, shown: "c".into(), relative: OnceLock::new() });
        let mut reader = std::io::BufReader::with_capacity(buffer, input);
        let (mut records, mut errors) = (Vec::new(), Vec::new());
        read(&mut reader, &file, reading, limit, &mut |r| records.push((r.line, r.text)), &mut |e| errors.push(e.to_string()));
        (records, errors)
    }

    #[test]
    fn csv_rows_start_on_the_line_they_start_on_whatever_the_buffer() {
        let input = "id,text\r\n1,\"first\r\nsecond, \"\"quoted\"\"\"\r\n\r\n2,plain\n3,\"a\rb\"\n4,\"\"\n";
        for buffer in [1, 2, 3, 7, 64, 1024] {
            let (records, errors) = read_all(CorpusFormat::Csv, "text", input.as_bytes(), 1 << 20, buffer);
            assert!(errors.is_empty(), "{errors:?}");
            let expected =
                vec![(2, "first\r\nsecond, \"quoted\"".to_string()), (5, "plain".to_string()), (6, "a\rb".to_string()), (8, String::new())];
            assert_eq!(records, expected, "buffer of {buffer}");
        }
    }

    #[test]
    fn a_long_record_is_an_error_and_the_next_is_read() {
        let input = "{\"text\":\"short\"}\n{\"text\":\"a much longer line\"}\n{\"text\":\"next\"}";
        for buffer in [1, 5, 64] {
            let (records, errors) = read_all(CorpusFormat::Jsonl, "text", input.as_bytes(), 20, buffer);
            assert_eq!(records, vec![(1, "short".to_string()), (3, "next".to_string())]);
            assert_eq!(errors, vec!["c:2: a line longer than 20 bytes, the most qamus reads of a record"]);
        }
        let input = "text,n\n\"short\",1\n\"a much, much longer cell\",2\nnext,3\n";
        for buffer in [1, 5, 64] {
            let (records, errors) = read_all(CorpusFormat::Csv, "text", input.as_bytes(), 12, buffer);
            assert_eq!(records, vec![(2, "short".to_string()), (4, "next".to_string())]);
            assert_eq!(errors, vec!["c:3: a row longer than 12 bytes, the most qamus reads of a record"]);
        }
    }

    #[test]
    fn a_file_of_bad_records_is_given_up_after_twenty() {
        let input = "not json\n".repeat(100);
        let (records, errors) = read_all(CorpusFormat::Jsonl, "text", input.as_bytes(), 1 << 20, 64);
        assert!(records.is_empty());
        assert_eq!(errors.len(), BAD_RECORDS_BEFORE_GIVING_UP + 1, "{errors:?}");
        assert!(errors.last().unwrap().contains("is this the right --input-format?"), "{errors:?}");
        // One good record first: every bad one is told.
        let input = format!("{{\"text\":\"\"}}\n{input}");
        let (records, errors) = read_all(CorpusFormat::Jsonl, "text", input.as_bytes(), 1 << 20, 64);
        assert_eq!((records.len(), errors.len()), (1, 100));
    }

    #[test]
    fn a_corpus_in_windows_1256_is_read_with_encoding_and_utf_16_or_binary_is_one_error() {
        let text = "id,text\n1,\"قوى الأمن الداخلي\"\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let encoding = Encoding::for_label("windows-1256").ok();
        let (records, errors) = read_encoded(CorpusFormat::Csv, "text", &bytes, 1 << 20, 64, encoding);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records, vec![(2, "قوى الأمن الداخلي".to_string())]);
        // Read as UTF-8, the cell is an error naming its line.
        let (records, errors) = read_all(CorpusFormat::Csv, "text", &bytes, 1 << 20, 64);
        assert!(records.is_empty());
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("c:2: invalid UTF-8 at byte 0 of the cell"), "{errors:?}");
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let (records, errors) = read_all(CorpusFormat::Csv, "text", &utf16, 1 << 20, 64);
        assert!(records.is_empty());
        assert_eq!(errors, vec!["c:1: a corpus in UTF-16LE is not read: convert it to UTF-8"]);
        let (records, errors) = read_all(CorpusFormat::Jsonl, "text", b"{\"text\": \"a\"}\n\0\0", 1 << 20, 64);
        assert!(records.is_empty());
        assert_eq!(errors, vec!["c:1: binary file (NUL byte at byte 14), not text"]);
    }

    #[test]
    fn the_file_of_a_record_is_its_name_before_the_line() {
        assert_eq!(file_of("news/a#b.jsonl#17", Some(17)), "news/a#b.jsonl");
        assert_eq!(file_of("news/a#17", None), "news/a#17");
    }
}
