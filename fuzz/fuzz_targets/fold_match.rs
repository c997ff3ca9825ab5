//! Folding and matching on arbitrary text: no panic, and every span a char
//! boundary of the input.
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
    for found in m.find(&text) {
        assert!(text.is_char_boundary(found.span.start) && text.is_char_boundary(found.span.end));
        assert!(found.span.start < found.span.end);
    }
});
