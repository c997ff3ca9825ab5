//! The curated CSV glossary format: one concept per row, a required header, cells
//! with several forms separated by ` | `, and `@spelling` rows that declare
//! word-level spelling equivalences once for the whole glossary.
//!
//! This module owns parsing and the per-row checks (columns, required cells,
//! ids); the checks across rows live in [`super::Glossary::validate`]. It
//! also reads two-language CSV files headed by locale codes, and writes the
//! curated format (with the attested columns of `qamus glossary`) and the
//! plain CSV that CAT tools import.

use super::attested::{Row, RowRendering};
use super::{Concept, Glossary, Location, PartsOfSpeech, SpellingClass, Status, Term, TermRole};
use crate::error::{Error, Result};
use crate::normalize::fold_str;

/// The columns a glossary may have, in their documented order.
pub const COLUMNS: &[&str] = &[
    "id",
    "en",
    "acronym",
    "ar",
    "ar_admitted",
    "ar_deprecated",
    "ar_forbidden",
    "en_variants",
    "note",
    "source",
    "examples",
    "pos",
    "ar_forms",
    "occurrences",
    "sources",
    "dominant",
    "dominant_differs",
    "attested",
    "attested_status",
    "attested_count",
    "attested_sources",
    "attested_example",
];
/// The columns a curated glossary is edited in; the others are written by
/// `qamus glossary` and read back only for `attested`.
pub const CURATED: usize = 13;
const REQUIRED: [Column; 3] = [Column::Id, Column::En, Column::Ar];

/// The curated columns a row is read from, numbered as in [`COLUMNS`].
#[derive(Clone, Copy)]
enum Column {
    Id = 0,
    En = 1,
    Acronym = 2,
    Ar = 3,
    ArAdmitted = 4,
    ArDeprecated = 5,
    ArForbidden = 6,
    EnVariants = 7,
    Note = 8,
    Source = 9,
    Examples = 10,
    Pos = 11,
    ArForms = 12,
    Attested = 17,
}
/// The `id` of a row that declares a spelling equivalence.
pub const SPELLING_ROW: &str = "@spelling";

/// Parses a CSV glossary. `name` is how errors name the file.
pub fn parse(bytes: &[u8], name: &str) -> Result<Glossary> {
    parse_with(bytes, name, crate::input::decode::sniff_delimiter(bytes))
}

/// Parses a glossary in the curated format with another delimiter (TSV).
/// Every row's problem is reported at once (see [`Error::glossary_problems`]).
pub fn parse_with(bytes: &[u8], name: &str, delimiter: u8) -> Result<Glossary> {
    let (glossary, problems) = parse_collecting(bytes, name, delimiter)?;
    match Error::glossary_problems(problems) {
        Some(e) => Err(e),
        None => Ok(glossary),
    }
}

/// [`parse_with`], the rows that could be read and the problems of the
/// others, in file order. The error is one that stops reading (a header
/// without the required columns, a file that cannot be read).
pub fn parse_collecting(bytes: &[u8], name: &str, delimiter: u8) -> Result<(Glossary, Vec<Error>)> {
    // On one thread, pieces would only cost a pass to find where they start.
    let threads = rayon::current_num_threads();
    let pieces = if bytes.len() < PARALLEL_BYTES || threads == 1 { 1 } else { 2 * threads };
    parse_in_pieces(bytes, name, delimiter, pieces)
}

/// [`parse_collecting`], the rows read in about `pieces` pieces in parallel.
fn parse_in_pieces(bytes: &[u8], name: &str, delimiter: u8, pieces: usize) -> Result<(Glossary, Vec<Error>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(true).flexible(false).delimiter(delimiter).from_reader(bytes);
    let headers = reader.headers().map_err(|e| csv_error(e, name))?.clone();
    let mut column = [None; COLUMNS.len()];
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        match COLUMNS.iter().position(|c| *c == header) {
            Some(k) if column[k].is_some() => {
                return Err(Error::glossary(name, Some(1), format!("column {header:?} appears twice in the header")));
            }
            Some(k) => column[k] = Some(i),
            None => {
                // A header cell holding other separators: say which.
                let separated = [';', '\t', '|'].into_iter().find(|&c| header.contains(c) && c != char::from(delimiter));
                let hint = separated.map_or_else(String::new, |c| {
                    format!(
                        " (is this file separated by {c:?}? The header was read as separated by {:?}; a header with no comma is read as separated by ';', or by tabs)",
                        char::from(delimiter)
                    )
                });
                return Err(Error::glossary(
                    name,
                    Some(1),
                    format!("unknown column {header:?}; the known columns are: {}{hint}", COLUMNS[..CURATED].join(", ")),
                ));
            }
        }
    }
    for required in REQUIRED {
        if column[required as usize].is_none() {
            let required = COLUMNS[required as usize];
            return Err(Error::glossary(name, Some(1), format!("the header lacks the required column {required:?}")));
        }
    }
    // The rows are read in pieces, in parallel when the file is large (a
    // glossary of 100,000 concepts is 7 MB); each piece starts on a record.
    let path: std::sync::Arc<str> = name.into();
    let start = reader.position().clone();
    let body = &bytes[start.byte() as usize..];
    let first_line = 1 + bytes[..start.byte() as usize].iter().filter(|&&b| b == b'\n').count() as u64;
    let splits = record_starts(body, delimiter, pieces, first_line);
    // Each piece's concepts, spelling rows and problems, in file order.
    type Piece = (Vec<Concept>, Vec<SpellingClass>, Vec<Error>);
    let read_piece = |k: usize| -> Result<Piece> {
        let (from, first_line) = splits[k];
        let to = splits.get(k + 1).map_or(body.len(), |&(to, _)| to);
        let piece = &body[from..to];
        let mut lines = LineCounter::new(piece, first_line);
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(piece);
        let mut record = ::csv::ByteRecord::new();
        // A row a line, as nearly every row is: the list is made once at
        // its size, not grown by doubling (each step writing fresh memory
        // and copying the rows so far: 100,000 concepts are 21 MB).
        let rows = memchr::memchr_iter(b'\n', piece).count() + 1;
        let (mut concepts, mut spellings, mut problems) = (Vec::with_capacity(rows), Vec::new(), Vec::new());
        while let Some(line) = lines.read(&mut reader, &mut record, name)? {
            if record.len() != headers.len() {
                problems.push(Error::glossary(name, Some(line), unequal_lengths(record.len(), headers.len())));
                continue;
            }
            let cells = match Cells::new(&record) {
                Ok(cells) => cells,
                Err(cell) => {
                    problems.push(not_utf8(name, line, cell));
                    continue;
                }
            };
            match parse_row(&cells, line, &column, &path) {
                Ok(Some(ParsedRow::Concept(concept))) => concepts.push(concept),
                Ok(Some(ParsedRow::Spelling(class))) => spellings.push(class),
                Ok(None) => {}
                Err(e) => problems.push(e),
            }
        }
        Ok((concepts, spellings, problems))
    };
    let pieces: Vec<Result<Piece>> = if splits.len() == 1 {
        vec![read_piece(0)]
    } else {
        use rayon::prelude::*;
        (0..splits.len()).into_par_iter().map(read_piece).collect()
    };
    let mut glossary = Glossary { names: vec![name.to_string()], ..Glossary::default() };
    // Pieces are in file order. The first piece's lists become the
    // glossary's, so that a glossary read in one piece is not copied.
    let all = pieces.iter().map(|piece| piece.as_ref().map_or(0, |(concepts, _, _)| concepts.len())).sum::<usize>();
    let mut problems = Vec::new();
    for (k, piece) in pieces.into_iter().enumerate() {
        let (mut concepts, spellings, piece_problems) = piece?;
        problems.extend(piece_problems);
        if k == 0 {
            concepts.reserve_exact(all - concepts.len());
            (glossary.concepts, glossary.spellings) = (concepts, spellings);
        } else {
            glossary.concepts.extend(concepts);
            glossary.spellings.extend(spellings);
        }
    }
    Ok((glossary, problems))
}

/// The file's own line of each record a csv reader reads, newlines in quoted
/// cells included: the csv crate's count leaves those out. The crate's
/// position of a record is where the one before ended, so the rest of its
/// line ending and any blank lines are skipped to reach the record's line.
/// Records must be asked for in order.
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// For a reader over `bytes`, which start on line `first_line`.
    fn new(bytes: &'a [u8], first_line: u64) -> LineCounter<'a> {
        LineCounter { bytes, counted_to: 0, line: first_line }
    }

    /// Reads the next record into `record` and gives its line; `None` at the
    /// end. An error names the line it is on.
    fn read(&mut self, reader: &mut ::csv::Reader<&[u8]>, record: &mut ::csv::ByteRecord, name: &str) -> Result<Option<usize>> {
        match reader.read_byte_record(record) {
            Ok(true) => Ok(Some(self.line_at(record.position()))),
            Ok(false) => Ok(None),
            Err(e) => {
                let line = self.line_at(e.position());
                Err(csv_error_at(e, name, Some(line)))
            }
        }
    }

    /// The line of the record (or error) at `position`.
    fn line_at(&mut self, position: Option<&::csv::Position>) -> usize {
        let mut byte = position.map_or(self.counted_to, |p| p.byte() as usize).clamp(self.counted_to, self.bytes.len());
        while matches!(self.bytes.get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.counted_to..byte]).count() as u64;
        self.counted_to = byte;
        self.line as usize
    }
}

/// The cells of one record as text. The record's bytes are checked as
/// UTF-8 in one pass (simdutf8: several times faster than the csv crate's
/// `StringRecord`, which was a tenth of loading a large glossary) and each
/// cell is a slice of them.
struct Cells<'r> {
    text: &'r str,
    record: &'r ::csv::ByteRecord,
}

impl<'r> Cells<'r> {
    /// The cells of `record`, or the number (from 1) of the first cell that
    /// is not UTF-8.
    fn new(record: &'r ::csv::ByteRecord) -> std::result::Result<Cells<'r>, usize> {
        // Valid as a whole yet cut inside a character at a cell's edge (a
        // cell ending in a lead byte, the next starting with its
        // continuation) is invalid too: every edge must fall between characters.
        let bad_cell = |text: &str| {
            (0..record.len()).find(|&i| record.range(i).is_some_and(|r| !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end)))
        };
        match simdutf8::basic::from_utf8(record.as_slice()) {
            Ok(text) => match bad_cell(text) {
                None => Ok(Cells { text, record }),
                Some(i) => Err(i + 1),
            },
            Err(_) => {
                let cell = (0..record.len()).find(|&i| std::str::from_utf8(&record[i]).is_err()).unwrap_or(0);
                Err(cell + 1)
            }
        }
    }

    /// The text of cell `i`, as written (untrimmed); `None` past the last.
    fn get(&self, i: usize) -> Option<&'r str> {
        let text: &'r str = self.text;
        self.record.range(i).map(|range| &text[range])
    }

    /// Whether every cell is empty or white space.
    fn is_blank(&self) -> bool {
        trim(self.text).is_empty()
    }
}

/// The error for a record whose cell `cell` (from 1) is not UTF-8.
fn not_utf8(name: &str, line: usize, cell: usize) -> Error {
    Error::glossary(name, Some(line), format!("invalid UTF-8 in field {cell} (save the glossary as UTF-8)"))
}

/// Below this many bytes of rows a glossary is read in one piece.
const PARALLEL_BYTES: usize = 256 * 1024;

/// Where records start in `body` (the rows after the header, whose first
/// line is `first_line`): offset 0, then after about every
/// `body.len() / pieces` bytes the next newline that ends a record, each with
/// its line number (every newline counted, quoted or not). A newline ends a record unless it is inside a quoted
/// field, read as the csv crate reads them: a quote opens a quoted field only
/// at the start of a field, and a doubled quote inside one is a quote.
fn record_starts(body: &[u8], delimiter: u8, pieces: usize, first_line: u64) -> Vec<(usize, u64)> {
    let mut starts = vec![(0, first_line)];
    if pieces <= 1 {
        return starts;
    }
    let step = body.len() / pieces + 1;
    let (mut line, mut quoted, mut field_start) = (first_line, false, true);
    let mut i = 0;
    while i < body.len() {
        let byte = body[i];
        if byte == b'\n' {
            line += 1;
        }
        if quoted {
            if byte == b'"' {
                if body.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if byte == b'"' && field_start {
            quoted = true;
            field_start = false;
        } else if byte == delimiter || byte == b'\r' {
            field_start = true;
        } else if byte == b'\n' {
            field_start = true;
            if i + 1 >= starts[starts.len() - 1].0 + step && i + 1 < body.len() {
                starts.push((i + 1, line));
            }
        } else {
            field_start = false;
        }
        i += 1;
    }
    starts
}

/// What one row of a curated glossary holds.
enum ParsedRow {
    Concept(Concept),
    Spelling(SpellingClass),
}

/// Reads one row of the file `path`, at `line`; `None` for a blank one. `column` maps
/// [`COLUMNS`] to the file's columns.
fn parse_row(record: &Cells<'_>, line: usize, column: &[Option<usize>], path: &std::sync::Arc<str>) -> Result<Option<ParsedRow>> {
    let name = &**path;
    if record.is_blank() {
        return Ok(None);
    }
    // Each cell trimmed once, however often it is read.
    let mut cells = [""; COLUMNS.len()];
    for (cell, at) in cells.iter_mut().zip(column) {
        *cell = trim(at.and_then(|i| record.get(i)).unwrap_or(""));
    }
    let cell = |col: Column| -> &str { cells[col as usize] };
    let location = Location { path: path.clone(), line };
    let id = cell(Column::Id);
    if id == SPELLING_ROW {
        let forms = split(cell(Column::Ar));
        if forms.len() < 2 {
            return Err(Error::glossary(name, Some(line), "a @spelling row needs two or more forms in `ar`, separated by ` | `"));
        }
        let note = Some(cell(Column::Note)).filter(|n| !n.is_empty()).map(str::to_string);
        return Ok(Some(ParsedRow::Spelling(SpellingClass { forms, note, location })));
    }
    for required in REQUIRED {
        if cell(required).is_empty() {
            let required = COLUMNS[required as usize];
            return Err(Error::glossary(name, Some(line), format!("the required cell {required:?} is empty")));
        }
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(Error::glossary(name, Some(line), format!("id {id:?} may hold only ASCII letters, digits, '-', '_' and '.'")));
    }
    let row_pos = match cell(Column::Pos) {
        "" => PartsOfSpeech::NOUN,
        text => PartsOfSpeech::parse(text).map_err(|word| Error::glossary(name, Some(line), unknown_pos(&word)))?,
    };
    let mut preferred = split_trimmed(cell(Column::Ar));
    let (Some(preferred), None) = (preferred.next(), preferred.next()) else {
        return Err(Error::glossary(
            name,
            Some(line),
            "`ar` holds the one preferred rendering; put the others in ar_admitted, and a verb's other stems or a noun's irregular plural in ar_forms",
        ));
    };
    // Room for the usual row: one Arabic form and the English name.
    let mut terms = Vec::with_capacity(2);
    fn tagged<'t>(text: &'t str, row_pos: PartsOfSpeech, name: &str, line: usize) -> Result<(&'t str, PartsOfSpeech)> {
        tagged_form(text, row_pos).map_err(|word| Error::glossary(name, Some(line), unknown_pos(&word)))
    }
    let (text, pos) = tagged(preferred, row_pos, name, line)?;
    terms.push(Term { pos, ..Term::new(text, Status::Preferred, TermRole::Arabic) });
    let arabic =
        [(Column::ArAdmitted, Status::Admitted), (Column::ArDeprecated, Status::Deprecated), (Column::ArForbidden, Status::Forbidden)];
    for (col, status) in arabic {
        for text in split_trimmed(cell(col)) {
            let (text, pos) = tagged(text, row_pos, name, line)?;
            terms.push(Term { pos, ..Term::new(text, status, TermRole::Arabic) });
        }
    }
    inflected_forms(cell(Column::ArForms), row_pos, &mut terms).map_err(|message| Error::glossary(name, Some(line), message))?;
    let acronym = Some(cell(Column::Acronym).to_string()).filter(|a| !a.is_empty());
    let variants = split(cell(Column::EnVariants));
    // Folded only to drop repeats, so a lone English name is not folded.
    let several = acronym.is_some() || !variants.is_empty();
    let latin = (acronym.iter().map(|a| (a.clone(), TermRole::Acronym)))
        .chain(std::iter::once((cell(Column::En).to_string(), TermRole::English)))
        .chain(variants.into_iter().map(|v| (v, TermRole::English)));
    let mut seen: Vec<String> = Vec::new();
    for (text, role) in latin {
        if several {
            let folded = fold_str(&text);
            if seen.contains(&folded) {
                continue;
            }
            seen.push(folded);
        }
        terms.push(Term::new(text, Status::Admitted, role));
    }
    // Renderings `qamus glossary` found that the row does not list are admitted.
    for text in split(cell(Column::Attested)) {
        let folded = fold_str(&text);
        if !terms.iter().any(|t| fold_str(&t.text) == folded) {
            terms.push(Term::new(text, Status::Admitted, TermRole::Arabic));
        }
    }
    let mut examples = Vec::new();
    for example in split(cell(Column::Examples)) {
        match (example.strip_prefix('+'), example.strip_prefix('-')) {
            (Some(text), _) => examples.push((true, text.trim().to_string())),
            (_, Some(text)) => examples.push((false, text.trim().to_string())),
            _ => {
                return Err(Error::glossary(
                    name,
                    Some(line),
                    format!("example {example:?} must start with + (must match) or - (must not)"),
                ))
            }
        }
    }
    let optional = |col: Column| Some(cell(col).to_string()).filter(|s| !s.is_empty());
    Ok(Some(ParsedRow::Concept(Concept {
        id: id.to_string(),
        en: cell(Column::En).to_string(),
        acronym,
        terms,
        note: optional(Column::Note),
        source: optional(Column::Source),
        examples,
        location,
    })))
}

/// The message for a part of speech qamus does not know.
fn unknown_pos(word: &str) -> String {
    if word.is_empty() {
        "an empty part of speech; write noun, verb or adj".to_string()
    } else {
        format!("unknown part of speech {word:?}; write noun, verb or adj (several: \"verb noun\")")
    }
}

/// A form as a cell writes it, and its parts of speech: a trailing
/// `(verb)`, `(adj)`, `(noun)` (or several, `(verb noun)`) gives its own;
/// otherwise the row's. A parenthesis that names no part of speech is part
/// of the form. `Err` names a word in a parenthesis of part-of-speech words
/// that is none.
pub fn tagged_form(text: &str, row: PartsOfSpeech) -> std::result::Result<(&str, PartsOfSpeech), String> {
    let Some(open) = text.strip_suffix(')').and_then(|t| t.rfind('(')) else { return Ok((text, row)) };
    let inside = &text[open + 1..text.len() - 1];
    // Only Latin letters, spaces and separators: a tag, or a mistyped one.
    if inside.trim().is_empty() || !inside.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | ',' | '|' | '+' | '/')) {
        return Ok((text, row));
    }
    let pos = PartsOfSpeech::parse(inside)?;
    Ok((trim(&text[..open]), pos))
}

/// Reads an `ar_forms` cell into `terms` (whose Arabic renderings come
/// first): entries separated by ` | `, each `RENDERING: FORM, FORM` (or
/// `،`), the forms qamus does not derive from a rendering of the row — a
/// verb's imperfect and imperative, a participle, a verbal noun, a broken
/// plural. Without `RENDERING:` the forms are the preferred rendering's.
/// Each takes its rendering's status and counts as that rendering, and is
/// read as its rendering is unless tagged; one equal to its rendering only
/// adds its parts of speech to it.
fn inflected_forms(cell: &str, row: PartsOfSpeech, terms: &mut Vec<Term>) -> std::result::Result<(), String> {
    let renderings = terms.len();
    for entry in split_trimmed(cell) {
        let (lemma, forms) = match entry.split_once([':', '：']) {
            Some((lemma, forms)) => (trim(lemma), forms),
            None => (terms[0].text.as_str(), entry),
        };
        let lemma_key = fold_str(tagged_form(lemma, row).map_err(|word| unknown_pos(&word))?.0);
        let Some(index) = terms[..renderings].iter().position(|t| fold_str(&t.text) == lemma_key) else {
            let listed: Vec<&str> = terms[..renderings].iter().map(|t| t.text.as_str()).collect();
            return Err(format!("ar_forms names «{lemma}», which is none of this row's Arabic renderings («{}»)", listed.join("», «")));
        };
        for form in forms.split([',', '،']).map(trim).filter(|f| !f.is_empty()) {
            // A form without a tag is read as its rendering is.
            let (text, pos) = tagged_form(form, terms[index].pos).map_err(|word| unknown_pos(&word))?;
            if fold_str(text) == lemma_key {
                terms[index].pos = terms[index].pos.union(pos);
                continue;
            }
            let status = terms[index].status;
            terms.push(Term { pos, form_of: Some(index), ..Term::new(text, status, TermRole::Arabic) });
        }
    }
    Ok(())
}

/// Whether a header cell is a locale code (`en`, `ar`, `en-US`, `ar_SA`).
pub fn is_locale_code(cell: &str) -> bool {
    let mut parts = cell.split(['-', '_']);
    let language = parts.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses a two-language CSV headed by locale codes (any order; an optional
/// `description`, `note` or `definition` column). Each row is a concept with
/// preferred forms; ids are made from the English.
pub fn parse_locale_csv(bytes: &[u8], name: &str) -> Result<Glossary> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(crate::input::decode::sniff_delimiter(bytes))
        .from_reader(bytes);
    let headers = reader.headers().map_err(|e| csv_error(e, name))?.clone();
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let find = |language: &str| lower.iter().position(|h| h.split(['-', '_']).next() == Some(language));
    let (Some(en), Some(ar)) = (find("en"), find("ar")) else {
        return Err(Error::glossary(
            name,
            Some(1),
            "a two-language glossary needs an English and an Arabic column (en, ar, en-US, ar-SA, …)",
        ));
    };
    let description = lower.iter().position(|h| matches!(h.as_str(), "description" | "note" | "definition"));
    let mut glossary = Glossary { names: vec![name.to_string()], ..Glossary::default() };
    let path: std::sync::Arc<str> = name.into();
    let mut record = ::csv::ByteRecord::new();
    let mut ids: Vec<String> = Vec::new();
    let mut lines = LineCounter::new(bytes, 1);
    while let Some(line) = lines.read(&mut reader, &mut record, name)? {
        let record = Cells::new(&record).map_err(|cell| not_utf8(name, line, cell))?;
        let english = record.get(en).unwrap_or("").trim();
        let arabic = split(record.get(ar).unwrap_or(""));
        if english.is_empty() && arabic.is_empty() {
            continue;
        }
        if english.is_empty() || arabic.is_empty() {
            return Err(Error::glossary(name, Some(line), "each row needs both the English and the Arabic term"));
        }
        let mut id: String = english.to_ascii_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        id = id.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
        if id.is_empty() || ids.contains(&id) {
            id = format!("row-{line}");
        }
        ids.push(id.clone());
        let mut terms: Vec<Term> = arabic
            .into_iter()
            .enumerate()
            .map(|(i, text)| Term::new(text, if i == 0 { Status::Preferred } else { Status::Admitted }, TermRole::Arabic))
            .collect();
        terms.push(Term::new(english, Status::Admitted, TermRole::English));
        glossary.concepts.push(Concept {
            id,
            en: english.to_string(),
            acronym: None,
            terms,
            note: description.and_then(|d| record.get(d)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            source: None,
            examples: Vec::new(),
            location: Location { path: path.clone(), line },
        });
    }
    Ok(glossary)
}

/// Splits a multi-valued cell on `|`.
pub fn split(cell: &str) -> Vec<String> {
    split_trimmed(cell).map(str::to_string).collect()
}

/// The values of a multi-valued cell, split on `|`, trimmed, empty ones
/// left out.
fn split_trimmed(cell: &str) -> impl Iterator<Item = &str> {
    // Most cells are empty (a column the glossary has not, or leaves
    // blank): not even searched.
    (!cell.is_empty()).then(|| cell.split('|')).into_iter().flatten().map(trim).filter(|s| !s.is_empty())
}

/// [`str::trim`], with a shortcut for the usual cell: one that starts with a
/// byte no white space starts with, and ends in an ASCII character that is
/// not white space or in a character of the Arabic block (U+0600–U+06FF, two
/// bytes led by D8–DB), none of which is white space. (Trimming was a tenth
/// of reading a large glossary's rows: each end decoded and looked up.)
fn trim(cell: &str) -> &str {
    let bytes = cell.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return cell };
    // The first bytes of Unicode's white space: ASCII's, U+0085 and U+00A0
    // (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3).
    let starts_clear = !matches!(first, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3);
    let ends_clear = if last < 0x80 {
        !matches!(last, b'\t'..=b'\r' | b' ')
    } else {
        bytes.len() >= 2 && (0xD8..=0xDB).contains(&bytes[bytes.len() - 2])
    };
    if starts_clear && ends_clear {
        cell
    } else {
        cell.trim()
    }
}

fn csv_error(e: ::csv::Error, name: &str) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    csv_error_at(e, name, line)
}

/// The error of a CSV reader, on `line` of the file.
fn csv_error_at(e: ::csv::Error, name: &str, line: Option<usize>) -> Error {
    let message = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => unequal_lengths(*len as usize, *expected_len as usize),
        ::csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {} (save the glossary as UTF-8)", err.field() + 1),
        ::csv::ErrorKind::Io(err) => format!("cannot read: {err}"),
        _ => format!("malformed CSV: {e}"),
    };
    Error::glossary(name, line, message)
}

fn unequal_lengths(len: usize, expected_len: usize) -> String {
    format!("this row has {} but the header has {expected_len} (a stray comma, or a quote left open?)", crate::words::plural(len, "cell"))
}

/// The cells of a concept's forms in the curated columns: `ar_admitted`,
/// `ar_deprecated`, `ar_forbidden`, `en_variants`, `pos` and `ar_forms`.
/// The row's part of speech is its preferred rendering's; a form of
/// another is written with its own as a tag («محذوف (adj)»).
fn form_cells(concept: &Concept) -> [String; 6] {
    // A rendering is tagged where it is not read as the row is, a listed
    // form where it is not read as its rendering is.
    let row_pos = concept.terms[0].pos;
    let written = |t: &Term| {
        let expected = t.form_of.map_or(row_pos, |of| concept.terms[of].pos);
        if t.pos == expected || t.role != TermRole::Arabic {
            t.text.clone()
        } else {
            format!("{} ({})", t.text, t.pos)
        }
    };
    let join = |status: Status, role: TermRole, skip: &[&str]| {
        concept
            .terms
            .iter()
            .filter(|t| t.status == status && t.role == role && t.is_rendering() && !skip.contains(&t.text.as_str()))
            .map(written)
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let skip_latin: Vec<&str> = std::iter::once(concept.en.as_str()).chain(concept.acronym.as_deref()).collect();
    // Each rendering with listed forms: «RENDERING: FORM, FORM».
    let mut forms: Vec<String> = Vec::new();
    for (index, rendering) in concept.terms.iter().enumerate() {
        let listed: Vec<String> = concept.terms.iter().filter(|t| t.form_of == Some(index)).map(written).collect();
        if !listed.is_empty() {
            forms.push(format!("{}: {}", rendering.text, listed.join(", ")));
        }
    }
    [
        join(Status::Admitted, TermRole::Arabic, &[]),
        join(Status::Deprecated, TermRole::Arabic, &[]),
        join(Status::Forbidden, TermRole::Arabic, &[]),
        join(Status::Admitted, TermRole::English, &skip_latin),
        if row_pos == PartsOfSpeech::NOUN { String::new() } else { row_pos.to_string() },
        forms.join(" | "),
    ]
}

/// Writes rows in the curated format plus the attested columns; the file
/// loads back with `--glossary`.
pub fn write(glossary: &Glossary, rows: &[Row], bom: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record(COLUMNS)?;
    for class in &glossary.spellings {
        let mut record = vec![String::new(); COLUMNS.len()];
        record[0] = SPELLING_ROW.to_string();
        record[3] = class.forms.join(" | ");
        record[Column::Note as usize] = class.note.clone().unwrap_or_default();
        writer.write_record(&record)?;
    }
    for row in rows {
        let c = row.concept;
        let [admitted, deprecated, forbidden, en_variants, pos, ar_forms] = form_cells(c);
        let examples =
            c.examples.iter().map(|(must, text)| format!("{}{text}", if *must { '+' } else { '-' })).collect::<Vec<_>>().join(" | ");
        let list = |f: &dyn Fn(&RowRendering) -> String| row.renderings.iter().map(f).collect::<Vec<_>>().join(" | ");
        let record: Vec<String> = vec![
            c.id.clone(),
            c.en.clone(),
            c.acronym.clone().unwrap_or_default(),
            c.preferred().to_string(),
            admitted,
            deprecated,
            forbidden,
            en_variants,
            c.note.clone().unwrap_or_default(),
            c.source.clone().unwrap_or_default(),
            examples,
            pos,
            ar_forms,
            row.occurrences.to_string(),
            row.sources.to_string(),
            row.dominant.unwrap_or("").to_string(),
            match row.dominant {
                Some(_) if row.dominant_differs => "yes".into(),
                Some(_) => "no".into(),
                None => String::new(),
            },
            list(&|r| r.form.to_string()),
            list(&|r| r.status.to_string()),
            list(&|r| r.count.to_string()),
            list(&|r| r.sources.to_string()),
            list(&|r| r.example.map(|e| format!("{} ({}:{})", e.text.replace('|', "¦"), e.path, e.line)).unwrap_or_default()),
        ];
        writer.write_record(&record)?;
    }
    writer.flush()
}

/// Writes the two-language CSV that CAT tools import: `en,ar,description`
/// (with the locale codes given), preferred forms only.
pub fn write_cat(rows: &[Row], locales: (&str, &str), bom: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out);
    writer.write_record([locales.0, locales.1, "description"])?;
    for row in rows {
        writer.write_record([row.en, row.preferred, row.note.unwrap_or("")])?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_trimmed_as_str_trim_trims_them() {
        // Every string of up to three characters from an alphabet of all of
        // Unicode's white space, and of characters that share their first
        // or last bytes (C2, E1–E3 leads; 80–8A, A0, A8, A9, AF, 9F ends),
        // Arabic letters and marks, ASCII and a four-byte character.
        let alphabet: Vec<char> = " \t\n\u{b}\u{c}\r\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\
                                   \u{1c}\u{a9}\u{c2}\u{1681}\u{200b}\u{2060}\u{2014}\u{3001}\u{e0}\u{600}\u{61c}\u{6ff}\u{640}\u{64e}\
                                   \u{700}\u{fdfa}\u{200c}\u{feff}ابةa.|\u{1f600}"
            .chars()
            .collect();
        let (mut strings, mut longest) = (vec![String::new()], vec![String::new()]);
        for _ in 0..3 {
            longest = longest.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            strings.extend(longest.iter().cloned());
        }
        assert!(strings.len() > alphabet.len().pow(3));
        for s in &strings {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn each_column_number_names_its_column() {
        let named = [
            (Column::Id, "id"),
            (Column::En, "en"),
            (Column::Acronym, "acronym"),
            (Column::Ar, "ar"),
            (Column::ArAdmitted, "ar_admitted"),
            (Column::ArDeprecated, "ar_deprecated"),
            (Column::ArForbidden, "ar_forbidden"),
            (Column::EnVariants, "en_variants"),
            (Column::Note, "note"),
            (Column::Source, "source"),
            (Column::Examples, "examples"),
            (Column::Pos, "pos"),
            (Column::ArForms, "ar_forms"),
            (Column::Attested, "attested"),
        ];
        for (column, name) in named {
            assert_eq!(COLUMNS[column as usize], name);
        }
    }

    #[test]
    fn unknown_column_is_named_with_the_known_ones() {
        let e = parse("id,en,ar,colour\n".as_bytes(), "g.csv").unwrap_err().to_string();
        assert!(e.starts_with("g.csv:1: unknown column \"colour\"; the known columns are: id, en, acronym"), "{e}");
    }

    #[test]
    fn missing_required_column_and_cell() {
        let e = parse("id,en\n".as_bytes(), "g.csv").unwrap_err().to_string();
        assert!(e.contains("lacks the required column \"ar\""), "{e}");
        let e = parse("id,en,ar\nx,X,\n".as_bytes(), "g.csv").unwrap_err().to_string();
        assert_eq!(e, "g.csv:2: the required cell \"ar\" is empty");
    }

    /// Rows with quoted cells that hold newlines, commas, doubled quotes and a
    /// quote that does not open a field, a spelling row, and blank lines.
    fn tricky_rows(n: usize) -> String {
        let mut text = String::from("id,en,ar,note\r\n@spelling,,الأمريكية | الأميركية,\n");
        for i in 0..n {
            let note = match i % 4 {
                0 => format!("\"first line\nsecond, with a comma\nand \"\"quoted\"\" {i}\""),
                1 => format!("an inch is 2.54 cm: 1\" {i}"),
                2 => String::new(),
                _ => format!("\"\"\"\n\n{i}\""),
            };
            text.push_str(&format!("c{i},Concept {i},لجنة رقم {i},{note}\r\n"));
            if i % 7 == 0 {
                text.push('\n');
            }
        }
        text
    }

    #[test]
    fn reading_in_pieces_reads_the_same_rows_on_the_same_lines() {
        let text = tricky_rows(60);
        let whole = parse_in_pieces(text.as_bytes(), "g.csv", b',', 1).unwrap().0;
        assert_eq!(whole.concepts.len(), 60);
        assert_eq!(whole.spellings.len(), 1);
        assert!(whole.concepts[0].note.as_deref().unwrap().contains("second, with a comma\nand \"quoted\""));
        // Lines are the file's: each row starts on the line after the last one's
        // newlines, quoted ones included.
        for (k, concept) in whole.concepts.iter().enumerate() {
            let at = text.find(&format!("\nc{k},")).unwrap() + 1;
            assert_eq!(concept.location.line, 1 + text[..at].matches('\n').count(), "c{k}");
        }
        for pieces in [2, 3, 7, 50, 500] {
            let split = parse_in_pieces(text.as_bytes(), "g.csv", b',', pieces).unwrap().0;
            for (a, b) in split.concepts.iter().zip(&whole.concepts) {
                assert_eq!(a, b, "{pieces} pieces");
            }
            assert_eq!(split, whole, "{pieces} pieces");
        }
        assert!(record_starts(text.as_bytes(), b',', 7, 2).len() > 4, "the rows were not split");
    }

    #[test]
    fn every_row_problem_is_reported_in_file_order_whatever_the_pieces() {
        let mut text = tricky_rows(40);
        text.push_str("bad,Bad\n");
        text.push_str(&tricky_rows(40)[text.find('\n').unwrap() + 1..].replace("c", "d"));
        text.push_str("worse\n");
        let problems = |pieces: usize| -> Vec<String> {
            parse_in_pieces(text.as_bytes(), "g.csv", b',', pieces).unwrap().1.iter().map(|e| e.to_string()).collect()
        };
        let whole = problems(1);
        let line = 1 + text[..text.find("bad,Bad").unwrap()].matches('\n').count();
        let last = 1 + text[..text.find("worse").unwrap()].matches('\n').count();
        assert_eq!(
            whole,
            vec![
                format!("g.csv:{line}: this row has 2 cells but the header has 4 (a stray comma, or a quote left open?)"),
                format!("g.csv:{last}: this row has 1 cell but the header has 4 (a stray comma, or a quote left open?)"),
            ]
        );
        for pieces in [2, 3, 7, 50] {
            assert_eq!(problems(pieces), whole, "{pieces} pieces");
        }
        // The rows around them are read.
        assert_eq!(parse_in_pieces(text.as_bytes(), "g.csv", b',', 3).unwrap().0.concepts.len(), 80);
    }

    #[test]
    fn a_two_language_glossary_names_the_file_lines_after_a_multi_line_cell() {
        let text = "en,ar,note\r\nJoint Dialogue,الحوار المشترك,\"held twice\na year\"\r\n\nHigher Commission,اللجنة العليا,\nBroken row\n";
        let e = parse_locale_csv(text.as_bytes(), "l.csv").unwrap_err().to_string();
        assert!(e.starts_with("l.csv:6: this row has 1 cell but the header has 3"), "{e}");
        let g = parse_locale_csv(text.replace("Broken row\n", "").as_bytes(), "l.csv").unwrap();
        assert_eq!(g.concepts.iter().map(|c| c.location.line).collect::<Vec<_>>(), vec![2, 5]);
    }

    #[test]
    fn ragged_row_names_its_line() {
        let e = parse("id,en,ar\nx,X,حوار\ny,Y\n".as_bytes(), "g.csv").unwrap_err().to_string();
        assert!(e.starts_with("g.csv:3: this row has 2 cells but the header has 3"), "{e}");
    }

    #[test]
    fn a_cell_not_in_utf8_is_named_with_its_line_in_either_format() {
        // A Latin-1 «é» in the second cell of line 3; then an Arabic letter
        // cut at a cell's edge (its lead byte ends the second cell, its
        // continuation starts the third), which is valid UTF-8 once the
        // record's cells are put end to end.
        for (row, cell) in [(&b"y,Caf\xe9,\xd8\xad\xd9\x88\xd8\xa7\xd8\xb1\n"[..], 2), (&b"y,Y\xd8,\xad\xd9\x88\xd8\xa7\xd8\xb1\n"[..], 2)]
        {
            let mut text = "id,en,ar\nx,X,حوار\n".as_bytes().to_vec();
            text.extend_from_slice(row);
            let e = parse(&text, "g.csv").unwrap_err().to_string();
            assert_eq!(e, format!("g.csv:3: invalid UTF-8 in field {cell} (save the glossary as UTF-8)"));
            let mut text = "en,ar\nDialogue,حوار\n".as_bytes().to_vec();
            text.extend_from_slice(&row[2..]);
            let e = parse_locale_csv(&text, "l.csv").unwrap_err().to_string();
            assert_eq!(e, format!("l.csv:3: invalid UTF-8 in field {} (save the glossary as UTF-8)", cell - 1));
        }
        // Rows that are all white space are blank, whatever their cells.
        let g = parse("id,en,ar\nx,X,حوار\n ,\u{a0}, \t\n".as_bytes(), "g.csv").unwrap();
        assert_eq!(g.concepts.len(), 1);
    }

    #[test]
    fn bom_in_header_is_accepted() {
        let g = parse("\u{FEFF}id,en,ar\nx,X,حوار\n".as_bytes(), "g.csv").unwrap();
        assert_eq!(g.concepts[0].id, "x");
    }

    #[test]
    fn forms_split_on_bars_and_latin_forms_are_admitted() {
        let g = parse("id,en,acronym,ar,ar_deprecated\nhmc,Higher Military Commission,HMC,اللجنة العسكرية العليا,اللجنة العسكرية المشتركة | لجنة عسكرية رفيعة المستوى\n".as_bytes(), "g.csv").unwrap();
        let c = &g.concepts[0];
        assert_eq!(c.preferred(), "اللجنة العسكرية العليا");
        assert_eq!(c.terms.iter().filter(|t| t.status == Status::Deprecated).count(), 2);
        assert_eq!(c.terms.iter().filter(|t| t.role != TermRole::Arabic).map(|t| t.status).collect::<Vec<_>>(), vec![Status::Admitted; 2]);
    }
}
