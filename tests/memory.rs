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
        let big = vec![1u8; 3 << 20];
        drop(big);
        vec![2u8; 1 << 20]
    });
    assert!(peak >= 3 << 20 && peak < 4 << 20, "peak {peak}");
    assert_eq!(kept.len(), 1 << 20);
}
