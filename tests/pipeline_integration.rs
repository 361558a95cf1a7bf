//! Integration tests for `ProducerConsumerSystem<T>` on std threads: the
//! seed system's scenarios (1:1, N:1, 1:M, N:M, high contention) and the
//! edge cases of the "Pipeline contract" in DESIGN.md.
//!
//! Every item is a unique `(producer id, sequence number)` pair, so each
//! test can check the accounting invariant exactly: every item a producer
//! took from its source (the first `stats.producers[p].items` of its
//! sequence) ends in exactly one of the collected items, a handler, the
//! failed items, or `report.undelivered`; nothing twice, nothing missing.
//!
//! Tests that want a worker to be blocked before they act give it a short
//! head start ([`settle`]); what they assert holds whether or not it had
//! blocked yet. Nothing here asserts that anything was fast.
#![cfg(not(any(loom, shuttle)))]

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use prodcon::{ProducerConsumerSystem, Report, Stats, SystemError};

#[path = "support/log.rs"]
#[allow(unreachable_pub)]
mod log;

/// A unique item: the 1-based id of the producer that made it and its
/// position in that producer's source.
type Item = (usize, u64);

/// Head start given to workers that are about to block.
const SETTLE: Duration = Duration::from_millis(50);

/// Lets freshly started workers reach their blocking call.
fn settle() {
    thread::sleep(SETTLE);
}

/// The source of producer `id`: `(id, 0)`, `(id, 1)`, … `(id, len - 1)`.
fn source(id: usize, len: u64) -> impl Iterator<Item = Item> + Send + 'static {
    (0..len).map(move |seq| (id, seq))
}

/// A source that never ends.
fn endless(id: usize) -> impl Iterator<Item = Item> + Send + 'static {
    (0u64..).map(move |seq| (id, seq))
}

type Log = log::Log<Item>;

/// Registers producer `p` (1-based) for each entry of `lengths`, checking
/// that the ids come back 1-based in registration order.
fn add_producers(system: &mut ProducerConsumerSystem<Item>, lengths: &[u64]) {
    for (i, &len) in lengths.iter().enumerate() {
        let id = i + 1;
        assert_eq!(system.add_producer(source(id, len)), Ok(id));
    }
}

/// Registers `count` collecting consumers, checking their ids.
fn add_collectors(system: &mut ProducerConsumerSystem<Item>, count: usize) {
    for _ in 0..count {
        let expected = system.stats().num_consumers + 1;
        assert_eq!(system.add_consumer(), Ok(expected));
    }
}

/// Every item in `got` exactly once, and nothing else.
fn assert_exactly_once(got: &[Item], expected: &BTreeSet<Item>) {
    let mut seen = BTreeSet::new();
    for item in got {
        assert!(seen.insert(*item), "item {item:?} delivered twice");
    }
    let missing: Vec<_> = expected.difference(&seen).collect();
    let foreign: Vec<_> = seen.difference(expected).collect();
    assert!(missing.is_empty(), "items never delivered: {missing:?}");
    assert!(foreign.is_empty(), "items never produced: {foreign:?}");
}

/// The items of sources of the given lengths.
fn expected_items(lengths: &[u64]) -> BTreeSet<Item> {
    lengths
        .iter()
        .enumerate()
        .flat_map(|(i, &len)| source(i + 1, len))
        .collect()
}

/// The items the producers actually took from their sources, according to
/// their final counts: the first `items` of each producer's sequence.
fn taken_items(stats: &Stats) -> BTreeSet<Item> {
    stats
        .producers
        .iter()
        .flat_map(|w| source(w.id, w.items as u64))
        .collect()
}

/// The counters add up: totals are the sums of the per-worker counts, ids
/// are 1-based in order, in-transit is what is neither consumed nor failed,
/// and every produced item is consumed, failed or undelivered.
fn assert_stats_add_up<T>(report: &Report<T>, producers: usize, consumers: usize) {
    let stats = &report.stats;
    assert_eq!(stats.num_producers, producers);
    assert_eq!(stats.num_consumers, consumers);
    assert_eq!(stats.producers.len(), producers);
    assert_eq!(stats.consumers.len(), consumers);
    for (i, worker) in stats.producers.iter().enumerate() {
        assert_eq!(worker.id, i + 1, "producer ids are 1-based, in order");
        assert_eq!(worker.failed, 0, "a producer never counts failures");
    }
    for (i, worker) in stats.consumers.iter().enumerate() {
        assert_eq!(worker.id, i + 1, "consumer ids are 1-based, in order");
    }
    let produced: usize = stats.producers.iter().map(|w| w.items).sum();
    let consumed: usize = stats.consumers.iter().map(|w| w.items).sum();
    let failed: usize = stats.consumers.iter().map(|w| w.failed).sum();
    assert_eq!(stats.total_produced, produced);
    assert_eq!(stats.total_consumed, consumed);
    assert_eq!(stats.total_failed, failed);
    assert_eq!(
        stats.total_produced,
        stats.total_consumed + stats.total_failed + report.undelivered.len(),
        "every produced item is consumed, failed or undelivered: {stats:?}",
    );
    assert_eq!(stats.items_in_transit, report.undelivered.len());
    assert_eq!(stats.buffer_size, 0, "a shut-down system's buffer is empty");
}

/// What a graceful shutdown promises on top: nothing undelivered, nothing
/// in transit.
fn assert_graceful<T>(report: &Report<T>) {
    assert!(
        report.undelivered.is_empty(),
        "{} items undelivered after a graceful shutdown",
        report.undelivered.len(),
    );
    assert_eq!(report.stats.items_in_transit, 0);
    assert_eq!(report.stats.buffer_size, 0);
}

/// Each producer's items appear in `items` in the order it made them.
fn assert_in_order_per_producer(items: &[Item]) {
    let mut last = std::collections::HashMap::new();
    for &(p, seq) in items {
        if let Some(prev) = last.insert(p, seq) {
            assert!(prev < seq, "producer {p}'s item {seq} came after {prev}");
        }
    }
}

/// Runs `lengths.len()` producers and `consumers` collecting consumers at
/// `capacity` to a graceful shutdown and checks exactly-once delivery and
/// the stats.
fn run_graceful(capacity: usize, lengths: &[u64], consumers: usize) -> Report<Item> {
    let mut system = ProducerConsumerSystem::new(capacity).unwrap();
    add_producers(&mut system, lengths);
    add_collectors(&mut system, consumers);
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(lengths));
    assert_graceful(&report);
    assert_stats_add_up(&report, lengths.len(), consumers);
    assert_eq!(report.stats.total_failed, 0);
    for (worker, &len) in report.stats.producers.iter().zip(lengths) {
        assert_eq!(worker.items as u64, len, "producer {}", worker.id);
        assert!(!worker.panicked);
    }
    assert!(report.stats.consumers.iter().all(|w| !w.panicked));
    report
}

/// Checks the accounting invariant after any shutdown: every item taken
/// from a source is in exactly one of collected, handled, failed or
/// undelivered.
fn assert_conserved(report: &Report<Item>, handled: &Log, failed: &Log) {
    let handled = handled.items();
    let failed = failed.items();
    let mut all = report.consumed.clone();
    all.extend(&handled);
    all.extend(&failed);
    all.extend(&report.undelivered);
    assert_exactly_once(&all, &taken_items(&report.stats));
    assert_eq!(
        report.stats.total_consumed,
        report.consumed.len() + handled.len()
    );
    assert_eq!(report.stats.total_failed, failed.len());
}

// --- The seed's integration scenarios ------------------------------------------

/// 1:1: one producer's items all reach the one consumer, once, in order.
#[test]
fn graceful_one_to_one_delivers_each_item_once_in_order() {
    let report = run_graceful(5, &[200], 1);
    assert_eq!(report.consumed, source(1, 200).collect::<Vec<_>>());
    assert_eq!(report.stats.consumers[0].items, 200);
}

/// N:1: four producers' items all reach the one consumer, once, each
/// producer's in its order.
#[test]
fn graceful_n_to_one_delivers_each_item_once() {
    let report = run_graceful(3, &[50, 10, 0, 80], 1);
    assert_in_order_per_producer(&report.consumed);
    assert_eq!(report.stats.consumers[0].items, 140);
}

/// 1:M: one producer's items are shared among four consumers, each
/// exactly once.
#[test]
fn graceful_one_to_m_delivers_each_item_once() {
    run_graceful(2, &[300], 4);
}

/// N:M: four producers and three consumers, each item exactly once.
#[test]
fn graceful_n_to_m_delivers_each_item_once() {
    run_graceful(5, &[40, 1, 75, 20], 3);
}

/// The seed's demo (3 producers × 10 items, 2 consumers, capacity 5, small
/// delays on both sides) delivers all 30 items once.
#[test]
fn graceful_seed_demo_with_delays_delivers_each_item_once() {
    let mut system = ProducerConsumerSystem::new(5).unwrap();
    add_producers(&mut system, &[10, 10, 10]);
    add_collectors(&mut system, 2);
    system
        .set_producer_delay(Duration::from_micros(500))
        .unwrap();
    system
        .set_consumer_delay(Duration::from_micros(700))
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&[10, 10, 10]));
    assert_graceful(&report);
    assert_stats_add_up(&report, 3, 2);
    assert_eq!(report.stats.total_consumed, 30);
}

/// High contention: 32 producers and 32 consumers at capacity 1 deliver
/// every item once, and the pills reach every consumer (no hang).
#[test]
fn graceful_high_contention_32_by_32_at_capacity_1_delivers_each_item_once() {
    let lengths: Vec<u64> = (0..32).map(|p| 100 + p % 7).collect();
    run_graceful(1, &lengths, 32);
}

/// High contention with a 1 ms put retry interval, so that producers
/// time out and retry on the full buffer: retries never drop or duplicate.
#[test]
fn graceful_with_put_retries_under_contention_delivers_each_item_once() {
    let lengths = [100u64; 8];
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    add_producers(&mut system, &lengths);
    add_collectors(&mut system, 2);
    system
        .set_put_retry_interval(Duration::from_millis(1))
        .unwrap();
    system
        .set_consumer_delay(Duration::from_micros(50))
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&lengths));
    assert_graceful(&report);
    assert_stats_add_up(&report, 8, 2);
}

// --- Set-up errors -------------------------------------------------------------

/// A zero-capacity system is refused with `ZeroCapacity`.
#[test]
fn new_with_zero_capacity_is_refused() {
    assert_eq!(
        ProducerConsumerSystem::<Item>::new(0).err(),
        Some(SystemError::ZeroCapacity)
    );
}

/// `start` twice is `AlreadyStarted`, and the system still shuts down
/// with every item delivered once.
#[test]
fn start_twice_is_already_started() {
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &[30]);
    add_collectors(&mut system, 1);
    assert_eq!(system.start(), Ok(()));
    assert_eq!(system.start(), Err(SystemError::AlreadyStarted));
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&[30]));
    assert_stats_add_up(&report, 1, 1);
}

/// After `start`, every registration and setting call is `AlreadyStarted`
/// and changes nothing: the late workers never run nor show in the stats.
#[test]
fn registering_or_configuring_after_start_is_already_started() {
    let late_handler = Log::default();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &[25]);
    add_collectors(&mut system, 1);
    system.start().unwrap();

    assert_eq!(
        system.add_producer(source(2, 10)),
        Err(SystemError::AlreadyStarted)
    );
    assert_eq!(system.add_consumer(), Err(SystemError::AlreadyStarted));
    let log = late_handler.clone();
    assert_eq!(
        system.add_consumer_with(move |item| log.push(item)),
        Err(SystemError::AlreadyStarted)
    );
    let delay = Duration::from_millis(1);
    assert_eq!(
        system.set_producer_delay(delay),
        Err(SystemError::AlreadyStarted)
    );
    assert_eq!(
        system.set_consumer_delay(delay),
        Err(SystemError::AlreadyStarted)
    );
    assert_eq!(
        system.set_put_retry_interval(delay),
        Err(SystemError::AlreadyStarted)
    );
    assert_eq!(system.log_items(), Err(SystemError::AlreadyStarted));
    let live = system.stats();
    assert_eq!((live.num_producers, live.num_consumers), (1, 1));

    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&[25]));
    assert_graceful(&report);
    assert_stats_add_up(&report, 1, 1);
    assert!(late_handler.items().is_empty(), "a late consumer ran");
}

/// Producers without a consumer are refused with `NoConsumers` and nothing
/// runs; once a consumer is added, `start` succeeds and delivers all.
#[test]
fn start_with_producers_but_no_consumer_is_refused_until_one_is_added() {
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    add_producers(&mut system, &[20, 5]);
    assert_eq!(system.start(), Err(SystemError::NoConsumers));
    // Nothing was started: no producer takes anything from its source.
    settle();
    let idle = system.stats();
    assert_eq!(idle.total_produced, 0);
    assert_eq!(idle.buffer_size, 0);

    assert_eq!(system.add_consumer(), Ok(1));
    assert_eq!(system.start(), Ok(()));
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&[20, 5]));
    assert_graceful(&report);
    assert_stats_add_up(&report, 2, 1);
}

/// Consumers without producers start and shut down gracefully (each takes
/// its pill) with an empty report.
#[test]
fn consumers_without_producers_shut_down_gracefully() {
    let handled = Log::default();
    let mut system = ProducerConsumerSystem::<Item>::new(1).unwrap();
    add_collectors(&mut system, 3);
    let log = handled.clone();
    assert_eq!(system.add_consumer_with(move |item| log.push(item)), Ok(4));
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert!(report.consumed.is_empty());
    assert!(handled.items().is_empty());
    assert_graceful(&report);
    assert_stats_add_up(&report, 0, 4);
    assert_eq!(report.stats.total_produced, 0);
}

/// A system with no workers at all starts and shuts down both ways.
#[test]
fn system_without_workers_starts_and_shuts_down() {
    let mut graceful = ProducerConsumerSystem::<Item>::new(1).unwrap();
    graceful.start().unwrap();
    let report = graceful.shutdown_graceful();
    assert_stats_add_up(&report, 0, 0);
    assert!(report.consumed.is_empty() && report.undelivered.is_empty());

    let mut now = ProducerConsumerSystem::<Item>::new(1).unwrap();
    now.start().unwrap();
    let report = now.shutdown_now();
    assert_stats_add_up(&report, 0, 0);
    assert!(report.consumed.is_empty() && report.undelivered.is_empty());
}

/// A never-started system shuts down (gracefully or at once) without
/// running anything: an empty report whose stats show the registered
/// workers with zero counts.
#[test]
fn never_started_system_shuts_down_with_an_empty_report() {
    for graceful in [true, false] {
        let mut system = ProducerConsumerSystem::new(2).unwrap();
        add_producers(&mut system, &[10, 10]);
        add_collectors(&mut system, 3);
        let report = if graceful {
            system.shutdown_graceful()
        } else {
            system.shutdown_now()
        };
        assert!(report.consumed.is_empty());
        assert!(report.undelivered.is_empty());
        assert_stats_add_up(&report, 2, 3);
        assert_eq!(report.stats.total_produced, 0);
    }
}

/// `stats()` before `start` shows the registered workers, 1-based, with
/// zero counts.
#[test]
fn stats_before_start_show_registered_workers_with_zero_counts() {
    let mut system = ProducerConsumerSystem::new(4).unwrap();
    add_producers(&mut system, &[3, 3, 3]);
    add_collectors(&mut system, 2);
    let stats = system.stats();
    assert_eq!((stats.num_producers, stats.num_consumers), (3, 2));
    let ids: Vec<usize> = stats.producers.iter().map(|w| w.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    let ids: Vec<usize> = stats.consumers.iter().map(|w| w.id).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(stats.total_produced + stats.total_consumed, 0);
    assert_eq!((stats.buffer_size, stats.items_in_transit), (0, 0));
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert_exactly_once(&report.consumed, &expected_items(&[3, 3, 3]));
}

// --- Handlers and panics -------------------------------------------------------

/// Handler consumers and collecting consumers together: every item is
/// either collected or handled, exactly once, and the per-consumer counts
/// match what each handler saw.
#[test]
fn handler_and_collecting_consumers_share_items_exactly_once() {
    let lengths = [60u64, 60, 60];
    let logs = [Log::default(), Log::default()];
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &lengths);
    // Ids: 1 collects, 2 handles, 3 collects, 4 handles.
    add_collectors(&mut system, 1);
    let log = logs[0].clone();
    assert_eq!(system.add_consumer_with(move |item| log.push(item)), Ok(2));
    add_collectors(&mut system, 1);
    let log = logs[1].clone();
    assert_eq!(system.add_consumer_with(move |item| log.push(item)), Ok(4));
    system.start().unwrap();
    let report = system.shutdown_graceful();

    let handled: Vec<Item> = logs.iter().flat_map(Log::items).collect();
    let mut all = report.consumed.clone();
    all.extend(&handled);
    assert_exactly_once(&all, &expected_items(&lengths));
    assert_graceful(&report);
    assert_stats_add_up(&report, 3, 4);
    let consumers = &report.stats.consumers;
    assert_eq!(consumers[1].items, logs[0].items().len());
    assert_eq!(consumers[3].items, logs[1].items().len());
    assert_eq!(
        consumers[0].items + consumers[2].items,
        report.consumed.len()
    );
    for log in &logs {
        assert_in_order_per_producer(&log.items());
    }
}

/// A handler that panics on some items: those items count as failed, not
/// consumed; the consumer goes on with the rest; `panicked` is set; and the
/// graceful shutdown completes.
#[test]
fn panicking_handler_counts_failures_and_keeps_consuming() {
    let handled = Log::default();
    let failed = Log::default();
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &[100]);
    let (ok, bad) = (handled.clone(), failed.clone());
    system
        .add_consumer_with(move |item: Item| {
            if item.1 % 7 == 0 {
                bad.push(item);
                panic!("cannot handle {item:?}");
            }
            ok.push(item);
        })
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();

    assert_graceful(&report);
    assert_stats_add_up(&report, 1, 1);
    assert_conserved(&report, &handled, &failed);
    let consumer = &report.stats.consumers[0];
    // 0, 7, …, 98: 15 multiples of 7 below 100.
    assert_eq!((consumer.items, consumer.failed), (85, 15));
    assert!(consumer.panicked);
    assert_eq!(report.stats.total_failed, 15);
    assert_eq!(report.stats.total_consumed, 85);
    assert!(!report.stats.producers[0].panicked);
    // It went on after each panic, in order.
    assert_eq!(
        handled.items(),
        source(1, 100).filter(|i| i.1 % 7 != 0).collect::<Vec<_>>()
    );
}

/// A panicking handler among collecting consumers at capacity 1: the other
/// consumers are unaffected, only the panicking one is marked, and every
/// item is collected, handled or failed exactly once.
#[test]
fn panicking_handler_among_collectors_loses_nothing() {
    let handled = Log::default();
    let failed = Log::default();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    add_producers(&mut system, &[80, 80]);
    add_collectors(&mut system, 2);
    let (ok, bad) = (handled.clone(), failed.clone());
    system
        .add_consumer_with(move |item: Item| {
            if item.1 % 2 == 1 {
                bad.push(item);
                panic!("odd item {item:?}");
            }
            ok.push(item);
        })
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();

    assert_graceful(&report);
    assert_stats_add_up(&report, 2, 3);
    assert_conserved(&report, &handled, &failed);
    let consumers = &report.stats.consumers;
    assert!(!consumers[0].panicked && !consumers[1].panicked);
    assert_eq!(consumers[0].failed + consumers[1].failed, 0);
    assert_eq!(consumers[2].panicked, !failed.items().is_empty());
    assert!(failed.items().iter().all(|item| item.1 % 2 == 1));
}

/// A handler that panics on every item: all items fail, none is consumed,
/// and the graceful shutdown still completes.
#[test]
fn handler_panicking_on_every_item_fails_them_all_without_hanging() {
    let failed = Log::default();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    add_producers(&mut system, &[20, 20]);
    let bad = failed.clone();
    system
        .add_consumer_with(move |item: Item| {
            bad.push(item);
            panic!("always fails");
        })
        .unwrap();
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert_graceful(&report);
    assert_stats_add_up(&report, 2, 1);
    assert_conserved(&report, &Log::default(), &failed);
    assert_eq!(report.stats.total_failed, 40);
    assert_eq!(report.stats.total_consumed, 0);
    assert!(report.stats.consumers[0].panicked);
}

/// A source that panics: its producer stops there, the items it made
/// before are delivered, `panicked` is set, the other producer is
/// unaffected, and the graceful shutdown completes.
#[test]
fn panicking_source_stops_its_producer_and_keeps_earlier_items() {
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    let panicking = (0u64..10).map(|seq| {
        assert!(seq != 6, "source fails at 6");
        (1, seq)
    });
    assert_eq!(system.add_producer(panicking), Ok(1));
    assert_eq!(system.add_producer(source(2, 40)), Ok(2));
    add_collectors(&mut system, 2);
    system.start().unwrap();
    let report = system.shutdown_graceful();

    let mut expected = expected_items(&[6]);
    expected.extend(source(2, 40));
    assert_exactly_once(&report.consumed, &expected);
    assert_graceful(&report);
    assert_stats_add_up(&report, 2, 2);
    let producers = &report.stats.producers;
    assert_eq!((producers[0].items, producers[0].panicked), (6, true));
    assert_eq!((producers[1].items, producers[1].panicked), (40, false));
    assert_eq!(report.stats.total_failed, 0);
}

/// A source that panics on its very first item: the producer makes
/// nothing, and the system still shuts down gracefully.
#[test]
fn source_panicking_at_once_produces_nothing_and_shuts_down() {
    let mut system = ProducerConsumerSystem::<Item>::new(1).unwrap();
    system
        .add_producer(std::iter::from_fn(|| -> Option<Item> {
            panic!("broken source")
        }))
        .unwrap();
    add_collectors(&mut system, 1);
    system.start().unwrap();
    let report = system.shutdown_graceful();
    assert!(report.consumed.is_empty());
    assert_graceful(&report);
    assert_stats_add_up(&report, 1, 1);
    assert_eq!(report.stats.total_produced, 0);
    assert!(report.stats.producers[0].panicked);
}

// --- Forceful shutdown ---------------------------------------------------------

/// `shutdown_now` with endless sources returns, and every item taken from
/// a source is collected, handled or undelivered, exactly once.
#[test]
fn shutdown_now_with_endless_sources_returns_and_conserves_items() {
    let handled = Log::default();
    let mut system = ProducerConsumerSystem::new(4).unwrap();
    for id in 1..=3 {
        assert_eq!(system.add_producer(endless(id)), Ok(id));
    }
    add_collectors(&mut system, 2);
    let log = handled.clone();
    system
        .add_consumer_with(move |item| log.push(item))
        .unwrap();
    system.start().unwrap();
    settle();
    let report = system.shutdown_now();

    assert_stats_add_up(&report, 3, 3);
    assert_conserved(&report, &handled, &Log::default());
    assert!(report.stats.producers.iter().all(|w| !w.panicked));
}

/// `shutdown_now` right after `start`, before workers may have run at all:
/// whatever was taken is accounted for exactly once.
#[test]
fn shutdown_now_right_after_start_conserves_items() {
    for _ in 0..20 {
        let mut system = ProducerConsumerSystem::new(1).unwrap();
        for id in 1..=2 {
            system.add_producer(endless(id)).unwrap();
        }
        add_collectors(&mut system, 2);
        system.start().unwrap();
        let report = system.shutdown_now();
        assert_stats_add_up(&report, 2, 2);
        assert_conserved(&report, &Log::default(), &Log::default());
    }
}

/// `shutdown_now` while producers are (very likely) blocked on a full
/// buffer behind slow consumers: the items the blocked producers held come
/// back in `undelivered`, along with what was buffered; nothing is lost
/// or duplicated.
#[test]
fn shutdown_now_hands_back_items_of_producers_blocked_on_a_full_buffer() {
    let handled = Log::default();
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    for id in 1..=4 {
        system.add_producer(endless(id)).unwrap();
    }
    add_collectors(&mut system, 1);
    let log = handled.clone();
    system
        .add_consumer_with(move |item| log.push(item))
        .unwrap();
    system
        .set_consumer_delay(Duration::from_millis(20))
        .unwrap();
    system.start().unwrap();
    settle();
    let report = system.shutdown_now();

    assert_stats_add_up(&report, 4, 2);
    assert_conserved(&report, &handled, &Log::default());
    // Each producer that took an item and did not see it consumed holds it
    // in `undelivered`: its last taken item is somewhere in the report.
    let undelivered: BTreeSet<Item> = report.undelivered.iter().copied().collect();
    let delivered: BTreeSet<Item> = report
        .consumed
        .iter()
        .chain(&handled.items())
        .copied()
        .collect();
    for worker in &report.stats.producers {
        if let Some(last) = (worker.items as u64).checked_sub(1) {
            let item = (worker.id, last);
            assert!(
                undelivered.contains(&item) ^ delivered.contains(&item),
                "producer {}'s last item {item:?} is lost or duplicated",
                worker.id,
            );
        }
    }
}

/// `shutdown_now` with finite sources, slow consumers and a producer delay:
/// conservation holds and undelivered items are exactly the in-transit ones.
#[test]
fn shutdown_now_with_finite_sources_and_slow_consumers_conserves_items() {
    let handled = Log::default();
    let failed = Log::default();
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    add_producers(&mut system, &[1000, 1000]);
    add_collectors(&mut system, 1);
    let (ok, bad) = (handled.clone(), failed.clone());
    system
        .add_consumer_with(move |item: Item| {
            if item.1 % 3 == 0 {
                bad.push(item);
                panic!("fails on multiples of 3");
            }
            ok.push(item);
        })
        .unwrap();
    system
        .set_producer_delay(Duration::from_micros(100))
        .unwrap();
    system.set_consumer_delay(Duration::from_millis(1)).unwrap();
    system.start().unwrap();
    settle();
    let report = system.shutdown_now();
    assert_stats_add_up(&report, 2, 2);
    assert_conserved(&report, &handled, &failed);
}

/// `shutdown_now` after every source has ended and every item has been
/// consumed: nothing is undelivered and the report matches a graceful one.
#[test]
fn shutdown_now_after_everything_is_consumed_undelivers_nothing() {
    let lengths = [15u64, 25];
    let total = 40;
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &lengths);
    add_collectors(&mut system, 2);
    system.start().unwrap();
    while system.stats().total_consumed < total {
        thread::yield_now();
    }
    let report = system.shutdown_now();
    assert!(report.undelivered.is_empty());
    assert_exactly_once(&report.consumed, &expected_items(&lengths));
    assert_stats_add_up(&report, 2, 2);
}

// --- Live stats and types ------------------------------------------------------

/// Snapshots taken over and over during a busy N:M run (with failing items)
/// never show more consumed and failed than produced, and their counters
/// only grow.
#[test]
fn live_stats_never_show_more_consumed_than_produced() {
    let lengths = [2000u64; 4];
    let total: usize = 8000;
    let handled = Log::default();
    let failed = Log::default();
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    add_producers(&mut system, &lengths);
    add_collectors(&mut system, 2);
    for _ in 0..2 {
        let (ok, bad) = (handled.clone(), failed.clone());
        system
            .add_consumer_with(move |item: Item| {
                if item.1 % 10 == 0 {
                    bad.push(item);
                    panic!("fails on multiples of 10");
                }
                ok.push(item);
            })
            .unwrap();
    }
    system.start().unwrap();

    let mut previous = system.stats();
    let mut samples = 0u64;
    loop {
        let stats = system.stats();
        samples += 1;
        let done = stats.total_consumed + stats.total_failed;
        assert!(
            done <= stats.total_produced,
            "snapshot {samples} shows {done} consumed or failed of {} produced: {stats:?}",
            stats.total_produced,
        );
        assert_eq!(stats.items_in_transit, stats.total_produced - done);
        assert!(stats.total_produced <= total);
        assert!(stats.buffer_size <= 3);
        assert!(stats.total_produced >= previous.total_produced);
        assert!(stats.total_consumed >= previous.total_consumed);
        assert!(stats.total_failed >= previous.total_failed);
        previous = stats;
        if done == total {
            break;
        }
        // Some samples are taken back to back, some after a pause.
        if samples % 64 == 0 {
            thread::yield_now();
        }
    }
    let report = system.shutdown_graceful();
    assert_graceful(&report);
    assert_stats_add_up(&report, 4, 4);
    assert_conserved(&report, &handled, &failed);
}

/// Snapshots taken back to back during a long 1:1 run at capacity 1 (few
/// items in transit, so a snapshot that read its counters in the wrong
/// order, or an item counted as produced only after it was put, shows up)
/// never show more consumed than produced.
#[test]
fn live_stats_one_to_one_at_capacity_1_never_show_more_consumed_than_produced() {
    let total = 50_000;
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    add_producers(&mut system, &[total as u64]);
    let handled = Log::default();
    let log = handled.clone();
    system
        .add_consumer_with(move |item| log.push(item))
        .unwrap();
    system.start().unwrap();
    let mut samples = 0u64;
    loop {
        let stats = system.stats();
        samples += 1;
        assert!(
            stats.total_consumed <= stats.total_produced,
            "snapshot {samples} shows more consumed than produced: {stats:?}",
        );
        if stats.total_consumed == total {
            break;
        }
    }
    let report = system.shutdown_graceful();
    assert_graceful(&report);
    assert_stats_add_up(&report, 1, 1);
    assert_eq!(handled.items(), source(1, total as u64).collect::<Vec<_>>());
}

/// A snapshot taken from inside a handler (the system shared through a
/// mutex) already counts the item being handled as produced: by then its
/// producer's count is past its sequence number.
#[test]
fn stats_seen_from_a_handler_count_its_item_as_produced() {
    type Shared = Arc<Mutex<Option<ProducerConsumerSystem<Item>>>>;
    let lengths = [5_000u64; 4];
    let total = 20_000;
    let shared: Shared = Arc::new(Mutex::new(None));
    // A failed assertion inside a handler would only count as a failed
    // item, so violations are recorded and checked at the end.
    let violations = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut system = ProducerConsumerSystem::new(1).unwrap();
    add_producers(&mut system, &lengths);
    for _ in 0..4 {
        let shared = Arc::clone(&shared);
        let violations = Arc::clone(&violations);
        system
            .add_consumer_with(move |(p, seq): Item| {
                let guard = shared.lock().unwrap_or_else(PoisonError::into_inner);
                let Some(system) = guard.as_ref() else {
                    return;
                };
                let stats = system.stats();
                drop(guard);
                let produced_by_p = stats.producers[p - 1].items as u64;
                if produced_by_p <= seq || stats.total_consumed > stats.total_produced {
                    violations.lock().unwrap().push(format!(
                        "handling {:?}: producer {p} counted {produced_by_p}; {stats:?}",
                        (p, seq)
                    ));
                }
            })
            .unwrap();
    }
    system.start().unwrap();
    *shared.lock().unwrap() = Some(system);
    loop {
        let done = {
            let guard = shared.lock().unwrap();
            let stats = guard.as_ref().unwrap().stats();
            stats.total_consumed + stats.total_failed
        };
        if done == total {
            break;
        }
        thread::yield_now();
    }
    // Taken out before shutting down: the handlers lock `shared`.
    let system = shared.lock().unwrap().take().unwrap();
    let report = system.shutdown_graceful();
    assert_graceful(&report);
    assert_stats_add_up(&report, 4, 4);
    assert_eq!(report.stats.total_consumed, total);
    let violations = violations.lock().unwrap();
    assert!(
        violations.is_empty(),
        "{} violations, first: {}",
        violations.len(),
        violations[0]
    );
}

/// `ProducerConsumerSystem<T>` and `Report<T>` are `Send` for every
/// `T: Send` (a compile-time check), including items that are not `Sync`.
#[test]
fn system_and_report_are_send_for_send_items() {
    fn assert_send<S: Send>() {}
    fn for_any_send_item<T: Send + 'static>() {
        assert_send::<ProducerConsumerSystem<T>>();
        assert_send::<Report<T>>();
    }
    for_any_send_item::<Item>();
    for_any_send_item::<std::cell::Cell<u32>>();
    for_any_send_item::<std::sync::mpsc::Receiver<String>>();

    // And a system really can move to another thread and be shut down there.
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    add_producers(&mut system, &[10]);
    add_collectors(&mut system, 1);
    system.start().unwrap();
    let report = thread::spawn(move || system.shutdown_graceful())
        .join()
        .unwrap();
    let report = thread::spawn(move || report).join().unwrap();
    assert_exactly_once(&report.consumed, &expected_items(&[10]));
}

/// The configured delays are applied: a producer pauses before each put
/// and a consumer on each item, so a run takes at least the sum of the
/// pauses of the busiest worker (a lower bound only: nothing here says how
/// fast anything is).
#[test]
fn producer_and_consumer_delays_are_applied() {
    let delay = Duration::from_millis(20);
    for (producer_delay, consumer_delay) in [(delay, Duration::ZERO), (Duration::ZERO, delay)] {
        let mut system = ProducerConsumerSystem::new(8).unwrap();
        system.add_producer(source(1, 5)).unwrap();
        system.add_consumer().unwrap();
        system.set_producer_delay(producer_delay).unwrap();
        system.set_consumer_delay(consumer_delay).unwrap();
        let started = std::time::Instant::now();
        system.start().unwrap();
        let report = system.shutdown_graceful();
        assert!(
            started.elapsed() >= 5 * delay,
            "5 items with a {delay:?} pause each took {:?}",
            started.elapsed()
        );
        assert_eq!(report.consumed.len(), 5);
    }
}

/// `Report` and `ProducerConsumerSystem` print their state with `Debug`,
/// without needing `T: Debug`.
#[test]
fn report_and_system_debug_show_their_state() {
    struct Opaque;
    let mut system = ProducerConsumerSystem::new(3).unwrap();
    system.add_producer([Opaque, Opaque]).unwrap();
    system.add_consumer().unwrap();
    let before = format!("{system:?}");
    assert!(before.contains("ProducerConsumerSystem"), "{before}");
    assert!(before.contains("setup"), "{before}");
    system.start().unwrap();
    assert!(format!("{system:?}").contains("running"));
    let report = system.shutdown_graceful();
    let shown = format!("{report:?}");
    assert!(shown.contains("Report"), "{shown}");
    assert!(shown.contains("consumed: 2"), "{shown}");
    assert!(shown.contains("total_produced: 2"), "{shown}");
}

/// A running system that is dropped instead of shut down closes its
/// buffer, so its workers end on their own: producers at their next put,
/// consumers once the buffer is empty.
#[test]
fn dropping_a_running_system_lets_its_workers_end() {
    // Every worker holds a clone of `alive`; when all have ended, only the
    // test's own handle is left.
    let alive = Arc::new(());
    let mut system = ProducerConsumerSystem::new(2).unwrap();
    let token = Arc::clone(&alive);
    system
        .add_producer((0u64..).map(move |seq| {
            let _ = &token;
            (1, seq)
        }))
        .unwrap();
    let token = Arc::clone(&alive);
    system
        .add_consumer_with(move |_item: Item| {
            let _ = &token;
        })
        .unwrap();
    system.start().unwrap();
    settle();
    drop(system);
    // A hang detector, not a speed check: the workers end within
    // microseconds once the buffer is closed.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while Arc::strong_count(&alive) > 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "workers still running a minute after the system was dropped"
        );
        thread::sleep(Duration::from_millis(5));
    }
}
