//! Waiting: how long a call may wait, why it gave up, which side it is
//! on, and the one place where a thread spins, parks and is woken.

use std::time::Duration;

use super::lanes::{Lane, Shared, between};
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
                let now = awaited.load(Ordering::Relaxed);
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
        // The last look, and the mark: with both locks held (get, then
        // put), look once more at the other side's count, exact there, and
        // set this side's mark in the other lane. An advance after this
        // sees the mark and wakes this side; one before it is seen here,
        // and this thread does not park. A putter lets go of its lock to
        // take both in order (and so looks at the close again too). Needed
        // only when the mark is not set already: while it is, any advance
        // since this thread looked under its lock has seen the mark, and
        // its waker takes this lock, held until this thread waits, to count
        // the sleepers.
        if !lane.marked && !fault::active(Fault::ParkWithoutLastLook) {
            match side {
                Side::Get => {
                    let mut put = self.lane(Side::Put);
                    if !fault::active(Fault::GetterMarksWithoutLooking) {
                        lane.seen = put.own;
                        if side.may_go_on(lane.own, put.own, self.capacity) {
                            return Ok(lane);
                        }
                    }
                    put.waited_on = true;
                    lane.marked = true;
                }
                Side::Put => {
                    drop(lane);
                    let mut get = self.lane(Side::Get);
                    lane = self.lane(Side::Put);
                    if !fault::active(Fault::PutterMarksWithoutLooking) {
                        lane.seen = get.own;
                        if lane.closed || side.may_go_on(lane.own, get.own, self.capacity) {
                            return Ok(lane);
                        }
                    }
                    get.waited_on = true;
                    lane.marked = true;
                }
            }
        }
        // Counted before the lock is released (inside `wait`): a waker
        // that finds the mark reads the count under this lock to decide
        // whom to notify.
        let counted = usize::from(!fault::active(Fault::WaiterNotCounted));
        lane.waiting += counted;
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
    /// it returned from the condition variable), and, a getter, clears its
    /// side's mark if no waiter is left that has not been sent a wakeup
    /// (see [`settle_mark`](Self::settle_mark)).
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
        // Only the getters' mark can be cleared here: it is in the put
        // lane, whose lock comes after the get lock held here. A putter
        // holds the put lock and may not take the get lock, so its side's
        // mark stays set until the next get finds it and finds nobody to
        // wake: one lock take of that get, where a waiter left.
        if let Side::Get = side
            && lane.marked
            && lane.waiting <= lane.woken
        {
            lane.marked = false;
            self.lane(Side::Put).waited_on = false;
        }
    }
}
