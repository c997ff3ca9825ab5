//! Gettext PO/POT catalogues: entries with `msgctxt`, `msgid`/`msgid_plural`,
//! `msgstr` and `msgstr[n]`, multi-line strings with C escapes, comments and
//! flags. The header entry and obsolete `#~` entries are skipped, and `fuzzy`
//! entries unless asked for. Each translated `msgstr` is a unit whose source
//! is the `msgid` (`msgid_plural` for the plural forms after the first).

use super::units::{Side, Texts, Unit, UnitBuilder};
use crate::error::{Error, Result};

#[derive(Default)]
struct Entry {
    context: Option<String>,
    msgid: Option<Side>,
    msgid_text: String,
    plural: Option<Side>,
    msgstr: Vec<(usize, Side)>,
    fuzzy: bool,
    line: usize,
}

enum Field {
    Context(UnitBuilder),
    Id(UnitBuilder),
    Plural(UnitBuilder),
    Str(usize, UnitBuilder),
}

/// The units of a PO text.
pub fn units(text: &str, path: &str, include_fuzzy: bool) -> Result<Vec<Unit>> {
    let mut texts = Texts::new(None);
    let mut units = units_in(text, path, include_fuzzy, &mut texts)?;
    texts.fix_units(&mut units);
    Ok(units)
}

/// [`units`], their text kept in `texts` (and not yet given them: see
/// [`Texts::fix`]).
pub fn units_in(text: &str, path: &str, include_fuzzy: bool, texts: &mut Texts) -> Result<Vec<Unit>> {
    let mut units = Vec::new();
    let mut entry = Entry::default();
    let mut field: Option<Field> = None;
    let mut flags_fuzzy = false;
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let at = |col_byte: usize| line[..col_byte.min(line.len())].chars().count() + 1;
        if trimmed.is_empty() {
            close_field(&mut entry, &mut field, texts);
            finish(&mut entry, &mut units, include_fuzzy, path, texts)?;
            continue;
        }
        if trimmed.starts_with("#~") {
            continue;
        }
        if let Some(flags) = trimmed.strip_prefix("#,") {
            flags_fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            continue;
        }
        if trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('"') {
            let Some(current) = field.as_mut() else {
                return Err(Error::malformed(path, line_no, at(indent), "a string continues no msgid or msgstr"));
            };
            let builder = match current {
                Field::Context(b) | Field::Id(b) | Field::Plural(b) | Field::Str(_, b) => b,
            };
            parse_string(line, indent, line_start, builder, path, line_no)?;
            continue;
        }
        let keyword = trimmed.split(|c: char| c.is_whitespace() || c == '"').next().unwrap_or(trimmed);
        let after_keyword = indent + keyword.len();
        let quote = line[after_keyword..].find(|c: char| !c.is_whitespace()).map(|p| after_keyword + p);
        let starts_entry = matches!(keyword, "msgctxt" | "msgid") && (entry.msgid.is_some() || !entry.msgstr.is_empty());
        close_field(&mut entry, &mut field, texts);
        if starts_entry {
            finish(&mut entry, &mut units, include_fuzzy, path, texts)?;
        }
        if entry.line == 0 {
            entry.line = line_no;
            entry.fuzzy = flags_fuzzy;
            flags_fuzzy = false;
        }
        let mut builder = UnitBuilder::new();
        let Some(quote) = quote.filter(|q| line[*q..].starts_with('"')) else {
            return Err(Error::malformed(path, line_no, at(after_keyword), format!("{keyword} needs a quoted string")));
        };
        parse_string(line, quote, line_start, &mut builder, path, line_no)?;
        field = Some(match keyword {
            "msgctxt" => Field::Context(builder),
            "msgid" => Field::Id(builder),
            "msgid_plural" => Field::Plural(builder),
            "msgstr" => {
                if entry.msgid.is_none() {
                    return Err(Error::malformed(path, line_no, at(indent), "msgstr without a msgid before it"));
                }
                Field::Str(0, builder)
            }
            k if k.starts_with("msgstr[") && k.ends_with(']') => {
                if entry.msgid.is_none() {
                    return Err(Error::malformed(path, line_no, at(indent), "msgstr without a msgid before it"));
                }
                let n = k["msgstr[".len()..k.len() - 1]
                    .parse()
                    .map_err(|_| Error::malformed(path, line_no, at(indent), format!("bad plural index in {k}")))?;
                Field::Str(n, builder)
            }
            other => return Err(Error::malformed(path, line_no, at(indent), format!("unknown keyword {other:?}"))),
        });
    }
    close_field(&mut entry, &mut field, texts);
    finish(&mut entry, &mut units, include_fuzzy, path, texts)?;
    Ok(units)
}

fn close_field(entry: &mut Entry, field: &mut Option<Field>, texts: &mut Texts) {
    match field.take() {
        Some(Field::Context(b)) => entry.context = Some(b.text().to_string()),
        Some(Field::Id(b)) => {
            entry.msgid_text = b.text().to_string();
            entry.msgid = Some(b.finish_in(texts));
        }
        Some(Field::Plural(b)) => entry.plural = Some(b.finish_in(texts)),
        // An empty translation is no unit: nothing of it is kept.
        Some(Field::Str(n, b)) if !b.text().trim().is_empty() => entry.msgstr.push((n, b.finish_in(texts))),
        Some(Field::Str(..)) | None => {}
    }
}

fn finish(entry: &mut Entry, units: &mut Vec<Unit>, include_fuzzy: bool, path: &str, texts: &mut Texts) -> Result<()> {
    let done = std::mem::take(entry);
    let Some(msgid) = done.msgid else {
        if done.context.is_some() {
            return Err(Error::malformed(path, done.line, 1, "msgctxt without a msgid after it"));
        }
        return Ok(());
    };
    if done.msgid_text.is_empty() || (done.fuzzy && !include_fuzzy) {
        return Ok(());
    }
    // One id, and one source, shared by all the entry's forms.
    if done.msgstr.iter().all(|(_, target)| texts.text_of(&target.text).trim().is_empty()) {
        return Ok(());
    }
    let id = match &done.context {
        Some(context) => texts.push_parts(&[context.as_str(), "|", &done.msgid_text], ""),
        None => texts.push(&done.msgid_text),
    };
    for (n, target) in done.msgstr {
        if texts.text_of(&target.text).trim().is_empty() {
            continue;
        }
        let source = if n == 0 { msgid.clone() } else { done.plural.clone().unwrap_or_else(|| msgid.clone()) };
        units.push(Unit { target, source: Some(source), id: Some(id.clone()), note: None });
    }
    Ok(())
}

/// Parses the C string that opens at byte `quote` of `line` into `builder`.
fn parse_string(line: &str, quote: usize, line_start: usize, builder: &mut UnitBuilder, path: &str, line_no: usize) -> Result<()> {
    let column = |byte: usize| line[..byte.min(line.len())].chars().count() + 1;
    let body = &line[quote + 1..];
    let base = line_start + quote + 1;
    let mut run_start = 0;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                builder.copy(&body[run_start..i], base + run_start);
                let after = body[i + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    return Err(Error::malformed(path, line_no, column(quote + 2 + i), "text after the closing quote"));
                }
                return Ok(());
            }
            '\\' => {
                builder.copy(&body[run_start..i], base + run_start);
                let Some((_, e)) = chars.next() else { break };
                let (decoded, len) = match e {
                    'n' => ('\n', 2),
                    't' => ('\t', 2),
                    'r' => ('\r', 2),
                    '"' => ('"', 2),
                    '\\' => ('\\', 2),
                    'a' => ('\u{7}', 2),
                    'b' => ('\u{8}', 2),
                    'f' => ('\u{C}', 2),
                    'v' => ('\u{B}', 2),
                    '0'..='7' => {
                        let digits: String = std::iter::once(e)
                            .chain(std::iter::from_fn(|| chars.next_if(|(_, d)| ('0'..='7').contains(d)).map(|(_, d)| d)))
                            .take(3)
                            .collect();
                        let value = u32::from_str_radix(&digits, 8).unwrap_or(0);
                        (char::from_u32(value).unwrap_or('\u{FFFD}'), 1 + digits.len())
                    }
                    'x' => {
                        let digits: String =
                            std::iter::from_fn(|| chars.next_if(|(_, d)| d.is_ascii_hexdigit()).map(|(_, d)| d)).take(2).collect();
                        if digits.is_empty() {
                            return Err(Error::malformed(path, line_no, column(quote + 1 + i), "\\x without hex digits"));
                        }
                        (char::from_u32(u32::from_str_radix(&digits, 16).unwrap_or(0)).unwrap_or('\u{FFFD}'), 2 + digits.len())
                    }
                    other => return Err(Error::malformed(path, line_no, column(quote + 1 + i), format!("unknown escape \\{other}"))),
                };
                builder.escape(decoded.encode_utf8(&mut [0; 4]), base + i, len);
                run_start = i + len;
            }
            _ => {}
        }
    }
    Err(Error::malformed(path, line_no, column(quote), "unterminated string"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = r#"# header
msgid ""
msgstr ""
"Language: ar\n"

#. extracted
#: src/a.c:1
msgctxt "menu"
msgid "Higher Military Commission"
msgstr "اللجنة العسكرية العليا"

#, fuzzy
msgid "Fuzzy"
msgstr "مؤسسة حمد الطبية"

msgid "One committee"
msgid_plural "%d committees"
msgstr[0] "لجنة"
msgstr[1] "لجنتان"

msgid "Quote"
msgstr "قال \"اللجنة\"\n"
"العسكرية"

#~ msgid "Old"
#~ msgstr "مؤسسة حمد الطبية"
"#;

    #[test]
    fn entries_plurals_fuzzy_obsolete_and_escapes() {
        let units = units(PO, "a.po", false).unwrap();
        let targets: Vec<&str> = units.iter().map(|u| u.target.text.as_str()).collect();
        assert_eq!(targets, vec!["اللجنة العسكرية العليا", "لجنة", "لجنتان", "قال \"اللجنة\"\nالعسكرية"]);
        assert_eq!(units[0].id.as_deref(), Some("menu|Higher Military Commission"));
        assert_eq!(units[2].source.as_ref().unwrap().text.as_str(), "\u{1F}  committees");
        assert_eq!(super::units(PO, "a.po", true).unwrap().len(), 5, "with --include-fuzzy");
    }

    #[test]
    fn positions_point_into_the_file() {
        let units = units(PO, "a.po", false).unwrap();
        let quote = &units[3].target;
        let start = quote.map.start(quote.text.find("العسكرية").unwrap());
        assert!(PO[start..].starts_with("العسكرية\""));
        let start = quote.map.start(quote.text.find("اللجنة").unwrap());
        assert!(PO[start..].starts_with("اللجنة\\\""));
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = units("msgid \"a\"\nmsgstr \"b\n", "x.po", false).unwrap_err().to_string();
        assert_eq!(e, "x.po:2:8: unterminated string");
        let e = units("msgid \"a\\q\"\nmsgstr \"b\"\n", "x.po", false).unwrap_err().to_string();
        assert_eq!(e, "x.po:1:9: unknown escape \\q");
        let e = units("msgstr \"b\"\n", "x.po", false).unwrap_err().to_string();
        assert_eq!(e, "x.po:1:1: msgstr without a msgid before it");
    }

    #[test]
    fn pathological_catalogues_are_read_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        for kind in ["po-pragma-lines", "po-open-braces", "po-plural-forms"] {
            let (text, at) = pathological(kind, BYTES);
            let units = units(&text, "p.po", false).unwrap();
            let last = &units.last().unwrap().target;
            let found = last.text.find(TERM).unwrap_or_else(|| panic!("{kind}: no term"));
            assert_eq!((last.map.start(found), last.map.end(found + TERM.len())), (at, at + TERM.len()), "{kind}");
            match kind {
                // Nothing closes the `{`s: the whole msgstr is text.
                "po-open-braces" => assert_eq!(last.text.as_str(), &text[text.find("msgstr \"").unwrap() + 8..text.len() - 2]),
                // One unit a form, all with the one id and source of the entry.
                "po-plural-forms" => {
                    assert_eq!(units.len(), text.matches("msgstr[").count());
                    let (id, source) = (units[0].id.as_ref().unwrap(), &units[0].source.as_ref().unwrap().text);
                    assert!(units.iter().all(|u| super::super::units::TextRef::same(u.id.as_ref().unwrap(), id)));
                    assert!(units.iter().all(|u| super::super::units::TextRef::same(&u.source.as_ref().unwrap().text, source)));
                    assert_eq!(id.len(), text.find("\"\n").unwrap() - "msgid \"".len());
                }
                _ => assert_eq!(units.len(), 1, "{kind}"),
            }
        }
    }
}
