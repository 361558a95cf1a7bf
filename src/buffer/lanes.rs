//! The two-lock protocol behind [`SharedBuffer`](super::SharedBuffer):
//! the state every handle shares, its count invariants, and the put, get,
//! close, drain and join cores that the public calls funnel into.
//! DESIGN.md explains the protocol and why it is shaped so.

use std::collections::VecDeque;
use std::ops::Deref;

use super::wait::{Refused, Side, Wait, wake};
use crate::error::TaskDoneError;
use crate::fault::{self, Fault};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Condvar, Instant, Mutex, MutexGuard};

/// The state behind every handle: two lanes with a lock each, as in
/// `java.util.concurrent.LinkedBlockingQueue`, so that a putter and a getter
/// do not take the same lock for every item.
///
/// Putters append to the put lane under its lock. Getters take from the
/// front of the get lane under its lock; when it runs dry, a getter takes
/// the put lock as well and moves the put lane's items over (all of them,
/// by swapping the two queues when the get lane is empty). Every item in
/// the get lane is older than every item in the put lane, so the buffer
/// stays FIFO. Whenever both locks are held, the get lock is taken first.
///
/// How many items the two lanes hold together is the atomic `count`: with
/// it, each side learns whether there is room or an item without the other
/// side's lock. A side takes the other's lock only to wake the other side's
/// waiters, and only on the transition they wait for: a putter that made
/// the buffer non-empty, a getter that made it non-full. A thread that
/// finds its side can go on after it (room left after a put, items after a
/// get) passes a wakeup on to the next waiter of its own side.
pub(super) struct Shared<T> {
    /// The newest items. Putters wait on `putters` with its lock.
    pub(super) put_lane: Padded<Mutex<Lane<T>>>,
    /// The oldest items. Getters wait on `getters` with its lock.
    pub(super) get_lane: Padded<Mutex<Lane<T>>>,
    /// Putters wait here for room.
    pub(super) putters: Condvar,
    /// Getters wait here for an item (or for the close).
    pub(super) getters: Condvar,
    /// Items in both lanes, with [`CLOSED`] set once closed.
    ///
    /// Changed only by a thread that holds a lane's lock: a put adds its
    /// items after they are in the put lane, with the put lock held; a get
    /// subtracts them after they left the get lane, with the get lock
    /// held; `drain` and `close` hold both. So, read with the put lock
    /// held it is at least what is buffered (room it shows is there), read
    /// with the get lock held it is at most what is buffered (an item it
    /// shows is there), and with both held it is exact. A spinner reads it
    /// with no lock at all (see `block`).
    pub(super) count: Padded<AtomicUsize>,
    /// `join` waits here, with the put lock, for the put lane's
    /// `unfinished` to reach zero.
    pub(super) all_done: Condvar,
    pub(super) capacity: usize,
}

/// One side's queue and the threads waiting on its condition variable.
pub(super) struct Lane<T> {
    pub(super) items: VecDeque<T>,
    /// Threads blocked on this side's condition variable: notifications
    /// are sent only when someone is there to receive them.
    pub(super) waiting: usize,
    /// Put lane only: items put and not yet marked done (by `task_done` or
    /// `drain`). Kept under the put lock, which every put holds anyway, so
    /// that a put pays no atomic read-modify-write for a count that only
    /// `task_done` and `join` read; they take the put lock instead.
    pub(super) unfinished: usize,
    /// Put lane only: `join`s waiting on [`Shared::all_done`].
    pub(super) joiners: usize,
}

impl<T> Lane<T> {
    pub(super) fn new(capacity: usize) -> Self {
        Lane {
            items: VecDeque::with_capacity(capacity.min(4096)),
            waiting: 0,
            unfinished: 0,
            joiners: 0,
        }
    }
}

/// A value on a cache line (a pair of lines, for CPUs that fetch two at
/// once) of its own, so that the two sides' locks and the count do not
/// bounce one line between the cores that use them.
#[repr(align(128))]
pub(super) struct Padded<T>(T);

impl<T> Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// The bit of [`Shared::count`] that says "closed".
pub(super) const CLOSED: usize = 1 << (usize::BITS - 1);

/// The count's ordering. The count is read and changed under a lane's
/// lock, and what it promises (see [`Shared::count`]) rests on those locks;
/// `SeqCst` costs nothing more than acquire/release for read-modify-writes
/// and loads on x86-64 (only a `SeqCst` store would, and there is none),
/// and keeps the reasoning simple.
const ORDER: Ordering = Ordering::SeqCst;

impl<T> Shared<T> {
    pub(super) fn new(capacity: usize) -> Self {
        Shared {
            put_lane: Padded(Mutex::new(Lane::new(capacity))),
            get_lane: Padded(Mutex::new(Lane::new(capacity))),
            putters: Condvar::new(),
            getters: Condvar::new(),
            count: Padded(AtomicUsize::new(0)),
            all_done: Condvar::new(),
            capacity,
        }
    }
    /// The lock of `side`'s lane.
    pub(super) fn lane(&self, side: Side) -> MutexGuard<'_, Lane<T>> {
        match side {
            Side::Put => self.put_lane.lock(),
            Side::Get => self.get_lane.lock(),
        }
    }

    /// The condition variable `side`'s waiters wait on.
    pub(super) fn condvar(&self, side: Side) -> &Condvar {
        match side {
            Side::Put => &self.putters,
            Side::Get => &self.getters,
        }
    }

    /// The count now (see [`Shared::count`]).
    pub(super) fn count(&self) -> usize {
        self.count.load(ORDER)
    }

    /// Wakes as many of `side`'s waiters as `n` items (or free slots) can
    /// serve, taking that side's lock to read how many wait. Called with no
    /// lock held (a lock of the other side would break the lock order).
    pub(super) fn wake_side(&self, side: Side, n: usize) {
        let waiting = self.lane(side).waiting;
        wake(self.condvar(side), waiting, n);
    }

    /// Called by a putter that has just appended `n` items to the put lane,
    /// whose lock is `lane`: counts them, releases the lock, and wakes who
    /// can now go on.
    pub(super) fn finish_put(&self, mut lane: MutexGuard<'_, Lane<T>>, n: usize) {
        // Unfinished before a getter can see them: getters reach the put
        // lane only through its lock, held here.
        lane.unfinished += n;
        let before = self.count.fetch_add(n, ORDER) & !CLOSED;
        debug_assert!(
            before + n <= self.capacity,
            "more items than capacity: {before} + {n} > {}",
            self.capacity
        );
        // Room left: another putter may have been woken for the room this
        // one took, or several slots came free with one wakeup.
        let pass_on =
            before + n < self.capacity && lane.waiting > 0 && !fault::active(Fault::NoPutterPassOn);
        // Getters wait only on an empty buffer, so only the put that ends
        // "empty" wakes them; getters pass it on from there.
        let wake_getters = if fault::active(Fault::WakeGettersOnOne) {
            before == 1
        } else {
            before == 0
        };
        if wake_getters && fault::active(Fault::WakeGettersUnderPutLock) {
            self.wake_side(Side::Get, n);
        }
        drop(lane);
        if pass_on {
            self.putters.notify_one();
        }
        if wake_getters && !fault::active(Fault::WakeGettersUnderPutLock) {
            self.wake_side(Side::Get, n);
        }
    }

    /// Called by a getter that has just taken `n` items from the get lane,
    /// whose lock is `lane`: uncounts them, releases the lock, and wakes
    /// who can now go on.
    pub(super) fn finish_get(&self, lane: MutexGuard<'_, Lane<T>>, n: usize) {
        let before = self.count.fetch_sub(n, ORDER) & !CLOSED;
        // Items left: pass the wakeup on to another getter.
        let pass_on = before > n && lane.waiting > 0 && !fault::active(Fault::NoGetterPassOn);
        drop(lane);
        if pass_on {
            self.getters.notify_one();
        }
        // Putters wait only on a full buffer, so only the get that ends
        // "full" wakes them; putters pass it on from there.
        let wake_putters = if fault::active(Fault::WakePuttersAssumesOneItem) {
            before - n + 1 == self.capacity
        } else {
            before == self.capacity
        };
        if wake_putters {
            self.wake_side(Side::Put, n);
        }
    }

    /// With the get lock held (`lane`): when the get lane holds fewer than
    /// `want` items and the count says the put lane holds some, moves the
    /// put lane's items over, taking the put lock (after the get lock, as
    /// everywhere). An empty get lane swaps queues with the put lane, which
    /// moves nothing and so costs the same for any number of items.
    /// Returns whether the buffer is closed, when it looked (if it did not
    /// need to look, the get lane had enough and the answer is `false`).
    pub(super) fn refill(&self, lane: &mut Lane<T>, want: usize) -> bool {
        let have = lane.items.len();
        if have >= want {
            return false;
        }
        let count = self.count();
        // With the get lock held the count is at most what is buffered,
        // so a count above `have` means the put lane is not empty.
        if count & !CLOSED > have {
            let mut put = self.lane(Side::Put);
            if have == 0 || fault::active(Fault::RefillSwapsNonEmpty) {
                std::mem::swap(&mut lane.items, &mut put.items);
            } else {
                // Moving items runs no user code (no `T::drop`).
                lane.items.append(&mut put.items);
            }
        }
        // `close` needs the get lock, held here, so this answer holds
        // until it is released.
        count & CLOSED != 0
    }

    /// The one put that every public single-item put funnels into.
    pub(super) fn put(&self, item: T, wait: Wait) -> Result<(), (T, Refused)> {
        let mut spun = false;
        let mut woken = false;
        let mut lane = self.lane(Side::Put);
        loop {
            let count = self.count();
            if count & CLOSED != 0 {
                return Err((item, Refused::Closed));
            }
            // With the put lock held the count is at least what is
            // buffered: the room it shows is there.
            if count < self.capacity || (woken && fault::active(Fault::PutIfNotWhile)) {
                lane.items.push_back(item);
                self.finish_put(lane, 1);
                return Ok(());
            }
            // Full: wait for room, or give up. The condition is checked
            // again after every wakeup (a loop, not an `if`): a wakeup may
            // be spurious, or another putter may have taken the room.
            lane = match self.block(Side::Put, lane, wait, &mut spun) {
                Ok(lane) => lane,
                Err(refused) => return Err((item, refused)),
            };
            woken = true;
        }
    }

    /// Moves as many items from the front of `chunk` into the buffer as fit
    /// now, at least one, waiting while it is full: the core of
    /// `put_many`, one lock acquisition per call unless it has to wait.
    /// `chunk` must not be empty. On close, `chunk` keeps what was not put.
    pub(super) fn put_some(&self, chunk: &mut VecDeque<T>) -> Result<(), Refused> {
        debug_assert!(!chunk.is_empty());
        let mut spun = false;
        let mut lane = self.lane(Side::Put);
        loop {
            let count = self.count();
            if count & CLOSED != 0 {
                return Err(Refused::Closed);
            }
            if count < self.capacity {
                let n = (self.capacity - count).min(chunk.len());
                // Moving items runs no user code (no `T::drop`).
                lane.items.extend(chunk.drain(..n));
                self.finish_put(lane, n);
                return Ok(());
            }
            lane = self.block(Side::Put, lane, Wait::Forever, &mut spun)?;
        }
    }

    /// The one get that every public single-item get funnels into.
    pub(super) fn get(&self, wait: Wait) -> Result<T, Refused> {
        let mut spun = false;
        let mut woken = false;
        let mut lane = self.lane(Side::Get);
        loop {
            if fault::active(Fault::GetChecksClosedFirst) && self.is_closed() {
                return Err(Refused::Closed);
            }
            // Items first: a getter woken by a notification that also timed
            // out takes the item it was woken for, so the notification is
            // never lost with it.
            let closed = self.refill(&mut lane, 1);
            if let Some(item) = lane.items.pop_front() {
                self.finish_get(lane, 1);
                return Ok(item);
            }
            // Nothing in either lane (a count of zero, read with the get
            // lock held, after which no get can have happened).
            if closed || (woken && fault::active(Fault::GetIfNotWhile)) {
                return Err(Refused::Closed);
            }
            lane = self.block(Side::Get, lane, wait, &mut spun)?;
            woken = true;
        }
    }

    /// The core of `get_many` / `get_many_into`: appends up to `max` items
    /// to `out` under one get-lock acquisition, waiting for at least one
    /// while the buffer is empty and open. `max == 0` never waits.
    pub(super) fn get_some(&self, out: &mut Vec<T>, max: usize) -> Result<usize, Refused> {
        let mut spun = false;
        let mut lane = self.lane(Side::Get);
        loop {
            let closed = self.refill(&mut lane, max.max(1));
            let n = max.min(lane.items.len());
            if n > 0 {
                out.extend(lane.items.drain(..n));
                self.finish_get(lane, n);
                return Ok(n);
            }
            if lane.items.is_empty() && closed {
                return Err(Refused::Closed);
            }
            if max == 0 {
                return Ok(0);
            }
            lane = self.block(Side::Get, lane, Wait::Forever, &mut spun)?;
        }
    }

    /// `drain` and, with `close`, `close_and_drain`: both locks at once, so
    /// that no put or get lands in between.
    pub(super) fn drain(&self, close: bool) -> Vec<T> {
        let mut get = self.lane(Side::Get);
        let mut put = self.lane(Side::Put);
        let closed_now = close && self.count.fetch_or(CLOSED, ORDER) & CLOSED == 0;
        // Oldest first. Moving items runs no user code (no `T::drop`).
        let mut drained: Vec<T> = get.items.drain(..).collect();
        drained.extend(put.items.drain(..));
        let n = drained.len();
        if n > 0 {
            // With both locks held the count is exact.
            let before = self.count.fetch_sub(n, ORDER) & !CLOSED;
            debug_assert_eq!(before, n);
        }
        // `task_done` may have run ahead of `get` for some of these items,
        // so the count can be smaller than what is drained.
        put.unfinished = put.unfinished.saturating_sub(n);
        let wake_joiners = n > 0 && put.unfinished == 0 && put.joiners > 0;
        let wake_putters =
            (n > 0 || closed_now) && put.waiting > 0 && !fault::active(Fault::DrainWakesNoPutter);
        let wake_getters = closed_now && get.waiting > 0;
        drop(put);
        drop(get);
        if wake_putters {
            self.putters.notify_all();
        }
        if wake_getters {
            self.getters.notify_all();
        }
        if wake_joiners {
            self.all_done.notify_all();
        }
        drained
    }

    pub(super) fn join(&self, deadline: Option<Instant>) -> bool {
        let mut put = self.lane(Side::Put);
        // `task_done` brings the count to zero under this lock and reads
        // `joiners` there, so a zero before this look is seen here, and one
        // after it is followed by a notification this wait receives.
        while put.unfinished > 0 {
            put.joiners += 1;
            put = match deadline {
                None => self.all_done.wait(put),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        put.joiners -= 1;
                        return false;
                    }
                    self.all_done.wait_until(put, deadline)
                }
            };
            put.joiners -= 1;
            if fault::active(Fault::JoinIfNotWhile) {
                break;
            }
        }
        true
    }
    pub(super) fn close(&self) -> bool {
        let get = self.lane(Side::Get);
        let put = self.lane(Side::Put);
        if self.count.fetch_or(CLOSED, ORDER) & CLOSED != 0 {
            return false;
        }
        let wake_putters = put.waiting > 0;
        let wake_getters = get.waiting > 0;
        drop(put);
        drop(get);
        if fault::active(Fault::CloseWakesOne) {
            if wake_putters {
                self.putters.notify_one();
            }
            if wake_getters {
                self.getters.notify_one();
            }
            return true;
        }
        if wake_putters {
            self.putters.notify_all();
        }
        if wake_getters {
            self.getters.notify_all();
        }
        true
    }

    pub(super) fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut put = self.lane(Side::Put);
        if put.unfinished == 0 {
            return Err(TaskDoneError);
        }
        put.unfinished -= 1;
        let wake_joiners = put.unfinished == 0 && put.joiners > 0;
        drop(put);
        if wake_joiners {
            self.all_done.notify_all();
        }
        Ok(())
    }

    /// Items buffered now (the count without its closed bit).
    pub(super) fn len(&self) -> usize {
        self.count() & !CLOSED
    }

    pub(super) fn is_closed(&self) -> bool {
        self.count() & CLOSED != 0
    }

    pub(super) fn unfinished(&self) -> usize {
        self.lane(Side::Put).unfinished
    }
}
