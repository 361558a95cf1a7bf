//! Property tests for `ProducerConsumerSystem<T>` on std threads.
//!
//! * Random topologies (0–5 producers of 0–29 items, 1–5 consumers that
//!   collect, handle, or handle and panic on some items, capacity 1–4,
//!   optional delays of a few microseconds and put retry intervals) shut
//!   down gracefully: every item is collected, handled or failed exactly
//!   once, the failed ones are exactly those a handler panicked on, and the
//!   stats add up.
//! * Random moments of forceful shutdown (after a short random sleep, or
//!   once a random number of items was handled), with finite and endless
//!   sources: every item taken from a source is collected, handled, failed
//!   or undelivered, exactly once.
//!
//! Items are unique `(producer id, sequence number)` pairs, so the check is
//! exact. Case counts are kept small: each case starts real threads.
#![cfg(not(any(loom, shuttle)))]

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use proptest::prelude::*;

use prodcon::{ProducerConsumerSystem, Report};

/// A unique item: producer id and position in its source.
type Item = (usize, u64);

/// What a consumer does with its items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `add_consumer`: appends to the report's `consumed`.
    Collect,
    /// `add_consumer_with` a handler that records every item.
    Handle,
    /// `add_consumer_with` a handler that panics on the items [`Topology::fails`]
    /// picks (after recording them as failed).
    Panicky,
}

/// A random pipeline.
#[derive(Clone, Debug)]
struct Topology {
    capacity: usize,
    /// One entry per producer: its source length, or `None` for endless.
    producers: Vec<Option<u64>>,
    consumers: Vec<Kind>,
    /// Panicky handlers fail the items whose `(id + seq) % fail_mod` is
    /// `fail_rem`.
    fail_mod: u64,
    fail_rem: u64,
    producer_delay_us: Option<u64>,
    consumer_delay_us: Option<u64>,
    /// `set_put_retry_interval`, in microseconds (0 retries at once).
    retry_us: Option<u64>,
}

impl Topology {
    fn fails(&self, item: Item) -> bool {
        (item.0 as u64 + item.1) % self.fail_mod == self.fail_rem
    }
}

/// Items one handler consumer saw, in order, each with whether the handler
/// returned (`true`) or panicked (`false`).
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(Item, bool)>>>);

impl Log {
    fn push(&self, item: Item, ok: bool) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((item, ok));
    }

    fn entries(&self) -> Vec<(Item, bool)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A system built from a topology, not yet started, with one log per
/// consumer (unused for collecting ones).
fn build(topology: &Topology) -> (ProducerConsumerSystem<Item>, Vec<Log>) {
    let mut system = ProducerConsumerSystem::new(topology.capacity).unwrap();
    for (i, &len) in topology.producers.iter().enumerate() {
        let id = i + 1;
        let added = match len {
            Some(len) => system.add_producer((0..len).map(move |seq| (id, seq))),
            None => system.add_producer((0u64..).map(move |seq| (id, seq))),
        };
        assert_eq!(added, Ok(id));
    }
    let mut logs = Vec::new();
    for (i, &kind) in topology.consumers.iter().enumerate() {
        let log = Log::default();
        let added = match kind {
            Kind::Collect => system.add_consumer(),
            Kind::Handle => {
                let log = log.clone();
                system.add_consumer_with(move |item| log.push(item, true))
            }
            Kind::Panicky => {
                let log = log.clone();
                let topology = topology.clone();
                system.add_consumer_with(move |item| {
                    let fails = topology.fails(item);
                    log.push(item, !fails);
                    assert!(!fails, "handler refuses {item:?}");
                })
            }
        };
        assert_eq!(added, Ok(i + 1));
        logs.push(log);
    }
    if let Some(us) = topology.producer_delay_us {
        system
            .set_producer_delay(Duration::from_micros(us))
            .unwrap();
    }
    if let Some(us) = topology.consumer_delay_us {
        system
            .set_consumer_delay(Duration::from_micros(us))
            .unwrap();
    }
    if let Some(us) = topology.retry_us {
        system
            .set_put_retry_interval(Duration::from_micros(us))
            .unwrap();
    }
    (system, logs)
}

/// Checks the accounting invariant and the stats of a shut-down system:
/// every item taken from a source (the first `items` of each producer's
/// sequence) is collected, handled, failed or undelivered exactly once;
/// failures are exactly the panicky handlers' refusals; each handler saw
/// each producer's items in order; the counters add up.
fn check_report(
    topology: &Topology,
    report: &Report<Item>,
    logs: &[Log],
) -> Result<(), TestCaseError> {
    let stats = &report.stats;
    prop_assert_eq!(stats.num_producers, topology.producers.len());
    prop_assert_eq!(stats.num_consumers, topology.consumers.len());
    prop_assert_eq!(stats.buffer_size, 0);

    let mut taken = BTreeSet::new();
    for (i, (worker, len)) in stats.producers.iter().zip(&topology.producers).enumerate() {
        prop_assert_eq!(worker.id, i + 1);
        prop_assert!(!worker.panicked);
        prop_assert_eq!(worker.failed, 0);
        if let Some(len) = len {
            prop_assert!(
                worker.items as u64 <= *len,
                "producer {} overran",
                worker.id
            );
        }
        taken.extend((0..worker.items as u64).map(|seq| (worker.id, seq)));
    }

    let mut all: Vec<Item> = report.consumed.clone();
    all.extend(&report.undelivered);
    let (mut handled, mut failed) = (0, 0);
    for (i, ((worker, kind), log)) in stats
        .consumers
        .iter()
        .zip(&topology.consumers)
        .zip(logs)
        .enumerate()
    {
        prop_assert_eq!(worker.id, i + 1);
        let entries = log.entries();
        let ok = entries.iter().filter(|(_, ok)| *ok).count();
        let bad = entries.len() - ok;
        match kind {
            Kind::Collect => prop_assert!(entries.is_empty()),
            Kind::Handle => prop_assert_eq!(bad, 0),
            Kind::Panicky => {
                for &(item, ok) in &entries {
                    prop_assert_eq!(ok, !topology.fails(item), "{:?}", item);
                }
            }
        }
        if *kind != Kind::Collect {
            prop_assert_eq!(worker.items, ok, "consumer {}", worker.id);
        }
        prop_assert_eq!(worker.failed, bad, "consumer {}", worker.id);
        prop_assert_eq!(worker.panicked, bad > 0, "consumer {}", worker.id);
        // One consumer takes each producer's items in the order they were
        // put.
        let mut last = HashMap::new();
        for &((p, seq), _) in &entries {
            if let Some(prev) = last.insert(p, seq) {
                prop_assert!(
                    prev < seq,
                    "consumer {} saw {:?} after {}",
                    worker.id,
                    (p, seq),
                    prev
                );
            }
        }
        handled += ok;
        failed += bad;
        all.extend(entries.iter().map(|&(item, _)| item));
    }

    let mut seen = BTreeSet::new();
    for item in &all {
        prop_assert!(seen.insert(*item), "{:?} ended up twice", item);
    }
    let missing: Vec<_> = taken.difference(&seen).collect();
    let foreign: Vec<_> = seen.difference(&taken).collect();
    prop_assert!(missing.is_empty(), "lost: {:?}", missing);
    prop_assert!(foreign.is_empty(), "never produced: {:?}", foreign);

    prop_assert_eq!(stats.total_produced, taken.len());
    prop_assert_eq!(stats.total_consumed, report.consumed.len() + handled);
    prop_assert_eq!(stats.total_failed, failed);
    prop_assert_eq!(
        stats.total_consumed,
        stats.consumers.iter().map(|w| w.items).sum::<usize>()
    );
    prop_assert_eq!(
        stats.total_produced,
        stats.total_consumed + stats.total_failed + report.undelivered.len()
    );
    prop_assert_eq!(stats.items_in_transit, report.undelivered.len());
    Ok(())
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Collect), Just(Kind::Handle), Just(Kind::Panicky)]
}

/// Common random settings: capacity, consumers, failure rule, delays and
/// retry interval; `producers` picks the sources.
fn topology(producers: impl Strategy<Value = Vec<Option<u64>>>) -> impl Strategy<Value = Topology> {
    (
        1usize..5,
        producers,
        prop::collection::vec(kind(), 1..6),
        (2u64..6, 0u64..6),
        prop::option::of(0u64..200),
        prop::option::of(0u64..200),
        prop::option::of(prop_oneof![Just(0u64), 1u64..2000]),
    )
        .prop_map(
            |(capacity, producers, consumers, (fail_mod, rem), pd, cd, retry)| Topology {
                capacity,
                producers,
                consumers,
                fail_mod,
                fail_rem: rem % fail_mod,
                producer_delay_us: pd,
                consumer_delay_us: cd,
                retry_us: retry,
            },
        )
}

/// When `shutdown_now` is called.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// After sleeping this many microseconds.
    AfterSleep(u64),
    /// Once this many items were consumed or failed (capped at what finite
    /// sources can give).
    AfterItems(usize),
}

fn moment() -> impl Strategy<Value = Moment> {
    prop_oneof![
        (0u64..3000).prop_map(Moment::AfterSleep),
        (0usize..60).prop_map(Moment::AfterItems),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any topology shut down gracefully delivers each item exactly once
    /// (collected, handled, or failed by a panicking handler), leaves
    /// nothing undelivered, and its stats add up.
    #[test]
    fn graceful_random_topologies_deliver_each_item_once(
        topology in topology(prop::collection::vec((0u64..30).prop_map(Some), 0..6)),
    ) {
        let (mut system, logs) = build(&topology);
        system.start().unwrap();
        let report = system.shutdown_graceful();
        prop_assert!(report.undelivered.is_empty(), "{:?}", report);
        prop_assert_eq!(report.stats.items_in_transit, 0);
        let lengths: Vec<u64> = topology.producers.iter().map(|len| len.unwrap()).collect();
        for (worker, len) in report.stats.producers.iter().zip(&lengths) {
            prop_assert_eq!(worker.items as u64, *len, "producer {}", worker.id);
        }
        check_report(&topology, &report, &logs)?;
    }

    /// `shutdown_now` at a random moment, with finite and endless sources,
    /// returns and accounts for every item taken from a source exactly once:
    /// collected, handled, failed or undelivered.
    #[test]
    fn forceful_shutdown_at_random_moments_conserves_items(
        topology in topology(prop::collection::vec(prop::option::of(0u64..50), 0..6)),
        moment in moment(),
    ) {
        let (mut system, logs) = build(&topology);
        system.start().unwrap();
        match moment {
            Moment::AfterSleep(us) => thread::sleep(Duration::from_micros(us)),
            Moment::AfterItems(n) => {
                let available: Option<u64> = topology.producers.iter().copied().sum();
                let target = available.map_or(n, |total| n.min(total as usize));
                loop {
                    let stats = system.stats();
                    if stats.total_consumed + stats.total_failed >= target {
                        break;
                    }
                    thread::yield_now();
                }
            }
        }
        let report = system.shutdown_now();
        check_report(&topology, &report, &logs)?;
    }
}
