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

/// Spurious wakeups from a thread of the model, at any moment after a wait
/// began, reaching a putter blocked on a full buffer and a `get_timeout`
/// waiter: neither returns without its condition (no item lost or
/// reordered, no timeout without the clock moving: no timer runs here).
/// Capacity 1.
pub fn spurious_wakeups_reach_putters_and_timed_waiters() {
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
