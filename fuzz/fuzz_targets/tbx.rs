//! TBX loading on arbitrary text: an error or a glossary, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qamus::glossary::GlossaryFormat;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut glossary) = GlossaryFormat::Tbx.parse(data, "fuzz.tbx") {
        let _ = glossary.validate();
    }
});
