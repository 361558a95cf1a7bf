//! shuttle rejects every bug of the catalog (`tests/support/faulty.rs`):
//! for each known-buggy buffer, a test that the model properties catch it
//! at the sizes shuttle explores; and a failure's schedule replays from its
//! string.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" cargo test --release --test shuttle_buffer
//! ```
//!
//! The properties themselves, at sizes loom cannot explore (up to 4
//! producers × 4 consumers, 9 model threads), are declared once with their
//! loom models in `loom-tests/{buffer,timeouts,batch,pipeline}.rs` (test
//! targets `model_*`, which hold the shuttle tests under
//! `--cfg shuttle`). Under `cfg(shuttle)` the crate's facade brings the
//! model timer (timed waits time out at moments the scheduler chooses),
//! spurious wakeups, and a `notify_one` that wakes a waiter chosen at
//! random.
//!
//! Every run has a fixed seed, derived from its name (see
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

use support::faulty::{Faulty, bug};
use support::scenarios::{self, Side::*, Take::*};
use support::shuttle_runner::{
    Schedule, assert_failure, rejects, rejects_with_schedule, replay_rejects, run,
};

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
    scenarios::exactly_once::<Q>(Main, Threads(2), 1, 2)
}

fn two_producers_one_consumer<Q: support::queue::Queue<u32>>() {
    scenarios::exactly_once::<Q>(Threads(2), Main, 1, 1)
}

fn exactly_once_4p_4c_cap1<Q: support::queue::Queue<u32>>() {
    scenarios::exactly_once::<Q>(Threads(4), Threads(4), 1, 3)
}

fn close_races_4p_4c_cap1<Q: support::queue::Queue<u32>>() {
    scenarios::close_races_puts_and_gets::<Q>(4, 4, UntilClosed, 1, 3, 3)
}

fn spurious_wakeups_3p_3c<Q: support::queue::Queue<u32>>() {
    scenarios::spurious_wakeups_everywhere::<Q>(3, 3, 1, 2, 3)
}

fn consumers_wait_on_empty_with_spurious_wakeup<Q: support::queue::Queue<u32>>() {
    scenarios::consumers_wait_on_empty::<Q>(1, true)
}

fn get_timeout_races_put<Q: support::queue::Queue<u32>>() {
    scenarios::get_timeout_races_puts::<Q>(1, 1, 1, 1)
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
        get_timeout_races_put::<Reference>,
        get_timeout_races_put::<Buggy<{ bug::TIMEOUT_SWALLOWS_NOTIFY }>>,
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
    scenarios::putters_wait_on_full::<Q>(3)
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
