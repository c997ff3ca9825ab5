//! Locale files: JSON (flat or nested objects of strings, i18next, Mastodon or
//! Angular style) and YAML (Rails, with the locale as the root key). Every
//! string is a unit keyed by its path (`nav.title`, `errors.0`); the English
//! file beside the Arabic one (`en.json` for `ar.json`, `locales/en/…` for
//! `locales/ar/…`) gives each key its source.
//!
//! JSON is scanned by hand so that every string keeps its position through
//! escapes; YAML is parsed with saphyr-parser, whose spans give each scalar's
//! place, and the scalar is aligned back to its raw text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use saphyr_parser::{Event, Parser};

use super::units::{Side, TextRef, Texts, Unit, UnitBuilder};
use super::Text;
use crate::error::{Error, Result};

/// What a reader hands each string to: its key path (one key a level),
/// the string, and where its text is kept.
type Emit<'a> = dyn FnMut(&[String], Side, &mut Texts) + 'a;

/// The strings of a JSON document, by key path.
pub fn json_strings(text: &str, path: &str) -> Result<Vec<(String, Side)>> {
    strings(false, text, path)
}

/// The strings of a JSON (or, `yaml`, YAML) document, by key path, each
/// with its own text.
fn strings(yaml: bool, text: &str, path: &str) -> Result<Vec<(String, Side)>> {
    let mut texts = Texts::new(None);
    let mut out = Vec::new();
    each_string(yaml, text, path, &mut texts, &mut |key, side, _| out.push((key.join("."), side)))?;
    texts.fix(|fix| out.iter_mut().for_each(|(_, side)| side.fix(fix)));
    Ok(out)
}

/// Hands every string of a JSON or YAML text to `emit`.
fn each_string(yaml: bool, text: &str, path: &str, texts: &mut Texts, emit: &mut Emit<'_>) -> Result<()> {
    if yaml {
        return each_yaml_string(text, path, texts, emit);
    }
    let mut scanner = Json { text, bytes: text.as_bytes(), at: 0, path, texts, emit, depth: 0 };
    scanner.ws();
    scanner.value(&mut Vec::new())?;
    scanner.ws();
    if scanner.at < text.len() {
        return Err(scanner.error("text after the JSON value"));
    }
    Ok(())
}

/// The strings of a locale file `doc` (YAML if `yaml`, else JSON), by
/// key path, each a slice of `doc` where the file holds it unchanged.
pub fn keyed_strings(yaml: bool, doc: &Arc<Text>, path: &str) -> Result<Vec<(TextRef, Side)>> {
    let mut texts = Texts::new(Some(Arc::clone(doc)));
    let mut out = Vec::with_capacity(most_strings(yaml, doc));
    each_string(yaml, doc, path, &mut texts, &mut |key, side, texts| out.push((texts.push_parts(key, "."), side)))?;
    texts.fix(|fix| {
        for (key, side) in &mut out {
            fix(key);
            side.fix(fix);
        }
    });
    Ok(out)
}

/// As many strings as a locale file can hold, about (a YAML string takes
/// a line, a JSON one two quotes; a file written otherwise holds fewer, or
/// has its list grow): the room its lists are made with, so that they do
/// not grow by copies the heap keeps. Room never written costs no memory.
fn most_strings(yaml: bool, doc: &str) -> usize {
    let (byte, per_string) = if yaml { (b'\n', 1) } else { (b'"', 2) };
    memchr::memchr_iter(byte, doc.as_bytes()).count() / per_string + 1
}

/// The units of a locale file `doc` (YAML if `yaml`, else JSON), without
/// their sources (see [`give_sources`]). A unit costs no more than it holds: its
/// text a slice of `doc` where the file holds it unchanged, its key path
/// in one arena, no list of them all made beside the units.
pub fn document_units(yaml: bool, doc: &Arc<Text>, path: &str) -> Result<Vec<Unit>> {
    let mut texts = Texts::new(Some(Arc::clone(doc)));
    let mut units = Vec::with_capacity(most_strings(yaml, doc));
    each_string(yaml, doc, path, &mut texts, &mut |key, target, texts| {
        if !texts.text_of(&target.text).trim().is_empty() {
            units.push(Unit { target, source: None, id: Some(texts.push_parts(key, ".")), note: None });
        }
    })?;
    texts.fix_units(&mut units);
    Ok(units)
}

/// Gives each unit of [`document_units`] the source file's string for its
/// key ([`units`] says which), from the source's [`keyed_strings`].
pub fn give_sources(units: &mut [Unit], sources: &[(TextRef, Side)]) {
    let by_key: HashMap<&str, &Side> = sources.iter().map(|(k, s)| (without_locale_root(k), s)).collect();
    for unit in units {
        let key = unit.id.as_deref().map_or("", without_locale_root);
        unit.source = source_of(key, |k| by_key.get(k).copied());
    }
}

/// The source of `key` among the strings `get` finds (see [`units`]).
fn source_of<'s>(key: &str, get: impl Fn(&str) -> Option<&'s Side>) -> Option<Side> {
    if let Some(side) = get(key) {
        return Some(side.clone());
    }
    let (base, separator, _) = plural_key(key)?;
    let mut name = String::with_capacity(key.len() + 6);
    ["other", "one", "many", "few", "two", "zero"].iter().find_map(|category| {
        name.clear();
        name.push_str(base);
        name.push(separator);
        name.push_str(category);
        get(&name).cloned()
    })
}

/// Deepest nesting accepted in JSON and YAML.
pub const MAX_DEPTH: usize = 256;

struct Json<'a, 'e> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    path: &'a str,
    texts: &'a mut Texts,
    emit: &'a mut Emit<'e>,
    depth: usize,
}

impl Json<'_, '_> {
    fn error(&self, message: &str) -> Error {
        let mut at = self.at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Error::malformed(self.path, line, column, format!("malformed JSON: {message}"))
    }

    fn ws(&mut self) {
        while self.at < self.bytes.len() && matches!(self.bytes[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<()> {
        if self.bytes.get(self.at) == Some(&b) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", b as char)))
        }
    }

    fn value(&mut self, key: &mut Vec<String>) -> Result<()> {
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.nest()?;
                self.at += 1;
                self.ws();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                loop {
                    self.ws();
                    let name = self.string()?.finished_text();
                    self.ws();
                    self.expect(b':')?;
                    self.ws();
                    key.push(name);
                    self.value(key)?;
                    key.pop();
                    self.ws();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            break;
                        }
                        _ => return Err(self.error("expected ',' or '}'")),
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b'[') => {
                self.nest()?;
                self.at += 1;
                self.ws();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                let mut index = 0;
                loop {
                    self.ws();
                    key.push(index.to_string());
                    self.value(key)?;
                    key.pop();
                    index += 1;
                    self.ws();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        _ => return Err(self.error("expected ',' or ']'")),
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b'"') => {
                let side = self.string()?.finish_in(self.texts);
                (self.emit)(key, side, self.texts);
                Ok(())
            }
            Some(_) => {
                let start = self.at;
                while self.at < self.bytes.len() && !matches!(self.bytes[self.at], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    self.at += 1;
                }
                let literal = &self.text[start..self.at];
                if literal == "true" || literal == "false" || literal == "null" || literal.parse::<f64>().is_ok() {
                    Ok(())
                } else {
                    self.at = start;
                    Err(self.error("expected a value"))
                }
            }
            None => Err(self.error("unexpected end of input")),
        }
    }

    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn string(&mut self) -> Result<UnitBuilder> {
        self.expect(b'"')?;
        let mut builder = UnitBuilder::new();
        let mut run = self.at;
        loop {
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    builder.copy(&self.text[run..self.at], run);
                    self.at += 1;
                    return Ok(builder);
                }
                Some(b'\\') => {
                    builder.copy(&self.text[run..self.at], run);
                    let start = self.at;
                    let (decoded, len) = match self.bytes.get(self.at + 1) {
                        Some(b'n') => ('\n', 2),
                        Some(b't') => ('\t', 2),
                        Some(b'r') => ('\r', 2),
                        Some(b'b') => ('\u{8}', 2),
                        Some(b'f') => ('\u{C}', 2),
                        Some(b'/') => ('/', 2),
                        Some(b'\\') => ('\\', 2),
                        Some(b'"') => ('"', 2),
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("bad escape")),
                    };
                    builder.escape(decoded.encode_utf8(&mut [0; 4]), start, len);
                    self.at = start + len;
                    run = self.at;
                }
                Some(b) if *b < 0x20 => return Err(self.error("control character in a string")),
                Some(_) => self.at += 1,
            }
        }
    }

    fn unicode_escape(&self) -> Result<(char, usize)> {
        let hex = |at: usize| self.text.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
        let first = hex(self.at + 2).ok_or_else(|| self.error("bad \\u escape"))?;
        if (0xD800..0xDC00).contains(&first) && self.text.get(self.at + 6..self.at + 8) == Some("\\u") {
            if let Some(second) = hex(self.at + 8).filter(|s| (0xDC00..0xE000).contains(s)) {
                let c = char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)).unwrap_or('\u{FFFD}');
                return Ok((c, 12));
            }
        }
        Ok((char::from_u32(first).unwrap_or('\u{FFFD}'), 6))
    }
}

/// The string scalars of a YAML document, by key path.
pub fn yaml_strings(text: &str, path: &str) -> Result<Vec<(String, Side)>> {
    strings(true, text, path)
}

/// Hands every string scalar of a YAML text to `emit`.
fn each_yaml_string(text: &str, path: &str, texts: &mut Texts, emit: &mut Emit<'_>) -> Result<()> {
    // saphyr reports positions in characters; they are mapped to bytes by a
    // cursor that moves from one to the next (a table of every character's
    // byte was eight bytes a character: 2.4 GB for a 300 MB file).
    let mut cursor = CharCursor { text, chars: 0, bytes: 0 };
    // Per open collection: is it a mapping, and, for a mapping, whether the next scalar is a key.
    let mut stack: Vec<(bool, bool, usize)> = Vec::new();
    let mut key: Vec<String> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let marker = e.marker();
            Error::malformed(path, marker.line(), marker.col() + 1, format!("malformed YAML: {}", e.info()))
        })?;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                if stack.len() >= MAX_DEPTH {
                    return Err(Error::malformed(
                        path,
                        span.start.line(),
                        span.start.col() + 1,
                        format!("nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push((mapping, true, 0));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                after_value(&mut stack, &mut key);
            }
            Event::Scalar(value, _, _, _) => {
                let is_key = matches!(stack.last(), Some((true, true, _)));
                if is_key {
                    key.push(value.to_string());
                    if let Some(top) = stack.last_mut() {
                        top.1 = false;
                    }
                    continue;
                }
                if let Some((false, _, index)) = stack.last_mut() {
                    key.push(index.to_string());
                    *index += 1;
                }
                let start = cursor.byte_of(span.start.index());
                let end = cursor.byte_of(span.end.index()).max(start);
                emit(&key, align(&value, &text[start..end], start).finish_in(texts), texts);
                after_value(&mut stack, &mut key);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Turns character indices into byte offsets of `text`, moving from the last
/// index asked for: indices asked in order (as a parser's spans come) cost
/// the distance between them, so a whole file costs one pass.
struct CharCursor<'t> {
    text: &'t str,
    /// The character index `bytes` stands at.
    chars: usize,
    bytes: usize,
}

impl CharCursor<'_> {
    /// The byte offset of the character at `index` (the text's length past
    /// its end).
    fn byte_of(&mut self, index: usize) -> usize {
        if index >= self.chars {
            let ahead = index - self.chars;
            match self.text[self.bytes..].char_indices().nth(ahead) {
                Some((offset, _)) => {
                    self.bytes += offset;
                    self.chars = index;
                }
                None => {
                    self.chars += self.text[self.bytes..].chars().count();
                    self.bytes = self.text.len();
                }
            }
        } else {
            let back = self.chars - index;
            let (offset, _) = self.text[..self.bytes].char_indices().rev().nth(back - 1).unwrap_or((0, ' '));
            self.bytes = offset;
            self.chars = index;
        }
        self.bytes
    }
}

/// After a value: a mapping expects a key next; the value's key is done.
fn after_value(stack: &mut [(bool, bool, usize)], key: &mut Vec<String>) {
    match stack.last_mut() {
        Some((true, expects_key, _)) => {
            *expects_key = true;
            key.pop();
        }
        Some((false, _, _)) => {
            key.pop();
        }
        None => {}
    }
}

/// Aligns a decoded scalar with its raw text (quotes, escapes, folding),
/// greedily, so each decoded character maps to where it stands in the file.
fn align(decoded: &str, raw: &str, raw_start: usize) -> UnitBuilder {
    let mut builder = UnitBuilder::new();
    let mut at = 0;
    for c in decoded.chars() {
        let mut buf = [0; 4];
        let s = c.encode_utf8(&mut buf);
        if raw[at..].starts_with('\\') && !raw[at..].starts_with(&*s) {
            let len = match raw[at + 1..].chars().next() {
                Some('x') => 4,
                Some('u') => 6,
                Some('U') => 10,
                Some(other) => 1 + other.len_utf8(),
                None => 1,
            };
            // A malformed escape may be shorter than its kind: stop at a character boundary.
            let mut len = len.min(raw.len() - at);
            while !raw.is_char_boundary(at + len) {
                len -= 1;
            }
            builder.escape(s, raw_start + at, len);
            at += len;
            continue;
        }
        match raw[at..].char_indices().take(16).find(|(_, r)| *r == c) {
            Some((skip, _)) => {
                builder.copy(s, raw_start + at + skip);
                at += skip + s.len();
            }
            None => builder.escape(s, raw_start + at, 0),
        }
    }
    builder
}

/// Locale codes: `ar`, `ar-IQ`, `ar_SA`, `en-US`.
fn locale_base(name: &str) -> Option<&str> {
    let base = name.split(['-', '_']).next()?;
    // Two-letter ISO 639-1 codes only: three letters would take `src` or `lib` for a locale.
    let ok = base.len() == 2 && base.chars().all(|c| c.is_ascii_lowercase());
    let rest_ok =
        name[base.len()..].split(['-', '_']).skip(1).all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    (ok && rest_ok).then_some(base)
}

/// Whether a path looks like a locale file (a stem or a folder is a locale code).
pub fn is_locale_path(path: &Path) -> bool {
    file_language(path).is_some()
        || path.parent().into_iter().flat_map(|p| p.components()).any(|c| c.as_os_str().to_str().and_then(locale_base).is_some())
}

/// The source-language file for an Arabic locale file: the same path with the
/// Arabic locale code (as a folder or the file stem) replaced by `source`.
pub fn source_path(path: &Path, source: &str) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if locale_base(stem) == Some("ar") {
        return Some(path.with_file_name(format!("{source}.{extension}")));
    }
    // Rails' `devise.ar.yml` beside `devise.en.yml`.
    if let Some((name, locale)) = stem.rsplit_once('.') {
        if locale_base(locale) == Some("ar") {
            return Some(path.with_file_name(format!("{name}.{source}.{extension}")));
        }
    }
    let mut replaced = false;
    let rebuilt: PathBuf = path
        .components()
        .map(|c| match c.as_os_str().to_str() {
            Some(s) if !replaced && locale_base(s) == Some("ar") && Some(c.as_os_str()) != path.file_name() => {
                replaced = true;
                PathBuf::from(source)
            }
            _ => PathBuf::from(c.as_os_str()),
        })
        .collect();
    replaced.then_some(rebuilt)
}

/// Drops a leading locale key (Rails: `ar.nav.title` → `nav.title`).
fn without_locale_root(key: &str) -> &str {
    match key.split_once('.') {
        Some((first, rest)) if locale_base(first).is_some() => rest,
        _ => key,
    }
}

/// The CLDR plural categories, as Rails, vue-i18n and i18next key them.
const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A plural key's base, separator and category: `items.few` →
/// (`items`, `.`, `few`); i18next's `items_few` → (`items`, `_`, `few`).
fn plural_key(key: &str) -> Option<(&str, char, &str)> {
    let cut = key.rfind(['.', '_'])?;
    let category = &key[cut + 1..];
    PLURAL_CATEGORIES.contains(&category).then(|| (&key[..cut], key[cut..].chars().next().unwrap_or('.'), category))
}

/// Units of a locale file, each with the source file's string for its key.
/// An Arabic plural key the English lacks (Arabic has six categories,
/// English two: `zero`, `two`, `few`, `many` beside `one` and `other`) takes
/// the English `other`, else `one`, else any English form of the same key.
pub fn units(strings: Vec<(String, Side)>, sources: Option<Vec<(String, Side)>>) -> Vec<Unit> {
    let sources: HashMap<String, Side> =
        sources.unwrap_or_default().into_iter().map(|(k, s)| (without_locale_root(&k).to_string(), s)).collect();
    strings
        .into_iter()
        .filter(|(_, side)| !side.text.trim().is_empty())
        .map(|(key, target)| {
            let source = source_of(without_locale_root(&key), |k| sources.get(k));
            Unit { target, source, id: Some(TextRef::whole(Arc::new(Text::from(key)))), note: None }
        })
        .collect()
}

/// The language of a path's locale, if its file name, the last dotted part
/// of its stem (`messages.ar.xlf`) or one of its folders is a locale code
/// (`ar.json`, `ar-IQ.po`, `locales/fr/common.json`): `ar`, `fr`, ….
pub fn path_language(path: &Path) -> Option<&str> {
    file_language(path)
        .or_else(|| path.parent().into_iter().flat_map(|p| p.components()).rev().find_map(|c| c.as_os_str().to_str().and_then(locale_base)))
}

/// The language of a file's name alone (`fr.po`, `messages.ar.xlf`).
pub fn file_language(path: &Path) -> Option<&str> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    locale_base(stem).or_else(|| stem.rsplit_once('.').and_then(|(_, last)| locale_base(last)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_char_cursor_gives_every_character_its_byte_in_any_order() {
        let text = "aب ج\u{1F600}د";
        let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let mut cursor = CharCursor { text, chars: 0, bytes: 0 };
        for index in [0, 1, 2, 5, 6, 3, 3, 0, 6, 4, 1] {
            assert_eq!(cursor.byte_of(index), bytes[index], "character {index}");
        }
        assert_eq!(cursor.byte_of(40), text.len(), "past the end");
        assert_eq!(cursor.byte_of(2), bytes[2]);
    }

    #[test]
    fn json_nested_with_escapes_and_positions() {
        let text =
            "{\n  \"nav\": {\"title\": \"\\u0627\\u0644\\u0644\\u062c\\u0646\\u0629 العسكرية\", \"n\": 3},\n  \"list\": [\"أ\\\"ب\"]\n}";
        let strings = json_strings(text, "ar.json").unwrap();
        assert_eq!(
            strings.iter().map(|(k, s)| (k.as_str(), s.text.as_str())).collect::<Vec<_>>(),
            vec![("nav.title", "اللجنة العسكرية"), ("list.0", "أ\"ب")]
        );
        let side = &strings[0].1;
        assert!(text[side.map.start(side.text.find("العسكرية").unwrap())..].starts_with("العسكرية\""));
        assert_eq!(&text[side.map.start(0)..side.map.end(2)], "\\u0627");
    }

    #[test]
    fn json_errors_name_line_and_column() {
        let e = json_strings("{\n  \"a\": \"b\",\n  \"c\" \"d\"\n}", "x.json").unwrap_err().to_string();
        assert_eq!(e, "x.json:3:7: malformed JSON: expected ':'");
        let deep = "[".repeat(300) + &"]".repeat(300);
        assert!(json_strings(&deep, "x.json").unwrap_err().to_string().contains("nested deeper than 256"));
    }

    #[test]
    fn yaml_rails_keys_and_positions() {
        let text = "ar:\n  nav:\n    title: \"اللجنة \\\"العسكرية\\\"\"\n    plain: قوات الأمن العراقية\n  items:\n    - البيشمركة\n";
        let strings = yaml_strings(text, "ar.yml").unwrap();
        let keys: Vec<&str> = strings.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["ar.nav.title", "ar.nav.plain", "ar.items.0"]);
        let plain = &strings[1].1;
        assert!(text[plain.map.start(0)..].starts_with("قوات الأمن"));
        let title = &strings[0].1;
        assert_eq!(title.text.as_str(), "اللجنة \"العسكرية\"");
        assert!(text[title.map.start(title.text.find("العسكرية").unwrap())..].starts_with("العسكرية\\\""));
    }

    #[test]
    fn arabic_plural_keys_without_an_english_twin_take_its_other_form() {
        let side = |text: &str| {
            let mut b = UnitBuilder::new();
            b.copy(text, 0);
            b.finish()
        };
        let targets: Vec<(String, Side)> = [
            "ar.files.zero",
            "ar.files.one",
            "ar.files.two",
            "ar.files.few",
            "ar.files.many",
            "ar.files.other",
            "ar.items_few",
            "ar.title",
        ]
        .iter()
        .map(|k| (k.to_string(), side("ملفات")))
        .collect();
        let sources: Vec<(String, Side)> =
            [("en.files.one", "one file"), ("en.files.other", "%{count} files"), ("en.items_one", "an item"), ("en.title", "Title")]
                .iter()
                .map(|(k, v)| (k.to_string(), side(v)))
                .collect();
        let units = units(targets, Some(sources));
        let source = |key: &str| {
            units.iter().find(|u| u.id.as_deref() == Some(key)).and_then(|u| u.source.as_ref()).map(|s| s.shown.as_str().to_string())
        };
        assert_eq!(source("ar.files.one").as_deref(), Some("one file"));
        for key in ["ar.files.zero", "ar.files.two", "ar.files.few", "ar.files.many", "ar.files.other"] {
            assert_eq!(source(key).as_deref(), Some("%{count} files"), "{key}");
        }
        assert_eq!(source("ar.items_few").as_deref(), Some("an item"), "the only English form");
        assert_eq!(source("ar.title").as_deref(), Some("Title"));
    }

    #[test]
    fn the_language_of_a_path() {
        for (path, language) in [
            ("locales/ar.json", Some("ar")),
            ("locales/en.json", Some("en")),
            ("po/ar_EG.po", Some("ar")),
            ("i18n/messages.fr.xlf", Some("fr")),
            ("locales/ar/common.json", Some("ar")),
            ("config/locales/en/devise.yml", Some("en")),
            ("docs/article.md", None),
        ] {
            assert_eq!(path_language(Path::new(path)), language, "{path}");
        }
    }

    #[test]
    fn source_files_beside_arabic_ones() {
        assert_eq!(source_path(Path::new("locales/ar.json"), "en"), Some(PathBuf::from("locales/en.json")));
        assert_eq!(source_path(Path::new("locales/ar/common.json"), "en"), Some(PathBuf::from("locales/en/common.json")));
        assert_eq!(source_path(Path::new("i18n/ar-IQ.yml"), "en-US"), Some(PathBuf::from("i18n/en-US.yml")));
        assert_eq!(source_path(Path::new("config/locales/devise.ar.yml"), "en"), Some(PathBuf::from("config/locales/devise.en.yml")));
        assert!(is_locale_path(Path::new("config/locales/devise.ar.yml")));
        assert_eq!(source_path(Path::new("data/config.json"), "en"), None);
        assert!(is_locale_path(Path::new("locales/ar/common.json")) && !is_locale_path(Path::new("src/package.json")));
    }

    #[test]
    fn pathological_strings_are_read_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        for kind in ["json-open-braces", "json-nested-plurals", "yaml-open-braces"] {
            let (text, at) = pathological(kind, BYTES);
            let strings = if kind.starts_with("json") { json_strings(&text, "ar.json") } else { yaml_strings(&text, "ar.yml") }.unwrap();
            let side = &strings[0].1;
            let found = side.text.find(TERM).unwrap_or_else(|| panic!("{kind}: no term"));
            assert_eq!((side.map.start(found), side.map.end(found + TERM.len())), (at, at + TERM.len()), "{kind}");
            let raw = &text[text.find(": \"").unwrap() + 3..text.rfind('"').unwrap()];
            if kind == "json-nested-plurals" {
                // Everything but the term is the plurals' syntax.
                assert_eq!(side.text.trim_matches([' ', '\u{1F}']), TERM);
                assert_eq!(side.text.len(), raw.len());
            } else {
                // Nothing closes the `{`s: the whole string is text.
                assert_eq!(side.text.as_str(), raw, "{kind}");
            }
        }
    }
}
