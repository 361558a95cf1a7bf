//! shuttle models of a running `ProducerConsumerSystem` that ends without
//! a full drain, at sizes loom cannot reach: dropped while its workers run,
//! and `shutdown_graceful_timeout` whose deadline the model timer fires at
//! a moment the scheduler chooses. Scenarios:
//! `tests/support/pipeline_drop.rs`.
//!
//! Run by `RUSTFLAGS="--cfg shuttle" cargo test --test
//! shuttle_pipeline_drop`.
#![cfg(shuttle)]

#[path = "support/pipeline_drop.rs"]
mod pipeline_drop;
#[path = "support/shuttle_runner.rs"]
mod shuttle_runner;

use pipeline_drop::{Endings, with_event_capture};
use std::sync::Arc;
use std::sync::atomic::Ordering;

fn random<F: Fn() + Send + Sync + 'static>(name: &str, iterations: usize, f: F) {
    with_event_capture(|| shuttle_runner::random(name, iterations, f));
}

fn pct<F: Fn() + Send + Sync + 'static>(name: &str, iterations: usize, depth: usize, f: F) {
    with_event_capture(|| shuttle_runner::pct(name, iterations, depth, f));
}

/// Drop racing 4 producers × 5 items and 4 handler consumers, capacity 1
/// and 3: when `drop` returns every worker has ended, and every item taken
/// was handled or named by an `item_dropped` event, exactly once. Random
/// scheduler 1,000 executions per capacity; PCT depth 3, 1,000 per
/// capacity.
#[test]
fn drop_conserves_items_4p_4c() {
    for capacity in [1, 3] {
        random(&format!("drop_4p_4c_cap{capacity}"), 1_000, move || {
            pipeline_drop::drop_conserves_items(capacity, 4, 5, 4)
        });
        pct(
            &format!("drop_4p_4c_cap{capacity}_pct"),
            1_000,
            3,
            move || pipeline_drop::drop_conserves_items(capacity, 4, 5, 4),
        );
    }
}

/// `shutdown_graceful_timeout` with 3 producers × 4 items and 3 handler
/// consumers, capacity 2, and the model timer (1 firing): drained, every
/// item handled; or deadline passed, handled and undelivered are every
/// item taken, exactly once. Both endings must be reached. Random 1,000
/// executions; PCT depth 3, 1,000.
#[test]
fn graceful_timeout_conserves_items_3p_3c_cap2() {
    let endings = Arc::new(Endings::default());
    let seen = Arc::clone(&endings);
    let model = move || {
        let timer = prodcon::model::Timer::start(1);
        pipeline_drop::graceful_timeout_conserves_items(2, 3, 4, 3, &seen);
        timer.stop();
    };
    random("graceful_timeout_3p_3c_cap2", 1_000, model.clone());
    pct("graceful_timeout_3p_3c_cap2_pct", 1_000, 3, model);
    let drained = endings.drained.load(Ordering::Relaxed);
    let passed = endings.deadline_passed.load(Ordering::Relaxed);
    eprintln!("graceful_timeout_3p_3c_cap2: {drained} drained, {passed} deadline passed");
    assert!(drained > 0, "no execution drained in time");
    assert!(passed > 0, "no execution reached the deadline");
}

/// A long source (2 producers × 200 items, 2 consumers, capacity 2): the
/// deadline almost always passes mid-stream. Random 200 executions.
#[test]
fn graceful_timeout_long_sources_2p_2c() {
    let endings = Arc::new(Endings::default());
    let seen = Arc::clone(&endings);
    random("graceful_timeout_long_2p_2c", 200, move || {
        let timer = prodcon::model::Timer::start(1);
        pipeline_drop::graceful_timeout_conserves_items(2, 2, 200, 2, &seen);
        timer.stop();
    });
    assert!(endings.deadline_passed.load(Ordering::Relaxed) > 0);
}
