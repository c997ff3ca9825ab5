//! An ordered window: runs the jobs a walk finds on a thread pool, at most
//! a window of them at once, and hands each result on in the order the jobs
//! were found, on the calling thread, as soon as it and those before it are
//! done. The walk runs on a thread of its own and waits while the jobs
//! found and not yet done weigh a bound (a corpus's records carry their
//! text); the thread handing on is woken in batches. A job that panics is
//! raised on the calling thread, not waited for.
//!
//! It knows nothing of what the jobs are: `check` runs it over inputs.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A walk: finds jobs, handing each in turn to the function it is given.
pub type Walk<'a, J> = dyn Fn(&mut dyn FnMut(J)) + Sync + 'a;

/// How a window runs.
#[derive(Debug, Clone, Copy)]
pub struct Window<J, R> {
    /// Jobs started and not yet handed on, at most.
    pub at_once: usize,
    /// What the jobs found and not yet done may weigh before the walk
    /// waits; one job heavier than this is still let through, alone.
    pub queue_weight: usize,
    /// The weight of a job until it is done (0: it never makes the walk wait).
    pub weight: fn(&J) -> usize,
    /// What the results done in order may hold (in `size` units) before the
    /// thread handing on is woken, if half the window does not wake it sooner.
    pub wake_size: usize,
    /// The size of a result, for `wake_size`.
    pub size: fn(&R) -> usize,
}

/// Runs `process` on the jobs `walk` finds, on `pool` or the current pool,
/// as `window` says, and hands each result on in the order the jobs were
/// found, on this thread, with the number handed on so far and, once the
/// walk is over, the number of jobs.
///
/// A thread that finishes a job takes the next at once: no thread waits
/// for the slowest job of a batch (there is none), and handing on goes on
/// beside the work. This thread is woken only when half the window is done
/// in order, or the results done in order hold `wake_size`, or all that was
/// started is done: with many small jobs, waking it often cost more than
/// the jobs (on 20,000 files of 5 KB, waking it every eight files made
/// 7,500 context switches, and the two threads checking ran out of work
/// while it waited for a core).
pub fn run_in_order<J: Send, R: Send>(
    pool: Option<&rayon::ThreadPool>,
    walk: &Walk<'_, J>,
    window: Window<J, R>,
    process: &(dyn Fn(J) -> R + Sync),
    hand_on: &mut dyn FnMut(R, usize, Option<usize>),
) {
    let shared = Shared {
        state: Mutex::new(WindowState::default()),
        wake: Condvar::new(),
        room: Condvar::new(),
        wake_at: (window.at_once / 2).max(1),
        window,
    };
    match pool {
        Some(pool) => pool.in_place_scope(|scope| walk_and_run(scope, &shared, walk, process, hand_on)),
        None => rayon::in_place_scope(|scope| walk_and_run(scope, &shared, walk, process, hand_on)),
    }
}

/// [`run_in_order`] in a scope that `shared`, `walk` and `process` outlive.
fn walk_and_run<'scope, J: Send, R: Send>(
    scope: &rayon::Scope<'scope>,
    shared: &'scope Shared<J, R>,
    walk: &'scope Walk<'scope, J>,
    process: &'scope (dyn Fn(J) -> R + Sync),
    hand_on: &mut dyn FnMut(R, usize, Option<usize>),
) {
    let start = |started: Vec<(usize, J)>| {
        for (index, job) in started {
            scope.spawn(move |_| {
                let weight = (shared.window.weight)(&job);
                // A panic is kept as a result, so that the thread handing on
                // never waits for a job that will not come; it is raised
                // again there.
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(job)));
                shared.done(index, result, weight);
            });
        }
    };
    std::thread::scope(|threads| {
        threads.spawn(|| {
            // Told, even if the walk panics, so that the thread handing on
            // does not wait for it.
            let _over = WalkOver(shared);
            walk(&mut |job| {
                let weight = (shared.window.weight)(&job);
                let mut state = shared.lock();
                // Back-pressure: jobs are found no faster than they are
                // done (a job of no weight never waits).
                while weight > 0
                    && state.pending_weight > 0
                    && state.pending_weight + weight > shared.window.queue_weight
                    && !state.abandoned
                {
                    state.walk_waits_for = weight;
                    state = shared.room.wait(state).unwrap_or_else(PoisonError::into_inner);
                }
                state.walk_waits_for = 0;
                if state.abandoned {
                    return;
                }
                state.pending_weight += weight;
                state.queued.push_back(job);
                let started = state.start(shared.window.at_once);
                drop(state);
                start(started);
            });
        });
        hand_on_in_order(shared, hand_on, &start);
    })
}

/// Hands results on as [`run_in_order`] says, starting queued jobs as the
/// window makes room, until the walk is over and every job is handed on; a
/// job that panicked is raised here, after telling the walk to stop.
fn hand_on_in_order<J, R>(shared: &Shared<J, R>, hand_on: &mut dyn FnMut(R, usize, Option<usize>), start: &dyn Fn(Vec<(usize, J)>)) {
    let mut handed = 0;
    loop {
        let (ready, total): (Vec<std::thread::Result<R>>, Option<usize>) = {
            let mut state = shared.lock();
            loop {
                let over = state.walked && state.queued.is_empty() && state.ready == state.done.len();
                if over || shared.worth_waking(&state) {
                    break;
                }
                state = shared.wake.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            let ready = state.ready;
            state.base += ready;
            state.taken = ready;
            state.ready = 0;
            state.ready_size = 0;
            let ready: Vec<_> = state.done.drain(..ready).flatten().map(|(result, _)| result).collect();
            (ready, state.walked.then_some(state.base + state.done.len() + state.queued.len()))
        };
        if ready.is_empty() {
            return;
        }
        for result in ready {
            match result {
                Ok(result) => {
                    handed += 1;
                    hand_on(result, handed, total);
                }
                Err(panic) => {
                    shared.lock().abandoned = true;
                    shared.room.notify_all();
                    std::panic::resume_unwind(panic)
                }
            }
        }
        // Handed on: the window has room for queued jobs.
        let started = {
            let mut state = shared.lock();
            state.taken = 0;
            state.start(shared.window.at_once)
        };
        start(started);
    }
}

/// What the walk, the threads doing jobs and the thread handing them on
/// share.
struct Shared<J, R> {
    state: Mutex<WindowState<J, R>>,
    /// Told when enough jobs are done in order, or the walk is over.
    wake: Condvar,
    /// Told when work made room for the walk, or handing on stopped.
    room: Condvar,
    window: Window<J, R>,
    /// The jobs done in order that wake the thread handing on.
    wake_at: usize,
}

impl<J, R> Shared<J, R> {
    fn lock(&self) -> MutexGuard<'_, WindowState<J, R>> {
        // No code panics while holding it (jobs' panics are caught first).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Keeps the result of job `index`, which weighed `weight`; wakes the
    /// thread handing on when it is [worth waking](Shared::worth_waking),
    /// and the walk when it waits for the room this makes.
    fn done(&self, index: usize, result: std::thread::Result<R>, weight: usize) {
        let size = result.as_ref().map_or(0, |r| (self.window.size)(r));
        let mut state = self.lock();
        state.keep(index, result, size);
        if weight > 0 {
            state.pending_weight -= weight;
            // A walk waiting is woken when what it waits to add fits and
            // half the room is free (not for every job), or when nothing
            // is left.
            let (pending, wanted, bound) = (state.pending_weight, state.walk_waits_for, self.window.queue_weight);
            if wanted > 0 && (pending == 0 || pending + wanted <= bound && pending <= bound / 2) {
                self.room.notify_one();
            }
        }
        if self.worth_waking(&state) {
            self.wake.notify_one();
        }
    }

    /// Whether the results done in order are enough to hand on: half the
    /// window, or `wake_size`, or all that was started.
    fn worth_waking(&self, state: &WindowState<J, R>) -> bool {
        state.ready > 0 && (state.ready >= self.wake_at.min(state.done.len()) || state.ready_size >= self.window.wake_size)
    }
}

/// Tells the thread handing on that the walk is over when dropped.
struct WalkOver<'a, J, R>(&'a Shared<J, R>);

impl<J, R> Drop for WalkOver<'_, J, R> {
    fn drop(&mut self) {
        self.0.lock().walked = true;
        self.0.wake.notify_one();
    }
}

/// The jobs found and not yet handed on.
struct WindowState<J, R> {
    /// Found, not started (the window was full).
    queued: VecDeque<J>,
    /// What the jobs found and not yet done weigh.
    pending_weight: usize,
    /// What the walk waits to add (0: it does not wait).
    walk_waits_for: usize,
    /// The index of the first job started and not handed on.
    base: usize,
    /// Each started job's result once done, with its size, in the order
    /// the jobs were found.
    done: VecDeque<Option<(std::thread::Result<R>, usize)>>,
    /// How many are done in a row from the first.
    ready: usize,
    /// The size those hold.
    ready_size: usize,
    /// Results taken out of `done` and still being handed on: they count
    /// against the window too.
    taken: usize,
    /// The walk is over: no more jobs will be found.
    walked: bool,
    /// Handing on has stopped (a job panicked): start no more.
    abandoned: bool,
}

impl<J, R> Default for WindowState<J, R> {
    fn default() -> Self {
        WindowState {
            queued: VecDeque::new(),
            pending_weight: 0,
            walk_waits_for: 0,
            base: 0,
            done: VecDeque::new(),
            ready: 0,
            ready_size: 0,
            taken: 0,
            walked: false,
            abandoned: false,
        }
    }
}

impl<J, R> WindowState<J, R> {
    /// Keeps the result of job `index`, and counts the jobs done in a row
    /// from the first (each is counted once, when the row reaches it).
    fn keep(&mut self, index: usize, result: std::thread::Result<R>, size: usize) {
        let slot = index - self.base;
        self.done[slot] = Some((result, size));
        while let Some(Some((_, size))) = self.done.get(self.ready) {
            self.ready_size += size;
            self.ready += 1;
        }
    }

    /// Takes queued jobs, with their indices, as far as the window has
    /// room, and marks them started.
    fn start(&mut self, at_once: usize) -> Vec<(usize, J)> {
        let mut started = Vec::new();
        while self.done.len() + self.taken < at_once && !self.abandoned {
            let Some(job) = self.queued.pop_front() else { break };
            self.done.push_back(None);
            started.push((self.base + self.done.len() - 1, job));
        }
        started
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A window of `at_once` over jobs that are numbers, weighing nothing,
    /// results of no size.
    fn numbers(at_once: usize) -> Window<usize, usize> {
        Window { at_once, queue_weight: usize::MAX, weight: |_| 0, wake_size: usize::MAX, size: |_| 0 }
    }

    #[test]
    fn jobs_done_out_of_order_are_handed_on_in_order_with_at_most_a_window_at_once() {
        let window = 6;
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let handed = AtomicUsize::new(0);
        // Every fifth job is slow: those after it finish first.
        let process = |i: usize| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Never more than `window` past the last handed on.
            assert!(i < handed.load(Ordering::SeqCst) + window, "{i} started too early");
            std::thread::sleep(std::time::Duration::from_millis(if i % 5 == 0 { 30 } else { 2 }));
            running.fetch_sub(1, Ordering::SeqCst);
            i
        };
        let mut order = Vec::new();
        let mut totals = Vec::new();
        let mut hand_on = |result: usize, done: usize, total: Option<usize>| {
            handed.store(done, Ordering::SeqCst);
            totals.push(total);
            order.push((result, done));
        };
        let pool = crate::threads::pool(4).build().unwrap();
        // The walk finds the jobs slowly at first, then all at once.
        let walk = |found: &mut dyn FnMut(usize)| {
            for i in 0..40 {
                if i < 5 {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                found(i);
            }
        };
        run_in_order(Some(&pool), &walk, numbers(window), &process, &mut hand_on);
        let expected: Vec<(usize, usize)> = (0..40).map(|i| (i, i + 1)).collect();
        assert_eq!(order, expected);
        // The number of jobs is told once the walk is over, and is right.
        assert_eq!(totals.last(), Some(&Some(40)));
        assert!(totals.windows(2).all(|w| w[0].is_none() || w[0] == w[1]), "{totals:?}");
        assert!(most.load(Ordering::SeqCst) > 1, "jobs were done at once");
    }

    #[test]
    fn a_large_result_is_handed_on_without_waiting_for_half_the_window() {
        let handed = AtomicUsize::new(0);
        // Job 0's result is as large as wakes the thread handing on; job 1
        // is not done until job 0 is handed on (or five seconds pass), so
        // that half the window (20 of 40) is never done in order before.
        let handed_before_one = AtomicUsize::new(usize::MAX);
        let process = |i: usize| {
            if i == 1 {
                let waited = std::time::Instant::now();
                while handed.load(Ordering::SeqCst) == 0 && waited.elapsed() < std::time::Duration::from_secs(5) {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                handed_before_one.store(handed.load(Ordering::SeqCst), Ordering::SeqCst);
            }
            (i, if i == 0 { 1000 } else { 10 })
        };
        let window = Window { at_once: 40, queue_weight: usize::MAX, weight: |_| 0, wake_size: 1000, size: |r: &(usize, usize)| r.1 };
        let pool = crate::threads::pool(2).build().unwrap();
        let walk = |found: &mut dyn FnMut(usize)| (0..40).for_each(found);
        let mut order = Vec::new();
        run_in_order(Some(&pool), &walk, window, &process, &mut |result, done, _| {
            handed.store(done, Ordering::SeqCst);
            order.push(result.0);
        });
        assert_eq!(handed_before_one.load(Ordering::SeqCst), 1, "job 0 was handed on while job 1 was being done");
        assert_eq!(order, (0..40).collect::<Vec<_>>());
    }

    #[test]
    fn the_walk_waits_while_the_jobs_not_yet_done_weigh_the_bound() {
        // Jobs weigh 1,000 each; the walk finds them much faster than they
        // are done.
        let weight = 1000;
        let bound = 20 * weight;
        let (found, checked, most) = (AtomicUsize::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
        let walk = |hand: &mut dyn FnMut(usize)| {
            for i in 0..400 {
                hand(i);
                let held = found.fetch_add(weight, Ordering::SeqCst) + weight - checked.load(Ordering::SeqCst);
                most.fetch_max(held, Ordering::SeqCst);
            }
        };
        let process = |i: usize| {
            std::thread::sleep(std::time::Duration::from_micros(300));
            checked.fetch_add(weight, Ordering::SeqCst);
            i
        };
        let window = Window { at_once: 64, queue_weight: bound, weight: |_| 1000, wake_size: usize::MAX, size: |_| 0 };
        let pool = crate::threads::pool(2).build().unwrap();
        let mut order = Vec::new();
        run_in_order(Some(&pool), &walk, window, &process, &mut |i, _, _| order.push(i));
        assert_eq!(order, (0..400).collect::<Vec<_>>());
        // Never more than the bound (and the job being handed over) was
        // found and not yet done, though the window (64) had room for more.
        let most = most.load(Ordering::SeqCst);
        assert!(most <= bound + weight, "{} jobs held at once, the bound is {}", most / weight, bound / weight);
    }

    #[test]
    fn a_panic_in_a_job_is_raised_not_waited_for() {
        let walk = |found: &mut dyn FnMut(usize)| (0..100).for_each(found);
        let process = |i: usize| {
            assert!(i != 7, "job seven");
        };
        let pool = crate::threads::pool(2).build().unwrap();
        let mut handed = 0;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_in_order(Some(&pool), &walk, numbers_unit(4), &process, &mut |_, done, _| handed = done)
        }));
        let panic = outcome.expect_err("the panic is raised");
        let message = panic.downcast_ref::<&str>().map(|m| m.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
        assert_eq!(message.as_deref(), Some("job seven"));
        assert_eq!(handed, 7, "the jobs before it were handed on");
    }

    fn numbers_unit(at_once: usize) -> Window<usize, ()> {
        Window { at_once, queue_weight: usize::MAX, weight: |_| 0, wake_size: usize::MAX, size: |_| 0 }
    }
}
