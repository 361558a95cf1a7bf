//! Models of the whole `ProducerConsumerSystem`: its worker threads are
//! spawned through the facade, so the checkers explore the interleavings
//! of the real producers, consumers and orchestrator.
//!
//! Each property is declared once (see `tests/support/harness.rs`) and
//! compiles, in the `models` target (`pipeline::`), to a loom model under
//! `RUSTFLAGS="--cfg loom"` and to a shuttle test under
//! `RUSTFLAGS="--cfg shuttle"`, with the bounds and schedules given. The
//! shuttle sweep over sizes and shuttle's rejection of the toy
//! orchestrator's bug (h) are in `tests/shuttle_pipeline.rs`; loom rejects
//! that bug on the real pill loop (`catalog::one_pill_too_few`).
#![cfg(any(loom, shuttle))]

#[allow(unused_imports)] // named by the shuttle or the loom declarations only
use crate::support;

use crate::support::harness::model;
use crate::support::pipeline::{self, ConsumerKind::Collect, Real};

/// A handler that fails on about one item in four, drawn from shuttle's
/// random source (so it is part of the replayable schedule).
#[cfg(shuttle)]
fn sometimes_panics(_item: u32) -> bool {
    use shuttle::rand::Rng;
    shuttle::rand::thread_rng().gen_range(0..4) == 0
}

#[cfg(shuttle)]
const FLAKY: pipeline::ConsumerKind = pipeline::ConsumerKind::Handler(sometimes_panics);

model! {
    /// Graceful drain: every item consumed or failed exactly once, each
    /// consumer takes exactly one pill and nothing after it, the shutdown
    /// returns. Arguments: capacity, producers, items per producer, the
    /// consumers.
    ///
    /// - loom, preemption bound 3: 2 producers × 1 item, 1 consumer,
    ///   capacity 1. The configuration with two consumers is
    ///   `pill_drain_two_consumers`, below.
    /// - shuttle: 4 producers × 3 items, 4 collecting consumers, capacity
    ///   1, 2 and 3, random 1 000 and PCT depth 3 1 000 each; 4 producers ×
    ///   4 items, 4 consumers whose handlers panic at random, capacity 2,
    ///   random 1 000 and PCT depth 3 1 000; 6 producers × 5 items, 5
    ///   consumers (collecting and panicking), capacity 1, random 300 and
    ///   PCT depth 3 300.
    pill_drain = pipeline::graceful_drain::<Real> {
        loom: bound(3) with (1, 2, 1, &[Collect]);
        shuttle: random(1_000), pct(1_000, 3)
            with (1, 4, 3, &[Collect; 4]), (2, 4, 3, &[Collect; 4]), (3, 4, 3, &[Collect; 4]);
        shuttle: random(1_000), pct(1_000, 3) with (2, 4, 4, &[FLAKY; 4]);
        shuttle: random(300), pct(300, 3)
            with (1, 6, 5, &[Collect, FLAKY, Collect, FLAKY, Collect]);
    }

    /// Graceful drain, as `pill_drain`, with two consumers (loom only; the
    /// shuttle runs of `pill_drain` have four and five): 1 producer × 2
    /// items, capacity 1, preemption bound 3, 504,823 executions. It has
    /// its own test so that the harness runs it beside another model.
    pill_drain_two_consumers = pipeline::graceful_drain::<Real> {
        loom: bound(3) with (1, 1, 2, &[Collect, Collect]);
    }

    /// Forceful shutdown racing the producers and consumers: every item
    /// taken from a source is consumed, failed or undelivered, exactly
    /// once, and the shutdown returns. Arguments as for `pill_drain`.
    ///
    /// - loom, preemption bound 3: 1 producer × 2 items, 2 consumers,
    ///   capacity 1.
    /// - shuttle: 4 producers × 5 items, 4 consumers (half of them with
    ///   panicking handlers), capacity 1 and 3, random 1 000 and PCT depth
    ///   3 1 000 each.
    shutdown_now_conserves_items = pipeline::forceful_conservation {
        loom: bound(3) with (1, 1, 2, &[Collect, Collect]);
        shuttle: random(1_000), pct(1_000, 3)
            with (1, 4, 5, &[Collect, FLAKY, Collect, FLAKY]),
                 (3, 4, 5, &[Collect, FLAKY, Collect, FLAKY]);
    }
}
