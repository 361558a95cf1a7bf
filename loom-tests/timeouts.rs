//! Models of `SharedBuffer`'s timed operations and of spurious wakeups.
//! They run the model timer (`prodcon::model::Timer`), a model thread that
//! makes timed waits time out at moments the checker chooses, and spurious
//! wakeups (`prodcon::model::spurious_wakeup`): with the checkers' own
//! condition variables neither would ever happen.
//!
//! Each property is declared once (see `tests/support/harness.rs`) and
//! compiles, in the `models` target (`timeouts::`), to a loom model under
//! `RUSTFLAGS="--cfg loom"` and to a shuttle test under
//! `RUSTFLAGS="--cfg shuttle"`, with the bounds and schedules given.
#![cfg(any(loom, shuttle))]

use crate::support::harness::model;
use crate::support::scenarios::{self, Side::*, Take::*};
use prodcon::SharedBuffer;

type Buffer = SharedBuffer<u32>;

model! {
    /// `get_timeout` racing puts and the timer: a getter that times out
    /// never takes the notification meant for another, each item is taken
    /// exactly once or left buffered. Arguments: timed getters, untimed
    /// getters, items put, timer firings.
    ///
    /// - loom, preemption bound 4: a timed and an untimed getter, the main
    ///   thread putting 1 item, 1 firing (the untimed getter is released
    ///   by a close if the timed one took the item).
    /// - shuttle: 2 timed and 2 untimed getters, 4 items, capacity 2, 2
    ///   firings; random 20 000, PCT depth 3 20 000.
    get_timeout_races_puts = scenarios::get_timeout_races_puts::<Buffer> {
        loom: bound(4) with (1, 1, 1, 1);
        shuttle: random(20_000), pct(20_000, 3) with (2, 2, 4, 2);
    }

    /// `put_timeout` racing gets and the timer, an untimed putter waiting
    /// on the same full buffer: each item is taken or handed back as
    /// `Timeout(item)` — exactly one — and room made by a get never goes
    /// unused while a putter sleeps. Arguments: timed putters, untimed
    /// putters, capacity, timer firings.
    ///
    /// - loom, preemption bound 4: 1 timed and 1 untimed putter, capacity
    ///   1, 1 firing.
    /// - shuttle: 2 timed and 2 untimed putters, capacity 1, 2 firings;
    ///   random 20 000, PCT depth 3 20 000.
    put_timeout_races_gets = scenarios::put_timeout_races_gets::<Buffer> {
        loom: bound(4) with (1, 1, 1, 1);
        shuttle: random(20_000), pct(20_000, 3) with (2, 2, 1, 2);
    }

    /// `get_timeout` racing a put and the timer: the item is returned or
    /// left buffered, never dropped. loom, exhaustive.
    get_timeout_never_drops_the_item = scenarios::get_timeout_keeps_the_item::<Buffer> {
        loom: exhaustive with ();
    }

    /// `close` wakes timed waiters at once: a `get_timeout` on an empty
    /// buffer and a `put_timeout` on a full one, the main thread closing,
    /// no timer (the clock stands still). loom, exhaustive.
    close_wakes_timed_waiters = scenarios::close_wakes_timed_waiters::<Buffer> {
        loom: exhaustive with ();
    }

    /// `join_timeout` racing `task_done` and the timer: `true` only once
    /// every task is finished; `join` returns afterwards. Arguments:
    /// workers, what a worker takes, joiners, items, timer firings.
    ///
    /// - loom, exhaustive: 1 item, 1 worker, 1 joiner, 1 firing.
    /// - shuttle: 3 items, 2 workers getting until closed, 2 joiners, 2
    ///   firings; random 20 000, PCT depth 3 20 000.
    join_timeout_races_task_done = scenarios::join_timeout_races_task_done::<Buffer> {
        loom: exhaustive with (1, AtMost(1), 1, 1, 1);
        shuttle: random(20_000), pct(20_000, 3) with (2, UntilClosed, 2, 3, 2);
    }

    /// The seed's timed-retry loops: nothing lost or duplicated by a
    /// retry. Arguments: producers retrying `put_timeout`, consumers
    /// (`Main`: the main thread with `get`; threads: retrying
    /// `get_timeout` until closed), capacity, items per producer, timer
    /// firings.
    ///
    /// - loom, preemption bound 3: 2 producers × 1 item, capacity 1, the
    ///   main thread consuming, 2 firings.
    /// - shuttle: 2 producers × 4 items, the main thread consuming,
    ///   capacity 1, 2 firings, random 20 000; 3 producers × 3 items, 2
    ///   retrying consumers, capacity 1, 4 firings, random 20 000 and PCT
    ///   depth 3 20 000.
    timed_retry_loses_nothing = scenarios::timed_retry::<Buffer> {
        loom: bound(3) with (2, Main, 1, 1, 2);
        shuttle: random(20_000) with (2, Main, 1, 4, 2);
        shuttle: random(20_000), pct(20_000, 3) with (3, Threads(2), 1, 3, 4);
    }

    /// A spurious wakeup never makes `get` return without an item: 2
    /// getters waiting on an empty buffer of capacity 1, each taking
    /// exactly one item, while the main thread wakes every waiter
    /// spuriously once and puts 2 items. Three threads: loom, preemption
    /// bound 5 here, exhaustive in the third tier (`models_deep`: 6.9 M
    /// executions, about 2 minutes).
    spurious_wakeups_do_not_end_a_get = scenarios::consumers_wait_on_empty::<Buffer> {
        loom: bound(5) with (1, true);
    }

    /// A spurious wakeup is neither an item, nor room, nor a timeout, nor
    /// the end of the tasks: 3 producers × 2 items (`put` and
    /// `put_timeout`), 3 consumers taking 2 each (`get` and `get_timeout`)
    /// and marking them done, a thread waking every waiter spuriously 3
    /// times, `join_timeout` and `join` afterwards; no timer, nobody
    /// closes, capacity 1. shuttle only: random 20 000, PCT depth 3
    /// 20 000.
    spurious_wakeups_fail_nothing = scenarios::spurious_wakeups_everywhere::<Buffer> {
        shuttle: random(20_000), pct(20_000, 3) with (3, 3, 1, 2, 3);
    }
}
