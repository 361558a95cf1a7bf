//! The graceful drain with two consumers, the pipeline's largest loom
//! model: 1 producer × 2 items, 2 consumers, capacity 1, preemption bound
//! 3, about 7.5 M executions and eight minutes on a 2-core machine. Too
//! long for the users' command (`RUSTFLAGS="--cfg loom" cargo test`, which
//! runs the drain with 2 producers and 1 consumer at the same bound, and
//! the catalog's drains), it runs in the second tier
//! (`models_newest_first`, `notify_one` waking the newest waiter) and the
//! third (`models_deep`, the oldest), both in CI, so that both wakeup
//! orders reach the two consumers.
#![cfg(loom)]

use crate::support::harness::model;
use crate::support::pipeline::{self, ConsumerKind::Collect, Real};

model! {
    /// Graceful drain (as `pipeline::pill_drain`): every item consumed once,
    /// each consumer takes exactly one pill and nothing after it, the
    /// shutdown returns, the statistics add up.
    pill_drain_two_consumers = pipeline::graceful_drain::<Real> {
        loom: bound(3) with (1, 1, 2, &[Collect, Collect]);
    }
}
