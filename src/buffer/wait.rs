//! Waiting: how long a call may wait, why it gave up, which side it is
//! on, and the one place where a thread spins, parks and is woken.

use std::time::Duration;

use super::lanes::{Lane, MARKED, Shared, between};
use crate::fault::{self, Fault};
use crate::sync::atomic::Ordering;
use crate::sync::{Instant, MutexGuard, spin};

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
    /// Whether a thread of this side that holds its lane's lock, with
    /// `own` its side's counter and `awaited` the other side's (both
    /// without marks), can go on: a putter when there is room, a getter
    /// (whose get lane is empty) when the put lane holds an item.
    pub(super) fn may_go_on(self, own: usize, awaited: usize, capacity: usize) -> bool {
        match self {
            Side::Put => between(awaited, own) < capacity,
            Side::Get => awaited != own,
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
        // briefly on the other side's counter. The other side usually comes within a
        // microsecond, and then neither pays for a park and a wake (see
        // `sync::spin`).
        let skip_recheck = fault::active(Fault::SpinSkipsRecheck);
        if !*spun && (spin::enabled() || skip_recheck) {
            *spun = true;
            let own = lane.own;
            drop(lane);
            let capacity = self.capacity;
            let awaited = self.awaited(side);
            // A timed call stops spinning at its deadline: on a loaded
            // machine each yield round can take milliseconds, and a spin
            // that ignored the deadline overshot a 1 ms `put_timeout` by
            // 20-50 ms.
            let past_deadline = || deadline.is_some_and(|d| Instant::now() >= d);
            spin::until(|| {
                let now = awaited.load(Ordering::Relaxed) & !MARKED;
                side.may_go_on(own, now, capacity)
                    || self.closed.load(Ordering::Relaxed)
                    || past_deadline()
            });
            lane = self.lane(side);
            if !skip_recheck {
                return Ok(lane);
            }
        }
        let condvar = self.condvar(side);
        // Counted before the lock is released (inside `wait`): a waker
        // that finds the mark reads the count under this lock to decide
        // whom to notify.
        let counted = usize::from(!fault::active(Fault::WaiterNotCounted));
        lane.waiting += counted;
        // The last look: mark the counter this side waits on and read it
        // in one step. An advance after the mark sees it and wakes this
        // side; one before it is seen here, and this thread does not park.
        // Needed only when the mark is not set already: while it is, some
        // waiter has not been sent a wakeup, any advance since this thread
        // looked under the lock has seen the mark, and its waker will take
        // this lock and count this thread among those to wake.
        if !lane.marked && !fault::active(Fault::ParkWithoutLastLook) {
            let now = self.awaited(side).fetch_or(MARKED, Ordering::AcqRel) & !MARKED;
            lane.marked = true;
            lane.seen = now;
            if side.may_go_on(lane.own, now, self.capacity) {
                self.unwait(side, &mut lane, counted, false);
                return Ok(lane);
            }
        }
        lane = match deadline {
            None => condvar.wait(lane),
            Some(deadline) => {
                if Instant::now() >= deadline {
                    self.unwait(side, &mut lane, counted, false);
                    return Err(Refused::NotNow);
                }
                let lane = condvar.wait_until(lane, deadline);
                if fault::active(Fault::TimeoutSwallowsWakeup) && Instant::now() >= deadline {
                    let mut lane = lane;
                    self.unwait(side, &mut lane, counted, true);
                    return Err(Refused::NotNow);
                }
                lane
            }
        };
        self.unwait(side, &mut lane, counted, true);
        Ok(lane)
    }

    /// A waiter that stops waiting, with its side's lock held (`lane`):
    /// uncounts itself, returns the wakeup it may have been sent (`slept`:
    /// it returned from the condition variable), and clears the mark if no
    /// waiter is left that has not been sent one.
    fn unwait(&self, side: Side, lane: &mut Lane<T>, counted: usize, slept: bool) {
        lane.waiting -= counted;
        if slept {
            lane.woken = lane.woken.saturating_sub(counted);
        }
        self.settle_mark(side, lane);
    }

    /// Clears `side`'s mark, with its lock held (`lane`), once every
    /// waiter has been sent a wakeup: no advance has anyone left to wake.
    pub(super) fn settle_mark(&self, side: Side, lane: &mut Lane<T>) {
        if lane.marked && lane.waiting <= lane.woken {
            lane.marked = false;
            self.awaited(side).fetch_and(!MARKED, Ordering::AcqRel);
        }
    }
}
