//! Loom models of the whole `ProducerConsumerSystem`: its worker threads
//! are spawned through the facade, so loom explores every interleaving of
//! the real producers, consumers and orchestrator.
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use runner::{assert_failure, check, rejects};
use support::pipeline::{self, ConsumerKind::Collect, Orchestrator, Real};

/// Graceful drain, 1 producer × 2 items, 2 consumers, capacity 1: every
/// item consumed once, each consumer takes exactly one pill and nothing
/// after it, the shutdown returns. Threads: main (orchestrator), 1
/// producer, 2 consumers. Preemption bound 3 (916 k executions, about two
/// minutes: the exhaustive search is out of CI's reach).
#[test]
fn pill_drain_1p_2c_cap1() {
    let bound = Some(3);
    check("pill_drain_1p_2c_cap1", bound, || {
        pipeline::graceful_drain::<Real>(1, 1, 2, &[Collect, Collect])
    });
}

/// Graceful drain, 2 producers × 1 item, 1 consumer, capacity 1, same
/// properties. Preemption bound 3 (25 k executions; with the one-lock
/// buffer the exhaustive search, 3.55 M executions, also passed).
#[test]
fn pill_drain_2p_1c_cap1() {
    let bound = Some(3);
    check("pill_drain_2p_1c_cap1", bound, || {
        pipeline::graceful_drain::<Real>(1, 2, 1, &[Collect])
    });
}

/// Forceful shutdown racing 1 producer × 2 items and 2 consumers, capacity
/// 1: every item taken from the source is consumed or undelivered, exactly
/// once, and the shutdown returns. Preemption bound 3.
#[test]
fn shutdown_now_conserves_items_1p_2c_cap1() {
    let bound = Some(3);
    check("shutdown_now_conserves_items_1p_2c_cap1", bound, || {
        pipeline::forceful_conservation(1, 1, 2, &[Collect, Collect])
    });
}

/// (h) An orchestrator that sends one poison pill too few is rejected (a
/// consumer never stops: the shutdown hangs), while the same orchestrator
/// with every pill passes the same model: 1 producer × 1 item, 2
/// consumers, capacity 1, preemption bound 3. The orchestrator
/// (`tests/support/pipeline.rs`) is the seed's protocol over the public
/// `SharedBuffer`, since the bug cannot be injected into the library.
#[test]
fn catches_one_poison_pill_too_few() {
    let bound = Some(3);
    check("bug_h/reference", bound, || {
        pipeline::graceful_drain::<Orchestrator<0>>(1, 1, 1, &[Collect, Collect])
    });
    let failure = rejects("bug_h/bug", bound, || {
        pipeline::graceful_drain::<Orchestrator<1>>(1, 1, 1, &[Collect, Collect])
    });
    assert_failure(&failure, "deadlock");
}
