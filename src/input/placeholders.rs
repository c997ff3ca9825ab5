//! Placeholders are never part of a term: printf conversions (`%s`, `%1$d`,
//! `%(name)s`), Ruby and shell interpolation (`%{name}`, `${name}`),
//! mustache (`{{count}}`), ICU arguments (`{name}`, `{0, number}`) and the
//! syntax of ICU `plural`/`select` messages (whose case texts stay text).
//! [`blank`] replaces each with a separator and spaces of the same byte
//! length, so offsets keep their meaning and no term runs across one.

/// Blanks the placeholders of `text`, keeping its length in bytes.
pub fn blank(text: &str) -> String {
    if !text.contains(['%', '{', '$']) {
        return text.to_string();
    }
    let mut out = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            b'%' => printf_len(&bytes[i..]),
            b'$' if bytes.get(i + 1) == Some(&b'{') => closing(bytes, i + 1).map(|end| end + 1 - i),
            b'{' => closing(bytes, i).map(|close| {
                icu(bytes, i, &mut out);
                close + 1 - i
            }),
            _ => None,
        };
        match len {
            Some(n) if n > 0 => {
                if bytes[i] != b'{' {
                    mark(&mut out, i, i + n);
                }
                i += n;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn mark(out: &mut [u8], start: usize, end: usize) {
    for (k, b) in out[start..end].iter_mut().enumerate() {
        *b = if k == 0 { 0x1F } else { b' ' };
    }
}

/// The index of the `}` closing the `{` at `open`, counting nesting.
fn closing(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Length of a printf conversion at the start of `bytes` (which is `%`).
fn printf_len(bytes: &[u8]) -> Option<usize> {
    let mut i = 1;
    if bytes.get(i) == Some(&b'{') {
        return closing(bytes, 1).map(|end| end + 1);
    }
    if bytes.get(i) == Some(&b'(') {
        i += bytes[i..].iter().position(|&b| b == b')')? + 1;
    } else {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && bytes.get(i + digits) == Some(&b'$') {
            i += digits + 1;
        }
    }
    i += bytes[i..].iter().take_while(|b| matches!(b, b'-' | b'+' | b' ' | b'#' | b'0')).count();
    i += bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if bytes.get(i) == Some(&b'.') {
        i += 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    }
    i += bytes[i..].iter().take_while(|b| matches!(b, b'h' | b'l' | b'L' | b'q' | b'j' | b'z' | b't')).count();
    match bytes.get(i) {
        Some(
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' | b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' | b'c' | b's' | b'p' | b'n'
            | b'@',
        ) => Some(i + 1),
        _ => None,
    }
}

/// Blanks the ICU or mustache construct opening at `open`, keeping the text
/// of plural/select cases.
fn icu(bytes: &[u8], open: usize, out: &mut [u8]) {
    let Some(close) = closing(bytes, open) else { return };
    if bytes.get(open + 1) == Some(&b'{') {
        mark(out, open, close + 1);
        return;
    }
    let inner = &bytes[open + 1..close];
    let Some(first_brace) = inner.iter().position(|&b| b == b'{') else {
        // `{name}` or `{0, number, percent}`: all syntax.
        mark(out, open, close + 1);
        return;
    };
    let head = String::from_utf8_lossy(&inner[..first_brace]);
    let kind = head.split(',').nth(1).map(str::trim).unwrap_or("");
    if !matches!(kind, "plural" | "select" | "selectordinal") {
        mark(out, open, close + 1);
        return;
    }
    // `{n, plural, one {…} other {…}}`: blank the head, each selector with
    // its braces, and the closing brace; keep (and recurse into) case texts.
    let mut i = open + 1 + first_brace;
    mark(out, open, i + 1);
    while i < close {
        if bytes[i] == b'{' {
            let Some(end) = closing(bytes, i) else { return };
            out[end] = b' ';
            let mut k = i + 1;
            while k < end {
                if bytes[k] == b'{' {
                    icu(bytes, k, out);
                    k = closing(bytes, k).unwrap_or(end) + 1;
                } else {
                    k += 1;
                }
            }
            i = end + 1;
            // The next selector, up to its brace.
            let next = bytes[i..close].iter().position(|&b| b == b'{').map_or(close, |p| i + p);
            if next > i {
                mark(out, i, (next + 1).min(close));
            }
            i = next;
        } else {
            i += 1;
        }
    }
    out[close] = b' ';
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible(text: &str) -> String {
        blank(text).replace('\u{1F}', "|")
    }

    #[test]
    fn printf_and_interpolation() {
        assert_eq!(visible("اللجنة %s العليا"), "اللجنة |  العليا");
        assert_eq!(visible("%1$d و %(name)s و %{x} و ${y}"), "|    و |        و |    و |   ");
        assert_eq!(visible("100% مؤكد"), "100% مؤكد");
    }

    #[test]
    fn mustache_and_icu_arguments() {
        assert_eq!(visible("{{count}} لجان"), "|         لجان");
        assert_eq!(visible("{name} قال"), "|      قال");
    }

    #[test]
    fn icu_plural_keeps_case_texts() {
        let text = "{n, plural, one {لجنة واحدة} other {# لجان}}";
        let out = blank(text);
        assert_eq!(out.len(), text.len());
        assert!(out.contains("لجنة واحدة") && out.contains("# لجان"));
        assert!(!out.contains("plural") && !out.contains("other") && !out.contains('{') && !out.contains('}'));
    }
}
