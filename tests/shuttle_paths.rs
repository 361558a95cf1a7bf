//! shuttle runs of `tests/support/paths.rs`: spurious wakeups from a thread
//! of the model reaching putters, timed waiters and joiners, under the
//! random scheduler and PCT.
#![cfg(shuttle)]

#[path = "support/mod.rs"]
mod support;

use support::paths;
use support::shuttle_runner::{self as shuttle_runner};
use support::shuttle_runner::{Schedule, run};

const SCHEDULES: [Schedule; 2] = [
    Schedule::Random { iterations: 2000 },
    Schedule::Pct {
        iterations: 2000,
        depth: 3,
    },
];

#[test]
fn spurious_wakeups_reach_putters_and_timed_waiters() {
    for schedule in SCHEDULES {
        run(
            "spurious_wakeups_reach_putters_and_timed_waiters",
            schedule,
            paths::spurious_wakeups_reach_putters_and_timed_waiters,
        );
    }
}

#[test]
fn spurious_wakeups_do_not_end_a_join() {
    for schedule in SCHEDULES {
        run(
            "spurious_wakeups_do_not_end_a_join",
            schedule,
            paths::spurious_wakeups_do_not_end_a_join,
        );
    }
}

/// `PutIfNotWhile` is rejected: a spurious wakeup overfills the buffer and
/// the buffer's debug assertion reports it.
#[test]
fn catches_a_put_with_if_not_while() {
    use prodcon::model::{Fault, inject};
    let message = inject(&[Fault::PutIfNotWhile], || {
        shuttle_runner::rejects(
            "spurious_wakeups_reach_putters_and_timed_waiters/PutIfNotWhile",
            SCHEDULES[0],
            paths::spurious_wakeups_reach_putters_and_timed_waiters,
        )
    });
    shuttle_runner::assert_failure(&message, "more items than capacity");
}

/// `JoinIfNotWhile` is rejected: a spurious wakeup ends the join early.
#[test]
fn catches_a_join_with_if_not_while() {
    use prodcon::model::{Fault, inject};
    let message = inject(&[Fault::JoinIfNotWhile], || {
        shuttle_runner::rejects(
            "spurious_wakeups_do_not_end_a_join/JoinIfNotWhile",
            SCHEDULES[0],
            paths::spurious_wakeups_do_not_end_a_join,
        )
    });
    shuttle_runner::assert_failure(&message, "join returned before the task was done");
}
