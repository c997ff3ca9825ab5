//! HTML: text nodes only. Tags and attributes are not text; `<script>`,
//! `<style>`, `<code>`, `<pre>`, `<template>` and comments are skipped whole;
//! entities are decoded with their positions kept. Text on either side of an
//! inline element (`<b>`, `<a>`, `<span>`, …) joins into one phrase; a block
//! element (`<p>`, `<li>`, `<br>`, …) is a separator no term may cross.

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

/// Decodes the character reference at the start of `text`.
fn entity(text: &str) -> Option<(String, usize)> {
    let end = text[1..].find(';').map(|e| e + 1).filter(|e| *e <= 32)?;
    let name = &text[1..end];
    let decoded = if let Some(number) = name.strip_prefix('#') {
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
    };
    Some((decoded, end + 1))
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
}
