//! The `qamus` binary: runs the library's command line and turns its result
//! into an exit code. A closed pipe (`qamus check | head`) is not an error.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: loading a large glossary makes
/// millions of small allocations from two threads, and glibc's per-thread
/// arenas spent much of that time in page faults and `mprotect`. Loading
/// 100,000 concepts went from 1.40–1.56 s to 1.02–1.18 s (three runs each,
/// same session, bench/RESULTS.md); checking text allocates little and is
/// unchanged. Only the binary sets it: the library leaves the choice to
/// whoever links it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
