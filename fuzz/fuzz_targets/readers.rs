//! Every input reader on arbitrary text (the first byte picks the reader):
//! units or an error, never a panic, and every unit's map inside the text;
//! and the scan for `qamus-ignore` pragmas, every concept named on a line of
//! the text. Seeded with each reader's pathological inputs too (`seed.sh`),
//! which `-timeout` keeps linear.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qamus::input::{pragmas, Document, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let formats = [Format::Text, Format::Markdown, Format::Html, Format::Po, Format::Xliff, Format::Tmx, Format::Json, Format::Yaml];
    let format = formats[pick as usize % formats.len()];
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let document = Document { path: "fuzz".into(), text: std::sync::Arc::new(text.into()), byte_offset: 0, format, comments: Vec::new() };
    if let Ok((units, _)) = document.units(&ReadOptions { include_fuzzy: pick & 0x80 != 0, ..ReadOptions::default() }, None) {
        for unit in units {
            for side in std::iter::once(&unit.target).chain(unit.source.as_ref()) {
                assert_eq!(side.text.len(), side.shown.len());
                for (i, _) in side.text.char_indices() {
                    let at = side.map.start(i);
                    assert!(at <= text.len());
                }
                assert!(side.map.end(side.text.len()) <= text.len());
            }
        }
    }
    let lines = text.split('\n').count();
    for (_, line) in pragmas::scan(text, format).named {
        assert!((1..=lines).contains(&line));
    }
});
