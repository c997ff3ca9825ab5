//! Tokens of folded text (specification §3): maximal runs of letters and digits,
//! a hyphen joining two Latin runs into one token (CJTF-OIR), and for every token
//! whether it may continue the phrase of the token before it.
//!
//! This module owns what separates words and phrases. It works on folded text
//! only and never allocates per token.

use std::ops::Range;

/// The script of a token, which decides how it may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic letters: clitic readings apply.
    Arabic,
    /// Latin letters, digits and anything else alphanumeric: matched whole.
    Other,
}

/// One token: a byte range of the folded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the folded text.
    pub range: Range<usize>,
    /// The script of its first character.
    pub script: Script,
    /// Whether only phrase-internal separators (spaces, dashes, quotes, at most
    /// one line break) stand between this token and the one before it.
    pub joins_previous: bool,
}

/// Whether `c` belongs inside a token.
pub fn is_token_char(c: char) -> bool {
    // Fast paths for the common scripts; the full Unicode test for the rest.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c {
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{066E}'..='\u{06D3}' => true,
        '\u{0600}'..='\u{06FF}' => c.is_alphanumeric(),
        _ => c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c),
    }
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Characters that may stand between two tokens of one phrase.
fn is_phrase_gap(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '"' | '\'' | '\u{201C}' | '\u{201D}'
    )
}

/// Splits folded text into tokens.
pub fn tokenize(folded: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(folded.len() / 8);
    let mut start: Option<usize> = None;
    let mut last_latin = false;
    let mut gap_ok = false;
    let mut gap_newlines = 0u32;
    let mut chars = folded.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_token_char(c) {
            if start.is_none() {
                start = Some(at);
            }
            last_latin = is_latin(c);
            continue;
        }
        if let Some(s) = start {
            // A hyphen between two Latin runs stays inside the token.
            if c == '-' && last_latin {
                if let Some(&(_, next)) = chars.peek() {
                    if is_latin(next) {
                        continue;
                    }
                }
            }
            push_token(&mut tokens, folded, s..at, gap_ok && gap_newlines <= 1);
            start = None;
            gap_ok = true;
            gap_newlines = 0;
        }
        if c == '\n' {
            gap_newlines += 1;
        } else if !is_phrase_gap(c) {
            gap_ok = false;
        }
    }
    if let Some(s) = start {
        push_token(&mut tokens, folded, s..folded.len(), gap_ok && gap_newlines <= 1);
    }
    tokens
}

fn push_token(tokens: &mut Vec<Token>, folded: &str, range: Range<usize>, joins: bool) {
    let first = folded[range.clone()].chars().next().unwrap_or(' ');
    let script = if is_arabic(first) { Script::Arabic } else { Script::Other };
    tokens.push(Token { joins_previous: joins && !tokens.is_empty(), range, script });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, bool)> {
        tokenize(text).into_iter().map(|t| (&text[t.range], t.joins_previous)).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(words("اللجنه العسكريه, العليا"), vec![("اللجنه", false), ("العسكريه", true), ("العليا", false)]);
    }

    #[test]
    fn latin_hyphen_joins_an_acronym_but_a_dash_separates() {
        assert_eq!(words("(cjtf-oir) قوه – عمليه"), vec![("cjtf-oir", false), ("قوه", false), ("عمليه", true)]);
        assert_eq!(words("المشتركه- عمليه"), vec![("المشتركه", false), ("عمليه", true)]);
    }

    #[test]
    fn a_blank_line_breaks_a_phrase_but_a_single_line_break_does_not() {
        assert_eq!(words("حوار\nالتعاون\n\nالامني"), vec![("حوار", false), ("التعاون", true), ("الامني", false)]);
    }

    #[test]
    fn quotes_inside_a_phrase_keep_it_together() {
        assert_eq!(words("حمله هزيمه \"داعش\""), vec![("حمله", false), ("هزيمه", true), ("داعش", true)]);
    }

    #[test]
    fn digits_are_tokens() {
        assert_eq!(words("لعام 2008."), vec![("لعام", false), ("2008", true)]);
    }
}
