//! shuttle runs of the batch scenarios (`put_many`, `get_many`) at sizes
//! loom cannot explore: random schedules and PCT (probabilistic
//! concurrency testing, which finds bugs of a given depth with a known
//! probability) over the real `SharedBuffer`, built on the facade's model
//! condition variable, spin and clock.
//!
//! Run by `RUSTFLAGS="--cfg shuttle" cargo test --release`. Every test has
//! a fixed seed derived from its name (`support/shuttle_runner.rs`), so CI
//! runs the same schedules every time; a failure prints the schedule, which
//! `shuttle::replay` reproduces.
#![cfg(shuttle)]

#[path = "support/mod.rs"]
mod support;

#[path = "support/shuttle_runner.rs"]
mod shuttle_runner;

use support::scenarios;

/// Random schedules per test.
const RANDOM: usize = 2_000;
/// PCT schedules per test, and the bug depth they target.
const PCT: usize = 1_000;
const DEPTH: usize = 3;

/// Runs `f` under the random scheduler and under PCT, each with its own
/// seed.
fn both(name: &str, f: fn()) {
    shuttle_runner::random(&format!("{name}/random"), RANDOM, f);
    shuttle_runner::pct(&format!("{name}/pct"), PCT, DEPTH, f);
}

/// 1 producer puts 20 items with one `put_many` into capacity 3, 1
/// consumer takes with `get_many(4)`: FIFO, exactly once.
#[test]
fn put_many_get_many_in_order_20_items_cap3() {
    both("put_many_get_many_in_order_20_items_cap3", || {
        scenarios::put_many_get_many_in_order(3, 20, 4)
    });
}

/// 3 `put_many` producers × 6 items, 3 `get_many(2)` consumers, capacity
/// 2: exactly once, each producer's items in order per consumer.
#[test]
fn batch_exactly_once_3p_3c_cap2() {
    both("batch_exactly_once_3p_3c_cap2", || {
        scenarios::batch_exactly_once(3, 3, 2, 6, 2)
    });
}

/// 2 producers × 5 items, 4 consumers taking up to 3, capacity 1.
#[test]
fn batch_exactly_once_2p_4c_cap1() {
    both("batch_exactly_once_2p_4c_cap1", || {
        scenarios::batch_exactly_once(2, 4, 1, 5, 3)
    });
}

/// A `put_many` of 2 items wakes both blocked getters, with and without a
/// spurious wakeup.
#[test]
fn put_many_wakes_every_getter_it_fills() {
    both("put_many_wakes_every_getter_it_fills", || {
        scenarios::put_many_wakes_every_getter_it_fills(false)
    });
    both("put_many_wakes_every_getter_it_fills/spurious", || {
        scenarios::put_many_wakes_every_getter_it_fills(true)
    });
}

/// A `get_many` that frees 2 slots wakes both blocked putters.
#[test]
fn get_many_wakes_every_putter_it_makes_room_for() {
    both(
        "get_many_wakes_every_putter_it_makes_room_for",
        scenarios::get_many_wakes_every_putter_it_makes_room_for,
    );
}

/// `close` racing a `put_many` and a `get_many`: conservation, and the
/// items handed back are the batch's tail.
#[test]
fn close_races_put_many() {
    both("close_races_put_many", scenarios::close_races_put_many);
}

/// `join` waits for a `task_done` per item of a `put_many`.
#[test]
fn join_waits_for_put_many_tasks() {
    both(
        "join_waits_for_put_many_tasks",
        scenarios::join_waits_for_put_many_tasks,
    );
}

/// A `put_many` that leaves room passes the putters' wakeup on: a batch of
/// 3 and a single put waiting on a full buffer of capacity 6, the main
/// thread getting all 10 items (no close). Random scheduler, 20 000
/// executions, and PCT depth 3, 20 000 — this needs a batch of 2 or more
/// landing in a buffer that holds 2 or more, which the loom batch models
/// (capacity 1 and 2) cannot build.
#[test]
fn put_many_passes_the_wakeup_on_cap6() {
    shuttle_runner::random(
        "put_many_passes_the_wakeup_on_cap6/random",
        20_000,
        scenarios::put_many_passes_the_wakeup_on,
    );
    shuttle_runner::pct(
        "put_many_passes_the_wakeup_on_cap6/pct",
        20_000,
        3,
        scenarios::put_many_passes_the_wakeup_on,
    );
}
