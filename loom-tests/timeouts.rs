//! Loom models of `SharedBuffer`'s timed operations and of spurious
//! wakeups. They run the facade's model timer (`prodcon::model::Timer`), a
//! model thread that makes timed waits time out at moments loom chooses,
//! and its spurious wakeups (`prodcon::model::spurious_wakeup`): with
//! loom's own condition variable neither would ever happen.
#![cfg(loom)]

mod runner;
#[path = "../tests/support/mod.rs"]
mod support;

use prodcon::SharedBuffer;
use runner::check;
use support::scenarios;

type Buffer = SharedBuffer<u32>;

/// `get_timeout` racing a put and the timer, with an untimed getter
/// waiting too: the item is taken exactly once, and a getter that times
/// out never takes the notification meant for the other. Threads: main
/// (puts), timed getter, untimed getter, timer. Exhaustive.
#[test]
fn get_timeout_races_put() {
    check(
        "get_timeout_races_put",
        Some(4),
        scenarios::get_timeout_races_put::<Buffer>,
    );
}

/// `put_timeout` racing a get and the timer, with an untimed putter
/// waiting on the same full buffer (capacity 1): each item is taken, still
/// buffered or handed back as `Timeout(item)` — exactly one — and room made
/// by a get never goes unused while a putter sleeps. Exhaustive.
#[test]
fn put_timeout_races_get() {
    check(
        "put_timeout_races_get",
        Some(4),
        scenarios::put_timeout_races_get::<Buffer>,
    );
}

/// `get_timeout` racing a put and the timer: the item is returned or left
/// buffered, never dropped. Exhaustive.
#[test]
fn get_timeout_never_drops_the_item() {
    check(
        "get_timeout_never_drops_the_item",
        None,
        scenarios::get_timeout_keeps_the_item::<Buffer>,
    );
}

/// `close` wakes timed waiters at once: a `get_timeout` on an empty buffer
/// and a `put_timeout` on a full one, the main thread closing, no timer
/// (the clock stands still). Exhaustive.
#[test]
fn close_wakes_timed_waiters() {
    check(
        "close_wakes_timed_waiters",
        None,
        scenarios::close_wakes_timed_waiters::<Buffer>,
    );
}

/// `join_timeout` racing `task_done` and the timer: `true` only once the
/// task is finished. Exhaustive.
#[test]
fn join_timeout_races_task_done() {
    check(
        "join_timeout_races_task_done",
        None,
        scenarios::join_timeout_races_task_done::<Buffer>,
    );
}

/// The seed producer's timed-retry put loop: 2 producers × 1 item retrying
/// `put_timeout` on a buffer of capacity 1 while the timer fires twice; the
/// main thread consumes. Nothing lost or duplicated by a retry.
/// Exhaustive.
#[test]
fn timed_retry_put_loop_loses_nothing() {
    check("timed_retry_put_loop_loses_nothing", Some(3), || {
        scenarios::timed_retry_producers::<Buffer>(1)
    });
}

/// Spurious wakeups: 2 consumers waiting on an empty buffer, each taking
/// exactly one item, while the main thread wakes every waiter spuriously
/// once and puts 2 items. A spurious wakeup never makes `get` return
/// without an item. Preemption bound 5 (the exhaustive search also
/// passes: 5.8 M executions, about five minutes).
#[test]
fn spurious_wakeups_do_not_end_a_get() {
    check("spurious_wakeups_do_not_end_a_get", Some(5), || {
        scenarios::consumers_wait_on_empty::<Buffer>(true)
    });
}
