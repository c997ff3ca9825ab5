//! Office documents: Word's `.docx` (WordprocessingML, also `.docm`,
//! `.dotx`, `.dotm`) and OpenDocument text (`.odt`, `.ott`, and the flat
//! `.fodt`). This module owns turning such a file into the text that is
//! checked: one line a paragraph, so that a finding's line is the paragraph's
//! number and its column counts characters in that paragraph's text, and
//! everything downstream (matching, judging, the printers) sees plain text.
//!
//! What is read:
//!
//! - Word: the main part (`word/document.xml`, found through `_rels/.rels`),
//!   then footnotes, endnotes, headers and footers, in that order. Each
//!   `<w:p>` is a paragraph, a table cell's too; the text of its runs'
//!   `<w:t>` is joined, whatever splits them (a term cut mid-word between
//!   runs is read whole). Tracked insertions (`<w:ins>`, `<w:moveTo>`) are
//!   kept, tracked deletions (`<w:del>`, `<w:delText>`, `<w:moveFrom>`) left
//!   out, as are field codes (`<w:instrText>`; a field's result is text),
//!   properties, ruby annotations and `mc:Fallback` (a copy of what
//!   `mc:Choice` holds). `<w:tab/>` is a tab; `<w:br/>` and `<w:cr/>`, a line
//!   broken inside a paragraph, are a space, so that a line stays a
//!   paragraph.
//! - OpenDocument: `content.xml`'s body, then the headers and footers of
//!   `styles.xml`'s master pages. Each `<text:p>` and `<text:h>` is a
//!   paragraph; spans, links and fields are joined; white space is collapsed
//!   as ODF says, `<text:s text:c="N"/>` is N spaces, `<text:tab/>` a tab,
//!   `<text:line-break/>` a space. The tracked-changes region (which holds
//!   deleted text) is left out; the text in place, insertions included, is
//!   read. A note's paragraphs (`<text:note>`) follow the paragraph it is
//!   cited in, its citation left out.
//! - Both: a paragraph inside another (a text box, an ODF note) follows the
//!   one it is anchored in. Comments (`<w:comment>`, `<office:annotation>`)
//!   are a reviewer's, not the translation's, and are not checked; they are
//!   where a `qamus-ignore…` pragma is written, anchored at the paragraph the
//!   comment is attached to (see [`Extracted::comments`]).
//!
//! Bounds: a document is a zip archive read in memory; it may list at most
//! [`MAX_ENTRIES`] entries, and at most [`MAX_PART_BYTES`] are inflated from
//! all the parts read, whatever sizes the archive declares (a zip bomb is an
//! error naming the file and the part). XML is read as in `xml.rs`: only the
//! five predefined entities and character references are decoded, a DTD's
//! entities are never expanded, and nesting is limited. A password-protected
//! Word file is an OLE compound file, not a zip, and an encrypted
//! OpenDocument part is said to be so.

use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::error::{Error, ErrorKind, Result};

/// The most entries an office document's archive may list.
pub const MAX_ENTRIES: usize = 65_536;

/// The most bytes inflated from the parts of one office document, all
/// parts together.
pub const MAX_PART_BYTES: u64 = 256 << 20;

/// The most spaces one `<text:s text:c="N"/>` stands for.
const MAX_SPACES: usize = 1024;

/// The first bytes of an OLE compound file (a password-protected `.docx`
/// or `.odt`, or a `.doc`).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The text of an office document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The paragraphs, joined by `\n`: line N is paragraph N.
    pub text: String,
    /// Each comment's text, with the line (paragraph) it is attached to.
    pub comments: Vec<(usize, String)>,
}

/// The kind of office document, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    OpenDocument,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Word => "a Word document",
            Kind::OpenDocument => "an OpenDocument text",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Word => ".docx",
            Kind::OpenDocument => ".odt",
        }
    }
}

fn malformed(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Malformed(message.into()), path)
}

/// Opens the archive, telling an OLE file (password-protected, or the old
/// binary format) and anything else that is no zip from a corrupt one.
fn open<'a>(bytes: &'a [u8], path: &str, kind: Kind) -> Result<zip::ZipArchive<std::io::Cursor<&'a [u8]>>> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(malformed(
            path,
            format!(
                "not {}: an OLE compound file, not a zip archive — a password-protected document, or the old binary format; \
                 remove the password, or save it as {}",
                kind.what(),
                kind.extension()
            ),
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(malformed(path, format!("not {}: not a zip archive", kind.what())));
    }
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| malformed(path, format!("not {}: a corrupt zip archive ({e})", kind.what())))?;
    if archive.len() > MAX_ENTRIES {
        return Err(malformed(path, format!("zip archive of {} entries, more than the {MAX_ENTRIES} qamus reads", archive.len())));
    }
    Ok(archive)
}

/// The part `name` of the archive, decoded, or `None` where there is none;
/// what is inflated comes off `budget`.
fn read_part<R: Read + Seek>(archive: &mut zip::ZipArchive<R>, name: &str, budget: &mut u64, path: &str) -> Result<Option<String>> {
    let too_large =
        || malformed(path, format!("{name}: inflates to more than {} MiB, the most qamus reads of one document", MAX_PART_BYTES >> 20));
    let mut file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(zip::result::ZipError::PASSWORD_REQUIRED)) => {
            return Err(malformed(path, format!("{name} is encrypted: remove the document's password")))
        }
        Err(e) => return Err(malformed(path, format!("{name}: a corrupt zip archive ({e})"))),
    };
    if file.size() > *budget {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    (&mut file).take(*budget + 1).read_to_end(&mut bytes).map_err(|e| malformed(path, format!("{name}: a corrupt zip archive ({e})")))?;
    if bytes.len() as u64 > *budget {
        return Err(too_large());
    }
    *budget -= bytes.len() as u64;
    decode_part(bytes, name, path).map(Some)
}

/// A part's bytes as text: UTF-8 (a byte-order mark dropped), or UTF-16
/// with its byte-order mark.
fn decode_part(bytes: Vec<u8>, name: &str, path: &str) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let encoding = if bytes[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        let (text, _, bad) = encoding.decode(&bytes);
        if bad {
            return Err(malformed(path, format!("{name}: invalid UTF-16")));
        }
        return Ok(text.into_owned());
    }
    let mut text =
        String::from_utf8(bytes).map_err(|e| malformed(path, format!("{name}: not UTF-8 (byte {})", e.utf8_error().valid_up_to())))?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..3);
    }
    Ok(text)
}

/// The namespaces that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML, transitional or strict.
    Word,
    /// Markup compatibility (`mc:AlternateContent`).
    Compat,
    /// ODF's text namespace.
    Text,
    /// ODF's office namespace.
    Office,
    /// ODF's style namespace.
    Style,
    /// Any other, or none.
    Other,
}

fn namespace(resolved: &ResolveResult) -> Ns {
    let ResolveResult::Bound(ns) = resolved else { return Ns::Other };
    match ns.as_ref() {
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main" | b"http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::Word,
        b"http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Compat,
        b"urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        b"urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        b"urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        _ => Ns::Other,
    }
}

/// One event of a part, names resolved.
enum Item<'a, 'e> {
    Start(Ns, &'a [u8], &'a BytesStart<'e>),
    Empty(Ns, &'a [u8], &'a BytesStart<'e>),
    End,
    Text(&'a str),
}

/// Reads the part `name` (whose text is `xml`), handing each element and
/// piece of text to `f`.
fn parse(xml: &str, name: &str, path: &str, mut f: impl FnMut(Item) -> Result<()>) -> Result<()> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let at = |offset: u64| {
        let (line, column) = super::xml::line_col(xml, offset as usize);
        format!("{name}, line {line}, column {column}")
    };
    loop {
        let before = reader.buffer_position();
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(read) => read,
            Err(e) => {
                let place = at(reader.error_position());
                return Err(malformed(path, format!("{place}: malformed XML: {e}")));
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > super::locale::MAX_DEPTH {
                    return Err(malformed(path, format!("{}: XML nested deeper than {} levels", at(before), super::locale::MAX_DEPTH)));
                }
                let ns = namespace(&resolved);
                f(Item::Start(ns, e.local_name().into_inner(), &e))?;
            }
            Event::Empty(e) => {
                let ns = namespace(&resolved);
                f(Item::Empty(ns, e.local_name().into_inner(), &e))?;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                f(Item::End)?;
            }
            Event::Text(t) => f(Item::Text(std::str::from_utf8(&t).unwrap_or_default()))?,
            Event::CData(c) => f(Item::Text(std::str::from_utf8(&c).unwrap_or_default()))?,
            Event::GeneralRef(r) => {
                let decoded = super::xml::decode_reference(&r).map_err(|entity| {
                    malformed(path, format!("{}: undefined entity &{entity}; (qamus never expands DTD entities)", at(before)))
                })?;
                f(Item::Text(&decoded))?;
            }
            Event::Eof if depth > 0 => {
                return Err(malformed(path, format!("{}: truncated XML: elements left open at the end", at(xml.len() as u64))))
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// The value of the attribute whose local name is `local`.
fn attribute(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// An open paragraph.
#[derive(Default)]
struct Open {
    text: String,
    /// Paragraphs inside it, finished: they follow it.
    inner: Vec<String>,
    /// ODF: white space read just before (or the paragraph's start), so
    /// that more is collapsed.
    collapsing: bool,
}

/// Paragraphs as they are read, and the text of those finished.
#[derive(Default)]
struct Paragraphs {
    text: String,
    lines: usize,
    open: Vec<Open>,
}

impl Paragraphs {
    fn start(&mut self) {
        self.open.push(Open { collapsing: true, ..Open::default() });
    }

    fn end(&mut self) {
        let Some(done) = self.open.pop() else { return };
        match self.open.last_mut() {
            Some(outer) => {
                outer.inner.push(done.text);
                outer.inner.extend(done.inner);
            }
            None => {
                for line in std::iter::once(done.text).chain(done.inner) {
                    self.line(&line);
                }
            }
        }
    }

    fn line(&mut self, line: &str) {
        if self.lines > 0 {
            self.text.push('\n');
        }
        self.text.push_str(line);
        self.lines += 1;
    }

    /// Text as it stands: a line break in it is a space.
    fn push(&mut self, text: &str) {
        if let Some(open) = self.open.last_mut() {
            open.text.extend(text.chars().map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c }));
            open.collapsing = false;
        }
    }

    /// ODF character data: each run of white space is one space, none at
    /// the start of a paragraph.
    fn push_collapsing(&mut self, text: &str) {
        let Some(open) = self.open.last_mut() else { return };
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !open.collapsing {
                    open.text.push(' ');
                    open.collapsing = true;
                }
            } else {
                open.text.push(c);
                open.collapsing = false;
            }
        }
    }

    fn is_open(&self) -> bool {
        !self.open.is_empty()
    }

    /// The line the paragraph being read will be (or the next one).
    fn current_line(&self) -> usize {
        self.lines + 1
    }
}

/// Skipping an element and everything in it: the depth it was met at.
#[derive(Default)]
struct Skip {
    depth: usize,
    from: Option<usize>,
}

impl Skip {
    /// Whether this start is inside a skipped element; `skip` says whether
    /// the element itself is one to skip.
    fn start(&mut self, skip: bool) -> bool {
        self.depth += 1;
        if self.from.is_none() && skip {
            self.from = Some(self.depth);
        }
        self.from.is_some()
    }

    /// Whether the end closes an element inside (or being) a skipped one.
    fn end(&mut self) -> bool {
        let inside = self.from.is_some();
        if self.from == Some(self.depth) {
            self.from = None;
        }
        self.depth = self.depth.saturating_sub(1);
        inside
    }

    fn skipping(&self) -> bool {
        self.from.is_some()
    }
}

/// The text of a Word document (`.docx`, `.docm`, `.dotx`, `.dotm`).
pub fn docx_text(bytes: &[u8], path: &str) -> Result<Extracted> {
    let mut archive = open(bytes, path, Kind::Word)?;
    let mut budget = MAX_PART_BYTES;
    // The main part, as the package's relationships name it.
    let main = match read_part(&mut archive, "_rels/.rels", &mut budget, path)? {
        Some(rels) => relationships(&rels, "_rels/.rels", "", path)?.into_iter().find(|(kind, _)| kind == "officeDocument").map(|(_, t)| t),
        None => None,
    }
    .unwrap_or_else(|| "word/document.xml".to_string());
    let Some(document) = read_part(&mut archive, &main, &mut budget, path)? else {
        return Err(malformed(path, format!("not a Word document: no {main}")));
    };
    let folder = main.rfind('/').map_or("", |i| &main[..=i]);
    let rels_name = format!("{folder}_rels/{}.rels", &main[folder.len()..]);
    let related = match read_part(&mut archive, &rels_name, &mut budget, path)? {
        Some(rels) => relationships(&rels, &rels_name, folder, path)?,
        None => Vec::new(),
    };
    let of_kind = |kind: &str| {
        let mut targets: Vec<&String> = related.iter().filter(|(k, _)| k == kind).map(|(_, t)| t).collect();
        targets.sort_by_key(|a| natural(a));
        targets.dedup();
        targets
    };

    let mut word = Word::default();
    parse(&document, &main, path, |item| word.item(item))?;
    for kind in ["footnotes", "endnotes", "header", "footer"] {
        for target in of_kind(kind) {
            if let Some(part) = read_part(&mut archive, target, &mut budget, path)? {
                word.notes = true;
                parse(&part, target, path, |item| word.item(item))?;
            }
        }
    }
    // Comments: their text, attached where the document anchors them.
    let mut comments = Vec::new();
    if let Some(target) = of_kind("comments").first() {
        if let Some(part) = read_part(&mut archive, target, &mut budget, path)? {
            let mut reader = Word { comments_part: true, ..Word::default() };
            parse(&part, target, path, |item| reader.item(item))?;
            for (id, text) in reader.comment_texts {
                if let Some(&(_, line)) = word.anchors.iter().find(|(anchor, _)| *anchor == id) {
                    comments.push((line, text));
                }
            }
        }
    }
    comments.sort_by_key(|(line, _)| *line);
    Ok(Extracted { text: word.paragraphs.text, comments })
}

/// A part name's digits compared as numbers (`header2.xml` before
/// `header10.xml`).
fn natural(name: &str) -> (String, u64) {
    let digits: String = name.chars().filter(char::is_ascii_digit).collect();
    let letters: String = name.chars().filter(|c| !c.is_ascii_digit()).collect();
    (letters, digits.parse().unwrap_or(0))
}

/// The relationships of a `.rels` part: (the last segment of the type,
/// the target as a part name), internal targets only, in order.
fn relationships(xml: &str, name: &str, folder: &str, path: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    parse(xml, name, path, |item| {
        if let Item::Start(_, b"Relationship", e) | Item::Empty(_, b"Relationship", e) = item {
            let external = attribute(e, b"TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("external"));
            if let (Some(kind), Some(target), false) = (attribute(e, b"Type"), attribute(e, b"Target"), external) {
                let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                found.push((kind, part_name(folder, &target)));
            }
        }
        Ok(())
    })?;
    Ok(found)
}

/// A relationship's target as a part name: from the root when it starts
/// with `/`, else from `folder`, with `..` and `.` resolved.
fn part_name(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{folder}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    segments.join("/")
}

/// What an open element is, to the readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// A paragraph.
    Paragraph,
    /// Word: `<w:t>`, whose character data is text.
    Text,
    /// Word: a run (`<w:r>`), where `<w:tab/>` and `<w:br/>` stand for text.
    Run,
    /// Word: a comment of `comments.xml`.
    Comment,
    /// ODF: an inline element of the text namespace (a span, a link, a
    /// field), whose character data is text.
    Inline,
    /// ODF: a comment (`<office:annotation>`).
    Annotation,
    /// ODF: the part read (`<office:body>`, a master page's header or footer).
    Scope,
    /// Anything else.
    Other,
}

/// Reads WordprocessingML parts.
#[derive(Default)]
struct Word {
    paragraphs: Paragraphs,
    skip: Skip,
    stack: Vec<Tag>,
    /// Reading footnotes, endnotes, headers or footers.
    notes: bool,
    /// Comment ids and the line each is anchored at.
    anchors: Vec<(String, usize)>,
    /// Reading `comments.xml`: each comment's text, by id.
    comments_part: bool,
    comment: Option<String>,
    comment_texts: Vec<(String, String)>,
}

/// WordprocessingML elements left out with what they hold.
const WORD_SKIPPED: &[&[u8]] = &[b"del", b"moveFrom", b"delText", b"instrText", b"delInstrText", b"pPr", b"rPr", b"sectPr", b"rt"];

/// Footnotes and endnotes that are no note, only the line above them.
const SEPARATORS: &[&str] = &["separator", "continuationSeparator", "continuationNotice"];

impl Word {
    fn item(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Start(ns, name, e) => {
                let skipped = match ns {
                    Ns::Word => {
                        WORD_SKIPPED.contains(&name)
                            || (self.notes
                                && matches!(name, b"footnote" | b"endnote")
                                && attribute(e, b"type").is_some_and(|t| SEPARATORS.contains(&t.as_str())))
                    }
                    Ns::Compat => name == b"Fallback",
                    _ => false,
                };
                let skipping = self.skip.start(skipped);
                let tag = if skipping || ns != Ns::Word {
                    Tag::Other
                } else {
                    match name {
                        b"p" => {
                            self.paragraphs.start();
                            Tag::Paragraph
                        }
                        b"t" => Tag::Text,
                        b"r" => Tag::Run,
                        b"comment" if self.comments_part => {
                            self.comment = attribute(e, b"id");
                            self.paragraphs = Paragraphs::default();
                            Tag::Comment
                        }
                        _ => {
                            self.empty(name, e);
                            Tag::Other
                        }
                    }
                };
                self.stack.push(tag);
            }
            Item::Empty(ns, name, e) if ns == Ns::Word && !self.skip.skipping() => {
                if name == b"p" {
                    self.paragraphs.start();
                    self.paragraphs.end();
                } else {
                    self.empty(name, e);
                }
            }
            Item::Empty(..) => {}
            Item::End => {
                let tag = self.stack.pop();
                if self.skip.end() {
                    return Ok(());
                }
                match tag {
                    Some(Tag::Paragraph) => self.paragraphs.end(),
                    Some(Tag::Comment) => {
                        let text = std::mem::take(&mut self.paragraphs).text;
                        if let Some(id) = self.comment.take() {
                            self.comment_texts.push((id, text));
                        }
                    }
                    _ => {}
                }
            }
            Item::Text(text) => {
                if self.stack.last() == Some(&Tag::Text) && !self.skip.skipping() {
                    self.paragraphs.push(text);
                }
            }
        }
        Ok(())
    }

    /// An element that stands for text or anchors a comment (its parent is
    /// the innermost open element).
    fn empty(&mut self, name: &[u8], e: &BytesStart) {
        let in_run = self.stack.last() == Some(&Tag::Run);
        match name {
            b"tab" | b"ptab" if in_run => self.paragraphs.push("\t"),
            b"br" | b"cr" if in_run => self.paragraphs.push(" "),
            b"noBreakHyphen" if in_run => self.paragraphs.push("\u{2011}"),
            b"commentRangeStart" | b"commentReference" if !self.notes && !self.comments_part => {
                if let Some(id) = attribute(e, b"id") {
                    if !self.anchors.iter().any(|(anchor, _)| *anchor == id) {
                        self.anchors.push((id, self.paragraphs.current_line()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The text of an OpenDocument text (`.odt`, `.ott`), or of a flat one
/// (`.fodt`: the XML itself).
pub fn odt_text(bytes: &[u8], path: &str) -> Result<Extracted> {
    let mut odf = Odf::default();
    let flat = !bytes.starts_with(b"PK") && !bytes.starts_with(OLE_MAGIC) && {
        let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        start.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
    };
    if flat {
        let xml = decode_part(bytes.to_vec(), "the document", path)?;
        odf.scope = OdfScope::Body;
        parse(&xml, "the document", path, |item| odf.item(item))?;
        if !odf.found_body {
            return Err(malformed(path, "not an OpenDocument text: no <office:body>"));
        }
        odf.scope = OdfScope::MasterPages;
        parse(&xml, "the document", path, |item| odf.item(item))?;
    } else {
        let mut archive = open(bytes, path, Kind::OpenDocument)?;
        let mut budget = MAX_PART_BYTES;
        if let Some(manifest) = read_part(&mut archive, "META-INF/manifest.xml", &mut budget, path)? {
            if manifest.contains("encryption-data") {
                return Err(malformed(path, "a password-protected OpenDocument file: remove the password, or save a copy without it"));
            }
        }
        let Some(content) = read_part(&mut archive, "content.xml", &mut budget, path)? else {
            return Err(malformed(path, "not an OpenDocument text: no content.xml"));
        };
        odf.scope = OdfScope::Body;
        parse(&content, "content.xml", path, |item| odf.item(item))?;
        if !odf.found_body {
            return Err(malformed(path, "not an OpenDocument text: no <office:body> in content.xml"));
        }
        if let Some(styles) = read_part(&mut archive, "styles.xml", &mut budget, path)? {
            odf.scope = OdfScope::MasterPages;
            parse(&styles, "styles.xml", path, |item| odf.item(item))?;
        }
    }
    Ok(Extracted { text: odf.paragraphs.text, comments: odf.comments })
}

/// Which paragraphs of an ODF part are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum OdfScope {
    /// Those of `<office:body>`.
    #[default]
    Body,
    /// Those of master pages' headers and footers.
    MasterPages,
}

/// Reads ODF parts.
#[derive(Default)]
struct Odf {
    paragraphs: Paragraphs,
    scope: OdfScope,
    found_body: bool,
    /// Inside the scope read.
    in_scope: usize,
    skip: Skip,
    stack: Vec<Tag>,
    /// The comment being read: the line it is attached to, its paragraphs.
    annotation: Option<(usize, Paragraphs)>,
    comments: Vec<(usize, String)>,
}

/// Elements of the text namespace left out with what they hold.
const ODF_SKIPPED: &[&[u8]] =
    &[b"tracked-changes", b"note-citation", b"ruby-text", b"sequence-decls", b"variable-decls", b"user-field-decls"];

/// Elements of the text namespace that hold paragraphs, not text.
const ODF_BLOCKS: &[&[u8]] = &[
    b"note",
    b"note-body",
    b"list",
    b"list-item",
    b"list-header",
    b"section",
    b"index-body",
    b"table-of-content",
    b"alphabetical-index",
    b"illustration-index",
    b"table-index",
    b"object-index",
    b"user-index",
    b"bibliography",
    b"index-title",
];

impl Odf {
    fn target(&mut self) -> &mut Paragraphs {
        match &mut self.annotation {
            Some((_, paragraphs)) => paragraphs,
            None => &mut self.paragraphs,
        }
    }

    fn opens_scope(&self, ns: Ns, name: &[u8]) -> bool {
        match self.scope {
            OdfScope::Body => ns == Ns::Office && name == b"body",
            OdfScope::MasterPages => {
                ns == Ns::Style && (name.starts_with(b"header") || name.starts_with(b"footer")) && !name.ends_with(b"-style")
            }
        }
    }

    fn item(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Start(ns, name, e) => {
                let skipping = self.skip.start(ns == Ns::Text && ODF_SKIPPED.contains(&name));
                let tag = if self.in_scope == 0 {
                    if self.opens_scope(ns, name) {
                        self.found_body = true;
                        self.in_scope += 1;
                        Tag::Scope
                    } else {
                        Tag::Other
                    }
                } else if skipping {
                    Tag::Other
                } else {
                    match (ns, name) {
                        (Ns::Text, b"p" | b"h") => {
                            self.target().start();
                            Tag::Paragraph
                        }
                        (Ns::Office, b"annotation") if self.annotation.is_none() => {
                            self.annotation = Some((self.paragraphs.current_line(), Paragraphs::default()));
                            Tag::Annotation
                        }
                        (Ns::Text, name) if ODF_BLOCKS.contains(&name) => Tag::Other,
                        (Ns::Text, name) => {
                            self.empty(name, e);
                            Tag::Inline
                        }
                        _ => Tag::Other,
                    }
                };
                self.stack.push(tag);
            }
            Item::Empty(Ns::Text, name, e) if self.in_scope > 0 && !self.skip.skipping() => {
                if matches!(name, b"p" | b"h") {
                    self.target().start();
                    self.target().end();
                } else {
                    self.empty(name, e);
                }
            }
            Item::Empty(..) => {}
            Item::End => {
                let tag = self.stack.pop();
                if self.skip.end() {
                    return Ok(());
                }
                match tag {
                    Some(Tag::Scope) => self.in_scope -= 1,
                    Some(Tag::Paragraph) => self.target().end(),
                    Some(Tag::Annotation) => {
                        if let Some((line, paragraphs)) = self.annotation.take() {
                            self.comments.push((line, paragraphs.text));
                        }
                    }
                    _ => {}
                }
            }
            Item::Text(text) => {
                if matches!(self.stack.last(), Some(Tag::Paragraph | Tag::Inline)) && !self.skip.skipping() {
                    self.target().push_collapsing(text);
                }
            }
        }
        Ok(())
    }

    /// An element of the text namespace that stands for text.
    fn empty(&mut self, name: &[u8], e: &BytesStart) {
        let paragraphs = self.target();
        if !paragraphs.is_open() {
            return;
        }
        match name {
            b"s" => {
                let count = attribute(e, b"c").and_then(|c| c.trim().parse::<usize>().ok()).unwrap_or(1).min(MAX_SPACES);
                paragraphs.push(&" ".repeat(count));
            }
            b"tab" => paragraphs.push("\t"),
            b"line-break" => paragraphs.push(" "),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A zip of `parts`, stored (the writer has no compressor here).
    fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            writer.start_file(*name, options).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn body(paragraphs: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{paragraphs}<w:sectPr/></w:body></w:document>"#
        )
    }

    #[test]
    fn runs_join_deletions_and_field_codes_are_left_out() {
        let document = body(concat!(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:rtl/></w:rPr></w:pPr>"#,
            r#"<w:r><w:rPr><w:rtl/></w:rPr><w:t>اللجنة العسك</w:t></w:r><w:r><w:t xml:space="preserve">رية العليا </w:t></w:r>"#,
            r#"<w:del w:id="1"><w:r><w:delText>قوى الأمن الداخلي</w:delText></w:r></w:del>"#,
            // Some writers keep `<w:t>` in a deleted run.
            r#"<w:del w:id="3"><w:r><w:t>قوى</w:t></w:r></w:del><w:moveFrom><w:r><w:t>نقل</w:t></w:r></w:moveFrom>"#,
            r#"<w:ins w:id="2"><w:r><w:t>قوات</w:t></w:r></w:ins><w:r><w:tab/><w:t>&amp;</w:t><w:br/><w:t>x</w:t></w:r></w:p>"#,
            r#"<w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "قوى" </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>خلية</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t>قبل</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>في الإطار</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>نسخة</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>بعد</w:t></w:r></w:p>"#,
        ));
        let bytes = zip(&[("word/document.xml", &document)]);
        let text = docx_text(&bytes, "a.docx").unwrap().text;
        assert_eq!(text, "اللجنة العسكرية العليا قوات\t& x\n\nخلية\nقبلبعد\nفي الإطار");
    }

    #[test]
    fn the_main_part_is_found_through_the_relationships_and_notes_follow() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/doc/main.xml"/></Relationships>"#;
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="notes.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../doc/comments.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com/x.xml" TargetMode="External"/></Relationships>"#;
        let notes = format!(
            r#"<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>حاشية</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let comments = format!(
            r#"<w:comments xmlns:w="{W}"><w:comment w:id="0"><w:p><w:r><w:t>qamus-ignore-line isf</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let document = body(r#"<w:p><w:r><w:t>أول</w:t></w:r></w:p><w:p><w:commentRangeStart w:id="0"/><w:r><w:t>ثان</w:t></w:r></w:p>"#);
        let bytes = zip(&[
            ("_rels/.rels", rels),
            ("doc/main.xml", &document),
            ("doc/_rels/main.xml.rels", doc_rels),
            ("doc/notes.xml", &notes),
            ("doc/comments.xml", &comments),
        ]);
        let extracted = docx_text(&bytes, "a.docx").unwrap();
        assert_eq!(extracted.text, "أول\nثان\nحاشية");
        assert_eq!(extracted.comments, vec![(2, "qamus-ignore-line isf".to_string())]);
    }

    #[test]
    fn what_is_no_word_document_is_an_error_naming_the_file() {
        let e = |bytes: &[u8]| docx_text(bytes, "a.docx").unwrap_err().to_string();
        assert_eq!(e(b"plain text"), "a.docx: not a Word document: not a zip archive");
        assert!(e(b"PK\x03\x04 cut short").starts_with("a.docx: not a Word document: a corrupt zip archive"), "{}", e(b"PK\x03\x04"));
        assert_eq!(e(&zip(&[("word/other.xml", "<x/>")])), "a.docx: not a Word document: no word/document.xml");
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0; 504]);
        assert!(e(&ole).contains("an OLE compound file, not a zip archive — a password-protected document"), "{}", e(&ole));
        let bad = zip(&[("word/document.xml", &body("<w:p><w:r><w:t>x</w:r></w:p>"))]);
        assert!(e(&bad).starts_with("a.docx: word/document.xml, line 1, column "), "{}", e(&bad));
        let entity =
            zip(&[("word/document.xml", &format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{}", body("<w:p><w:r><w:t>&a;</w:t></w:r></w:p>")))]);
        assert!(e(&entity).contains("undefined entity &a;"), "{}", e(&entity));
        let deep = zip(&[("word/document.xml", &body(&"<w:sdt>".repeat(300)))]);
        assert!(e(&deep).contains("nested deeper than"), "{}", e(&deep));
    }

    #[test]
    fn what_is_inflated_is_bounded_whatever_the_archive_declares() {
        let bytes = zip(&[("word/document.xml", &body(&"<w:p/>".repeat(100)))]);
        let mut archive = open(&bytes, "a.docx", Kind::Word).unwrap();
        let mut budget = 200;
        let e = read_part(&mut archive, "word/document.xml", &mut budget, "a.docx").unwrap_err().to_string();
        assert_eq!(e, "a.docx: word/document.xml: inflates to more than 256 MiB, the most qamus reads of one document");
        let mut budget = 10_000;
        assert!(read_part(&mut archive, "word/document.xml", &mut budget, "a.docx").unwrap().is_some());
        assert!(budget < 10_000, "what is read comes off the budget");
        // An archive that declares less than the part holds: the inflating
        // stops at the limit all the same.
        let mut lying = bytes.clone();
        for signature in [&b"PK\x01\x02"[..], &b"PK\x03\x04"[..]] {
            let at = lying.windows(4).position(|w| w == signature).unwrap();
            let field = at + if signature[2] == 1 { 24 } else { 22 };
            lying[field..field + 4].copy_from_slice(&10u32.to_le_bytes());
        }
        let mut archive = open(&lying, "a.docx", Kind::Word).unwrap();
        let mut budget = 200;
        let e = read_part(&mut archive, "word/document.xml", &mut budget, "a.docx").unwrap_err().to_string();
        assert!(e.contains("inflates to more than"), "{e}");
    }

    #[test]
    fn damaged_parts_give_text_or_an_error_never_a_panic() {
        // Each part damaged a few bytes at a time, by a fixed sequence: a
        // byte replaced by one that matters to XML, or the part cut short.
        let word = body(concat!(
            r#"<w:p><w:pPr><w:rPr><w:rtl/></w:rPr></w:pPr><w:r><w:t>اللجنة</w:t></w:r><w:ins><w:r><w:tab/><w:t>&amp;</w:t></w:r></w:ins>"#,
            r#"<w:del><w:r><w:delText>قوى</w:delText></w:r></w:del><w:commentRangeStart w:id="0"/></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"#,
        ));
        let odf = concat!(
            r#"<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">"#,
            r#"<office:body><office:text><text:tracked-changes><text:p>x</text:p></text:tracked-changes><text:p>نص<text:s text:c="2"/><text:span>آخر</text:span>"#,
            r#"<office:annotation><text:p>qamus-ignore</text:p></office:annotation><text:note><text:note-body><text:p>ح</text:p></text:note-body></text:note></text:p></office:text></office:body></office:document>"#,
        );
        let significant = b"<>/&;\"'= :wx";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        for round in 0..1500 {
            let mut bytes = if round % 2 == 0 { word.clone().into_bytes() } else { odf.as_bytes().to_vec() };
            if next(10) == 0 {
                bytes.truncate(next(bytes.len()));
            } else {
                for _ in 0..1 + next(3) {
                    let at = next(bytes.len());
                    bytes[at] = significant[next(significant.len())];
                }
            }
            if round % 2 == 0 {
                let Ok(xml) = String::from_utf8(bytes) else { continue };
                if let Ok(extracted) = docx_text(&zip(&[("word/document.xml", &xml)]), "a.docx") {
                    assert!(!extracted.text.contains('\r'));
                }
            } else if let Ok(extracted) = odt_text(&bytes, "a.fodt") {
                assert!(!extracted.text.contains('\r'));
            }
        }
        // Whole archives damaged: their structure, sizes and counts.
        let archives: [&[u8]; 2] =
            [include_bytes!("../../fixtures/office/statement.docx"), include_bytes!("../../fixtures/office/brief.odt")];
        for round in 0..3000 {
            let mut bytes = archives[round % 2].to_vec();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                bytes[at] = if next(2) == 0 { 0xFF } else { next(256) as u8 };
            }
            let _ = if round % 2 == 0 { docx_text(&bytes, "a.docx") } else { odt_text(&bytes, "a.odt") };
        }
    }

    #[test]
    fn odf_spans_spaces_changes_notes_and_comments() {
        let content = concat!(
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">"#,
            r#"<office:automatic-styles><text:p>لا</text:p></office:automatic-styles><office:body><office:text>"#,
            r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>قوى الأمن الداخلي</text:p></text:deletion></text:changed-region></text:tracked-changes>"#,
            r#"<text:h>  عنوان   <text:span>اللجنة العسك</text:span>رية<text:s text:c="3"/>العليا<text:tab/>و<text:line-break/>x<text:change text:change-id="c1"/></text:h>"#,
            r#"<text:p>نص<office:annotation><dc:creator>مراجع</dc:creator><text:p>qamus-ignore-line</text:p></office:annotation><text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>حاشية</text:p></text:note-body></text:note> تابع<draw:frame><svg:title>صورة</svg:title></draw:frame></text:p>"#,
            r#"<text:p/><text:list><text:list-item><text:p>بند</text:p></text:list-item></text:list><text:s text:c="999999999"/>"#,
            r#"</office:text></office:body></office:document-content>"#,
        );
        let styles = r#"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:master-styles><style:master-page><style:header><text:p>ترويسة</text:p></style:header></style:master-page></office:master-styles></office:document-styles>"#;
        let bytes = zip(&[("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content), ("styles.xml", styles)]);
        let extracted = odt_text(&bytes, "a.odt").unwrap();
        assert_eq!(extracted.text, "عنوان اللجنة العسكرية   العليا\tو x\nنص تابع\nحاشية\n\nبند\nترويسة");
        assert_eq!(extracted.comments, vec![(2, "qamus-ignore-line".to_string())]);
        // The same document flat (`.fodt`).
        let flat = content.replace("office:document-content", "office:document");
        assert_eq!(odt_text(flat.as_bytes(), "a.fodt").unwrap().text, "عنوان اللجنة العسكرية   العليا\tو x\nنص تابع\nحاشية\n\nبند");
        let encrypted = zip(&[("META-INF/manifest.xml", "<manifest:encryption-data/>"), ("content.xml", content)]);
        assert!(odt_text(&encrypted, "a.odt").unwrap_err().to_string().contains("password-protected"));
        assert_eq!(odt_text(&zip(&[("x", "")]), "a.odt").unwrap_err().to_string(), "a.odt: not an OpenDocument text: no content.xml");
    }
}
