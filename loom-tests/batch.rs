//! Models of `SharedBuffer`'s batch operations, `put_many` and
//! `get_many`.
//!
//! Each property is declared once (see `tests/support/harness.rs`) and
//! compiles, in the `models` target (`batch::`), to a loom model under
//! `RUSTFLAGS="--cfg loom"` and to a shuttle test under
//! `RUSTFLAGS="--cfg shuttle"`, with the bounds and schedules given (loom's
//! executions are printed with `-- --nocapture` and listed in
//! VERIFICATION.md). The
//! scenarios are the batch ones at the end of
//! `tests/support/scenarios.rs`.
#![cfg(any(loom, shuttle))]

use crate::support::harness::model;
use crate::support::scenarios;

model! {
    /// A `put_many` of 2 items wakes both getters blocked in `get_many(1)`
    /// on an empty buffer — no close rescues a sleeper. loom, exhaustive;
    /// shuttle, random 2 000 and PCT depth 3 1 000.
    put_many_wakes_every_getter_it_fills = scenarios::put_many_wakes_every_getter_it_fills {
        loom: exhaustive with (false);
        shuttle: random(2_000), pct(1_000, 3) with (false);
    }

    /// The same, with a spurious wakeup of every waiter at a point the
    /// checker chooses: `get_many` waits again instead of returning an
    /// empty batch. loom, exhaustive; shuttle, random
    /// 2 000 and PCT depth 3 1 000.
    get_many_survives_a_spurious_wakeup = scenarios::put_many_wakes_every_getter_it_fills {
        loom: exhaustive with (true);
        shuttle: random(2_000), pct(1_000, 3) with (true);
    }

    /// A `get_many` that frees 2 slots wakes both putters blocked on the
    /// full buffer (capacity 2) — no close rescues a sleeper. loom,
    /// exhaustive; shuttle, random 2 000 and PCT depth 3
    /// 1 000.
    get_many_wakes_every_putter_it_makes_room_for =
        scenarios::get_many_wakes_every_putter_it_makes_room_for {
        loom: exhaustive with ();
        shuttle: random(2_000), pct(1_000, 3) with ();
    }

    /// `close` racing a `put_many` of 3 items into capacity 1 and a
    /// `get_many(2)`: every waiter wakes, the items handed back are the
    /// batch's tail in order, and each item is delivered, handed back or
    /// left for a drain — exactly one. loom, exhaustive; shuttle, random
    /// 2 000 and PCT depth 3 1 000.
    close_races_put_many = scenarios::close_races_put_many {
        loom: exhaustive with ();
        shuttle: random(2_000), pct(1_000, 3) with ();
    }

    /// Each item of a `put_many` is one task: `join` returns only after a
    /// `task_done` per item taken with `get_many`, and never hangs. loom,
    /// exhaustive; shuttle, random 2 000 and PCT depth 3
    /// 1 000.
    join_waits_for_put_many_tasks = scenarios::join_waits_for_put_many_tasks {
        loom: exhaustive with ();
        shuttle: random(2_000), pct(1_000, 3) with ();
    }

    /// Exactly once with `put_many` producers and `get_many` consumers,
    /// the main thread closing; each consumer sees each producer's items in
    /// order (with one of each: FIFO). Arguments: producers, consumers,
    /// capacity, items per producer, the consumers' `get_many` maximum.
    ///
    /// - loom, exhaustive: 1 producer putting 5 items
    ///   with one `put_many` into capacity 2 (it waits for room), 1
    ///   consumer, `get_many(2)`.
    /// - loom, preemption bound 3: 2 producers × 2
    ///   items, 1 consumer, capacity 1, `get_many(2)`.
    /// - shuttle: 1 producer × 20 items, 1 consumer, capacity 3,
    ///   `get_many(4)`; 3 producers × 6 items, 3 consumers, capacity 2,
    ///   `get_many(2)`; 2 producers × 5 items, 4 consumers, capacity 1,
    ///   `get_many(3)`; random 2 000 and PCT depth 3 1 000 each.
    batch_exactly_once = scenarios::batch_exactly_once {
        loom: exhaustive with (1, 1, 2, 5, 2);
        loom: bound(3) with (2, 1, 1, 2, 2);
        shuttle: random(2_000), pct(1_000, 3)
            with (1, 1, 3, 20, 4), (3, 3, 2, 6, 2), (2, 4, 1, 5, 3);
    }

    /// A `put_many` that leaves room passes the putters' wakeup on: a batch
    /// of 3 and a single put waiting on a full buffer of capacity 6, the
    /// main thread getting all 10 items (no close). shuttle only, random
    /// 20 000 and PCT depth 3 20 000: this needs a batch of 2 or more
    /// landing in a buffer that holds 2 or more, which the loom batch
    /// models (capacity 1 and 2) cannot build.
    put_many_passes_the_wakeup_on = scenarios::put_many_passes_the_wakeup_on {
        shuttle: random(20_000), pct(20_000, 3) with ();
    }
}
