//! `SharedBuffer<T>`: a bounded, blocking, closable FIFO buffer with
//! `queue.Queue`-style task accounting.

use std::collections::VecDeque;
use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use crate::error::{
    GetError, GetTimeoutError, PutError, PutManyError, PutTimeoutError, TaskDoneError, TryGetError,
    TryPutError,
};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{Arc, Condvar, Instant, Mutex, MutexGuard, spin};

/// A bounded, blocking, closable FIFO buffer shared by producers and
/// consumers.
///
/// `SharedBuffer` is a cheap handle: [`Clone`] it to share it between
/// threads; every clone refers to the same buffer. It holds at most
/// [`capacity`](Self::capacity) items. [`put`](Self::put) waits while it is
/// full and [`get`](Self::get) waits while it is empty, as Python's
/// `threading.Condition` buffer in the seed system does; `try_*` variants
/// never wait and `*_timeout` variants wait at most a given time.
///
/// Closing ([`close`](Self::close)) stops new items from coming in, but
/// every item already buffered can still be taken: consumers see
/// [`GetError`] only once the buffer is both closed and empty. A rejected
/// item is always handed back inside the error.
///
/// Like Python's `queue.Queue`, the buffer also counts *unfinished tasks*:
/// each successful put adds one, each [`task_done`](Self::task_done) removes
/// one, and [`join`](Self::join) waits until none is left.
///
/// It is `Send` and `Sync` whenever `T: Send`.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::SharedBuffer;
/// use std::thread;
///
/// let buffer = SharedBuffer::new(2);
/// let producer = {
///     let buffer = buffer.clone();
///     thread::spawn(move || {
///         for i in 0..10 {
///             buffer.put(i).unwrap();
///         }
///         buffer.close();
///     })
/// };
/// let mut received = Vec::new();
/// while let Ok(item) = buffer.get() {
///     received.push(item);
/// }
/// producer.join().unwrap();
/// assert_eq!(received, (0..10).collect::<Vec<_>>());
/// ```
pub struct SharedBuffer<T> {
    shared: Arc<Shared<T>>,
}

/// The state behind every handle: two lanes with a lock each, as in
/// `java.util.concurrent.LinkedBlockingQueue`, so that a putter and a getter
/// do not take the same lock for every item.
///
/// Putters append to the put lane under its lock. Getters take from the
/// front of the take lane under its lock; when it runs dry, a getter takes
/// the put lock as well and moves the put lane's items over (all of them,
/// by swapping the two queues when the take lane is empty). Every item in
/// the take lane is older than every item in the put lane, so the buffer
/// stays FIFO. Whenever both locks are held, the take lock is taken first.
///
/// How many items the two lanes hold together is the atomic `count`: with
/// it, each side learns whether there is room or an item without the other
/// side's lock. A side takes the other's lock only to wake the other side's
/// waiters, and only on the transition they wait for: a putter that made
/// the buffer non-empty, a getter that made it non-full. A thread that
/// finds its side can go on after it (room left after a put, items after a
/// get) passes a wakeup on to the next waiter of its own side.
struct Shared<T> {
    /// The newest items. Putters wait on `not_full` with its lock.
    put: Padded<Mutex<Lane<T>>>,
    /// The oldest items. Getters wait on `not_empty` with its lock.
    take: Padded<Mutex<Lane<T>>>,
    /// Putters wait here for room.
    not_full: Condvar,
    /// Getters wait here for an item (or for the close).
    not_empty: Condvar,
    /// Items in both lanes, with [`CLOSED`] set once closed.
    ///
    /// Changed only by a thread that holds a lane's lock: a put adds its
    /// items after they are in the put lane, with the put lock held; a get
    /// subtracts them after they left the take lane, with the take lock
    /// held; `drain` and `close` hold both. So, read with the put lock
    /// held it is at least what is buffered (room it shows is there), read
    /// with the take lock held it is at most what is buffered (an item it
    /// shows is there), and with both held it is exact. A spinner reads it
    /// with no lock at all (see `block`).
    count: Padded<AtomicUsize>,
    /// Items put and not yet marked done (by `task_done` or `drain`).
    /// A put adds to it before its items can be taken.
    unfinished: Padded<AtomicUsize>,
    /// How many `join`s wait on `all_done`, under its own lock.
    joiners: Mutex<usize>,
    /// `join` waits here for `unfinished` to reach zero.
    all_done: Condvar,
    capacity: usize,
}

/// One side's queue and the threads waiting on its condition variable.
struct Lane<T> {
    items: VecDeque<T>,
    /// Threads blocked on this side's condition variable: notifications
    /// are sent only when someone is there to receive them.
    waiting: usize,
}

impl<T> Lane<T> {
    fn new(capacity: usize) -> Self {
        Lane {
            items: VecDeque::with_capacity(capacity.min(4096)),
            waiting: 0,
        }
    }
}

/// A value on a cache line (a pair of lines, for CPUs that fetch two at
/// once) of its own, so that the two sides' locks and the count do not
/// bounce one line between the cores that use them.
#[repr(align(128))]
struct Padded<T>(T);

impl<T> Deref for Padded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// The bit of [`Shared::count`] that says "closed".
const CLOSED: usize = 1 << (usize::BITS - 1);

/// The count's ordering. The count is read and changed under a lane's
/// lock, and what it promises (see [`Shared::count`]) rests on those locks;
/// `SeqCst` costs nothing more than acquire/release for read-modify-writes
/// and loads on x86-64 (only a `SeqCst` store would, and there is none),
/// and keeps the reasoning simple.
const ORDER: Ordering = Ordering::SeqCst;

/// How long an operation may wait: not at all, or until an optional
/// deadline (`None`: forever).
#[derive(Clone, Copy)]
enum Wait {
    Never,
    Until(Option<Instant>),
}

impl Wait {
    fn from_timeout(timeout: Duration) -> Self {
        // An overflowing deadline (`Duration::MAX`, say) means "forever".
        Wait::Until(Instant::after(timeout))
    }
}

/// Why an internal put or get did not complete.
enum Refused {
    /// Full (for a put) or empty (for a get), and the wait ran out or was
    /// not allowed.
    NotNow,
    Closed,
}

/// Which side of the buffer a thread is on.
#[derive(Clone, Copy)]
enum Side {
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
    fn may_go_on(self, count: usize, capacity: usize) -> bool {
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
fn wake(condvar: &Condvar, waiting: usize, n: usize) {
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

/// The most items `put_many` takes from its iterator ahead of putting
/// them, and so the most it moves in under one lock acquisition.
const MAX_CHUNK: usize = 1024;

impl<T> SharedBuffer<T> {
    /// Creates an empty, open buffer that holds at most `capacity` items.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is zero: a buffer that can hold nothing would
    /// block every put forever. (The pipeline's
    /// [`ProducerConsumerSystem::new`](crate::ProducerConsumerSystem::new)
    /// returns an error instead.)
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::<String>::new(5);
    /// assert_eq!(buffer.capacity(), 5);
    /// assert!(buffer.is_empty());
    /// assert!(!buffer.is_full());
    /// ```
    ///
    /// ```should_panic
    /// # if prodcon::__private::MODEL_BUILD { panic!("capacity") }
    /// // panics: "SharedBuffer capacity must be at least 1, got 0"
    /// let _ = prodcon::SharedBuffer::<u8>::new(0);
    /// ```
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "SharedBuffer capacity must be at least 1, got {capacity}"
        );
        SharedBuffer {
            shared: Arc::new(Shared {
                put: Padded(Mutex::new(Lane::new(capacity))),
                take: Padded(Mutex::new(Lane::new(capacity))),
                not_full: Condvar::new(),
                not_empty: Condvar::new(),
                count: Padded(AtomicUsize::new(0)),
                unfinished: Padded(AtomicUsize::new(0)),
                joiners: Mutex::new(0),
                all_done: Condvar::new(),
                capacity,
            }),
        }
    }

    /// Puts `item` at the back of the buffer, waiting while it is full.
    ///
    /// # Errors
    ///
    /// Returns [`PutError`] with the item inside if the buffer is closed,
    /// whether it was closed before the call or while it waited.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{PutError, SharedBuffer};
    ///
    /// let buffer = SharedBuffer::new(1);
    /// assert_eq!(buffer.put("a"), Ok(()));
    /// assert_eq!(buffer.len(), 1);
    /// buffer.close();
    /// assert_eq!(buffer.put("b"), Err(PutError("b")));
    /// ```
    pub fn put(&self, item: T) -> Result<(), PutError<T>> {
        match self.put_inner(item, Wait::Until(None)) {
            Ok(()) => Ok(()),
            Err((item, _)) => Err(PutError(item)),
        }
    }

    /// Puts `item` if there is room right now, without waiting.
    ///
    /// # Errors
    ///
    /// [`TryPutError::Full`] if the buffer is full, [`TryPutError::Closed`]
    /// if it is closed; the item comes back in either.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{SharedBuffer, TryPutError};
    ///
    /// let buffer = SharedBuffer::new(1);
    /// assert_eq!(buffer.try_put(1), Ok(()));
    /// assert_eq!(buffer.try_put(2), Err(TryPutError::Full(2)));
    /// ```
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        match self.put_inner(item, Wait::Never) {
            Ok(()) => Ok(()),
            Err((item, Refused::NotNow)) => Err(TryPutError::Full(item)),
            Err((item, Refused::Closed)) => Err(TryPutError::Closed(item)),
        }
    }

    /// Puts `item`, waiting at most `timeout` for room.
    ///
    /// A `timeout` so long that the deadline overflows (`Duration::MAX`)
    /// waits without limit.
    ///
    /// # Errors
    ///
    /// [`PutTimeoutError::Timeout`] if no room came free in time,
    /// [`PutTimeoutError::Closed`] if the buffer is or becomes closed; the
    /// item comes back in either.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{PutTimeoutError, SharedBuffer};
    /// use std::time::Duration;
    ///
    /// let buffer = SharedBuffer::new(1);
    /// buffer.put_timeout(1, Duration::from_millis(10)).unwrap();
    /// assert_eq!(
    ///     buffer.put_timeout(2, Duration::from_millis(10)),
    ///     Err(PutTimeoutError::Timeout(2)),
    /// );
    /// ```
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        match self.put_inner(item, Wait::from_timeout(timeout)) {
            Ok(()) => Ok(()),
            Err((item, Refused::NotNow)) => Err(PutTimeoutError::Timeout(item)),
            Err((item, Refused::Closed)) => Err(PutTimeoutError::Closed(item)),
        }
    }

    /// Takes the item at the front of the buffer, waiting while it is empty
    /// and open.
    ///
    /// After [`close`](Self::close), `get` still returns every item that was
    /// buffered, in order, and only then fails.
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{GetError, SharedBuffer};
    ///
    /// let buffer = SharedBuffer::new(2);
    /// buffer.put(1).unwrap();
    /// buffer.close();
    /// assert_eq!(buffer.get(), Ok(1));
    /// assert_eq!(buffer.get(), Err(GetError));
    /// ```
    pub fn get(&self) -> Result<T, GetError> {
        self.get_inner(Wait::Until(None)).map_err(|_| GetError)
    }

    /// Takes the front item if there is one right now, without waiting.
    ///
    /// # Errors
    ///
    /// [`TryGetError::Empty`] if the buffer is empty but open,
    /// [`TryGetError::Closed`] if it is empty and closed.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{SharedBuffer, TryGetError};
    ///
    /// let buffer = SharedBuffer::new(1);
    /// assert_eq!(buffer.try_get(), Err(TryGetError::Empty));
    /// buffer.put('x').unwrap();
    /// assert_eq!(buffer.try_get(), Ok('x'));
    /// ```
    pub fn try_get(&self) -> Result<T, TryGetError> {
        self.get_inner(Wait::Never)
            .map_err(|refused| match refused {
                Refused::NotNow => TryGetError::Empty,
                Refused::Closed => TryGetError::Closed,
            })
    }

    /// Takes the front item, waiting at most `timeout` for one.
    ///
    /// A `timeout` so long that the deadline overflows waits without limit.
    ///
    /// # Errors
    ///
    /// [`GetTimeoutError::Timeout`] if no item came in time,
    /// [`GetTimeoutError::Closed`] if the buffer is or becomes closed and
    /// empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{GetTimeoutError, SharedBuffer};
    /// use std::time::Duration;
    ///
    /// let buffer = SharedBuffer::<u8>::new(1);
    /// assert_eq!(
    ///     buffer.get_timeout(Duration::from_millis(10)),
    ///     Err(GetTimeoutError::Timeout),
    /// );
    /// ```
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        self.get_inner(Wait::from_timeout(timeout))
            .map_err(|refused| match refused {
                Refused::NotNow => GetTimeoutError::Timeout,
                Refused::Closed => GetTimeoutError::Closed,
            })
    }

    /// Puts every item of `items` at the back of the buffer, in order,
    /// waiting for room while it is full.
    ///
    /// Each lock acquisition moves in as many items as there is room for
    /// (up to 1024), so a batch costs a lock round trip per buffer-full
    /// rather than per item. The batch is not atomic: other putters' items
    /// may land between its items, and getters may take its first items
    /// before the last are in. Each item put counts as one unfinished task
    /// ([`task_done`](Self::task_done)).
    ///
    /// Items are taken from `items` with no lock held (the
    /// iterator is user code), at most one chunk ahead of what is put.
    /// An empty `items` puts nothing and returns `Ok(())`, even on a closed
    /// buffer.
    ///
    /// # Errors
    ///
    /// If the buffer is or becomes closed before every item is in,
    /// [`PutManyError`] with what was not put, without taking anything more
    /// from `items`: the items already taken from it (at most one chunk,
    /// in order) and the iterator itself, holding the rest. So an endless
    /// iterator is fine on a buffer that may close. The items put before
    /// the close stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    /// use std::thread;
    ///
    /// let buffer = SharedBuffer::new(4);
    /// let consumer = {
    ///     let buffer = buffer.clone();
    ///     thread::spawn(move || {
    ///         let mut received = Vec::new();
    ///         while let Ok(batch) = buffer.get_many(16) {
    ///             received.extend(batch);
    ///         }
    ///         received
    ///     })
    /// };
    /// buffer.put_many(0..100).unwrap(); // waits for room as needed
    /// buffer.close();
    /// assert_eq!(consumer.join().unwrap(), (0..100).collect::<Vec<_>>());
    ///
    /// // On a closed buffer the items come back, and the iterator with
    /// // what it has not yielded.
    /// let (taken, rest) = buffer.put_many(100..).unwrap_err().into_parts();
    /// assert_eq!(taken, [100, 101, 102, 103]);
    /// assert_eq!(rest.start, 104);
    /// ```
    pub fn put_many<I>(&self, items: I) -> Result<(), PutManyError<T, I::IntoIter>>
    where
        I: IntoIterator<Item = T>,
    {
        let mut items = items.into_iter();
        let chunk_len = self.shared.capacity.min(MAX_CHUNK);
        let mut chunk = VecDeque::new();
        loop {
            // Refilled with the lock released: `next` is user code.
            chunk.extend(items.by_ref().take(chunk_len - chunk.len()));
            if chunk.is_empty() {
                return Ok(());
            }
            if self.put_some(&mut chunk).is_err() {
                return Err(PutManyError::new(Vec::from(chunk), items));
            }
        }
    }

    /// Takes up to `max` items from the front of the buffer, oldest first,
    /// waiting while it is empty and open.
    ///
    /// Waits for at least one item, then takes every item there is, up to
    /// `max`, under one lock acquisition: it never waits for a batch to
    /// fill up. Like [`get`](Self::get), after [`close`](Self::close) it
    /// still returns what is buffered and only then fails. `max == 0`
    /// takes nothing and never waits: `Ok` with an empty `Vec`, or
    /// [`GetError`] if the buffer is closed and empty. To reuse one
    /// allocation across calls, see [`get_many_into`](Self::get_many_into).
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{GetError, SharedBuffer};
    ///
    /// let buffer = SharedBuffer::new(8);
    /// buffer.put_many(1..=5).unwrap();
    /// assert_eq!(buffer.get_many(3), Ok(vec![1, 2, 3]));
    /// assert_eq!(buffer.get_many(3), Ok(vec![4, 5])); // what there is
    /// buffer.close();
    /// assert_eq!(buffer.get_many(3), Err(GetError));
    /// ```
    pub fn get_many(&self, max: usize) -> Result<Vec<T>, GetError> {
        let mut out = Vec::new();
        self.get_many_into(&mut out, max)?;
        Ok(out)
    }

    /// Like [`get_many`](Self::get_many), but appends the items to `out`
    /// and returns how many it appended, so that a consumer loop can reuse
    /// one vector.
    ///
    /// `out` keeps what it held before; room for the batch is reserved
    /// before the lock is taken. On error `out` is left as it was.
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::new(16);
    /// buffer.put_many(0..10).unwrap();
    /// buffer.close();
    ///
    /// let mut batch = Vec::with_capacity(4);
    /// let mut sum = 0;
    /// while let Ok(n) = buffer.get_many_into(&mut batch, 4) {
    ///     assert!(n >= 1 && n <= 4);
    ///     sum += batch.drain(..).sum::<i32>();
    /// }
    /// assert_eq!(sum, 45);
    /// ```
    pub fn get_many_into(&self, out: &mut Vec<T>, max: usize) -> Result<usize, GetError> {
        // Allocated with the lock released; a larger batch than this may
        // still grow `out` under the lock (an allocation, not user code).
        out.reserve(max.min(self.shared.capacity).min(MAX_CHUNK));
        self.get_some(out, max).map_err(|_| GetError)
    }

    /// Closes the buffer: every later put fails and hands its item back,
    /// and every thread waiting in a put or a get wakes up.
    ///
    /// Putters waiting for room get their item back in the error; getters
    /// keep taking whatever is still buffered and then fail. Returns `true`
    /// if this call closed the buffer, `false` if it was already closed.
    /// Closing does not touch the task count: [`join`](Self::join) still
    /// waits for the buffered items to be taken and marked done (or
    /// drained).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::<u8>::new(1);
    /// assert!(buffer.close());
    /// assert!(!buffer.close());
    /// assert!(buffer.is_closed());
    /// ```
    pub fn close(&self) -> bool {
        let take = self.lane(Side::Get);
        let put = self.lane(Side::Put);
        if self.shared.count.fetch_or(CLOSED, ORDER) & CLOSED != 0 {
            return false;
        }
        let wake_putters = put.waiting > 0;
        let wake_getters = take.waiting > 0;
        drop(put);
        drop(take);
        if wake_putters {
            self.shared.not_full.notify_all();
        }
        if wake_getters {
            self.shared.not_empty.notify_all();
        }
        true
    }

    /// Takes every buffered item now, without waiting, oldest first.
    ///
    /// Works on an open or a closed buffer. The drained items no longer
    /// count as unfinished tasks, so a [`join`](Self::join) waiting only on
    /// them returns; putters waiting for room are woken.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::new(3);
    /// buffer.put(1).unwrap();
    /// buffer.put(2).unwrap();
    /// assert_eq!(buffer.drain(), vec![1, 2]);
    /// assert!(buffer.is_empty());
    /// assert_eq!(buffer.unfinished_tasks(), 0);
    /// ```
    pub fn drain(&self) -> Vec<T> {
        self.drain_inner(false)
    }

    /// Closes the buffer and takes everything buffered, with both locks held
    /// (so that no put or get lands in between); wakes every waiter, as
    /// `close` and `drain` do.
    pub(crate) fn close_and_drain(&self) -> Vec<T> {
        self.drain_inner(true)
    }

    /// Marks one taken item as finished (Python's `Queue.task_done`).
    ///
    /// Every successful put adds one unfinished task; each call removes one.
    /// When the count reaches zero, every [`join`](Self::join) returns.
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] if there is no unfinished task: it was called more
    /// times than items were put (and not drained). The count is unchanged.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::new(1);
    /// buffer.put("job").unwrap();
    /// assert_eq!(buffer.unfinished_tasks(), 1);
    /// let _job = buffer.get().unwrap();
    /// assert_eq!(buffer.unfinished_tasks(), 1); // taken, not yet done
    /// buffer.task_done().unwrap();
    /// assert_eq!(buffer.unfinished_tasks(), 0);
    /// assert!(buffer.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        match self
            .shared
            .unfinished
            .fetch_update(ORDER, ORDER, |u| u.checked_sub(1))
        {
            Err(_) => Err(TaskDoneError),
            Ok(before) => {
                if before == 1 {
                    self.wake_joiners();
                }
                Ok(())
            }
        }
    }

    /// Waits until every item put so far has been marked finished (Python's
    /// `Queue.join`).
    ///
    /// Returns at once if there is no unfinished task. Closing the buffer
    /// does not end the wait; taking and finishing, or draining, the
    /// remaining items does.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    /// use std::thread;
    ///
    /// let buffer = SharedBuffer::new(4);
    /// for job in 0..4 {
    ///     buffer.put(job).unwrap();
    /// }
    /// let worker = {
    ///     let buffer = buffer.clone();
    ///     thread::spawn(move || {
    ///         while let Ok(_job) = buffer.try_get() {
    ///             buffer.task_done().unwrap();
    ///         }
    ///     })
    /// };
    /// buffer.join();
    /// assert_eq!(buffer.unfinished_tasks(), 0);
    /// worker.join().unwrap();
    /// ```
    pub fn join(&self) {
        let finished = self.join_inner(None);
        debug_assert!(finished);
    }

    /// Like [`join`](Self::join), but waits at most `timeout`. Returns
    /// `true` if every task was finished, `false` if the time ran out.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    /// use std::time::Duration;
    ///
    /// let buffer = SharedBuffer::new(1);
    /// assert!(buffer.join_timeout(Duration::ZERO));
    /// buffer.put(1).unwrap();
    /// assert!(!buffer.join_timeout(Duration::from_millis(10)));
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.join_inner(Instant::after(timeout))
    }

    /// The number of items in the buffer now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(3);
    /// buffer.put(1).unwrap();
    /// assert_eq!(buffer.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.count() & !CLOSED
    }

    /// `true` if the buffer holds no item now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::<u8>::new(3);
    /// assert!(buffer.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds [`capacity`](Self::capacity) items now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(1);
    /// buffer.put(()).unwrap();
    /// assert!(buffer.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.len() >= self.shared.capacity
    }

    /// The most items the buffer holds at once.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// assert_eq!(prodcon::SharedBuffer::<u8>::new(16).capacity(), 16);
    /// ```
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// `true` once [`close`](Self::close) has been called on any handle.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::<u8>::new(1);
    /// assert!(!buffer.is_closed());
    /// buffer.close();
    /// assert!(buffer.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.count() & CLOSED != 0
    }

    /// Items put and not yet marked finished by
    /// [`task_done`](Self::task_done) or removed by [`drain`](Self::drain).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(2);
    /// buffer.put(1).unwrap();
    /// buffer.put(2).unwrap();
    /// buffer.get().unwrap();
    /// assert_eq!(buffer.unfinished_tasks(), 2);
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        self.shared.unfinished.load(ORDER)
    }

    /// The lock of `side`'s lane.
    fn lane(&self, side: Side) -> MutexGuard<'_, Lane<T>> {
        match side {
            Side::Put => self.shared.put.lock(),
            Side::Get => self.shared.take.lock(),
        }
    }

    /// The condition variable `side`'s waiters wait on.
    fn condvar(&self, side: Side) -> &Condvar {
        match side {
            Side::Put => &self.shared.not_full,
            Side::Get => &self.shared.not_empty,
        }
    }

    /// The count now (see [`Shared::count`]).
    fn count(&self) -> usize {
        self.shared.count.load(ORDER)
    }

    /// Wakes as many of `side`'s waiters as `n` items (or free slots) can
    /// serve, taking that side's lock to read how many wait. Called with no
    /// lock held (a lock of the other side would break the lock order).
    fn wake_side(&self, side: Side, n: usize) {
        let waiting = self.lane(side).waiting;
        wake(self.condvar(side), waiting, n);
    }

    /// Wakes every `join`, if any waits.
    fn wake_joiners(&self) {
        let waiting = *self.shared.joiners.lock();
        if waiting > 0 {
            self.shared.all_done.notify_all();
        }
    }

    /// Called by a putter that has just appended `n` items to the put lane,
    /// whose lock is `lane`: counts them, releases the lock, and wakes who
    /// can now go on.
    fn added(&self, lane: MutexGuard<'_, Lane<T>>, n: usize) {
        // Unfinished before a getter can see them: getters reach the put
        // lane only through its lock, held here.
        self.shared.unfinished.fetch_add(n, ORDER);
        let before = self.shared.count.fetch_add(n, ORDER) & !CLOSED;
        // Room left: another putter may have been woken for the room this
        // one took, or several slots came free with one wakeup.
        let pass_on = before + n < self.shared.capacity && lane.waiting > 0;
        drop(lane);
        if pass_on {
            self.shared.not_full.notify_one();
        }
        // Getters wait only on an empty buffer, so only the put that ends
        // "empty" wakes them; getters pass it on from there.
        if before == 0 {
            self.wake_side(Side::Get, n);
        }
    }

    /// Called by a getter that has just taken `n` items from the take lane,
    /// whose lock is `lane`: uncounts them, releases the lock, and wakes
    /// who can now go on.
    fn removed(&self, lane: MutexGuard<'_, Lane<T>>, n: usize) {
        let before = self.shared.count.fetch_sub(n, ORDER) & !CLOSED;
        // Items left: pass the wakeup on to another getter.
        let pass_on = before > n && lane.waiting > 0;
        drop(lane);
        if pass_on {
            self.shared.not_empty.notify_one();
        }
        // Putters wait only on a full buffer, so only the get that ends
        // "full" wakes them; putters pass it on from there.
        if before == self.shared.capacity {
            self.wake_side(Side::Put, n);
        }
    }

    /// With the take lock held (`lane`): when the take lane holds fewer than
    /// `want` items and the count says the put lane holds some, moves the
    /// put lane's items over, taking the put lock (after the take lock, as
    /// everywhere). An empty take lane swaps queues with the put lane, which
    /// moves nothing and so costs the same for any number of items.
    /// Returns whether the buffer is closed, when it looked (if it did not
    /// need to look, the take lane had enough and the answer is `false`).
    fn refill(&self, lane: &mut Lane<T>, want: usize) -> bool {
        let have = lane.items.len();
        if have >= want {
            return false;
        }
        let count = self.count();
        // With the take lock held the count is at most what is buffered,
        // so a count above `have` means the put lane is not empty.
        if count & !CLOSED > have {
            let mut put = self.lane(Side::Put);
            if have == 0 {
                std::mem::swap(&mut lane.items, &mut put.items);
            } else {
                // Moving items runs no user code (no `T::drop`).
                lane.items.append(&mut put.items);
            }
        }
        // `close` needs the take lock, held here, so this answer holds
        // until it is released.
        count & CLOSED != 0
    }

    /// The one put that every public single-item put funnels into.
    fn put_inner(&self, item: T, wait: Wait) -> Result<(), (T, Refused)> {
        let mut spun = false;
        let mut lane = self.lane(Side::Put);
        loop {
            let count = self.count();
            if count & CLOSED != 0 {
                return Err((item, Refused::Closed));
            }
            // With the put lock held the count is at least what is
            // buffered: the room it shows is there.
            if count < self.shared.capacity {
                lane.items.push_back(item);
                self.added(lane, 1);
                return Ok(());
            }
            // Full: wait for room, or give up. The condition is checked
            // again after every wakeup (a loop, not an `if`): a wakeup may
            // be spurious, or another putter may have taken the room.
            lane = match self.block(Side::Put, lane, wait, &mut spun) {
                Ok(lane) => lane,
                Err(refused) => return Err((item, refused)),
            };
        }
    }

    /// Moves as many items from the front of `chunk` into the buffer as fit
    /// now, at least one, waiting while it is full: the core of
    /// `put_many`, one lock acquisition per call unless it has to wait.
    /// `chunk` must not be empty. On close, `chunk` keeps what was not put.
    fn put_some(&self, chunk: &mut VecDeque<T>) -> Result<(), Refused> {
        debug_assert!(!chunk.is_empty());
        let mut spun = false;
        let mut lane = self.lane(Side::Put);
        loop {
            let count = self.count();
            if count & CLOSED != 0 {
                return Err(Refused::Closed);
            }
            if count < self.shared.capacity {
                let n = (self.shared.capacity - count).min(chunk.len());
                // Moving items runs no user code (no `T::drop`).
                lane.items.extend(chunk.drain(..n));
                self.added(lane, n);
                return Ok(());
            }
            lane = self.block(Side::Put, lane, Wait::Until(None), &mut spun)?;
        }
    }

    /// The one get that every public single-item get funnels into.
    fn get_inner(&self, wait: Wait) -> Result<T, Refused> {
        let mut spun = false;
        let mut lane = self.lane(Side::Get);
        loop {
            // Items first: a getter woken by a notification that also timed
            // out takes the item it was woken for, so the notification is
            // never lost with it.
            let closed = self.refill(&mut lane, 1);
            if let Some(item) = lane.items.pop_front() {
                self.removed(lane, 1);
                return Ok(item);
            }
            // Nothing in either lane (a count of zero, read with the take
            // lock held, after which no get can have happened).
            if closed {
                return Err(Refused::Closed);
            }
            lane = self.block(Side::Get, lane, wait, &mut spun)?;
        }
    }

    /// The core of `get_many` / `get_many_into`: appends up to `max` items
    /// to `out` under one take-lock acquisition, waiting for at least one
    /// while the buffer is empty and open. `max == 0` never waits.
    fn get_some(&self, out: &mut Vec<T>, max: usize) -> Result<usize, Refused> {
        let mut spun = false;
        let mut lane = self.lane(Side::Get);
        loop {
            let closed = self.refill(&mut lane, max.max(1));
            let n = max.min(lane.items.len());
            if n > 0 {
                out.extend(lane.items.drain(..n));
                self.removed(lane, n);
                return Ok(n);
            }
            if lane.items.is_empty() && closed {
                return Err(Refused::Closed);
            }
            if max == 0 {
                return Ok(0);
            }
            lane = self.block(Side::Get, lane, Wait::Until(None), &mut spun)?;
        }
    }

    /// Called, with `side`'s lock held (`lane`), by a putter that found no
    /// room or a getter that found no item: spins once per call (`spun`)
    /// with the lock released, and after that parks on the side's
    /// condition variable, counted in its lane's waiter count. Returns the
    /// lock, retaken, for the caller to look again: a return promises
    /// nothing (a wakeup may be spurious, or another thread may have been
    /// first). `Err(NotNow)` when the caller may not wait or its deadline
    /// has passed; the lock is released then.
    fn block<'a>(
        &'a self,
        side: Side,
        mut lane: MutexGuard<'a, Lane<T>>,
        wait: Wait,
        spun: &mut bool,
    ) -> Result<MutexGuard<'a, Lane<T>>, Refused> {
        let deadline = match wait {
            Wait::Never => return Err(Refused::NotNow),
            Wait::Until(deadline) => deadline,
        };
        // Before parking, once per call: let go of the lock and spin
        // briefly on the count. The other side usually comes within a
        // microsecond, and then neither pays for a park and a wake (see
        // `sync::spin`).
        if !*spun && spin::enabled() {
            *spun = true;
            drop(lane);
            let capacity = self.shared.capacity;
            spin::until(|| side.may_go_on(self.shared.count.load(Ordering::Relaxed), capacity));
            return Ok(self.lane(side));
        }
        let condvar = self.condvar(side);
        lane.waiting += 1;
        lane = match deadline {
            None => condvar.wait(lane),
            Some(deadline) => {
                if Instant::now() >= deadline {
                    lane.waiting -= 1;
                    return Err(Refused::NotNow);
                }
                condvar.wait_until(lane, deadline)
            }
        };
        lane.waiting -= 1;
        Ok(lane)
    }

    /// `drain` and, with `close`, `close_and_drain`: both locks at once, so
    /// that no put or get lands in between.
    fn drain_inner(&self, close: bool) -> Vec<T> {
        let mut take = self.lane(Side::Get);
        let mut put = self.lane(Side::Put);
        let closed_now = close && self.shared.count.fetch_or(CLOSED, ORDER) & CLOSED == 0;
        // Oldest first. Moving items runs no user code (no `T::drop`).
        let mut drained: Vec<T> = take.items.drain(..).collect();
        drained.extend(put.items.drain(..));
        let n = drained.len();
        if n > 0 {
            // With both locks held the count is exact.
            let before = self.shared.count.fetch_sub(n, ORDER) & !CLOSED;
            debug_assert_eq!(before, n);
        }
        // `task_done` may have run ahead of `get` for some of these items,
        // so the count can be smaller than what is drained.
        let unfinished = match self
            .shared
            .unfinished
            .fetch_update(ORDER, ORDER, |u| Some(u.saturating_sub(n)))
        {
            Ok(before) | Err(before) => before.saturating_sub(n),
        };
        let wake_putters = (n > 0 || closed_now) && put.waiting > 0;
        let wake_getters = closed_now && take.waiting > 0;
        drop(put);
        drop(take);
        if wake_putters {
            self.shared.not_full.notify_all();
        }
        if wake_getters {
            self.shared.not_empty.notify_all();
        }
        if n > 0 && unfinished == 0 {
            self.wake_joiners();
        }
        drained
    }

    fn join_inner(&self, deadline: Option<Instant>) -> bool {
        let mut joiners = self.shared.joiners.lock();
        // `task_done` takes this lock after it brings the count to zero,
        // so a zero it stores before this look is seen here, and one after
        // it is followed by a notification this wait receives.
        while self.shared.unfinished.load(ORDER) > 0 {
            *joiners += 1;
            joiners = match deadline {
                None => self.shared.all_done.wait(joiners),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        *joiners -= 1;
                        return false;
                    }
                    self.shared.all_done.wait_until(joiners, deadline)
                }
            };
            *joiners -= 1;
        }
        true
    }
}

impl<T> Clone for SharedBuffer<T> {
    /// Another handle to the same buffer.
    fn clone(&self) -> Self {
        SharedBuffer {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> fmt::Debug for SharedBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedBuffer")
            .field("len", &self.len())
            .field("capacity", &self.shared.capacity)
            .field("closed", &self.is_closed())
            .field("unfinished_tasks", &self.unfinished_tasks())
            .finish()
    }
}

#[cfg(all(test, not(any(loom, shuttle))))]
mod tests {
    //! The two lanes and their count: private, and so checked here, where
    //! both lanes can be looked at; the public calls are checked by the
    //! contract, proptest, loom and shuttle suites.

    use super::*;

    /// What the two lanes hold, oldest first, and whether the count says
    /// exactly that many, read with both locks held (the count is exact
    /// then).
    fn lanes<T: Clone>(buffer: &SharedBuffer<T>) -> (Vec<T>, bool) {
        let take = buffer.lane(Side::Get);
        let put = buffer.lane(Side::Put);
        let items: Vec<T> = take.items.iter().chain(put.items.iter()).cloned().collect();
        let counted = buffer.count() & !CLOSED == items.len();
        (items, counted)
    }

    #[test]
    fn the_count_is_what_both_lanes_hold_after_every_change() {
        let buffer = SharedBuffer::new(3);
        let check = |step: &str, expected: &[i32], closed: bool| {
            let (items, counted) = lanes(&buffer);
            assert_eq!(items, expected, "items after {step}");
            assert!(counted, "the count after {step}");
            assert_eq!(buffer.is_closed(), closed, "closed after {step}");
        };
        check("new", &[], false);
        buffer.put(1).unwrap();
        check("a put", &[1], false);
        buffer.put(2).unwrap();
        buffer.put(3).unwrap();
        check("puts that fill the buffer", &[1, 2, 3], false);
        assert_eq!(buffer.get(), Ok(1));
        check("a get, which moves the put lane over", &[2, 3], false);
        buffer.put(4).unwrap();
        check("a put behind the moved items", &[2, 3, 4], false);
        assert_eq!(buffer.get_many(2), Ok(vec![2, 3]));
        check("a get_many from the take lane", &[4], false);
        buffer.put_many([5, 6]).unwrap();
        assert_eq!(buffer.get_many(5), Ok(vec![4, 5, 6]));
        check("a get_many from both lanes", &[], false);
        buffer.put_many([7, 8]).unwrap();
        assert_eq!(buffer.get(), Ok(7));
        buffer.put(9).unwrap();
        assert_eq!(buffer.drain(), vec![8, 9]);
        check("a drain of both lanes", &[], false);
        buffer.try_put(10).unwrap();
        assert_eq!(buffer.try_get(), Ok(10));
        check("a try_put and a try_get", &[], false);
        buffer.put(11).unwrap();
        buffer.close();
        check("a close with an item left", &[11], true);
        assert_eq!(buffer.get(), Ok(11));
        check("a get of the last item after the close", &[], true);
        let other = SharedBuffer::new(2);
        other.put(12).unwrap();
        other.put(13).unwrap();
        assert_eq!(other.get(), Ok(12));
        other.put(14).unwrap();
        assert_eq!(other.close_and_drain(), vec![13, 14]);
        let (items, counted) = lanes(&other);
        assert!(items.is_empty() && counted && other.is_closed());
    }

    #[test]
    fn spinners_go_on_exactly_when_their_side_may_proceed() {
        let capacity = 4;
        for len in 0..=capacity {
            for closed in [false, true] {
                let count = len | if closed { CLOSED } else { 0 };
                assert_eq!(
                    Side::Put.may_go_on(count, capacity),
                    closed || len < capacity,
                    "putter, len {len}, closed {closed}"
                );
                assert_eq!(
                    Side::Get.may_go_on(count, capacity),
                    closed || len != 0,
                    "getter, len {len}, closed {closed}"
                );
            }
        }
    }

    // `close_and_drain` is crate-private (the pipeline's forceful
    // shutdown), so its waking is checked here; the pipeline's own
    // producers wait with timeouts and would hide a missed wakeup.

    /// Waits (without a deadline: a bug shows as a hang) until `f()`.
    fn wait_until(f: impl Fn() -> bool) {
        while !f() {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn close_and_drain_wakes_blocked_putters_with_their_items() {
        let buffer = SharedBuffer::new(1);
        buffer.put(0).unwrap();
        let putters: Vec<_> = (1..=2)
            .map(|n| {
                let buffer = buffer.clone();
                std::thread::spawn(move || buffer.put(n))
            })
            .collect();
        wait_until(|| buffer.lane(Side::Put).waiting == 2);
        assert_eq!(buffer.close_and_drain(), vec![0]);
        let mut back: Vec<i32> = putters
            .into_iter()
            .map(|p| p.join().unwrap().unwrap_err().into_inner())
            .collect();
        back.sort_unstable();
        assert_eq!(back, vec![1, 2]);
        assert!(buffer.is_closed() && buffer.is_empty());
    }

    #[test]
    fn close_and_drain_wakes_blocked_getters() {
        let buffer = SharedBuffer::<i32>::new(1);
        let getters: Vec<_> = (0..2)
            .map(|_| {
                let buffer = buffer.clone();
                std::thread::spawn(move || buffer.get())
            })
            .collect();
        wait_until(|| buffer.lane(Side::Get).waiting == 2);
        assert_eq!(buffer.close_and_drain(), Vec::<i32>::new());
        for getter in getters {
            assert_eq!(getter.join().unwrap(), Err(GetError));
        }
    }

    #[test]
    fn close_and_drain_wakes_joiners_once_no_task_is_left() {
        let buffer = SharedBuffer::new(2);
        buffer.put(1).unwrap();
        buffer.put(2).unwrap();
        let joiner = {
            let buffer = buffer.clone();
            std::thread::spawn(move || buffer.join())
        };
        wait_until(|| *buffer.shared.joiners.lock() == 1);
        assert_eq!(buffer.close_and_drain(), vec![1, 2]);
        joiner.join().unwrap();
        assert_eq!(buffer.unfinished_tasks(), 0);
    }
}
