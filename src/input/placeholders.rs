//! Placeholders are never part of a term: printf conversions (`%s`, `%1$d`,
//! `%(name)s`), Ruby and shell interpolation (`%{name}`, `${name}`),
//! mustache (`{{count}}`), ICU arguments (`{name}`, `{0, number}`) and the
//! syntax of ICU `plural`/`select` messages (whose case texts stay text).
//! [`blank`] replaces each with a separator and spaces of the same byte
//! length, so offsets keep their meaning and no term runs across one.
//!
//! Linear in the text: a `{` that something closes is walked to its `}`
//! once, nested ICU messages and all (with a stack of the messages open at
//! each point, not recursion), and the scan goes on past it; after the first
//! `{` found open to the end of the text, which of the later `{`s are open is
//! told by a table built in one pass from the end (one number a 4 KB block)
//! without a walk; the `)` of a `%(name)` conversion, and what follows it,
//! is read once for all the `%(`s before it.

/// Blanks the placeholders of `text`, keeping its length in bytes.
pub fn blank(text: &str) -> String {
    if !text.contains(['%', '{', '$']) {
        return text.to_string();
    }
    let mut out = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    let mut braces = Braces::new(bytes);
    let mut printf = Printf::default();
    let mut i = 0;
    while i < bytes.len() {
        let len = match bytes[i] {
            b'%' => printf.len(bytes, i, &mut braces),
            b'$' if bytes.get(i + 1) == Some(&b'{') => braces.closing(i + 1).map(|end| end + 1 - i),
            b'{' => braces.closing(i).map(|close| {
                icu(bytes, i, close, &mut out);
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

/// Finds the `}` closing a `{`, counting nesting. A `{` that something
/// closes is walked to its `}`, and the caller goes on past it; the first
/// `{` found open to the end (a walk of the rest) has [`Unclosed`] built,
/// which then tells every later open `{` without a walk.
struct Braces<'a> {
    bytes: &'a [u8],
    unclosed: Option<Unclosed>,
}

impl<'a> Braces<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Braces { bytes, unclosed: None }
    }

    /// The index of the `}` closing the `{` at `open`.
    fn closing(&mut self, open: usize) -> Option<usize> {
        if let Some(unclosed) = &mut self.unclosed {
            if unclosed.is_open(self.bytes, open) {
                return None;
            }
        }
        let close = closing(self.bytes, open);
        if close.is_none() && self.unclosed.is_none() {
            self.unclosed = Some(Unclosed::new(self.bytes));
        }
        close
    }
}

/// Which `{` nothing closes, a block of the text at a time. Read from the
/// end, a `}` waits for a `{` and a `{` takes the nearest one waiting: a
/// `{` that finds none waiting is open to the end. How many wait at the end
/// of each block is kept (one number a block); the `{`s of the block asked
/// about are worked out from it, in one pass over the block, and kept as
/// bits until another block is asked about.
struct Unclosed {
    /// Per block, the `}`s after it still waiting for a `{`.
    waiting: Vec<usize>,
    /// The block whose open `{`s `bits` holds.
    block: usize,
    bits: Vec<u64>,
}

/// Bytes in a block of [`Unclosed`].
const BLOCK: usize = 1 << 12;

impl Unclosed {
    fn new(bytes: &[u8]) -> Self {
        let blocks = bytes.len().div_ceil(BLOCK);
        let mut waiting = vec![0; blocks];
        let mut count = 0usize;
        for (block, slot) in waiting.iter_mut().enumerate().rev() {
            *slot = count;
            let from = block * BLOCK;
            let chunk = &bytes[from..(from + BLOCK).min(bytes.len())];
            for p in memchr::memrchr2_iter(b'{', b'}', chunk) {
                count = if chunk[p] == b'}' { count + 1 } else { count.saturating_sub(1) };
            }
        }
        Unclosed { waiting, block: usize::MAX, bits: vec![0; BLOCK / 64] }
    }

    /// Whether nothing closes the `{` at `open`.
    fn is_open(&mut self, bytes: &[u8], open: usize) -> bool {
        let block = open / BLOCK;
        if block != self.block {
            self.bits.fill(0);
            let from = block * BLOCK;
            let chunk = &bytes[from..(from + BLOCK).min(bytes.len())];
            let mut count = self.waiting[block];
            for p in memchr::memrchr2_iter(b'{', b'}', chunk) {
                if chunk[p] == b'}' {
                    count += 1;
                } else if count == 0 {
                    self.bits[p / 64] |= 1 << (p % 64);
                } else {
                    count -= 1;
                }
            }
            self.block = block;
        }
        let p = open - block * BLOCK;
        self.bits[p / 64] & (1 << (p % 64)) != 0
    }
}

/// The index of the `}` closing the `{` at `open`, counting nesting.
fn closing(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for k in memchr::memchr2_iter(b'{', b'}', &bytes[open..]).map(|k| open + k) {
        if bytes[k] == b'{' {
            depth += 1;
        } else if depth <= 1 {
            return Some(k);
        } else {
            depth -= 1;
        }
    }
    None
}

/// Reads printf conversions, remembering the `)` of the last `%(` and what
/// follows it, which every `%(` before that `)` shares.
#[derive(Default)]
struct Printf {
    /// The last search for a `)`: from where, and what it found.
    paren: Option<(usize, Option<usize>)>,
    /// The last conversion read after a `)`: from where, and its end.
    after_paren: Option<(usize, Option<usize>)>,
}

impl Printf {
    /// Length of a printf conversion at `start` (which is `%`).
    fn len(&mut self, bytes: &[u8], start: usize, braces: &mut Braces) -> Option<usize> {
        let mut i = start + 1;
        if bytes.get(i) == Some(&b'{') {
            return braces.closing(i).map(|end| end + 1 - start);
        }
        if bytes.get(i) == Some(&b'(') {
            let close = self.paren(bytes, i)?;
            let from = close + 1;
            let end = match self.after_paren {
                Some((at, end)) if at == from => end,
                _ => {
                    let end = conversion(bytes, from);
                    self.after_paren = Some((from, end));
                    end
                }
            };
            return end.map(|end| end - start);
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && bytes.get(i + digits) == Some(&b'$') {
            i += digits + 1;
        }
        conversion(bytes, i).map(|end| end - start)
    }

    /// The first `)` at or after `from`.
    fn paren(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        if let Some((searched_from, found)) = self.paren {
            if searched_from <= from && found.is_none_or(|at| at >= from) {
                return found;
            }
        }
        let found = memchr::memchr(b')', &bytes[from..]).map(|p| from + p);
        self.paren = Some((from, found));
        found
    }
}

/// The end of the flags, width, precision, length and conversion character
/// of a printf conversion from `i` on, if they end in a conversion character.
/// Each part is a run of characters none of which is `%`, so two conversions
/// never read the same bytes here.
fn conversion(bytes: &[u8], mut i: usize) -> Option<usize> {
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

/// Where [`icu`] stands inside one construct.
enum Frame {
    /// In the head of the construct opened at this index, before its first
    /// inner brace: `{name` of `{name}`, `{n, plural, one ` of a plural.
    Head(usize),
    /// Inside a construct that is all syntax, this deep in braces.
    Syntax(usize),
    /// In a case text of a plural or select message.
    Case,
    /// Between the case texts of a plural or select message, after the case
    /// that closed just before this index.
    Selector(usize),
}

/// Blanks the ICU or mustache construct `bytes[open..=close]` (`close`
/// closes `open`), keeping the text of plural/select cases: `{name}`,
/// `{0, number, percent}` and `{{count}}` are all syntax; of
/// `{n, plural, one {…} other {…}}`, the head, each selector with its
/// braces, and the closing brace are, and each case text is kept, with the
/// constructs in it blanked alike. One walk over the construct, with a stack
/// of the constructs open at each point instead of recursion.
fn icu(bytes: &[u8], open: usize, close: usize, out: &mut [u8]) {
    let mut stack = vec![Frame::Head(open)];
    out[open] = 0x1F;
    for p in open + 1..=close {
        let b = bytes[p];
        let Some(top) = stack.last_mut() else { break };
        match top {
            Frame::Head(start) => {
                out[p] = b' ';
                if b == b'}' {
                    stack.pop();
                } else if b == b'{' {
                    *top = if is_cases(&bytes[*start + 1..p]) { Frame::Case } else { Frame::Syntax(2) };
                }
            }
            Frame::Syntax(depth) => {
                out[p] = b' ';
                if b == b'{' {
                    *depth += 1;
                } else if b == b'}' {
                    *depth -= 1;
                    if *depth == 0 {
                        stack.pop();
                    }
                }
            }
            Frame::Case => {
                if b == b'{' {
                    out[p] = 0x1F;
                    stack.push(Frame::Head(p));
                } else if b == b'}' {
                    out[p] = b' ';
                    *top = Frame::Selector(p + 1);
                }
            }
            Frame::Selector(start) => {
                if b == b'{' {
                    // The selector is blanked with its brace; a case that
                    // follows the one before at once keeps its brace.
                    if p > *start {
                        out[p] = b' ';
                    }
                    *top = Frame::Case;
                } else if b == b'}' {
                    out[p] = b' ';
                    stack.pop();
                } else {
                    out[p] = if p == *start { 0x1F } else { b' ' };
                }
            }
        }
    }
}

/// Whether a construct's head (what comes before its first inner brace)
/// opens a `plural`, `select` or `selectordinal` message.
fn is_cases(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head);
    let kind = head.split(',').nth(1).map(str::trim).unwrap_or("");
    matches!(kind, "plural" | "select" | "selectordinal")
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

    /// The placeholders as they were blanked before `blank` was made
    /// linear: each `{`, `${` and `%{` walked to the end of the text when
    /// nothing closed it, each `%(` searched the rest for its `)`, and ICU
    /// messages nested in cases were walked again at every level, by
    /// recursion.
    mod before {
        pub fn blank(text: &str) -> String {
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
                            super::mark(&mut out, i, i + n);
                        }
                        i += n;
                    }
                    _ => i += 1,
                }
            }
            String::from_utf8(out).unwrap_or_else(|_| text.to_string())
        }

        pub fn closing(bytes: &[u8], open: usize) -> Option<usize> {
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
            super::conversion(bytes, i)
        }

        fn icu(bytes: &[u8], open: usize, out: &mut [u8]) {
            let mark = super::mark;
            let Some(close) = closing(bytes, open) else { return };
            if bytes.get(open + 1) == Some(&b'{') {
                mark(out, open, close + 1);
                return;
            }
            let inner = &bytes[open + 1..close];
            let Some(first_brace) = inner.iter().position(|&b| b == b'{') else {
                mark(out, open, close + 1);
                return;
            };
            let head = String::from_utf8_lossy(&inner[..first_brace]);
            let kind = head.split(',').nth(1).map(str::trim).unwrap_or("");
            if !matches!(kind, "plural" | "select" | "selectordinal") {
                mark(out, open, close + 1);
                return;
            }
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
    }

    /// Random ICU messages, nested: text, arguments, mustache, printf and
    /// plural or select messages whose cases hold more of the same.
    fn message(rng: &mut crate::synthetic::Rng, depth: usize, out: &mut String) {
        let pick = |rng: &mut crate::synthetic::Rng, n: u64| (rng.next_bits() % n) as usize;
        for _ in 0..pick(rng, 4) + 1 {
            match pick(rng, if depth == 0 { 6 } else { 9 }) {
                0 => out.push_str(["ن ", "x", " ", "#", ",", "%s", "%(n)d", "%(", "${a}", "%{b}", "}", "{", "$"][pick(rng, 13)]),
                1 => out.push_str("{name}"),
                2 => out.push_str("{{count}}"),
                3 => out.push_str("{0, number, percent}"),
                4 => out.push_str(" نص "),
                5 => out.push_str("{n,select,{x}}"),
                _ => {
                    out.push_str(["{n, plural, ", "{g,select,", "{n, selectordinal,", "{a, b, "][pick(rng, 4)]);
                    for case in 0..pick(rng, 3) + 1 {
                        out.push_str(["one ", "other", "=0 ", "", " few"][pick(rng, 5)]);
                        if case > 0 || pick(rng, 2) == 0 {
                            out.push('{');
                        }
                        message(rng, depth - 1, out);
                        out.push('}');
                    }
                    if pick(rng, 5) > 0 {
                        out.push('}');
                    }
                }
            }
        }
    }

    #[test]
    fn blanks_every_text_as_it_did_before_it_was_linear() {
        let pieces = [
            "{", "}", "{{", "}}", "$", "${", "%", "%(", "%{", ")", "(", "s", "d", "1", "1$", ".", "-", " ", ",", "plural", "select", "ن",
            "#",
        ];
        for text in crate::input::testing::random_texts(13, &pieces, 30, 30_000) {
            assert_eq!(blank(&text), before::blank(&text), "{text:?}");
        }
        let mut rng = crate::synthetic::Rng::new(17);
        for _ in 0..20_000 {
            let mut text = String::new();
            message(&mut rng, 4, &mut text);
            assert_eq!(blank(&text), before::blank(&text), "{text:?}");
        }
        // Texts of several blocks, with `{`s open to the end in each.
        let mut rng = crate::synthetic::Rng::new(19);
        for _ in 0..8 {
            let text: String = (0..3 * BLOCK + 100)
                .map(|_| match rng.next_bits() % 100 {
                    0..20 => '{',
                    20..38 => '}',
                    38..40 => '%',
                    _ => 'x',
                })
                .collect();
            assert_eq!(blank(&text), before::blank(&text));
        }
    }

    #[test]
    fn braces_open_to_the_end_are_told_by_their_block() {
        // `{`s open and closed on either side of block edges.
        let mut text = "{".repeat(BLOCK + 10);
        text.push_str(&"}".repeat(BLOCK - 5));
        text.push_str("{x}{");
        let bytes = text.as_bytes();
        let mut unclosed = Unclosed::new(bytes);
        for (open, _) in text.match_indices('{') {
            assert_eq!(unclosed.is_open(bytes, open), before::closing(bytes, open).is_none(), "{open}");
        }
    }

    #[test]
    fn pathological_texts_are_blanked_in_one_pass_with_the_term_where_it_stands() {
        use crate::input::testing::{pathological, BYTES};
        use crate::synthetic::PATHOLOGICAL_TERM as TERM;
        // Nothing closes the `{`s and the `%(`s: nothing is blanked.
        for unit in ["{ ", "%( ", "${ ", "%{ "] {
            let text = format!("{}{TERM}", unit.repeat(BYTES / unit.len()));
            assert!(blank(&text) == text, "{unit}");
        }
        // Plurals nested in one another's cases, deeper than a recursion
        // could go: all syntax but the term.
        let (text, at) = pathological("json-nested-plurals", BYTES);
        let message = &text["{\"a\": \"".len()..text.len() - "\"}\n".len()];
        let out = blank(message);
        let at = at - "{\"a\": \"".len();
        assert_eq!(&out[at..at + TERM.len()], TERM);
        assert!(out[..at].bytes().all(|b| b == b' ' || b == 0x1F) && out[at + TERM.len()..].bytes().all(|b| b == b' '));
        assert_eq!(out.matches('\u{1F}').count(), message.matches('{').count() / 2);
    }
}
