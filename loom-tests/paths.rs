//! loom models of the buffer paths the property models did not reach
//! (`tests/support/paths.rs`): refill's append branch under an exact-order
//! check, non-blocking calls and `drain` waking blocked threads with no
//! close to rescue them, `join_timeout` giving up only after its timeout,
//! and spurious wakeups reaching putters, timed waiters and joiners.
//!
//! Each doc comment gives the threads (the model timer and the
//! spurious-wakeup thread count) and the search; the executions are
//! printed with `-- --nocapture`.
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use runner::check;
use support::paths;

/// FIFO through refill's append branch: 1 producer × 3 items (then close),
/// the main thread alternating `get` and `get_many(2)`, capacity 2; exact
/// order asserted. 2 threads. Exhaustive.
#[test]
fn refill_append_keeps_fifo_cap2() {
    check("refill_append_keeps_fifo_cap2", None, || {
        paths::refill_append_keeps_fifo(2, 3)
    });
}

/// `try_put` wakes a blocked getter and `try_get` a blocked putter, with no
/// close: capacity 1, one blocked thread at a time and the main thread's
/// non-blocking calls. 2 threads. Exhaustive.
#[test]
fn try_calls_wake_blocked_threads() {
    check(
        "try_calls_wake_blocked_threads",
        None,
        paths::try_calls_wake_blocked_threads,
    );
}

/// `drain` racing a putter blocked on a full buffer wakes it; every item
/// drained or taken once, in order. 2 threads. Exhaustive.
#[test]
fn drain_wakes_blocked_putters() {
    check(
        "drain_wakes_blocked_putters",
        None,
        paths::drain_wakes_blocked_putters,
    );
}

/// `join_timeout` returns `false` only once the model clock has passed its
/// timeout. Threads: main (joiner), worker, timer. Exhaustive.
#[test]
fn join_timeout_false_only_after_its_timeout() {
    check(
        "join_timeout_false_only_after_its_timeout",
        None,
        paths::join_timeout_false_only_after_its_timeout,
    );
}

/// Spurious wakeups (2 firings, from a thread of the model) reaching a
/// putter on a full buffer and a timed getter. Threads: main, putter,
/// spurious-wakeup thread. Exhaustive.
#[test]
fn spurious_wakeups_reach_putters_and_timed_waiters() {
    check(
        "spurious_wakeups_reach_putters_and_timed_waiters",
        None,
        paths::spurious_wakeups_reach_putters_timed_waiters_and_joiners,
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
