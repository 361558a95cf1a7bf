//! Spurious wakeups from a thread of the model reaching putters, timed
//! waiters and joiners (`tests/support/paths.rs`), under loom and shuttle.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models paths:: -- --nocapture
//! RUSTFLAGS="--cfg shuttle" cargo test --test models paths::
//! ```
//!
//! Each doc comment gives the threads (the model timer and the
//! spurious-wakeup thread count) and the search; loom's executions are
//! printed with `-- --nocapture`.
#![cfg(any(loom, shuttle))]

use crate::support::harness::{model, rejects};
use crate::support::paths;

model! {
    /// Spurious wakeups (2 firings, from a thread of the model) reaching a
    /// putter on a full buffer and a timed getter. Threads: main, putter,
    /// spurious-wakeup thread. loom, preemption bound 3 (the exhaustive
    /// search was unfinished after 36 minutes and 56.7 M executions); shuttle, random 2 000 and
    /// PCT depth 3, 2 000.
    spurious_wakeups_reach_putters_and_timed_waiters =
        paths::spurious_wakeups_reach_putters_and_timed_waiters {
        loom: bound(3) with ();
        shuttle: random(2_000), pct(2_000, 3) with ();
    }

    /// A spurious wakeup reaching a joiner never ends `join` early.
    /// Threads: main (joiner), worker, spurious-wakeup thread. loom,
    /// exhaustive; shuttle, random 2 000 and PCT depth 3, 2 000.
    spurious_wakeups_do_not_end_a_join = paths::spurious_wakeups_do_not_end_a_join {
        loom: exhaustive with ();
        shuttle: random(2_000), pct(2_000, 3) with ();
    }
}

rejects! {
    /// `PutIfNotWhile` (a putter that puts after one wakeup without looking
    /// for room) is rejected by the putter model: a spurious wakeup from
    /// the model thread overfills the buffer, and the debug assertion in
    /// the buffer's count reports it. loom, preemption bound 3; shuttle,
    /// random 2 000.
    catches_a_put_with_if_not_while = PutIfNotWhile, "more items than capacity" {
        loom: bound(3) => paths::spurious_wakeups_reach_putters_and_timed_waiters();
        shuttle: random(2_000) => paths::spurious_wakeups_reach_putters_and_timed_waiters();
    }

    /// `JoinIfNotWhile` is rejected by the joiner model: a spurious wakeup
    /// from the model thread ends the join while the task is unfinished.
    /// loom, exhaustive; shuttle, random 2 000.
    catches_a_join_with_if_not_while = JoinIfNotWhile, "join returned before the task was done" {
        loom: exhaustive => paths::spurious_wakeups_do_not_end_a_join();
        shuttle: random(2_000) => paths::spurious_wakeups_do_not_end_a_join();
    }
}
