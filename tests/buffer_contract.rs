//! Unit-level contract tests for `SharedBuffer<T>` and its error types, one
//! test per promise of the "SharedBuffer<T> contract" in DESIGN.md.
//!
//! Tests that need a thread to be *blocked* before acting on it give it a
//! short head start ([`settle`]). The outcome they assert is the same
//! whether or not the thread had blocked yet, so a slow machine can only
//! make them exercise less, never fail; a missed wakeup shows as a hang.
//! Timings are only ever asserted from below (a timeout took *at least* its
//! duration), never from above.
#![cfg(not(any(loom, shuttle)))]

use std::cell::Cell;
use std::error::Error;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use prodcon::{
    GetError, GetTimeoutError, PutError, PutTimeoutError, SharedBuffer, TaskDoneError, TryGetError,
    TryPutError,
};

/// Head start given to a thread that is about to block.
const SETTLE: Duration = Duration::from_millis(50);

/// A timeout that never runs out while a test runs: a wait on it that is
/// not woken shows as a hang, not as a silent pass.
const FOREVER_ISH: Duration = Duration::from_secs(3600);

/// Timeouts whose deadline overflows `Instant` (the first two) or is merely
/// centuries away (the last): all must mean "wait as long as it takes".
const HUGE: [Duration; 3] = [
    Duration::MAX,
    Duration::from_secs(u64::MAX),
    Duration::from_secs(u64::MAX / 4),
];

/// The short timeout of the timing tests.
const SHORT: Duration = Duration::from_millis(100);

/// Lets freshly spawned threads reach their blocking call.
fn settle() {
    thread::sleep(SETTLE);
}

/// A type that implements neither `Debug` nor `PartialEq`.
struct NoDebug(u32);

/// Counts, per id, how many times an item with that id was dropped.
struct DropLog {
    counts: Vec<AtomicUsize>,
}

impl DropLog {
    fn new(ids: usize) -> Arc<Self> {
        Arc::new(DropLog {
            counts: (0..ids).map(|_| AtomicUsize::new(0)).collect(),
        })
    }

    fn item(self: &Arc<Self>, id: usize) -> Counted {
        Counted {
            id,
            log: Arc::clone(self),
        }
    }

    fn drops(&self, id: usize) -> usize {
        self.counts[id].load(Ordering::SeqCst)
    }

    fn snapshot(&self) -> Vec<usize> {
        self.counts
            .iter()
            .map(|c| c.load(Ordering::SeqCst))
            .collect()
    }
}

/// An item that records its drop in a [`DropLog`].
struct Counted {
    id: usize,
    log: Arc<DropLog>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.log.counts[self.id].fetch_add(1, Ordering::SeqCst);
    }
}

// --- The seed system's seven buffer tests ----------------------------------

/// Seed `test_buffer_initialization`: a new buffer is empty, not full, open,
/// has no unfinished task and reports its capacity.
#[test]
fn new_buffer_starts_empty_and_not_full() {
    let buffer = SharedBuffer::<u32>::new(5);
    assert!(buffer.is_empty());
    assert!(!buffer.is_full());
    assert_eq!(buffer.len(), 0);
    assert_eq!(buffer.capacity(), 5);
    assert!(!buffer.is_closed());
    assert_eq!(buffer.unfinished_tasks(), 0);
}

/// Seed `test_fifo_order`: items come out in the order they went in.
#[test]
fn items_come_out_in_fifo_order() {
    let buffer = SharedBuffer::new(5);
    for item in ["a", "b", "c", "d", "e"] {
        buffer.put(item).unwrap();
    }
    let out: Vec<_> = (0..5).map(|_| buffer.get().unwrap()).collect();
    assert_eq!(out, ["a", "b", "c", "d", "e"]);
}

/// Seed `test_put_until_full`: `is_full` turns true exactly at capacity, and
/// a further `try_put` is refused as `Full`.
#[test]
fn put_until_full_reports_full_at_capacity() {
    let buffer = SharedBuffer::new(3);
    for i in 0..3 {
        assert!(!buffer.is_full(), "full after only {i} items");
        buffer.put(i).unwrap();
        assert_eq!(buffer.len(), i + 1);
    }
    assert!(buffer.is_full());
    assert_eq!(buffer.try_put(99), Err(TryPutError::Full(99)));
    assert_eq!(buffer.len(), 3);
}

/// Seed `test_get_until_empty`: after taking every item the buffer reports
/// empty, and `try_get` finds nothing.
#[test]
fn get_until_empty_reports_empty() {
    let buffer = SharedBuffer::new(3);
    for i in 0..3 {
        buffer.put(i).unwrap();
    }
    for i in 0..3 {
        assert!(!buffer.is_empty());
        assert_eq!(buffer.get(), Ok(i));
    }
    assert!(buffer.is_empty());
    assert_eq!(buffer.len(), 0);
    assert_eq!(buffer.try_get(), Err(TryGetError::Empty));
}

/// Seed `test_put_get_single_item`: one put and one get round-trip the item
/// and move `len` from 0 to 1 and back.
#[test]
fn single_put_get_round_trip_updates_len() {
    let buffer = SharedBuffer::new(2);
    assert_eq!(buffer.len(), 0);
    buffer.put(String::from("item")).unwrap();
    assert_eq!(buffer.len(), 1);
    assert!(!buffer.is_empty());
    assert_eq!(buffer.get().as_deref(), Ok("item"));
    assert_eq!(buffer.len(), 0);
    assert!(buffer.is_empty());
}

/// Seed `test_blocking_put_timeout`: `put_timeout` on a full buffer gives the
/// item back as `Timeout` after at least the timeout, leaving the buffer as
/// it was.
#[test]
fn put_timeout_on_full_buffer_times_out_with_the_item() {
    let buffer = SharedBuffer::new(1);
    buffer.put(1).unwrap();
    let start = Instant::now();
    let result = buffer.put_timeout(2, SHORT);
    let elapsed = start.elapsed();
    assert_eq!(result, Err(PutTimeoutError::Timeout(2)));
    assert!(elapsed >= SHORT, "timed out after only {elapsed:?}");
    assert_eq!(buffer.len(), 1);
    assert_eq!(buffer.unfinished_tasks(), 1);
    assert_eq!(buffer.get(), Ok(1));
}

/// Seed `test_blocking_get_timeout`: `get_timeout` on an empty buffer fails
/// with `Timeout` after at least the timeout.
#[test]
fn get_timeout_on_empty_buffer_times_out() {
    let buffer = SharedBuffer::<u32>::new(1);
    let start = Instant::now();
    let result = buffer.get_timeout(SHORT);
    let elapsed = start.elapsed();
    assert_eq!(result, Err(GetTimeoutError::Timeout));
    assert!(elapsed >= SHORT, "timed out after only {elapsed:?}");
    assert!(buffer.is_empty());
}

// --- Blocking and timed waits that complete --------------------------------

/// `put` on a full buffer does not return until a `get` makes room, and then
/// its item is in the buffer.
#[test]
fn put_blocks_while_full_until_a_get_makes_room() {
    let buffer = SharedBuffer::new(1);
    buffer.put(1).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let putter = {
        let (buffer, done) = (buffer.clone(), Arc::clone(&done));
        thread::spawn(move || {
            let result = buffer.put(2);
            done.store(true, Ordering::SeqCst);
            result
        })
    };
    settle();
    assert!(
        !done.load(Ordering::SeqCst),
        "put returned on a full buffer"
    );
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(putter.join().unwrap(), Ok(()));
    assert_eq!(buffer.get(), Ok(2));
}

/// `get` on an empty open buffer does not return until a `put` arrives, and
/// then returns that item.
#[test]
fn get_blocks_while_empty_until_a_put_arrives() {
    let buffer = SharedBuffer::new(1);
    let done = Arc::new(AtomicBool::new(false));
    let getter = {
        let (buffer, done) = (buffer.clone(), Arc::clone(&done));
        thread::spawn(move || {
            let result = buffer.get();
            done.store(true, Ordering::SeqCst);
            result
        })
    };
    settle();
    assert!(
        !done.load(Ordering::SeqCst),
        "get returned on an empty buffer"
    );
    buffer.put(7).unwrap();
    assert_eq!(getter.join().unwrap(), Ok(7));
    assert!(buffer.is_empty());
}

/// A waiting `put_timeout` / `get_timeout` succeeds when room / an item comes
/// before its deadline.
#[test]
fn timed_waits_succeed_when_room_or_an_item_arrives_in_time() {
    let buffer = SharedBuffer::new(1);
    buffer.put(1).unwrap();
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put_timeout(2, FOREVER_ISH))
    };
    settle();
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(putter.join().unwrap(), Ok(()));
    assert_eq!(buffer.get(), Ok(2));

    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get_timeout(FOREVER_ISH))
    };
    settle();
    buffer.put(3).unwrap();
    assert_eq!(getter.join().unwrap(), Ok(3));
}

/// A zero timeout behaves like the `try_*` call: it succeeds when it can and
/// fails with `Timeout` at once when it cannot.
#[test]
fn zero_timeouts_succeed_when_possible_and_time_out_otherwise() {
    let buffer = SharedBuffer::new(1);
    assert_eq!(
        buffer.get_timeout(Duration::ZERO),
        Err(GetTimeoutError::Timeout)
    );
    assert_eq!(buffer.put_timeout(1, Duration::ZERO), Ok(()));
    assert_eq!(
        buffer.put_timeout(2, Duration::ZERO),
        Err(PutTimeoutError::Timeout(2))
    );
    assert_eq!(buffer.get_timeout(Duration::ZERO), Ok(1));
    assert!(!buffer.join_timeout(Duration::ZERO));
    buffer.task_done().unwrap();
    assert!(buffer.join_timeout(Duration::ZERO));
}

// --- close -----------------------------------------------------------------

/// `close` wakes every thread blocked in `put` on a full buffer, and each
/// gets `Err(PutError(its own item))`; the buffered item stays.
#[test]
fn close_wakes_every_blocked_putter_with_its_item() {
    let buffer = SharedBuffer::new(1);
    buffer.put(0).unwrap();
    let putters: Vec<_> = (1..=4)
        .map(|i| {
            let buffer = buffer.clone();
            thread::spawn(move || (i, buffer.put(i)))
        })
        .collect();
    settle();
    assert!(buffer.close());
    for putter in putters {
        let (i, result) = putter.join().unwrap();
        assert_eq!(result, Err(PutError(i)));
    }
    assert_eq!(buffer.len(), 1);
    assert_eq!(buffer.unfinished_tasks(), 1);
    assert_eq!(buffer.get(), Ok(0));
    assert_eq!(buffer.get(), Err(GetError));
}

/// `close` wakes every thread blocked in `get` on an empty buffer, and each
/// gets `Err(GetError)`.
#[test]
fn close_wakes_every_blocked_getter() {
    let buffer = SharedBuffer::<u32>::new(2);
    let getters: Vec<_> = (0..4)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get())
        })
        .collect();
    settle();
    assert!(buffer.close());
    for getter in getters {
        assert_eq!(getter.join().unwrap(), Err(GetError));
    }
}

/// `close` wakes a `put_timeout` blocked with a long timeout, which returns
/// `Closed` with its item (not `Timeout`, and not an hour later).
#[test]
fn close_wakes_blocked_put_timeout_with_closed_and_its_item() {
    let buffer = SharedBuffer::new(1);
    buffer.put(0).unwrap();
    let putters: Vec<_> = (1..=3)
        .map(|i| {
            let buffer = buffer.clone();
            thread::spawn(move || (i, buffer.put_timeout(i, FOREVER_ISH)))
        })
        .collect();
    settle();
    buffer.close();
    for putter in putters {
        let (i, result) = putter.join().unwrap();
        assert_eq!(result, Err(PutTimeoutError::Closed(i)));
    }
}

/// `close` wakes a `get_timeout` blocked with a long timeout, which returns
/// `Closed`.
#[test]
fn close_wakes_blocked_get_timeout_with_closed() {
    let buffer = SharedBuffer::<u32>::new(1);
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get_timeout(FOREVER_ISH))
        })
        .collect();
    settle();
    buffer.close();
    for getter in getters {
        assert_eq!(getter.join().unwrap(), Err(GetTimeoutError::Closed));
    }
}

/// `close` returns `true` only for the call that closed the buffer, whichever
/// handle it is made on.
#[test]
fn close_returns_true_only_for_the_call_that_closed() {
    let buffer = SharedBuffer::<u32>::new(1);
    let other = buffer.clone();
    assert!(!buffer.is_closed());
    assert!(other.close());
    assert!(buffer.is_closed());
    assert!(!buffer.close());
    assert!(!other.close());
}

/// After `close`, every get flavour still returns the buffered items in FIFO
/// order, and only then fails.
#[test]
fn gets_drain_buffered_items_in_order_after_close_then_fail() {
    let buffer = SharedBuffer::new(4);
    for i in 1..=4 {
        buffer.put(i).unwrap();
    }
    buffer.close();
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(buffer.try_get(), Ok(2));
    assert_eq!(buffer.get_timeout(SHORT), Ok(3));
    assert_eq!(buffer.get(), Ok(4));
    assert_eq!(buffer.get(), Err(GetError));
    assert_eq!(buffer.try_get(), Err(TryGetError::Closed));
    assert_eq!(buffer.get_timeout(SHORT), Err(GetTimeoutError::Closed));
}

/// `try_get` says `Empty` on an empty open buffer and `Closed` only when the
/// buffer is closed *and* empty.
#[test]
fn try_get_distinguishes_empty_from_closed() {
    let buffer = SharedBuffer::new(2);
    assert_eq!(buffer.try_get(), Err(TryGetError::Empty));
    buffer.put(1).unwrap();
    buffer.close();
    assert_eq!(buffer.try_get(), Ok(1));
    assert_eq!(buffer.try_get(), Err(TryGetError::Closed));
}

/// `try_put` says `Full` on a full open buffer and `Closed` on a closed one
/// (full or not), giving the item back either way.
#[test]
fn try_put_distinguishes_full_from_closed() {
    let buffer = SharedBuffer::new(1);
    buffer.try_put(1).unwrap();
    assert_eq!(buffer.try_put(2), Err(TryPutError::Full(2)));
    buffer.close();
    assert_eq!(buffer.try_put(3), Err(TryPutError::Closed(3)));
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(buffer.try_put(4), Err(TryPutError::Closed(4)));
}

/// Every put flavour on a closed buffer returns the item and changes
/// nothing.
#[test]
fn put_after_close_returns_the_item() {
    let buffer = SharedBuffer::new(2);
    buffer.close();
    assert_eq!(buffer.put("a"), Err(PutError("a")));
    assert_eq!(buffer.try_put("b"), Err(TryPutError::Closed("b")));
    assert_eq!(
        buffer.put_timeout("c", SHORT),
        Err(PutTimeoutError::Closed("c"))
    );
    assert_eq!(
        buffer.put_timeout("d", Duration::ZERO),
        Err(PutTimeoutError::Closed("d"))
    );
    assert!(buffer.is_empty());
    assert_eq!(buffer.unfinished_tasks(), 0);
}

/// Closing does not touch the task count: `join` still waits for buffered
/// items until they are taken and marked done.
#[test]
fn close_leaves_the_task_count_alone() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.close();
    assert_eq!(buffer.unfinished_tasks(), 1);
    assert!(!buffer.join_timeout(Duration::from_millis(20)));
    assert_eq!(buffer.get(), Ok(1));
    buffer.task_done().unwrap();
    assert!(buffer.join_timeout(Duration::ZERO));
}

// --- task_done / join ------------------------------------------------------

/// A `task_done` with no unfinished task is an error and leaves the count
/// where it was.
#[test]
fn extra_task_done_is_an_error_and_leaves_the_count_unchanged() {
    let buffer = SharedBuffer::new(2);
    assert_eq!(buffer.task_done(), Err(TaskDoneError));
    assert_eq!(buffer.unfinished_tasks(), 0);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    assert_eq!(buffer.unfinished_tasks(), 2);
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(buffer.unfinished_tasks(), 2, "get must not finish a task");
    assert_eq!(buffer.task_done(), Ok(()));
    assert_eq!(buffer.task_done(), Ok(()));
    assert_eq!(buffer.unfinished_tasks(), 0);
    assert_eq!(buffer.task_done(), Err(TaskDoneError));
    assert_eq!(buffer.unfinished_tasks(), 0);
    // The failed call did not make the count go "negative": one put is again
    // exactly one task.
    buffer.put(3).unwrap();
    assert_eq!(buffer.unfinished_tasks(), 1);
}

/// `join` returns at once when no task is unfinished.
#[test]
fn join_returns_at_once_with_no_unfinished_task() {
    let buffer = SharedBuffer::<u32>::new(1);
    buffer.join();
    assert!(buffer.join_timeout(Duration::ZERO));
}

/// A joiner never returns before the last `task_done`: right after `join`
/// it sees every completion recorded. (One worker, so the last two
/// `task_done`s are far apart and an early return cannot hide.)
#[test]
fn join_waits_for_every_task() {
    const TASKS: usize = 6;
    let buffer = SharedBuffer::new(TASKS);
    for task in 0..TASKS {
        buffer.put(task).unwrap();
    }
    let completed = Arc::new(AtomicUsize::new(0));
    let joiners: Vec<_> = (0..2)
        .map(|_| {
            let (buffer, completed) = (buffer.clone(), Arc::clone(&completed));
            thread::spawn(move || {
                buffer.join();
                completed.load(Ordering::SeqCst)
            })
        })
        .collect();
    let worker = {
        let (buffer, completed) = (buffer.clone(), Arc::clone(&completed));
        thread::spawn(move || {
            while let Ok(_task) = buffer.try_get() {
                thread::sleep(Duration::from_millis(10));
                completed.fetch_add(1, Ordering::SeqCst);
                buffer.task_done().unwrap();
            }
        })
    };
    for joiner in joiners {
        assert_eq!(joiner.join().unwrap(), TASKS, "join returned early");
    }
    worker.join().unwrap();
    assert_eq!(buffer.unfinished_tasks(), 0);
}

/// `join_timeout` returns `false` (after at least its timeout) while a task
/// is unfinished and `true` once all are done.
#[test]
fn join_timeout_is_false_while_tasks_are_unfinished_and_true_when_done() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    buffer.get().unwrap();
    buffer.task_done().unwrap();

    let start = Instant::now();
    assert!(!buffer.join_timeout(SHORT));
    let elapsed = start.elapsed();
    assert!(elapsed >= SHORT, "gave up after only {elapsed:?}");

    let finisher = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            thread::sleep(SETTLE);
            buffer.get().unwrap();
            buffer.task_done().unwrap();
        })
    };
    assert!(buffer.join_timeout(FOREVER_ISH));
    assert_eq!(buffer.unfinished_tasks(), 0);
    finisher.join().unwrap();
}

// --- drain -----------------------------------------------------------------

/// `drain` returns the buffered items oldest first, empties the buffer and
/// removes them from the unfinished count (items already taken still count).
#[test]
fn drain_returns_items_in_order_and_reduces_unfinished_tasks() {
    let buffer = SharedBuffer::new(4);
    for i in 1..=4 {
        buffer.put(i).unwrap();
    }
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(buffer.unfinished_tasks(), 4);
    assert_eq!(buffer.drain(), vec![2, 3, 4]);
    assert!(buffer.is_empty());
    assert_eq!(
        buffer.unfinished_tasks(),
        1,
        "the taken item is still unfinished"
    );
    assert_eq!(buffer.drain(), Vec::<i32>::new());
    assert_eq!(buffer.unfinished_tasks(), 1);
    buffer.task_done().unwrap();
    assert_eq!(buffer.unfinished_tasks(), 0);
}

/// `drain` works on a closed buffer too; afterwards gets fail at once.
#[test]
fn drain_after_close_takes_the_leftovers() {
    let buffer = SharedBuffer::new(3);
    buffer.put('a').unwrap();
    buffer.put('b').unwrap();
    buffer.close();
    assert_eq!(buffer.drain(), vec!['a', 'b']);
    assert_eq!(buffer.get(), Err(GetError));
    assert_eq!(buffer.unfinished_tasks(), 0);
    buffer.join();
}

/// `drain` wakes a putter blocked on a full buffer, whose item then goes in.
#[test]
fn drain_wakes_a_blocked_putter() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put(3))
    };
    settle();
    assert_eq!(buffer.drain(), vec![1, 2]);
    assert_eq!(putter.join().unwrap(), Ok(()));
    assert_eq!(buffer.get(), Ok(3));
}

/// `drain` wakes a joiner waiting only on the drained items.
#[test]
fn drain_wakes_a_blocked_joiner() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    let joiner = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.join())
    };
    settle();
    assert_eq!(buffer.drain(), vec![1, 2]);
    joiner.join().unwrap();
    assert_eq!(buffer.unfinished_tasks(), 0);
}

// --- Drops -----------------------------------------------------------------

/// Items left in the buffer are dropped exactly once, when the last of
/// several handles goes, in every order of dropping the handles.
#[test]
fn leftover_items_are_dropped_once_when_the_last_handle_goes() {
    const ORDERS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    for order in ORDERS {
        let log = DropLog::new(3);
        let buffer = SharedBuffer::new(3);
        for id in 0..3 {
            buffer.put(log.item(id)).unwrap();
        }
        let mut handles = [Some(buffer.clone()), Some(buffer.clone()), Some(buffer)];
        for (step, &index) in order.iter().enumerate() {
            drop(handles[index].take());
            let expected = if step == 2 { 1 } else { 0 };
            assert_eq!(
                log.snapshot(),
                [expected; 3],
                "order {order:?}, step {step}"
            );
        }
    }
}

/// The last handle may go on another thread; the leftovers are still
/// dropped exactly once, and a closed buffer's leftovers too.
#[test]
fn leftovers_of_a_closed_buffer_dropped_on_another_thread_are_dropped_once() {
    let log = DropLog::new(2);
    let buffer = SharedBuffer::new(2);
    buffer.put(log.item(0)).unwrap();
    buffer.put(log.item(1)).unwrap();
    buffer.close();
    let other = buffer.clone();
    drop(buffer);
    assert_eq!(log.snapshot(), [0, 0]);
    thread::spawn(move || drop(other)).join().unwrap();
    assert_eq!(log.snapshot(), [1, 1]);
}

/// Items handed back inside errors are owned by the caller: dropped once
/// with the error (or after `into_inner`), never by the buffer as well.
#[test]
fn items_returned_in_errors_are_dropped_exactly_once() {
    let log = DropLog::new(7);
    let buffer = SharedBuffer::new(1);
    buffer.put(log.item(0)).unwrap();

    let full = buffer.try_put(log.item(1)).unwrap_err();
    assert!(full.is_full());
    drop(full);
    assert_eq!(log.drops(1), 1);

    let timeout = buffer.put_timeout(log.item(2), Duration::ZERO).unwrap_err();
    let item = timeout.into_inner();
    assert_eq!(item.id, 2);
    assert_eq!(log.drops(2), 0, "into_inner must not drop the item");
    drop(item);
    assert_eq!(log.drops(2), 1);

    buffer.close();
    drop(buffer.put(log.item(3)).unwrap_err());
    drop(buffer.try_put(log.item(4)).unwrap_err());
    drop(buffer.put_timeout(log.item(5), FOREVER_ISH).unwrap_err());
    let kept = buffer.put(log.item(6)).unwrap_err().into_inner();
    assert_eq!(log.snapshot(), [0, 1, 1, 1, 1, 1, 0]);

    drop(buffer);
    drop(kept);
    assert_eq!(log.snapshot(), [1; 7]);
}

/// Items taken by `get` or `drain` belong to the caller: the buffer does not
/// drop them again when it goes.
#[test]
fn items_taken_by_get_and_drain_are_not_dropped_by_the_buffer() {
    let log = DropLog::new(4);
    let buffer = SharedBuffer::new(4);
    for id in 0..4 {
        buffer.put(log.item(id)).unwrap();
    }
    let first = buffer.get().unwrap();
    let second = buffer.try_get().unwrap();
    let rest = buffer.drain();
    drop(buffer);
    assert_eq!(log.snapshot(), [0; 4]);
    assert_eq!(first.id, 0);
    assert_eq!(second.id, 1);
    assert_eq!(rest.iter().map(|c| c.id).collect::<Vec<_>>(), [2, 3]);
    drop((first, second, rest));
    assert_eq!(log.snapshot(), [1; 4]);
}

/// No item is dropped while the buffer's lock is held: an item whose `drop`
/// calls back into the same buffer does not deadlock, on any path that hands
/// an item back.
#[test]
fn item_drop_may_reenter_the_buffer() {
    static BUFFER: OnceLock<SharedBuffer<Reentrant>> = OnceLock::new();
    static REENTERED: AtomicUsize = AtomicUsize::new(0);

    struct Reentrant;
    impl Drop for Reentrant {
        fn drop(&mut self) {
            let buffer = BUFFER.get().unwrap();
            let _ = (buffer.len(), buffer.is_closed(), buffer.unfinished_tasks());
            REENTERED.fetch_add(1, Ordering::SeqCst);
        }
    }

    let buffer = BUFFER.get_or_init(|| SharedBuffer::new(1));
    buffer.put(Reentrant).unwrap();
    drop(buffer.try_put(Reentrant)); // Full
    drop(buffer.put_timeout(Reentrant, Duration::ZERO)); // Timeout
    drop(buffer.get()); // taken item
    buffer.put(Reentrant).unwrap();
    drop(buffer.drain());
    buffer.close();
    drop(buffer.put(Reentrant)); // Closed
    drop(buffer.try_put(Reentrant)); // Closed
    assert_eq!(REENTERED.load(Ordering::SeqCst), 6);
}

// --- Duration::MAX ---------------------------------------------------------

/// `put_timeout(_, Duration::MAX)` (and other timeouts too long for a
/// deadline) does not overflow: it succeeds at once with room, and waits
/// (without limit) for room made by another thread.
#[test]
fn put_timeout_with_duration_max_does_not_overflow() {
    for timeout in HUGE {
        let buffer = SharedBuffer::new(1);
        assert_eq!(buffer.put_timeout(1, timeout), Ok(()), "{timeout:?}");
        let getter = {
            let buffer = buffer.clone();
            thread::spawn(move || {
                thread::sleep(SETTLE);
                buffer.get()
            })
        };
        assert_eq!(buffer.put_timeout(2, timeout), Ok(()), "{timeout:?}");
        assert_eq!(getter.join().unwrap(), Ok(1));
        assert_eq!(buffer.get(), Ok(2));
    }
}

/// `get_timeout(Duration::MAX)` (and other huge timeouts) does not overflow:
/// it succeeds at once with an item, and waits (without limit) for an item
/// put by another thread.
#[test]
fn get_timeout_with_duration_max_does_not_overflow() {
    for timeout in HUGE {
        let buffer = SharedBuffer::new(1);
        buffer.put(1).unwrap();
        assert_eq!(buffer.get_timeout(timeout), Ok(1), "{timeout:?}");
        let putter = {
            let buffer = buffer.clone();
            thread::spawn(move || {
                thread::sleep(SETTLE);
                buffer.put(2)
            })
        };
        assert_eq!(buffer.get_timeout(timeout), Ok(2), "{timeout:?}");
        assert_eq!(putter.join().unwrap(), Ok(()));
    }
}

/// `join_timeout(Duration::MAX)` (and other huge timeouts) does not
/// overflow: it returns `true` at once with nothing unfinished, and waits
/// (without limit) for the last `task_done` of another thread.
#[test]
fn join_timeout_with_duration_max_does_not_overflow() {
    for timeout in HUGE {
        let buffer = SharedBuffer::new(1);
        assert!(buffer.join_timeout(timeout), "{timeout:?}");
        buffer.put(1).unwrap();
        let worker = {
            let buffer = buffer.clone();
            thread::spawn(move || {
                thread::sleep(SETTLE);
                buffer.get().unwrap();
                buffer.task_done()
            })
        };
        assert!(buffer.join_timeout(timeout), "{timeout:?}");
        assert_eq!(worker.join().unwrap(), Ok(()));
    }
}

/// A `Duration::MAX` wait on a buffer that never becomes ready is still
/// ended by `close`.
#[test]
fn duration_max_waits_are_woken_by_close() {
    let buffer = SharedBuffer::new(1);
    buffer.put(0).unwrap();
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put_timeout(1, Duration::MAX))
    };
    let empty = SharedBuffer::<u32>::new(1);
    let getter = {
        let empty = empty.clone();
        thread::spawn(move || empty.get_timeout(Duration::MAX))
    };
    settle();
    buffer.close();
    empty.close();
    assert_eq!(putter.join().unwrap(), Err(PutTimeoutError::Closed(1)));
    assert_eq!(getter.join().unwrap(), Err(GetTimeoutError::Closed));
}

// --- Construction ----------------------------------------------------------

/// `new(0)` panics with a message that names the capacity.
#[test]
#[should_panic(expected = "capacity must be at least 1, got 0")]
fn new_with_zero_capacity_panics_naming_the_capacity() {
    let _ = SharedBuffer::<u32>::new(0);
}

/// Capacity 1 is the smallest valid buffer, and a large capacity does not
/// allocate up front what it may never use.
#[test]
fn extreme_capacities_are_accepted() {
    let one = SharedBuffer::new(1);
    one.put(()).unwrap();
    assert!(one.is_full());
    let huge = SharedBuffer::<u64>::new(usize::MAX);
    assert_eq!(huge.capacity(), usize::MAX);
    huge.put(1).unwrap();
    assert!(!huge.is_full());
}

// --- Error types -----------------------------------------------------------

/// Every error's `Display` text is a non-empty lowercase phrase without a
/// final period.
#[test]
fn error_display_is_lowercase_without_final_period() {
    let messages = [
        PutError(0).to_string(),
        TryPutError::Full(0).to_string(),
        TryPutError::Closed(0).to_string(),
        PutTimeoutError::Timeout(0).to_string(),
        PutTimeoutError::Closed(0).to_string(),
        GetError.to_string(),
        TryGetError::Empty.to_string(),
        TryGetError::Closed.to_string(),
        GetTimeoutError::Timeout.to_string(),
        GetTimeoutError::Closed.to_string(),
        TaskDoneError.to_string(),
    ];
    for message in messages {
        let first = message.chars().next().expect("empty Display");
        assert!(first.is_lowercase(), "not lowercase: {message:?}");
        assert!(!message.ends_with('.'), "final period: {message:?}");
        assert_eq!(message.trim(), message, "stray whitespace: {message:?}");
    }
    // Full and Closed must not read the same.
    assert_ne!(
        TryPutError::Full(0).to_string(),
        TryPutError::Closed(0).to_string()
    );
    assert_ne!(
        TryGetError::Empty.to_string(),
        TryGetError::Closed.to_string()
    );
    assert_ne!(
        GetTimeoutError::Timeout.to_string(),
        GetTimeoutError::Closed.to_string()
    );
}

/// The item-carrying errors are `Debug` for an item type that is not, and
/// their `Debug` names the variant.
#[test]
fn error_debug_does_not_need_item_debug() {
    assert!(format!("{:?}", PutError(NoDebug(1))).contains("PutError"));
    assert!(format!("{:?}", TryPutError::Full(NoDebug(1))).contains("Full"));
    assert!(format!("{:?}", TryPutError::Closed(NoDebug(1))).contains("Closed"));
    assert!(format!("{:?}", PutTimeoutError::Timeout(NoDebug(1))).contains("Timeout"));
    assert!(format!("{:?}", PutTimeoutError::Closed(NoDebug(1))).contains("Closed"));
    // And so `unwrap_err` / `unwrap` compile for such items.
    let buffer = SharedBuffer::new(1);
    buffer.put(NoDebug(1)).unwrap();
    assert_eq!(buffer.try_put(NoDebug(2)).unwrap_err().into_inner().0, 2);
}

/// `into_inner` (and the public field of `PutError`) hands back the item.
#[test]
fn into_inner_returns_the_item() {
    assert_eq!(PutError(NoDebug(1)).into_inner().0, 1);
    assert_eq!(PutError(NoDebug(2)).0.0, 2);
    assert_eq!(TryPutError::Full(NoDebug(3)).into_inner().0, 3);
    assert_eq!(TryPutError::Closed(NoDebug(4)).into_inner().0, 4);
    assert_eq!(PutTimeoutError::Timeout(NoDebug(5)).into_inner().0, 5);
    assert_eq!(PutTimeoutError::Closed(NoDebug(6)).into_inner().0, 6);
}

/// Every error implements `std::error::Error` (for any item type) and boxes
/// into `Box<dyn Error + Send + Sync>` so that `?` works.
#[test]
fn errors_implement_std_error() {
    fn is_error<E: Error>() {}
    is_error::<PutError<NoDebug>>();
    is_error::<TryPutError<NoDebug>>();
    is_error::<PutTimeoutError<NoDebug>>();
    is_error::<GetError>();
    is_error::<TryGetError>();
    is_error::<GetTimeoutError>();
    is_error::<TaskDoneError>();

    fn closed_put() -> Result<(), Box<dyn Error + Send + Sync>> {
        let buffer = SharedBuffer::new(1);
        buffer.close();
        buffer.put(String::from("x"))?;
        Ok(())
    }
    let err = closed_put().unwrap_err();
    assert_eq!(err.to_string(), PutError(()).to_string());
    assert!(err.source().is_none());
}

/// The `is_*` helpers agree with the variant.
#[test]
fn error_is_helpers_match_the_variant() {
    assert!(TryPutError::Full(()).is_full());
    assert!(!TryPutError::Full(()).is_closed());
    assert!(TryPutError::Closed(()).is_closed());
    assert!(!TryPutError::Closed(()).is_full());

    assert!(PutTimeoutError::Timeout(()).is_timeout());
    assert!(!PutTimeoutError::Timeout(()).is_closed());
    assert!(PutTimeoutError::Closed(()).is_closed());
    assert!(!PutTimeoutError::Closed(()).is_timeout());

    assert!(TryGetError::Empty.is_empty());
    assert!(!TryGetError::Empty.is_closed());
    assert!(TryGetError::Closed.is_closed());
    assert!(!TryGetError::Closed.is_empty());

    assert!(GetTimeoutError::Timeout.is_timeout());
    assert!(!GetTimeoutError::Timeout.is_closed());
    assert!(GetTimeoutError::Closed.is_closed());
    assert!(!GetTimeoutError::Closed.is_timeout());
}

/// The blocking call's error converts into the `Closed` variant of the
/// `try_*` and `*_timeout` errors, keeping the item.
#[test]
fn blocking_errors_convert_to_closed_variants() {
    assert_eq!(TryPutError::from(PutError(1)), TryPutError::Closed(1));
    assert_eq!(
        PutTimeoutError::from(PutError(2)),
        PutTimeoutError::Closed(2)
    );
    assert_eq!(TryGetError::from(GetError), TryGetError::Closed);
    assert_eq!(GetTimeoutError::from(GetError), GetTimeoutError::Closed);
}

/// Errors are `Copy` / `Clone` / `Eq` when the item allows, and `Send + Sync`
/// when it is.
#[test]
fn errors_are_copy_eq_send_and_sync() {
    fn copy_eq<E: Copy + Eq>() {}
    fn send_sync<E: Send + Sync + 'static>() {}
    copy_eq::<PutError<u8>>();
    copy_eq::<TryPutError<u8>>();
    copy_eq::<PutTimeoutError<u8>>();
    copy_eq::<GetError>();
    copy_eq::<TryGetError>();
    copy_eq::<GetTimeoutError>();
    copy_eq::<TaskDoneError>();
    send_sync::<PutError<String>>();
    send_sync::<TryPutError<String>>();
    send_sync::<PutTimeoutError<String>>();
    send_sync::<GetError>();
    send_sync::<TryGetError>();
    send_sync::<GetTimeoutError>();
    send_sync::<TaskDoneError>();

    let err = TryPutError::Full(String::from("x"));
    assert_eq!(err.clone(), err);
    assert_ne!(err, TryPutError::Closed(String::from("x")));
}

// --- The handle ------------------------------------------------------------

/// `SharedBuffer<T>` is `Send + Sync` whenever `T: Send`, even if `T` is not
/// `Sync`.
#[test]
fn shared_buffer_is_send_and_sync_when_t_is_send() {
    fn send_sync<S: Send + Sync>() {}
    send_sync::<SharedBuffer<u32>>();
    send_sync::<SharedBuffer<String>>();
    send_sync::<SharedBuffer<Cell<u32>>>();
    send_sync::<SharedBuffer<NoDebug>>();

    let buffer = SharedBuffer::new(1);
    let handle = buffer.clone();
    thread::spawn(move || handle.put(Cell::new(5)).unwrap())
        .join()
        .unwrap();
    assert_eq!(buffer.get().unwrap().get(), 5);
}

/// Clones share one buffer: items, closing and the task count are seen
/// through every handle.
#[test]
fn clones_share_one_buffer() {
    let a = SharedBuffer::new(2);
    let b = a.clone();
    a.put(1).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(b.unfinished_tasks(), 1);
    b.put(2).unwrap();
    assert!(a.is_full());
    assert_eq!(a.get(), Ok(1));
    b.task_done().unwrap();
    assert_eq!(a.unfinished_tasks(), 1);
    let c = b.clone();
    c.close();
    assert!(a.is_closed() && b.is_closed());
    assert_eq!(a.drain(), vec![2]);
    assert!(c.is_empty());
    assert_eq!(c.capacity(), 2);
}

/// `Debug` shows the buffer's state, without needing `T: Debug`.
#[test]
fn debug_output_shows_state_without_item_debug() {
    let buffer = SharedBuffer::new(3);
    buffer.put(NoDebug(1)).unwrap();
    let text = format!("{buffer:?}");
    for part in [
        "SharedBuffer",
        "len: 1",
        "capacity: 3",
        "closed: false",
        "unfinished_tasks: 1",
    ] {
        assert!(text.contains(part), "{part:?} missing from {text:?}");
    }
    buffer.close();
    assert!(format!("{buffer:?}").contains("closed: true"));
    assert_eq!(buffer.drain().len(), 1);
}
