//! shuttle-only tests of the whole `ProducerConsumerSystem`: a sweep of
//! the graceful drain over (producers, consumers, capacity) ∈ {1..6}³, and
//! bug (h) — one poison pill too few — rejected. The pipeline's model
//! properties, with their loom models and their shuttle runs at 4
//! producers × 4 consumers and more, are declared in
//! `loom-tests/pipeline.rs` (the `models` target, `pipeline::`).
//!
//! Run by `RUSTFLAGS="--cfg shuttle" cargo test --test shuttle_pipeline`.
#![cfg(shuttle)]

#[path = "support/mod.rs"]
mod support;

use support::harness::{pct, random, shuttle_run};
use support::pipeline::{self, ConsumerKind::Collect, Orchestrator, Real};
use support::shuttle_runner::{assert_failure, rejects};

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
                for schedule in [random(30), pct(30, 2)] {
                    let kinds = vec![Collect; consumers];
                    shuttle_run(&format!("{name}/{schedule:?}"), schedule, move || {
                        pipeline::graceful_drain::<Real>(capacity, producers, 2, &kinds)
                    });
                }
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
    shuttle_run("bug_h_reference", random(200), || {
        pipeline::graceful_drain::<Orchestrator<0>>(1, 2, 2, &[Collect; 3])
    });
    let failure = rejects("bug_h", random(200), || {
        pipeline::graceful_drain::<Orchestrator<1>>(1, 2, 2, &[Collect; 3])
    });
    assert_failure(&failure, "deadlock");
}
