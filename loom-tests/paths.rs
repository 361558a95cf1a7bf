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
    /// putter on a full buffer. Threads: main, putter, spurious-wakeup
    /// thread. loom, exhaustive; shuttle, random 2 000 and PCT depth 3,
    /// 2 000.
    spurious_wakeups_reach_a_putter = paths::spurious_wakeups_reach_a_putter {
        loom: exhaustive with ();
        shuttle: random(2_000), pct(2_000, 3) with ();
    }

    /// Spurious wakeups (2 firings) reaching a `get_timeout` waiter while
    /// a putter brings the item. Threads: main (timed getter), putter,
    /// spurious-wakeup thread. loom, exhaustive; shuttle, random 2 000
    /// and PCT depth 3, 2 000.
    spurious_wakeups_reach_a_timed_getter = paths::spurious_wakeups_reach_a_timed_getter {
        loom: exhaustive with ();
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
    /// the buffer's count reports it. loom, exhaustive; shuttle, random
    /// 2 000.
    catches_a_put_with_if_not_while = PutIfNotWhile, "more items than capacity" {
        loom: exhaustive => paths::spurious_wakeups_reach_a_putter();
        shuttle: random(2_000) => paths::spurious_wakeups_reach_a_putter();
    }

    /// `JoinIfNotWhile` is rejected by the joiner model: a spurious wakeup
    /// from the model thread ends the join while the task is unfinished.
    /// loom, exhaustive; shuttle, random 2 000.
    catches_a_join_with_if_not_while = JoinIfNotWhile, "join returned before the task was done" {
        loom: exhaustive => paths::spurious_wakeups_do_not_end_a_join();
        shuttle: random(2_000) => paths::spurious_wakeups_do_not_end_a_join();
    }
}
