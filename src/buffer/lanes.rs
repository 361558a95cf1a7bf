//! The two-lock protocol behind [`SharedBuffer`](super::SharedBuffer):
//! the state every handle shares, its counter invariants, and the put,
//! get, close, drain and join cores that the public calls funnel into.
//! DESIGN.md explains the protocol and why it is shaped so.

use std::collections::VecDeque;
use std::ops::Deref;

use super::Message;
use super::wait::{Refused, Side, Wait};
use crate::error::TaskDoneError;
use crate::fault::{self, Fault};
use crate::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
/// Each side counts what it has done in an atomic counter of its own,
/// which only it writes: [`pushed`](Self::pushed) (items ever put) and
/// [`popped`](Self::popped) (items ever taken). There is no shared item
/// count that both sides write for every item: a put writes only its own
/// counter's cache line, and reads the getters' only when its last view of
/// it says "full" (a get, symmetrically, when its view says "empty").
///
/// A thread about to park sets the *mark* of the side it waits for, a
/// flag in that side's lane ([`Lane::waited_on`]: getters mark the put
/// lane, putters the get lane), holding both locks (get, then put), after
/// one last look at that side's count there. The other side reads the
/// flag when it advances, under its own lock, which it holds for the item
/// anyway. The two are ordered by that lock: either the advance comes
/// first and the last look sees it (the thread does not park), or the
/// mark does and the advance sees it and wakes the sleeper's side. So an
/// advance is a plain store of the counter, and a put or a get pays for
/// no atomic read-modify-write besides its lock's own; no fence and no
/// store→load pattern on atomics is involved, which loom models exactly.
pub(super) struct Shared<T> {
    /// The newest items. Putters wait on `putters` with its lock.
    pub(super) put_lane: Padded<Mutex<Lane<T>>>,
    /// The oldest items. Getters wait on `getters` with its lock.
    pub(super) get_lane: Padded<Mutex<Lane<T>>>,
    /// Putters wait here for room.
    pub(super) putters: Condvar,
    /// Getters wait here for an item (or for the close).
    pub(super) getters: Condvar,
    /// Items ever put. Advanced only with the put lock held, after the
    /// items are in the put lane, so an item it counts is in one of the
    /// two lanes or already taken. Read without that lock only as a hint
    /// (a getter's view, a spinner): every decision it leads to is made
    /// again under the locks.
    pub(super) pushed: Padded<AtomicUsize>,
    /// Items ever taken (by a get or a drain). Advanced only with the get
    /// lock held, after the items left the get lane, so the room it shows
    /// is there.
    pub(super) popped: Padded<AtomicUsize>,
    /// Set by `close` with both locks held, as the lanes' own `closed`
    /// are; read here only by threads that hold no lock (a spinner,
    /// `is_closed`).
    pub(super) closed: AtomicBool,
    /// `join` waits here, with the put lock, for the put lane's
    /// `unfinished` to reach zero.
    pub(super) all_done: Condvar,
    pub(super) capacity: usize,
}

/// One side's queue, its counters as that side knows them, and the
/// threads waiting on its condition variable.
pub(super) struct Lane<T> {
    pub(super) items: VecDeque<T>,
    /// This side's counter (`pushed` for the put lane, `popped` for the get
    /// lane): the atomic is advanced only by the holder of this lock, so
    /// this copy is exact and costs no atomic read.
    pub(super) own: usize,
    /// The other side's counter as this side last read it: never ahead of
    /// the real one, so the room (or the items) it shows is there. Read
    /// afresh only when it shows none.
    pub(super) seen: usize,
    /// Threads blocked on this side's condition variable: notifications
    /// are sent only when someone is there to receive them.
    pub(super) waiting: usize,
    /// Wakeups sent to this side's waiters and not yet taken back by a
    /// waiter returning from its wait: never more than the waiters
    /// between being woken and retaking the lock, so `waiting - woken` is
    /// at least the number asleep.
    pub(super) woken: usize,
    /// Whether this side's mark is set in the other lane (its
    /// `waited_on`): a copy, exact because both change together with
    /// both locks held. Set while some waiter of this side has not been
    /// sent a wakeup; the getters' mark is cleared as soon as none is
    /// left, the putters' may stay set until the next get that finds it
    /// (clearing it from a putter's side would take the get lock after
    /// the put lock).
    pub(super) marked: bool,
    /// The other side's mark: some thread of the other side may be asleep
    /// waiting for this side's counter to move, and has not been sent a
    /// wakeup. Set and cleared with both locks held; read by this side's
    /// advances under this lock alone.
    pub(super) waited_on: bool,
    /// Whether the buffer is closed, as this lane's lock holder sees it:
    /// `close` sets it in both lanes, holding both locks.
    pub(super) closed: bool,
    /// Put lane only: items put and not yet marked done (by `task_done` or
    /// `drain`). Kept under the put lock, which every put holds anyway, so
    /// that a put pays no atomic read-modify-write for a count that only
    /// `task_done` and `join` read; they take the put lock instead.
    pub(super) unfinished: usize,
    /// Put lane only: `join`s waiting on [`Shared::all_done`].
    pub(super) joiners: usize,
    /// Get lane only: poison pills queued behind every item put before
    /// them (`put_pills`). A get that finds both lanes empty takes one
    /// instead of waiting. Counted here rather than carried in the slots,
    /// so that an item costs its own size and no tag.
    pub(super) pills: usize,
}

impl<T> Lane<T> {
    pub(super) fn new(capacity: usize) -> Self {
        Lane {
            items: VecDeque::with_capacity(capacity.min(4096)),
            own: 0,
            seen: 0,
            waiting: 0,
            woken: 0,
            marked: false,
            waited_on: false,
            closed: false,
            unfinished: 0,
            joiners: 0,
            pills: 0,
        }
    }
}

/// A value on a cache line (a pair of lines, for CPUs that fetch two at
/// once) of its own, so that the two sides' locks and counters do not
/// bounce one line between the cores that use them.
#[repr(align(128))]
pub(super) struct Padded<T>(T);

impl<T> Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Items between two counter values (`from` not after `to`), counters
/// wrapping around as `usize` does.
pub(super) fn between(from: usize, to: usize) -> usize {
    to.wrapping_sub(from)
}

/// Wakeups decided under the locks, sent once they are released.
#[must_use]
struct Wakeups {
    /// How many waiters to notify.
    count: usize,
    /// Whether that is every waiter not yet sent a wakeup (one
    /// `notify_all` then, instead of `count` calls of `notify_one`).
    all: bool,
}

impl<T> Shared<T> {
    pub(super) fn new(capacity: usize) -> Self {
        Shared {
            put_lane: Padded(Mutex::new(Lane::new(capacity))),
            get_lane: Padded(Mutex::new(Lane::new(capacity))),
            putters: Condvar::new(),
            getters: Condvar::new(),
            pushed: Padded(AtomicUsize::new(0)),
            popped: Padded(AtomicUsize::new(0)),
            closed: AtomicBool::new(false),
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

    /// The counter `side`'s waiters wait on (and mark): the getters',
    /// `popped`, for a putter; the putters', `pushed`, for a getter.
    pub(super) fn awaited(&self, side: Side) -> &AtomicUsize {
        match side {
            Side::Put => &self.popped,
            Side::Get => &self.pushed,
        }
    }

    /// With both locks held: decides to wake as many of `sleepers`' waiters
    /// (one lane) as `n` items (or free slots) can serve, among those not
    /// sent a wakeup yet, after an advance of the other lane (`awaited`)
    /// that found its mark set. Clears the mark once every waiter has been
    /// sent one, so that later advances do not take the locks again for
    /// waiters already on their way. The caller sends the wakeups
    /// ([`notify`](Self::notify)) once it has released the locks.
    fn send_wakeups(sleepers: &mut Lane<T>, awaited: &mut Lane<T>, n: usize) -> Wakeups {
        // Waiters not sent a wakeup yet: at least those asleep.
        let unwoken = sleepers.waiting.saturating_sub(sleepers.woken);
        let count = n.min(unwoken);
        sleepers.woken += count;
        if sleepers.waiting <= sleepers.woken {
            sleepers.marked = false;
            awaited.waited_on = false;
        }
        Wakeups {
            count,
            all: count == unwoken,
        }
    }

    /// Sends the wakeups decided by [`send_wakeups`](Self::send_wakeups) to
    /// `side`'s waiters.
    fn notify(&self, side: Side, wakeups: Wakeups) {
        if wakeups.count == 0 {
            return;
        }
        if wakeups.all {
            self.condvar(side).notify_all();
        } else {
            for _ in 0..wakeups.count {
                self.condvar(side).notify_one();
            }
        }
    }

    /// Wakes as many of `side`'s waiters as `n` items (or free slots) can
    /// serve, taking both locks (get, then put) to count them. Called with
    /// no lock held.
    pub(super) fn wake_side(&self, side: Side, n: usize) {
        let mut get = self.lane(Side::Get);
        let mut put = self.lane(Side::Put);
        let wakeups = match side {
            Side::Get => Self::send_wakeups(&mut get, &mut put, n),
            Side::Put => Self::send_wakeups(&mut put, &mut get, n),
        };
        drop(put);
        drop(get);
        self.notify(side, wakeups);
    }

    /// Advances `side`'s counter by `n` items, `lane` being that side's
    /// lock (held), and returns whether the other side's mark is set: read
    /// under the same lock, so a mark set before this advance is seen, and
    /// one set after it was set by a thread whose last look saw the
    /// advance.
    fn publish(&self, side: Side, lane: &mut Lane<T>, n: usize) -> bool {
        let counter = match side {
            Side::Put => &self.pushed,
            Side::Get => &self.popped,
        };
        debug_assert_eq!(
            counter.load(Ordering::Relaxed),
            lane.own,
            "a counter advanced without its lock"
        );
        lane.own = lane.own.wrapping_add(n);
        // Release: a thread that reads the count without the lock (a
        // getter's or putter's view, a spinner) and then acts on it under
        // its own lock finds the items (or the room) it counts.
        counter.store(lane.own, Ordering::Release);
        lane.waited_on
    }

    /// Called by a putter that has just appended `n` items to the put lane,
    /// whose lock is `lane`: counts them, releases the lock, and wakes
    /// getters if one may sleep.
    pub(super) fn finish_put(&self, mut lane: MutexGuard<'_, Lane<T>>, n: usize) {
        // Unfinished before a getter can see them: getters reach the put
        // lane only through its lock, held here.
        lane.unfinished += n;
        debug_assert!(
            between(lane.seen, lane.own) + n <= self.capacity,
            "more items than capacity: {} + {n} > {}",
            between(lane.seen, lane.own),
            self.capacity
        );
        let waited_on = self.publish(Side::Put, &mut lane, n);
        if waited_on && fault::active(Fault::WakeGettersUnderPutLock) {
            // The bug: the get lock taken with the put lock held, against
            // the order refill keeps (get, then put).
            let mut get = self.lane(Side::Get);
            let wakeups = Self::send_wakeups(&mut get, &mut lane, n);
            drop(get);
            drop(lane);
            self.notify(Side::Get, wakeups);
            return;
        }
        drop(lane);
        // Every advance that finds the mark wakes, so a woken getter owes
        // nobody a pass-on: the mark stays set while any getter waits.
        if waited_on {
            self.wake_side(Side::Get, n);
        }
    }

    /// Called by a getter that has just taken `n` items from the get lane,
    /// whose lock is `lane`: counts them, wakes putters if one may sleep
    /// (taking the put lock while it holds its own, in the lock order),
    /// and releases the lock.
    pub(super) fn finish_get(&self, mut lane: MutexGuard<'_, Lane<T>>, n: usize) {
        if !self.publish(Side::Get, &mut lane, n) {
            return;
        }
        let room = if fault::active(Fault::WakePuttersAssumesOneItem) {
            1
        } else {
            n
        };
        let mut put = self.lane(Side::Put);
        let wakeups = Self::send_wakeups(&mut put, &mut lane, room);
        drop(put);
        drop(lane);
        self.notify(Side::Put, wakeups);
    }

    /// With the put lock held (`lane`): how many free slots there are, at
    /// least as far as the putter can know without the get lock — by its
    /// last view of `popped`, read afresh when that view shows fewer than
    /// `want`.
    pub(super) fn room(&self, lane: &mut Lane<T>, want: usize) -> usize {
        let room = self.capacity - between(lane.seen, lane.own);
        if room >= want {
            return room;
        }
        lane.seen = self.popped.load(Ordering::Acquire);
        self.capacity - between(lane.seen, lane.own)
    }

    /// With the get lock held (`lane`): when the get lane holds fewer than
    /// `want` items and the put lane holds some (by the getter's view of
    /// `pushed`, read afresh when that view shows none there), moves the
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
        // The view counts every item in the get lane (they were in the
        // put lane when it was last taken, and taking it updates the view),
        // so what it counts beyond them is in the put lane.
        if between(lane.own, lane.seen) == have {
            lane.seen = self.pushed.load(Ordering::Acquire);
        }
        if between(lane.own, lane.seen) > have {
            let mut put = self.lane(Side::Put);
            if have == 0 || fault::active(Fault::RefillSwapsNonEmpty) {
                std::mem::swap(&mut lane.items, &mut put.items);
            } else {
                // Moving items runs no user code (no `T::drop`).
                lane.items.append(&mut put.items);
            }
            // Exact: the put lock is held, and the get lane now holds
            // everything put and not taken.
            lane.seen = put.own;
        }
        // `close` needs the get lock, held here, so this answer holds
        // until it is released.
        lane.closed
    }

    /// The one put that every public single-item put funnels into.
    pub(super) fn put(&self, item: T, wait: Wait) -> Result<(), (T, Refused)> {
        let mut spun = false;
        let mut woken = false;
        let mut lane = self.lane(Side::Put);
        loop {
            if lane.closed {
                return Err((item, Refused::Closed));
            }
            if self.room(&mut lane, 1) > 0 || (woken && fault::active(Fault::PutIfNotWhile)) {
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
            if lane.closed {
                return Err(Refused::Closed);
            }
            let room = self.room(&mut lane, chunk.len());
            if room > 0 {
                let n = room.min(chunk.len());
                if n == chunk.len()
                    && lane.items.is_empty()
                    && chunk.capacity() >= lane.items.capacity()
                {
                    // The whole chunk goes into an empty lane: hand the
                    // lane the chunk's storage instead of moving the items
                    // one by one, and give the caller the lane's empty
                    // one, no smaller, for its next chunk. Nothing is
                    // allocated under the lock.
                    std::mem::swap(&mut lane.items, chunk);
                } else {
                    // Moving items runs no user code (no `T::drop`).
                    lane.items.extend(chunk.drain(..n));
                }
                self.finish_put(lane, n);
                return Ok(());
            }
            lane = self.block(Side::Put, lane, Wait::Forever, &mut spun)?;
        }
    }

    /// The one get that every single-item get funnels into: an item, or
    /// a pill once every item is taken (only the pipeline puts pills).
    pub(super) fn get(&self, wait: Wait) -> Result<Message<T>, Refused> {
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
            if lane.pills > 0 && fault::active(Fault::PillBeforeItems) {
                lane.pills -= 1;
                return Ok(Message::PoisonPill);
            }
            if let Some(item) = lane.items.pop_front() {
                self.finish_get(lane, 1);
                return Ok(Message::Item(item));
            }
            // Nothing in either lane: `pushed`, read with the get lock
            // held, had counted nothing beyond what was taken, so every
            // item put before the pills (`put_pills` takes this lock after
            // those puts) is taken.
            if lane.pills > 0 {
                lane.pills -= 1;
                return Ok(Message::PoisonPill);
            }
            if closed || (woken && fault::active(Fault::GetIfNotWhile)) {
                return Err(Refused::Closed);
            }
            lane = self.block(Side::Get, lane, wait, &mut spun)?;
            woken = true;
        }
    }

    /// Queues `n` poison pills behind every item put so far, for the next
    /// `n` gets that find the buffer empty, and wakes up to `n` sleeping
    /// getters. A pill takes no slot, so this never waits. Only the
    /// pipeline calls it, after every producer has returned, so no item is
    /// put behind a pill; `get_many` and `drain` do not see pills.
    pub(super) fn put_pills(&self, n: usize) {
        let mut lane = self.lane(Side::Get);
        lane.pills += n;
        drop(lane);
        // A getter asleep now parked after looking under the get lock, so
        // before the pills: it needs a wakeup. One that looks later sees
        // them. Waking up to `n` may wake one that a pill no longer
        // awaits (another getter took it on the way); it looks and sleeps
        // again.
        if !fault::active(Fault::PillsWakeNoGetter) {
            self.wake_side(Side::Get, n);
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
                let lane_capacity = lane.items.capacity();
                if n == lane.items.len()
                    && out.is_empty()
                    && (lane_capacity..=lane_capacity.saturating_mul(2)).contains(&out.capacity())
                {
                    // Every item of the lane goes to an empty `out`: take
                    // the lane's storage whole and leave it `out`'s empty
                    // one (a `Vec`'s storage becomes a `VecDeque`'s
                    // without a copy). No smaller, so that no put
                    // allocates under the lock; at most twice as large,
                    // so that a caller's huge `out` does not stay with
                    // the buffer. The ring is turned into a `Vec` after
                    // the lock is released (a move of the items only if
                    // the ring wrapped around).
                    let empty = VecDeque::from(std::mem::take(out));
                    let taken = std::mem::replace(&mut lane.items, empty);
                    self.finish_get(lane, n);
                    *out = Vec::from(taken);
                    return Ok(n);
                }
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
        let closed_now = close && !get.closed;
        if closed_now {
            self.mark_closed(&mut get, &mut put);
        }
        // Oldest first. Moving items runs no user code (no `T::drop`).
        let mut drained: Vec<T> = get.items.drain(..).collect();
        drained.extend(put.items.drain(..));
        let n = drained.len();
        if n > 0 {
            // With both locks held the counters are exact: the drain
            // takes everything put and not taken.
            get.own = get.own.wrapping_add(n);
            self.popped.store(get.own, Ordering::Release);
        }
        debug_assert_eq!(get.own, put.own, "drained all but the counters differ");
        get.seen = put.own;
        // `task_done` may have run ahead of `get` for some of these items,
        // so `unfinished` can be smaller than what is drained.
        put.unfinished = put.unfinished.saturating_sub(n);
        let wake_joiners = n > 0 && put.unfinished == 0 && put.joiners > 0;
        let wake_putters =
            (n > 0 || closed_now) && put.waiting > 0 && !fault::active(Fault::DrainWakesNoPutter);
        if wake_putters {
            // Every putter is sent a wakeup: none is left for an advance
            // to wake, so the mark can go.
            put.woken = put.waiting;
            put.marked = false;
            get.waited_on = false;
        }
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
        let mut get = self.lane(Side::Get);
        let mut put = self.lane(Side::Put);
        if get.closed {
            return false;
        }
        self.mark_closed(&mut get, &mut put);
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

    /// With both locks held: closes the buffer, for the lock holders of
    /// either side and for those that hold none.
    fn mark_closed(&self, get: &mut Lane<T>, put: &mut Lane<T>) {
        get.closed = true;
        put.closed = true;
        self.closed.store(true, Ordering::Release);
    }

    /// Items buffered now, read with both locks held (get, then put), as
    /// Python's `qsize` reads under its lock: the two lanes' counts are
    /// then exact and of one instant. The counters' atomics, stored with
    /// release ordering, are not in one total order with each other, so
    /// reading them without the locks could pair a put after a get with a
    /// count from before it (the linearizability check caught `len() ==
    /// 3` on a buffer that never held three items, when `len` once read
    /// them that way). A `len` in a hot loop contends with puts and gets.
    pub(super) fn len(&self) -> usize {
        let get = self.lane(Side::Get);
        let put = self.lane(Side::Put);
        let len = between(get.own, put.own);
        debug_assert!(len <= self.capacity, "len {len} > capacity");
        len
    }

    pub(super) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    pub(super) fn unfinished(&self) -> usize {
        self.lane(Side::Put).unfinished
    }
}
