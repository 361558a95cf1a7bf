//! Model scenarios for the ways a running `ProducerConsumerSystem` ends
//! without a full drain: dropped while running, and the graceful shutdown
//! whose deadline passes, declared for loom and shuttle in
//! `loom-tests/pipeline_drop.rs`.
//!
//! What the scenarios observe is what a user can observe: the items each
//! handler consumer received (recorded by the handler), the `prodcon`
//! events (a dropped system reports each undelivered item in an
//! `item_dropped` event, whose `item` field is the item's `Debug` text after
//! `log_items`), the report of a shutdown, and a `StatsHandle` that outlives
//! the system.
//!
//! The events are captured by [`super::events::capture`].

use super::events::{Log, capture, named};
use prodcon::{Ending, ProducerConsumerSystem, StatsHandle};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::subscriber::DefaultGuard;

/// Producer `p` (0-based) yields `p * 100 + i` for `i < per_producer`.
fn sources(producers: usize, per_producer: usize) -> Vec<Vec<u32>> {
    (0..producers)
        .map(|p| (0..per_producer).map(|i| (p * 100 + i) as u32).collect())
        .collect()
}

/// A started system whose `consumers` handler consumers record what they
/// receive into `handled`, with `log_items` on (so that `item_dropped`
/// names the item), and the events of this execution.
struct Running {
    system: ProducerConsumerSystem<u32>,
    sources: Vec<Vec<u32>>,
    handled: Arc<Mutex<Vec<u32>>>,
    stats: StatsHandle,
    events: Log,
    /// Keeps the capture installed (loom) until the scenario ends.
    _capture: Option<DefaultGuard>,
}

fn start(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: usize,
    retry: Option<Duration>,
) -> Running {
    let (events, guard) = capture();
    let sources = sources(producers, per_producer);
    let mut system = ProducerConsumerSystem::new(capacity).expect("capacity > 0");
    system.log_items().expect("before start");
    if let Some(retry) = retry {
        system.set_put_retry_interval(retry).expect("before start");
    }
    for source in &sources {
        system.add_producer(source.clone()).expect("before start");
    }
    let handled = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..consumers {
        let record = Arc::clone(&handled);
        system
            .add_consumer_with(move |item| record.lock().unwrap().push(item))
            .expect("before start");
    }
    let stats = system.stats_handle();
    system.start().expect("valid system");
    Running {
        system,
        sources,
        handled,
        stats,
        events,
        _capture: guard,
    }
}

/// The items taken from the sources, by the producers' final counts.
fn taken(sources: &[Vec<u32>], stats: &StatsHandle) -> Vec<u32> {
    let stats = stats.snapshot();
    sources
        .iter()
        .zip(&stats.producers)
        .flat_map(|(source, p)| source[..p.items].iter().copied())
        .collect()
}

#[track_caller]
fn assert_exactly_once(mut ended: Vec<u32>, mut expected: Vec<u32>) {
    ended.sort_unstable();
    expected.sort_unstable();
    assert_eq!(ended, expected, "lost or duplicated items (sorted)");
}

/// Drops a running system at once, racing its producers and consumers.
/// When `drop` returns every worker has ended, so what the handlers
/// recorded and what the `item_dropped` events name is final: together
/// they are every item taken from a source, exactly once. The
/// `shutdown_complete` event (mode "drop") counts the dropped items, and
/// the stats (read through a handle that outlives the system) agree.
///
/// A drop that returned before joining its threads fails here: a consumer
/// could still take and handle a buffered item after the checks read
/// `handled`, which then misses it, and nothing reports it dropped.
pub fn drop_conserves_items(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: usize,
) {
    let run = start(capacity, producers, per_producer, consumers, None);
    drop(run.system);

    let dropped: Vec<u32> = named(&run.events, "item_dropped")
        .iter()
        .map(|e| e.number("item").expect("the item's Debug text") as u32)
        .collect();
    let complete = named(&run.events, "shutdown_complete");
    assert_eq!(complete.len(), 1, "one shutdown_complete per drop");
    assert_eq!(complete[0].text("mode"), Some("drop"));
    assert_eq!(complete[0].number("undelivered"), Some(dropped.len()));

    let handled = run.handled.lock().unwrap().clone();
    let after = run.stats.snapshot();
    assert_eq!(after.total_consumed, handled.len(), "total_consumed");
    assert_eq!(
        after.items_in_transit,
        dropped.len(),
        "in transit = dropped"
    );
    assert_eq!(after.buffer_size, 0, "buffer left non-empty");
    let mut ended = handled;
    ended.extend(&dropped);
    assert_exactly_once(ended, taken(&run.sources, &run.stats));
}

/// How often each ending was reached, across the executions of one test.
#[derive(Debug, Default)]
struct Endings {
    drained: AtomicUsize,
    deadline_passed: AtomicUsize,
}

thread_local! {
    /// The endings reached by [`graceful_timeout_conserves_items`] on this
    /// OS thread: loom and shuttle run every model thread of a test on the
    /// test's own.
    static ENDINGS: Endings = Endings::default();
}

/// Runs `runs` (the model runs of one test), then asserts that
/// [`graceful_timeout_conserves_items`] reached both endings in them.
pub fn reaching_both_endings(runs: impl FnOnce()) {
    let (drained, passed) = endings_of(runs);
    assert!(drained > 0, "no execution drained in time");
    assert!(passed > 0, "no execution reached the deadline");
}

/// Runs `runs`, then asserts that the deadline passed in at least one
/// execution of [`graceful_timeout_conserves_items`].
pub fn reaching_the_deadline(runs: impl FnOnce()) {
    let (_, passed) = endings_of(runs);
    assert!(passed > 0, "no execution reached the deadline");
}

/// Runs `runs` and counts the endings reached in them: (drained, deadline
/// passed).
fn endings_of(runs: impl FnOnce()) -> (usize, usize) {
    let take = || {
        ENDINGS.with(|endings| {
            (
                endings.drained.swap(0, Ordering::Relaxed),
                endings.deadline_passed.swap(0, Ordering::Relaxed),
            )
        })
    };
    take();
    runs();
    let (drained, passed) = take();
    eprintln!("graceful_timeout: {drained} drained, {passed} deadline passed");
    (drained, passed)
}

/// `shutdown_graceful_timeout` under the model timer (started here, with
/// one firing): the timer may fire the deadline at any point of the drain,
/// or not at all. Producers retry their puts without a deadline
/// (`Duration::MAX`), so the shutdown's deadline is the only timed wait.
/// Either way every item taken from a source is handled or undelivered,
/// exactly once; drained means every item handled and nothing undelivered;
/// a passed deadline is reported by its event. Counts the ending reached,
/// so that [`reaching_both_endings`] can check that the checker explored
/// both.
pub fn graceful_timeout_conserves_items(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: usize,
) {
    let timer = prodcon::model::Timer::start(1);
    let Running {
        system,
        sources,
        handled,
        stats,
        events,
        _capture,
    } = start(
        capacity,
        producers,
        per_producer,
        consumers,
        Some(Duration::MAX),
    );
    let report = system.shutdown_graceful_timeout(Duration::from_millis(10));

    let handled = handled.lock().unwrap().clone();
    assert_eq!(report.stats.total_consumed, handled.len(), "total_consumed");
    assert_eq!(
        report.stats,
        stats.snapshot(),
        "the handle reads the report's stats"
    );
    let passed = named(&events, "deadline_passed").len();
    match report.ending {
        Ending::Drained => {
            assert_eq!(passed, 0, "deadline_passed on a drained shutdown");
            assert!(report.undelivered.is_empty(), "undelivered after a drain");
            let all: Vec<u32> = sources.iter().flatten().copied().collect();
            assert_exactly_once(handled.clone(), all);
            ENDINGS.with(|endings| endings.drained.fetch_add(1, Ordering::Relaxed));
        }
        Ending::DeadlinePassed => {
            assert_eq!(passed, 1, "one deadline_passed event");
            ENDINGS.with(|endings| endings.deadline_passed.fetch_add(1, Ordering::Relaxed));
        }
        other => panic!("unexpected ending {other:?}"),
    }
    assert_eq!(report.stats.items_in_transit, report.undelivered.len());
    let mut ended = handled;
    ended.extend(&report.undelivered);
    assert_exactly_once(ended, taken(&sources, &stats));
    timer.stop();
}
