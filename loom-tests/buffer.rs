//! Models of `SharedBuffer`'s blocking operations: exactly-once delivery,
//! wakeups on an empty or full buffer, `close` and `join`.
//!
//! Each property is declared once (see `tests/support/harness.rs`) and
//! compiles, in the `models` target (`buffer::`), to a loom model under
//! `RUSTFLAGS="--cfg loom"` — every interleaving, or every one within the
//! preemption bound given — and to a shuttle test under
//! `RUSTFLAGS="--cfg shuttle"`, at larger sizes, with the schedules given:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models buffer:: -- --nocapture
//! RUSTFLAGS="--cfg shuttle" cargo test --test models buffer::
//! ```
//!
//! The scenarios are in `tests/support/scenarios.rs`; each configuration's
//! arguments are listed in the declaration, and the loom runner prints them
//! with the executions explored.
#![cfg(any(loom, shuttle))]

use crate::support::harness::model;
use crate::support::scenarios::{self, Side::*, Take::*};
use prodcon::SharedBuffer;

type Buffer = SharedBuffer<u32>;

model! {
    /// No lost or duplicated item, no deadlock on a full or an empty
    /// buffer. Arguments: producers, consumers (`Main`: the main thread),
    /// capacity, items per producer.
    ///
    /// - loom, exhaustive: 2 producer threads × 1 item, the main thread
    ///   consuming, capacity 1.
    /// - loom, preemption bound 3 (bound 4 in the third tier,
    ///   `loom-tests/deep.rs`): the same with 2 items each (more items
    ///   than room, both producers refilling; its exhaustive search,
    ///   `loom-tests/resumable.rs`, has not finished: VERIFICATION.md).
    /// - loom, exhaustive: the main thread puts 1 item and closes, 2
    ///   consumer threads, capacity 1 (the close races both consumers).
    /// - loom, preemption bound 4 (bound 6 in the third tier; exhaustive
    ///   outside CI, 101,531,622 executions in about 20 minutes of one
    ///   core, `loom-tests/resumable.rs`): the main thread puts 2 items and
    ///   closes, 2 consumer threads, capacity 1.
    /// - loom, preemption bound 4 (bound 5 also passed, on the
    ///   code before the per-side counters): 2
    ///   producers × 1 item, 1 consumer thread, the main thread joining the
    ///   producers and closing, capacity 1.
    /// - shuttle: 4 producers × 3 items, 4 consumers, capacity 1 (random
    ///   40 000, PCT depth 3 40 000, PCT depth 2 20 000), capacity 2 and 3
    ///   (random 30 000 and PCT depth 3 30 000 each).
    exactly_once = scenarios::exactly_once::<Buffer> {
        loom: exhaustive with (Threads(2), Main, 1, 1);
        loom: bound(3) with (Threads(2), Main, 1, 2);
        loom: exhaustive with (Main, Threads(2), 1, 1);
        loom: bound(4) with (Main, Threads(2), 1, 2);
        loom: bound(4) with (Threads(2), Threads(1), 1, 1);
        shuttle: random(40_000), pct(40_000, 3), pct(20_000, 2)
            with (Threads(4), Threads(4), 1, 3);
        shuttle: random(30_000), pct(30_000, 3)
            with (Threads(4), Threads(4), 2, 3), (Threads(4), Threads(4), 3, 3);
    }

    /// No deadlock on an empty buffer: 2 getters that may wait before any
    /// put each take exactly one item (no close to rescue a sleeper), the
    /// main thread puts 2. From capacity 2 the second put can land before
    /// the first woken getter runs: it must wake the other getter (the
    /// getters' mark is still set while one has not been sent a wakeup).
    /// Arguments: capacity, spurious
    /// wakeup (none here).
    ///
    /// - loom, exhaustive: capacity 1; capacity 2.
    /// - shuttle: capacity 2 and 3, random 5 000 and PCT depth 3 5 000
    ///   each.
    getters_waiting_on_empty_are_woken = scenarios::consumers_wait_on_empty::<Buffer> {
        loom: exhaustive with (1, false);
        loom: exhaustive with (2, false);
        shuttle: random(5_000), pct(5_000, 3) with (2, false), (3, false);
    }

    /// The mirror image: 2 putters blocked on a full buffer, the main
    /// thread getting every item one by one (no close); two gets can free
    /// two slots before the first woken putter runs, and both putters must
    /// be woken. (The name is from the protocol before the per-side
    /// counters, where a woken putter passed the wakeup on.) Argument:
    /// capacity.
    ///
    /// - loom, preemption bound 4: capacity 2 (exhaustive, 18,579,598
    ///   executions, in the third tier, `loom-tests/deep.rs`).
    /// - shuttle: capacity 2 and 3, random 5 000 and PCT depth 3 5 000
    ///   each.
    putters_pass_the_wakeup_on = scenarios::putters_wait_on_full::<Buffer> {
        loom: bound(4) with (2);
        shuttle: random(5_000), pct(5_000, 3) with (2), (3);
    }

    /// `close` wakes every blocked putter, each with its own item back: 2
    /// putters on a full buffer of capacity 1, the main thread closing.
    /// loom, exhaustive.
    close_wakes_blocked_putters = scenarios::close_wakes_blocked_putters::<Buffer> {
        loom: exhaustive with ();
    }

    /// `close` wakes every blocked getter: 2 getters on an empty buffer,
    /// the main thread closing. loom, exhaustive.
    close_wakes_blocked_getters = scenarios::close_wakes_blocked_getters::<Buffer> {
        loom: exhaustive with ();
    }

    /// `close` racing blocked puts and gets: every waiter wakes; each item
    /// is delivered, handed back, or left for a drain — exactly one;
    /// nothing is left once a getter has seen the end; a refused putter
    /// stays refused; each consumer sees each producer's items in order.
    /// Arguments: producers, consumers, what a consumer takes, capacity,
    /// items per producer, items the main thread puts before closing.
    ///
    /// - loom, exhaustive: a producer putting 2 items into capacity 1, a
    ///   consumer taking 1, the main thread closing at any point.
    /// - shuttle: 4 producers × 3 items, 4 consumers getting until closed,
    ///   the main thread putting 3 and closing; capacity 1 (random 40 000,
    ///   PCT depth 3 40 000) and capacity 2 (random 20 000, PCT depth 3
    ///   20 000).
    close_races_blocked_puts_and_gets = scenarios::close_races_puts_and_gets::<Buffer> {
        loom: exhaustive with (1, 1, AtMost(1), 1, 2, 0);
        shuttle: random(40_000), pct(40_000, 3) with (4, 4, UntilClosed, 1, 3, 3);
        shuttle: random(20_000), pct(20_000, 3) with (4, 4, UntilClosed, 2, 3, 3);
    }

    /// `join` never returns while a task is unfinished and never hangs once
    /// all are. Arguments: producers, workers, what a worker takes,
    /// joiner threads (besides the main thread), capacity, items per
    /// producer.
    ///
    /// - loom, exhaustive: the main
    ///   thread puts 2 items and joins, a worker gets and marks both done,
    ///   a second thread joins too, capacity 2.
    /// - shuttle: 2 producers × 3 items, 3 workers getting until closed, 2
    ///   joiner threads and the main thread, capacity 2; random 20 000,
    ///   PCT depth 3 20 000.
    join_waits_for_every_task = scenarios::join_waits_for_every_task::<Buffer> {
        loom: exhaustive with (Main, 1, AtMost(2), 1, 2, 2);
        shuttle: random(20_000), pct(20_000, 3) with (Threads(2), 3, UntilClosed, 2, 2, 3);
    }
}
