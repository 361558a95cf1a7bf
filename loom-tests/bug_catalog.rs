//! The models can fail. For each known-buggy buffer of the catalog
//! (`tests/support/faulty.rs`), a test runs the models that target its bug
//! and asserts that the checker rejects it for the right reason; first it
//! runs the same model, with the same bound or schedule (and, under
//! shuttle, the same seed), on the same buffer without the bug
//! (`bug::NONE`) and asserts that it passes — so the rejection is the
//! bug's doing, not the harness's.
//!
//! Declared once per bug with `catches!` (`tests/support/harness.rs`);
//! the `models` target (`bug_catalog::`) holds the loom tests under
//! `RUSTFLAGS="--cfg loom"` and the shuttle tests under
//! `RUSTFLAGS="--cfg shuttle"`. loom stops at the first failing execution,
//! whatever the bound. The shuttle iteration counts leave a wide margin:
//! over 300 other seeds, the most executions any of them needed to find its
//! bug is given in each doc comment (measured with the scenarios' earlier
//! seeds).
#![cfg(any(loom, shuttle))]

#[allow(unused_imports)] // named by the shuttle declarations only
use crate::support;

use crate::support::faulty::bug;
use crate::support::harness::catches;
use crate::support::scenarios::Side::*;

catches! {
    /// (a) One condition variable for both sides with `notify_one`: the
    /// classic deadlock.
    ///
    /// - loom, preemption bound 3, and shuttle, random 1 000 (over 300
    ///   seeds: at most 54): the main thread puts 2 items and closes, 2
    ///   consumers, capacity 1. The reference's exhaustive search (7.5 M
    ///   executions) is in the third tier, `loom-tests/deep.rs`.
    /// - shuttle, PCT depth 3, 1 000 (over 300 seeds: always the first,
    ///   which PCT runs oldest-thread-first, whatever the seed): 4
    ///   producers × 3 items, 4 consumers, capacity 1. The random scheduler
    ///   finds it as fast, but with 8 threads asleep shuttle reports about
    ///   half of these deadlocks as "exceeded max_steps" (see
    ///   `tests/shuttle_replay.rs`), so PCT is used here.
    catches_a_single_condvar_for_both_sides = bug::SINGLE_CONDVAR, "deadlock" {
        loom: bound(3) on exactly_once(Main, Threads(2), 1, 2);
        shuttle: random(1_000) on exactly_once(Main, Threads(2), 1, 2);
        shuttle: pct(1_000, 3) on exactly_once(Threads(4), Threads(4), 1, 3);
    }

    /// (b) `close` wakes only one waiter per side.
    ///
    /// - loom, exhaustive: 2 getters blocked on an empty buffer, the main
    ///   thread closing.
    /// - shuttle, random 1 000 (over 300 seeds: at most 8): `close` racing
    ///   blocked puts and gets, 4 producers × 3 items, 4 consumers, the
    ///   main thread putting 3 and closing, capacity 1.
    catches_close_that_wakes_only_one_waiter = bug::CLOSE_WAKES_ONE, "deadlock" {
        loom: exhaustive on close_wakes_blocked_getters();
        shuttle: random(1_000) on close_races_puts_and_gets(4, 4, support::scenarios::Take::UntilClosed, 1, 3, 3);
    }

    /// (c) `get` does not notify the putting side. 2 producers × 1 item,
    /// the main thread consuming, capacity 1. loom, exhaustive; shuttle,
    /// random 1 000 (over 300 seeds: at most 6).
    catches_get_that_forgets_to_notify_putters = bug::GET_FORGETS_NOTIFY, "deadlock" {
        loom: exhaustive on exactly_once(Threads(2), Main, 1, 1);
        shuttle: random(1_000) on exactly_once(Threads(2), Main, 1, 1);
    }

    /// (d) `if` instead of `while` around the wait. 2 consumers each
    /// taking one item from an open buffer, the main thread waking every
    /// waiter spuriously once and putting 2 items. loom, exhaustive
    /// (137,952 executions of the reference); shuttle, random 1 000 (over
    /// 300 seeds: at most 9).
    catches_if_instead_of_while = bug::IF_NOT_WHILE, "get returned on an open, empty buffer" {
        loom: exhaustive on consumers_wait_on_empty(1, true);
        shuttle: random(1_000) on consumers_wait_on_empty(1, true);
    }

    /// (d) again, at size: spurious wakeups everywhere, 3 producers × 2
    /// items, 3 consumers, 3 spurious wakeups, capacity 1; `get` or
    /// `get_timeout` fails, whichever the schedule wakes first. shuttle,
    /// PCT depth 3, 1 000 (over 300 seeds: always the first, which PCT
    /// runs oldest-thread-first, whatever the seed).
    catches_if_instead_of_while_everywhere = bug::IF_NOT_WHILE, "returned on an open, empty buffer" {
        shuttle: pct(1_000, 3) on spurious_wakeups_everywhere(3, 3, 1, 2, 3);
    }

    /// (e) A timed-out waiter swallows the `notify_one` that woke it.
    ///
    /// - loom, preemption bound 3, and shuttle, random 2 000 (over 300
    ///   seeds: at most 137): a timed and an untimed getter, the main
    ///   thread putting one item, the timer firing once.
    /// - shuttle, PCT depth 3, 3 000 (over 300 seeds: at most 288), on the
    ///   putting side: a full buffer of capacity 1, 2 timed and 2 untimed
    ///   putters, the main thread taking the room they need, the timer
    ///   firing up to twice.
    catches_timed_out_waiter_swallowing_a_notification =
        bug::TIMEOUT_SWALLOWS_NOTIFY, "deadlock" {
        loom: bound(3) on get_timeout_races_puts(1, 1, 1, 1);
        shuttle: random(2_000) on get_timeout_races_puts(1, 1, 1, 1);
        shuttle: pct(3_000, 3) on put_timeout_races_gets(2, 2, 1, 2);
    }

    /// (f) A timeout path that drops the item. One timed getter, the main
    /// thread putting one item, the timer firing once. loom, exhaustive;
    /// shuttle, random 1 000 (over 300 seeds: at most 72).
    catches_timeout_that_drops_the_item = bug::TIMEOUT_DROPS_ITEM, "lost or duplicated items" {
        loom: exhaustive on get_timeout_keeps_the_item();
        shuttle: random(1_000) on get_timeout_keeps_the_item();
    }

    /// (g) `close` does not wake timed waiters. A `get_timeout` and a
    /// `put_timeout` waiting, the main thread closing, no timer (the clock
    /// stands still). loom, exhaustive; shuttle, random 1 000 (over 300
    /// seeds: at most 3).
    catches_close_that_skips_timed_waiters = bug::CLOSE_SKIPS_TIMED, "deadlock" {
        loom: exhaustive on close_wakes_timed_waiters();
        shuttle: random(1_000) on close_wakes_timed_waiters();
    }

    /// (i) Wakeups only on the empty/full transition, never passed on.
    ///
    /// - loom, exhaustive: 2 getters waiting on an empty buffer of
    ///   capacity 2, the main thread puts 2.
    /// - shuttle, random 1 000: 2 putters blocked on a full buffer of
    ///   capacity 3, the main thread getting every item.
    catches_transition_only_wakeups_not_passed_on = bug::TRANSITION_ONLY, "deadlock" {
        loom: exhaustive on consumers_wait_on_empty(2, false);
        shuttle: random(1_000) on putters_wait_on_full(3);
    }
}

/// Every bug of the catalog has a test above.
#[test]
fn every_bug_of_the_catalog_is_covered() {
    let covered = [
        bug::SINGLE_CONDVAR,
        bug::CLOSE_WAKES_ONE,
        bug::GET_FORGETS_NOTIFY,
        bug::IF_NOT_WHILE,
        bug::TIMEOUT_SWALLOWS_NOTIFY,
        bug::TIMEOUT_DROPS_ITEM,
        bug::CLOSE_SKIPS_TIMED,
        bug::TRANSITION_ONLY,
    ];
    for (letter, bug) in bug::ALL {
        assert!(covered.contains(&bug), "bug ({letter}) has no test");
    }
}
