//! A failure's schedule, as shuttle prints it, replays from its string.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" cargo test --test shuttle_replay
//! ```
//!
//! The shuttle tests of the model properties are declared with their loom
//! models in the modules of the `models` target (`loom-tests/main.rs`),
//! and the bug catalog's rejections in `loom-tests/bug_catalog.rs`. Under `cfg(shuttle)`
//! the crate's facade brings the model timer (timed waits time out at
//! moments the scheduler chooses), spurious wakeups, and a `notify_one`
//! that wakes a waiter chosen at random.
//!
//! Every run has a fixed seed, derived from its name (see
//! `support/shuttle_runner.rs`): CI runs the same schedules every time, a
//! failure reproduces by running the test again, and the known-buggy buffers
//! are caught in the same execution every time. To explore other schedules,
//! set shuttle's `SHUTTLE_RANDOM_SEED` (it overrides every seed).
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
use support::scenarios;
use support::shuttle_runner::{Schedule, assert_failure, rejects_with_schedule, replay_rejects};

const DEADLOCK: &str = "deadlock";

type Buggy<const BUG: u8> = Faulty<u32, BUG>;

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
