//! Decoding (specification §1): UTF-8 with or without a byte-order mark, UTF-16
//! by its mark, or the encoding the user names. Undecodable input is an error
//! with the byte offset; nothing is guessed or replaced silently.

use crate::error::ErrorKind;

/// An encoding named with `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encoding(&'static encoding_rs::Encoding);

impl Encoding {
    /// Looks up an encoding by its WHATWG label (`utf-8`, `windows-1256`, `cp1256`, …).
    pub fn for_label(label: &str) -> Result<Encoding, ErrorKind> {
        let label = match label.trim().to_ascii_lowercase().as_str() {
            "cp1256" => "windows-1256".to_string(),
            other => other.to_string(),
        };
        encoding_rs::Encoding::for_label(label.as_bytes()).map(Encoding).ok_or(ErrorKind::UnknownEncoding(label))
    }

    /// The encoding's name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The encoding itself.
    pub(crate) fn inner(self) -> &'static encoding_rs::Encoding {
        self.0
    }

    /// Whether it is UTF-8.
    pub fn is_utf8(self) -> bool {
        self.0 == encoding_rs::UTF_8
    }
}

/// Decodes a file's bytes. Returns the text and the length of the byte-order
/// mark that preceded it. UTF-8 without a mark, the common case, is validated
/// in place and not copied; with `parallel`, a large text is validated in
/// pieces at once on the current rayon pool. On error the bytes come back,
/// to say where.
pub fn decode(bytes: Vec<u8>, encoding: Option<Encoding>, parallel: bool) -> Result<(String, usize), (ErrorKind, Vec<u8>)> {
    if let Some((bom_encoding, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        return match decode_with(bom_encoding, &bytes[bom_len..], bom_len) {
            Ok(text) => Ok((text, bom_len)),
            Err(kind) => Err((kind, bytes)),
        };
    }
    match encoding {
        Some(encoding) if !encoding.is_utf8() => match decode_with(encoding.0, &bytes, 0) {
            Ok(text) => Ok((text, 0)),
            Err(kind) => Err((kind, bytes)),
        },
        _ => {
            if parallel && bytes.len() >= 2 * crate::input::READ_PIECE_BYTES && utf8_without_nul_in_pieces(&bytes) {
                // SAFETY: every piece was validated as UTF-8, and the pieces
                // are cut before lead bytes, so the whole is UTF-8.
                return Ok((unsafe { String::from_utf8_unchecked(bytes) }, 0));
            }
            if simdutf8::basic::from_utf8(&bytes).is_err() {
                // The slower validator says where the first bad byte is.
                let offset = std::str::from_utf8(&bytes).err().map_or(0, |e| e.valid_up_to());
                return Err((ErrorKind::InvalidEncoding { encoding: "UTF-8", offset }, bytes));
            }
            if let Some(offset) = memchr::memchr(0, &bytes) {
                return Err((ErrorKind::Binary { offset }, bytes));
            }
            // SAFETY: simdutf8 validated `bytes` as UTF-8 just above (std's
            // validator, which `String::from_utf8` would run again, takes
            // about five times as long on Arabic).
            Ok((unsafe { String::from_utf8_unchecked(bytes) }, 0))
        }
    }
}

/// Whether `bytes` are UTF-8 without a NUL byte, checked in pieces of about
/// [`READ_PIECE_BYTES`](crate::input::READ_PIECE_BYTES) at once. Each piece
/// but the first starts at the first byte at or after its nominal start that
/// is not a continuation byte (`10xxxxxx`): cut there, a text is UTF-8 if and
/// only if every piece is, as no character straddles a cut. A text that is
/// not says `false`, and the serial check finds the first bad byte.
fn utf8_without_nul_in_pieces(bytes: &[u8]) -> bool {
    utf8_without_nul_in_pieces_of(bytes, crate::input::READ_PIECE_BYTES)
}

fn utf8_without_nul_in_pieces_of(bytes: &[u8], piece: usize) -> bool {
    use rayon::prelude::*;
    // A cut is looked for among four bytes at most: past them the text is
    // not UTF-8, and a piece starting with a continuation byte says so.
    let cut = |nominal: usize| (nominal..(nominal + 4).min(bytes.len())).find(|&i| bytes[i] & 0xC0 != 0x80).unwrap_or(nominal);
    let mut cuts: Vec<usize> = std::iter::once(0).chain((piece..bytes.len()).step_by(piece).map(cut)).collect();
    cuts.push(bytes.len());
    cuts.par_windows(2).all(|w| {
        let piece = &bytes[w[0]..w[1]];
        simdutf8::basic::from_utf8(piece).is_ok() && memchr::memchr(0, piece).is_none()
    })
}

fn decode_with(encoding: &'static encoding_rs::Encoding, bytes: &[u8], base: usize) -> Result<String, ErrorKind> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut offset = 0;
    loop {
        out.reserve(decoder.max_utf8_buffer_length_without_replacement(bytes.len() - offset).unwrap_or(bytes.len()));
        let (result, read) = decoder.decode_to_string_without_replacement(&bytes[offset..], &mut out, true);
        offset += read;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                let at = offset - bad as usize - extra as usize;
                return Err(ErrorKind::InvalidEncoding { encoding: encoding.name(), offset: base + at });
            }
        }
    }
    if let Some(position) = out.find('\0') {
        return Err(ErrorKind::Binary { offset: base + position });
    }
    Ok(out)
}

/// The delimiter of a "CSV" file, from its header line: a comma, unless the
/// line (outside quotes) has none and has semicolons (as Excel writes CSV
/// where the decimal mark is a comma), or tabs.
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [0, semicolons, _] if semicolons > 0 => b';',
        [0, 0, tabs] if tabs > 0 => b'\t',
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_skipped_and_counted() {
        assert_eq!(decode("\u{FEFF}حوار".as_bytes().to_vec(), None, false).unwrap(), ("حوار".to_string(), 3));
    }

    #[test]
    fn utf16_by_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "حوار".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(bytes, None, false).unwrap().0, "حوار");
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let (err, _) = decode(b"ab\xFFcd".to_vec(), None, false).unwrap_err();
        assert!(matches!(err, ErrorKind::InvalidEncoding { offset: 2, .. }), "{err:?}");
    }

    #[test]
    fn windows_1256_when_named() {
        // «حوار» in Windows-1256.
        let text = decode(vec![0xCD, 0xE6, 0xC7, 0xD1], Some(Encoding::for_label("windows-1256").unwrap()), false).unwrap().0;
        assert_eq!(text, "حوار");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode(b"ab\0cd".to_vec(), None, false), Err((ErrorKind::Binary { offset: 2 }, _))));
    }

    #[test]
    fn utf8_checked_in_pieces_is_utf8_checked_whole() {
        let text = "قال: حوار 🙂 ok\n".repeat(5);
        let mut cases: Vec<Vec<u8>> = vec![text.clone().into_bytes()];
        for at in [0, 1, 17, text.len() / 2, text.len() - 1] {
            for bad in [0x00, 0x80, 0xD8, 0xFF] {
                let mut bytes = text.clone().into_bytes();
                bytes[at] = bad;
                cases.push(bytes);
            }
        }
        for bytes in &cases {
            let whole = std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0);
            for piece in 1..=9 {
                assert_eq!(utf8_without_nul_in_pieces_of(bytes, piece), whole, "{bytes:?} in pieces of {piece}");
            }
        }
    }

    #[test]
    fn unknown_encoding_label() {
        assert!(matches!(Encoding::for_label("klingon"), Err(ErrorKind::UnknownEncoding(_))));
    }
}
