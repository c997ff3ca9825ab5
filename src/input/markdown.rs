//! Markdown prose: the text with everything that is not prose blanked out, byte
//! for byte, so that offsets stay those of the file. Blanked: front matter,
//! fenced and indented code blocks, code spans, HTML comments and tags, link
//! destinations, autolinks and bare URLs. Line breaks are kept.
//!
//! A blanked stretch starts with a unit separator (U+001F) so that a term never
//! runs across it.

/// The prose of a Markdown text, same length as `text`.
pub fn prose(text: &str) -> String {
    let mut out = text.as_bytes().to_vec();
    let mut in_fence: Option<(u8, usize)> = None;
    let mut previous_blank = true;
    let mut line_start = 0;
    let mut first_line = true;
    let mut in_front_matter = false;
    for line in text.split_inclusive('\n') {
        let range = line_start..line_start + line.len();
        line_start += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        let indent = body.len() - trimmed.len();
        if first_line && body == "---" {
            in_front_matter = true;
            first_line = false;
            blank(&mut out, range);
            continue;
        }
        first_line = false;
        if in_front_matter {
            if body == "---" || body == "..." {
                in_front_matter = false;
            }
            blank(&mut out, range);
            continue;
        }
        if let Some((fence_char, fence_len)) = in_fence {
            let run = trimmed.bytes().take_while(|&b| b == fence_char).count();
            if run >= fence_len && trimmed[run..].trim().is_empty() {
                in_fence = None;
            }
            blank(&mut out, range);
            continue;
        }
        if indent <= 3 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            let fence_char = trimmed.as_bytes()[0];
            in_fence = Some((fence_char, trimmed.bytes().take_while(|&b| b == fence_char).count()));
            blank(&mut out, range);
            continue;
        }
        if indent >= 4 && previous_blank && !trimmed.is_empty() {
            // An indented code block (a list continuation would follow text, not a blank).
            blank(&mut out, range);
            continue;
        }
        previous_blank = trimmed.is_empty();
        blank_inline(text, &mut out, range.start, body.len());
    }
    // Only whole UTF-8 characters were replaced by ASCII, so this cannot fail.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Blanks a byte range: a separator first, then spaces; line breaks stay.
fn blank(out: &mut [u8], range: std::ops::Range<usize>) {
    let mut first = true;
    for b in &mut out[range] {
        if *b == b'\n' || *b == b'\r' {
            continue;
        }
        *b = if first { 0x1F } else { b' ' };
        first = false;
    }
}

fn blank_inline(text: &str, out: &mut [u8], start: usize, len: usize) {
    let line = &text[start..start + len];
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        let skip = if bytes[i] == b'`' {
            let ticks = rest.bytes().take_while(|&b| b == b'`').count();
            let fence = &rest[..ticks];
            rest[ticks..].find(fence).map(|end| ticks + end + ticks)
        } else if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(rest.len(), |end| end + 3))
        } else if bytes[i] == b'<' && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            rest.find('>').map(|end| end + 1)
        } else if rest.starts_with("](") {
            // Keep the `]`, blank the destination.
            i += 1;
            line[i..].find(')').map(|end| end + 1)
        } else if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
            Some(rest.find(|c: char| c.is_whitespace() || c == ')' || c == '>').unwrap_or(rest.len()))
        } else {
            None
        };
        match skip {
            Some(n) if n > 0 => {
                blank(out, start + i..start + i + n);
                i += n;
            }
            _ => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lengths_and_prose() {
        let text = "---\ntitle: x\n---\nنص `code` [رابط](https://example.com) <!-- تعليق --> باقي\n```\nكود\n```\nنهاية\n";
        let p = prose(text);
        assert_eq!(p.len(), text.len());
        assert!(p.contains("نص "));
        assert!(p.contains("[رابط]"));
        assert!(p.contains("باقي"));
        assert!(p.contains("نهاية"));
        assert!(!p.contains("code"));
        assert!(!p.contains("example"));
        assert!(!p.contains("تعليق"));
        assert!(!p.contains("كود"));
        assert!(!p.contains("title"));
        assert_eq!(p.matches('\n').count(), text.matches('\n').count());
    }

    #[test]
    fn indented_code_after_a_blank_line() {
        let p = prose("فقرة\n\n    كود\nنص\n");
        assert!(!p.contains("كود"));
        assert!(p.contains("نص"));
    }
}
