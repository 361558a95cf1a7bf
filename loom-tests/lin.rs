//! Linearizability of `SharedBuffer<u32>` under loom, at the small sizes
//! loom can search: two threads of two calls each, capacity 1 or 2, every
//! history checked against the sequential specification
//! (`tests/support/spec.rs`) by `tests/support/lin/checker.rs`. The
//! recorder's clock is a loom atomic, so each invocation and response is a
//! point loom interleaves like the buffer's own.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models lin:: -- --nocapture
//! ```
//!
//! No timed calls here: without the model timer a timed wait never times
//! out, and with it the search grows past these sizes (the timed calls are
//! checked under shuttle, `tests/shuttle_lin.rs`). Each model's bound and
//! the number of executions it explores are in its doc comment (measured
//! with `-- --nocapture`); "exhaustive" means no preemption bound.
#![cfg(loom)]

use crate::runner;

#[path = "../tests/support/lin/mod.rs"]
mod linearizability;

use std::sync::Arc;
use std::time::Duration;

use linearizability::checker;
use linearizability::recorder::record;
use linearizability::spec::Op;
use linearizability::target::{Real, ReordersGets, Target};

/// Records `scripts` on `make(capacity)` and checks the history.
fn model<T, F>(capacity: usize, scripts: Vec<Vec<Op>>, make: F) -> impl Fn() + Send + Sync
where
    T: Target + 'static,
    F: Fn(usize) -> T + Send + Sync,
{
    move || {
        let target = Arc::new(make(capacity));
        let history = record(&target, &scripts);
        checker::assert_linearizable(capacity, &history);
    }
}

fn real(capacity: usize) -> Real {
    Real::new(capacity, Duration::from_millis(1))
}

/// Blocking puts against a get and a try_get, capacity 1 (the second put
/// waits for the get). Preemption bound 7: 44,864 executions (exhaustive
/// is 227,268 executions, about a minute on its own).
#[test]
fn put_put_against_get_try_get() {
    runner::check(
        "lin put/put vs get/try_get, capacity 1",
        Some(7),
        model(
            1,
            vec![vec![Op::Put(1), Op::Put(2)], vec![Op::Get, Op::TryGet]],
            real,
        ),
    );
}

/// A close racing a blocked get and a len. Exhaustive: 89,901 executions.
#[test]
fn close_against_get_and_len() {
    runner::check(
        "lin try_put/close vs get/len, capacity 1",
        None,
        model(
            1,
            vec![vec![Op::TryPut(1), Op::Close], vec![Op::Get, Op::Len]],
            real,
        ),
    );
}

/// A put_many of three items through capacity 2 against two get_many(2).
/// Exhaustive: 41,232 executions.
#[test]
fn put_many_against_get_many() {
    runner::check(
        "lin put_many vs get_many, capacity 2",
        None,
        model(
            2,
            vec![
                vec![Op::PutMany(vec![1, 2, 3])],
                vec![Op::GetMany(2), Op::GetMany(2)],
            ],
            real,
        ),
    );
}

/// drain and is_empty against a put and a try_put. Exhaustive: 15,216
/// executions.
#[test]
fn drain_against_puts() {
    runner::check(
        "lin put/drain vs try_put/is_empty, capacity 2",
        None,
        model(
            2,
            vec![
                vec![Op::Put(1), Op::Drain],
                vec![Op::TryPut(2), Op::IsEmpty],
            ],
            real,
        ),
    );
}

/// The known-buggy buffer that hands out the second item first is
/// rejected, with the FIFO violation in the report (exhaustive; loom stops
/// at the first failing execution).
#[test]
fn gets_out_of_order_are_rejected() {
    let failure = runner::rejects(
        "lin reordered gets",
        None,
        model(
            2,
            vec![vec![Op::Put(1), Op::Put(2)], vec![Op::Get, Op::Get]],
            |capacity| ReordersGets::new(real(capacity), 1),
        ),
    );
    runner::assert_failure(&failure, "not linearizable");
    runner::assert_failure(&failure, "get() -> Ok(2)");
}
