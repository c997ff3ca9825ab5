//! The Word and OpenDocument readers on arbitrary bytes (the first byte picks
//! the reader; an OpenDocument input that is no zip is read as flat XML):
//! text or an error, never a panic, and one line a paragraph (no `\r`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use qamus::input::office;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let read = if pick % 2 == 0 { office::docx_text(rest, "fuzz") } else { office::odt_text(rest, "fuzz") };
    if let Ok(extracted) = read {
        assert!(!extracted.text.contains('\r'));
        let lines = extracted.text.split('\n').count();
        assert!(extracted.comments.iter().all(|(line, _)| *line >= 1 && *line <= lines + 1));
    }
});
