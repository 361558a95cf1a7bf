//! A running `ProducerConsumerSystem` that ends without a full drain:
//! dropped while its workers run, and `shutdown_graceful_timeout` whose
//! deadline the model timer fires at a moment the checker chooses. loom at
//! the smallest sizes, shuttle at sizes loom cannot reach. Scenarios:
//! `tests/support/pipeline_drop.rs`.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models pipeline_drop::
//! RUSTFLAGS="--cfg shuttle" cargo test --test models pipeline_drop::
//! ```
#![cfg(any(loom, shuttle))]

use crate::support::harness::model;
use crate::support::pipeline_drop as scenarios;

model! {
    /// Drop racing running workers: when `drop` returns, every worker has
    /// ended and every item taken from the source was handled or reported
    /// in an `item_dropped` event, exactly once. Arguments: capacity,
    /// producers, items per producer, handler consumers.
    ///
    /// - loom, 1 producer × 2 items, capacity 1: 1 consumer (threads: main
    ///   (drops), producer, consumer), exhaustive; 2 consumers,
    ///   preemption bound 3.
    /// - shuttle, 4 producers × 5 items, 4 consumers, capacity 1 and 3:
    ///   random 1 000 and PCT depth 3, 1 000, per capacity.
    drop_conserves_items = scenarios::drop_conserves_items {
        loom: exhaustive with (1, 1, 2, 1);
        loom: bound(3) with (1, 1, 2, 2);
        shuttle: random(1_000), pct(1_000, 3) with (1, 4, 5, 4), (3, 4, 5, 4);
    }

    /// `shutdown_graceful_timeout` with the model timer (1 firing): the
    /// deadline passes at any point of the drain, or never. Drained: every
    /// item handled, nothing undelivered; deadline passed: handled and
    /// undelivered are every item taken, exactly once. Both endings must be
    /// reached.
    ///
    /// - loom, 1 producer × 2 items, 1 handler consumer, capacity 1
    ///   (threads: main (shuts down), producer, consumer, timer),
    ///   preemption bound 2; bound 3 in the third tier,
    ///   `loom-tests/deep.rs` (2,647,894 executions, minutes: longer than
    ///   the whole first tier).
    /// - shuttle, 3 producers × 4 items, 3 handler consumers, capacity 2,
    ///   and the loom configuration: random 1 000 and PCT depth 3, 1 000,
    ///   each. The large one almost never drains before the timer fires
    ///   (1 execution in 2 000 did, and after an unrelated change to the
    ///   worker loop none did, failing "both endings"), so the small one
    ///   is there to reach the drained ending.
    graceful_timeout_conserves_items = scenarios::graceful_timeout_conserves_items {
        loom: bound(2) with (1, 1, 2, 1);
        shuttle: random(1_000), pct(1_000, 3) with (2, 3, 4, 3), (1, 1, 2, 1);
        around: scenarios::reaching_both_endings;
    }

    /// A long source (2 producers × 200 items, 2 consumers, capacity 2):
    /// the deadline almost always passes mid-stream, and must in some
    /// execution. shuttle, random 200.
    graceful_timeout_long_sources_2p_2c = scenarios::graceful_timeout_conserves_items {
        shuttle: random(200) with (2, 2, 200, 2);
        around: scenarios::reaching_the_deadline;
    }
}
