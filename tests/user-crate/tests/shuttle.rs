//! shuttle models of the user code: prodcon's buffer and worker pool run
//! inside this crate's own shuttle runs, under shuttle's randomized and
//! PCT schedulers, at sizes loom cannot search exhaustively. Each run is a
//! fixed number of random schedules from a fixed seed: it can miss a bug
//! that loom's search would find, and it is reproducible.
//!
//! Run with `RUSTFLAGS="--cfg shuttle" cargo test --test shuttle` (prodcon
//! and every other crate in model mode) or `RUSTFLAGS="--cfg
//! prodcon_shuttle" cargo test --test shuttle` (prodcon alone).
#![cfg(any(shuttle, prodcon_shuttle))]

use prodcon::model::{self, Timer};
use prodcon_user_example::{WorkQueue, drafts, pool_sum, relay};
use shuttle::scheduler::{PctScheduler, RandomScheduler, Scheduler};
use shuttle::{Config, Runner, thread};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs `f` under `scheduler`. prodcon keeps its model clock and wait sets
/// in a shuttle `lazy_static`, rebuilt for each execution on purpose, so
/// shuttle's warning about dropping lazy statics is silenced.
fn run(scheduler: impl Scheduler + 'static, f: impl Fn() + Send + Sync + 'static) {
    let mut config = Config::new();
    config.silence_warnings = true;
    Runner::new(scheduler, config).run(f);
}

fn random(seed: u64, iterations: usize, f: impl Fn() + Send + Sync + 'static) {
    run(RandomScheduler::new_from_seed(seed, iterations), f);
}

fn pct(seed: u64, depth: usize, iterations: usize, f: impl Fn() + Send + Sync + 'static) {
    run(PctScheduler::new_from_seed(seed, depth, iterations), f);
}

/// Runs `f`, which must fail; returns shuttle's failure message.
fn run_expecting_failure(f: impl FnOnce()) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(()) => panic!("shuttle found no failure"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
    }
}

/// 3 workers sum jobs 1..=12 that the main thread submits to a queue of
/// capacity 2 and finishes; batches of 3. 1,000 random schedules and 1,000
/// PCT schedules (depth 3).
#[test]
fn three_workers_sum_every_job() {
    let model = || {
        let queue = WorkQueue::new(2, 3);
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let queue = queue.clone();
                thread::spawn(move || queue.work())
            })
            .collect();
        queue.submit_all(1..=12).unwrap();
        queue.finish();
        let sum: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
        assert_eq!(sum, 78);
    };
    random(1, 1_000, model);
    pct(2, 3, 1_000, model);
}

/// A pipeline stage: `relay` or its draft.
type Stage = fn(&WorkQueue, &WorkQueue, fn(u64) -> u64) -> usize;

/// Two stages, with more jobs than the loom model: a producer thread
/// submits jobs 1..=5 to `input` (capacity 1) and finishes it; a stage
/// thread relays them (× 10) to `output` (capacity 2); the main thread
/// works `output` until it is finished; and a thread delivers a spurious
/// wakeup to every waiter at a point of the scheduler's choosing. The
/// worker must stop with every job. `stage` is `relay` or its draft.
fn two_stages(stage: Stage) {
    let input = WorkQueue::new(1, 1);
    let output = WorkQueue::new(2, 2);
    let producer = {
        let input = input.clone();
        thread::spawn(move || {
            input.submit_all(1..=5).unwrap();
            input.finish();
        })
    };
    let stage = {
        let (input, output) = (input.clone(), output.clone());
        thread::spawn(move || stage(&input, &output, |job| job * 10))
    };
    let waker = thread::spawn(model::spurious_wakeup);
    assert_eq!(output.work(), 150);
    assert_eq!(stage.join().unwrap(), 5);
    producer.join().unwrap();
    waker.join().unwrap();
}

/// `relay` lets the next stage stop: 1,000 random schedules and 1,000 PCT
/// schedules (depth 3).
#[test]
fn relay_lets_the_next_stage_stop() {
    random(3, 1_000, || two_stages(relay));
    pct(4, 3, 1_000, || two_stages(relay));
}

/// The bug caught: with the draft that never finishes its output, the
/// worker waits on a queue nobody closes, and shuttle must report the
/// deadlock (in its first schedule: the deadlock is in every one).
#[test]
fn catches_a_relay_that_never_finishes_its_output() {
    let failure = run_expecting_failure(|| {
        random(5, 100, || two_stages(drafts::relay_that_never_finishes));
    });
    assert!(
        failure.contains("deadlock"),
        "shuttle failed, but not with a deadlock: {failure:?}"
    );
}

const PATIENCE: Duration = Duration::from_millis(5);
const IDLE: Duration = Duration::from_millis(20);

static WENT_IDLE_EARLY: AtomicBool = AtomicBool::new(false);
static OFFER_REFUSED: AtomicBool = AtomicBool::new(false);
static TOOK_EVERYTHING: AtomicBool = AtomicBool::new(false);

/// One execution of `timeouts_lose_no_job`'s scenario; records which of the
/// three outcomes it reached.
fn timeouts_model() {
    let timer = Timer::start(4);
    let queue = WorkQueue::new(1, 1);
    let producers: Vec<_> = [[1, 2, 3], [11, 12, 13]]
        .into_iter()
        .map(|jobs| {
            let queue = queue.clone();
            thread::spawn(move || {
                let refused: Vec<u64> = jobs
                    .into_iter()
                    .filter_map(|job| queue.offer(job, PATIENCE).err())
                    .collect();
                if !refused.is_empty() {
                    assert!(model::elapsed() >= PATIENCE);
                }
                refused
            })
        })
        .collect();
    // Finishes the queue once both producers are done.
    let finisher = {
        let queue = queue.clone();
        thread::spawn(move || {
            let refused: Vec<u64> = producers
                .into_iter()
                .flat_map(|producer| producer.join().unwrap())
                .collect();
            queue.finish();
            refused
        })
    };
    let taken = queue.collect_until_idle(IDLE);
    let refused = finisher.join().unwrap();
    timer.stop();
    let left = queue.leftover();

    let mut every_job: Vec<u64> = [&taken[..], &refused, &left].concat();
    every_job.sort_unstable();
    assert_eq!(every_job, [1, 2, 3, 11, 12, 13]);
    for producer in [1..=3u64, 11..=13] {
        let own: Vec<_> = taken.iter().filter(|&j| producer.contains(j)).collect();
        assert!(own.is_sorted(), "jobs taken out of order: {taken:?}");
    }
    if !refused.is_empty() {
        OFFER_REFUSED.store(true, Ordering::Relaxed);
    }
    if !left.is_empty() {
        assert!(model::elapsed() >= IDLE);
        WENT_IDLE_EARLY.store(true, Ordering::Relaxed);
    }
    if taken.len() == 6 {
        TOOK_EVERYTHING.store(true, Ordering::Relaxed);
    }
}

/// The loom model `timeouts_lose_no_job` with 2 producers offering 3 jobs
/// each and a timer that fires up to 4 times: every job taken, refused or
/// left queued exactly once, each producer's jobs taken in its order, a
/// timeout only past its deadline on the model clock. 2,000 random
/// schedules and 2,000 PCT schedules (depth 3); each of the three outcomes
/// must have been seen (without the timer, no offer is refused and the
/// collector never goes idle early). PCT is there for the early idle: on
/// prodcon's buffer with a counter per side, 2,000 random schedules of
/// this seed no longer reached it.
#[test]
fn timeouts_lose_no_job() {
    random(6, 2_000, timeouts_model);
    pct(7, 3, 2_000, timeouts_model);
    assert!(
        OFFER_REFUSED.load(Ordering::Relaxed),
        "no offer was ever refused"
    );
    assert!(
        WENT_IDLE_EARLY.load(Ordering::Relaxed),
        "the collector never went idle early"
    );
    assert!(
        TOOK_EVERYTHING.load(Ordering::Relaxed),
        "no run took every job"
    );
}

/// `pool_sum` runs a whole `ProducerConsumerSystem` inside shuttle: 3
/// sources of 4 jobs, 3 consumers, capacity 2. 500 random schedules and
/// 500 PCT schedules (depth 3).
#[test]
fn pool_sum_consumes_every_job() {
    let model = || {
        let sources = (0..3u64)
            .map(|p| (1..=4).map(|i| p * 4 + i).collect())
            .collect();
        assert_eq!(pool_sum(sources, 3, 2), Ok(78));
    };
    random(7, 500, model);
    pct(8, 3, 500, model);
}
