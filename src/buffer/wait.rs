//! Waiting: how long a call may wait, why it gave up, which side it is
//! on, and the one place where a thread spins, parks and is woken.

use std::time::Duration;

use super::lanes::{CLOSED, Lane, Shared};
use crate::fault::{self, Fault};
use crate::sync::atomic::Ordering;
use crate::sync::{Condvar, Instant, MutexGuard, spin};

/// How long an operation may wait.
#[derive(Clone, Copy)]
pub(super) enum Wait {
    /// Not at all (`try_*`).
    Never,
    /// Until it can go on.
    Forever,
    /// Until it can go on or the deadline passes.
    Until(Instant),
}

impl Wait {
    pub(super) fn from_timeout(timeout: Duration) -> Self {
        // An overflowing deadline (`Duration::MAX`, say) means "forever".
        match Instant::after(timeout) {
            Some(deadline) => Wait::Until(deadline),
            None => Wait::Forever,
        }
    }
}

/// Why an internal put or get did not complete.
pub(super) enum Refused {
    /// Full (for a put) or empty (for a get), and the wait ran out or was
    /// not allowed.
    NotNow,
    Closed,
}

/// Which side of the buffer a thread is on.
#[derive(Clone, Copy)]
pub(super) enum Side {
    /// A putter, waiting for room.
    Put,
    /// A getter, waiting for an item or the close.
    Get,
}

impl Side {
    /// Whether a spinner on this side should stop spinning and look under
    /// the lock, judging by `count` (see [`Shared::count`]): a putter when
    /// the buffer is closed or not full, a getter when it is closed or not
    /// empty.
    pub(super) fn may_go_on(self, count: usize, capacity: usize) -> bool {
        let closed = count & CLOSED != 0;
        let len = count & !CLOSED;
        closed
            || match self {
                Side::Put => len < capacity,
                Side::Get => len != 0,
            }
    }
}

/// Wakes the waiters of `condvar` that `n` new items (or `n` free slots)
/// can serve, `waiting` being its waiter count read under the lock; called
/// after the lock is released. A woken thread stays counted until it has
/// the lock again, so the count may include threads already woken: waking
/// `min(n, waiting)` may wake more than needed, never fewer.
pub(super) fn wake(condvar: &Condvar, waiting: usize, n: usize) {
    if waiting == 0 {
        return;
    }
    if n >= waiting {
        condvar.notify_all();
    } else {
        for _ in 0..n {
            condvar.notify_one();
        }
    }
}

impl<T> Shared<T> {
    /// Called, with `side`'s lock held (`lane`), by a putter that found no
    /// room or a getter that found no item: spins once per call (`spun`)
    /// with the lock released, and after that parks on the side's
    /// condition variable, counted in its lane's waiter count. Returns the
    /// lock, retaken, for the caller to look again: a return promises
    /// nothing (a wakeup may be spurious, or another thread may have been
    /// first). `Err(NotNow)` when the caller may not wait or its deadline
    /// has passed; the lock is released then.
    pub(super) fn block<'a>(
        &'a self,
        side: Side,
        mut lane: MutexGuard<'a, Lane<T>>,
        wait: Wait,
        spun: &mut bool,
    ) -> Result<MutexGuard<'a, Lane<T>>, Refused> {
        let deadline = match wait {
            Wait::Never => return Err(Refused::NotNow),
            Wait::Forever => None,
            Wait::Until(deadline) => Some(deadline),
        };
        // Before parking, once per call: let go of the lock and spin
        // briefly on the count. The other side usually comes within a
        // microsecond, and then neither pays for a park and a wake (see
        // `sync::spin`).
        let skip_recheck = fault::active(Fault::SpinSkipsRecheck);
        if !*spun && (spin::enabled() || skip_recheck) {
            *spun = true;
            drop(lane);
            let capacity = self.capacity;
            // A timed call stops spinning at its deadline: on a loaded
            // machine each yield round can take milliseconds, and a spin
            // that ignored the deadline overshot a 1 ms `put_timeout` by
            // 20-50 ms.
            let past_deadline = || deadline.is_some_and(|d| Instant::now() >= d);
            spin::until(|| {
                side.may_go_on(self.count.load(Ordering::Relaxed), capacity) || past_deadline()
            });
            lane = self.lane(side);
            if !skip_recheck {
                return Ok(lane);
            }
        }
        let condvar = self.condvar(side);
        // Counted before the lock is released (inside `wait`): the other
        // side reads the count under this lock to decide whether to notify.
        let counted = usize::from(!fault::active(Fault::WaiterNotCounted));
        lane.waiting += counted;
        lane = match deadline {
            None => condvar.wait(lane),
            Some(deadline) => {
                if Instant::now() >= deadline {
                    lane.waiting -= counted;
                    return Err(Refused::NotNow);
                }
                let lane = condvar.wait_until(lane, deadline);
                if fault::active(Fault::TimeoutSwallowsWakeup) && Instant::now() >= deadline {
                    let mut lane = lane;
                    lane.waiting -= counted;
                    return Err(Refused::NotNow);
                }
                lane
            }
        };
        lane.waiting -= counted;
        Ok(lane)
    }
}
