//! Pipeline models: scenarios over the whole `ProducerConsumerSystem`, and
//! a test-tree orchestrator that implements the same graceful-shutdown
//! protocol with an injectable bug (h), one poison pill too few.
//!
//! The real system is observed through its `tracing` events
//! ([`super::events::capture`]; a shuttle run is wrapped in
//! [`super::events::with_capture`]).

use super::events::{self, Log};
use super::scenarios::assert_exactly_once;
use super::thread;
use prodcon::{ProducerConsumerSystem, Report, SharedBuffer};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tracing::subscriber::DefaultGuard;

/// What a consumer does with each item.
#[derive(Clone, Copy, Debug)]
pub enum ConsumerKind {
    /// `add_consumer`: collect into the system's destination.
    Collect,
    /// `add_consumer_with` a handler that records the item, or, for the
    /// items on which the function returns `true`, records it as failed
    /// and panics. (Under shuttle the function may draw from
    /// `shuttle::rand`: the failures are then part of the schedule.)
    Handler(fn(u32) -> bool),
}

/// What a shut-down pipeline reports, in a form every implementation can
/// give.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Items handled successfully (collected or recorded by a handler).
    pub consumed: Vec<u32>,
    /// Items whose handler panicked.
    pub failed: Vec<u32>,
    pub undelivered: Vec<u32>,
    /// Per producer, how many items it took from its source.
    pub taken: Vec<usize>,
    /// Per consumer (in id order), how many poison pills it received.
    pub pills: Vec<usize>,
    /// Items any consumer handled after its pill.
    pub after_pill: usize,
}

/// A pipeline under test.
pub trait Pipeline: Sized {
    /// Builds and starts it: one producer per source, one consumer per kind.
    fn start(capacity: usize, sources: Vec<Vec<u32>>, consumers: &[ConsumerKind]) -> Self;
    fn shutdown_graceful(self) -> Outcome;
}

// ---------------------------------------------------------------------------
// The real system, observed through its events.
// ---------------------------------------------------------------------------

pub struct Real {
    system: ProducerConsumerSystem<u32>,
    handled: Vec<Arc<Mutex<Vec<u32>>>>,
    failed: Arc<Mutex<Vec<u32>>>,
    events: Log,
    consumers: usize,
    _subscriber: Option<DefaultGuard>,
}

impl Pipeline for Real {
    fn start(capacity: usize, sources: Vec<Vec<u32>>, consumers: &[ConsumerKind]) -> Self {
        let (events, guard) = events::capture();
        let mut system = ProducerConsumerSystem::new(capacity).expect("capacity > 0");
        for source in sources {
            system.add_producer(source).expect("before start");
        }
        let mut handled = Vec::new();
        let failed = Arc::new(Mutex::new(Vec::new()));
        for kind in consumers {
            match *kind {
                ConsumerKind::Collect => {
                    system.add_consumer().expect("before start");
                }
                ConsumerKind::Handler(panics_on) => {
                    let seen = Arc::new(Mutex::new(Vec::new()));
                    let record = Arc::clone(&seen);
                    let fail = Arc::clone(&failed);
                    system
                        .add_consumer_with(move |item: u32| {
                            if panics_on(item) {
                                fail.lock().unwrap().push(item);
                                panic!("handler fails on {item}");
                            }
                            record.lock().unwrap().push(item);
                        })
                        .expect("before start");
                    handled.push(seen);
                }
            }
        }
        system.start().expect("valid system");
        Real {
            system,
            handled,
            failed,
            events,
            consumers: consumers.len(),
            _subscriber: guard,
        }
    }

    fn shutdown_graceful(self) -> Outcome {
        self.shut_down(ProducerConsumerSystem::shutdown_graceful)
    }
}

impl Real {
    /// `shutdown_now`, which only the real system has.
    pub fn shutdown_now(self) -> Outcome {
        self.shut_down(ProducerConsumerSystem::shutdown_now)
    }

    /// Shuts the system down with `shutdown` and reads the outcome, the
    /// subscriber staying installed until then.
    fn shut_down(self, shutdown: fn(ProducerConsumerSystem<u32>) -> Report<u32>) -> Outcome {
        let Real {
            system,
            handled,
            failed,
            events,
            consumers,
            _subscriber,
        } = self;
        let report = shutdown(system);
        outcome(report, &handled, &failed, &events, consumers)
    }
}

fn outcome(
    report: Report<u32>,
    handled: &[Arc<Mutex<Vec<u32>>>],
    failed: &Mutex<Vec<u32>>,
    events: &Log,
    consumers: usize,
) -> Outcome {
    let stats = &report.stats;
    let mut consumed = report.consumed.clone();
    for seen in handled {
        consumed.extend(seen.lock().unwrap().iter().copied());
    }
    let events = events.lock().unwrap();
    let mut pills = vec![0; consumers];
    let mut after_pill = 0;
    let mut done: BTreeMap<u64, bool> = BTreeMap::new();
    for event in events.iter() {
        let worker = event
            .number("consumer")
            .or_else(|| event.number("producer"));
        let Some(worker) = worker.map(|id| id as u64) else {
            continue;
        };
        match event.name() {
            "poison_pill" => {
                pills[worker as usize - 1] += 1;
                done.insert(worker, true);
            }
            "consumed" | "handler_panicked" if done.get(&worker) == Some(&true) => {
                after_pill += 1;
            }
            _ => {}
        }
    }
    let failed = failed.lock().unwrap().clone();
    // The counters agree with what was seen.
    assert_eq!(stats.total_consumed, consumed.len(), "total_consumed");
    assert_eq!(stats.total_failed, failed.len(), "total_failed");
    assert_eq!(
        stats.total_produced,
        stats.total_consumed + stats.total_failed + report.undelivered.len(),
        "produced = consumed + failed + undelivered"
    );
    assert_eq!(
        stats.items_in_transit,
        report.undelivered.len(),
        "in transit after shutdown"
    );
    assert_eq!(stats.buffer_size, 0, "buffer left non-empty");
    Outcome {
        consumed,
        failed,
        undelivered: report.undelivered,
        taken: stats.producers.iter().map(|p| p.items).collect(),
        pills,
        after_pill,
    }
}

// ---------------------------------------------------------------------------
// The test-tree orchestrator: the seed's graceful protocol over the public
// SharedBuffer, with bug (h) injectable.
// ---------------------------------------------------------------------------

/// What the test-tree orchestrator's buffer carries (the library's own
/// message type is private).
enum Message<T> {
    Item(T),
    PoisonPill,
}

/// `PILLS_SHORT == 0`: correct. `1`: bug (h), the orchestrator sends one
/// poison pill too few, so one consumer never hears that it is over.
pub struct Orchestrator<const PILLS_SHORT: usize> {
    buffer: SharedBuffer<Message<u32>>,
    producers: Vec<thread::JoinHandle<usize>>,
    consumers: Vec<thread::JoinHandle<(Vec<u32>, usize, usize)>>,
}

impl<const PILLS_SHORT: usize> Pipeline for Orchestrator<PILLS_SHORT> {
    fn start(capacity: usize, sources: Vec<Vec<u32>>, consumers: &[ConsumerKind]) -> Self {
        let buffer = SharedBuffer::new(capacity);
        let consumers = consumers
            .iter()
            .map(|_| {
                let buffer = buffer.clone();
                thread::spawn(move || {
                    let (mut got, mut pills, mut after) = (Vec::new(), 0, 0);
                    while let Ok(message) = buffer.get() {
                        match message {
                            Message::Item(x) => {
                                if pills > 0 {
                                    after += 1;
                                }
                                got.push(x);
                            }
                            Message::PoisonPill => pills += 1,
                        }
                        buffer.task_done().expect("one per get");
                        if pills > 0 {
                            break;
                        }
                    }
                    (got, pills, after)
                })
            })
            .collect();
        let producers = sources
            .into_iter()
            .map(|source| {
                let buffer = buffer.clone();
                thread::spawn(move || {
                    let n = source.len();
                    for x in source {
                        buffer.put(Message::Item(x)).expect("open");
                    }
                    n
                })
            })
            .collect();
        Orchestrator {
            buffer,
            producers,
            consumers,
        }
    }

    fn shutdown_graceful(self) -> Outcome {
        let mut outcome = Outcome::default();
        for p in self.producers {
            outcome.taken.push(p.join().unwrap());
        }
        self.buffer.join();
        let pills = self.consumers.len() - PILLS_SHORT; // BUG (h) when short
        for _ in 0..pills {
            self.buffer.put(Message::PoisonPill).expect("open");
        }
        self.buffer.join();
        for c in self.consumers {
            let (got, pills, after) = c.join().unwrap();
            outcome.consumed.extend(got);
            outcome.pills.push(pills);
            outcome.after_pill += after;
        }
        outcome
    }
}

// ---------------------------------------------------------------------------
// Scenarios.
// ---------------------------------------------------------------------------

/// Sources: producer `p` (0-based) yields `p * 100 + i` for `i < n`.
pub fn sources(producers: usize, per_producer: usize) -> Vec<Vec<u32>> {
    (0..producers)
        .map(|p| (0..per_producer).map(|i| (p * 100 + i) as u32).collect())
        .collect()
}

/// Graceful drain: every item consumed exactly once or failed (its
/// handler panicked) exactly once, nothing undelivered, every consumer
/// received exactly one poison pill and handled nothing after it, and the
/// shutdown returned (a consumer left without a pill would hang it: the
/// checker reports that as a deadlock).
pub fn graceful_drain<P: Pipeline>(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: &[ConsumerKind],
) {
    let sources = sources(producers, per_producer);
    let all: Vec<u32> = sources.iter().flatten().copied().collect();
    let outcome = P::start(capacity, sources, consumers).shutdown_graceful();
    let mut ended = outcome.consumed.clone();
    ended.extend(&outcome.failed);
    assert_exactly_once(ended, all);
    assert!(outcome.undelivered.is_empty(), "undelivered after graceful");
    assert_eq!(
        outcome.pills,
        vec![1; consumers.len()],
        "pills per consumer"
    );
    assert_eq!(
        outcome.after_pill, 0,
        "a consumer took an item after its pill"
    );
    assert_eq!(outcome.taken, vec![per_producer; producers]);
}

/// Forceful shutdown racing producers and consumers: whatever was taken
/// from a source is consumed, failed or undelivered — exactly one — and
/// nothing that was not taken appears anywhere.
pub fn forceful_conservation(
    capacity: usize,
    producers: usize,
    per_producer: usize,
    consumers: &[ConsumerKind],
) {
    let sources = sources(producers, per_producer);
    let outcome = Real::start(capacity, sources.clone(), consumers).shutdown_now();
    let taken: Vec<u32> = sources
        .iter()
        .zip(&outcome.taken)
        .flat_map(|(source, &n)| source[..n].iter().copied())
        .collect();
    let mut ended = outcome.consumed.clone();
    ended.extend(&outcome.failed);
    ended.extend(&outcome.undelivered);
    assert_exactly_once(ended, taken);
}
