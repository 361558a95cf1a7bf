//! The model harness: one declaration per property, run by loom and by
//! shuttle under the same test name.
//!
//! A property is a scenario function (`tests/support/scenarios.rs`,
//! `tests/support/pipeline.rs`) sized by its arguments. [`model!`] declares
//! a test of that name which, in a `--cfg loom` build, explores each loom
//! configuration with its search bound (through
//! [`loom_runner::check`](super::loom_runner::check)) and, in a
//! `--cfg shuttle` build, runs each shuttle configuration under each of its
//! schedules (through [`shuttle_runner::run`](super::shuttle_runner::run)).
//! The test's name is the declaration's, given once: the loom runner prints
//! it with the configuration and the executions explored, and shuttle
//! derives each run's seed from it.
//!
//! Where things are: the declarations of the buffer, timeout, batch and
//! pipeline properties are in `loom-tests/{buffer,timeouts,batch,pipeline}.rs`,
//! each compiled as one test target (`model_buffer`, `model_timeouts`,
//! `model_batch`, `model_pipeline`) that holds the loom models under
//! `--cfg loom` and the shuttle tests under `--cfg shuttle`; a property
//! shuttle alone checks is a declaration without a `loom:` line. The bug
//! catalog's rejections are declared with [`catches!`] in
//! `loom-tests/bug_catalog.rs` (`model_bug_catalog`). What is neither a
//! property nor a catalog entry stays in plain shuttle tests:
//! `tests/shuttle_pipeline.rs` (the size sweep, bug (h)) and
//! `tests/shuttle_replay.rs` (a failure's schedule replays). The runners
//! are `support/loom_runner.rs` (bounds fixed in code) and
//! `support/shuttle_runner.rs` (a seed per run name).
//!
//! # Syntax
//!
//! ```text
//! model! {
//!     /// What the property is (becomes the test's doc).
//!     name = scenario_fn {
//!         loom: exhaustive with (args...);      // zero or more loom lines
//!         loom: bound(4) with (args...);
//!         shuttle: random(40_000), pct(40_000, 3) with (args...), (args...);
//!         shuttle: pct(20_000, 2) with (args...); // zero or more shuttle lines
//!     }
//!
//!     /// The next property.
//!     ...
//! }
//! ```
//!
//! - `loom: B with (A)` explores `scenario_fn(A)` with bound `B`:
//!   `exhaustive` (every interleaving) or `bound(n)` (every interleaving
//!   with at most `n` preemptions). The bound is fixed here, in code, never
//!   taken from loom's environment variables.
//! - `shuttle: S, ... with (A1), (A2), ...` runs `scenario_fn(Ai)` under
//!   each schedule `S`: `random(iterations)` or `pct(iterations, depth)`.
//! - Arguments are evaluated afresh in every execution.
//! - A declaration without `loom:` lines produces no loom test, one without
//!   `shuttle:` lines no shuttle test: a declared test always runs a model.

#[cfg(shuttle)]
use super::shuttle_runner::Schedule;

/// An exhaustive loom search: no preemption bound.
pub const fn exhaustive() -> Option<usize> {
    None
}

/// A loom search over every interleaving with at most `preemptions`
/// preemptions.
pub const fn bound(preemptions: usize) -> Option<usize> {
    Some(preemptions)
}

/// shuttle's random scheduler, for `iterations` executions.
#[cfg(shuttle)]
pub const fn random(iterations: usize) -> Schedule {
    Schedule::Random { iterations }
}

/// shuttle's PCT scheduler at bug depth `depth`, for `iterations`
/// executions.
#[cfg(shuttle)]
pub const fn pct(iterations: usize, depth: usize) -> Schedule {
    Schedule::Pct { iterations, depth }
}

/// The name a model run is printed (loom) or seeded (shuttle) with: the
/// test's name and the configuration's arguments.
pub fn run_name(test: &str, arguments: &str) -> String {
    format!("{test}({arguments})")
}

/// Runs one shuttle configuration under `schedule`, seeded from `name`,
/// with the crate's `tracing` events captured for the whole run (shuttle
/// gives every model thread the subscriber that was current when the run
/// began; the pipeline scenarios read the events, the others ignore them).
#[cfg(shuttle)]
pub fn shuttle_run<F>(name: &str, schedule: Schedule, model: F)
where
    F: Fn() + Send + Sync + 'static,
{
    super::pipeline::with_event_capture(|| super::shuttle_runner::run(name, schedule, model));
}

/// How a checker searches one configuration: loom's preemption bound
/// (`None`: exhaustive).
#[cfg(loom)]
pub type Search = Option<usize>;

/// How a checker searches one configuration: a shuttle scheduler and its
/// iteration count.
#[cfg(shuttle)]
pub type Search = Schedule;

/// Explores `model` with loom, printing `run` and the executions.
#[cfg(loom)]
pub fn explore<F>(run: &str, search: Search, model: F)
where
    F: Fn() + Send + Sync + 'static,
{
    super::loom_runner::check(run, search, model);
}

/// Runs `model` under shuttle, seeded from `run` and the schedule.
#[cfg(shuttle)]
pub fn explore<F>(run: &str, search: Search, model: F)
where
    F: Fn() + Send + Sync + 'static,
{
    shuttle_run(&format!("{run}/{search:?}"), search, model);
}

/// Explores `reference` with loom (it must pass), then `buggy` (loom must
/// reject it with a message containing `expected`).
#[cfg(loom)]
pub fn catch<R, B>(run: &str, search: Search, reference: R, buggy: B, expected: &str)
where
    R: Fn() + Send + Sync + 'static,
    B: Fn() + Send + Sync + 'static,
{
    use super::loom_runner::{assert_failure, check, rejects};
    check(&format!("{run}/reference"), search, reference);
    assert_failure(&rejects(&format!("{run}/bug"), search, buggy), expected);
}

/// Runs `reference` under shuttle (it must pass), then `buggy` with the
/// same seed (shuttle must reject it with a message containing
/// `expected`).
#[cfg(shuttle)]
pub fn catch<R, B>(run: &str, search: Search, reference: R, buggy: B, expected: &str)
where
    R: Fn() + Send + Sync + 'static,
    B: Fn() + Send + Sync + 'static,
{
    use super::shuttle_runner::{assert_failure, rejects, run as run_model};
    let name = format!("{run}/{search:?}");
    run_model(&name, search, reference);
    assert_failure(&rejects(&name, search, buggy), expected);
}

/// Declares model tests; see the [module documentation](self).
// `support/` is mounted by targets that declare no model.
#[allow(unused_macros)]
macro_rules! model {
    ($(
        $(#[$attr:meta])*
        $name:ident = $body:path {
            $(loom: $lb:ident $(($ln:expr))? with ($($la:expr),* $(,)?);)*
            $(shuttle: $($s:ident($($sa:expr),*)),+ with $(($($xa:expr),* $(,)?)),+;)*
        }
    )*) => {$(
        $crate::support::harness::model!(@test [$(#[$attr])*] loom $name $body
            [$([$crate::support::harness::$lb($($ln)?)] ($($la),*))*]);
        $crate::support::harness::model!(@test [$(#[$attr])*] shuttle $name $body
            [$([$($crate::support::harness::$s($($sa),*)),+] $(($($xa),*))+)*]);
    )*};
    (@test [$($attr:tt)*] $checker:ident $name:ident $body:path []) => {};
    (@test [$($attr:tt)*] $checker:ident $name:ident $body:path
        [$([$($search:expr),+] $(($($a:expr),*))+)+]) => {
        $($attr)*
        #[cfg($checker)]
        #[test]
        fn $name() {
            $(
                let searches = [$($search),+];
                $(
                    for search in searches {
                        $crate::support::harness::explore(
                            &$crate::support::harness::run_name(
                                stringify!($name),
                                stringify!($($a),*),
                            ),
                            search,
                            move || $body($($a),*),
                        );
                    }
                )+
            )+
        }
    };
}

pub(crate) use model;

/// Declares bug-catalog tests: for a known bug of `support::faulty`, each
/// line runs a scenario on the bug-free `Faulty<u32, { bug::NONE }>`,
/// which must pass, then on `Faulty<u32, BUG>`, which the checker must
/// reject with a message containing the expected text — so the rejection
/// is the bug's doing, not the harness's. Under shuttle both runs share
/// one seed.
///
/// ```text
/// catches! {
///     /// What the bug is (becomes the test's doc).
///     name = bug::SOME_BUG, "expected message" {
///         loom: bound(2) on scenario(args...);       // zero or more
///         shuttle: random(1_000) on scenario(args...); // zero or more
///     }
/// }
/// ```
///
/// `scenario` names a function of `support::scenarios` generic over the
/// buffer.
#[allow(unused_macros)]
macro_rules! catches {
    ($(
        $(#[$attr:meta])*
        $name:ident = $bug:path, $expected:literal {
            $(loom: $lb:ident $(($ln:expr))? on $lf:ident($($la:expr),* $(,)?);)*
            $(shuttle: $s:ident($($sa:expr),*) on $sf:ident($($xa:expr),* $(,)?);)*
        }
    )*) => {$(
        $crate::support::harness::catches!(@test [$(#[$attr])*] loom $name $bug, $expected
            [$(($crate::support::harness::$lb($($ln)?)) $lf ($($la),*))*]);
        $crate::support::harness::catches!(@test [$(#[$attr])*] shuttle $name $bug, $expected
            [$(($crate::support::harness::$s($($sa),*)) $sf ($($xa),*))*]);
    )*};
    (@test [$($attr:tt)*] $checker:ident $name:ident $bug:path, $expected:literal []) => {};
    (@test [$($attr:tt)*] $checker:ident $name:ident $bug:path, $expected:literal
        [$(($search:expr) $f:ident ($($a:expr),*))+]) => {
        $($attr)*
        #[cfg($checker)]
        #[test]
        fn $name() {
            use $crate::support::faulty::{Faulty, bug};
            $(
                $crate::support::harness::catch(
                    &$crate::support::harness::run_name(
                        stringify!($name),
                        &format!("{}({})", stringify!($f), stringify!($($a),*)),
                    ),
                    $search,
                    move || $crate::support::scenarios::$f::<Faulty<u32, { bug::NONE }>>($($a),*),
                    move || $crate::support::scenarios::$f::<Faulty<u32, { $bug }>>($($a),*),
                    $expected,
                );
            )+
        }
    };
}

pub(crate) use catches;
