//! loom models of the user code: prodcon's buffer and worker pool run
//! inside this crate's own `loom::model`, and loom explores every
//! interleaving of their threads with the test's (every interleaving with
//! at most the given number of preemptions where a bound is given).
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test --test loom` (prodcon and
//! every other crate in model mode) or `RUSTFLAGS="--cfg prodcon_loom"
//! cargo test --test loom` (prodcon alone).
#![cfg(any(loom, prodcon_loom))]

use loom::thread;
use prodcon::model::{self, Timer};
use prodcon_user_example::{WorkQueue, drafts, pool_sum, relay};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Explores `f` (every interleaving, or every one with at most `bound`
/// preemptions) and returns how many executions that took.
fn explore(bound: Option<usize>, f: impl Fn() + Sync + Send + 'static) -> usize {
    let executions = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = executions.clone();
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = bound;
    builder.check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        f();
    });
    let executions = executions.load(Ordering::Relaxed);
    eprintln!("loom: {executions} executions");
    executions
}

/// Explores `f`, which must fail; returns loom's failure message.
fn explore_expecting_failure(bound: Option<usize>, f: impl Fn() + Sync + Send + 'static) -> String {
    match catch_unwind(AssertUnwindSafe(|| explore(bound, f))) {
        Ok(executions) => panic!("loom found no failure in {executions} executions"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
    }
}

/// A worker sums the jobs the main thread submits, then stops when the
/// queue is finished: capacity 1, batches of 2, jobs 1 and 2. Exhaustive
/// (3,294 executions).
#[test]
fn a_worker_sums_every_job_and_stops() {
    explore(None, || {
        let queue = WorkQueue::new(1, 2);
        let worker = {
            let queue = queue.clone();
            thread::spawn(move || queue.work())
        };
        queue.submit_all([1, 2]).unwrap();
        queue.finish();
        assert_eq!(worker.join().unwrap(), 3);
    });
}

/// A pipeline stage: `relay` or its draft.
type Stage = fn(&WorkQueue, &WorkQueue, fn(u64) -> u64) -> usize;

/// Two stages: the main thread submits a job to `input` and finishes it; a
/// stage thread relays it (× 10) to `output`; the main thread then works
/// `output` until it is finished. Capacity 1 each. (With two jobs the
/// exhaustive search ran for more than ten minutes without ending; the
/// shuttle model relays five.)
fn two_stages(stage: Stage) {
    let input = WorkQueue::new(1, 1);
    let output = WorkQueue::new(1, 1);
    let stage = {
        let (input, output) = (input.clone(), output.clone());
        thread::spawn(move || stage(&input, &output, |job| job * 10))
    };
    input.submit(1).unwrap();
    input.finish();
    assert_eq!(output.work(), 10);
    assert_eq!(stage.join().unwrap(), 1);
}

/// `relay` finishes its output, so the next stage's worker stops with
/// every job: exhaustive (2,880 executions).
#[test]
fn relay_lets_the_next_stage_stop() {
    explore(None, || two_stages(relay));
}

/// The bug caught: the draft of `relay` never finishes its output, and the
/// next stage's worker (the main thread) waits on a queue nobody closes.
/// loom must report the deadlock; the same model passes with `relay`
/// (`relay_lets_the_next_stage_stop`).
#[test]
fn catches_a_relay_that_never_finishes_its_output() {
    let failure = explore_expecting_failure(None, || two_stages(drafts::relay_that_never_finishes));
    assert!(
        failure.contains("deadlock"),
        "loom failed, but not with a deadlock: {failure:?}"
    );
}

const PATIENCE: Duration = Duration::from_millis(5);
const IDLE: Duration = Duration::from_millis(20);

static WENT_IDLE_EARLY: AtomicBool = AtomicBool::new(false);
static OFFER_REFUSED: AtomicBool = AtomicBool::new(false);
static TOOK_EVERYTHING: AtomicBool = AtomicBool::new(false);

/// Timeouts, driven by prodcon's model timer: a producer offers jobs 1 and
/// 2 (each with `PATIENCE`) to a queue of capacity 1 and finishes it; the
/// main thread collects jobs until none comes for `IDLE`. The timer may
/// fire at any point, so loom explores offers refused for lack of room and
/// a collector that gives up early, as well as the runs where nothing times
/// out. In every execution each job is taken, refused or left queued,
/// exactly once, jobs are taken in order, and a timeout happens only once
/// the model clock has passed its deadline. Timer of 2 firings; preemption
/// bound 2 (16 k executions; bound 3 was 251 k executions and two minutes
/// on the code of 2026-12-04).
///
/// Across the executions, each of the three outcomes must have been seen:
/// without the timer (or with a model clock that never moves) no offer is
/// refused and the collector never goes idle early, and this test fails.
#[test]
fn timeouts_lose_no_job() {
    explore(Some(2), || {
        let timer = Timer::start(2);
        let queue = WorkQueue::new(1, 1);
        let producer = {
            let queue = queue.clone();
            thread::spawn(move || {
                let refused: Vec<u64> = [1, 2]
                    .into_iter()
                    .filter_map(|job| queue.offer(job, PATIENCE).err())
                    .collect();
                queue.finish();
                refused
            })
        };
        let taken = queue.collect_until_idle(IDLE);
        let refused = producer.join().unwrap();
        timer.stop();
        let left = queue.leftover();

        let mut every_job: Vec<u64> = [&taken[..], &refused, &left].concat();
        every_job.sort_unstable();
        assert_eq!(
            every_job,
            [1, 2],
            "taken {taken:?}, refused {refused:?}, left {left:?}"
        );
        assert!(taken.is_sorted(), "jobs taken out of order: {taken:?}");
        if !refused.is_empty() {
            assert!(model::elapsed() >= PATIENCE);
            OFFER_REFUSED.store(true, Ordering::Relaxed);
        }
        if !left.is_empty() {
            assert!(model::elapsed() >= IDLE);
            WENT_IDLE_EARLY.store(true, Ordering::Relaxed);
        }
        if taken == [1, 2] {
            TOOK_EVERYTHING.store(true, Ordering::Relaxed);
        }
    });
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

/// `pool_sum` runs a whole `ProducerConsumerSystem` (its producer and
/// consumer threads are loom threads) inside the model: one source of jobs
/// 1 and 2, one consumer, capacity 1. Preemption bound 3 (2,338
/// executions; the exhaustive search runs for minutes).
#[test]
fn pool_sum_consumes_every_job() {
    explore(Some(3), || {
        assert_eq!(pool_sum(vec![vec![1, 2]], 1, 1), Ok(3));
    });
}
