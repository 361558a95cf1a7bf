//! Randomized (shuttle) tests of `SharedBuffer`: the properties of the loom
//! models (`loom-tests/`) at sizes loom cannot explore — 4 producers × 4
//! consumers with several items each, up to 9 model threads — run against the
//! real production code under shuttle's random scheduler and under PCT; and,
//! for every bug of the catalog (`tests/support/faulty.rs`), a test that these
//! checks reject it.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" cargo test --release --test shuttle_buffer
//! ```
//!
//! The scenarios are shared with loom (`tests/support/scenarios.rs`); they
//! spawn their threads through the crate's facade, which under
//! `cfg(shuttle)` also brings the model timer (timed waits time out at
//! moments the scheduler chooses), spurious wakeups, and a `notify_one` that
//! wakes a waiter chosen at random.
//!
//! Every test has a fixed seed, derived from its name (see
//! `support/shuttle_runner.rs`): CI runs the same schedules every time, a
//! failure reproduces by running the test again, and the known-buggy buffers
//! are caught in the same execution every time. To explore other schedules,
//! set shuttle's `SHUTTLE_RANDOM_SEED` (it overrides every seed here).
//!
//! Reading a failure: shuttle prints the failing schedule, which
//! `shuttle::replay` reproduces (see
//! [`a_failing_schedule_replays_from_its_string`]). A deadlock is a panic
//! whose message starts with "deadlock!"; with many threads asleep at once,
//! shuttle may instead end the execution with "exceeded max_steps bound"
//! (the facade's waiters sleep in `thread::park`, which shuttle wakes
//! spuriously while any other thread can run, and a handful of sleepers keep
//! one another awake).
#![cfg(shuttle)]

#[path = "support/mod.rs"]
mod support;

#[path = "support/shuttle_runner.rs"]
mod shuttle_runner;

use prodcon::SharedBuffer;
use shuttle_runner::{
    Schedule, assert_failure, pct, random, rejects, rejects_with_schedule, replay_rejects, run,
};
use support::faulty::{Faulty, bug};
use support::scenarios;

type Buffer = SharedBuffer<u32>;

// ---------------------------------------------------------------------------
// Exactly-once delivery, 4 producers × 4 consumers.
// ---------------------------------------------------------------------------

/// No lost or duplicated item and no deadlock on a full or an empty buffer:
/// 4 producers × 3 items, 4 consumers getting until closed, the main thread
/// joining the producers and closing, capacity 1. Random scheduler, 40 000
/// executions.
#[test]
fn exactly_once_4p_4c_cap1_random() {
    random("exactly_once_4p_4c_cap1_random", 40_000, || {
        scenarios::exactly_once::<Buffer>(4, 4, 1, 3)
    });
}

/// As [`exactly_once_4p_4c_cap1_random`]: 4 producers × 3 items, 4
/// consumers, capacity 1. PCT depth 3, 40 000 executions.
#[test]
fn exactly_once_4p_4c_cap1_pct3() {
    pct("exactly_once_4p_4c_cap1_pct3", 40_000, 3, || {
        scenarios::exactly_once::<Buffer>(4, 4, 1, 3)
    });
}

/// As [`exactly_once_4p_4c_cap1_random`]: 4 producers × 3 items, 4
/// consumers, capacity 1. PCT depth 2, 20 000 executions.
#[test]
fn exactly_once_4p_4c_cap1_pct2() {
    pct("exactly_once_4p_4c_cap1_pct2", 20_000, 2, || {
        scenarios::exactly_once::<Buffer>(4, 4, 1, 3)
    });
}

/// No lost or duplicated item, no deadlock: 4 producers × 3 items, 4
/// consumers, capacity 2. Random scheduler, 30 000 executions.
#[test]
fn exactly_once_4p_4c_cap2_random() {
    random("exactly_once_4p_4c_cap2_random", 30_000, || {
        scenarios::exactly_once::<Buffer>(4, 4, 2, 3)
    });
}

/// No lost or duplicated item, no deadlock: 4 producers × 3 items, 4
/// consumers, capacity 2. PCT depth 3, 30 000 executions.
#[test]
fn exactly_once_4p_4c_cap2_pct3() {
    pct("exactly_once_4p_4c_cap2_pct3", 30_000, 3, || {
        scenarios::exactly_once::<Buffer>(4, 4, 2, 3)
    });
}

/// No lost or duplicated item, no deadlock: 4 producers × 3 items, 4
/// consumers, capacity 3. Random scheduler, 30 000 executions.
#[test]
fn exactly_once_4p_4c_cap3_random() {
    random("exactly_once_4p_4c_cap3_random", 30_000, || {
        scenarios::exactly_once::<Buffer>(4, 4, 3, 3)
    });
}

/// No lost or duplicated item, no deadlock: 4 producers × 3 items, 4
/// consumers, capacity 3. PCT depth 3, 30 000 executions.
#[test]
fn exactly_once_4p_4c_cap3_pct3() {
    pct("exactly_once_4p_4c_cap3_pct3", 30_000, 3, || {
        scenarios::exactly_once::<Buffer>(4, 4, 3, 3)
    });
}

// ---------------------------------------------------------------------------
// close racing blocked puts and gets.
// ---------------------------------------------------------------------------

/// `close` racing blocked puts and gets: 4 producers × 3 items, 4 consumers
/// getting until closed, the main thread putting 3 items of its own and
/// closing while the others run, capacity 1. Every waiter wakes; each item
/// is delivered or handed back exactly once, nothing is left behind, a
/// refused putter stays refused, each consumer sees each producer's items
/// in order. Random scheduler, 40 000 executions.
#[test]
fn close_races_blocked_puts_and_gets_4p_4c_cap1_random() {
    random(
        "close_races_blocked_puts_and_gets_4p_4c_cap1_random",
        40_000,
        || scenarios::close_races_puts_and_gets::<Buffer>(4, 4, 1, 3, 3),
    );
}

/// As [`close_races_blocked_puts_and_gets_4p_4c_cap1_random`]: 4 producers
/// × 3 items, 4 consumers, the main thread putting 3 and closing, capacity
/// 1. PCT depth 3, 40 000 executions.
#[test]
fn close_races_blocked_puts_and_gets_4p_4c_cap1_pct3() {
    pct(
        "close_races_blocked_puts_and_gets_4p_4c_cap1_pct3",
        40_000,
        3,
        || scenarios::close_races_puts_and_gets::<Buffer>(4, 4, 1, 3, 3),
    );
}

/// As [`close_races_blocked_puts_and_gets_4p_4c_cap1_random`], capacity 2:
/// 4 producers × 3 items, 4 consumers, the main thread putting 3 and
/// closing. Random scheduler, 20 000 executions.
#[test]
fn close_races_blocked_puts_and_gets_4p_4c_cap2_random() {
    random(
        "close_races_blocked_puts_and_gets_4p_4c_cap2_random",
        20_000,
        || scenarios::close_races_puts_and_gets::<Buffer>(4, 4, 2, 3, 3),
    );
}

/// As [`close_races_blocked_puts_and_gets_4p_4c_cap1_random`], capacity 2:
/// 4 producers × 3 items, 4 consumers, the main thread putting 3 and
/// closing. PCT depth 3, 20 000 executions.
#[test]
fn close_races_blocked_puts_and_gets_4p_4c_cap2_pct3() {
    pct(
        "close_races_blocked_puts_and_gets_4p_4c_cap2_pct3",
        20_000,
        3,
        || scenarios::close_races_puts_and_gets::<Buffer>(4, 4, 2, 3, 3),
    );
}

// ---------------------------------------------------------------------------
// join / task_done.
// ---------------------------------------------------------------------------

/// `join` never returns while a task is unfinished and never hangs once all
/// are: 2 producers × 3 items, 3 workers getting and marking done until
/// closed, then 2 joiner threads and the main thread joining, capacity 2.
/// Random scheduler, 20 000 executions.
#[test]
fn join_waits_for_every_task_2p_3w_2j_random() {
    random("join_waits_for_every_task_2p_3w_2j_random", 20_000, || {
        scenarios::join_waits_for_every_task_n::<Buffer>(2, 3, 2, 2, 3)
    });
}

/// As [`join_waits_for_every_task_2p_3w_2j_random`]: 2 producers × 3
/// items, 3 workers, 2 joiners and the main thread, capacity 2. PCT depth
/// 3, 20 000 executions.
#[test]
fn join_waits_for_every_task_2p_3w_2j_pct3() {
    pct("join_waits_for_every_task_2p_3w_2j_pct3", 20_000, 3, || {
        scenarios::join_waits_for_every_task_n::<Buffer>(2, 3, 2, 2, 3)
    });
}

// ---------------------------------------------------------------------------
// Time: the model timer fires at moments the scheduler chooses.
// ---------------------------------------------------------------------------

/// `get_timeout` racing puts and the timer: 2 timed and 2 untimed getters
/// on an empty buffer (capacity 2), the main thread putting 4 items, the
/// timer firing up to twice. Every untimed getter is woken for an item
/// without a close (no notification is swallowed by a getter that times
/// out), each item is taken once or left buffered. Random scheduler, 20 000
/// executions.
#[test]
fn get_timeout_races_puts_2t_2u_random() {
    random("get_timeout_races_puts_2t_2u_random", 20_000, || {
        scenarios::get_timeout_races_puts::<Buffer>(2, 2, 2)
    });
}

/// As [`get_timeout_races_puts_2t_2u_random`]: 2 timed and 2 untimed
/// getters, 4 items, capacity 2, 2 timer firings. PCT depth 3, 20 000
/// executions.
#[test]
fn get_timeout_races_puts_2t_2u_pct3() {
    pct("get_timeout_races_puts_2t_2u_pct3", 20_000, 3, || {
        scenarios::get_timeout_races_puts::<Buffer>(2, 2, 2)
    });
}

/// `put_timeout` racing gets and the timer: a full buffer of capacity 1, 2
/// timed and 2 untimed putters, the main thread taking exactly the room
/// they need, the timer firing up to twice. Every untimed put completes
/// without a close (room made by a get is never wasted), each item is
/// taken, buffered or handed back as `Timeout(item)` exactly once. Random
/// scheduler, 20 000 executions.
#[test]
fn put_timeout_races_gets_2t_2u_cap1_random() {
    random("put_timeout_races_gets_2t_2u_cap1_random", 20_000, || {
        scenarios::put_timeout_races_gets::<Buffer>(2, 2, 1, 2)
    });
}

/// As [`put_timeout_races_gets_2t_2u_cap1_random`]: 2 timed and 2 untimed
/// putters on a full buffer of capacity 1, 2 timer firings. PCT depth 3,
/// 20 000 executions.
#[test]
fn put_timeout_races_gets_2t_2u_cap1_pct3() {
    pct("put_timeout_races_gets_2t_2u_cap1_pct3", 20_000, 3, || {
        scenarios::put_timeout_races_gets::<Buffer>(2, 2, 1, 2)
    });
}

/// `join_timeout` racing `task_done` and the timer: 3 items, 2 workers
/// finishing them, 2 joiners calling `join_timeout`, 2 timer firings.
/// `true` only once every task is finished; `join` returns afterwards.
/// Random scheduler, 20 000 executions.
#[test]
fn join_timeout_races_task_done_2w_2j_random() {
    random("join_timeout_races_task_done_2w_2j_random", 20_000, || {
        scenarios::join_timeout_races_task_done_n::<Buffer>(2, 2, 3, 2)
    });
}

/// As [`join_timeout_races_task_done_2w_2j_random`]: 3 items, 2 workers, 2
/// joiners, 2 timer firings. PCT depth 3, 20 000 executions.
#[test]
fn join_timeout_races_task_done_2w_2j_pct3() {
    pct("join_timeout_races_task_done_2w_2j_pct3", 20_000, 3, || {
        scenarios::join_timeout_races_task_done_n::<Buffer>(2, 2, 3, 2)
    });
}

/// The seed producer's timed-retry put loop (the loom model's scenario, with
/// more items): 2 producers × 4 items retrying `put_timeout`, capacity 1,
/// the main thread consuming, 2 timer firings. Nothing lost or duplicated
/// by a retry. Random scheduler, 20 000 executions.
#[test]
fn timed_retry_producers_2p_4_items_random() {
    random("timed_retry_producers_2p_4_items_random", 20_000, || {
        scenarios::timed_retry_producers::<Buffer>(4)
    });
}

/// Timed retries on both sides: 3 producers × 3 items retrying
/// `put_timeout`, 2 consumers retrying `get_timeout` until closed, capacity
/// 1, 4 timer firings. Nothing lost or duplicated by a retry. Random
/// scheduler, 20 000 executions.
#[test]
fn timed_retry_both_sides_3p_2c_cap1_random() {
    random("timed_retry_both_sides_3p_2c_cap1_random", 20_000, || {
        scenarios::timed_retry_both_sides::<Buffer>(3, 2, 1, 3, 4)
    });
}

/// As [`timed_retry_both_sides_3p_2c_cap1_random`]: 3 producers × 3 items,
/// 2 consumers, capacity 1, 4 timer firings. PCT depth 3, 20 000
/// executions.
#[test]
fn timed_retry_both_sides_3p_2c_cap1_pct3() {
    pct("timed_retry_both_sides_3p_2c_cap1_pct3", 20_000, 3, || {
        scenarios::timed_retry_both_sides::<Buffer>(3, 2, 1, 3, 4)
    });
}

// ---------------------------------------------------------------------------
// Wakeups passed on within a side (the two-lock buffer wakes the other
// side only on the empty/full transition).
// ---------------------------------------------------------------------------

/// 2 getters waiting on an empty buffer, 2 puts, no close; capacity 2 and
/// 3. Random scheduler and PCT depth 3, 5 000 executions each.
#[test]
fn getters_pass_the_wakeup_on() {
    for capacity in [2, 3] {
        let scenario = move || scenarios::consumers_wait_on_empty_at::<Buffer>(capacity, false);
        random("getters_pass_the_wakeup_on_random", 5_000, scenario);
        pct("getters_pass_the_wakeup_on_pct3", 5_000, 3, scenario);
    }
}

/// 2 putters blocked on a full buffer, the main thread getting every item,
/// no close; capacity 2 and 3. Random scheduler and PCT depth 3, 5 000
/// executions each.
#[test]
fn putters_pass_the_wakeup_on() {
    for capacity in [2, 3] {
        let scenario = move || scenarios::putters_wait_on_full_at::<Buffer>(capacity);
        random("putters_pass_the_wakeup_on_random", 5_000, scenario);
        pct("putters_pass_the_wakeup_on_pct3", 5_000, 3, scenario);
    }
}

// ---------------------------------------------------------------------------
// Spurious wakeups.
// ---------------------------------------------------------------------------

/// A spurious wakeup is neither an item, nor room, nor a timeout, nor the
/// end of the tasks: 3 producers × 2 items (`put` and `put_timeout`), 3
/// consumers taking 2 each (`get` and `get_timeout`) and marking them done,
/// a thread waking every waiter spuriously 3 times, `join_timeout` and
/// `join` afterwards; no timer, nobody closes, capacity 1. Random
/// scheduler, 20 000 executions.
#[test]
fn spurious_wakeups_fail_nothing_3p_3c_random() {
    random("spurious_wakeups_fail_nothing_3p_3c_random", 20_000, || {
        scenarios::spurious_wakeups_everywhere::<Buffer>(3, 3, 1, 2, 3)
    });
}

/// As [`spurious_wakeups_fail_nothing_3p_3c_random`]: 3 producers × 2
/// items, 3 consumers, 3 spurious wakeups, capacity 1. PCT depth 3,
/// 20 000 executions.
#[test]
fn spurious_wakeups_fail_nothing_3p_3c_pct3() {
    pct(
        "spurious_wakeups_fail_nothing_3p_3c_pct3",
        20_000,
        3,
        || scenarios::spurious_wakeups_everywhere::<Buffer>(3, 3, 1, 2, 3),
    );
}

// ---------------------------------------------------------------------------
// The checks can fail: every bug of the catalog is rejected.
//
// Each test runs one scenario on the bug-free `Faulty<u32, { bug::NONE }>`
// (it must pass) and then on `Faulty<u32, BUG>` (it must fail with the
// expected message), with the same scheduler, iteration count and seed. The
// iteration counts leave a wide margin: over 300 other seeds, the most
// executions any of them needed to find its bug is given in each doc
// comment.
// ---------------------------------------------------------------------------

const DEADLOCK: &str = "deadlock";

/// Runs `scenario` on the reference buffer (must pass), then on the buffer
/// with the bug (must fail with a message containing `expected`), both under
/// `schedule` with the seed of `name`.
fn catch(name: &str, schedule: Schedule, reference: fn(), buggy: fn(), expected: &str) {
    run(name, schedule, reference);
    let failure = rejects(name, schedule, buggy);
    assert_failure(&failure, expected);
}

type Reference = Faulty<u32, { bug::NONE }>;
type Buggy<const BUG: u8> = Faulty<u32, BUG>;

fn one_producer_two_consumers<Q: support::queue::Queue<u32>>() {
    scenarios::one_producer_two_consumers::<Q>(2)
}

fn two_producers_one_consumer<Q: support::queue::Queue<u32>>() {
    scenarios::two_producers_one_consumer::<Q>(1)
}

fn exactly_once_4p_4c_cap1<Q: support::queue::Queue<u32>>() {
    scenarios::exactly_once::<Q>(4, 4, 1, 3)
}

fn close_races_4p_4c_cap1<Q: support::queue::Queue<u32>>() {
    scenarios::close_races_puts_and_gets::<Q>(4, 4, 1, 3, 3)
}

fn spurious_wakeups_3p_3c<Q: support::queue::Queue<u32>>() {
    scenarios::spurious_wakeups_everywhere::<Q>(3, 3, 1, 2, 3)
}

fn consumers_wait_on_empty_with_spurious_wakeup<Q: support::queue::Queue<u32>>() {
    scenarios::consumers_wait_on_empty::<Q>(true)
}

fn put_timeout_races_gets_2t_2u_cap1<Q: support::queue::Queue<u32>>() {
    scenarios::put_timeout_races_gets::<Q>(2, 2, 1, 2)
}

/// (a) One condition variable for both sides with `notify_one`: the classic
/// deadlock. The main thread puts 2 items and closes, 2 consumers, capacity
/// 1. Random scheduler, 1 000 executions (over 300 seeds: at most 54).
#[test]
fn catches_a_single_condvar_for_both_sides() {
    catch(
        "bug_a/1p_2c_cap1",
        Schedule::Random { iterations: 1_000 },
        one_producer_two_consumers::<Reference>,
        one_producer_two_consumers::<Buggy<{ bug::SINGLE_CONDVAR }>>,
        DEADLOCK,
    );
}

/// (a) again, at size: 4 producers × 3 items, 4 consumers, capacity 1. PCT
/// depth 3, 1 000 executions (over 300 seeds: always the first, which PCT
/// runs oldest-thread-first, whatever the seed). The random scheduler finds
/// it as fast, but with 8 threads asleep shuttle reports about half of
/// these deadlocks as "exceeded max_steps" (see the module docs), so PCT
/// is used here.
#[test]
fn catches_a_single_condvar_for_both_sides_4p_4c() {
    catch(
        "bug_a/4p_4c_cap1",
        Schedule::Pct {
            iterations: 1_000,
            depth: 3,
        },
        exactly_once_4p_4c_cap1::<Reference>,
        exactly_once_4p_4c_cap1::<Buggy<{ bug::SINGLE_CONDVAR }>>,
        DEADLOCK,
    );
}

/// (b) `close` wakes only one waiter per side. `close` racing blocked puts
/// and gets: 4 producers × 3 items, 4 consumers, the main thread putting 3
/// and closing, capacity 1. Random scheduler, 1 000 executions (over 300
/// seeds: at most 8).
#[test]
fn catches_close_that_wakes_only_one_waiter() {
    catch(
        "bug_b/close_races_4p_4c_cap1",
        Schedule::Random { iterations: 1_000 },
        close_races_4p_4c_cap1::<Reference>,
        close_races_4p_4c_cap1::<Buggy<{ bug::CLOSE_WAKES_ONE }>>,
        DEADLOCK,
    );
}

/// (c) `get` does not notify the putting side. 2 producers × 1 item, the
/// main thread consuming, capacity 1. Random scheduler, 1 000 executions
/// (over 300 seeds: at most 6).
#[test]
fn catches_get_that_forgets_to_notify_putters() {
    catch(
        "bug_c/2p_1c_cap1",
        Schedule::Random { iterations: 1_000 },
        two_producers_one_consumer::<Reference>,
        two_producers_one_consumer::<Buggy<{ bug::GET_FORGETS_NOTIFY }>>,
        DEADLOCK,
    );
}

/// (d) `if` instead of `while` around the wait. 2 consumers each taking one
/// item from an open buffer, the main thread waking every waiter spuriously
/// once and putting 2 items. Random scheduler, 1 000 executions (over 300
/// seeds: at most 9).
#[test]
fn catches_if_instead_of_while() {
    catch(
        "bug_d/consumers_wait_on_empty",
        Schedule::Random { iterations: 1_000 },
        consumers_wait_on_empty_with_spurious_wakeup::<Reference>,
        consumers_wait_on_empty_with_spurious_wakeup::<Buggy<{ bug::IF_NOT_WHILE }>>,
        "get returned on an open, empty buffer",
    );
}

/// (d) again, at size: spurious wakeups everywhere, 3 producers × 2 items,
/// 3 consumers, 3 spurious wakeups, capacity 1. PCT depth 3, 1 000
/// executions (over 300 seeds: always the first, which PCT runs
/// oldest-thread-first, whatever the seed).
#[test]
fn catches_if_instead_of_while_3p_3c() {
    catch(
        "bug_d/spurious_wakeups_3p_3c",
        Schedule::Pct {
            iterations: 1_000,
            depth: 3,
        },
        spurious_wakeups_3p_3c::<Reference>,
        spurious_wakeups_3p_3c::<Buggy<{ bug::IF_NOT_WHILE }>>,
        // `get` or `get_timeout`, whichever the schedule wakes first.
        "returned on an open, empty buffer",
    );
}

/// (e) A timed-out getter swallows the `notify_one` that woke it. A timed
/// and an untimed getter, the main thread putting one item, the timer
/// firing once. Random scheduler, 2 000 executions (over 300 seeds: at
/// most 137).
#[test]
fn catches_timed_out_getter_swallowing_a_notification() {
    catch(
        "bug_e/get_timeout_races_put",
        Schedule::Random { iterations: 2_000 },
        scenarios::get_timeout_races_put::<Reference>,
        scenarios::get_timeout_races_put::<Buggy<{ bug::TIMEOUT_SWALLOWS_NOTIFY }>>,
        DEADLOCK,
    );
}

/// (e) on the putting side, at size: a full buffer of capacity 1, 2 timed
/// and 2 untimed putters, the main thread taking the room they need, the
/// timer firing up to twice. PCT depth 3, 3 000 executions (over 300
/// seeds: at most 288).
#[test]
fn catches_timed_out_putter_swallowing_a_notification() {
    catch(
        "bug_e/put_timeout_races_gets_2t_2u_cap1",
        Schedule::Pct {
            iterations: 3_000,
            depth: 3,
        },
        put_timeout_races_gets_2t_2u_cap1::<Reference>,
        put_timeout_races_gets_2t_2u_cap1::<Buggy<{ bug::TIMEOUT_SWALLOWS_NOTIFY }>>,
        DEADLOCK,
    );
}

/// (f) A timeout path that drops the item. One timed getter, the main
/// thread putting one item, the timer firing once. Random scheduler, 1 000
/// executions (over 300 seeds: at most 72).
#[test]
fn catches_timeout_that_drops_the_item() {
    catch(
        "bug_f/get_timeout_keeps_the_item",
        Schedule::Random { iterations: 1_000 },
        scenarios::get_timeout_keeps_the_item::<Reference>,
        scenarios::get_timeout_keeps_the_item::<Buggy<{ bug::TIMEOUT_DROPS_ITEM }>>,
        "lost or duplicated items",
    );
}

/// (g) `close` does not wake timed waiters. A `get_timeout` and a
/// `put_timeout` waiting, the main thread closing, no timer (the clock
/// stands still). Random scheduler, 1 000 executions (over 300 seeds: at
/// most 3).
#[test]
fn catches_close_that_skips_timed_waiters() {
    catch(
        "bug_g/close_wakes_timed_waiters",
        Schedule::Random { iterations: 1_000 },
        scenarios::close_wakes_timed_waiters::<Reference>,
        scenarios::close_wakes_timed_waiters::<Buggy<{ bug::CLOSE_SKIPS_TIMED }>>,
        DEADLOCK,
    );
}

fn putters_wait_on_full_cap3<Q: support::queue::Queue<u32>>() {
    scenarios::putters_wait_on_full_at::<Q>(3)
}

/// (i) Wakeups only on the empty/full transition, never passed on. 2
/// putters blocked on a full buffer of capacity 3, the main thread getting
/// every item. Random scheduler, 1 000 executions.
#[test]
fn catches_transition_only_wakeups_not_passed_on() {
    catch(
        "bug_i/putters_wait_on_full_cap3",
        Schedule::Random { iterations: 1_000 },
        putters_wait_on_full_cap3::<Reference>,
        putters_wait_on_full_cap3::<Buggy<{ bug::TRANSITION_ONLY }>>,
        DEADLOCK,
    );
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
        assert!(covered.contains(&bug), "bug ({letter}) has no shuttle test");
    }
}

// ---------------------------------------------------------------------------
// Replay.
// ---------------------------------------------------------------------------

/// The schedule shuttle reports for a failure reproduces it in one
/// execution: bug (g) is caught (random scheduler, up to 1 000 executions)
/// with the schedule written to a file instead of printed; replaying that
/// string, as README's "Replaying a shuttle failure" does with the printed
/// one, deadlocks the same way.
#[test]
fn a_failing_schedule_replays_from_its_string() {
    fn scenario() {
        scenarios::close_wakes_timed_waiters::<Buggy<{ bug::CLOSE_SKIPS_TIMED }>>()
    }
    let dir = std::env::temp_dir().join(format!(
        "prodcon-shuttle-replay-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let (failure, schedule) = rejects_with_schedule(
        "replay/bug_g",
        Schedule::Random { iterations: 1_000 },
        &dir,
        scenario,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_failure(&failure, DEADLOCK);
    let replayed = replay_rejects(&schedule, scenario);
    assert_failure(&replayed, DEADLOCK);
}
