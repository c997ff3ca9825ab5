//! English words for counts in messages, shared by every stage that writes
//! one: `1 file`, `2 files`, `1 entry`, `2 entries`.

/// `n` and `word`, the word in the plural unless `n` is 1 (`y` after a
/// consonant becomes `ies`; after s, x, z, ch, sh: `es`).
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else if let Some(stem) = word.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{n} {stem}ies")
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|end| word.ends_with(end)) {
        format!("{n} {word}es")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_agree() {
        assert_eq!(plural(1, "entry"), "1 entry");
        assert_eq!(plural(2, "entry"), "2 entries");
        assert_eq!(plural(0, "day"), "0 days");
        assert_eq!(plural(3, "finding"), "3 findings");
        assert_eq!(plural(1, "error"), "1 error");
        assert_eq!(plural(2, "match"), "2 matches");
        assert_eq!(plural(1, "match"), "1 match");
        assert_eq!(plural(2, "more concept"), "2 more concepts");
    }
}
