//! loom models of spurious wakeups from a thread of the model reaching
//! putters, timed waiters and joiners (`tests/support/paths.rs`).
//!
//! Each doc comment gives the threads (the model timer and the
//! spurious-wakeup thread count) and the search; the executions are
//! printed with `-- --nocapture`.
#![cfg(loom)]

use crate::runner;

use crate::runner::check;
use crate::support::paths;

/// Spurious wakeups (2 firings, from a thread of the model) reaching a
/// putter on a full buffer and a timed getter. Threads: main, putter,
/// spurious-wakeup thread. Preemption bound 3 (the exhaustive search ran
/// past seven minutes unfinished).
#[test]
fn spurious_wakeups_reach_putters_and_timed_waiters() {
    check(
        "spurious_wakeups_reach_putters_and_timed_waiters",
        Some(3),
        paths::spurious_wakeups_reach_putters_and_timed_waiters,
    );
}

/// A spurious wakeup reaching a joiner never ends `join` early. Threads:
/// main (joiner), worker, spurious-wakeup thread. Exhaustive.
#[test]
fn spurious_wakeups_do_not_end_a_join() {
    check(
        "spurious_wakeups_do_not_end_a_join",
        None,
        paths::spurious_wakeups_do_not_end_a_join,
    );
}

/// `PutIfNotWhile` (a putter that puts after one wakeup without looking
/// for room) is rejected by the putter model: a spurious wakeup from the
/// model thread overfills the buffer, and the debug assertion in the
/// buffer's count reports it. The same model passes with the switch off
/// (above).
#[test]
fn catches_a_put_with_if_not_while() {
    use prodcon::model::{Fault, inject};
    let message = inject(&[Fault::PutIfNotWhile], || {
        runner::rejects(
            "spurious_wakeups_reach_putters_and_timed_waiters/PutIfNotWhile",
            Some(3),
            paths::spurious_wakeups_reach_putters_and_timed_waiters,
        )
    });
    runner::assert_failure(&message, "more items than capacity");
}

/// `JoinIfNotWhile` is rejected by the joiner model: a spurious wakeup
/// from the model thread ends the join while the task is unfinished.
#[test]
fn catches_a_join_with_if_not_while() {
    use prodcon::model::{Fault, inject};
    let message = inject(&[Fault::JoinIfNotWhile], || {
        runner::rejects(
            "spurious_wakeups_do_not_end_a_join/JoinIfNotWhile",
            None,
            paths::spurious_wakeups_do_not_end_a_join,
        )
    });
    runner::assert_failure(&message, "join returned before the task was done");
}
