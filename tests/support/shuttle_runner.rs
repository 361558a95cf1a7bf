//! How the shuttle tests are run: a [`shuttle::Runner`] with a fixed seed
//! per test, a configuration that silences shuttle's warning about
//! `lazy_static` drop behaviour (the facade's model world is a shuttle
//! `lazy_static`, rebuilt for every execution on purpose), a way to assert
//! that a known-buggy buffer is rejected, and replay.
//!
//! Mounted by `support/mod.rs` under `cfg(shuttle)` only: the loom models
//! do not build shuttle. The model declarations (`support/harness.rs`) run
//! through [`run`].
//!
//! The seed of a test is derived from its name, so a run is reproducible and
//! a known-buggy buffer is caught in the same executions every time.
//! Shuttle's own `SHUTTLE_RANDOM_SEED` environment variable overrides it for
//! every scheduler here, which is how to explore further schedules:
//! `SHUTTLE_RANDOM_SEED=$RANDOM RUSTFLAGS="--cfg shuttle" cargo test`.
// Each shuttle test target that includes this file uses only some of it.
#![allow(dead_code)]

use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler, ReplayScheduler};
use shuttle::{Config, FailurePersistence, Runner};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

// The models evaluate the crate's debug assertions and overflow checks, so
// a build without them (`--release`) is refused here, at compile time. The
// dev profile is optimized (Cargo.toml), so nothing is gained by it.
const _: () = assert!(
    cfg!(debug_assertions),
    "run the model suites without --release: they evaluate the crate's debug assertions"
);

/// Which scheduler explores a test, and for how many executions.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Schedule {
    /// Shuttle's random scheduler: a runnable thread chosen uniformly at
    /// every step.
    Random {
        /// Executions to run.
        iterations: usize,
    },
    /// Probabilistic Concurrency Testing: random thread priorities with
    /// `depth - 1` priority change points per execution, which finds a bug
    /// of depth `depth` with a known minimum probability per execution.
    Pct {
        /// Executions to run.
        iterations: usize,
        /// The bug depth.
        depth: usize,
    },
    /// Shuttle's depth-first scheduler without an iteration limit: every
    /// schedule of the test, each once. Shuttle has no partial-order
    /// reduction, so this fits only the smallest scenarios; the run prints
    /// how many executions it took.
    Dfs,
}

/// A stable seed for `name` (FNV-1a), so that every test has its own,
/// reproducible stream of schedules.
pub(crate) fn seed_for(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn config() -> Config {
    let mut config = Config::new();
    config.silence_warnings = true;
    config
}

fn run_with<F>(name: &str, schedule: Schedule, config: Config, f: F) -> usize
where
    F: Fn() + Send + Sync + 'static,
{
    let seed = seed_for(name);
    match schedule {
        Schedule::Random { iterations } => {
            Runner::new(RandomScheduler::new_from_seed(seed, iterations), config).run(f)
        }
        Schedule::Pct { iterations, depth } => {
            Runner::new(PctScheduler::new_from_seed(seed, depth, iterations), config).run(f)
        }
        // No random data: a draw would make the search incomplete, so it
        // fails the run instead. The model condvar's `notify_one` draws
        // which waiter to wake when several wait, so a depth-first line
        // fits only a scenario where it never chooses among several.
        Schedule::Dfs => Runner::new(DfsScheduler::new(None, false), config).run(f),
    }
}

/// Runs `f` under `schedule`, seeded from `name`. Returns the number of
/// executions run; panics (with the failing execution's message, after
/// shuttle has printed its schedule) if one of them fails.
pub(crate) fn run<F>(name: &str, schedule: Schedule, f: F) -> usize
where
    F: Fn() + Send + Sync + 'static,
{
    let executions = run_with(name, schedule, config(), f);
    if let Schedule::Dfs = schedule {
        eprintln!("shuttle dfs {name}: {executions} executions, every schedule");
    }
    executions
}

/// Runs `f` under shuttle's random scheduler for `iterations` executions.
pub(crate) fn random<F>(name: &str, iterations: usize, f: F) -> usize
where
    F: Fn() + Send + Sync + 'static,
{
    run(name, Schedule::Random { iterations }, f)
}

/// Runs `f` under the PCT scheduler at bug depth `depth` for `iterations`
/// executions.
pub(crate) fn pct<F>(name: &str, iterations: usize, depth: usize, f: F) -> usize
where
    F: Fn() + Send + Sync + 'static,
{
    run(name, Schedule::Pct { iterations, depth }, f)
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_default()
}

/// Runs a model that must fail under `schedule`, and returns the failure's
/// message. Panics if every execution passed.
pub(crate) fn rejects<F>(name: &str, schedule: Schedule, f: F) -> String
where
    F: Fn() + Send + Sync + 'static,
{
    match catch_unwind(AssertUnwindSafe(|| run(name, schedule, f))) {
        Ok(executions) => panic!(
            "{name}: shuttle accepted a known-buggy buffer in all {executions} executions \
             ({schedule:?})"
        ),
        Err(payload) => message(&*payload),
    }
}

/// Asserts that `message` (from [`rejects`]) names the expected failure, so
/// that a bug is caught for the right reason.
///
/// `expected` may list alternatives separated by `" | "`, for a fault whose
/// first failure depends on the schedule; one of them must be in `message`.
#[track_caller]
pub(crate) fn assert_failure(message: &str, expected: &str) {
    assert!(
        expected.split(" | ").any(|one| message.contains(one)),
        "shuttle rejected the buffer, but not as expected: wanted {expected:?}, got {message:?}"
    );
}

/// Like [`rejects`], but has shuttle write the failing schedule into the
/// empty directory `dir` (as `schedule000.txt`) instead of printing it, and
/// returns the failure's message and that schedule: the string that
/// [`replay`] (and `shuttle::replay`) takes.
///
/// Only for failures that shuttle itself detects (a deadlock): a panic in a
/// model thread is reported by shuttle's process-wide panic hook, with the
/// configuration of the first run in the process, which prints it.
pub(crate) fn rejects_with_schedule<F>(
    name: &str,
    schedule: Schedule,
    dir: &Path,
    f: F,
) -> (String, String)
where
    F: Fn() + Send + Sync + 'static,
{
    // Make sure that the process-wide panic hook has been installed by a
    // run that prints, not by this one, which writes into `dir`.
    run(
        &format!("{name}/install the panic hook"),
        Schedule::Random { iterations: 1 },
        || {},
    );
    let mut config = config();
    config.failure_persistence = FailurePersistence::File(Some(dir.to_path_buf()));
    let failure = match catch_unwind(AssertUnwindSafe(|| run_with(name, schedule, config, f))) {
        Ok(executions) => panic!(
            "{name}: shuttle accepted a known-buggy buffer in all {executions} executions \
             ({schedule:?})"
        ),
        Err(payload) => message(&*payload),
    };
    let schedule = std::fs::read_to_string(dir.join("schedule000.txt"))
        .expect("shuttle did not write the failing schedule");
    (failure, schedule)
}

/// Runs `f` once, following `schedule` (a string shuttle printed for a
/// failure): `shuttle::replay` with this module's configuration.
pub(crate) fn replay<F>(schedule: &str, f: F)
where
    F: Fn() + Send + Sync + 'static,
{
    Runner::new(ReplayScheduler::new_from_encoded(schedule), config()).run(f);
}

/// Like [`replay`], for a schedule that must fail: returns the failure's
/// message.
pub(crate) fn replay_rejects<F>(schedule: &str, f: F) -> String
where
    F: Fn() + Send + Sync + 'static,
{
    match catch_unwind(AssertUnwindSafe(|| replay(schedule, f))) {
        Ok(()) => panic!("the replayed schedule passed"),
        Err(payload) => message(&*payload),
    }
}
