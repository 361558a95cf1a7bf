//! A countdown latch: the pipeline's orchestrator waits, with a deadline,
//! for its producers to end (a thread's `join` cannot be given a timeout).

use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Condvar, Instant, Mutex};

/// Counts down to zero, once per worker that ends; waiters wake at zero.
///
/// The count is an atomic, so that a worker ending takes no lock unless it
/// is the last; the lock orders only the last count-down against the
/// waiters, which look at the count and join the wait set under it.
#[derive(Debug)]
pub(crate) struct Latch {
    remaining: AtomicUsize,
    lock: Mutex<()>,
    zero: Condvar,
}

impl Latch {
    pub(crate) fn new(count: usize) -> Self {
        Latch {
            remaining: AtomicUsize::new(count),
            lock: Mutex::new(()),
            zero: Condvar::new(),
        }
    }

    pub(crate) fn count_down(&self) {
        if self.remaining.fetch_sub(1, Ordering::SeqCst) == 1 {
            // A waiter that saw a non-zero count holds the lock until it is
            // in the wait set, so taking the lock here (after the count
            // reached zero) means the notification cannot be missed.
            drop(self.lock.lock());
            self.zero.notify_all();
        }
    }

    /// Waits until the count is zero (`true`), or until `deadline` has
    /// passed (`false`); `None` waits without limit.
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let mut guard = self.lock.lock();
        while self.remaining.load(Ordering::SeqCst) > 0 {
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
        self.0.count_down();
    }
}
