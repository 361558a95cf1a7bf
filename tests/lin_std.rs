//! Linearizability of `SharedBuffer<u32>` on real threads: at least 10^5
//! calls (put / try_put / put_timeout / put_many, get / try_get /
//! get_timeout / get_many / get_many_into, len / is_empty / is_full,
//! drain, close) recorded in segments and each segment's history checked
//! against the sequential specification (`tests/support/spec.rs`).
//!
//! A segment is a fresh buffer (capacity 1 to 3) and one random script per
//! thread (`tests/support/lin/workload.rs`: a closer, two producers, two
//! consumers, 38 calls in all). The threads live for the whole run
//! and meet at a barrier between segments, so each segment starts from a
//! known state (empty and open) and its history is small enough for the
//! checker's search. The closer ends every segment with `close`, which
//! releases any call still blocked.
//!
//! Real threads explore only the interleavings the OS happens to produce;
//! shuttle and loom (`loom-tests/lin.rs`) control
//! the schedule. The known-buggy buffers below show that the run rejects
//! bugs that multiset checks miss, with a shrunk history.
#![cfg(not(any(loom, shuttle)))]

#[path = "support/lin/mod.rs"]
mod lin;

use std::sync::{Arc, Barrier, Mutex, PoisonError, RwLock};
use std::thread;
use std::time::Duration;

use lin::checker::{self, Violation};
use lin::recorder::{Clock, Event, ThreadLog};
use lin::spec::Op;
use lin::target::{Real, ReordersGets, SpuriousEmpty, Target};
use lin::workload::{self, Rng, Shape};

/// The workload of one segment.
const SHAPE: Shape = Shape {
    producers: 2,
    consumers: 2,
    calls: 8,
    closer_calls: 5,
    timed: true,
};

/// How long a timed call waits: short, so that timeouts happen.
const TIMEOUT: Duration = Duration::from_micros(50);

/// What a run checked.
#[derive(Debug, Default)]
struct Summary {
    segments: usize,
    calls: usize,
    /// Calls whose interval overlapped a call of another thread: the
    /// concurrency the OS actually produced.
    overlapping: usize,
    /// The largest search of a segment (memoized configurations).
    max_configurations: usize,
}

/// How many calls of `history` overlap a call of another thread.
fn overlapping(history: &[Event]) -> usize {
    history
        .iter()
        .filter(|a| {
            history.iter().any(|b| {
                a.thread != b.thread
                    && a.call < b.ret_at.unwrap_or(u64::MAX)
                    && b.call < a.ret_at.unwrap_or(u64::MAX)
            })
        })
        .count()
}

/// A segment's history that is not linearizable.
#[derive(Debug)]
struct Failure {
    segment: usize,
    violation: Violation,
    history: Vec<Event>,
}

/// One segment for the worker threads: the buffer, the scripts, the clock.
struct Job<T> {
    target: Arc<T>,
    scripts: Arc<Vec<Vec<Op>>>,
    clock: Arc<Clock>,
}

impl<T> Clone for Job<T> {
    fn clone(&self) -> Self {
        Job {
            target: Arc::clone(&self.target),
            scripts: Arc::clone(&self.scripts),
            clock: Arc::clone(&self.clock),
        }
    }
}

/// Runs segments on `make(capacity)` buffers until at least `min_calls`
/// calls were checked, or until a segment's history is not linearizable.
/// `make` may build any buffer-like [`Target`], a known-buggy one or the
/// real code with a fault switched on.
fn stress<T, F>(make: F, min_calls: usize, seed: u64) -> Result<Summary, Failure>
where
    T: Target + 'static,
    F: Fn(usize) -> T,
{
    let threads = SHAPE.threads();
    let barrier = Barrier::new(threads + 1);
    let slot: RwLock<Option<Job<T>>> = RwLock::new(None);
    let events: Mutex<Vec<Event>> = Mutex::new(Vec::new());
    let mut rng = Rng::new(seed);
    let mut summary = Summary::default();
    thread::scope(|scope| {
        for me in 0..threads {
            let (barrier, slot, events) = (&barrier, &slot, &events);
            scope.spawn(move || {
                loop {
                    barrier.wait();
                    let job = slot.read().unwrap_or_else(PoisonError::into_inner).clone();
                    let Some(job) = job else { return };
                    let mut log = ThreadLog::new(me, job.clock);
                    for op in &job.scripts[me] {
                        log.call(&*job.target, op.clone());
                    }
                    events
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend(log.into_events());
                    barrier.wait();
                }
            });
        }
        let result = loop {
            if summary.calls >= min_calls {
                break Ok(());
            }
            let capacity = 1 + rng.below(3);
            let scripts = workload::scripts(&mut rng, SHAPE);
            *slot.write().unwrap_or_else(PoisonError::into_inner) = Some(Job {
                target: Arc::new(make(capacity)),
                scripts: Arc::new(scripts),
                clock: Arc::new(Clock::new()),
            });
            barrier.wait(); // go
            barrier.wait(); // every thread is done
            let history =
                std::mem::take(&mut *events.lock().unwrap_or_else(PoisonError::into_inner));
            summary.segments += 1;
            summary.calls += history.len();
            summary.overlapping += overlapping(&history);
            match checker::check(capacity, &history) {
                Ok(stats) => {
                    summary.max_configurations =
                        summary.max_configurations.max(stats.configurations);
                }
                Err(violation) => {
                    break Err(Failure {
                        segment: summary.segments,
                        violation,
                        history,
                    });
                }
            }
        };
        // Let the workers go home.
        *slot.write().unwrap_or_else(PoisonError::into_inner) = None;
        barrier.wait();
        result
    })
    .map(|()| summary)
}

#[test]
fn real_buffer_histories_are_linearizable() {
    let summary = stress(|capacity| Real::new(capacity, TIMEOUT), 100_000, 1)
        .unwrap_or_else(|failure| panic!("segment {}: {}", failure.segment, failure.violation));
    eprintln!("std linearizability: {summary:?}");
    assert!(summary.calls >= 100_000);
}

/// Runs a known-buggy buffer until a segment is rejected; returns the
/// report.
fn rejected<T: Target + 'static>(make: impl Fn(usize) -> T) -> Violation {
    match stress(make, 100_000, 2) {
        Ok(summary) => panic!("a known-buggy buffer passed: {summary:?}"),
        Err(failure) => {
            eprintln!("segment {}: {}", failure.segment, failure.violation);
            if std::env::var_os("LIN_FULL_HISTORY").is_some() {
                eprintln!("recorded:\n{}", checker::Pretty(&failure.history));
            }
            failure.violation
        }
    }
}

#[test]
fn gets_out_of_order_are_rejected() {
    let violation = rejected(|capacity| ReordersGets::new(Real::new(capacity, TIMEOUT), 2));
    let text = violation.to_string();
    assert!(text.contains("not linearizable"), "{text}");
    // The offending get is named, with the item it returned too early.
    assert!(
        violation
            .minimal
            .iter()
            .any(|e| matches!(e.op, Op::Get | Op::TryGet | Op::GetTimeout)),
        "{text}"
    );
    assert!(
        violation.minimal.len() < violation.recorded,
        "not shrunk:\n{text}"
    );
}

#[test]
fn a_spurious_empty_is_rejected() {
    let violation = rejected(|capacity| SpuriousEmpty::new(Real::new(capacity, TIMEOUT), 2));
    let text = violation.to_string();
    assert!(text.contains("try_get() -> Empty/Timeout"), "{text}");
    assert!(
        violation.minimal.len() < violation.recorded,
        "not shrunk:\n{text}"
    );
}
