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
