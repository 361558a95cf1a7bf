//! Pipeline tests that need to see what the workers did, not only what the
//! counters say: they capture the `tracing` events the crate emits (target
//! `"prodcon"`, an `event` field naming each; see `src/events.rs`).
//!
//! Worker threads do not inherit a thread-local subscriber, so this test
//! binary installs one global subscriber, once, that records every
//! `prodcon` event with the thread that emitted it. The tests run one at a
//! time under [`SERIAL`]; each starts a new *generation*, and every thread
//! is tagged with the generation current when it emitted its first event
//! (`system_started`, `shutdown_started`, `producer_started`,
//! `consumer_started`). A test reads only its own generation's events, so
//! a worker left running by an earlier, failed test cannot leak into it.
#![cfg(not(any(loom, shuttle)))]

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

use prodcon::{ProducerConsumerSystem, Report};

#[path = "support/log.rs"]
#[allow(unreachable_pub)]
mod log;
use tracing_subscriber::layer::SubscriberExt;

// Mounted alone: the rest of `support/` is for the model checkers.
#[path = "support/events.rs"]
#[allow(dead_code, unreachable_pub)]
mod events;
use events::{Captured, Recorder};

/// A unique item: producer id and position in its source.
type Item = (usize, u64);

// --- Capturing events ----------------------------------------------------------

/// Every `prodcon` event recorded since the current test began, each with
/// the generation of the thread that emitted it.
static EVENTS: Mutex<Vec<(usize, Captured)>> = Mutex::new(Vec::new());

/// The current test's generation; bumped by [`begin`].
static GENERATION: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The generation this thread belongs to, set by its first event.
    static THREAD_GENERATION: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The events with which a thread starts its role: they tag the thread
/// with the current generation.
const FIRST_EVENTS: [&str; 4] = [
    "system_started",
    "shutdown_started",
    "producer_started",
    "consumer_started",
];

/// Held by each test for its whole run, so that only one system emits
/// events at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Appends a `prodcon` event to [`EVENTS`], with its thread's generation.
fn record(captured: Captured) {
    let starts = FIRST_EVENTS.contains(&captured.name());
    let generation = THREAD_GENERATION.with(|tag| match tag.get() {
        Some(generation) if !starts => generation,
        _ => {
            let current = GENERATION.load(Ordering::SeqCst);
            tag.set(Some(current));
            current
        }
    });
    EVENTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((generation, captured));
}

/// Installs the recording subscriber as the global default (once per test
/// binary), takes the test lock, starts a new generation and clears the
/// record.
fn begin() -> MutexGuard<'static, ()> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(Recorder(record));
        tracing::subscriber::set_global_default(subscriber)
            .expect("another global subscriber was installed");
    });
    // A test that failed while holding the lock leaves it poisoned; the
    // record is cleared anyway.
    let guard = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    GENERATION.fetch_add(1, Ordering::SeqCst);
    EVENTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    guard
}

/// The current test's events, in the order they were recorded (each
/// thread's in the order it emitted them). Call after the system is shut
/// down.
fn recorded() -> Vec<Captured> {
    let generation = GENERATION.load(Ordering::SeqCst);
    EVENTS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|(tag, _)| *tag == generation)
        .map(|(_, captured)| captured.clone())
        .collect()
}

/// The recorded events with the given name.
fn named<'a>(events: &'a [Captured], name: &str) -> Vec<&'a Captured> {
    events.iter().filter(|e| e.name() == name).collect()
}

/// The events of consumer `id`, in the order it emitted them.
fn consumer_events(events: &[Captured], id: usize) -> Vec<&Captured> {
    events
        .iter()
        .filter(|e| e.number("consumer") == Some(id))
        .collect()
}

/// How many `poison_pill` events each consumer emitted.
fn pills_per_consumer(events: &[Captured]) -> BTreeMap<usize, usize> {
    let mut pills = BTreeMap::new();
    for event in named(events, "poison_pill") {
        let id = event.number("consumer").expect("a pill names its consumer");
        *pills.entry(id).or_insert(0) += 1;
    }
    pills
}

// --- Helpers -------------------------------------------------------------------

fn source(id: usize, len: u64) -> impl Iterator<Item = Item> + Send + 'static {
    (0..len).map(move |seq| (id, seq))
}

type Log = log::Log<Item>;

/// Checks that consumer `id`'s events are: started, then only items
/// (consumed or failed), then — if `pill` — its one pill, then finished,
/// all on one thread; and that the counts in them match its stats.
fn assert_consumer_lifecycle<T>(events: &[Captured], report: &Report<T>, id: usize, pill: bool) {
    let own = consumer_events(events, id);
    let names: Vec<&str> = own.iter().map(|e| e.name()).collect();
    assert!(
        names.len() >= 2,
        "consumer {id} emitted too few events: {names:?}"
    );
    assert_eq!(names[0], "consumer_started", "consumer {id}: {names:?}");
    assert_eq!(
        names[names.len() - 1],
        "consumer_finished",
        "consumer {id}: {names:?}"
    );
    let body_end = if pill {
        assert_eq!(
            names[names.len() - 2],
            "poison_pill",
            "consumer {id} took something after its pill: {names:?}"
        );
        names.len() - 2
    } else {
        names.len() - 1
    };
    let body = &names[1..body_end];
    assert!(
        body.iter()
            .all(|&n| n == "consumed" || n == "handler_panicked"),
        "consumer {id}: unexpected events {names:?}"
    );
    let threads: HashSet<ThreadId> = own.iter().map(|e| e.thread).collect();
    assert_eq!(threads.len(), 1, "consumer {id} ran on several threads");

    let stats = &report.stats.consumers[id - 1];
    let consumed = body.iter().filter(|&&n| n == "consumed").count();
    let failed = body.iter().filter(|&&n| n == "handler_panicked").count();
    assert_eq!(
        (consumed, failed),
        (stats.items, stats.failed),
        "consumer {id}"
    );
    let finished = own[own.len() - 1].number("total");
    assert_eq!(
        finished,
        Some(stats.items),
        "consumer {id}'s finished total"
    );
    // The running totals count up 1, 2, 3, … in order.
    let totals: Vec<usize> = own
        .iter()
        .filter(|e| e.name() == "consumed")
        .map(|e| e.number("total").expect("consumed carries total"))
        .collect();
    assert_eq!(totals, (1..=stats.items).collect::<Vec<_>>());
}

// --- Poison pills --------------------------------------------------------------

/// A graceful shutdown gives each consumer (collecting or handler) exactly
/// one poison pill, the last thing it takes.
#[test]
fn graceful_shutdown_gives_each_consumer_exactly_one_pill() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    for id in 1..=3 {
        system.add_producer(source(id, 40)).unwrap();
    }
    for _ in 0..3 {
        system.add_consumer().unwrap();
    }
    system.add_consumer_with(drop).unwrap();
    system.add_consumer_with(drop).unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let expected: BTreeMap<usize, usize> = (1..=5).map(|id| (id, 1)).collect();
    assert_eq!(pills_per_consumer(&events), expected);
    for id in 1..=5 {
        assert_consumer_lifecycle(&events, &report, id, true);
    }
    assert_eq!(report.stats.total_consumed, 120);
}

/// Under high contention (32 × 32 at capacity 1) each consumer still gets
/// exactly one pill and takes nothing after it.
#[test]
fn graceful_high_contention_gives_each_of_32_consumers_one_pill() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    for id in 1..=32 {
        system.add_producer(source(id, 30)).unwrap();
    }
    for _ in 0..32 {
        system.add_consumer().unwrap();
    }
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let expected: BTreeMap<usize, usize> = (1..=32).map(|id| (id, 1)).collect();
    assert_eq!(pills_per_consumer(&events), expected);
    for id in 1..=32 {
        assert_consumer_lifecycle(&events, &report, id, true);
    }
    assert_eq!(report.consumed.len(), 32 * 30);
}

/// Handler consumers see every item before their pill: what each handler
/// saw equals its `consumer_finished` total and its stats, and all items
/// are seen exactly once across them.
#[test]
fn consumers_take_nothing_after_their_pill() {
    let _serial = begin();
    let logs: Vec<Log> = (0..4).map(|_| Log::default()).collect();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    for id in 1..=4 {
        system.add_producer(source(id, 50)).unwrap();
    }
    for (i, log) in logs.iter().enumerate() {
        let log = log.clone();
        assert_eq!(
            system.add_consumer_with(move |item| log.push(item)),
            Ok(i + 1)
        );
    }
    system
        .set_consumer_delay(Duration::from_micros(200))
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let mut seen = BTreeSet::new();
    for (i, log) in logs.iter().enumerate() {
        let id = i + 1;
        assert_consumer_lifecycle(&events, &report, id, true);
        let items = log.items();
        let finished = consumer_events(&events, id)
            .last()
            .and_then(|e| e.number("total"));
        assert_eq!(finished, Some(items.len()), "consumer {id}");
        assert_eq!(report.stats.consumers[i].items, items.len());
        for item in items {
            assert!(seen.insert(item), "{item:?} seen twice");
        }
    }
    let all: BTreeSet<Item> = (1..=4).flat_map(|id| source(id, 50)).collect();
    assert_eq!(seen, all);
    assert!(report.undelivered.is_empty());
}

/// A forceful shutdown sends no pills: each consumer stops when the buffer
/// is closed and empty, after the item in hand.
#[test]
fn shutdown_now_sends_no_pills() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    for id in 1..=2 {
        system
            .add_producer((0u64..).map(move |seq| (id, seq)))
            .unwrap();
    }
    system.add_consumer().unwrap();
    system.add_consumer_with(drop).unwrap();
    system.start().unwrap();
    thread::sleep(Duration::from_millis(20));
    let report = system.shutdown_now();
    let events = recorded();

    assert!(named(&events, "poison_pill").is_empty());
    for id in 1..=2 {
        assert_consumer_lifecycle(&events, &report, id, false);
    }
}

// --- Event contents ------------------------------------------------------------

/// With `log_items`, each `produced` and `consumed` event carries the
/// item's `Debug` text in `item`, for every item exactly once.
#[test]
fn log_items_puts_debug_text_in_item_field() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    for p in 1..=3 {
        system
            .add_producer((0..10).map(move |i| format!("P{p}-{i}")))
            .unwrap();
    }
    system.add_consumer().unwrap();
    system.add_consumer().unwrap();
    system.log_items().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let mut expected: Vec<String> = report.consumed.iter().map(|s| format!("{s:?}")).collect();
    expected.sort();
    assert_eq!(expected.len(), 30);
    assert!(expected.contains(&"\"P2-7\"".to_owned()));
    for name in ["produced", "consumed"] {
        let mut items: Vec<String> = named(&events, name)
            .iter()
            .map(|e| e.text("item").expect("item field").to_owned())
            .collect();
        items.sort();
        assert_eq!(items, expected, "the `item` fields of `{name}` events");
    }
    // The producer named in each `produced` event made that item.
    for event in named(&events, "produced") {
        let producer = event.number("producer").unwrap();
        let item = event.text("item").unwrap();
        assert!(
            item.starts_with(&format!("\"P{producer}-")),
            "producer {producer} produced {item}"
        );
    }
}

/// An item's `produced` event comes before its `consumed` event: the
/// producer reports the item while it is still in hand, before the put
/// that lets a consumer take it. Capacity 1 and many consumers make a
/// consumer's event race the producer's as often as it can.
#[test]
fn produced_event_precedes_consumed_event_of_the_same_item() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    for p in 1..=2 {
        system
            .add_producer((0..200).map(move |i| format!("P{p}-{i}")))
            .unwrap();
    }
    for _ in 0..4 {
        system.add_consumer().unwrap();
    }
    system.log_items().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();
    assert_eq!(report.consumed.len(), 400);

    let mut produced_at = BTreeMap::new();
    let mut checked = 0;
    for (at, event) in events.iter().enumerate() {
        let Some(item) = event.text("item") else {
            continue;
        };
        match event.name() {
            "produced" => {
                produced_at.insert(item.to_owned(), at);
            }
            "consumed" => {
                assert!(
                    produced_at.contains_key(item),
                    "{item} was consumed (event {at}) before it was produced"
                );
                checked += 1;
            }
            _ => {}
        }
    }
    assert_eq!(checked, 400);
}

/// Without `log_items`, no event carries an `item` field.
#[test]
fn events_carry_no_item_field_without_log_items() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    system.add_producer(source(1, 20)).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    assert_eq!(report.consumed.len(), 20);
    assert_eq!(named(&events, "produced").len(), 20);
    assert_eq!(named(&events, "consumed").len(), 20);
    assert!(events.iter().all(|e| e.text("item").is_none()));
}

/// The lifecycle events carry the right numbers: `system_started` the
/// worker counts, `produced` running totals per producer, and
/// `shutdown_complete` the report's consumed and undelivered counts.
#[test]
fn lifecycle_events_match_the_report() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.add_producer(source(1, 12)).unwrap();
    system.add_producer(source(2, 7)).unwrap();
    for _ in 0..3 {
        system.add_consumer().unwrap();
    }
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let started = named(&events, "system_started");
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].number("producers"), Some(2));
    assert_eq!(started[0].number("consumers"), Some(3));
    for (id, len) in [(1, 12), (2, 7)] {
        let totals: Vec<usize> = named(&events, "produced")
            .iter()
            .filter(|e| e.number("producer") == Some(id))
            .map(|e| e.number("total").unwrap())
            .collect();
        assert_eq!(totals, (1..=len).collect::<Vec<_>>(), "producer {id}");
        let finished: Vec<_> = named(&events, "producer_finished")
            .iter()
            .filter(|e| e.number("producer") == Some(id))
            .map(|e| e.number("total"))
            .collect();
        assert_eq!(finished, [Some(len)], "producer {id}");
    }
    assert_eq!(named(&events, "producers_finished").len(), 1);
    for id in [1, 2] {
        let started = named(&events, "producer_started")
            .iter()
            .filter(|e| e.number("producer") == Some(id))
            .count();
        assert_eq!(started, 1, "producer {id} announces its start once");
    }
    let shutdown = named(&events, "shutdown_started");
    assert_eq!(shutdown.len(), 1);
    assert_eq!(shutdown[0].text("mode"), Some("graceful"));
    let complete = named(&events, "shutdown_complete");
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0].text("mode"), Some("graceful"));
    assert_eq!(complete[0].number("consumed"), Some(report.consumed.len()));
    assert_eq!(complete[0].number("undelivered"), Some(0));
    assert_eq!(
        events.last().map(Captured::name),
        Some("shutdown_complete"),
        "shutdown_complete is the last event"
    );
}

/// After `shutdown_now`, `shutdown_complete` reports the undelivered count
/// of the report, and every stopped producer reports `producer_stopped`.
#[test]
fn forceful_shutdown_events_match_the_report() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    for id in 1..=3 {
        system
            .add_producer((0u64..).map(move |seq| (id, seq)))
            .unwrap();
    }
    system.add_consumer().unwrap();
    system.set_consumer_delay(Duration::from_millis(5)).unwrap();
    system.start().unwrap();
    thread::sleep(Duration::from_millis(30));
    let report = system.shutdown_now();
    let events = recorded();

    let complete = named(&events, "shutdown_complete");
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0].text("mode"), Some("now"));
    assert_eq!(complete[0].number("consumed"), Some(report.consumed.len()));
    assert_eq!(
        complete[0].number("undelivered"),
        Some(report.undelivered.len())
    );
    // An endless producer ends only by the close: with `producer_stopped`
    // and its total, never `producer_finished`.
    for worker in &report.stats.producers {
        let stopped: Vec<_> = named(&events, "producer_stopped")
            .iter()
            .filter(|e| e.number("producer") == Some(worker.id))
            .map(|e| e.number("total"))
            .collect();
        assert_eq!(stopped, [Some(worker.items)], "producer {}", worker.id);
    }
    assert!(named(&events, "producer_finished").is_empty());
}

/// Panics are reported: `handler_panicked` with the consumer and its
/// running failure count, `producer_panicked` with the producer.
#[test]
fn panics_emit_handler_and_producer_panicked_events() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system
        .add_producer((0u64..10).map(|seq| {
            assert!(seq < 8, "source fails at 8");
            (1, seq)
        }))
        .unwrap();
    system.add_producer(source(2, 10)).unwrap();
    system
        .add_consumer_with(|item: Item| assert!(item.1 % 4 != 0, "fails on multiples of 4"))
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();

    let producer_panics: Vec<_> = named(&events, "producer_panicked")
        .iter()
        .map(|e| e.number("producer"))
        .collect();
    assert_eq!(producer_panics, [Some(1)]);
    // Producer 1 failed at 8 (0 and 4 fail), producer 2 made 0..10 (0, 4, 8).
    let failed: Vec<_> = named(&events, "handler_panicked")
        .iter()
        .map(|e| (e.number("consumer"), e.number("failed")))
        .collect();
    assert_eq!(
        failed,
        (1..=5).map(|n| (Some(1), Some(n))).collect::<Vec<_>>()
    );
    assert_eq!(report.stats.total_failed, 5);
    assert_eq!(report.stats.total_consumed, 8 + 10 - 5);
    assert_consumer_lifecycle(&events, &report, 1, true);
}

// --- User code in `Debug` (log_items) ------------------------------------------

/// How long a shutdown of a handful of items may take before it counts as
/// hung. Only a hang detector, generous on purpose: nothing here asserts
/// speed, and a correct shutdown of five items takes microseconds.
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// An item whose `Debug` panics when it is formatted for the
/// `formatted_panics_at`-th time (1: by its producer, 2: by its consumer).
#[derive(Default)]
struct Touchy {
    id: u64,
    formatted: AtomicUsize,
    formatted_panics_at: usize,
}

impl fmt::Debug for Touchy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = self.formatted.fetch_add(1, Ordering::SeqCst) + 1;
        assert!(
            call != self.formatted_panics_at,
            "Debug of item {} fails on call {call}",
            self.id
        );
        write!(f, "Touchy({})", self.id)
    }
}

/// Runs a graceful shutdown on its own thread and returns its report, or
/// a description of how it failed: it panicked, or it hung.
fn graceful_or_failure<T: Send + 'static>(
    system: ProducerConsumerSystem<T>,
) -> Result<Report<T>, String> {
    let (done, outcome) = mpsc::channel();
    thread::spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(|| system.shutdown_graceful()));
        let _ = done.send(result);
    });
    match outcome.recv_timeout(HANG_LIMIT) {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("shutdown_graceful panicked: {message}"))
        }
        Err(_) => Err(format!(
            "shutdown_graceful hung (no return in {HANG_LIMIT:?})"
        )),
    }
}

/// Five `Touchy` items, the one with id 2 failing on its `nth` `Debug`.
fn touchy_source(nth: usize) -> impl Iterator<Item = Touchy> + Send + 'static {
    (0..5).map(move |id| Touchy {
        id,
        formatted_panics_at: if id == 2 { nth } else { 0 },
        ..Touchy::default()
    })
}

/// Checks that every item was consumed or undelivered exactly once.
fn assert_touchy_conserved(report: &Report<Touchy>) {
    let mut ids: Vec<u64> = report
        .consumed
        .iter()
        .chain(&report.undelivered)
        .map(|t| t.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [0, 1, 2, 3, 4], "{:?}", report.stats);
    assert_eq!(report.stats.total_produced, 5);
    assert_eq!(
        report.stats.total_consumed + report.stats.total_failed + report.undelivered.len(),
        5
    );
}

/// With `log_items`, an item `Debug` that panics on the consumer's side
/// (user code, like a handler) must not hang the graceful shutdown nor
/// lose the item.
///
/// A regression test: the consumer used to format the item outside any
/// `catch_unwind`, so the panic ended the consumer thread with the item
/// taken but never marked done, and `shutdown_graceful` waited in
/// `buffer.join()` forever. `events::label` now catches it.
#[test]
fn log_items_debug_panic_in_consumer_neither_hangs_nor_loses_the_item() {
    shut_down_with_a_touchy_item(2);
}

/// Runs 1 producer of [`touchy_source`]`(nth)` and 1 consumer with
/// `log_items` on, shuts down gracefully (a hang or a panic is a failure)
/// and checks that every item was conserved.
fn shut_down_with_a_touchy_item(nth: usize) {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(8).unwrap();
    system.add_producer(touchy_source(nth)).unwrap();
    system.add_consumer().unwrap();
    system.log_items().unwrap();
    system.start().unwrap();
    let report = graceful_or_failure(system).unwrap_or_else(|failure| panic!("{failure}"));
    assert_touchy_conserved(&report);
}

/// With `log_items`, an item `Debug` that panics on the producer's side
/// (user code, like a source) must not make the graceful shutdown panic
/// nor lose the item.
///
/// A regression test: the producer used to format the item outside any
/// `catch_unwind`, so the panic ended the producer thread holding a
/// counted item, and `shutdown_graceful` re-raised the panic when it
/// joined it. `events::label` now catches it.
#[test]
fn log_items_debug_panic_in_producer_neither_panics_the_shutdown_nor_loses_the_item() {
    shut_down_with_a_touchy_item(1);
}

/// A producer whose timed put runs out while the buffer stays full reports
/// each retry with a `producer_retry` event, and loses nothing by retrying.
#[test]
fn a_put_that_times_out_is_retried_and_reported() {
    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    system.add_producer(source(1, 4)).unwrap();
    system.add_consumer().unwrap();
    // The consumer holds each item 30 ms while the buffer (capacity 1) is
    // full behind it, so a producer retrying every millisecond must retry.
    system
        .set_consumer_delay(Duration::from_millis(30))
        .unwrap();
    system
        .set_put_retry_interval(Duration::from_millis(1))
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    let events = recorded();
    let retries = named(&events, "producer_retry");
    assert!(!retries.is_empty(), "no retry was reported");
    assert!(retries.iter().all(|e| e.number("producer") == Some(1)));
    let mut consumed = report.consumed.clone();
    consumed.sort_unstable();
    assert_eq!(consumed, (0..4).map(|seq| (1, seq)).collect::<Vec<_>>());
}

/// A graceful shutdown whose deadline passes says so with a
/// `deadline_passed` event, after `shutdown_started` and before
/// `shutdown_complete`; one that drains in time emits none.
#[test]
fn a_passed_deadline_is_reported_by_an_event() {
    let serial = begin();
    let mut system = ProducerConsumerSystem::new(4).unwrap();
    system.add_producer((0u64..).map(|seq| (1, seq))).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful_timeout(Duration::from_millis(50));
    assert_eq!(report.ending, prodcon::Ending::DeadlinePassed);
    let events = recorded();
    let names: Vec<&str> = events.iter().map(Captured::name).collect();
    let at = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("no {name} event: {names:?}"))
    };
    assert_eq!(named(&events, "deadline_passed").len(), 1, "{names:?}");
    assert!(at("shutdown_started") < at("deadline_passed"), "{names:?}");
    assert!(at("deadline_passed") < at("shutdown_complete"), "{names:?}");
    drop(serial);

    let _serial = begin();
    let mut system = ProducerConsumerSystem::new(4).unwrap();
    system.add_producer(source(1, 10)).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful_timeout(Duration::from_secs(600));
    assert_eq!(report.ending, prodcon::Ending::Drained);
    assert!(named(&recorded(), "deadline_passed").is_empty());
}
