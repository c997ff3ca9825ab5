//! XML translation formats, XLIFF 1.2 and 2.0 and TMX 1.4, read with
//! quick-xml. Inline elements that wrap text (`<g>`, `<pc>`, `<mrk>`, `<hi>`)
//! are joined into their unit's text; native codes and placeholders (`<x/>`,
//! `<ph>`, `<bpt>`, `<ept>`, `<it>`, `<sc/>`, `<ec/>`) are not text and stand
//! as separators no term may cross. Only the five predefined entities and
//! character references are decoded: a DTD's entities, internal or external,
//! are never expanded, so an entity bomb is an error, not a memory blow-up.
//!
//! What a unit's segments share (an XLIFF unit's id and notes) is shared,
//! not copied to each segment, and what a TMX file's units share (its source
//! language) is worked out once: reading stays linear however many segments
//! a unit has.

use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::units::{TextRef, Texts, Unit, UnitBuilder};
use crate::error::{Error, Result};

/// Elements whose content is native code, not text.
const NATIVE: &[&str] = &["ph", "bpt", "ept", "it", "ut", "sub", "x", "bx", "ex", "sc", "ec", "cp", "sm", "em"];

/// One item of an XML text, with its byte position.
enum Item<'a> {
    Start(String, BytesStart<'a>),
    End(String),
    Empty(String, BytesStart<'a>),
    /// Raw character data at a byte offset.
    Text(&'a str, usize),
    /// A decoded reference: the text, its offset, its length in the file.
    Ref(String, usize, usize),
}

pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn walk<'a>(text: &'a str, path: &str, mut f: impl FnMut(Item<'a>) -> Result<()>) -> Result<String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut root = None;
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let (line, column) = line_col(text, reader.error_position() as usize);
            Error::malformed(path, line, column, format!("malformed XML: {e}"))
        })?;
        if let Event::Start(e) | Event::Empty(e) = &event {
            check_attributes(text, path, before, e)?;
        }
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                root.get_or_insert_with(|| name.clone());
                depth += 1;
                if depth > super::locale::MAX_DEPTH {
                    let (line, column) = line_col(text, before);
                    return Err(Error::malformed(
                        path,
                        line,
                        column,
                        format!("XML nested deeper than {} levels", super::locale::MAX_DEPTH),
                    ));
                }
                f(Item::Start(name, e))?;
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                root.get_or_insert_with(|| name.clone());
                f(Item::Empty(name, e))?;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                f(Item::End(String::from_utf8_lossy(e.local_name().as_ref()).into_owned()))?;
            }
            Event::Text(t) => f(text_item(text, before, &t))?,
            Event::CData(c) => f(text_item(text, before + "<![CDATA[".len(), &c))?,
            Event::GeneralRef(r) => {
                let end = reader.buffer_position() as usize;
                let decoded = decode_reference(&r).map_err(|name| {
                    let (line, column) = line_col(text, before);
                    Error::malformed(path, line, column, format!("undefined entity &{name}; (qamus never expands DTD entities)"))
                })?;
                f(Item::Ref(decoded, before, end - before))?;
            }
            Event::Eof => {
                if depth > 0 {
                    let (line, column) = line_col(text, text.len());
                    return Err(Error::malformed(path, line, column, "truncated XML: elements left open at the end"));
                }
                break;
            }
            _ => {}
        }
    }
    root.ok_or_else(|| Error::malformed(path, 1, 1, "no root element"))
}

/// An element's attributes must be well-formed, each named once: with
/// `<tuv xml:lang="en" xml:lang="ar">` the first would win and the Arabic
/// never be checked, so it is an error naming the attribute.
fn check_attributes(text: &str, path: &str, at: usize, e: &BytesStart) -> Result<()> {
    match attribute_problem(e) {
        Some((message, offset)) => {
            let (line, column) = line_col(text, at + offset);
            Err(Error::malformed(path, line, column, format!("malformed XML: {message}")))
        }
        None => Ok(()),
    }
}

/// What is wrong with an element's attributes (one given twice, one not
/// well-formed), and where, in bytes from its `<`; `None` if nothing.
pub(crate) fn attribute_problem(e: &BytesStart) -> Option<(String, usize)> {
    let error = e.attributes().find_map(|a| a.err())?;
    let element = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    Some(match &error {
        // Its position counts from the element's name, past the `<`.
        quick_xml::events::attributes::AttrError::Duplicated(now, _) => {
            let raw: &[u8] = e;
            let key = raw.get(*now..).and_then(|rest| rest.split(|&b| b == b'=').next()).unwrap_or_default();
            let key = String::from_utf8_lossy(key).trim().to_string();
            (format!("attribute {key} given twice in <{element}>"), 1 + now)
        }
        _ => (format!("bad attribute in <{element}>: {error}"), 0),
    })
}

/// Decodes a character reference or one of the five predefined entities;
/// any other entity is an error carrying its name (DTDs are never expanded).
pub(crate) fn decode_reference(r: &quick_xml::events::BytesRef) -> std::result::Result<String, String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Ok(c.to_string());
    }
    let name = String::from_utf8_lossy(r).into_owned();
    Ok(match name.as_str() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return Err(name),
    }
    .to_string())
}

/// Character data as an item: the slice of the text where it stands, or,
/// where the reader's position and the text disagree (a byte-order mark it
/// skipped), the decoded data mapped to the position as a whole.
fn text_item<'a>(text: &'a str, at: usize, data: &[u8]) -> Item<'a> {
    match text.get(at..at + data.len()) {
        Some(slice) if slice.as_bytes() == data => Item::Text(slice, at),
        _ => Item::Ref(String::from_utf8_lossy(data).into_owned(), at.min(text.len()), 0),
    }
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| {
            let key = a.key.as_ref();
            key == name.as_bytes() || a.key.local_name().as_ref() == name.as_bytes()
        })
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// Collects the text of one side, skipping native codes.
#[derive(Default)]
struct SideCollector {
    builder: Option<UnitBuilder>,
    native_depth: usize,
}

impl SideCollector {
    fn start(&mut self) {
        self.builder = Some(UnitBuilder::new());
        self.native_depth = 0;
    }

    fn item(&mut self, item: &Item) {
        let Some(builder) = self.builder.as_mut() else { return };
        match item {
            Item::Start(name, _) if NATIVE.contains(&name.as_str()) => {
                if self.native_depth == 0 {
                    builder.barrier(0);
                }
                self.native_depth += 1;
            }
            Item::End(name) if NATIVE.contains(&name.as_str()) => self.native_depth = self.native_depth.saturating_sub(1),
            Item::Empty(name, _) if NATIVE.contains(&name.as_str()) && self.native_depth == 0 => builder.barrier(0),
            Item::Text(raw, at) if self.native_depth == 0 => builder.copy(raw, *at),
            Item::Ref(decoded, at, len) if self.native_depth == 0 => builder.escape(decoded, *at, *len),
            _ => {}
        }
    }

    fn take(&mut self) -> Option<UnitBuilder> {
        self.builder.take()
    }
}

const UNTRANSLATED: &[&str] = &["new", "needs-translation", "initial"];

/// The units of an XLIFF 1.2 or 2.0 document.
pub fn xliff_units(text: &str, path: &str, include_fuzzy: bool) -> Result<Vec<Unit>> {
    let mut texts = Texts::new(None);
    let mut units = xliff_units_in(text, path, include_fuzzy, &mut texts)?;
    texts.fix_units(&mut units);
    Ok(units)
}

/// [`xliff_units`], their text kept in `texts` (and not yet given them:
/// see [`Texts::fix`]).
pub fn xliff_units_in(text: &str, path: &str, include_fuzzy: bool, texts: &mut Texts) -> Result<Vec<Unit>> {
    let mut units = Vec::new();
    // The unit's id as read, and as the units take it (kept once a unit).
    let mut unit_id: Option<String> = None;
    let mut shared_id: Option<TextRef> = None;
    let mut segment_state: Option<String> = None;
    let mut target_state: Option<String> = None;
    let mut source = SideCollector::default();
    let mut target = SideCollector::default();
    let mut sides: (Option<UnitBuilder>, Option<UnitBuilder>) = (None, None);
    let mut in_side: Option<&'static str> = None;
    let mut note = String::new();
    // The notes so far as the units take them, made afresh only when a note
    // has been added since.
    let mut shared_note: Option<Arc<str>> = None;
    let mut in_note = false;
    let mut checked_root = false;
    let root = walk(text, path, |item| {
        if !checked_root {
            checked_root = true;
            if let Item::Start(name, _) | Item::Empty(name, _) = &item {
                if name != "xliff" {
                    return Err(Error::malformed(path, 1, 1, format!("unknown root element <{name}>; an XLIFF file has <xliff>")));
                }
            }
        }
        match &item {
            Item::Text(raw, _) if in_note => {
                note.push_str(raw);
                shared_note = None;
            }
            Item::End(name) if in_note && name == "note" => {
                in_note = false;
                note.push('\n');
                shared_note = None;
            }
            Item::Start(name, e) if in_side.is_none() => match name.as_str() {
                "trans-unit" | "unit" => {
                    unit_id = attribute(e, "id");
                    shared_id = None;
                    note.clear();
                    shared_note = None;
                }
                "note" => in_note = true,
                "segment" => segment_state = attribute(e, "state"),
                "source" => {
                    in_side = Some("source");
                    source.start();
                }
                "target" => {
                    in_side = Some("target");
                    target_state = attribute(e, "state");
                    target.start();
                }
                _ => {}
            },
            Item::End(name) if in_side == Some(name.as_str()) => {
                match name.as_str() {
                    "source" => sides.0 = source.take(),
                    _ => sides.1 = target.take(),
                }
                in_side = None;
            }
            Item::End(name) if in_side.is_none() && matches!(name.as_str(), "trans-unit" | "segment") => {
                let state = target_state.take().or(segment_state.take());
                let skip = !include_fuzzy && state.as_deref().is_some_and(|s| UNTRANSLATED.contains(&s));
                if let (Some(t), false) = (sides.1.take(), skip) {
                    if !t.text().trim().is_empty() {
                        if shared_id.is_none() {
                            shared_id = unit_id.as_deref().map(|id| texts.push(id));
                        }
                        units.push(Unit {
                            target: t.finish_in(texts),
                            source: sides.0.take().map(|s| s.finish_in(texts)),
                            id: shared_id.clone(),
                            note: (!note.is_empty()).then(|| Arc::clone(shared_note.get_or_insert_with(|| Arc::from(note.as_str())))),
                        });
                    }
                }
                sides = (None, None);
            }
            _ => {
                source.item(&item);
                target.item(&item);
            }
        }
        Ok(())
    })?;
    debug_assert_eq!(root, "xliff");
    Ok(units)
}

/// The units of a TMX document: per `<tu>`, the Arabic `<tuv>` (language
/// `ar` or `ar-…`) against the source language's (the header's `srclang`,
/// else English).
pub fn tmx_units(text: &str, path: &str) -> Result<Vec<Unit>> {
    let mut texts = Texts::new(None);
    let mut units = tmx_units_in(text, path, &mut texts)?;
    texts.fix_units(&mut units);
    Ok(units)
}

/// [`tmx_units`], their text kept in `texts` (and not yet given them: see
/// [`Texts::fix`]).
pub fn tmx_units_in(text: &str, path: &str, texts: &mut Texts) -> Result<Vec<Unit>> {
    let mut units = Vec::new();
    // The source language, lowercased, and its base (`en-us`, `en`).
    let mut srclang = ("en".to_string(), "en".to_string());
    let mut tu_id: Option<String> = None;
    let mut lang: Option<String> = None;
    let mut seg = SideCollector::default();
    let mut in_seg = false;
    let mut variants: Vec<(String, UnitBuilder)> = Vec::new();
    let mut checked_root = false;
    walk(text, path, |item| {
        if !checked_root {
            checked_root = true;
            if let Item::Start(name, _) | Item::Empty(name, _) = &item {
                if name != "tmx" {
                    return Err(Error::malformed(path, 1, 1, format!("unknown root element <{name}>; a TMX file has <tmx>")));
                }
            }
        }
        match &item {
            Item::Start(name, e) | Item::Empty(name, e) if name == "header" => {
                if let Some(l) = attribute(e, "srclang").filter(|l| l != "*all*") {
                    let src = l.to_ascii_lowercase();
                    let base = src.split(['-', '_']).next().unwrap_or("en").to_string();
                    srclang = (src, base);
                }
            }
            Item::Start(name, e) if !in_seg && name == "tu" => {
                tu_id = attribute(e, "tuid");
                variants.clear();
            }
            Item::Start(name, e) if !in_seg && name == "tuv" => lang = attribute(e, "lang").or_else(|| attribute(e, "xml:lang")),
            Item::Start(name, _) if !in_seg && name == "seg" => {
                in_seg = true;
                seg.start();
            }
            Item::End(name) if name == "seg" => {
                in_seg = false;
                if let (Some(builder), Some(l)) = (seg.take(), lang.clone()) {
                    variants.push((l.to_ascii_lowercase(), builder));
                }
            }
            Item::End(name) if !in_seg && name == "tu" => {
                let is = |l: &str, code: &str| l.strip_prefix(code).is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_']));
                let (src, src_base) = (&srclang.0, &srclang.1);
                let mut target = None;
                let mut source = None;
                for (l, builder) in variants.drain(..) {
                    if target.is_none() && is(&l, "ar") {
                        target = Some(builder);
                    } else if source.is_none() && (l == *src || is(&l, src_base)) {
                        source = Some(builder);
                    }
                }
                if let Some(t) = target.filter(|t| !t.text().trim().is_empty()) {
                    units.push(Unit {
                        target: t.finish_in(texts),
                        source: source.map(|s| s.finish_in(texts)),
                        id: tu_id.take().map(|id| texts.push(&id)),
                        note: None,
                    });
                }
            }
            _ => seg.item(&item),
        }
        Ok(())
    })?;
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xliff_2_joins_text_across_inline_tags_with_positions() {
        let text = r#"<?xml version="1.0"?>
<xliff version="2.0" srcLang="en" trgLang="ar">
 <file id="f">
  <unit id="u1">
   <segment state="translated">
    <source>The <pc id="1">Higher Military</pc> Commission</source>
    <target>اللجنة <pc id="1">العسكرية</pc> العليا<ph id="2"/> &amp; نص</target>
   </segment>
  </unit>
  <unit id="u2"><segment state="initial"><source>x</source><target>مسودة</target></segment></unit>
 </file>
</xliff>"#;
        let units = xliff_units(text, "a.xlf", false).unwrap();
        assert_eq!(units.len(), 1);
        let target = &units[0].target;
        assert!(target.text.starts_with("اللجنة العسكرية العليا\u{1F} & نص"), "{:?}", target.text);
        assert_eq!(units[0].source.as_ref().unwrap().text.as_str(), "The Higher Military Commission");
        let at = target.map.start(target.text.find("العسكرية").unwrap());
        assert!(text[at..].starts_with("العسكرية</pc>"));
        assert_eq!(units[0].id.as_deref(), Some("u1"));
        assert_eq!(xliff_units(text, "a.xlf", true).unwrap().len(), 2, "initial targets with --include-fuzzy");
    }

    #[test]
    fn tmx_matches_language_by_prefix() {
        let text = r#"<tmx version="1.4"><header srclang="en-US"/><body>
<tu tuid="7"><tuv xml:lang="en-US"><seg>Iraqi Security Forces</seg></tuv><tuv xml:lang="ar-IQ"><seg>قوى <bpt i="1">&lt;b&gt;</bpt>الأمن<ept i="1">&lt;/b&gt;</ept> الداخلي</seg></tuv></tu>
</body></tmx>"#;
        let units = tmx_units(text, "a.tmx").unwrap();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].source.as_ref().unwrap().text.as_str(), "Iraqi Security Forces");
        assert!(units[0].target.text.contains("الأمن"));
        assert_eq!(units[0].id.as_deref(), Some("7"));
    }

    #[test]
    fn malformed_truncated_bombs_and_unknown_roots_are_errors() {
        let e = xliff_units("<xliff><file></xliff>", "a.xlf", false).unwrap_err().to_string();
        assert!(e.starts_with("a.xlf:1:") && e.contains("malformed XML"), "{e}");
        let e = xliff_units("<xliff><file>", "a.xlf", false).unwrap_err().to_string();
        assert!(e.contains("truncated XML"), "{e}");
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<xliff><file><unit><segment><source>&b;</source></segment></unit></file></xliff>";
        let e = xliff_units(bomb, "a.xlf", false).unwrap_err().to_string();
        assert!(e.contains("a.xlf:3:") && e.contains("undefined entity &b;"), "{e}");
        let external = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xliff><file><unit><segment><target>&e;</target></segment></unit></file></xliff>";
        assert!(xliff_units(external, "a.xlf", false).unwrap_err().to_string().contains("undefined entity &e;"));
        let e = xliff_units("<html></html>", "a.xlf", false).unwrap_err().to_string();
        assert_eq!(e, "a.xlf:1:1: unknown root element <html>; an XLIFF file has <xliff>");
    }

    #[test]
    fn pathological_documents_are_read_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        for kind in ["xliff-segments-sharing-a-unit", "xliff-open-braces", "tmx-open-braces"] {
            let (text, at) = pathological(kind, BYTES);
            let units = if kind.starts_with("tmx") { tmx_units(&text, "p.tmx") } else { xliff_units(&text, "p.xlf", false) }.unwrap();
            let last = &units.last().unwrap().target;
            let found = last.text.find(TERM).unwrap_or_else(|| panic!("{kind}: no term"));
            assert_eq!((last.map.start(found), last.map.end(found + TERM.len())), (at, at + TERM.len()), "{kind}");
            if kind == "xliff-segments-sharing-a-unit" {
                // One unit a segment, all with the one id and notes of the unit.
                assert_eq!(units.len(), text.matches("<segment>").count());
                let (id, note) = (units[0].id.as_ref().unwrap(), units[0].note.as_ref().unwrap());
                assert!(units.iter().all(|u| TextRef::same(u.id.as_ref().unwrap(), id) && Arc::ptr_eq(u.note.as_ref().unwrap(), note)));
                let attribute = &text[text.find("unit id=\"").unwrap() + 9..];
                let notes = &text[text.find("<note>").unwrap() + 6..text.find("</note>").unwrap()];
                assert_eq!((&**id, &**note), (&attribute[..attribute.find('"').unwrap()], format!("{notes}\n").as_str()));
            } else {
                // Nothing closes the `{`s: the whole segment is text.
                let (open, close) = if kind.starts_with("tmx") { ("<seg>", "</seg>") } else { ("<target>", "</target>") };
                let start = text.rfind(open).unwrap() + open.len();
                assert_eq!(last.text.as_str(), &text[start..text.rfind(close).unwrap()], "{kind}");
            }
        }
    }

    #[test]
    fn a_unit_s_notes_are_shared_until_another_note_comes() {
        let text = r#"<xliff version="2.0"><file id="f"><unit id="u"><notes><note>a</note></notes>
<segment><source>x</source><target>ن</target></segment><segment><source>x</source><target>ن</target></segment>
<notes><note>b</note></notes><segment><source>x</source><target>ن</target></segment></unit>
<unit id="v"><segment><source>x</source><target>ن</target></segment></unit></file></xliff>"#;
        let units = xliff_units(text, "a.xlf", false).unwrap();
        let notes: Vec<Option<&str>> = units.iter().map(|u| u.note.as_deref()).collect();
        assert_eq!(notes, vec![Some("a\n"), Some("a\n"), Some("a\nb\n"), None]);
        assert!(Arc::ptr_eq(units[0].note.as_ref().unwrap(), units[1].note.as_ref().unwrap()));
    }
}
