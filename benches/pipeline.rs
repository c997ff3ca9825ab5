//! Micro benchmarks of the hot path, in bytes per second: folding, folding
//! with tokenizing (and word counting), matching with the embedded and with
//! generated glossaries of 10 to 100,000 concepts (with the reading cache
//! warm, and cold), the reference path, glossary loading, and every reader
//! on the inputs that once made it quadratic.
//! The text is 4 MiB of `qamus::synthetic` news prose with planted forms.
//!
//! ```sh
//! cargo bench --bench pipeline            # all
//! cargo bench --bench pipeline -- match   # one group
//! cargo bench --bench pipeline -- readers # the readers, 1 and 4 MiB each
//! ```

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use qamus::glossary::{csv, Glossary};
use qamus::normalize::{fold, fold_into, FoldSink, ScannedToken, Tokenizer};
use qamus::synthetic::{self, Rng};
use qamus::Matcher;

fn text() -> String {
    synthetic::article(&mut Rng::new(1), 4 << 20, &synthetic::planted_forms())
}

fn generated(concepts: usize) -> Glossary {
    let csv_text = synthetic::glossary_csv(concepts);
    let mut glossary = csv::parse(csv_text.as_bytes(), "generated.csv").unwrap();
    glossary.validate().unwrap();
    glossary
}

/// A sink that keeps nothing, so that only the folding is measured.
struct Count(usize);

impl FoldSink for Count {
    fn push(&mut self, c: char, _: usize) {
        self.0 += c.len_utf8();
    }
}

fn normalize(c: &mut Criterion) {
    let text = text();
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("fold", |b| {
        b.iter(|| {
            let mut sink = Count(0);
            fold_into(&text, &mut sink);
            sink.0
        })
    });
    group.bench_function("fold_with_offset_map", |b| b.iter(|| fold(&text).as_str().len()));
    group.bench_function("fold_and_tokenize", |b| {
        b.iter(|| {
            let mut tokens = 0;
            let mut tokenizer = Tokenizer::new(|t: &ScannedToken<'_>| tokens += t.text.len());
            tokenizer.scan(&text);
            tokenizer.finish()
        })
    });
    group.bench_function("fold_into_tokenizer_general_path", |b| {
        b.iter(|| {
            let mut tokens = 0;
            let mut tokenizer = Tokenizer::new(|t: &ScannedToken<'_>| tokens += t.text.len());
            fold_into(&text, &mut tokenizer);
            tokenizer.finish()
        })
    });
    group.finish();
}

fn matching(c: &mut Criterion) {
    let text = text();
    let mut group = c.benchmark_group("match");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    let glossary = Glossary::embedded().unwrap();
    let embedded = Matcher::new(&glossary);
    // The same text every iteration: after the first, every token's readings
    // are in the thread's cache (the steady state of a long run).
    group.bench_function("embedded", |b| b.iter(|| embedded.find(&text).len()));
    // A new matcher every iteration starts with an empty cache (the first
    // megabytes of a run, or a corpus with no repeated words).
    group.bench_function("embedded_cold_cache", |b| {
        b.iter_batched(|| Matcher::new(&glossary), |matcher| matcher.find(&text).len(), criterion::BatchSize::LargeInput)
    });
    group.bench_function("reference_path_embedded", |b| b.iter(|| embedded.find_reference(&text).len()));
    // Flatness: a text planted with the forms of the first 10 generated
    // concepts only, which every generated glossary holds, so that each size
    // finds (nearly) the same matches and only the glossary's size differs.
    let flat = synthetic::article(&mut Rng::new(1), 4 << 20, &synthetic::planted_forms_of(10));
    for concepts in [10, 1_000, 10_000, 100_000] {
        let matcher = Matcher::new(&generated(concepts));
        group.bench_with_input(BenchmarkId::new("generated", concepts), &text, |b, text| b.iter(|| matcher.find(text).len()));
        group.bench_with_input(BenchmarkId::new("generated_flat", concepts), &flat, |b, flat| b.iter(|| matcher.find(flat).len()));
    }
    group.finish();
}

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.bench_function("embedded_glossary_and_matcher", |b| b.iter(|| Matcher::new(&Glossary::embedded().unwrap()).find("").len()));
    let csv_100k = synthetic::glossary_csv(100_000);
    group.throughput(Throughput::Bytes(csv_100k.len() as u64));
    group.bench_function("generated_100000_concepts_and_matcher", |b| {
        b.iter(|| {
            let mut glossary = csv::parse(csv_100k.as_bytes(), "generated.csv").unwrap();
            glossary.validate().unwrap();
            Matcher::new(&glossary).find("").len()
        })
    });
    // The same glossary as TBX (as `qamus glossary --all -f tbx` writes it),
    // parsed alone: its loading was quadratic in the number of concepts.
    let glossary = csv::parse(csv_100k.as_bytes(), "generated.csv").unwrap();
    let attested = qamus::glossary::attested::Attested::new(&glossary);
    let mut tbx_100k = Vec::new();
    qamus::glossary::tbx::write(&attested.rows(&glossary, true), &mut tbx_100k).unwrap();
    group.throughput(Throughput::Bytes(tbx_100k.len() as u64));
    group.bench_function("generated_100000_concepts_tbx_parse", |b| {
        b.iter(|| qamus::glossary::tbx::parse(&tbx_100k, "generated.tbx").unwrap().concepts.len())
    });
    group.bench_function("generated_100000_concepts_csv_parse", |b| {
        b.iter(|| csv::parse(csv_100k.as_bytes(), "generated.csv").unwrap().concepts.len())
    });
    group.finish();
}

/// Every reader on each of its pathological inputs (`synthetic::pathological`:
/// the constructs that once cost a search or a copy of the rest of the
/// document each), at 1 MiB and 4 MiB: reading is linear when the larger
/// takes about four times as long. A document is read as `check` reads it:
/// its units, and its `qamus-ignore` pragmas.
fn readers(c: &mut Criterion) {
    use qamus::input::{pragmas, Document, ReadOptions};
    let mut group = c.benchmark_group("readers");
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(2));
    for &(kind, format, _) in synthetic::PATHOLOGICAL {
        for mib in [1, 4] {
            let text = synthetic::pathological(kind, mib << 20).unwrap();
            let document = Document {
                path: kind.into(),
                text: std::sync::Arc::new(text.into()),
                byte_offset: 0,
                format,
                comments: Default::default(),
            };
            group.throughput(Throughput::Bytes(document.text.len() as u64));
            group.bench_with_input(BenchmarkId::new(kind, format!("{mib}MiB")), &document, |b, document| {
                b.iter(|| {
                    let (units, _) = document.units(&ReadOptions::default(), None).unwrap();
                    (units.len(), pragmas::scan(&document.text, document.format).is_empty())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, normalize, matching, loading, readers);
criterion_main!(benches);
