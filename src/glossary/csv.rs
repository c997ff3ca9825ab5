//! The curated CSV glossary format: one concept per row, a required header, cells
//! with several forms separated by ` | `, and `@spelling` rows that declare
//! word-level spelling equivalences once for the whole glossary.
//!
//! This module owns parsing and the per-row checks (columns, required cells,
//! ids); the checks across rows live in [`super::Glossary::validate`].

use super::{Concept, Glossary, Location, SpellingClass, Status, Term, TermRole};
use crate::error::{Error, Result};
use crate::normalize::fold_str;

/// The columns a glossary may have, in their documented order.
pub const COLUMNS: &[&str] =
    &["id", "en", "acronym", "ar", "ar_admitted", "ar_deprecated", "ar_forbidden", "en_variants", "note", "source"];
const REQUIRED: &[&str] = &["id", "en", "ar"];
/// The `id` of a row that declares a spelling equivalence.
pub const SPELLING_ROW: &str = "@spelling";

/// Parses a CSV glossary. `name` is how errors name the file.
pub fn parse(bytes: &[u8], name: &str) -> Result<Glossary> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes);
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
                return Err(Error::glossary(
                    name,
                    Some(1),
                    format!("unknown column {header:?}; the known columns are: {}", COLUMNS.join(", ")),
                ))
            }
        }
    }
    for required in REQUIRED {
        if column[COLUMNS.iter().position(|c| c == required).unwrap()].is_none() {
            return Err(Error::glossary(name, Some(1), format!("the header lacks the required column {required:?}")));
        }
    }
    let mut glossary = Glossary { names: vec![name.to_string()], ..Glossary::default() };
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e, name)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |col: &str| -> &str {
            let k = COLUMNS.iter().position(|c| *c == col).unwrap();
            column[k].and_then(|i| record.get(i)).unwrap_or("").trim()
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let location = Location { path: name.to_string(), line };
        let id = cell("id");
        if id == SPELLING_ROW {
            let forms = split(cell("ar"));
            if forms.len() < 2 {
                return Err(Error::glossary(name, Some(line), "a @spelling row needs two or more forms in `ar`, separated by ` | `"));
            }
            glossary.spellings.push(SpellingClass { forms, location });
            continue;
        }
        for required in REQUIRED {
            if cell(required).is_empty() {
                return Err(Error::glossary(name, Some(line), format!("the required cell {required:?} is empty")));
            }
        }
        if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(Error::glossary(name, Some(line), format!("id {id:?} may hold only ASCII letters, digits, '-', '_' and '.'")));
        }
        let preferred = split(cell("ar"));
        if preferred.len() != 1 {
            return Err(Error::glossary(name, Some(line), "`ar` holds the one preferred rendering; put the others in ar_admitted"));
        }
        let mut terms = Vec::new();
        let arabic = [
            ("ar", Status::Preferred),
            ("ar_admitted", Status::Admitted),
            ("ar_deprecated", Status::Deprecated),
            ("ar_forbidden", Status::Forbidden),
        ];
        for (col, status) in arabic {
            for text in split(cell(col)) {
                terms.push(Term { text, status, role: TermRole::Arabic });
            }
        }
        let acronym = Some(cell("acronym").to_string()).filter(|a| !a.is_empty());
        let mut latin = Vec::new();
        latin.extend(acronym.iter().map(|a| (a.clone(), TermRole::Acronym)));
        latin.push((cell("en").to_string(), TermRole::English));
        latin.extend(split(cell("en_variants")).into_iter().map(|v| (v, TermRole::English)));
        let mut seen: Vec<String> = Vec::new();
        for (text, role) in latin {
            let folded = fold_str(&text);
            if !seen.contains(&folded) {
                seen.push(folded);
                terms.push(Term { text, status: Status::Admitted, role });
            }
        }
        let optional = |col: &str| Some(cell(col).to_string()).filter(|s| !s.is_empty());
        glossary.concepts.push(Concept {
            id: id.to_string(),
            en: cell("en").to_string(),
            acronym,
            terms,
            note: optional("note"),
            source: optional("source"),
            location,
        });
    }
    Ok(glossary)
}

/// Splits a multi-valued cell on `|`.
pub fn split(cell: &str) -> Vec<String> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn csv_error(e: ::csv::Error, name: &str) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} cells but the header has {expected_len} (a stray comma, or a quote left open?)")
        }
        ::csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {} (save the glossary as UTF-8)", err.field() + 1),
        ::csv::ErrorKind::Io(err) => format!("cannot read: {err}"),
        _ => format!("malformed CSV: {e}"),
    };
    Error::glossary(name, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn ragged_row_names_its_line() {
        let e = parse("id,en,ar\nx,X,حوار\ny,Y\n".as_bytes(), "g.csv").unwrap_err().to_string();
        assert!(e.starts_with("g.csv:3: this row has 2 cells but the header has 3"), "{e}");
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
