//! Spurious wakeups that reach putters, timed waiters and joiners, from a
//! thread of the model that the checker schedules (`SpuriousWakeups`):
//! the property models' one spurious wakeup, called by the main thread
//! before the first put, only ever reached getters. (The other paths the
//! property models missed — refill's append branch, `try_*` and `drain`
//! racing blocked threads, `join_timeout` against the clock — are in
//! `catalog_scenarios.rs`.)
//!
//! They run the real `SharedBuffer` and spawn through the checker's own
//! threads.

use super::thread;
use prodcon::model::SpuriousWakeups;
use prodcon::{GetTimeoutError, SharedBuffer};
use std::time::Duration;

type Buffer = SharedBuffer<u32>;

const TIMEOUT: Duration = Duration::from_millis(10);

/// Spurious wakeups (2 firings) from a thread of the model, at any moment
/// after a wait began, reaching a putter blocked on a full buffer of
/// capacity 1: it must look for room again, not put into the full buffer
/// (the buffer's count has a debug assertion), and its item must arrive
/// after the one that filled the buffer. The main thread's gets never
/// wait (the buffer is full, and the second look comes after the join),
/// so the putter is the only waiter; the getter's own case is
/// `timeouts::spurious_wakeups_do_not_end_a_get`.
pub fn spurious_wakeups_reach_a_putter() {
    let spurious = SpuriousWakeups::start(2);
    let buffer = Buffer::new(1);
    buffer.put(1).expect("open buffer");
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put(2).expect("open buffer"))
    };
    assert_eq!(buffer.get(), Ok(1));
    putter.join().unwrap();
    assert_eq!(buffer.try_get(), Ok(2), "the putter's item is missing");
    spurious.stop();
}

/// Spurious wakeups (2 firings) from a thread of the model reaching the
/// main thread's `get_timeout` on an empty buffer while a putter brings
/// the item: no timer runs, so the clock never moves, and the get must
/// return the item, never a timeout.
pub fn spurious_wakeups_reach_a_timed_getter() {
    let spurious = SpuriousWakeups::start(2);
    let buffer = Buffer::new(1);
    let putter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put(1).expect("open buffer"))
    };
    match buffer.get_timeout(TIMEOUT) {
        Ok(n) => assert_eq!(n, 1),
        Err(GetTimeoutError::Timeout) => panic!("timed out with the clock standing still"),
        Err(GetTimeoutError::Closed) => panic!("closed"),
    }
    putter.join().unwrap();
    spurious.stop();
}

/// As above for a joiner: a joiner waits while a worker finishes the one
/// task; spurious wakeups reach the joiner, which must not return early.
pub fn spurious_wakeups_do_not_end_a_join() {
    let spurious = SpuriousWakeups::start(1);
    let buffer = Buffer::new(1);
    buffer.put(1).expect("open buffer");
    let worker = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            buffer.get().expect("open buffer");
            buffer.task_done().expect("one task_done per item");
        })
    };
    buffer.join();
    // Read from the buffer's own (model) count, so that loom sees the
    // read as a step of the model.
    assert_eq!(
        buffer.unfinished_tasks(),
        0,
        "join returned before the task was done"
    );
    worker.join().unwrap();
    spurious.stop();
}
