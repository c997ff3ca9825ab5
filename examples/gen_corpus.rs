//! A deterministic generator of Arabic news-like text with glossary terms
//! planted in all their forms, and of glossaries of N concepts, for the
//! benchmarks (`bench/run.sh`) and anyone measuring qamus. The text and the
//! glossaries come from `qamus::synthetic` (see there for the vocabulary).
//!
//! ```sh
//! cargo run --release --example gen_corpus -- corpus DIR MEGABYTES [FILES] [PLANTED_CONCEPTS]
//! cargo run --release --example gen_corpus -- glossary FILE.csv CONCEPTS [FORMS.txt]
//! cargo run --release --example gen_corpus -- pathological DIR BYTES
//! cargo run --release --example gen_corpus -- short-strings DIR BYTES
//! ```
//!
//! A corpus plants, one word in `PLANT_EVERY`, a form of the shipped
//! glossary or of the first 10,000 generated concepts (or of the first
//! PLANTED_CONCEPTS), with proclitics and folding variants. A generated glossary comes with the forms file that
//! `rg -F -f` reads: every Arabic form, one per line. `pathological` writes
//! each reader's pathological inputs (`synthetic::pathological`) of about
//! BYTES bytes, as `DIR/KIND.EXTENSION`: `qamus check` reads them in time
//! linear in their size. `short-strings` writes locale files and
//! catalogues of many short strings (`synthetic::short_strings`) of about
//! BYTES bytes each, under their usual names (`DIR/ar.json` beside its
//! English twin `DIR/en.json`, …), to measure the memory a document costs.

use qamus::synthetic;

fn corpus(dir: &str, megabytes: usize, files: usize, planted_concepts: usize) {
    let plant = synthetic::planted_forms_of(planted_concepts);
    std::fs::create_dir_all(dir).unwrap();
    let per_file = megabytes * 1024 * 1024 / files.max(1);
    for f in 0..files {
        let mut rng = synthetic::Rng::new(f as u64);
        let text = synthetic::article(&mut rng, per_file, &plant);
        std::fs::write(format!("{dir}/article-{f:05}.txt"), text).unwrap();
    }
}

fn glossary(file: &str, concepts: usize, forms_file: Option<&str>) {
    std::fs::write(file, synthetic::glossary_csv(concepts)).unwrap();
    if let Some(forms_file) = forms_file {
        let forms: String = (0..concepts).filter_map(synthetic::generated_form).map(|f| f + "\n").collect();
        std::fs::write(forms_file, forms).unwrap();
    }
}

fn pathological(dir: &str, bytes: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for &(kind, _, extension) in synthetic::PATHOLOGICAL {
        let text = synthetic::pathological(kind, bytes).unwrap();
        std::fs::write(format!("{dir}/{kind}.{extension}"), text).unwrap();
    }
}

fn short_strings(dir: &str, bytes: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for &(kind, name) in synthetic::SHORT_STRINGS {
        std::fs::write(format!("{dir}/{name}"), synthetic::short_strings(kind, bytes).unwrap()).unwrap();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("corpus") if args.len() >= 3 => corpus(
            &args[1],
            args[2].parse().unwrap(),
            args.get(3).map_or(1, |f| f.parse().unwrap()),
            args.get(4).map_or(synthetic::PLANTED_CONCEPTS, |c| c.parse().unwrap()),
        ),
        Some("glossary") if args.len() >= 3 => glossary(&args[1], args[2].parse().unwrap(), args.get(3).map(String::as_str)),
        Some("pathological") if args.len() >= 3 => pathological(&args[1], args[2].parse().unwrap()),
        Some("short-strings") if args.len() >= 3 => short_strings(&args[1], args[2].parse().unwrap()),
        _ => {
            eprintln!(
                "usage: gen_corpus corpus DIR MEGABYTES [FILES] [PLANTED_CONCEPTS] | glossary FILE.csv CONCEPTS [FORMS.txt] | pathological DIR BYTES | short-strings DIR BYTES"
            );
            std::process::exit(2);
        }
    }
}
