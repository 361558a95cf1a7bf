//! Loom models of a running `ProducerConsumerSystem` that ends without a
//! full drain: dropped while its workers run, and
//! `shutdown_graceful_timeout` whose deadline the model timer fires at a
//! moment loom chooses. Scenarios: `tests/support/pipeline_drop.rs`.
#![cfg(loom)]

#[path = "../tests/support/pipeline_drop.rs"]
mod scenarios;

use crate::runner::check;
use scenarios::Endings;
use std::sync::Arc;
use std::sync::atomic::Ordering;

/// Drop racing 1 producer × 2 items and 1 handler consumer, capacity 1:
/// when `drop` returns, every worker has ended and every item taken from
/// the source was handled or reported in an `item_dropped` event, exactly
/// once. Threads: main (drops), producer, consumer. Preemption bound 4
/// (7,952 executions, about 2 s; the exhaustive search ran over 12 minutes
/// without finishing and was stopped).
#[test]
fn drop_conserves_items_1p_1c_cap1() {
    check("drop_conserves_items_1p_1c_cap1", Some(4), || {
        scenarios::drop_conserves_items(1, 1, 2, 1)
    });
}

/// Drop racing 1 producer × 2 items and 2 handler consumers, capacity 1,
/// same properties. Threads: main, producer, 2 consumers. Preemption
/// bound 3 (64,024 executions, about 30 s).
#[test]
fn drop_conserves_items_1p_2c_cap1() {
    check("drop_conserves_items_1p_2c_cap1", Some(3), || {
        scenarios::drop_conserves_items(1, 1, 2, 2)
    });
}

/// `shutdown_graceful_timeout` with 1 producer × 2 items, 1 handler
/// consumer, capacity 1, and the model timer (1 firing): the deadline
/// passes at any point of the drain, or never. Drained: every item handled,
/// nothing undelivered; deadline passed: handled and undelivered are every
/// item taken, exactly once. Both endings must be reached. Threads: main
/// (shuts down), producer, consumer, timer. Preemption bound 2 (111,104
/// executions, 45,470 drained and 65,634 past the deadline; 21-79 s
/// depending on the machine's load).
#[test]
fn graceful_timeout_conserves_items_1p_1c_cap1() {
    let endings = Arc::new(Endings::default());
    let seen = Arc::clone(&endings);
    check(
        "graceful_timeout_conserves_items_1p_1c_cap1",
        Some(2),
        move || {
            let timer = prodcon::model::Timer::start(1);
            scenarios::graceful_timeout_conserves_items(1, 1, 2, 1, &seen);
            timer.stop();
        },
    );
    let drained = endings.drained.load(Ordering::Relaxed);
    let passed = endings.deadline_passed.load(Ordering::Relaxed);
    eprintln!("graceful_timeout: {drained} drained, {passed} deadline passed");
    assert!(drained > 0, "no execution drained in time");
    assert!(passed > 0, "no execution reached the deadline");
}
