//! How qamus shows a path (findings, counts, JSON, SARIF) and finds the
//! path a shown name stands for, losslessly; a path relative to a root.

use std::path::{Path, PathBuf};

/// A path as qamus shows it (findings, counts, JSON, SARIF): as written,
/// with `/` separators, except that a name holding a byte that is not UTF-8,
/// a control character or a backslash is escaped, losslessly — `\\` for a
/// backslash, `\n`, `\r`, `\t`, and `\xNN` for any other control byte
/// and each byte that is not UTF-8 — so that a newline in a file name cannot
/// forge a line of output, and the name can be told exactly
/// ([`path_of`] undoes it).
pub fn display(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        match std::str::from_utf8(bytes) {
            Ok(text) if !text.chars().any(|c| c == '\\' || c.is_control()) => text.to_string(),
            _ => escape_name(bytes),
        }
    }
    #[cfg(not(unix))]
    {
        let shown = path.to_string_lossy().replace('\\', "/");
        if shown.chars().any(char::is_control) {
            escape_name(shown.as_bytes())
        } else {
            shown
        }
    }
}

/// The escaped form [`display`] gives a name that needs it.
fn escape_name(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => {
                    let mut buffer = [0; 4];
                    for b in c.encode_utf8(&mut buffer).bytes() {
                        let _ = write!(out, "\\x{b:02X}");
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

/// The path a name shown by [`display`] stands for.
pub fn path_of(shown: &str) -> PathBuf {
    if !shown.contains('\\') {
        return PathBuf::from(shown);
    }
    let mut bytes = Vec::with_capacity(shown.len());
    let mut rest = shown.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        rest = tail;
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        let simple = match rest.first() {
            Some(b'\\') => Some(b'\\'),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            _ => None,
        };
        if let Some(byte) = simple {
            bytes.push(byte);
            rest = &rest[1..];
            continue;
        }
        let hex = rest.get(1..3).filter(|h| rest[0] == b'x' && h.iter().all(u8::is_ascii_hexdigit));
        match hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()) {
            Some(byte) => {
                bytes.push(byte);
                rest = &rest[3..];
            }
            None => bytes.push(b'\\'),
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// `path` relative to `root`, with `/` separators, as
/// [`display`] shows it; `root` must be absolute and canonical (see
/// [`std::fs::canonicalize`]), `path` is made so.
pub fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let path = std::fs::canonicalize(path).ok()?;
    Some(display(path.strip_prefix(root).ok()?))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn a_shown_name_gives_back_the_path_exactly() {
        let names: [&[u8]; 9] = [
            b"plain/name.txt",
            "عربي/ملف.txt".as_bytes(),
            b"new\nline.txt",
            b"tab\tand\rreturn",
            b"back\\slash\\x41.txt",
            b"\xFF\xFEbytes.txt",
            b"cut\xD8.txt",
            b"bell\x07del\x7F",
            "c1\u{85}next".as_bytes(),
        ];
        for name in names {
            let path = Path::new(std::ffi::OsStr::from_bytes(name));
            let shown = display(path);
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            assert_eq!(path_of(&shown).as_os_str().as_bytes(), name, "{shown:?}");
        }
        assert_eq!(display(Path::new("plain/name.txt")), "plain/name.txt");
        assert_eq!(display(Path::new(std::ffi::OsStr::from_bytes(b"a\\b\n\xE9"))), "a\\\\b\\n\\xE9");
    }
}
