//! The third loom tier: the searches the first tier bounds only for time.
//!
//! Every loom model of three threads or fewer (the model timer and the
//! spurious-wakeup thread count) should be explored without a bound. The
//! first tier (`models`) must finish in five minutes, so the configurations
//! below run there under a preemption bound; here the same scenario
//! functions, with the same arguments, are explored exhaustively (the
//! pipeline's graceful timeout, four threads, at a deeper bound). Only searches
//! measured to finish are here (each takes minutes); the two 3-thread
//! `exactly_once` configurations whose exhaustive searches take an hour
//! or more (`loom-tests/resumable.rs`) run here at deeper bounds than the
//! first tier's, and VERIFICATION.md lists them. A plain
//! `cargo test` does not run this target (`test = false` in Cargo.toml); CI
//! runs it by name:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models_deep
//! ```
//!
//! VERIFICATION.md ("Where a model is bounded") gives each search's
//! executions and time. The exhaustive `putters_pass_the_wakeup_on`
//! (18.6 M executions, about 5 minutes on a shared core) is the longest
//! search; the others take seconds to 3.5 minutes. One configuration per
//! test, so that the harness runs two at a time.
#![cfg(loom)]

#[path = "../tests/support/mod.rs"]
mod support;

/// Which waiter a model `notify_one` wakes in this target: the oldest, as
/// in the first tier.
pub(crate) const NEWEST_FIRST: bool = false;

use prodcon::SharedBuffer;
use support::channel;
use support::faulty::{Faulty, bug};
use support::harness::model;
use support::pipeline_drop;
use support::scenarios::{self, Side::*};

model! {
    /// The split pair's `clone_races_drop` (first tier: bound 4, the clean
    /// run of `channel::catches_a_handle_count_off_by_one`): main, sender,
    /// receiver. 1,899,208 executions.
    clone_races_drop = channel::clone_races_drop {
        loom: exhaustive with ();
    }

    /// The split pair's `concurrent_sender_drops` (first tier: bound 4,
    /// the clean run of `channel::catches_a_racy_handle_count`): main and
    /// 2 senders. 2,952,354 executions.
    concurrent_sender_drops = channel::concurrent_sender_drops {
        loom: exhaustive with ();
    }

    /// The toy catalog's bug-free reference for bug (a) (first tier: bound
    /// 3, `bug_catalog::catches_a_single_condvar_for_both_sides`): the
    /// main thread puts 2 items and closes, 2 consumers, capacity 1.
    /// 7,535,028 executions.
    toy_single_condvar_reference = scenarios::exactly_once::<Faulty<u32, { bug::NONE }>> {
        loom: exhaustive with (Main, Threads(2), 1, 2);
    }
}

model! {
    /// `buffer::putters_pass_the_wakeup_on(2)` (first tier: bound 4): 2
    /// putters blocked on a full buffer of capacity 2, the main thread
    /// getting every item one by one, no close. 18,579,598 executions
    /// (52,975,871 before the marks moved under the locks, 10,834,914
    /// before the per-side counters).
    putters_pass_the_wakeup_on = scenarios::putters_wait_on_full::<SharedBuffer<u32>> {
        loom: exhaustive with (2);
    }

    /// `timeouts::spurious_wakeups_do_not_end_a_get(1, true)` (first tier:
    /// bound 5): 2 getters wait on an empty buffer of capacity 1, the main
    /// thread wakes every waiter spuriously once and puts 2; three
    /// threads. 6,910,161 executions (42.2 M before the marks moved under
    /// the locks, 5.77 M before the per-side counters; its time is in
    /// VERIFICATION.md).
    spurious_wakeups_do_not_end_a_get = scenarios::consumers_wait_on_empty::<SharedBuffer<u32>> {
        loom: exhaustive with (1, true);
    }

    /// `pipeline_drop::graceful_timeout_conserves_items(1, 1, 2, 1)` (first
    /// tier: bound 2): main (shuts down), producer, consumer and the model
    /// timer, four threads, so bounded here too, at 3. 2,647,894
    /// executions.
    graceful_timeout_conserves_items = pipeline_drop::graceful_timeout_conserves_items {
        loom: bound(3) with (1, 1, 2, 1);
        around: pipeline_drop::reaching_both_endings;
    }
}

model! {
    /// `buffer::exactly_once(Threads(2), Main, 1, 2)` (first tier: bound
    /// 3): 2 producers × 2 items refilling a buffer of capacity 1, the main
    /// thread taking every item; three threads, bounded here too (its
    /// exhaustive search has not finished: VERIFICATION.md), at 4.
    /// 2,105,820 executions.
    exactly_once_producers_refill = scenarios::exactly_once::<SharedBuffer<u32>> {
        loom: bound(4) with (Threads(2), Main, 1, 2);
    }

    /// `buffer::exactly_once(Main, Threads(2), 1, 2)` (first tier: bound
    /// 4): the main thread puts 2 items into a buffer of capacity 1 and
    /// closes, 2 consumers; three threads, bounded here at 6 (2,952,374
    /// executions): its exhaustive search, 101,531,622
    /// executions and about 20 minutes of one core, runs outside CI
    /// (`loom-tests/resumable.rs`).
    exactly_once_close_races_consumers = scenarios::exactly_once::<SharedBuffer<u32>> {
        loom: bound(6) with (Main, Threads(2), 1, 2);
    }
}
