//! The catalog on the real code: each test switches on one fault of
//! `prodcon::model::Fault` — a deliberate bug at its real place in the
//! buffer or the pipeline — and shows that loom rejects it for the expected
//! reason. First it runs the same model, with the same bound, with every
//! switch off, and asserts that it passes: the rejection is the fault's
//! doing, not the scenario's.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models catalog::
//! ```
//!
//! Bounds are given per test: `None` is an exhaustive search (loom stops at
//! the first failing execution either way, so "exhaustive" describes the
//! run with the switch off). The scenarios are in
//! `tests/support/catalog_scenarios.rs`, `scenarios.rs` and `pipeline.rs`;
//! VERIFICATION.md ("The bug catalog on the real code") lists every fault with its tests and their messages.
#![cfg(loom)]

use crate::runner::{assert_failure, check, rejects};
use crate::support::catalog_scenarios as catalog;
use crate::support::pipeline::{self, ConsumerKind::Collect, Real};
use crate::support::scenarios;
use prodcon::SharedBuffer;
use prodcon::model::{Fault, inject};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const DEADLOCK: &str = "deadlock";

type Buffer = SharedBuffer<u32>;

/// Runs `model` with every switch off (must pass), then with `fault` on
/// (must fail with a message containing `expected`), both with `bound`.
/// Returns the failure's message.
fn catch(name: &str, bound: Option<usize>, fault: Fault, model: fn(), expected: &str) -> String {
    check(&format!("{name}/clean"), bound, model);
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let failure = inject(&[fault], || {
        rejects(&format!("{name}/{fault:?}"), bound, move || {
            counter.fetch_add(1, Ordering::Relaxed);
            model()
        })
    });
    eprintln!(
        "loom model {name}/{fault:?} rejected in execution {}: {failure}",
        executions.load(Ordering::Relaxed)
    );
    assert_failure(&failure, expected);
    failure
}

/// `close` wakes one waiter per side: 2 getters blocked on an empty buffer
/// of capacity 1, the main thread closing. 3 threads, exhaustive.
#[test]
fn close_wakes_one() {
    catch(
        "close_wakes_blocked_getters",
        None,
        Fault::CloseWakesOne,
        scenarios::close_wakes_blocked_getters::<Buffer>,
        DEADLOCK,
    );
}

/// A timed-out getter swallows the notification that woke it: a timed and
/// an untimed getter on an empty buffer of capacity 1, the main thread
/// putting one item, the model timer firing once (it must fire after the
/// clock moved and before the sweep, with the notification in between).
/// 4 threads (the timer counts), preemption bound 2.
#[test]
fn timeout_swallows_wakeup() {
    catch(
        "get_timeout_races_put",
        Some(2),
        Fault::TimeoutSwallowsWakeup,
        || scenarios::get_timeout_races_puts::<Buffer>(1, 1, 1, 1),
        DEADLOCK,
    );
}

/// `if` instead of `while` around the getter's wait: one getter on an
/// empty buffer, the main thread waking every waiter spuriously and then
/// putting one item. 2 threads, exhaustive.
#[test]
fn get_if_not_while() {
    catch(
        "getter_woken_spuriously",
        None,
        Fault::GetIfNotWhile,
        catalog::getter_woken_spuriously,
        "get returned on an open, empty buffer",
    );
}

/// Getters woken on the wrong count transition (1 instead of 0): one
/// getter waits on an empty buffer, the main thread puts one item. 2
/// threads, exhaustive.
#[test]
fn wake_getters_on_one() {
    catch(
        "getter_waits_for_a_put",
        None,
        Fault::WakeGettersOnOne,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// The putters' wakeup assumes one item per get: a full buffer of capacity
/// 2, 2 putters waiting, the main thread taking both items with one
/// `get_many(2)` and then joining the putters. 3 threads, exhaustive.
#[test]
fn wake_putters_assumes_one_item() {
    catch(
        "get_many_wakes_every_putter_it_makes_room_for",
        None,
        Fault::WakePuttersAssumesOneItem,
        scenarios::get_many_wakes_every_putter_it_makes_room_for,
        DEADLOCK,
    );
}

fn getters_wait_on_empty_cap2() {
    scenarios::consumers_wait_on_empty::<Buffer>(2, false)
}

/// No pass-on between getters: 2 getters wait on an empty buffer of
/// capacity 2, the main thread puts 2 items (no close). 3 threads,
/// preemption bound 3 (the exhaustive search, 80 k executions, takes
/// about 45 s; the fault needs few preemptions: the getters must both be
/// waiting before the main thread puts twice and blocks in a join).
#[test]
fn no_getter_pass_on() {
    catch(
        "getters_wait_on_empty_cap2",
        Some(3),
        Fault::NoGetterPassOn,
        getters_wait_on_empty_cap2,
        DEADLOCK,
    );
}

/// No pass-on between putters: 2 putters wait on a full buffer of capacity
/// 2, the main thread gets 2 items one by one and joins them (no close).
/// 3 threads, preemption bound 3 (the fault needs few preemptions: the
/// putters must both be waiting before the main thread gets twice and
/// blocks in a join).
#[test]
fn no_putter_pass_on() {
    catch(
        "putters_share_two_slots",
        Some(3),
        Fault::NoPutterPassOn,
        catalog::putters_share_two_slots,
        DEADLOCK,
    );
}

fn fifo_cap2_3_items() {
    catalog::fifo_across_get_and_get_many(2, 3)
}

/// Refill swaps a non-empty take lane away: 1 producer puts 3 items into a
/// buffer of capacity 2, the main thread alternates `get` and
/// `get_many(2)` and checks the exact order. 2 threads, exhaustive.
#[test]
fn refill_swaps_non_empty() {
    catch(
        "fifo_across_get_and_get_many_cap2",
        None,
        Fault::RefillSwapsNonEmpty,
        fifo_cap2_3_items,
        "reordered",
    );
}

/// A waiter not counted in its lane: a putter waits on a full buffer of
/// capacity 1, the main thread gets twice. 2 threads, exhaustive.
#[test]
fn waiter_not_counted() {
    catch(
        "putter_waits_for_a_get",
        None,
        Fault::WaiterNotCounted,
        catalog::putter_waits_for_a_get,
        DEADLOCK,
    );
}

/// The spin does not send its caller back to look: one getter waits on an
/// empty buffer, the main thread puts one item (the put lands while the
/// getter has released the lock). 2 threads, exhaustive.
#[test]
fn spin_skips_recheck() {
    catch(
        "getter_waits_for_a_put",
        None,
        Fault::SpinSkipsRecheck,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// Getters woken with the put lock held (lock order put → take, against
/// refill's take → put): one getter waits on an empty buffer, the main
/// thread puts one item. 2 threads, exhaustive.
#[test]
fn wake_getters_under_put_lock() {
    catch(
        "getter_waits_for_a_put",
        None,
        Fault::WakeGettersUnderPutLock,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// `get` reads the closed bit before it looks for items: the main thread
/// puts one item and closes, a getter gets until closed. 2 threads,
/// exhaustive.
#[test]
fn get_checks_closed_first() {
    catch(
        "getter_drains_a_closed_buffer",
        None,
        Fault::GetChecksClosedFirst,
        catalog::getter_drains_a_closed_buffer,
        "a getter gave up while items were buffered",
    );
}

/// `drain` wakes no putter: a putter waits on a full buffer of capacity 1,
/// the main thread drains it and joins the putter. 2 threads, exhaustive.
#[test]
fn drain_wakes_no_putter() {
    catch(
        "drain_wakes_a_blocked_putter",
        None,
        Fault::DrainWakesNoPutter,
        catalog::drain_wakes_a_blocked_putter,
        DEADLOCK,
    );
}

/// `if` instead of `while` around `join`'s wait: a joiner waits for one
/// task, the main thread wakes every waiter spuriously, then takes the item
/// and marks it done. 2 threads, exhaustive.
#[test]
fn join_if_not_while() {
    catch(
        "join_woken_spuriously",
        None,
        Fault::JoinIfNotWhile,
        catalog::join_woken_spuriously,
        "join returned early",
    );
}

fn pill_drain_1p_2c() {
    pipeline::graceful_drain::<Real>(1, 1, 1, &[Collect, Collect])
}

/// The real graceful shutdown sends one pill too few: 1 producer × 1 item,
/// 2 consumers, capacity 1. 4 threads, preemption bound 2.
#[test]
fn one_pill_too_few() {
    catch(
        "pill_drain_1p_2c_cap1",
        Some(2),
        Fault::OnePillTooFew,
        pill_drain_1p_2c,
        DEADLOCK,
    );
}

fn forceful_1p_1c() {
    pipeline::forceful_conservation(1, 1, 2, &[Collect])
}

/// The real producer drops its item in hand when `shutdown_now` closes the
/// buffer: 1 producer × 2 items, 1 consumer, capacity 1, the main thread
/// shutting down at once. 3 threads, preemption bound 3 (the exhaustive
/// search runs for minutes).
#[test]
fn producer_drops_item_on_close() {
    catch(
        "shutdown_now_1p_1c_cap1",
        Some(3),
        Fault::ProducerDropsItemOnClose,
        forceful_1p_1c,
        "produced = consumed + failed + undelivered",
    );
}

/// The real producer drops its item when its timed put times out: 1
/// producer × 2 items, 1 consumer, capacity 1, graceful shutdown, the model
/// timer firing once. 4 threads (the timer counts), preemption bound 2.
#[test]
fn producer_drops_item_on_retry() {
    catch(
        "pipeline_with_timed_retry",
        Some(2),
        Fault::ProducerDropsItemOnRetry,
        catalog::pipeline_with_timed_retry,
        "produced = consumed + failed + undelivered",
    );
}

fn pill_drain_1p_1c() {
    pipeline::graceful_drain::<Real>(1, 1, 1, &[Collect])
}

/// The real consumer goes on taking after its pill: 1 producer × 1 item, 1
/// consumer, capacity 1, graceful shutdown. 3 threads, exhaustive.
#[test]
fn consumer_goes_on_after_pill() {
    catch(
        "pill_drain_1p_1c_cap1",
        None,
        Fault::ConsumerGoesOnAfterPill,
        pill_drain_1p_1c,
        DEADLOCK,
    );
}

// ---------------------------------------------------------------------------
// Paths that the other models do not reach: `try_*` and `drain` racing
// waiters, `join_timeout` returning `false`. Each passes with every switch
// off, and is shown to be able to fail by a fault on the path it takes.
// ---------------------------------------------------------------------------

/// `try_put` wakes a blocked getter (2 threads, exhaustive); with the
/// getters' transition off by one it does not.
#[test]
fn path_try_put_wakes_a_blocked_getter() {
    catch(
        "try_put_wakes_a_blocked_getter",
        None,
        Fault::WakeGettersOnOne,
        catalog::try_put_wakes_a_blocked_getter,
        DEADLOCK,
    );
}

/// `try_get` wakes a blocked putter, and single items keep their order (2
/// threads, exhaustive); with the putter not counted as a waiter it is
/// not woken.
#[test]
fn path_try_get_wakes_a_blocked_putter() {
    catch(
        "try_get_wakes_a_blocked_putter",
        None,
        Fault::WaiterNotCounted,
        catalog::try_get_wakes_a_blocked_putter,
        DEADLOCK,
    );
}

/// `drain` racing a getter loses and duplicates nothing (2 threads,
/// exhaustive); with the getters' transition off by one, a getter that a
/// drain left waiting is not woken by the next put.
#[test]
fn path_drain_races_a_getter() {
    catch(
        "drain_races_a_getter",
        None,
        Fault::WakeGettersOnOne,
        catalog::drain_races_a_getter,
        DEADLOCK,
    );
}

/// `join_timeout` returns `false` only once the model clock has reached
/// its timeout, and `true` only once the task is done (3 threads with the
/// timer, exhaustive); with `if` instead of `while` around its wait, the
/// timer's wakeup makes it return `true` early.
#[test]
fn path_join_timeout_false_only_after_the_timeout() {
    catch(
        "join_timeout_false_only_after_the_timeout",
        None,
        Fault::JoinIfNotWhile,
        catalog::join_timeout_false_only_after_the_timeout,
        "join_timeout returned true early",
    );
}

/// Every fault of the catalog has a test above: the list is kept by hand,
/// and this fails when a fault is added to `Fault::CATALOG` without one.
#[test]
fn every_fault_has_a_loom_model() {
    let covered = [
        Fault::CloseWakesOne,
        Fault::TimeoutSwallowsWakeup,
        Fault::GetIfNotWhile,
        Fault::WakeGettersOnOne,
        Fault::WakePuttersAssumesOneItem,
        Fault::NoGetterPassOn,
        Fault::NoPutterPassOn,
        Fault::RefillSwapsNonEmpty,
        Fault::WaiterNotCounted,
        Fault::SpinSkipsRecheck,
        Fault::WakeGettersUnderPutLock,
        Fault::GetChecksClosedFirst,
        Fault::DrainWakesNoPutter,
        Fault::JoinIfNotWhile,
        Fault::OnePillTooFew,
        Fault::ProducerDropsItemOnClose,
        Fault::ProducerDropsItemOnRetry,
        Fault::ConsumerGoesOnAfterPill,
    ];
    for fault in Fault::CATALOG {
        assert!(covered.contains(fault), "{fault:?} has no loom model");
    }
}
