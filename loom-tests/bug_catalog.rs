//! The loom models can fail. Each test takes one known-buggy buffer of the
//! catalog (`tests/support/faulty.rs`), runs it through the model that
//! targets its bug, and asserts that loom rejects it for the right reason;
//! first it runs the same model, with the same bound, on the same buffer
//! without the bug (`bug::NONE`) and asserts that it passes — so the
//! rejection is the bug's doing, not the harness's.
//!
//! Bounds are given per test: `None` is an exhaustive search; loom stops at
//! the first failing execution either way.
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use runner::{assert_failure, check, rejects};
use support::faulty::{Faulty, bug};
use support::queue::Queue;
use support::scenarios::{self, Side::*};

const DEADLOCK: &str = "deadlock";

/// Runs `scenario` on the reference buffer (must pass), then on the buffer
/// with `BUG` (must fail with a message containing `expected`).
fn catch(name: &str, bound: Option<usize>, reference: fn(), buggy: fn(), expected: &str) {
    check(&format!("{name}/reference"), bound, reference);
    let failure = rejects(&format!("{name}/bug"), bound, buggy);
    assert_failure(&failure, expected);
}

type Reference = Faulty<u32, { bug::NONE }>;
type Buggy<const BUG: u8> = Faulty<u32, BUG>;

fn one_producer_two_consumers<Q: Queue<u32>>() {
    scenarios::exactly_once::<Q>(Main, Threads(2), 1, 2)
}

fn two_producers_one_consumer<Q: Queue<u32>>() {
    scenarios::exactly_once::<Q>(Threads(2), Main, 1, 1)
}

fn spurious<Q: Queue<u32>>() {
    scenarios::consumers_wait_on_empty::<Q>(1, true)
}

fn get_timeout_races_put<Q: Queue<u32>>() {
    scenarios::get_timeout_races_puts::<Q>(1, 1, 1, 1)
}

/// (a) One condition variable for both sides with `notify_one`: the classic
/// deadlock. Scenario: the main thread puts 2 items and closes, 2 consumer
/// threads, capacity 1. Preemption bound 2.
#[test]
fn catches_a_single_condvar_for_both_sides() {
    catch(
        "bug_a/1p_2c_cap1",
        Some(2),
        one_producer_two_consumers::<Reference>,
        one_producer_two_consumers::<Buggy<{ bug::SINGLE_CONDVAR }>>,
        DEADLOCK,
    );
}

/// (b) `close` wakes only one waiter per side. Scenario: 2 getters blocked
/// on an empty buffer, the main thread closing. Exhaustive.
#[test]
fn catches_close_that_wakes_only_one_waiter() {
    catch(
        "bug_b/close_wakes_blocked_getters",
        None,
        scenarios::close_wakes_blocked_getters::<Reference>,
        scenarios::close_wakes_blocked_getters::<Buggy<{ bug::CLOSE_WAKES_ONE }>>,
        DEADLOCK,
    );
}

/// (c) `get` does not notify the putting side. Scenario: 2 producers × 1
/// item, the main thread consuming, capacity 1. Exhaustive.
#[test]
fn catches_get_that_forgets_to_notify_putters() {
    catch(
        "bug_c/2p_1c_cap1",
        None,
        two_producers_one_consumer::<Reference>,
        two_producers_one_consumer::<Buggy<{ bug::GET_FORGETS_NOTIFY }>>,
        DEADLOCK,
    );
}

/// (d) `if` instead of `while` around the wait. Scenario: 2 consumers each
/// taking one item from an open buffer, the main thread waking every waiter
/// spuriously once and putting 2 items. Preemption bound 3.
#[test]
fn catches_if_instead_of_while() {
    catch(
        "bug_d/spurious_wakeup",
        Some(3),
        spurious::<Reference>,
        spurious::<Buggy<{ bug::IF_NOT_WHILE }>>,
        "get returned on an open, empty buffer",
    );
}

/// (e) A timed-out waiter swallows the `notify_one` that woke it.
/// Scenario: a timed and an untimed getter, the main thread putting one
/// item, the model timer firing once. Preemption bound 3.
#[test]
fn catches_timed_out_waiter_swallowing_a_notification() {
    catch(
        "bug_e/get_timeout_races_put",
        Some(3),
        get_timeout_races_put::<Reference>,
        get_timeout_races_put::<Buggy<{ bug::TIMEOUT_SWALLOWS_NOTIFY }>>,
        DEADLOCK,
    );
}

/// (f) A timeout path that drops the item. Scenario: one timed getter, the
/// main thread putting one item, the model timer firing once. Exhaustive.
#[test]
fn catches_timeout_that_drops_the_item() {
    catch(
        "bug_f/get_timeout_keeps_the_item",
        None,
        scenarios::get_timeout_keeps_the_item::<Reference>,
        scenarios::get_timeout_keeps_the_item::<Buggy<{ bug::TIMEOUT_DROPS_ITEM }>>,
        "lost or duplicated items",
    );
}

/// (g) `close` does not wake timed waiters. Scenario: a `get_timeout` and a
/// `put_timeout` waiting, the main thread closing, no timer (the clock
/// stands still). Exhaustive.
#[test]
fn catches_close_that_skips_timed_waiters() {
    catch(
        "bug_g/close_wakes_timed_waiters",
        None,
        scenarios::close_wakes_timed_waiters::<Reference>,
        scenarios::close_wakes_timed_waiters::<Buggy<{ bug::CLOSE_SKIPS_TIMED }>>,
        DEADLOCK,
    );
}

fn getters_wait_on_empty_cap2<Q: Queue<u32>>() {
    scenarios::consumers_wait_on_empty::<Q>(2, false)
}

/// (i) Wakeups only on the empty/full transition, never passed on. 2
/// getters waiting on an empty buffer of capacity 2, the main thread puts
/// 2. Exhaustive.
#[test]
fn catches_transition_only_wakeups_not_passed_on() {
    catch(
        "bug_i/getters_wait_on_empty_cap2",
        None,
        getters_wait_on_empty_cap2::<Reference>,
        getters_wait_on_empty_cap2::<Buggy<{ bug::TRANSITION_ONLY }>>,
        DEADLOCK,
    );
}
