//! HTML: text nodes only. Tags and attributes are not text; `<script>`,
//! `<style>`, `<code>`, `<pre>`, `<template>` and comments are skipped whole;
//! entities are decoded with their positions kept. Text on either side of an
//! inline element (`<b>`, `<a>`, `<span>`, …) joins into one phrase; a block
//! element (`<p>`, `<li>`, `<br>`, …) is a separator no term may cross.
//!
//! One pass, linear in the document: every search either ends where the
//! reader goes on (a tag's `>`, a comment's `-->`, a skipped element's
//! closing tag) or finds nothing and ends the document, so no stretch is
//! searched twice. A bare `&` looks for its `;` among the next 32 bytes
//! only (no entity is longer), and a skipped element's closing tag is
//! looked for case-insensitively where it stands, with no lowercased copy.

use super::units::{Side, UnitBuilder};

const SKIPPED: &[&str] = &["script", "style", "code", "pre", "template", "noscript", "svg", "math", "textarea"];
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "i", "ins", "del", "kbd", "mark", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "wbr", "font",
];

/// The prose of an HTML document as one side.
pub fn prose(text: &str) -> Side {
    let bytes = text.as_bytes();
    let mut builder = UnitBuilder::new();
    let mut i = 0;
    let mut run = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                builder.copy(&text[run..i], run);
                let rest = &text[i..];
                let end = if rest.starts_with("<!--") {
                    rest.find("-->").map_or(text.len(), |e| i + e + 3)
                } else if rest.starts_with("<!") || rest.starts_with("<?") {
                    rest.find('>').map_or(text.len(), |e| i + e + 1)
                } else {
                    let close = tag_end(text, i);
                    let name = tag_name(rest);
                    let closing = rest.starts_with("</");
                    let skipped = SKIPPED.iter().find(|s| s.eq_ignore_ascii_case(name));
                    match skipped {
                        Some(skipped) if !closing && !text[..close].ends_with("/>") => {
                            builder.barrier(i);
                            match closing_tag(text, close, skipped) {
                                Some(found) => tag_end(text, found),
                                None => text.len(),
                            }
                        }
                        _ => {
                            if !INLINE.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                                builder.barrier(i);
                            }
                            close
                        }
                    }
                };
                i = end.min(text.len());
                run = i;
            }
            b'&' => {
                builder.copy(&text[run..i], run);
                match entity(&text[i..]) {
                    Some((decoded, len)) => {
                        builder.escape(&decoded, i, len);
                        i += len;
                    }
                    None => {
                        builder.copy("&", i);
                        i += 1;
                    }
                }
                run = i;
            }
            _ => i += 1,
        }
    }
    builder.copy(&text[run..], run);
    builder.finish()
}

/// The index just past the `>` of the tag opening at `start`, minding quotes.
fn tag_end(text: &str, start: usize) -> usize {
    let mut quote = None;
    for (k, c) in text[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return start + k + 1,
            _ => {}
        }
    }
    text.len()
}

/// The name of the tag opening `rest` (at its `<`): the letters and digits
/// after the `<` and any `/`s, as written.
fn tag_name(rest: &str) -> &str {
    let after = rest[1..].trim_start_matches('/');
    let len = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
    &after[..len]
}

/// Where the first `</name` (in any case) at or after `from` starts. The
/// search ends there, and the reader goes on past that tag, so each byte is
/// looked at once; `name` is one of [`SKIPPED`], short and lowercase.
fn closing_tag(text: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(&bytes[from..], b"</")
        .map(|p| from + p)
        .find(|&p| bytes.get(p + 2..p + 2 + name.len()).is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes())))
}

/// How far (in bytes) after its `&` the `;` of a character reference may
/// stand: one further does not end an entity.
const ENTITY_MAX: usize = 32;

/// Decodes the character reference at the start of `text`. The `;` is
/// looked for among the next [`ENTITY_MAX`] bytes only, so that a bare `&`
/// costs the same wherever the next `;` is.
fn entity(text: &str) -> Option<(String, usize)> {
    let window = &text.as_bytes()[1..text.len().min(ENTITY_MAX + 1)];
    let end = memchr::memchr(b';', window)? + 1;
    Some((decode_entity(&text[1..end])?, end + 1))
}

/// The text of the character reference `&name;`.
fn decode_entity(name: &str) -> Option<String> {
    Some(if let Some(number) = name.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(value)?.to_string()
    } else {
        match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" => "\u{A0}",
            "shy" => "\u{AD}",
            "zwnj" => "\u{200C}",
            "zwj" => "\u{200D}",
            "lrm" => "\u{200E}",
            "rlm" => "\u{200F}",
            "ndash" => "–",
            "mdash" => "—",
            "laquo" => "«",
            "raquo" => "»",
            "lsquo" => "‘",
            "rsquo" => "’",
            "ldquo" => "“",
            "rdquo" => "”",
            "hellip" => "…",
            "middot" => "·",
            "copy" => "©",
            "reg" => "®",
            _ => return None,
        }
        .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_nodes_join_across_inline_tags_and_entities_keep_positions() {
        let text =
            "<p title=\"مؤسسة حمد الطبية\">اللجنة <b>العسكرية</b>&nbsp;العليا</p><script>var x = 'قوى الأمن الداخلي';</script><p>نص</p>";
        let side = prose(text);
        assert!(side.text.contains("اللجنة العسكرية\u{A0}العليا"), "{:?}", side.text);
        assert!(!side.text.contains("حمد") && !side.text.contains("قوى"));
        let at = side.map.start(side.text.find("العليا").unwrap());
        assert!(text[at..].starts_with("العليا</p>"));
    }

    #[test]
    fn blocks_separate() {
        let side = prose("<li>اللجنة العسكرية</li><li>العليا</li>");
        assert!(side.text.contains("العسكرية\u{1F}"));
    }

    /// The reader as it was before it was made linear: each `&` looked for
    /// its `;` in the whole rest of the text, each skipped element found its
    /// closing tag in a lowercased copy of the rest.
    fn prose_before(text: &str) -> Side {
        let bytes = text.as_bytes();
        let mut builder = UnitBuilder::new();
        let mut i = 0;
        let mut run = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => {
                    builder.copy(&text[run..i], run);
                    let rest = &text[i..];
                    let end = if rest.starts_with("<!--") {
                        rest.find("-->").map_or(text.len(), |e| i + e + 3)
                    } else if rest.starts_with("<!") || rest.starts_with("<?") {
                        rest.find('>').map_or(text.len(), |e| i + e + 1)
                    } else {
                        let close = tag_end(text, i);
                        let name: String = rest[1..]
                            .trim_start_matches('/')
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric())
                            .collect::<String>()
                            .to_ascii_lowercase();
                        let closing = rest.starts_with("</");
                        if !closing && SKIPPED.contains(&name.as_str()) && !text[..close].ends_with("/>") {
                            let needle = format!("</{name}");
                            let lower = text[close..].to_ascii_lowercase();
                            let found = lower.find(&needle).map_or(text.len(), |p| close + p);
                            builder.barrier(i);
                            if found >= text.len() {
                                text.len()
                            } else {
                                tag_end(text, found)
                            }
                        } else {
                            if !INLINE.contains(&name.as_str()) {
                                builder.barrier(i);
                            }
                            close
                        }
                    };
                    i = end.min(text.len());
                    run = i;
                }
                b'&' => {
                    builder.copy(&text[run..i], run);
                    let end = text[i + 1..].find(';').map(|e| e + 1).filter(|e| *e <= 32);
                    match end.and_then(|end| Some((decode_entity(&text[i + 1..i + end])?, end + 1))) {
                        Some((decoded, len)) => {
                            builder.escape(&decoded, i, len);
                            i += len;
                        }
                        None => {
                            builder.copy("&", i);
                            i += 1;
                        }
                    }
                    run = i;
                }
                _ => i += 1,
            }
        }
        builder.copy(&text[run..], run);
        builder.finish()
    }

    #[test]
    fn reads_every_text_as_it_did_before_it_was_linear() {
        let pieces = [
            "<",
            ">",
            "</",
            "/>",
            "<code>",
            "</CODE>",
            "</code",
            "<Svg ",
            "</svg>",
            "<script>",
            "</scripts>",
            "<b>",
            "</b>",
            "<p>",
            "<br/>",
            "<pre/>",
            "&",
            ";",
            "&amp;",
            "&AMP;",
            "&#x41;",
            "&#65;",
            "&#xD800;",
            "&nbsp",
            "&rlm;",
            "\"",
            "'",
            "<!--",
            "-->",
            "<!",
            "<?",
            "x",
            " ",
            "ن",
            "أ_ب",
            "{n}",
            "%s",
            "0123456789abcdef",
            // `;` 31, 32 and 33 bytes after the `&`: the last is too far.
            "&#000000000000000000000000000065;",
            "&#0000000000000000000000000000065;",
            "&#00000000000000000000000000000065;",
        ];
        for text in crate::input::testing::random_texts(7, &pieces, 24, 20_000) {
            assert_eq!(prose(&text), prose_before(&text), "{text:?}");
        }
    }

    #[test]
    fn pathological_inputs_read_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        for kind in
            ["html-bare-ampersands", "html-skipped-elements", "html-open-braces", "html-open-printf-names", "html-comments-after-a-pragma"]
        {
            let (text, at) = pathological(kind, BYTES);
            let side = prose(&text);
            let found = side.text.find(TERM).unwrap_or_else(|| panic!("{kind}: no term"));
            assert_eq!((side.map.start(found), side.map.end(found + TERM.len())), (at, at + TERM.len()), "{kind}");
            match kind {
                // Every `&` is text, and so is everything between the tags.
                "html-bare-ampersands" => assert_eq!(side.text.matches(" & ").count(), text.matches(" & ").count()),
                // Nothing inside a skipped element is text.
                "html-skipped-elements" => assert!(!side.text.contains(['x', 'y', 'z', 'w'])),
                // Nothing closes the `{`s or the `%(`s: nothing is blanked.
                "html-open-braces" | "html-open-printf-names" => {
                    let paragraph = &text["<p>".len()..text.len() - "</p>\n".len()];
                    assert!(side.text.split('\u{1F}').any(|piece| piece == paragraph), "{kind}")
                }
                _ => assert!(!side.text.contains("qamus")),
            }
        }
    }
}
