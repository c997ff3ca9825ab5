//! Folding and matching on arbitrary text: no panic, every span a char
//! boundary of the input, and the one-pass matcher (with its per-thread cache
//! warm from earlier inputs) agreeing with the reference path.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qamus::glossary::Glossary;
use qamus::Matcher;

fn matcher() -> &'static (Glossary, Matcher) {
    static M: OnceLock<(Glossary, Matcher)> = OnceLock::new();
    M.get_or_init(|| {
        let g = Glossary::embedded().unwrap();
        let m = Matcher::new(&g);
        (g, m)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let folded = qamus::normalize::fold(&text);
    for i in 0..=folded.as_str().len() {
        assert!(text.is_char_boundary(folded.origin(i)));
    }
    let (_, m) = matcher();
    let found = m.find(&text);
    for one in &found {
        assert!(text.is_char_boundary(one.span.start) && text.is_char_boundary(one.span.end));
        assert!(one.span.start < one.span.end);
    }
    assert_eq!(found, m.find_reference(&text));
});
