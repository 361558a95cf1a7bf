//! Scenarios that reach the buffer paths the property models did not:
//! refill's append branch under an exact-order check, non-blocking calls
//! and `drain` racing blocked threads with no `close` to rescue them, a
//! `join_timeout` that gives up checked against the model clock, and
//! spurious wakeups that reach putters, timed waiters and joiners.
//!
//! They run the real `SharedBuffer` (no `Queue` trait: none of them has a
//! demonstration-buffer twin) and spawn through the checker's own threads.

use super::thread;
use prodcon::model::{SpuriousWakeups, Timer, elapsed};
use prodcon::{GetTimeoutError, SharedBuffer, TryGetError, TryPutError};
use std::time::Duration;

type Buffer = SharedBuffer<u32>;

const TIMEOUT: Duration = Duration::from_millis(10);

/// One producer puts `1..=items` one by one (and then closes); the main
/// thread takes with `get` and `get_many(2)` in turn. Whenever a `get`
/// leaves one item in the get lane while the put lane holds more, the
/// next `get_many(2)` appends the put lane behind it (refill's append
/// branch, not the swap). The items must come out in exactly the order
/// they were put, in batches of one or two.
pub fn refill_append_keeps_fifo(capacity: usize, items: u32) {
    let buffer = Buffer::new(capacity);
    let producer = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            for n in 1..=items {
                buffer.put(n).expect("open buffer");
            }
            buffer.close();
        })
    };
    let mut received = Vec::new();
    let mut single = true;
    loop {
        if single {
            match buffer.get() {
                Ok(n) => received.push(n),
                Err(_) => break,
            }
        } else {
            match buffer.get_many(2) {
                Ok(batch) => {
                    assert!((1..=2).contains(&batch.len()), "a batch of {}", batch.len());
                    received.extend(batch);
                }
                Err(_) => break,
            }
        }
        single = !single;
    }
    producer.join().unwrap();
    assert_eq!(
        received,
        (1..=items).collect::<Vec<_>>(),
        "items out of order, lost or duplicated"
    );
}

/// A getter blocked on an empty buffer is woken by a `try_put` (no close
/// follows to rescue it), and a putter blocked on a full one by a
/// `try_get`. Capacity 1; the main thread only makes non-blocking calls,
/// retrying while the buffer says `Full` / `Empty`.
pub fn try_calls_wake_blocked_threads() {
    let buffer = Buffer::new(1);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get().expect("open buffer"))
    };
    let mut item = 1;
    loop {
        match buffer.try_put(item) {
            Ok(()) => break,
            Err(TryPutError::Full(back)) => {
                item = back;
                thread::yield_now();
            }
            Err(TryPutError::Closed(_)) => panic!("closed"),
        }
    }
    assert_eq!(getter.join().unwrap(), 1);
    // Now fill the buffer and block a putter behind it.
    buffer.try_put(2).expect("room after the get");
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put(3).expect("open buffer"))
    };
    let mut received = Vec::new();
    while received.len() < 2 {
        match buffer.try_get() {
            Ok(n) => received.push(n),
            Err(TryGetError::Empty) => thread::yield_now(),
            Err(TryGetError::Closed) => panic!("closed"),
        }
    }
    putter.join().unwrap();
    assert_eq!(received, [2, 3], "out of order, lost or duplicated");
}

/// `drain` racing a putter blocked on a full buffer: the drain makes room
/// and must wake it (no close follows); every item is drained or taken
/// afterwards, exactly once and in order.
pub fn drain_wakes_blocked_putters() {
    let buffer = Buffer::new(1);
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            buffer.put(1).expect("open buffer");
            buffer.put(2).expect("open buffer");
        })
    };
    let mut received = buffer.drain();
    while received.len() < 2 {
        match buffer.get() {
            Ok(n) => received.push(n),
            Err(_) => panic!("closed"),
        }
        received.extend(buffer.drain());
    }
    putter.join().unwrap();
    assert_eq!(received, [1, 2], "out of order, lost or duplicated");
    assert_eq!(
        buffer.unfinished_tasks(),
        0,
        "drained items still count as tasks"
    );
}

/// `join_timeout` with a task still unfinished: when it returns `false`,
/// the model clock has moved past its timeout (it gave up because time ran
/// out, not early); when it returns `true`, the task was finished. A worker
/// takes the one item and marks it done; the timer fires once.
pub fn join_timeout_false_only_after_its_timeout() {
    let timer = Timer::start(1);
    let buffer = Buffer::new(1);
    buffer.put(1).expect("open buffer");
    let worker = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            buffer.get().expect("open buffer");
            buffer.task_done().expect("one task_done per item");
        })
    };
    let start = elapsed();
    if buffer.join_timeout(TIMEOUT) {
        assert_eq!(buffer.unfinished_tasks(), 0, "join_timeout true early");
    } else {
        assert!(
            elapsed() - start >= TIMEOUT,
            "join_timeout gave up before its timeout: {:?} of {TIMEOUT:?}",
            elapsed() - start
        );
    }
    worker.join().unwrap();
    timer.stop();
}

/// Spurious wakeups from a thread of the model, at any moment after a wait
/// began, reaching a putter blocked on a full buffer, a `get_timeout`
/// waiter and a joiner: none of them returns without its condition (no
/// item lost, no timeout without the clock moving — no timer runs here —
/// and no join before its task is done). Capacity 1.
pub fn spurious_wakeups_reach_putters_timed_waiters_and_joiners() {
    let spurious = SpuriousWakeups::start(2);
    let buffer = Buffer::new(1);
    buffer.put(1).expect("open buffer");
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put(2).expect("open buffer"))
    };
    // The main thread: a timed get (the clock never moves, so it cannot
    // time out), then the second item, then a join after both are done.
    assert_eq!(buffer.get_timeout(TIMEOUT), Ok(1));
    match buffer.get_timeout(TIMEOUT) {
        Ok(n) => assert_eq!(n, 2),
        Err(GetTimeoutError::Timeout) => panic!("timed out with the clock standing still"),
        Err(GetTimeoutError::Closed) => panic!("closed"),
    }
    putter.join().unwrap();
    buffer.task_done().unwrap();
    buffer.task_done().unwrap();
    buffer.join();
    spurious.stop();
}

/// As above for a joiner: a joiner waits while a worker finishes the one
/// task; spurious wakeups reach the joiner, which must not return early.
pub fn spurious_wakeups_do_not_end_a_join() {
    let spurious = SpuriousWakeups::start(1);
    let buffer = Buffer::new(1);
    buffer.put(1).expect("open buffer");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let worker = {
        let buffer = buffer.clone();
        let done = std::sync::Arc::clone(&done);
        thread::spawn(move || {
            buffer.get().expect("open buffer");
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            buffer.task_done().expect("one task_done per item");
        })
    };
    buffer.join();
    assert!(
        done.load(std::sync::atomic::Ordering::SeqCst),
        "join returned before the task was done"
    );
    worker.join().unwrap();
    spurious.stop();
}
