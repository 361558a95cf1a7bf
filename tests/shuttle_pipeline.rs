//! shuttle models of the whole `ProducerConsumerSystem`, at sizes loom
//! cannot reach: the graceful poison-pill drain and the forceful shutdown
//! with 4 producers and 4 consumers and more, handlers that panic at
//! random (the choice is drawn from shuttle's random source, so it is part
//! of the replayable schedule), a sweep of the graceful drain over
//! (producers, consumers, capacity) ∈ {1..6}³, and bug (h) — one poison
//! pill too few — rejected.
//!
//! Run by `RUSTFLAGS="--cfg shuttle" cargo test --release`.
#![cfg(shuttle)]

#[path = "support/shuttle_runner.rs"]
mod shuttle_runner;
#[path = "support/mod.rs"]
mod support;

use shuttle::rand::Rng;
use shuttle_runner::{Schedule, rejects};
use support::pipeline::{
    self, ConsumerKind, ConsumerKind::Collect, Orchestrator, Real, with_event_capture,
};

/// shuttle's random scheduler, with the pipeline's events captured.
fn random<F: Fn() + Send + Sync + 'static>(name: &str, iterations: usize, f: F) {
    with_event_capture(|| shuttle_runner::random(name, iterations, f));
}

/// shuttle's PCT scheduler, with the pipeline's events captured.
fn pct<F: Fn() + Send + Sync + 'static>(name: &str, iterations: usize, depth: usize, f: F) {
    with_event_capture(|| shuttle_runner::pct(name, iterations, depth, f));
}

/// A handler that fails on about one item in four, chosen at random.
fn sometimes_panics(_item: u32) -> bool {
    shuttle::rand::thread_rng().gen_range(0..4) == 0
}

const FLAKY: ConsumerKind = ConsumerKind::Handler(sometimes_panics);

/// Graceful drain, 4 producers × 3 items, 4 collecting consumers, capacity
/// 1, 2 and 3: every item consumed once, one pill per consumer, nothing
/// after a pill, shutdown returns. Random scheduler, 1,000 executions per
/// capacity; PCT depth 3, 1,000 per capacity.
#[test]
fn pill_drain_4p_4c_caps_1_to_3() {
    for capacity in 1..=3 {
        random(
            &format!("pill_drain_4p_4c_cap{capacity}"),
            1_000,
            move || pipeline::graceful_drain::<Real>(capacity, 4, 3, &[Collect; 4]),
        );
        pct(
            &format!("pill_drain_4p_4c_cap{capacity}_pct"),
            1_000,
            3,
            move || pipeline::graceful_drain::<Real>(capacity, 4, 3, &[Collect; 4]),
        );
    }
}

/// Graceful drain with handlers that panic at random: 4 producers × 4
/// items, 4 handler consumers, capacity 2. Every item consumed or failed
/// exactly once, the stats agree, the shutdown returns. Random scheduler
/// 1,000 executions; PCT depth 3, 1,000.
#[test]
fn pill_drain_with_panicking_handlers_4p_4c() {
    random("pill_drain_panicking_4p_4c", 1_000, || {
        pipeline::graceful_drain::<Real>(2, 4, 4, &[FLAKY; 4])
    });
    pct("pill_drain_panicking_4p_4c_pct", 1_000, 3, || {
        pipeline::graceful_drain::<Real>(2, 4, 4, &[FLAKY; 4])
    });
}

/// A bigger graceful drain: 6 producers × 5 items, 5 consumers (mixed
/// collecting and panicking handlers), capacity 1. Random 300; PCT depth 3,
/// 300.
#[test]
fn pill_drain_6p_5c_cap1_mixed_consumers() {
    let consumers = [Collect, FLAKY, Collect, FLAKY, Collect];
    random("pill_drain_6p_5c_cap1", 300, move || {
        pipeline::graceful_drain::<Real>(1, 6, 5, &consumers)
    });
    pct("pill_drain_6p_5c_cap1_pct", 300, 3, move || {
        pipeline::graceful_drain::<Real>(1, 6, 5, &consumers)
    });
}

/// Forceful shutdown racing 4 producers × 5 items and 4 consumers (half of
/// them with panicking handlers), capacity 1 and 3: every item taken from a
/// source is consumed, failed or undelivered, exactly once; the shutdown
/// returns. Random 1,000 per capacity; PCT depth 3, 1,000 per capacity.
#[test]
fn shutdown_now_conserves_items_4p_4c() {
    let consumers = [Collect, FLAKY, Collect, FLAKY];
    for capacity in [1, 3] {
        random(
            &format!("shutdown_now_4p_4c_cap{capacity}"),
            1_000,
            move || pipeline::forceful_conservation(capacity, 4, 5, &consumers),
        );
        pct(
            &format!("shutdown_now_4p_4c_cap{capacity}_pct"),
            1_000,
            3,
            move || pipeline::forceful_conservation(capacity, 4, 5, &consumers),
        );
    }
}

/// The graceful drain over every (producers, consumers, capacity) in
/// {1..6}³ — 216 configurations, 2 items per producer, collecting
/// consumers — 30 random executions and 30 PCT (depth 2) executions each,
/// 12,960 executions in all.
#[test]
fn pill_drain_sweep_1_to_6_cubed() {
    for producers in 1..=6 {
        for consumers in 1..=6 {
            for capacity in 1..=6 {
                let name = format!("sweep_{producers}p_{consumers}c_cap{capacity}");
                let kinds = vec![Collect; consumers];
                let run = move || pipeline::graceful_drain::<Real>(capacity, producers, 2, &kinds);
                random(&name, 30, run.clone());
                pct(&format!("{name}_pct"), 30, 2, run);
            }
        }
    }
}

/// (h) One poison pill too few: the test-tree orchestrator that sends one
/// pill short is rejected (its shutdown hangs: shuttle reports a
/// deadlock), and the same orchestrator with every pill passes the same
/// scenario (2 producers × 2 items, 3 consumers, capacity 1, random 200).
#[test]
fn catches_one_poison_pill_too_few() {
    random("bug_h_reference", 200, || {
        pipeline::graceful_drain::<Orchestrator<0>>(1, 2, 2, &[Collect; 3])
    });
    let failure = rejects("bug_h", Schedule::Random { iterations: 200 }, || {
        pipeline::graceful_drain::<Orchestrator<1>>(1, 2, 2, &[Collect; 3])
    });
    assert!(
        failure.contains("deadlock"),
        "unexpected failure: {failure}"
    );
}
