//! The `qamus` binary: runs the library's command line and turns its result
//! into an exit code. A closed pipe (`qamus check | head`) is not an error.

use std::process::ExitCode;

mod cli;
mod output;

fn main() -> ExitCode {
    // Not taking the settings only leaves glibc's defaults.
    tune_allocator();
    // glibc only: elsewhere the reserving blocks would only be mapped and
    // unmapped. The main thread loads the glossary with one job.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        reserve_thread_heap();
    }
    match cli::run(std::env::args_os()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let qamus::ErrorKind::Io(io) = &e.kind {
                if cli::is_broken_pipe(io) {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("qamus: error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The allocator: the system's, and a large block's memory asked for in
/// huge pages where the kernel gives them on request (transparent huge
/// pages in `madvise` mode, as many distributions ship; with `always` it
/// changes nothing, with `never` the request is ignored). Loading 100,000
/// concepts wrote some 100 MB of fresh memory 4 KiB at a time: 26,000 page
/// faults and a third of loading's time in the kernel; most of it is in a
/// few large lists, which now fault 2 MiB at a time (bench/RESULTS.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: HugePages = HugePages;

/// See [`ALLOCATOR`].
#[cfg(all(target_os = "linux", target_env = "gnu"))]
struct HugePages;

/// The size of a huge page on x86-64 and aarch64 with 4 KiB pages; a block
/// smaller than this holds no whole huge page.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HUGE_PAGE: usize = 2 << 20;

/// Asks for the whole huge pages inside the block at `ptr` of `size` bytes
/// (if it was given and holds any) to be backed by huge pages when first
/// touched; returns `ptr`. A request the kernel turns down changes nothing,
/// so its result is not looked at.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn with_huge_pages(ptr: *mut u8, size: usize) -> *mut u8 {
    extern "C" {
        fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: std::ffi::c_int) -> std::ffi::c_int;
    }
    const MADV_HUGEPAGE: std::ffi::c_int = 14;
    if size < HUGE_PAGE || ptr.is_null() {
        return ptr;
    }
    let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr as usize + size) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: the range is inside a block the allocator just gave out,
        // and MADV_HUGEPAGE changes how its pages are backed, never what
        // they hold.
        unsafe { madvise(start as *mut std::ffi::c_void, end - start, MADV_HUGEPAGE) };
    }
    ptr
}

// SAFETY: every block comes from `System` and goes back to it unchanged;
// advising its pages does not change their contents.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe impl std::alloc::GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as the caller promised of `layout`.
        with_huge_pages(unsafe { std::alloc::System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as the caller promised of `layout`.
        with_huge_pages(unsafe { std::alloc::System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: as the caller promised: `ptr` came from this allocator,
        // that is from `System`, with `layout`.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller promised of `ptr`, `layout` and `new_size`.
        with_huge_pages(unsafe { std::alloc::System.realloc(ptr, layout, new_size) }, new_size)
    }
}

/// glibc's `malloc` maps fresh pages for every block of 128 KiB or more
/// until a large block is freed, and each thread's arena then gives its top
/// back to the kernel at will: with two jobs on 1 GB in 256 files, a run
/// page-faulted 13,000 to 121,000 times, from one run to the next. Blocks
/// under 32 MiB (a file's buffer, its hits, its occurrences) are taken from
/// the heap and reused instead, and up to 128 MiB of freed top is kept:
/// about 10,000 page faults every run and less system time, the same peak
/// memory; the wall-clock gain is within the machine's drift
/// (bench/RESULTS.md). Larger blocks (one large file) are still mapped and
/// unmapped whole. Returns whether glibc took both settings; elsewhere there
/// is nothing to set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() -> bool {
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    // SAFETY: `mallopt` only sets allocator parameters, and is called before
    // any other thread exists; 32 MiB is as high as glibc's own moving
    // threshold goes on 64-bit systems.
    unsafe { mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 128 << 20) == 1 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() -> bool {
    true
}

/// glibc gives each worker thread a heap of its own, reserved at 64 MiB and
/// made usable a page at a time, one `mprotect` call each, as the thread
/// allocates: loading 100,000 concepts made 12,972 such calls (`strace -c
/// -f`). A worker that first takes two blocks of 31 MiB (under the mapping
/// threshold [`tune_allocator`] sets, so from its heap) and frees them has
/// its heap made usable in two calls, and keeps it (under the trim
/// threshold). The pages are not touched, so memory in use does not grow.
/// The blocks being large, [`ALLOCATOR`] asks for the heap's memory in huge
/// pages: the small blocks taken from it later are then backed 2 MiB at a
/// time (the main thread's heap, which grows a page at a time without
/// `mprotect`, only for that: loading 100,000 concepts with one job, 15,300
/// → 7,200 page faults). Run by the main thread at start and by every
/// worker thread before it takes work ([`prepare_worker`], the start handler
/// of the pool `cli` builds).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reserve_thread_heap() {
    const BLOCK: usize = 31 << 20;
    let first = std::hint::black_box(Vec::<u8>::with_capacity(BLOCK));
    let second = std::hint::black_box(Vec::<u8>::with_capacity(BLOCK));
    drop((first, second));
}

/// Prepares a worker thread of the pool the command line builds, before it
/// takes work (see [`reserve_thread_heap`]).
pub(crate) fn prepare_worker() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    reserve_thread_heap();
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// Blocks glibc has mapped on their own (`mallinfo2`'s `hblks`), and the
    /// bytes its heaps have taken from the system (`arena`).
    fn allocator_statistics() -> (usize, usize) {
        #[repr(C)]
        struct MallInfo2 {
            arena: usize,
            ordblks: usize,
            smblks: usize,
            hblks: usize,
            hblkhd: usize,
            usmblks: usize,
            fsmblks: usize,
            uordblks: usize,
            fordblks: usize,
            keepcost: usize,
        }
        extern "C" {
            fn mallinfo2() -> MallInfo2;
        }
        // SAFETY: `mallinfo2` only reads the allocator's statistics.
        let info = unsafe { mallinfo2() };
        (info.hblks, info.arena)
    }

    /// Blocks glibc has mapped on their own (`mallinfo2`'s `hblks`).
    fn mapped_blocks() -> usize {
        allocator_statistics().0
    }

    /// The tests read process-wide statistics: one at a time.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// Whether this is the process of its own that test `name` runs in:
    /// the binary's other tests (the command line's, the outputs') run on
    /// other threads of the test process and move its statistics meanwhile.
    /// Otherwise, runs the test alone in a new process and checks it passed.
    fn alone_in_a_process(name: &str) -> bool {
        if std::env::var_os("QAMUS_TEST_ALONE").is_some_and(|v| v == name) {
            return true;
        }
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", &format!("tests::{name}"), "--test-threads=1"])
            .env("QAMUS_TEST_ALONE", name)
            .output()
            .expect("run the test binary");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && said.contains("1 passed"),
            "{name}, run alone, failed:\n{said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        false
    }

    #[test]
    fn a_file_sized_block_comes_from_the_heap_and_a_large_one_is_mapped() {
        if !alone_in_a_process("a_file_sized_block_comes_from_the_heap_and_a_large_one_is_mapped") {
            return;
        }
        let _alone = ONE_AT_A_TIME.lock();
        assert!(super::tune_allocator());
        let before = mapped_blocks();
        let file = std::hint::black_box(vec![1u8; 4 << 20]);
        assert_eq!(mapped_blocks(), before, "a 4 MiB block was mapped on its own");
        drop(file);
        let large = std::hint::black_box(vec![1u8; 64 << 20]);
        assert_eq!(mapped_blocks(), before + 1, "a 64 MiB block was not mapped on its own");
        drop(large);
    }

    #[test]
    fn a_worker_that_reserved_its_heap_allocates_without_growing_it() {
        if !alone_in_a_process("a_worker_that_reserved_its_heap_allocates_without_growing_it") {
            return;
        }
        let _alone = ONE_AT_A_TIME.lock();
        assert!(super::tune_allocator());
        std::thread::spawn(|| {
            super::reserve_thread_heap();
            let (mapped, taken) = allocator_statistics();
            // 40 MiB in small blocks, as loading a glossary allocates.
            let blocks: Vec<Box<[u8; 1024]>> = (0..40 * 1024).map(|i| Box::new([i as u8; 1024])).collect();
            let after = allocator_statistics();
            assert_eq!(after.0, mapped, "the reserving blocks were mapped on their own");
            // The statistics are the whole process's: other threads (the
            // test harness's) may take a few pages meanwhile; without the
            // reservation the heaps grow by all 40 MiB.
            let grown = after.1 - taken;
            assert!(grown < 4 << 20, "the thread's heap grew by {grown} bytes while it allocated");
            drop(std::hint::black_box(blocks));
        })
        .join()
        .expect("the worker's checks hold");
    }

    /// The flags of the mapping that holds `address`, as
    /// `/proc/self/smaps` lists them (`hg`: huge pages asked for).
    fn mapping_flags(address: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("/proc/self/smaps is readable");
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ').filter(|(range, _)| range.contains('-') && !range.ends_with(':')) {
                let (from, to) = range.split_once('-').unwrap();
                let (from, to) = (usize::from_str_radix(from, 16).unwrap(), usize::from_str_radix(to, 16).unwrap());
                inside = (from..to).contains(&address);
            } else if inside {
                if let Some(flags) = line.strip_prefix("VmFlags:") {
                    return flags.trim().to_string();
                }
            }
        }
        panic!("no mapping holds {address:#x}")
    }

    #[test]
    fn a_large_block_asks_for_huge_pages() {
        let _alone = ONE_AT_A_TIME.lock();
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            eprintln!("skipped: this kernel has no transparent huge pages, so nothing asks for them");
            return;
        }
        // Made through the global allocator, grown through it, and zeroed
        // by it; each holds whole huge pages.
        let made: Vec<u8> = std::hint::black_box(Vec::with_capacity(8 << 20));
        let mut grown: Vec<u64> = std::hint::black_box(Vec::with_capacity(1024));
        grown.resize(2 << 20, 1);
        let zeroed = std::hint::black_box(vec![0u8; 12 << 20]);
        for (what, block, size) in
            [("made", made.as_ptr(), 8 << 20), ("grown", grown.as_ptr().cast(), 16 << 20), ("zeroed", zeroed.as_ptr(), 12 << 20)]
        {
            let huge_page_inside = (block as usize).next_multiple_of(super::HUGE_PAGE);
            assert!(huge_page_inside + super::HUGE_PAGE <= block as usize + size);
            let flags = mapping_flags(huge_page_inside);
            assert!(flags.split(' ').any(|flag| flag == "hg"), "{what}: the block's mapping has flags {flags}");
        }
    }
}
