//! Linearizability of `SharedBuffer<u32>`: every recorded history checked
//! against the sequential specification (`tests/support/spec.rs`) by
//! `tests/support/lin/checker.rs`. The recorder's clock is the checker's
//! atomic, so each invocation and response is a point the checker
//! interleaves like the buffer's own.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models lin:: -- --nocapture
//! RUSTFLAGS="--cfg shuttle" cargo test --test models lin:: -- --nocapture
//! ```
//!
//! loom, at the small sizes it can search: two threads of two calls each,
//! capacity 1 or 2, fixed scripts. No timed calls there: without the model
//! timer a timed wait never times out, and with it the search grows past
//! these sizes. Each loom model's bound is in its doc comment (the
//! executions it explores are printed with `-- --nocapture`);
//! "exhaustive" means no preemption bound.
//!
//! shuttle, at 3 producers × 3 consumers and 4 × 4 (plus a closer thread),
//! mixed calls — put / try_put / put_timeout / put_many, get / try_get /
//! get_timeout / get_many / get_many_into, len / is_empty / is_full,
//! drain, close. Every execution draws its own workload (capacity 1 to 3,
//! one random script per thread, `tests/support/lin/workload.rs`) from
//! shuttle's random source, so a failing execution replays with its
//! workload. The model timer (`prodcon::model::Timer`) is started with one
//! firing per timed call, so each `put_timeout` / `get_timeout` may time
//! out at any point the scheduler picks. Random and PCT schedules: 20,000
//! executions in all for the real buffer (batch calls may move fewer items
//! per step than they could: `Batching::AtLeastOne`, see
//! `greedy_batches_are_not_linearizable_on_two_locks`); the known-buggy
//! buffers (`tests/support/lin/target.rs`) are rejected with a shrunk
//! history that names the offending calls.
#![cfg(any(loom, shuttle))]

#[path = "../tests/support/lin/mod.rs"]
mod linearizability;

use std::time::Duration;

use crate::support::harness::{model, rejects};
use linearizability::checker;
use linearizability::recorder::record;
use linearizability::target::ReordersGets;
#[cfg(loom)]
use {linearizability::spec::Op, linearizability::target::Target, std::sync::Arc};

/// Timed calls wait this long in model time; when the timer fires is the
/// scheduler's choice.
const TIMEOUT: Duration = Duration::from_millis(1);

fn real(capacity: usize) -> linearizability::target::Real {
    linearizability::target::Real::new(capacity, TIMEOUT)
}

/// Records `scripts` on `make(capacity)` and checks the history.
#[cfg(loom)]
fn history<T: Target + 'static>(capacity: usize, scripts: Vec<Vec<Op>>, make: fn(usize) -> T) {
    let target = Arc::new(make(capacity));
    let history = record(&target, &scripts);
    checker::assert_linearizable(capacity, &history);
}

/// [`history`] on the real buffer.
#[cfg(loom)]
fn real_history(capacity: usize, scripts: Vec<Vec<Op>>) {
    history(capacity, scripts, real)
}

model! {
    /// Blocking puts against a get and a try_get, capacity 1 (the second
    /// put waits for the get). loom, exhaustive.
    put_put_against_get_try_get = real_history {
        loom: exhaustive with (1, vec![vec![Op::Put(1), Op::Put(2)], vec![Op::Get, Op::TryGet]]);
    }

    /// A close racing a blocked get and a len. loom, exhaustive.
    close_against_get_and_len = real_history {
        loom: exhaustive with (1, vec![vec![Op::TryPut(1), Op::Close], vec![Op::Get, Op::Len]]);
    }

    /// A put_many of three items through capacity 2 against two
    /// get_many(2). loom, exhaustive.
    put_many_against_get_many = real_history {
        loom: exhaustive with (
            2,
            vec![vec![Op::PutMany(vec![1, 2, 3])], vec![Op::GetMany(2), Op::GetMany(2)]],
        );
    }

    /// drain and is_empty against a put and a try_put. loom, exhaustive.
    drain_against_puts = real_history {
        loom: exhaustive with (2, vec![vec![Op::Put(1), Op::Drain], vec![Op::TryPut(2), Op::IsEmpty]]);
    }
}

/// The known-buggy buffer that hands out the second item first is
/// rejected, with the FIFO violation in the report: under loom, two puts
/// against two gets at capacity 2 (exhaustive; loom stops at the first
/// failing execution); under shuttle, small drawn histories (random 1 000).
#[test]
fn gets_out_of_order_are_rejected() {
    #[cfg(loom)]
    {
        use crate::support::loom_runner::{assert_failure, rejects};
        let failure = rejects("lin reordered gets", None, || {
            history(
                2,
                vec![vec![Op::Put(1), Op::Put(2)], vec![Op::Get, Op::Get]],
                |capacity| ReordersGets::new(real(capacity), 1),
            )
        });
        assert_failure(&failure, "not linearizable");
        assert_failure(&failure, "get() -> Ok(2)");
    }
    #[cfg(shuttle)]
    {
        let failure = drawn::rejected(
            "lin reordered gets",
            1_000,
            drawn::model(drawn::SMALL, |capacity| {
                ReordersGets::new(real(capacity), 1)
            }),
        );
        assert!(
            failure.contains("get() -> Ok(") || failure.contains("get_timeout() -> Ok("),
            "the report does not name a get: {failure}"
        );
    }
}

/// The shuttle models: a workload drawn per execution.
#[cfg(shuttle)]
mod drawn {
    use super::linearizability::spec::Batching;
    use super::linearizability::target::{SpuriousEmpty, Target};
    use super::linearizability::workload::{self, Rng, Shape};
    use super::{checker, real, record};
    use crate::support::shuttle_runner::{Schedule, assert_failure, rejects};
    use prodcon::model::Timer;
    use shuttle::rand::Rng as _;
    use std::sync::Arc;

    pub(super) const THREE_BY_THREE: Shape = Shape {
        producers: 3,
        consumers: 3,
        calls: 3,
        closer_calls: 2,
        timed: true,
    };

    pub(super) const FOUR_BY_FOUR: Shape = Shape {
        producers: 4,
        consumers: 4,
        calls: 2,
        closer_calls: 2,
        timed: true,
    };

    /// For the known-buggy buffers: small histories, so that the rejected
    /// one reads at a glance.
    pub(super) const SMALL: Shape = Shape {
        producers: 1,
        consumers: 2,
        calls: 3,
        closer_calls: 1,
        timed: true,
    };

    /// One execution on the real buffer: a workload of `shape` drawn from
    /// shuttle's random source, its history checked.
    pub(super) fn real_history(shape: Shape) {
        model(shape, real)()
    }

    /// One execution: a workload drawn from shuttle's random source, run
    /// on `make(capacity)`, its history checked. `make` may build any
    /// buffer-like [`Target`].
    pub(super) fn model<T, F>(shape: Shape, make: F) -> impl Fn() + Send + Sync + 'static
    where
        T: Target + 'static,
        F: Fn(usize) -> T + Send + Sync + 'static,
    {
        model_with(Batching::AtLeastOne, shape, make)
    }

    /// [`model`], checked with the given batch semantics.
    fn model_with<T, F>(
        batching: Batching,
        shape: Shape,
        make: F,
    ) -> impl Fn() + Send + Sync + 'static
    where
        T: Target + 'static,
        F: Fn(usize) -> T + Send + Sync + 'static,
    {
        move || {
            let mut rng = Rng::new(shuttle::rand::thread_rng().r#gen::<u64>());
            let capacity = 1 + rng.below(3);
            let scripts = workload::scripts(&mut rng, shape);
            let timer = Timer::start(workload::timed_calls(&scripts));
            let target = Arc::new(make(capacity));
            let history = record(&target, &scripts);
            timer.stop();
            checker::assert_linearizable_with(batching, capacity, &history);
        }
    }

    /// Runs `model` under the random scheduler for `iterations`
    /// executions; it must be rejected as not linearizable. Returns the
    /// report.
    pub(super) fn rejected<F>(name: &str, iterations: usize, model: F) -> String
    where
        F: Fn() + Send + Sync + 'static,
    {
        let failure = rejects(name, Schedule::Random { iterations }, model);
        eprintln!("{failure}");
        assert_failure(&failure, "not linearizable");
        failure
    }

    /// A finding, kept as a test: with the strict batch semantics a single
    /// thread sees (a `get_many` takes every item there is, up to `max`; a
    /// `put_many` step puts as many items as there is room for), the real
    /// two-lock buffer is not linearizable. The checker's default semantics
    /// allow a batch step to move fewer (at least one); see
    /// VERIFICATION.md ("Linearizability checking"). Random, up to
    /// 20 000: such a history is rare (with the task count under the put
    /// lock, 1 000 executions found none with this seed, and one in four
    /// other seeds found one); every seed tried found one within 20 000,
    /// and the run stops at the first.
    #[test]
    fn greedy_batches_are_not_linearizable_on_two_locks() {
        let failure = rejected(
            "lin greedy batches",
            20_000,
            model_with(Batching::Greedy, THREE_BY_THREE, real),
        );
        assert_failure(&failure, "_many");
    }

    /// The known-buggy buffer that answers "empty" once with an item
    /// buffered is rejected, and the report names the `try_get`. Random
    /// 1 000.
    #[test]
    fn a_spurious_empty_is_rejected() {
        let failure = rejected(
            "lin spurious empty",
            1_000,
            model(SMALL, |capacity| SpuriousEmpty::new(real(capacity), 1)),
        );
        assert_failure(&failure, "try_get() -> Empty/Timeout");
    }
}

model! {
    /// 3 producers × 3 consumers and a closer, drawn workloads on the real
    /// buffer. shuttle, random 5 000 and PCT depth 3, 5 000.
    three_by_three_is_linearizable = drawn::real_history {
        shuttle: random(5_000), pct(5_000, 3) with (drawn::THREE_BY_THREE);
    }

    /// 4 producers × 4 consumers and a closer, drawn workloads on the real
    /// buffer. shuttle, random 5 000 and PCT depth 3, 5 000.
    four_by_four_is_linearizable = drawn::real_history {
        shuttle: random(5_000), pct(5_000, 3) with (drawn::FOUR_BY_FOUR);
    }
}

rejects! {
    /// The catalog's order bug, switched on in the real buffer
    /// (`Fault::RefillSwapsNonEmpty`: refill puts newer items ahead of
    /// older ones): the checker rejects the recorded history, and the
    /// report names the gets that came out of order. shuttle, random 3 000
    /// on 3 × 3 drawn workloads.
    the_real_buffer_with_refill_reordering_is_rejected = RefillSwapsNonEmpty, "not linearizable" {
        shuttle: random(3_000) => drawn::real_history(drawn::THREE_BY_THREE);
    }

    /// The catalog's "gives up with items buffered" bug, switched on in the
    /// real buffer (`Fault::GetChecksClosedFirst`: after a close, a get
    /// reports the end while items are still buffered): the checker
    /// rejects the history, whose report shows a get answering "closed"
    /// that no order of the calls explains. shuttle, random 3 000 on 3 × 3
    /// drawn workloads.
    the_real_buffer_giving_up_with_items_buffered_is_rejected = GetChecksClosedFirst,
        "not linearizable" {
        shuttle: random(3_000) => drawn::real_history(drawn::THREE_BY_THREE);
    }
}
