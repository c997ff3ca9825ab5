//! The `qamus` binary: runs the library's command line and turns its result
//! into an exit code. A closed pipe (`qamus check | head`) is not an error.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Not taking the settings only leaves glibc's defaults.
    tune_allocator();
    // glibc only: elsewhere the reserving blocks would only be mapped and
    // unmapped.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    qamus::threads::set_worker_start(reserve_thread_heap);
    match qamus::cli::run(std::env::args_os()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let qamus::ErrorKind::Io(io) = &e.kind {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("qamus: error: {e}");
            ExitCode::from(2)
        }
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
/// Run by every worker thread before it takes work
/// ([`qamus::threads::set_worker_start`]).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reserve_thread_heap() {
    const BLOCK: usize = 31 << 20;
    let first = std::hint::black_box(Vec::<u8>::with_capacity(BLOCK));
    let second = std::hint::black_box(Vec::<u8>::with_capacity(BLOCK));
    drop((first, second));
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

    #[test]
    fn a_file_sized_block_comes_from_the_heap_and_a_large_one_is_mapped() {
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
}
