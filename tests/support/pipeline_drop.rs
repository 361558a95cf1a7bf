//! Model scenarios for the ways a running `ProducerConsumerSystem` ends
//! without a full drain: dropped while running, and the graceful shutdown
//! whose deadline passes. Shared by `loom-tests/pipeline_drop.rs` and
//! `tests/shuttle_pipeline_drop.rs`, each of which includes this file by
//! path.
//!
//! What the scenarios observe is what a user can observe: the items each
//! handler consumer received (recorded by the handler), the `prodcon`
//! events (a dropped system reports each undelivered item in an
//! `item_dropped` event, whose `item` field is the item's `Debug` text after
//! `log_items`), the report of a shutdown, and a `StatsHandle` that outlives
//! the system.
//!
//! Events: the model threads of loom and shuttle all run on the test's OS
//! thread, one at a time. Under loom a thread-local default subscriber set
//! inside the model sees every model thread's events; shuttle gives each of
//! its tasks the default that was current when the run began, so a shuttle
//! test wraps its whole run in [`with_event_capture`].
#![allow(dead_code, unreachable_pub)]

use prodcon::{Ending, ProducerConsumerSystem, StatsHandle};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::field::{Field, Visit};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

type Events = Arc<Mutex<Vec<BTreeMap<String, String>>>>;

struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

struct Capture(Events);

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "prodcon" {
            let mut fields = Fields(BTreeMap::new());
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
    }
}

thread_local! {
    /// The capture installed by `with_event_capture` around a whole run.
    static AMBIENT: std::cell::RefCell<Option<Events>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (a whole shuttle run) with a capturing subscriber as this OS
/// thread's default; each execution clears it when it starts.
pub fn with_event_capture<R>(f: impl FnOnce() -> R) -> R {
    let events = Events::default();
    AMBIENT.with(|ambient| *ambient.borrow_mut() = Some(Arc::clone(&events)));
    let subscriber = tracing_subscriber::registry().with(Capture(events));
    let result = tracing::subscriber::with_default(subscriber, f);
    AMBIENT.with(|ambient| *ambient.borrow_mut() = None);
    result
}

/// This execution's events: the ambient capture (shuttle), or a new
/// thread-local subscriber kept alive by the returned guard (loom).
fn capture_events() -> (Events, Option<DefaultGuard>) {
    match AMBIENT.with(|ambient| ambient.borrow().clone()) {
        Some(events) => {
            events.lock().unwrap().clear();
            (events, None)
        }
        None => {
            let events = Events::default();
            let subscriber = tracing_subscriber::registry().with(Capture(Arc::clone(&events)));
            (events, Some(tracing::subscriber::set_default(subscriber)))
        }
    }
}

fn named(events: &Events, name: &str) -> Vec<BTreeMap<String, String>> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.get("event").map(String::as_str) == Some(name))
        .cloned()
        .collect()
}

/// Producer `p` (0-based) yields `p * 100 + i` for `i < per_producer`.
fn sources(producers: usize, per_producer: usize) -> Vec<Vec<u32>> {
    (0..producers)
        .map(|p| (0..per_producer).map(|i| (p * 100 + i) as u32).collect())
        .collect()
}

/// A started system whose `consumers` handler consumers record what they
/// receive into `handled`, with `log_items` on (so that `item_dropped`
/// names the item).
struct Running {
    system: ProducerConsumerSystem<u32>,
    sources: Vec<Vec<u32>>,
    handled: Arc<Mutex<Vec<u32>>>,
    stats: StatsHandle,
}

fn start(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: usize,
    retry: Option<Duration>,
) -> Running {
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
    let (events, _guard) = capture_events();
    let Running {
        system,
        sources,
        handled,
        stats,
    } = start(capacity, producers, per_producer, consumers, None);
    drop(system);

    let dropped: Vec<u32> = named(&events, "item_dropped")
        .iter()
        .map(|e| e["item"].parse().expect("the item's Debug text"))
        .collect();
    let complete = named(&events, "shutdown_complete");
    assert_eq!(complete.len(), 1, "one shutdown_complete per drop");
    assert_eq!(complete[0]["mode"], "drop");
    assert_eq!(complete[0]["undelivered"], dropped.len().to_string());

    let handled = handled.lock().unwrap().clone();
    let after = stats.snapshot();
    assert_eq!(after.total_consumed, handled.len(), "total_consumed");
    assert_eq!(
        after.items_in_transit,
        dropped.len(),
        "in transit = dropped"
    );
    assert_eq!(after.buffer_size, 0, "buffer left non-empty");
    let mut ended = handled;
    ended.extend(&dropped);
    assert_exactly_once(ended, taken(&sources, &stats));
}

/// How often each ending was reached, across the executions of one run.
#[derive(Debug, Default)]
pub struct Endings {
    pub drained: AtomicUsize,
    pub deadline_passed: AtomicUsize,
}

/// `shutdown_graceful_timeout` under the model timer (started by the
/// caller, with at least one firing): the timer may fire the deadline at
/// any point of the drain, or not at all. Producers retry their puts
/// without a deadline (`Duration::MAX`), so the shutdown's deadline is the
/// only timed wait. Either way every item taken from a source is handled
/// or undelivered, exactly once; drained means every item handled and
/// nothing undelivered; a passed deadline is reported by its event. Counts
/// the ending reached in `endings`, so that the caller can check that the
/// checker explored both.
pub fn graceful_timeout_conserves_items(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: usize,
    endings: &Endings,
) {
    let (events, _guard) = capture_events();
    let Running {
        system,
        sources,
        handled,
        stats,
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
            endings.drained.fetch_add(1, Ordering::Relaxed);
        }
        Ending::DeadlinePassed => {
            assert_eq!(passed, 1, "one deadline_passed event");
            endings.deadline_passed.fetch_add(1, Ordering::Relaxed);
        }
        other => panic!("unexpected ending {other:?}"),
    }
    assert_eq!(report.stats.items_in_transit, report.undelivered.len());
    let mut ended = handled;
    ended.extend(&report.undelivered);
    assert_exactly_once(ended, taken(&sources, &stats));
}
