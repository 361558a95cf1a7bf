//! A countdown latch: the pipeline's orchestrator waits, with a deadline,
//! for its producers, then its consumers, to end (a thread's `join` cannot
//! be given a timeout).

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Condvar, Instant, Mutex};

/// Counts down to zero, once per worker that ends; waiters wake at zero.
///
/// The count is an atomic, so that a worker ending takes no lock; the last
/// one takes the lock and notifies only when a waiter has set
/// [`WAITING`] in the count. A waiter sets it with the lock held, and that
/// same read-modify-write reads the count: the two read-modify-writes of
/// the last count-down and of the waiter are ordered, so either the waiter
/// sees zero and does not wait, or the count-down sees the bit.
#[derive(Debug)]
pub(crate) struct Latch {
    remaining: AtomicUsize,
    lock: Mutex<()>,
    zero: Condvar,
}

/// The bit of `Latch::remaining` that says a waiter may be waiting.
const WAITING: usize = 1 << (usize::BITS - 1);

impl Latch {
    pub(crate) fn new(count: usize) -> Self {
        debug_assert!(count < WAITING, "latch count {count} too large");
        Latch {
            remaining: AtomicUsize::new(count),
            lock: Mutex::new(()),
            zero: Condvar::new(),
        }
    }

    pub(crate) fn count_down(&self) {
        if self.remaining.fetch_sub(1, Ordering::SeqCst) == WAITING | 1 {
            // The waiter that set the bit holds the lock until it is in
            // the wait set, so taking the lock here (after the count
            // reached zero) means the notification cannot be missed.
            drop(self.lock.lock());
            self.zero.notify_all();
        }
    }

    /// Waits until the count is zero (`true`), or until `deadline` has
    /// passed (`false`); `None` waits without limit.
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let mut guard = self.lock.lock();
        while self.remaining.fetch_or(WAITING, Ordering::SeqCst) & !WAITING > 0 {
            guard = match deadline {
                None => self.zero.wait(guard),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        return false;
                    }
                    self.zero.wait_until(guard, deadline)
                }
            };
        }
        true
    }
}

/// Counts its latch down when dropped: when the worker's function returns
/// or unwinds.
#[derive(Debug)]
pub(crate) struct CountDownOnDrop(pub(crate) Arc<Latch>);

impl Drop for CountDownOnDrop {
    fn drop(&mut self) {
        // A worker unwinds only from a bug of this crate (it catches the
        // panics of user code), which joining it re-raises; a deadline
        // shutdown then stops at its deadline. Counting down while
        // unwinding would also be a model operation inside a failing
        // model's unwinding, which aborts the process under loom (loom#291),
        // and the model checkers unwind every thread of a model they reject.
        if !std::thread::panicking() {
            self.0.count_down();
        }
    }
}
