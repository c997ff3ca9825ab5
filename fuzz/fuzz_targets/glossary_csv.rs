//! Glossary CSV loading on arbitrary bytes: an error or a glossary, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut glossary) = qamus::glossary::csv::parse(data, "fuzz.csv") {
        if glossary.validate().is_ok() {
            let _ = qamus::Matcher::new(&glossary);
        }
    }
    let _ = qamus::glossary::csv::parse_locale_csv(data, "fuzz.csv");
});
