//! The pipeline's robustness contract: dropping a running system
//! stops and joins it and reports what it drops; live stats from another
//! thread; the graceful shutdown with a deadline.
#![cfg(not(any(loom, shuttle)))]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, mpsc};
use std::thread;
use std::time::Duration;

use prodcon::{Ending, ProducerConsumerSystem, Stats, StatsHandle};
use tracing_subscriber::layer::SubscriberExt;

// The tests' one capture layer, mounted alone: the rest of `support/` is
// for the model checkers.
#[path = "support/events.rs"]
#[allow(dead_code, unreachable_pub)]
mod events;
use events::{Captured, Recorder};

/// Waits (polling) until `done` holds; fails instead of hanging.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..20_000 {
        if done() {
            return;
        }
        thread::sleep(Duration::from_millis(1));
    }
    panic!("gave up waiting for {what}");
}

/// Every `prodcon` event, with the thread that emitted it. One global
/// subscriber, installed once: a thread-local one is not enough, because
/// tracing caches whether a call site is enabled from the first thread
/// that reaches it, and a worker thread has no subscriber. The drop events
/// are emitted on the thread that drops the system, so each test reads
/// only its own thread's events.
static EVENTS: Mutex<Vec<Captured>> = Mutex::new(Vec::new());

fn record_events() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(Recorder(|event: Captured| {
            EVENTS
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(event);
        }));
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
}

/// The events named `name` that this thread emitted.
fn events_on_this_thread(name: &str) -> Vec<Captured> {
    let me = thread::current().id();
    let events = EVENTS.lock().unwrap_or_else(PoisonError::into_inner);
    events
        .iter()
        .filter(|e| e.thread == me && e.name() == name)
        .cloned()
        .collect()
}

/// Every snapshot obeys the counting rule, whoever reads it.
#[track_caller]
fn assert_consistent(stats: &Stats) {
    assert!(
        stats.total_consumed + stats.total_failed <= stats.total_produced,
        "more consumed than produced: {stats:?}"
    );
    assert_eq!(
        stats.items_in_transit,
        stats.total_produced - stats.total_consumed - stats.total_failed
    );
}

// --- Drop -------------------------------------------------------------------

/// Before `drop` returns, every worker thread has ended, including a
/// handler that was busy with an item when the system was dropped.
#[test]
fn drop_of_a_running_system_joins_every_thread_before_returning() {
    let finished = Arc::new(AtomicBool::new(false));
    let (started, handler_started) = mpsc::channel();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.add_producer(0u64..).unwrap(); // never ends
    let flag = Arc::clone(&finished);
    system
        .add_consumer_with(move |_| {
            let _ = started.send(());
            thread::sleep(Duration::from_millis(200));
            flag.store(true, Ordering::SeqCst);
        })
        .unwrap();
    system.start().unwrap();
    handler_started.recv().unwrap();
    drop(system);
    assert!(
        finished.load(Ordering::SeqCst),
        "drop returned while a handler was still running"
    );
}

/// A dropped system reports each item it did not deliver in an
/// `item_dropped` event (with the item, after `log_items`), then the counts
/// in `shutdown_complete` with mode "drop"; with what the handler got,
/// that is every item taken from the source, once.
#[test]
fn drop_reports_each_undelivered_item_in_an_event() {
    record_events();

    let handled = Arc::new(Mutex::new(Vec::new()));
    let (started, handler_started) = mpsc::channel();
    let gate = Arc::new(AtomicBool::new(false));
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.log_items().unwrap();
    system.add_producer(0u32..).unwrap();
    let record = Arc::clone(&handled);
    let open = Arc::clone(&gate);
    system
        .add_consumer_with(move |item| {
            // The first item is held until the drop has closed the
            // buffer: the buffer fills and the producer holds one more.
            let _ = started.send(());
            while !open.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(1));
            }
            record.lock().unwrap().push(item);
        })
        .unwrap();
    let stats = system.stats_handle();
    system.start().unwrap();
    handler_started.recv().unwrap();
    // One item in the handler, two buffered, one in the producer's hand.
    wait_until("a full buffer and a held item", || {
        let s = stats.snapshot();
        s.buffer_size == 2 && s.total_produced == 4
    });
    // Opens the gate once this thread has begun the drop (which closes
    // the buffer before it waits for the consumer).
    let me = thread::current().id();
    let releaser = thread::spawn(move || {
        wait_until("the drop to begin", || {
            let events = EVENTS.lock().unwrap_or_else(PoisonError::into_inner);
            events.iter().any(|e| {
                e.thread == me && e.name() == "shutdown_started" && e.text("mode") == Some("drop")
            })
        });
        gate.store(true, Ordering::SeqCst);
    });
    drop(system);
    releaser.join().unwrap();

    let dropped: Vec<u32> = events_on_this_thread("item_dropped")
        .iter()
        .map(|e| {
            e.text("item")
                .expect("an item field")
                .parse()
                .expect("item is the u32's Debug text")
        })
        .collect();
    let complete = events_on_this_thread("shutdown_complete");
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0].text("mode"), Some("drop"));
    assert_eq!(complete[0].number("undelivered"), Some(dropped.len()));
    assert_eq!(dropped, [1, 2, 3], "buffered items, then the producer's");

    let after = stats.snapshot();
    assert_consistent(&after);
    let mut all = handled.lock().unwrap().clone();
    all.extend(&dropped);
    all.sort_unstable();
    assert_eq!(all, (0..after.total_produced as u32).collect::<Vec<_>>());
    assert_eq!(after.items_in_transit, dropped.len());
}

/// Dropping a system that was never started, or was shut down, emits no
/// drop events and does not block.
#[test]
fn drop_of_a_system_not_running_does_nothing() {
    record_events();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.add_producer(0u8..).unwrap();
    system.add_consumer().unwrap();
    drop(system);
    assert!(events_on_this_thread("shutdown_started").is_empty());
}

// --- Live stats -------------------------------------------------------------

fn assert_clone_send_sync<H: Clone + Send + Sync + 'static>(_: &H) {}

/// A monitor thread reads the live stats through a handle while the
/// system runs: every snapshot obeys the counting rule, totals never go
/// down, it sees the run progress, and after the shutdown it reads the
/// report's final counters.
#[test]
fn stats_handle_reads_live_stats_from_another_thread() {
    const ITEMS: u64 = 20_000;
    let mut system = ProducerConsumerSystem::new(8).unwrap();
    // Taken before the workers are registered: it still sees them.
    let handle: StatsHandle = system.stats_handle();
    assert_clone_send_sync(&handle);
    assert_eq!(format!("{handle:?}"), "StatsHandle { .. }");
    for p in 0..4 {
        system
            .add_producer((0..ITEMS).map(move |i| p * ITEMS + i))
            .unwrap();
    }
    for c in 0..4 {
        system
            .add_consumer_with(move |n: u64| assert!(c != 3 || n % 97 != 0, "fails on {n}"))
            .unwrap();
    }
    system.start().unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let monitor = {
        let handle = handle.clone();
        let stop = Arc::clone(&stop);
        thread::spawn(move || {
            let mut last = (0, 0, 0);
            let mut reads = 0usize;
            let mut saw_progress = false;
            while !stop.load(Ordering::SeqCst) {
                let s = handle.snapshot();
                assert_consistent(&s);
                assert_eq!((s.num_producers, s.num_consumers), (4, 4));
                assert!(s.buffer_size <= 8);
                let now = (s.total_produced, s.total_consumed, s.total_failed);
                assert!(now.0 >= last.0 && now.1 >= last.1 && now.2 >= last.2);
                saw_progress |= now.1 > 0 && now.0 < 4 * ITEMS as usize;
                last = now;
                reads += 1;
            }
            (reads, saw_progress)
        })
    };
    // Wait, through the handle on this thread too, until the run is halfway.
    wait_until("half the items consumed", || {
        handle.snapshot().total_consumed >= 2 * ITEMS as usize
    });
    let report = system.shutdown_graceful();
    stop.store(true, Ordering::SeqCst);
    let (reads, _saw_progress) = monitor.join().unwrap();
    assert!(reads > 0);
    assert_eq!(handle.snapshot(), report.stats);
    assert_eq!(report.stats.total_produced, 4 * ITEMS as usize);
    assert_eq!(
        report.stats.total_consumed + report.stats.total_failed,
        4 * ITEMS as usize
    );
}

// --- Graceful with a deadline -------------------------------------------------

/// An endless source: the deadline passes while waiting for the sources,
/// the report says so, and every item taken is consumed or undelivered,
/// exactly once, in the producer's order.
#[test]
fn graceful_timeout_with_an_endless_source_stops_at_the_deadline() {
    let mut system = ProducerConsumerSystem::new(4).unwrap();
    system.add_producer(0u64..).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful_timeout(Duration::from_millis(50));
    assert_eq!(report.ending, Ending::DeadlinePassed);
    assert_consistent(&report.stats);
    let taken = report.stats.total_produced as u64;
    assert_eq!(
        report.consumed,
        (0..report.consumed.len() as u64).collect::<Vec<_>>()
    );
    let mut all = report.consumed.clone();
    all.extend(&report.undelivered);
    all.sort_unstable();
    assert_eq!(all, (0..taken).collect::<Vec<_>>());
    assert_eq!(report.stats.items_in_transit, report.undelivered.len());
}

/// Every source ends at once but the consumer is slow: the deadline passes
/// while the items are being handled; the handled ones and the undelivered
/// ones are all the items, exactly once.
#[test]
fn graceful_timeout_with_a_slow_consumer_stops_at_the_deadline() {
    const ITEMS: u32 = 1000; // 20 s of handling: far past the deadline
    let handled = Arc::new(Mutex::new(Vec::new()));
    let mut system = ProducerConsumerSystem::new(ITEMS as usize).unwrap();
    system.add_producer(0..ITEMS).unwrap();
    let record = Arc::clone(&handled);
    system
        .add_consumer_with(move |item| {
            thread::sleep(Duration::from_millis(20));
            record.lock().unwrap().push(item);
        })
        .unwrap();
    let stats = system.stats_handle();
    system.start().unwrap();
    // The source has ended: what is left to wait for is the consumer.
    wait_until("the source to end", || {
        stats.snapshot().total_produced == ITEMS as usize
    });
    let report = system.shutdown_graceful_timeout(Duration::from_millis(50));
    assert_eq!(report.ending, Ending::DeadlinePassed);
    assert_consistent(&report.stats);
    assert!(!report.undelivered.is_empty());
    let mut all = handled.lock().unwrap().clone();
    assert_eq!(all.len(), report.stats.total_consumed);
    all.extend(&report.undelivered);
    all.sort_unstable();
    assert_eq!(all, (0..ITEMS).collect::<Vec<_>>());
}

/// A deadline that is not reached: the report is a graceful one.
#[test]
fn graceful_timeout_met_drains_everything() {
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    for p in 0..3u32 {
        system
            .add_producer((0..100).map(move |i| p * 100 + i))
            .unwrap();
    }
    system.add_consumer().unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful_timeout(Duration::from_secs(600));
    assert_eq!(report.ending, Ending::Drained);
    assert!(report.undelivered.is_empty());
    let mut all = report.consumed.clone();
    all.sort_unstable();
    assert_eq!(all, (0..300).collect::<Vec<_>>());
    assert_eq!(report.stats.buffer_size, 0);
}

/// The other shutdowns say how they ended too.
#[test]
fn report_ending_of_the_other_shutdowns() {
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.add_producer(0..5).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    assert_eq!(system.shutdown_graceful().ending, Ending::Drained);
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    system.add_producer(0..).unwrap();
    system.add_consumer().unwrap();
    system.start().unwrap();
    assert_eq!(system.shutdown_now().ending, Ending::Stopped);
}
