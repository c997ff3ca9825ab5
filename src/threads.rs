//! The worker threads qamus runs on: how many a run may take, and the pools
//! the library builds when the caller's pool does not have as many threads
//! as a run asks for. The library holds no process-wide state: a program
//! that wants its workers prepared (the binary gives glibc's per-thread
//! heap its room at once) builds its own pool, with its own start handler,
//! and runs qamus in it.

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
/// cores or `RAYON_NUM_THREADS`).
pub fn pool(jobs: usize) -> rayon::ThreadPoolBuilder {
    rayon::ThreadPoolBuilder::new().num_threads(jobs)
}

#[cfg(test)]
mod tests {
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
}
