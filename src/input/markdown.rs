//! Markdown prose: the text with everything that is not prose blanked out, byte
//! for byte, so that offsets stay those of the file. Blanked: front matter,
//! fenced and indented code blocks, code spans, HTML comments and tags, link
//! destinations, autolinks and bare URLs. Line breaks are kept.
//!
//! A blanked stretch starts with a unit separator (U+001F) so that a term never
//! runs across it.
//!
//! Linear in the text: a construct that is not closed on its line (a `<x`
//! without `>`, a `](` without `)`, a run of backticks without a run as long
//! after it) must not cost a search of the rest of the line each time, so a
//! line remembers where its next `>` and `)` are (or that there is none), and
//! how long the longest backtick run after any point is; a search is made only
//! where it will find its end, and the scan then goes on past that end.

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
    let mut gt = NextByte::new(b'>');
    let mut paren = NextByte::new(b')');
    let mut fences: Option<Fences> = None;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &line[i..];
        let skip = if bytes[i] == b'`' {
            let ticks = rest.bytes().take_while(|&b| b == b'`').count();
            // The first run of at least `ticks` backticks after this one
            // closes the span (a longer run closes it with its first ones),
            // looked for only when there is one.
            let fence = &rest[..ticks];
            if fences.get_or_insert_with(|| Fences::new(bytes)).closed(i + ticks, ticks) {
                rest[ticks..].find(fence).map(|end| ticks + end + ticks)
            } else {
                None
            }
        } else if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(rest.len(), |end| end + 3))
        } else if bytes[i] == b'<' && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') {
            gt.find(bytes, i).map(|end| end - i + 1)
        } else if rest.starts_with("](") {
            // Keep the `]`, blank the destination.
            i += 1;
            paren.find(bytes, i).map(|end| end - i + 1)
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

/// The next occurrence of a byte in a line, remembered: asked again from a
/// point before it, the answer is known (and that there is none, asked from
/// anywhere after a search that found none). Each search starts past the
/// last one's answer, so a line is searched once however often it is asked.
struct NextByte {
    byte: u8,
    /// The last search: from where, and what it found.
    last: Option<(usize, Option<usize>)>,
}

impl NextByte {
    fn new(byte: u8) -> Self {
        NextByte { byte, last: None }
    }

    /// The first `byte` at or after `from`.
    fn find(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.last {
            if searched_from <= from && found.is_none_or(|at| at >= from) {
                return found;
            }
        }
        let found = memchr::memchr(self.byte, &bytes[from.min(bytes.len())..]).map(|p| from + p);
        self.last = Some((from, found));
        found
    }
}

/// The backtick runs of a line that are longer than every run after them,
/// in order (so of falling lengths): the first of them at or after a point
/// is the longest run from that point on. A run of `n` backticks is closed
/// only if a run of `n` or more follows it, which this answers without a
/// search; where one does follow, the search for it stops there and the
/// scan goes on past it. A line of `n` bytes has fewer than √(2n) such runs.
struct Fences {
    longest: Vec<(usize, usize)>,
    /// The first of `longest` at or after the last point asked about.
    next: usize,
}

impl Fences {
    fn new(line: &[u8]) -> Self {
        let mut longest: Vec<(usize, usize)> = Vec::new();
        let mut at = 0;
        while let Some(p) = memchr::memchr(b'`', &line[at..]) {
            let start = at + p;
            let len = backticks(line, start);
            while longest.last().is_some_and(|&(_, l)| l <= len) {
                longest.pop();
            }
            longest.push((start, len));
            at = start + len;
        }
        Fences { longest, next: 0 }
    }

    /// Whether a run of at least `ticks` backticks starts at or after
    /// `from` (where a run ends; the points asked about only grow).
    fn closed(&mut self, from: usize, ticks: usize) -> bool {
        while self.longest.get(self.next).is_some_and(|&(start, _)| start < from) {
            self.next += 1;
        }
        self.longest.get(self.next).is_some_and(|&(_, longest)| longest >= ticks)
    }
}

/// The length of the run of backticks at `start`.
fn backticks(line: &[u8], start: usize) -> usize {
    line[start..].iter().take_while(|&&b| b == b'`').count()
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

    /// A line's inline constructs as they were blanked before the reader was
    /// made linear: each one not closed searched the rest of the line.
    fn blank_inline_before(text: &str, out: &mut [u8], start: usize, len: usize) {
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

    #[test]
    fn blanks_every_line_as_it_did_before_it_was_linear() {
        let pieces = [
            "`",
            "``",
            "```",
            "````",
            "<",
            ">",
            "<x",
            "</",
            "<!--",
            "-->",
            "](",
            "]",
            "[",
            "(",
            ")",
            "http://a.b",
            "www.",
            " ",
            "x",
            "ن",
            "\t",
            "\u{A0}",
        ];
        for line in crate::input::testing::random_texts(11, &pieces, 30, 30_000) {
            let (mut now, mut before) = (line.as_bytes().to_vec(), line.as_bytes().to_vec());
            blank_inline(&line, &mut now, 0, line.len());
            blank_inline_before(&line, &mut before, 0, line.len());
            assert_eq!(String::from_utf8_lossy(&now), String::from_utf8_lossy(&before), "{line:?}");
        }
    }

    #[test]
    fn a_backtick_run_is_closed_by_the_first_run_as_long_after_it() {
        // A run of three closes on the first run of three or more (with its
        // first three); the backtick left of that run of four opens a span
        // the next backtick closes, the first of a run of two.
        let p = prose("a ```b`` c```` d e `` f\n");
        assert_eq!(p.replace('\u{1F}', "|"), "a |          |      ` f\n");
        // Nothing closes a run of three: its last two backticks open a span
        // the run of two closes.
        let p = prose("x ```a`` b\n");
        assert_eq!(p.replace('\u{1F}', "|"), "x `|     b\n");
    }

    #[test]
    fn pathological_lines_are_read_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        for kind in [
            "markdown-open-tags",
            "markdown-open-destinations",
            "markdown-backtick-runs",
            "markdown-brackets",
            "markdown-comments-after-a-pragma",
        ] {
            let (text, at) = pathological(kind, BYTES);
            let p = prose(&text);
            assert_eq!(p.len(), text.len(), "{kind}");
            assert!(p[at..].starts_with(TERM), "{kind}");
            match kind {
                "markdown-comments-after-a-pragma" => {
                    assert_eq!(p.matches('\u{1F}').count(), text.matches("<!--").count(), "{kind}: every comment blanked")
                }
                // Each run's last backticks open a span the next run closes.
                "markdown-backtick-runs" => assert!(p.contains('\u{1F}'), "{kind}"),
                // Nothing on the line is closed, so nothing is blanked.
                _ => assert!(p == text, "{kind}"),
            }
            // Smaller, as the reader read it before.
            let (small, _) = pathological(kind, 16 << 10);
            let mut before = small.as_bytes().to_vec();
            let mut start = 0;
            for line in small.split_inclusive('\n') {
                let body = line.trim_end_matches('\n');
                if !body.starts_with("<!--") {
                    blank_inline_before(&small, &mut before, start, body.len());
                } else {
                    blank(&mut before, start..start + body.len());
                }
                start += line.len();
            }
            assert!(prose(&small).as_bytes() == before, "{kind}");
        }
    }
}
