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
//! Where things are: every declaration is in a module of the one model
//! target, `models` (`loom-tests/main.rs`), which holds the loom tests
//! under `--cfg loom` and the shuttle tests under `--cfg shuttle`; a
//! property shuttle alone checks is a declaration without a `loom:` line.
//! The properties of the buffer, timeouts, batches, the pipeline, the
//! split pair, the spurious-wakeup paths, the pipeline's drop and
//! linearizability are declared with [`model!`]; the toy bug catalog's
//! rejections with [`catches!`] (`loom-tests/bug_catalog.rs`); the faults
//! of the real code, switched on with `prodcon::model::inject`, with
//! [`rejects!`] (`loom-tests/catalog.rs`, and the split pair's, the
//! paths' and linearizability's). What is neither a property nor a
//! catalog entry stays in plain shuttle tests: `tests/shuttle_pipeline.rs`
//! (the size sweep, bug (h)) and `tests/shuttle_replay.rs` (a failure's
//! schedule replays). The runners are `support/loom_runner.rs` (bounds
//! fixed in code) and `support/shuttle_runner.rs` (a seed per run name).
//! Every test the macros declare runs its body in a process of its own
//! (`support/isolate.rs`).
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
//!         around: check_fn;                     // optional
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
//!   each schedule `S`: `random(iterations)`, `pct(iterations, depth)` or
//!   `dfs()` (shuttle's depth-first search over every schedule, for the
//!   smallest scenarios).
//! - Arguments are evaluated afresh in every execution.
//! - `around: check_fn` calls `check_fn(runs)`, where `runs` is a closure
//!   that makes every run of the test: a property of all the executions
//!   together (that some execution reached an ending, say), which
//!   `check_fn` asserts after `runs` returns.
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

/// shuttle's depth-first scheduler, run to the end: every schedule.
#[cfg(shuttle)]
pub const fn dfs() -> Schedule {
    Schedule::Dfs
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
    super::events::with_capture(|| super::shuttle_runner::run(name, schedule, model));
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

/// Runs `model` with every mutation switch off (it must pass), then with
/// `fault` switched on (the checker must reject it with a message
/// containing `expected`), both with the same loom bound, or the same
/// shuttle schedule and seed; prints the execution that failed. Under
/// shuttle both runs are seeded from `seed` if given, else from `run` and
/// the schedule, and the crate's `tracing` events are captured throughout,
/// for the scenarios over the pipeline.
pub fn reject<F>(
    run: &str,
    seed: Option<&str>,
    search: Search,
    fault: prodcon::model::Fault,
    model: F,
    expected: &str,
) where
    F: Fn() + Send + Sync + Copy + 'static,
{
    #[cfg(loom)]
    use super::loom_runner::{assert_failure, check as pass, rejects};
    #[cfg(shuttle)]
    use super::shuttle_runner::{assert_failure, rejects, run as pass};
    #[cfg(loom)]
    let (clean, faulty, capture) = {
        let _ = seed; // loom's search does not depend on a name
        (
            format!("{run}/clean"),
            format!("{run}/{fault:?}"),
            |f: &mut dyn FnMut()| f(),
        )
    };
    #[cfg(shuttle)]
    let (clean, faulty, capture) = {
        let name = seed.map_or_else(|| format!("{run}/{search:?}"), String::from);
        let capture = |f: &mut dyn FnMut()| super::events::with_capture(f);
        (name.clone(), name, capture)
    };
    capture(&mut || {
        pass(&clean, search, model);
        let (failure, execution) = counting(
            |counted| prodcon::model::inject(&[fault], || rejects(&faulty, search, counted)),
            model,
        );
        eprintln!("{run} {search:?}: {fault:?} rejected in execution {execution}: {failure}");
        assert_failure(&failure, expected);
    });
}

/// Calls `f` with `model` wrapped to count its executions; returns what
/// `f` returned and the count.
fn counting<F, R>(f: impl FnOnce(Box<dyn Fn() + Send + Sync>) -> R, model: F) -> (R, usize)
where
    F: Fn() + Send + Sync + 'static,
{
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let result = f(Box::new(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        model();
    }));
    (result, executions.load(Ordering::Relaxed))
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
            $(around: $around:path;)?
        }
    )*) => {$(
        $crate::support::harness::model!(@test [$(#[$attr])*] loom $name $body [$($around)?]
            [$([$crate::support::harness::$lb($($ln)?)] ($($la),*))*]);
        $crate::support::harness::model!(@test [$(#[$attr])*] shuttle $name $body [$($around)?]
            [$([$($crate::support::harness::$s($($sa),*)),+] $(($($xa),*))+)*]);
    )*};
    (@test [$($attr:tt)*] $checker:ident $name:ident $body:path [$($around:path)?] []) => {};
    (@test [$($attr:tt)*] $checker:ident $name:ident $body:path [$($around:path)?]
        [$([$($search:expr),+] $(($($a:expr),*))+)+]) => {
        $($attr)*
        #[cfg($checker)]
        #[test]
        fn $name() {
            $crate::support::isolate::isolated(|| $crate::support::harness::model!(@around [$($around)?] {
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
            }));
        }
    };
    (@around [] $runs:block) => { $runs };
    (@around [$around:path] $runs:block) => { $around(|| $runs) };
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
            $crate::support::isolate::isolated(|| {
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
            });
        }
    };
}

pub(crate) use catches;

/// Declares tests of the mutation switches of the real code
/// (`prodcon::model::Fault`): each line runs a scenario with every switch
/// off, which must pass, then with the declaration's fault switched on,
/// which the checker must reject with a message containing the expected
/// text, both with the same bound (loom) or schedule and seed (shuttle) —
/// so the rejection is the fault's doing, not the scenario's.
///
/// ```text
/// rejects! {
///     /// What the fault breaks (becomes the test's doc).
///     name = SomeFault, "expected message" {
///         loom: exhaustive => scenario(args...);          // zero or more
///         loom: bound(2) => scenario(args...);
///         shuttle: random(1_000) => scenario(args...);    // zero or more
///         shuttle: random(1_000), pct(1_000, 3) => scenario(args...);
///         shuttle: random(1_000) seeded "seed name" => scenario(args...);
///     }
/// }
/// ```
///
/// `SomeFault` names a variant of `prodcon::model::Fault`; a scenario is
/// any call, evaluated afresh in every execution. A shuttle line's runs
/// are seeded from the test's name, the call and the schedule, or, with
/// `seeded`, from the given name: for a fault whose first failure takes
/// one of two forms depending on the schedule, where the seed is part of
/// what the test shows (the doc comment says so). The macro also defines
/// `REJECTED`, the faults with at least one line for the checker of the
/// build, so that a module can check that a list of faults is covered.
/// Use it once per module.
#[allow(unused_macros)]
macro_rules! rejects {
    ($(
        $(#[$attr:meta])*
        $name:ident = $fault:ident, $expected:literal {
            $(loom: $lb:ident $(($ln:expr))? => $lcall:expr;)*
            $(shuttle: $($s:ident($($sa:expr),*)),+ $(seeded $seed:literal)? => $scall:expr;)*
        }
    )*) => {
        $(
            $crate::support::harness::rejects!(@test [$(#[$attr])*] loom $name $fault, $expected
                [$([$crate::support::harness::$lb($($ln)?)] [] ($lcall))*]);
            $crate::support::harness::rejects!(@test [$(#[$attr])*] shuttle $name $fault, $expected
                [$([$($crate::support::harness::$s($($sa),*)),+] [$($seed)?] ($scall))*]);
        )*
        /// The faults that a test of this module rejects under loom.
        #[cfg(loom)]
        #[allow(dead_code)]
        const REJECTED: &[::prodcon::model::Fault] =
            &[$($((::prodcon::model::Fault::$fault, stringify!($lcall)).0,)*)*];
        /// The faults that a test of this module rejects under shuttle.
        #[cfg(shuttle)]
        #[allow(dead_code)]
        const REJECTED: &[::prodcon::model::Fault] =
            &[$($((::prodcon::model::Fault::$fault, stringify!($scall)).0,)*)*];
    };
    (@test [$($attr:tt)*] $checker:ident $name:ident $fault:ident, $expected:literal []) => {};
    (@test [$($attr:tt)*] $checker:ident $name:ident $fault:ident, $expected:literal
        [$([$($search:expr),+] [$($seed:literal)?] ($call:expr))+]) => {
        $($attr)*
        #[cfg($checker)]
        #[test]
        fn $name() {
            $crate::support::isolate::isolated(|| {
            $(
                for search in [$($search),+] {
                    $crate::support::harness::reject(
                        &$crate::support::harness::run_name(stringify!($name), stringify!($call)),
                        None$(.or(Some($seed)))?,
                        search,
                        ::prodcon::model::Fault::$fault,
                        move || $call,
                        $expected,
                    );
                }
            )+
            });
        }
    };
}

pub(crate) use rejects;
