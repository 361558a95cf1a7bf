//! Loom models of `SharedBuffer`'s batch operations, `put_many` and
//! `get_many`: every interleaving of the real code (or every one within a
//! preemption bound, where the doc comment says so), run by
//! `RUSTFLAGS="--cfg loom" cargo test`.
//!
//! The scenarios are the batch ones at the end of
//! `tests/support/scenarios.rs`; shuttle runs the same ones at larger sizes
//! (`tests/shuttle_batch.rs`). Each doc comment gives the configuration,
//! the bound and the executions explored (in `--release`; see them with
//! `-- --nocapture`).
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use runner::check;
use support::scenarios;

/// FIFO and exactly-once through one `put_many` and repeated
/// `get_many(2)`: 1 producer putting 5 items into capacity 2 (it waits for
/// room), 1 consumer, the main thread closing. Exhaustive: 326,187
/// executions.
#[test]
fn put_many_get_many_in_order_cap2() {
    check("put_many_get_many_in_order_cap2", None, || {
        scenarios::put_many_get_many_in_order(2, 5, 2)
    });
}

/// A `put_many` of 2 items wakes both getters blocked in `get_many(1)` on
/// an empty buffer — no close rescues a sleeper. Exhaustive: 3,753
/// executions.
#[test]
fn put_many_wakes_every_getter_it_fills() {
    check("put_many_wakes_every_getter_it_fills", None, || {
        scenarios::put_many_wakes_every_getter_it_fills(false)
    });
}

/// The same, with a spurious wakeup of every waiter at a point loom
/// chooses: `get_many` waits again instead of returning an empty batch.
/// Exhaustive: 68,716 executions.
#[test]
fn get_many_survives_a_spurious_wakeup() {
    check("get_many_survives_a_spurious_wakeup", None, || {
        scenarios::put_many_wakes_every_getter_it_fills(true)
    });
}

/// A `get_many` that frees 2 slots wakes both putters blocked on the full
/// buffer (capacity 2) — no close rescues a sleeper. Exhaustive: 4,650
/// executions.
#[test]
fn get_many_wakes_every_putter_it_makes_room_for() {
    check(
        "get_many_wakes_every_putter_it_makes_room_for",
        None,
        scenarios::get_many_wakes_every_putter_it_makes_room_for,
    );
}

/// `close` racing a `put_many` of 3 items into capacity 1 and a
/// `get_many(2)`: every waiter wakes, the items handed back are the
/// batch's tail in order, and each item is delivered, handed back or left
/// for a drain — exactly one. Exhaustive: 125,451 executions.
#[test]
fn close_races_put_many() {
    check(
        "close_races_put_many",
        None,
        scenarios::close_races_put_many,
    );
}

/// Each item of a `put_many` is one task: `join` returns only after a
/// `task_done` per item taken with `get_many`, and never hangs.
/// Exhaustive: 258 executions.
#[test]
fn join_waits_for_put_many_tasks() {
    check(
        "join_waits_for_put_many_tasks",
        None,
        scenarios::join_waits_for_put_many_tasks,
    );
}

/// Exactly once with 2 `put_many` producers (2 items each) and 1
/// `get_many(2)` consumer at capacity 1, the main thread closing.
/// Preemption bound 3: 165,148 executions.
#[test]
fn batch_exactly_once_2p_1c_cap1() {
    check("batch_exactly_once_2p_1c_cap1", Some(3), || {
        scenarios::batch_exactly_once(2, 1, 1, 2, 2)
    });
}
