//! Scenarios written for the catalog of faults in the real code
//! (`prodcon::model::Fault`, declared for loom and shuttle in
//! `loom-tests/catalog.rs`): the smallest models that reach the place
//! of each fault, mostly with one thread besides the main one, so that
//! loom explores them exhaustively in well under a second. Each one
//! passes on the correct code and panics (an assertion, or the checker's
//! deadlock report) when the property in its name does not hold.
//!
//! They run on `SharedBuffer<u32>` itself, not on the `Queue` trait: some
//! use the batch calls, and the catalog is about the real code only.

use super::pipeline::{self, ConsumerKind::Collect, Real};
use super::scenarios::assert_exactly_once;
use super::thread;
use prodcon::SharedBuffer;

/// Item `i` of the producer `p`, as in `scenarios.rs`.
fn item(p: usize, i: usize) -> u32 {
    (p * 1000 + i) as u32
}

/// One getter thread waits on an empty buffer of capacity 1 (no close to
/// rescue it); the main thread puts one item. The put that ends "empty"
/// must reach the sleeping getter: with its waiter count, its mark, its
/// lock order, and the getter's spin all right.
pub fn getter_waits_for_a_put() {
    getter_waits("get failed on an open buffer", |buffer| {
        assert!(
            buffer.put(item(0, 0)).is_ok(),
            "put failed on an open buffer"
        );
    });
}

/// One getter thread waits on an empty buffer of capacity 1 (its `get`
/// failing with `on_error`), while the main thread hands it item (0, 0)
/// with `hand`; the getter must receive it.
fn getter_waits(on_error: &'static str, hand: impl FnOnce(&SharedBuffer<u32>)) {
    let buffer = SharedBuffer::<u32>::new(1);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get().expect(on_error))
    };
    hand(&buffer);
    assert_eq!(
        getter.join().unwrap(),
        item(0, 0),
        "lost or duplicated items"
    );
}

/// One getter thread waits on an empty buffer of capacity 1; the main
/// thread wakes every waiter spuriously once, then puts one item. A
/// spurious wakeup is not an item: the getter must wait again rather than
/// return.
pub fn getter_woken_spuriously() {
    getter_waits("get returned on an open, empty buffer", |buffer| {
        prodcon::model::spurious_wakeup();
        assert!(
            buffer.put(item(0, 0)).is_ok(),
            "put failed on an open buffer"
        );
    });
}

/// A full buffer of capacity 1 (item `a`); a putter thread puts `b` and
/// may wait for room; the main thread gets twice (no close to rescue a
/// sleeper). The get that ends "full" must reach the sleeping putter, and
/// the two items come out in the order they went in: single-item FIFO.
pub fn putter_waits_for_a_get() {
    putter_waits(
        |buffer| {
            let first = buffer.get().expect("get failed on an open buffer");
            vec![first, buffer.get().expect("get failed on an open buffer")]
        },
        |_| Vec::new(),
    );
}

/// A full buffer of capacity 1 (item (9, 0)); a putter thread puts (0, 0)
/// and may wait for room; the main thread takes items with `before_join`,
/// joins the putter, and takes the rest with `after_join` (no close to
/// rescue a sleeper). Both items come out once, in the order they went
/// in.
fn putter_waits(
    before_join: fn(&SharedBuffer<u32>) -> Vec<u32>,
    after_join: fn(&SharedBuffer<u32>) -> Vec<u32>,
) {
    let buffer = SharedBuffer::<u32>::new(1);
    assert!(buffer.put(item(9, 0)).is_ok());
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            assert!(
                buffer.put(item(0, 0)).is_ok(),
                "put failed on an open buffer"
            )
        })
    };
    let mut taken = before_join(&buffer);
    putter.join().unwrap();
    taken.extend(after_join(&buffer));
    assert_eq!(
        taken,
        [item(9, 0), item(0, 0)],
        "lost, duplicated or reordered items"
    );
}

/// One producer thread puts `items` items one by one into a buffer of
/// `capacity` (2 or 3); the main thread takes them, alternating `get` and
/// `get_many(2)`, until it has all of them, and checks that they came out
/// in exactly the order they were put. A `get_many(2)` that finds one item
/// in the take lane while the put lane holds more runs refill's append
/// branch (with capacity 2 and 3 items, the order get, put, get_many
/// reaches it).
pub fn fifo_across_get_and_get_many(capacity: usize, items: usize) {
    let buffer = SharedBuffer::<u32>::new(capacity);
    let producer = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            for i in 0..items {
                assert!(
                    buffer.put(item(0, i)).is_ok(),
                    "put failed on an open buffer"
                );
            }
        })
    };
    let mut got = Vec::new();
    let mut single = true;
    while got.len() < items {
        if single {
            got.push(buffer.get().expect("get failed on an open buffer"));
        } else {
            let batch = buffer
                .get_many(2)
                .expect("get_many failed on an open buffer");
            assert!(
                !batch.is_empty() && batch.len() <= 2,
                "get_many(2) returned {} items",
                batch.len()
            );
            got.extend(batch);
        }
        single = !single;
    }
    producer.join().unwrap();
    let expected: Vec<u32> = (0..items).map(|i| item(0, i)).collect();
    assert_eq!(got, expected, "lost, duplicated or reordered items");
}

/// The main thread puts one item into a buffer of capacity 1 and closes
/// it; a getter thread gets until the buffer says it is closed and empty.
/// A closed buffer still hands out what it holds: the getter must get the
/// item, and nothing may be left once it has seen the end.
pub fn getter_drains_a_closed_buffer() {
    let buffer = SharedBuffer::<u32>::new(1);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            let mut got = Vec::new();
            while let Ok(x) = buffer.get() {
                got.push(x);
            }
            got
        })
    };
    assert!(
        buffer.put(item(0, 0)).is_ok(),
        "put failed on an open buffer"
    );
    buffer.close();
    let got = getter.join().unwrap();
    let left = buffer.drain();
    assert!(
        left.is_empty(),
        "a getter gave up while items were buffered: {left:?}"
    );
    assert_exactly_once(got, [item(0, 0)]);
}

/// A full buffer of capacity 1 (item `a`); a putter thread puts `b` and
/// may wait for room; the main thread drains (no get, no close), then
/// joins the putter and drains again. The drain that empties a full
/// buffer must wake the putter; both items come out once, in order.
pub fn drain_wakes_a_blocked_putter() {
    putter_waits(SharedBuffer::drain, SharedBuffer::drain);
}

/// The main thread puts one item; a joiner thread `join`s; the main thread
/// then wakes every waiter spuriously once, takes the item, and marks it
/// done. A spurious wakeup is not the end of the tasks: the join must
/// return only after the `task_done`.
///
/// The joiner checks the buffer's own count of unfinished tasks (nothing
/// is put after the join starts, so it must read zero once the join has
/// returned): it is a model atomic, so the checker sees that read race
/// the `task_done` and explores both orders. A `std` atomic counter, as
/// other scenarios keep, would be invisible to loom's reduction, which
/// would then never schedule the check between the wakeup and the
/// `task_done`.
pub fn join_woken_spuriously() {
    let buffer = SharedBuffer::<u32>::new(1);
    assert!(buffer.put(item(0, 0)).is_ok());
    let joiner = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            buffer.join();
            assert_eq!(buffer.unfinished_tasks(), 0, "join returned early");
        })
    };
    prodcon::model::spurious_wakeup();
    assert_eq!(buffer.get(), Ok(item(0, 0)));
    buffer.task_done().expect("one task_done per item");
    joiner.join().unwrap();
}

/// The real `ProducerConsumerSystem`'s graceful shutdown with the model
/// timer running, so that the real producer's timed put times out and its
/// retry loop runs: 1 producer × 2 items, 1 consumer, capacity 1 (the
/// second item may wait for room), the timer firing once at a moment the
/// checker chooses. Every item is consumed exactly once, whether or not a
/// put was retried.
pub fn pipeline_with_timed_retry() {
    let timer = prodcon::model::Timer::start(1);
    pipeline::graceful_drain::<Real>(1, 1, 2, &[Collect]);
    timer.stop();
}

// ---------------------------------------------------------------------------
// Paths that the other models do not reach: `try_*` and `drain` racing
// waiters, and `join_timeout` returning `false`. No close rescues a
// sleeper in any of them.
// ---------------------------------------------------------------------------

/// One getter thread waits on an empty buffer of capacity 1; the main
/// thread `try_put`s one item (there is room: only the main thread puts).
/// A `try_put` that makes the buffer non-empty must wake the getter as a
/// `put` would.
pub fn try_put_wakes_a_blocked_getter() {
    getter_waits("get failed on an open buffer", |buffer| {
        assert!(
            buffer.try_put(item(0, 0)).is_ok(),
            "try_put failed on an empty, open buffer"
        );
    });
}

/// A full buffer of capacity 1 (item `a`); a putter thread puts `b` and may
/// wait for room; the main thread `try_get`s (the buffer holds `a` until
/// the main thread takes it, so this succeeds), then `get`s. The `try_get`
/// that makes the buffer non-full must wake the putter as a `get` would;
/// the items come out in order.
pub fn try_get_wakes_a_blocked_putter() {
    putter_waits(
        |buffer| {
            let first = buffer.try_get().expect("try_get failed on a full buffer");
            vec![first, buffer.get().expect("get failed on an open buffer")]
        },
        |_| Vec::new(),
    );
}

/// One getter thread takes one item with `get`; the main thread puts two
/// items into a buffer of capacity 2 and then drains while the getter may
/// still be waiting, taking or done. If the drain took both, the main
/// thread puts a third item for the getter (no close). Every item ends
/// exactly once: taken by the getter, drained, or (the third) left.
pub fn drain_races_a_getter() {
    let buffer = SharedBuffer::<u32>::new(2);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get().expect("get failed on an open buffer"))
    };
    assert!(buffer.put(item(0, 0)).is_ok());
    assert!(buffer.put(item(0, 1)).is_ok());
    let mut all = buffer.drain();
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "drain returned items out of order: {all:?}"
    );
    let mut expected = vec![item(0, 0), item(0, 1)];
    if all.len() == 2 {
        assert!(buffer.put(item(0, 2)).is_ok());
        expected.push(item(0, 2));
    }
    all.push(getter.join().unwrap());
    all.extend(buffer.drain());
    assert_exactly_once(all, expected);
}

/// `join_timeout` against the model clock: the main thread puts one item;
/// a joiner thread calls `join_timeout`; the main thread takes the item and
/// marks it done; the model timer fires once. `true` only once the task is
/// finished; `false` only once the model clock has reached the timeout.
pub fn join_timeout_false_only_after_the_timeout() {
    const TIMEOUT: std::time::Duration = std::time::Duration::from_millis(100);
    let timer = prodcon::model::Timer::start(1);
    let buffer = SharedBuffer::<u32>::new(1);
    assert!(buffer.put(item(0, 0)).is_ok());
    let joiner = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            if buffer.join_timeout(TIMEOUT) {
                assert_eq!(
                    buffer.unfinished_tasks(),
                    0,
                    "join_timeout returned true early"
                );
            } else {
                assert!(
                    prodcon::model::elapsed() >= TIMEOUT,
                    "join_timeout returned false before its timeout"
                );
            }
        })
    };
    assert_eq!(buffer.get(), Ok(item(0, 0)));
    buffer.task_done().expect("one task_done per item");
    joiner.join().unwrap();
    timer.stop();
}
