//! Exhaustive loom searches too long for CI or for one sitting, run in
//! segments that can be stopped and resumed (loom's `checkpoint`).
//!
//! The two 3-thread `exactly_once` configurations that the first and third
//! tiers explore under a preemption bound (`loom-tests/buffer.rs`,
//! `loom-tests/deep.rs`): an hour of exhaustive search did not finish
//! either (VERIFICATION.md). Here each is explored without a bound, by
//! segments:
//!
//! ```text
//! PRODCON_LOOM_CHECKPOINT=producers_refill.json \
//!   RUSTFLAGS="--cfg loom" cargo test --features loom-checkpoint \
//!   --test models_resumable -- producers_refill --exact --nocapture
//! ```
//!
//! Stop it at any time (the work since the last 100,000th execution is
//! redone); the same command goes on from the file's place. When the
//! search ends, the test passes, prints the executions of all segments and
//! removes the checkpoint; `<file>.count` keeps the total. Without
//! `PRODCON_LOOM_CHECKPOINT` the tests refuse to run rather than start a
//! search whose place would be lost. A plain `cargo test` does not build
//! this target (`test = false`, and it needs the `loom-checkpoint`
//! feature); CI does not run it.
#![cfg(loom)]

#[path = "../tests/support/mod.rs"]
mod support;

/// Which waiter a model `notify_one` wakes in this target: the oldest, as
/// in the first tier.
pub(crate) const NEWEST_FIRST: bool = false;

use prodcon::SharedBuffer;
use support::scenarios::{self, Side::*};

/// Where the search records its place: required, see the module doc.
fn checkpoint() -> std::path::PathBuf {
    std::env::var_os("PRODCON_LOOM_CHECKPOINT")
        .expect("set PRODCON_LOOM_CHECKPOINT to the file where the search keeps its place")
        .into()
}

/// `buffer::exactly_once(Threads(2), Main, 1, 2)`: 2 producers × 2 items
/// refilling a buffer of capacity 1, the main thread taking every item.
#[test]
fn producers_refill() {
    support::loom_runner::check_resumable(
        "producers_refill(Threads(2), Main, 1, 2)",
        &checkpoint(),
        || scenarios::exactly_once::<SharedBuffer<u32>>(Threads(2), Main, 1, 2),
    );
}

/// `buffer::exactly_once(Main, Threads(2), 1, 2)`: the main thread puts 2
/// items into a buffer of capacity 1 and closes, 2 consumers.
#[test]
fn close_races_consumers() {
    support::loom_runner::check_resumable(
        "close_races_consumers(Main, Threads(2), 1, 2)",
        &checkpoint(),
        || scenarios::exactly_once::<SharedBuffer<u32>>(Main, Threads(2), 1, 2),
    );
}
