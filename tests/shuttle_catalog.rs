//! The catalog on the real code, under shuttle: each test switches on one
//! fault of `prodcon::model::Fault` — a deliberate bug at its real place in
//! the buffer or the pipeline — and shows that shuttle rejects it for the
//! expected reason. First it runs the same scenario, with the same
//! scheduler, iteration count and seed, with every switch off, and asserts
//! that it passes.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" cargo test --test shuttle_catalog
//! ```
//!
//! The scenarios are the loom catalog's (`loom-tests/catalog.rs`), some at
//! a larger size. Under shuttle a waiter spins once (a model `yield_now`)
//! before it parks, and `notify_one` wakes a waiter chosen at random, so
//! the schedules differ from loom's. Every test has a fixed seed derived
//! from its name (see `support/shuttle_runner.rs`), so the faults are
//! caught in the same executions every run; the iteration counts leave a
//! margin over the executions each needed (given in the doc comments, as
//! measured with these seeds).
#![cfg(shuttle)]

#[path = "support/mod.rs"]
mod support;

use prodcon::SharedBuffer;
use prodcon::model::{Fault, inject};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::catalog_scenarios as catalog;
use support::pipeline::{self, ConsumerKind::Collect, Real, with_event_capture};
use support::scenarios;
use support::shuttle_runner::{Schedule, assert_failure, rejects, run};

const DEADLOCK: &str = "deadlock";

type Buffer = SharedBuffer<u32>;

/// Runs `scenario` with every switch off (must pass), then with `fault` on
/// (must fail with a message containing `expected`), both under `schedule`
/// with the seed of `name`. Returns the failure's message.
fn catch(name: &str, schedule: Schedule, fault: Fault, scenario: fn(), expected: &str) -> String {
    run(name, schedule, scenario);
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let failure = inject(&[fault], || {
        rejects(name, schedule, move || {
            counter.fetch_add(1, Ordering::Relaxed);
            scenario()
        })
    });
    eprintln!(
        "shuttle {name}/{fault:?} rejected in execution {}: {failure}",
        executions.load(Ordering::Relaxed)
    );
    assert_failure(&failure, expected);
    failure
}

/// [`catch`] for a scenario over the real pipeline, observed through its
/// events (shuttle's tasks see the subscriber current when the run began).
fn catch_pipeline(
    name: &str,
    schedule: Schedule,
    fault: Fault,
    scenario: fn(),
    expected: &str,
) -> String {
    with_event_capture(|| catch(name, schedule, fault, scenario, expected))
}

fn random(iterations: usize) -> Schedule {
    Schedule::Random { iterations }
}

fn close_races_3p_3c_cap1() {
    scenarios::close_races_puts_and_gets::<Buffer>(3, 3, scenarios::Take::UntilClosed, 1, 2, 2)
}

/// `close` wakes one waiter per side: `close` racing blocked puts and gets,
/// 3 producers × 2 items, 3 consumers, the main thread putting 2 and
/// closing, capacity 1. Random scheduler, 1 000 executions; with this seed
/// the fault is caught in execution 2.
#[test]
fn close_wakes_one() {
    catch(
        "catalog/close_races_3p_3c_cap1",
        random(1_000),
        Fault::CloseWakesOne,
        close_races_3p_3c_cap1,
        DEADLOCK,
    );
}

fn get_timeout_races_puts_2t_2u() {
    scenarios::get_timeout_races_puts::<Buffer>(2, 2, 4, 2)
}

/// A timed-out getter swallows the notification that woke it: 2 timed and 2
/// untimed getters, the main thread putting 4 items, the timer firing up to
/// twice. Random scheduler, 6 000 executions; with this seed the fault is
/// caught in execution 650 (with `SHUTTLE_RANDOM_SEED` 11 to 18, at most
/// 1 052).
#[test]
fn timeout_swallows_wakeup() {
    catch(
        "catalog/get_timeout_races_puts_2t_2u",
        random(6_000),
        Fault::TimeoutSwallowsWakeup,
        get_timeout_races_puts_2t_2u,
        DEADLOCK,
    );
}

/// `if` instead of `while` around the getter's wait: one getter, the main
/// thread waking every waiter spuriously and putting one item. Random
/// scheduler, 1 000 executions; with this seed the fault is caught in
/// execution 1.
#[test]
fn get_if_not_while() {
    catch(
        "catalog/getter_woken_spuriously",
        random(1_000),
        Fault::GetIfNotWhile,
        catalog::getter_woken_spuriously,
        "get returned on an open, empty buffer",
    );
}

/// Getters woken on the wrong count transition: one getter waits, the main
/// thread puts one item. Random scheduler, 1 000 executions; with this seed
/// the fault is caught in execution 1.
#[test]
fn wake_getters_on_one() {
    catch(
        "catalog/getter_waits_for_a_put/wake_getters_on_one",
        random(1_000),
        Fault::WakeGettersOnOne,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// The putters' wakeup assumes one item per get: 2 putters wait on a full
/// buffer of capacity 2, the main thread takes both items with one
/// `get_many(2)`. Random scheduler, 1 000 executions; with this seed the
/// fault is caught in execution 1.
#[test]
fn wake_putters_assumes_one_item() {
    catch(
        "catalog/get_many_wakes_every_putter",
        random(1_000),
        Fault::WakePuttersAssumesOneItem,
        scenarios::get_many_wakes_every_putter_it_makes_room_for,
        DEADLOCK,
    );
}

fn getters_wait_on_empty_cap2() {
    scenarios::consumers_wait_on_empty::<Buffer>(2, false)
}

/// No pass-on between getters: 2 getters wait on an empty buffer of
/// capacity 2, the main thread puts 2 items. Random scheduler, 1 000
/// executions; with this seed the fault is caught in execution 46.
#[test]
fn no_getter_pass_on() {
    catch(
        "catalog/getters_wait_on_empty_cap2",
        random(1_000),
        Fault::NoGetterPassOn,
        getters_wait_on_empty_cap2,
        DEADLOCK,
    );
}

fn putters_wait_on_full_cap3() {
    scenarios::putters_wait_on_full::<Buffer>(3)
}

/// No pass-on between putters: 2 putters wait on a full buffer of capacity
/// 3, the main thread gets every item one by one. Random scheduler, 1 000
/// executions; with this seed the fault is caught in execution 8.
#[test]
fn no_putter_pass_on() {
    catch(
        "catalog/putters_wait_on_full_cap3",
        random(1_000),
        Fault::NoPutterPassOn,
        putters_wait_on_full_cap3,
        DEADLOCK,
    );
}

fn fifo_cap3_8_items() {
    catalog::fifo_across_get_and_get_many(3, 8)
}

/// Refill swaps a non-empty take lane away: 1 producer puts 8 items into a
/// buffer of capacity 3, the main thread alternates `get` and `get_many(2)`
/// and checks the exact order. Random scheduler, 1 000 executions; with
/// this seed the fault is caught in execution 15.
#[test]
fn refill_swaps_non_empty() {
    catch(
        "catalog/fifo_across_get_and_get_many_cap3",
        random(1_000),
        Fault::RefillSwapsNonEmpty,
        fifo_cap3_8_items,
        "reordered",
    );
}

/// A waiter not counted in its lane: a putter waits on a full buffer, the
/// main thread gets twice. Random scheduler, 1 000 executions; with this
/// seed the fault is caught in execution 7.
#[test]
fn waiter_not_counted() {
    catch(
        "catalog/putter_waits_for_a_get",
        random(1_000),
        Fault::WaiterNotCounted,
        catalog::putter_waits_for_a_get,
        DEADLOCK,
    );
}

/// The spin does not send its caller back to look: one getter waits, the
/// main thread puts one item. Random scheduler, 1 000 executions; with this
/// seed the fault is caught in execution 4.
#[test]
fn spin_skips_recheck() {
    catch(
        "catalog/getter_waits_for_a_put/spin_skips_recheck",
        random(1_000),
        Fault::SpinSkipsRecheck,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// Getters woken with the put lock held: one getter waits, the main thread
/// puts one item. Random scheduler, 1 000 executions; with this seed the
/// fault is caught in execution 2.
#[test]
fn wake_getters_under_put_lock() {
    catch(
        "catalog/getter_waits_for_a_put/wake_getters_under_put_lock",
        random(1_000),
        Fault::WakeGettersUnderPutLock,
        catalog::getter_waits_for_a_put,
        DEADLOCK,
    );
}

/// `get` reads the closed bit before it looks for items: the main thread
/// puts one item and closes, a getter gets until closed. Random scheduler,
/// 1 000 executions; with this seed the fault is caught in execution 4.
#[test]
fn get_checks_closed_first() {
    catch(
        "catalog/getter_drains_a_closed_buffer",
        random(1_000),
        Fault::GetChecksClosedFirst,
        catalog::getter_drains_a_closed_buffer,
        "a getter gave up while items were buffered",
    );
}

/// `drain` wakes no putter: a putter waits on a full buffer, the main
/// thread drains it. Random scheduler, 1 000 executions; with this seed the
/// fault is caught in execution 6.
#[test]
fn drain_wakes_no_putter() {
    catch(
        "catalog/drain_wakes_a_blocked_putter",
        random(1_000),
        Fault::DrainWakesNoPutter,
        catalog::drain_wakes_a_blocked_putter,
        DEADLOCK,
    );
}

/// `if` instead of `while` around `join`'s wait: a joiner waits for one
/// task, the main thread wakes every waiter spuriously and finishes the
/// task. Random scheduler, 1 000 executions; with this seed the fault is
/// caught in execution 1.
#[test]
fn join_if_not_while() {
    catch(
        "catalog/join_woken_spuriously",
        random(1_000),
        Fault::JoinIfNotWhile,
        catalog::join_woken_spuriously,
        "join returned early",
    );
}

fn pill_drain_2p_3c_cap2() {
    pipeline::graceful_drain::<Real>(2, 2, 2, &[Collect, Collect, Collect])
}

/// The real graceful shutdown sends one pill too few: 2 producers × 2
/// items, 3 consumers, capacity 2. Random scheduler, 200 executions; with
/// this seed the fault is caught in execution 1.
#[test]
fn one_pill_too_few() {
    catch_pipeline(
        "catalog/pill_drain_2p_3c_cap2/one_pill_too_few",
        random(200),
        Fault::OnePillTooFew,
        pill_drain_2p_3c_cap2,
        DEADLOCK,
    );
}

fn forceful_2p_2c_cap1() {
    pipeline::forceful_conservation(1, 2, 2, &[Collect, Collect])
}

/// The real producer drops its item in hand when `shutdown_now` closes the
/// buffer: 2 producers × 2 items, 2 consumers, capacity 1. Random
/// scheduler, 1 000 executions; with this seed the fault is caught in
/// execution 1.
#[test]
fn producer_drops_item_on_close() {
    catch_pipeline(
        "catalog/shutdown_now_2p_2c_cap1",
        random(1_000),
        Fault::ProducerDropsItemOnClose,
        forceful_2p_2c_cap1,
        "produced = consumed + failed + undelivered",
    );
}

/// The real producer drops its item when its timed put times out: 1
/// producer × 2 items, 1 consumer, capacity 1, graceful shutdown, the model
/// timer firing once. Random scheduler, 5 000 executions; with this seed
/// the fault is caught in execution 801 (with `SHUTTLE_RANDOM_SEED` 11 to
/// 18, at most 1 151).
#[test]
fn producer_drops_item_on_retry() {
    catch_pipeline(
        "catalog/pipeline_with_timed_retry",
        random(5_000),
        Fault::ProducerDropsItemOnRetry,
        catalog::pipeline_with_timed_retry,
        "produced = consumed + failed + undelivered",
    );
}

/// The real consumer goes on taking after its pill: 2 producers × 2 items,
/// 3 consumers, capacity 2, graceful shutdown. Random scheduler, 200
/// executions; with this seed the fault is caught in execution 1.
#[test]
fn consumer_goes_on_after_pill() {
    catch_pipeline(
        "catalog/pill_drain_2p_3c_cap2/consumer_goes_on_after_pill",
        random(200),
        Fault::ConsumerGoesOnAfterPill,
        pill_drain_2p_3c_cap2,
        DEADLOCK,
    );
}

// ---------------------------------------------------------------------------
// Paths that the other models do not reach: `try_*` and `drain` racing
// waiters, `join_timeout` returning `false`. Each passes with every switch
// off, and is shown to be able to fail by a fault on the path it takes.
// ---------------------------------------------------------------------------

/// `try_put` wakes a blocked getter (random scheduler, 1 000 executions);
/// with the getters' transition off by one it does not; with this seed the
/// fault is caught in execution 10.
#[test]
fn path_try_put_wakes_a_blocked_getter() {
    catch(
        "catalog/path/try_put_wakes_a_blocked_getter",
        random(1_000),
        Fault::WakeGettersOnOne,
        catalog::try_put_wakes_a_blocked_getter,
        DEADLOCK,
    );
}

/// `try_get` wakes a blocked putter, and single items keep their order
/// (random scheduler, 1 000 executions); with the putter not counted as a
/// waiter it is not woken; with this seed the fault is caught in execution
/// 3.
#[test]
fn path_try_get_wakes_a_blocked_putter() {
    catch(
        "catalog/path/try_get_wakes_a_blocked_putter",
        random(1_000),
        Fault::WaiterNotCounted,
        catalog::try_get_wakes_a_blocked_putter,
        DEADLOCK,
    );
}

/// `drain` racing a getter loses and duplicates nothing (random scheduler,
/// 1 000 executions); with the getters' transition off by one, a getter
/// that a drain left waiting is not woken by the next put; with this seed
/// the fault is caught in execution 1.
#[test]
fn path_drain_races_a_getter() {
    catch(
        "catalog/path/drain_races_a_getter",
        random(1_000),
        Fault::WakeGettersOnOne,
        catalog::drain_races_a_getter,
        DEADLOCK,
    );
}

/// `join_timeout` returns `false` only once the model clock has reached its
/// timeout, and `true` only once the task is done (random scheduler, 6 000
/// executions); with `if` instead of `while` around its wait, the timer's
/// wakeup makes it return `true` early; with this seed the fault is caught
/// in execution 307 (with `SHUTTLE_RANDOM_SEED` 11 to 18, at most 1 735).
#[test]
fn path_join_timeout_false_only_after_the_timeout() {
    catch(
        "catalog/path/join_timeout_false_only_after_the_timeout",
        random(6_000),
        Fault::JoinIfNotWhile,
        catalog::join_timeout_false_only_after_the_timeout,
        "join_timeout returned true early",
    );
}

/// Every fault of the catalog has a test above: the list is kept by hand,
/// and this fails when a fault is added to `Fault::CATALOG` without one.
#[test]
fn every_fault_has_a_shuttle_test() {
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
        assert!(covered.contains(fault), "{fault:?} has no shuttle test");
    }
}
