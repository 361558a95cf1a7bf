//! A countdown latch: the pipeline's orchestrator waits, with a deadline,
//! for its producers to end (a thread's `join` cannot be given a timeout).

use crate::sync::{Condvar, Instant, Mutex};

/// Counts down to zero, once per worker that ends; waiters wake at zero.
#[derive(Debug)]
pub(crate) struct Latch {
    remaining: Mutex<usize>,
    zero: Condvar,
}

impl Latch {
    pub(crate) fn new(count: usize) -> Self {
        Latch {
            remaining: Mutex::new(count),
            zero: Condvar::new(),
        }
    }

    pub(crate) fn count_down(&self) {
        let mut remaining = self.remaining.lock();
        *remaining = remaining.saturating_sub(1);
        let zero = *remaining == 0;
        drop(remaining);
        // A waiter checks the count and joins the wait set under the lock,
        // so a notification sent after it is released is not lost.
        if zero {
            self.zero.notify_all();
        }
    }

    /// Waits until the count is zero (`true`), or until `deadline` has
    /// passed (`false`); `None` waits without limit.
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let mut remaining = self.remaining.lock();
        while *remaining > 0 {
            remaining = match deadline {
                None => self.zero.wait(remaining),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        return false;
                    }
                    self.zero.wait_until(remaining, deadline)
                }
            };
        }
        true
    }
}

/// Counts its latch down when dropped: when the worker's function returns
/// or unwinds.
#[derive(Debug)]
pub(crate) struct CountDownOnDrop(pub(crate) crate::sync::Arc<Latch>);

impl Drop for CountDownOnDrop {
    fn drop(&mut self) {
        self.0.count_down();
    }
}
