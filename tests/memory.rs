//! Memory: what checking one document allocates at its peak, measured by
//! an allocator that counts every byte the test binary holds. Memory is
//! a bound the README documents, not a speed, so it is asserted: the peak
//! above what the caller already holds (the document's text) must stay a
//! small multiple of the document, and must not grow with its matches
//! where the output keeps none of them.
//!
//! The tests of this binary run one at a time (a lock), so that each
//! measures only itself.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The system allocator, counting what is held and its peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is the system allocator's, with the caller's layout;
// the counters only add and subtract the sizes it was asked for.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let held = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(held, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let held = HELD.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(held, Ordering::Relaxed);
            } else {
                HELD.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// What `f` returns, and the most it held at once above what was held when
/// it began (what it returns included, while it was held).
fn peak_of<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let start = HELD.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let result = f();
    (result, PEAK.load(Ordering::Relaxed) - start)
}

/// The lock, even if a test that held it failed.
fn alone() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn the_counter_sees_what_is_allocated() {
    let _alone = alone();
    let (kept, peak) = peak_of(|| {
        let big = vec![1u8; 48 << 20];
        drop(big);
        vec![2u8; 16 << 20]
    });
    // (Another thread of the test harness may free or take a little meanwhile.)
    assert!(((47 << 20)..(50 << 20)).contains(&peak), "peak {peak}");
    assert_eq!(kept.len(), 16 << 20);
}

/// Bytes of each generated document of short strings.
const SHORT_STRINGS_BYTES: usize = 4 << 20;

/// The most checking a document of many short strings may hold at once
/// above its text, as a multiple of the bytes it reads (its file, and the
/// English twin beside a locale file): what README.md documents. Before
/// units were made small (issue 31, item 13), JSON and YAML locale files
/// of short strings held 14 to 17 times that, a PO 18, XLIFF and TMX 8;
/// now at most 10 (the list of units grows by doubling, and its unused
/// room is counted here, though a process's memory counts only what is
/// written).
const SHORT_STRINGS_BOUND: usize = 12;

/// Writes the generated files `kinds` (`synthetic::SHORT_STRINGS`) to a
/// directory, reads the first as a document, and checks it (the English
/// twin, if written, is read beside it): the peak above the document's
/// text, with the bytes read (the files' sizes).
fn short_strings_peak(kinds: &[&str], counts_only: bool) -> (usize, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut read = 0;
    let mut first = None;
    for &kind in kinds {
        let name = qamus::synthetic::SHORT_STRINGS.iter().find(|(k, _)| *k == kind).unwrap().1;
        let text = qamus::synthetic::short_strings(kind, SHORT_STRINGS_BYTES).unwrap();
        read += text.len();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        first.get_or_insert(path);
    }
    let path = first.unwrap();
    let glossary = qamus::Glossary::embedded().unwrap();
    let matchers = qamus::check::Matchers::new(&glossary);
    let options = qamus::check::CheckOptions { jobs: 1, counts_only, ..Default::default() };
    let document = qamus::input::Document::read(&path, &path.display().to_string(), None, None).unwrap();
    let (result, peak) = peak_of(|| qamus::check::check_document(&glossary, &matchers, &document, Some(&path), &options).unwrap());
    // Strings each under a key of its own, and none a glossary term.
    assert!(result.words > 50_000 && result.match_count == 0, "{kinds:?}: {} words, {} matches", result.words, result.match_count);
    (peak, read, document.text.len())
}

#[test]
fn locale_files_and_catalogues_of_short_strings_cost_a_small_multiple_of_their_size() {
    let _alone = alone();
    for kinds in [&["json"][..], &["json", "json-en"], &["yaml"], &["yaml", "yaml-en"], &["po"], &["xliff"], &["tmx"]] {
        for counts_only in [true, false] {
            let (peak, read, _) = short_strings_peak(kinds, counts_only);
            eprintln!(
                "{kinds:?} counts_only {counts_only}: peak {peak} above the text, {:.1} times the {read} bytes read",
                peak as f64 / read as f64
            );
            assert!(
                peak <= SHORT_STRINGS_BOUND * read,
                "{kinds:?} (counts only: {counts_only}): {peak} bytes at the peak, more than {SHORT_STRINGS_BOUND} times the {read} bytes read"
            );
        }
    }
}

use qamus::check::{check_document, CheckOptions, DocumentResult, Matchers, CHUNK_BYTES};
use qamus::glossary::Glossary;
use qamus::input::{Document, Format};
use qamus::synthetic::{self, Rng};

/// A plain-text document of about `chunks` chunks of news prose dense
/// with glossary forms (some deprecated or forbidden), one paragraph a line.
fn dense_document(chunks: usize) -> Document {
    let forms = synthetic::planted_forms();
    let mut rng = Rng::new(chunks as u64);
    let mut text = String::with_capacity(chunks * CHUNK_BYTES + 1024);
    while text.len() < chunks * CHUNK_BYTES {
        // Three forms a line, among a few words of prose.
        for _ in 0..3 {
            text.push_str(&forms[rng.next_bits() as usize % forms.len()]);
            text.push_str(" وقال المتحدث ");
        }
        text.push_str("إن الاجتماع انتهى.\n");
    }
    Document::from_bytes("dense.txt", text.into_bytes(), None, Format::Text).unwrap()
}

/// What checking `document` with `options` gives, the most it held at
/// once above what was held before, and what it holds after (the result).
fn check_measured(glossary: &Glossary, matchers: &Matchers, document: &Document, options: &CheckOptions) -> (DocumentResult, usize, usize) {
    let before = HELD.load(Ordering::Relaxed);
    let (result, peak) = peak_of(|| check_document(glossary, matchers, document, None, options).unwrap());
    let after = HELD.load(Ordering::Relaxed) - before;
    (result, peak, after)
}

/// A count, and the uses `qamus glossary` tallies, keep nothing per
/// match: checking a document of twice as many matches takes no more
/// memory beyond what one chunk's matches take while they are judged.
#[test]
fn a_count_and_the_uses_of_a_glossary_do_not_grow_with_the_matches() {
    let _alone = alone();
    let glossary = Glossary::embedded().unwrap();
    let matchers = Matchers::new(&glossary);
    let (small, large) = (dense_document(3), dense_document(6));
    for (what, options) in [
        ("a count", CheckOptions { jobs: 1, counts_only: true, ..CheckOptions::default() }),
        ("the uses", CheckOptions { jobs: 1, counts_only: true, tally_uses: true, ..CheckOptions::default() }),
    ] {
        // What is made once for all documents (caches) is made before measuring.
        check_document(&glossary, &matchers, &small, None, &options).unwrap();
        let (small_result, small_peak, _) = check_measured(&glossary, &matchers, &small, &options);
        let (large_result, large_peak, _) = check_measured(&glossary, &matchers, &large, &options);
        assert!(large_result.match_count > 100_000, "{} matches", large_result.match_count);
        assert!(large_result.match_count > 3 * small_result.match_count / 2);
        assert!(large_result.occurrences.is_empty() && large_result.findings.is_empty());
        assert!(large_result.finding_counts.iter().sum::<usize>() > 10_000, "{:?}", large_result.finding_counts);
        if options.tally_uses {
            assert!(!large_result.uses.is_empty() && large_result.uses.len() <= glossary.concepts.iter().map(|c| c.terms.len()).sum());
            assert!(large_result.uses.iter().map(|u| u.count).sum::<usize>() * 10 > large_result.match_count * 9);
        }
        eprintln!(
            "{what}: {} matches, peak {} MB; {} matches, peak {} MB",
            small_result.match_count,
            small_peak >> 20,
            large_result.match_count,
            large_peak >> 20
        );
        // About a chunk's worth, whatever the size: with every match kept,
        // twice the matches took twice the memory.
        assert!(large_peak < small_peak + small_peak / 4, "{what}: {small_peak} bytes, then {large_peak} bytes");
        assert!(large_peak < 24 * CHUNK_BYTES, "{what}: {large_peak} bytes");
    }
}

/// A listing or the report holds each document's findings, and its lines;
/// nothing else grows with the matches.
#[test]
fn a_listing_holds_its_findings_and_nothing_per_match() {
    let _alone = alone();
    let glossary = Glossary::embedded().unwrap();
    let matchers = Matchers::new(&glossary);
    let (small, large) = (dense_document(3), dense_document(6));
    let options = CheckOptions { jobs: 1, tally_uses: true, ..CheckOptions::default() };
    check_document(&glossary, &matchers, &small, None, &options).unwrap();
    let (small_result, small_peak, small_kept) = check_measured(&glossary, &matchers, &small, &options);
    let (large_result, large_peak, large_kept) = check_measured(&glossary, &matchers, &large, &options);
    assert!(large_result.occurrences.is_empty() && !large_result.findings.is_empty() && !large_result.uses.is_empty());
    eprintln!(
        "{} findings: peak {} MB, kept {} MB; {} findings: peak {} MB, kept {} MB",
        small_result.findings.len(),
        small_peak >> 20,
        small_kept >> 20,
        large_result.findings.len(),
        large_peak >> 20,
        large_kept >> 20
    );
    // Beyond the findings kept: the lines of the text, a chunk's matches
    // while they are judged, and the list of findings growing (its old
    // room and its new at once). With every occurrence kept until the
    // document was judged, the large document took 76 MB at its peak.
    for (peak, kept) in [(small_peak, small_kept), (large_peak, large_kept)] {
        assert!(peak < 2 * kept + 4 * CHUNK_BYTES, "peak {peak} bytes, {kept} kept");
    }
}
