//! loom models of `SharedBuffer`: every interleaving (or every one within a
//! preemption bound) of the real production code, run by
//! `RUSTFLAGS="--cfg loom" cargo test`.
//!
//! Each model says in its doc comment what it proves, its configuration,
//! and whether the search is exhaustive or preemption-bounded.
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use prodcon::SharedBuffer;
use runner::check;
use support::scenarios;

type Buffer = SharedBuffer<u32>;

/// No lost or duplicated item, no deadlock on a full buffer: 2 producer
/// threads × 1 item, the main thread consuming, capacity 1. Exhaustive.
#[test]
fn exactly_once_2p_1c_cap1() {
    check("exactly_once_2p_1c_cap1", None, || {
        scenarios::two_producers_one_consumer::<Buffer>(1)
    });
}

/// No lost or duplicated item, no deadlock on a full buffer, with more
/// items than room and both producers refilling: 2 producers × 2 items,
/// the main thread consuming, capacity 1. Preemption bound 3.
#[test]
fn exactly_once_2p_1c_cap1_two_items_each() {
    check("exactly_once_2p_1c_cap1_two_items_each", Some(3), || {
        scenarios::two_producers_one_consumer::<Buffer>(2)
    });
}

/// No lost or duplicated item, no deadlock on an empty buffer: the main
/// thread puts 2 items and closes, 2 consumer threads get until closed,
/// capacity 1. Preemption bound 4 (exhaustive was out of reach with two
/// locks; bound 5 also passes, in about a minute).
#[test]
fn exactly_once_1p_2c_cap1() {
    check("exactly_once_1p_2c_cap1", Some(4), || {
        scenarios::one_producer_two_consumers::<Buffer>(2)
    });
}

/// No lost or duplicated item with a separate closer: 2 producer threads,
/// 1 consumer thread, the main thread joining the producers and closing,
/// capacity 1, 1 item each. Preemption bound 4 (bound 5 also passes, in
/// about 40 s).
#[test]
fn exactly_once_2p_1c_cap1_with_closer() {
    check("exactly_once_2p_1c_cap1_with_closer", Some(4), || {
        scenarios::exactly_once::<Buffer>(2, 1, 1, 1)
    });
}

/// No deadlock on an empty buffer: 2 consumers that may wait before any
/// put each take exactly one item (no close to rescue a sleeper), the main
/// thread puts 2. Exhaustive.
#[test]
fn consumers_waiting_on_empty_are_woken() {
    check("consumers_waiting_on_empty_are_woken", None, || {
        scenarios::consumers_wait_on_empty::<Buffer>(false)
    });
}

/// The two-lock buffer wakes getters only when a put ends "empty", so a
/// woken getter must pass the wakeup on: 2 getters waiting on an empty
/// buffer of capacity 2 (no close to rescue a sleeper), the main thread
/// puts 2 — the second put may wake nobody. Exhaustive.
#[test]
fn getters_pass_the_wakeup_on_cap2() {
    check("getters_pass_the_wakeup_on_cap2", None, || {
        scenarios::consumers_wait_on_empty_at::<Buffer>(2, false)
    });
}

/// The mirror image: putters are woken only by a get that ends "full", so
/// a woken putter must pass the wakeup on. 2 putters blocked on a full
/// buffer of capacity 2, the main thread getting all 4 items one by one
/// (no close). Preemption bound 4 (exhaustive: unfinished after five
/// minutes).
#[test]
fn putters_pass_the_wakeup_on_cap2() {
    check("putters_pass_the_wakeup_on_cap2", Some(4), || {
        scenarios::putters_wait_on_full_at::<Buffer>(2)
    });
}

/// `close` wakes every blocked putter, each with its own item back: 2
/// putters on a full buffer of capacity 1, the main thread closing.
/// Exhaustive.
#[test]
fn close_wakes_blocked_putters() {
    check("close_wakes_blocked_putters", None, || {
        scenarios::close_wakes_blocked_putters::<Buffer>()
    });
}

/// `close` wakes every blocked getter: 2 getters on an empty buffer, the
/// main thread closing. Exhaustive.
#[test]
fn close_wakes_blocked_getters() {
    check("close_wakes_blocked_getters", None, || {
        scenarios::close_wakes_blocked_getters::<Buffer>()
    });
}

/// `close` racing a blocked put and a blocked get: a producer putting 2
/// items into capacity 1, a consumer taking 1, the main thread closing at
/// any point. Every waiter wakes; each item is delivered, handed back, or
/// left for a drain — exactly one. Exhaustive.
#[test]
fn close_races_blocked_put_and_get() {
    check("close_races_blocked_put_and_get", None, || {
        scenarios::close_races_put_and_get::<Buffer>()
    });
}

/// `join` never returns while a task is unfinished and never hangs once all
/// are: the main thread puts 2 items and joins, a worker gets and marks
/// both done, a second thread joins too. Preemption bound 5.
#[test]
fn join_waits_for_every_task() {
    check("join_waits_for_every_task", Some(5), || {
        scenarios::join_waits_for_every_task::<Buffer>()
    });
}
