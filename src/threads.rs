//! The worker threads qamus runs on: how its thread pools are built, and a
//! hook the binary sets to prepare each worker before it takes work (the
//! binary uses it to give glibc's per-thread heap its room at once; see
//! `src/main.rs`). The library sets no hook of its own.

use std::sync::OnceLock;

static WORKER_START: OnceLock<fn()> = OnceLock::new();

/// Has `start` run on every worker thread a pool of qamus starts from now
/// on, before the thread takes work. Set once per process: a second call
/// changes nothing and returns false.
pub fn set_worker_start(start: fn()) -> bool {
    WORKER_START.set(start).is_ok()
}

/// The most jobs a run takes: four a core (at least 4). More threads than
/// that only wait, and each costs a stack and a heap of its own: a run
/// asked for 100,000 ran out of memory.
pub fn max_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (4 * cores).max(4)
}

/// `requested` jobs (0: one a core) within [`max_jobs`], and what to tell
/// the user when it was more.
pub fn bounded_jobs(requested: usize) -> (usize, Option<String>) {
    let max = max_jobs();
    if requested > max {
        (max, Some(format!("--jobs {requested} is more than {max} (four a core); using {max}")))
    } else {
        (requested, None)
    }
}

/// A pool builder for `jobs` threads (0: rayon's default, the number of
/// cores or `RAYON_NUM_THREADS`) whose threads run the worker-start hook.
pub fn pool(jobs: usize) -> rayon::ThreadPoolBuilder {
    rayon::ThreadPoolBuilder::new().num_threads(jobs).start_handler(|_| {
        if let Some(start) = WORKER_START.get() {
            start();
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn jobs_past_four_a_core_are_bounded_with_a_notice() {
        let max = super::max_jobs();
        assert!(max >= 4);
        assert_eq!(super::bounded_jobs(0), (0, None));
        assert_eq!(super::bounded_jobs(max), (max, None));
        let (jobs, notice) = super::bounded_jobs(100_000);
        assert_eq!(jobs, max);
        assert!(notice.unwrap().contains("--jobs 100000 is more than"));
    }

    static STARTED: AtomicUsize = AtomicUsize::new(0);

    fn count_start() {
        STARTED.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn every_worker_of_a_pool_runs_the_hook_before_its_work() {
        assert!(super::set_worker_start(count_start), "the first hook is taken");
        assert!(!super::set_worker_start(|| ()), "a second one is not");
        let before = STARTED.load(Ordering::SeqCst);
        let pool = super::pool(3).build().expect("a pool of three");
        // Each thread's start handler has run before it runs a job.
        pool.broadcast(|_| ());
        assert!(STARTED.load(Ordering::SeqCst) >= before + 3, "three more starts");
    }
}
