//! TBX: writing TBX-Basic (TBX v3, `type="TBX-Basic"`) and reading TBX v3
//! (`tbx` › `conceptEntry` › `langSec` › `termSec`) and the older v2
//! (`martif` › `termEntry` › `langSet` › `tig`/`ntig`).
//!
//! Statuses map to `administrativeStatus` (long `preferredTerm-admn-sts` and
//! short `preferred` spellings both read); a forbidden form is written as
//! deprecated with a note that says so, and read back as forbidden. Acronyms
//! carry `termType` `acronym`, English names `fullForm`. Unknown elements
//! are passed over with a notice; malformed XML is an error with line and
//! column; DTD entities are never expanded.

use std::io::{self, Write};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::attested::Row;
use super::{Concept, Glossary, Location, PartsOfSpeech, Status, Term, TermRole};
use crate::error::{Error, Result};

/// The note that marks a deprecated TBX term as forbidden in qamus.
pub const FORBIDDEN_NOTE: &str = "Forbidden: a known mistranslation; never use it.";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn status_value(status: Status) -> &'static str {
    match status {
        Status::Preferred => "preferredTerm-admn-sts",
        Status::Admitted => "admittedTerm-admn-sts",
        Status::Deprecated | Status::Forbidden => "deprecatedTerm-admn-sts",
    }
}

/// Writes rows as TBX-Basic (TBX v3).
pub fn write(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">"#)?;
    writeln!(out, "  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>Written by qamus {}.</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>", env!("CARGO_PKG_VERSION"))?;
    writeln!(out, "  <text>\n    <body>")?;
    for row in rows {
        let c = row.concept;
        writeln!(out, r#"      <conceptEntry id="{}">"#, escape(&c.id))?;
        if let Some(note) = &c.note {
            writeln!(out, "        <note>{}</note>", escape(note))?;
        }
        writeln!(out, r#"        <langSec xml:lang="en">"#)?;
        for term in c.terms.iter().filter(|t| t.role != TermRole::Arabic) {
            let kind = if term.role == TermRole::Acronym { "acronym" } else { "fullForm" };
            // The English name is the preferred English term (an acronym when it is one, as for ISIS).
            let status = if term.text == c.en { Status::Preferred } else { Status::Admitted };
            writeln!(out, "          <termSec>\n            <term>{}</term>", escape(&term.text))?;
            writeln!(out, r#"            <termNote type="termType">{kind}</termNote>"#)?;
            writeln!(out, r#"            <termNote type="administrativeStatus">{}</termNote>"#, status_value(status))?;
            writeln!(out, "          </termSec>")?;
        }
        writeln!(out, "        </langSec>")?;
        writeln!(out, r#"        <langSec xml:lang="ar">"#)?;
        // A rendering with listed forms (ar_forms) has an id its forms refer
        // to; a form is a variant with a cross-reference to its rendering. A
        // form read as several parts of speech is written once for each.
        let term_id = |i: usize| format!("t-{}-ar-{i}", c.id);
        for (i, term) in c.terms.iter().enumerate().filter(|(_, t)| t.role == TermRole::Arabic) {
            let has_forms = c.terms.iter().any(|t| t.form_of == Some(i));
            for (k, pos) in term.pos.names().into_iter().enumerate() {
                let id = if k == 0 && has_forms { format!(r#" id="{}""#, escape(&term_id(i))) } else { String::new() };
                writeln!(out, "          <termSec{id}>\n            <term>{}</term>", escape(&term.text))?;
                writeln!(out, r#"            <termNote type="administrativeStatus">{}</termNote>"#, status_value(term.status))?;
                let pos = if pos == "adj" { "adjective" } else { pos };
                writeln!(out, r#"            <termNote type="partOfSpeech">{pos}</termNote>"#)?;
                if term.form_of.is_some() {
                    writeln!(out, r#"            <termNote type="termType">variant</termNote>"#)?;
                }
                if term.status == Status::Forbidden {
                    writeln!(out, "            <note>{FORBIDDEN_NOTE}</note>")?;
                }
                if let Some(r) = row.renderings.iter().find(|r| r.form == term.text) {
                    writeln!(out, "            <note>Attested {} times in {} sources.</note>", r.count, r.sources)?;
                }
                if let Some(of) = term.form_of {
                    writeln!(
                        out,
                        r#"            <ref type="crossReference" target="{}">form of {}</ref>"#,
                        escape(&term_id(of)),
                        escape(&c.terms[of].text)
                    )?;
                }
                if i == 0 && k == 0 {
                    if let Some(source) = &c.source {
                        writeln!(out, r#"            <admin type="source">{}</admin>"#, escape(source))?;
                    }
                }
                writeln!(out, "          </termSec>")?;
            }
        }
        writeln!(out, "        </langSec>")?;
        writeln!(out, "      </conceptEntry>")?;
    }
    writeln!(out, "    </body>\n  </text>\n</tbx>")
}

/// One term being read.
#[derive(Default)]
struct RawTerm {
    text: String,
    status: Option<Status>,
    acronym: bool,
    forbidden_note: bool,
    source: Option<String>,
    /// Its `id`, which a listed form's cross-reference names.
    id: Option<String>,
    /// The parts of speech its `partOfSpeech` notes give.
    pos: Option<PartsOfSpeech>,
    /// A `termType` variant: a form of another term.
    variant: bool,
    /// The `target` of its `crossReference`: the id of the term it is a form of.
    form_of: Option<String>,
}

/// One concept being read.
#[derive(Default)]
struct RawConcept {
    id: Option<String>,
    line: usize,
    note: Option<String>,
    source: Option<String>,
    terms: Vec<(String, RawTerm)>,
}

fn parse_status(value: &str) -> Option<Status> {
    match value.trim() {
        "preferredTerm-admn-sts" | "preferred" | "preferredTerm" => Some(Status::Preferred),
        "admittedTerm-admn-sts" | "admitted" | "admittedTerm" => Some(Status::Admitted),
        "deprecatedTerm-admn-sts" | "deprecated" | "deprecatedTerm" | "supersededTerm-admn-sts" | "superseded" | "obsolete" => {
            Some(Status::Deprecated)
        }
        "forbidden" | "forbiddenTerm-admn-sts" => Some(Status::Forbidden),
        _ => None,
    }
}

/// Parses TBX v3 or v2.
pub fn parse(bytes: &[u8], name: &str) -> Result<Glossary> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| Error::glossary(name, None, format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let line_col = |offset: usize| {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
    };
    // The line of each concept, counted on from the last one's: the events
    // come in text order, so the whole file is counted once (counting from
    // the start for each concept made loading quadratic).
    let mut counted = (0, 1);
    let mut line_at = |offset: usize| {
        let (from, line) = counted;
        let offset = offset.min(text.len());
        if offset < from {
            return line_col(offset).0;
        }
        counted = (offset, line + text.as_bytes()[from..offset].iter().filter(|&&b| b == b'\n').count());
        counted.1
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut glossary = Glossary { names: vec![name.to_string()], ..Glossary::default() };
    let mut stack: Vec<String> = Vec::new();
    let mut concept: Option<RawConcept> = None;
    let mut lang = String::new();
    let mut term: Option<RawTerm> = None;
    let mut buffer = String::new();
    let mut attribute_type = String::new();
    let mut unknown: std::collections::BTreeSet<String> = Default::default();
    let known = [
        "tbx",
        "martif",
        "tbxHeader",
        "martifHeader",
        "fileDesc",
        "titleStmt",
        "title",
        "publicationStmt",
        "sourceDesc",
        "p",
        "encodingDesc",
        "revisionDesc",
        "change",
        "text",
        "body",
        "back",
        "conceptEntry",
        "termEntry",
        "langSec",
        "langSet",
        "termSec",
        "tig",
        "ntig",
        "termGrp",
        "term",
        "termNote",
        "note",
        "descrip",
        "descripGrp",
        "admin",
        "adminGrp",
        "transac",
        "transacGrp",
        "transacNote",
        "date",
        "xref",
        "ref",
        "hi",
        "foreign",
        "termNoteGrp",
    ];
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let (line, column) = line_col(reader.error_position() as usize);
            Error { column: Some(column), ..Error::glossary(name, Some(line), format!("malformed TBX: {e}")) }
        })?;
        if let Event::Start(e) | Event::Empty(e) = &event {
            if let Some((message, offset)) = crate::input::xml::attribute_problem(e) {
                let (line, column) = line_col(before + offset);
                return Err(Error { column: Some(column), ..Error::glossary(name, Some(line), format!("malformed TBX: {message}")) });
            }
        }
        match event {
            Event::Start(e) | Event::Empty(e) if stack.is_empty() => {
                let root = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if root != "tbx" && root != "martif" {
                    return Err(Error::glossary(
                        name,
                        Some(line_col(before).0),
                        format!("unknown root element <{root}>; a TBX file has <tbx> (v3) or <martif> (v2)"),
                    ));
                }
                stack.push(root);
            }
            Event::Start(e) => {
                let element = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key.as_bytes() || a.key.local_name().as_ref() == key.as_bytes())
                        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
                };
                match element.as_str() {
                    "conceptEntry" | "termEntry" => {
                        concept = Some(RawConcept { id: attr("id"), line: line_at(before), ..RawConcept::default() });
                    }
                    "langSec" | "langSet" => lang = attr("lang").unwrap_or_default().to_ascii_lowercase(),
                    "termSec" | "tig" | "ntig" => term = Some(RawTerm { id: attr("id"), ..RawTerm::default() }),
                    "ref" if attr("type").as_deref() == Some("crossReference") => {
                        if let Some(t) = term.as_mut() {
                            t.form_of = attr("target");
                        }
                    }
                    "termNote" | "descrip" | "admin" | "note" | "term" => {
                        attribute_type = attr("type").unwrap_or_default();
                        buffer.clear();
                    }
                    other if !known.contains(&other) => {
                        unknown.insert(other.to_string());
                    }
                    _ => {}
                }
                if stack.len() >= crate::input::locale::MAX_DEPTH {
                    return Err(Error::glossary(
                        name,
                        Some(line_col(before).0),
                        format!("TBX nested deeper than {} levels", crate::input::locale::MAX_DEPTH),
                    ));
                }
                stack.push(element);
            }
            Event::Text(t) => buffer.push_str(&String::from_utf8_lossy(&t)),
            Event::CData(c) => buffer.push_str(&String::from_utf8_lossy(&c)),
            Event::GeneralRef(r) => {
                let decoded = crate::input::xml::decode_reference(&r).map_err(|entity| {
                    let (line, column) = line_col(before);
                    Error {
                        column: Some(column),
                        ..Error::glossary(name, Some(line), format!("undefined entity &{entity}; (qamus never expands DTD entities)"))
                    }
                })?;
                buffer.push_str(&decoded);
            }
            Event::End(_) => {
                let element = stack.pop().unwrap_or_default();
                let value = buffer.trim().to_string();
                match element.as_str() {
                    "term" => {
                        if let Some(t) = term.as_mut() {
                            t.text = value;
                        }
                    }
                    "termNote" if attribute_type == "administrativeStatus" => {
                        if let Some(t) = term.as_mut() {
                            t.status = parse_status(&value);
                        }
                    }
                    "termNote" if attribute_type == "termType" => {
                        if let Some(t) = term.as_mut() {
                            t.acronym = matches!(value.as_str(), "acronym" | "abbreviation" | "initialism");
                            t.variant = value == "variant";
                        }
                    }
                    "termNote" if attribute_type == "partOfSpeech" => {
                        if let Some(t) = term.as_mut() {
                            let pos = match value.as_str() {
                                "verb" => PartsOfSpeech::VERB,
                                "adjective" | "adj" => PartsOfSpeech::ADJECTIVE,
                                _ => PartsOfSpeech::NOUN,
                            };
                            t.pos = Some(t.pos.map_or(pos, |known| known.union(pos)));
                        }
                    }
                    "note" | "descrip" | "admin" => match (term.as_mut(), concept.as_mut()) {
                        (Some(t), _) if value.starts_with("Forbidden") => t.forbidden_note = true,
                        (Some(t), _) if attribute_type == "source" => t.source = Some(value),
                        (None, Some(c)) if attribute_type == "source" => c.source = Some(value),
                        (None, Some(c)) if element == "note" || attribute_type == "definition" => c.note = Some(value),
                        _ => {}
                    },
                    "termSec" | "tig" | "ntig" => {
                        if let (Some(t), Some(c)) = (term.take(), concept.as_mut()) {
                            c.terms.push((lang.clone(), t));
                        }
                    }
                    "conceptEntry" | "termEntry" => {
                        if let Some(c) = concept.take() {
                            finish(c, name, &mut glossary);
                        }
                    }
                    _ => {}
                }
                buffer.clear();
            }
            Event::Eof => {
                if !stack.is_empty() {
                    let (line, column) = line_col(text.len());
                    return Err(Error {
                        column: Some(column),
                        ..Error::glossary(name, Some(line), "truncated TBX: elements left open at the end")
                    });
                }
                break;
            }
            _ => {}
        }
    }
    if !unknown.is_empty() {
        glossary.notices.push(format!("{name}: passed over unknown elements: {}", unknown.into_iter().collect::<Vec<_>>().join(", ")));
    }
    Ok(glossary)
}

/// Turns a read concept into ours; one without Arabic or English is passed over with a notice.
fn finish(raw: RawConcept, name: &str, glossary: &mut Glossary) {
    let id = raw.id.clone().unwrap_or_else(|| format!("concept-{}", glossary.concepts.len() + 1));
    let is = |lang: &str, code: &str| lang == code || lang.starts_with(&format!("{code}-")) || lang.starts_with(&format!("{code}_"));
    let mut arabic: Vec<&RawTerm> = raw.terms.iter().filter(|(l, t)| is(l, "ar") && !t.text.is_empty()).map(|(_, t)| t).collect();
    let english: Vec<&RawTerm> = raw.terms.iter().filter(|(l, t)| is(l, "en") && !t.text.is_empty()).map(|(_, t)| t).collect();
    let (Some(_), Some(_)) = (arabic.first(), english.first()) else {
        glossary.notices.push(format!("{name}:{}: concept {id:?} has no Arabic or no English term; passed over", raw.line));
        return;
    };
    // A form of another term (a cross-referenced variant) only where the
    // term it names is in the concept.
    let ids: Vec<&str> = arabic.iter().filter_map(|t| t.id.as_deref()).collect();
    fn form_of<'t>(t: &'t RawTerm, ids: &[&str]) -> Option<&'t str> {
        t.form_of.as_deref().filter(|target| t.variant && ids.contains(target))
    }
    // The preferred Arabic first; listed forms after every rendering.
    arabic.sort_by_key(|t| {
        let rank = match t.status {
            Some(Status::Preferred) => 0,
            None | Some(Status::Admitted) => 1,
            Some(Status::Deprecated) => 2,
            Some(Status::Forbidden) => 3,
        };
        (form_of(t, &ids).is_some(), rank)
    });
    if matches!(arabic[0].status, Some(Status::Deprecated | Status::Forbidden)) {
        glossary.notices.push(format!("{name}:{}: concept {id:?} has no preferred or admitted Arabic term; passed over", raw.line));
        return;
    }
    let mut terms: Vec<Term> = Vec::new();
    // Where each id's term went.
    let mut placed: Vec<(&str, usize)> = Vec::new();
    for t in &arabic {
        let pos = t.pos.unwrap_or(PartsOfSpeech::NOUN);
        let lemma = form_of(t, &ids).and_then(|target| placed.iter().find(|(id, _)| *id == target).map(|&(_, index)| index));
        // The same term again (written once for each part of speech).
        if let Some(same) = terms.iter().position(|known| known.text == t.text && known.form_of == lemma) {
            terms[same].pos = terms[same].pos.union(pos);
            if let Some(id) = t.id.as_deref() {
                placed.push((id, same));
            }
            continue;
        }
        let mut status = match (terms.is_empty(), t.status, t.forbidden_note) {
            (true, _, _) => Status::Preferred,
            (_, Some(Status::Deprecated), true) => Status::Forbidden,
            (_, Some(Status::Preferred) | None, _) => Status::Admitted,
            (_, Some(s), _) => s,
        };
        if let Some(lemma) = lemma {
            status = terms[lemma].status;
        }
        if let Some(id) = t.id.as_deref() {
            placed.push((id, terms.len()));
        }
        terms.push(Term { pos, form_of: lemma, ..Term::new(t.text.clone(), status, TermRole::Arabic) });
    }
    // The English name: the preferred English term, else the first full form.
    let en = english
        .iter()
        .find(|t| t.status == Some(Status::Preferred))
        .or_else(|| english.iter().find(|t| !t.acronym))
        .map(|t| t.text.clone())
        .unwrap_or_default();
    let acronym = english.iter().find(|t| t.acronym).map(|t| t.text.clone());
    let mut latin: Vec<(String, TermRole)> = Vec::new();
    latin.extend(acronym.iter().map(|a| (a.clone(), TermRole::Acronym)));
    latin.push((en.clone(), TermRole::English));
    latin.extend(english.iter().filter(|t| !t.acronym).map(|t| (t.text.clone(), TermRole::English)));
    let mut seen: Vec<String> = Vec::new();
    for (text, role) in latin {
        let folded = crate::normalize::fold_str(&text);
        if !seen.contains(&folded) {
            seen.push(folded);
            terms.push(Term::new(text, Status::Admitted, role));
        }
    }
    let source = raw.source.or_else(|| arabic.first().and_then(|t| t.source.clone()));
    glossary.concepts.push(Concept {
        id,
        en,
        acronym,
        terms,
        note: raw.note,
        source,
        examples: Vec::new(),
        location: Location { path: super::shared_path(glossary, name), line: raw.line },
    });
}
