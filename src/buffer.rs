//! `SharedBuffer<T>`: a bounded, blocking, closable FIFO buffer with
//! `queue.Queue`-style task accounting.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use crate::error::{
    GetError, GetTimeoutError, PutError, PutTimeoutError, TaskDoneError, TryGetError, TryPutError,
};
use crate::sync::atomic::Ordering;
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

/// The state behind every handle.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Putters wait here for room.
    not_full: Condvar,
    /// Getters wait here for an item (or for the close).
    not_empty: Condvar,
    /// `join` waits here for the unfinished-task count to reach zero.
    all_done: Condvar,
    capacity: usize,
    /// `items.len()`, with [`CLOSED`] set once closed: written under the
    /// lock after every change, read without it by a putter or getter that
    /// spins before it parks (see `sync::spin`). Only a hint: every
    /// decision is made again under the lock.
    hint: spin::Hint,
}

/// The bit of [`Shared::hint`] that says "closed".
const CLOSED: usize = 1 << (usize::BITS - 1);

struct State<T> {
    items: VecDeque<T>,
    closed: bool,
    /// Items put and not yet marked done (by `task_done` or `drain`).
    unfinished: usize,
    // Threads blocked in each wait: notifications are sent only when someone
    // is there to receive them, which skips a syscall on most puts and gets.
    waiting_putters: usize,
    waiting_getters: usize,
    waiting_joiners: usize,
    /// What [`Shared::hint`] says now, so that it is stored only when what
    /// the spinners ask of it changes (see `publish`).
    published: usize,
}

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

/// Which side of the buffer a blocked thread is on.
#[derive(Clone, Copy)]
enum Side {
    /// A putter, waiting for room.
    Put,
    /// A getter, waiting for an item or the close.
    Get,
}

impl Side {
    /// Whether a spinner on this side should stop spinning and look under
    /// the lock, judging by `hint` (see [`Shared::hint`]): a putter when
    /// the buffer is closed or not full, a getter when it is closed or not
    /// empty.
    fn may_go_on(self, hint: usize, capacity: usize) -> bool {
        let closed = hint & CLOSED != 0;
        let len = hint & !CLOSED;
        closed
            || match self {
                Side::Put => len < capacity,
                Side::Get => len != 0,
            }
    }

    /// This side's waiter count.
    fn waiters<T>(self, state: &mut State<T>) -> &mut usize {
        match self {
            Side::Put => &mut state.waiting_putters,
            Side::Get => &mut state.waiting_getters,
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
                state: Mutex::new(State {
                    items: VecDeque::with_capacity(capacity.min(4096)),
                    closed: false,
                    unfinished: 0,
                    waiting_putters: 0,
                    waiting_getters: 0,
                    waiting_joiners: 0,
                    published: 0,
                }),
                not_full: Condvar::new(),
                not_empty: Condvar::new(),
                all_done: Condvar::new(),
                capacity,
                hint: spin::Hint::new(0),
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
    /// Items are taken from `items` with the buffer's lock released (the
    /// iterator is user code), at most one chunk ahead of what is put.
    /// An empty `items` puts nothing and returns `Ok(())`, even on a closed
    /// buffer.
    ///
    /// # Errors
    ///
    /// If the buffer is or becomes closed before every item is in,
    /// [`PutError`] with the items that were not put, in order: the ones
    /// already taken from `items` and then the rest of `items`, which is
    /// collected for that. (So on a buffer that may be closed, pass a
    /// bounded iterator: an endless one would be collected forever.) The
    /// items put before the close stay in the buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{PutError, SharedBuffer};
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
    /// // On a closed buffer the items come back.
    /// assert_eq!(buffer.put_many([100, 101]), Err(PutError(vec![100, 101])));
    /// ```
    pub fn put_many<I>(&self, items: I) -> Result<(), PutError<Vec<T>>>
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
                let mut back = Vec::from(chunk);
                back.extend(items);
                return Err(PutError(back));
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
        let mut state = self.lock();
        if state.closed {
            return false;
        }
        state.closed = true;
        self.publish(&mut state);
        let wake_putters = state.waiting_putters > 0;
        let wake_getters = state.waiting_getters > 0;
        drop(state);
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
        let mut state = self.lock();
        let drained: Vec<T> = state.items.drain(..).collect();
        self.publish(&mut state);
        // `task_done` may have run ahead of `get` for some of these items,
        // so the count can be smaller than what is drained.
        state.unfinished = state.unfinished.saturating_sub(drained.len());
        let wake_putters = !drained.is_empty() && state.waiting_putters > 0;
        let wake_joiners = state.unfinished == 0 && state.waiting_joiners > 0;
        drop(state);
        if wake_putters {
            self.shared.not_full.notify_all();
        }
        if wake_joiners {
            self.shared.all_done.notify_all();
        }
        drained
    }

    /// Closes the buffer and takes everything buffered, under one lock, so
    /// that no getter can take an item in between; wakes every waiter, as
    /// `close` and `drain` do.
    pub(crate) fn close_and_drain(&self) -> Vec<T> {
        let mut state = self.lock();
        state.closed = true;
        let drained: Vec<T> = state.items.drain(..).collect();
        self.publish(&mut state);
        state.unfinished = state.unfinished.saturating_sub(drained.len());
        let wake_putters = state.waiting_putters > 0;
        let wake_getters = state.waiting_getters > 0;
        let wake_joiners = state.unfinished == 0 && state.waiting_joiners > 0;
        drop(state);
        if wake_putters {
            self.shared.not_full.notify_all();
        }
        if wake_getters {
            self.shared.not_empty.notify_all();
        }
        if wake_joiners {
            self.shared.all_done.notify_all();
        }
        drained
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
        let mut state = self.lock();
        if state.unfinished == 0 {
            return Err(TaskDoneError);
        }
        state.unfinished -= 1;
        let wake_joiners = state.unfinished == 0 && state.waiting_joiners > 0;
        drop(state);
        if wake_joiners {
            self.shared.all_done.notify_all();
        }
        Ok(())
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
        self.lock().items.len()
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
        self.lock().items.is_empty()
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
        self.lock().items.len() >= self.shared.capacity
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
        self.lock().closed
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
        self.lock().unfinished
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.shared.state.lock()
    }

    /// Updates the spinners' hint; called under the lock after every
    /// change to `items` or `closed`.
    ///
    /// Spinners ask only "closed?", "empty?" and "full?", so the hint is
    /// stored only when one of those answers changes: a put into a buffer
    /// that was neither empty nor full, the common case of a busy one,
    /// writes nothing, and leaves the hint's cache line where it is.
    fn publish(&self, state: &mut State<T>) {
        let closed = if state.closed { CLOSED } else { 0 };
        let now = state.items.len() | closed;
        let capacity = self.shared.capacity;
        let answers = |hint: usize| {
            (
                hint & CLOSED,
                hint & !CLOSED == 0,
                hint & !CLOSED >= capacity,
            )
        };
        if answers(now) != answers(state.published) {
            state.published = now;
            self.shared.hint.store(now, Ordering::Relaxed);
        }
    }

    /// The one put that every public single-item put funnels into.
    fn put_inner(&self, item: T, wait: Wait) -> Result<(), (T, Refused)> {
        let mut spun = false;
        let mut state = self.lock();
        loop {
            if state.closed {
                return Err((item, Refused::Closed));
            }
            if state.items.len() < self.shared.capacity {
                state.items.push_back(item);
                state.unfinished += 1;
                self.publish(&mut state);
                let wake_getter = state.waiting_getters > 0;
                drop(state);
                if wake_getter {
                    self.shared.not_empty.notify_one();
                }
                return Ok(());
            }
            // Full: wait for room, or give up. The condition is checked
            // again after every wakeup (a loop, not an `if`): a wakeup may
            // be spurious, or another putter may have taken the room.
            state = match self.block(Side::Put, state, wait, &mut spun) {
                Ok(state) => state,
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
        let mut state = self.lock();
        loop {
            if state.closed {
                return Err(Refused::Closed);
            }
            let room = self.shared.capacity - state.items.len();
            if room > 0 {
                let n = room.min(chunk.len());
                // Moving items runs no user code (no `T::drop`).
                state.items.extend(chunk.drain(..n));
                state.unfinished += n;
                self.publish(&mut state);
                let waiting = state.waiting_getters;
                drop(state);
                wake(&self.shared.not_empty, waiting, n);
                return Ok(());
            }
            state = self.block(Side::Put, state, Wait::Until(None), &mut spun)?;
        }
    }

    /// The one get that every public single-item get funnels into.
    fn get_inner(&self, wait: Wait) -> Result<T, Refused> {
        let mut spun = false;
        let mut state = self.lock();
        loop {
            // Items first: a getter woken by a notification that also timed
            // out takes the item it was woken for, so the notification is
            // never lost with it.
            if let Some(item) = state.items.pop_front() {
                self.publish(&mut state);
                let wake_putter = state.waiting_putters > 0;
                drop(state);
                if wake_putter {
                    self.shared.not_full.notify_one();
                }
                return Ok(item);
            }
            if state.closed {
                return Err(Refused::Closed);
            }
            state = self.block(Side::Get, state, wait, &mut spun)?;
        }
    }

    /// The core of `get_many` / `get_many_into`: appends up to `max` items
    /// to `out` under one lock acquisition, waiting for at least one while
    /// the buffer is empty and open. `max == 0` never waits.
    fn get_some(&self, out: &mut Vec<T>, max: usize) -> Result<usize, Refused> {
        let mut spun = false;
        let mut state = self.lock();
        loop {
            let n = max.min(state.items.len());
            if n > 0 {
                out.extend(state.items.drain(..n));
                self.publish(&mut state);
                let waiting = state.waiting_putters;
                drop(state);
                wake(&self.shared.not_full, waiting, n);
                return Ok(n);
            }
            if state.closed && state.items.is_empty() {
                return Err(Refused::Closed);
            }
            if max == 0 {
                return Ok(0);
            }
            state = self.block(Side::Get, state, Wait::Until(None), &mut spun)?;
        }
    }

    /// Called, with the lock held, by a putter that found no room
    /// (`Side::Put`) or a getter that found no item (`Side::Get`): spins
    /// once per call (`spun`) with the lock released, and after that parks
    /// on the side's condition variable, counted in its waiter count.
    /// Returns the lock, retaken, for the caller to look again: a return
    /// promises nothing (a wakeup may be spurious, or another thread may
    /// have been first). `Err(NotNow)` when the caller may not wait or its
    /// deadline has passed; the lock is released then.
    fn block<'a>(
        &'a self,
        side: Side,
        mut state: MutexGuard<'a, State<T>>,
        wait: Wait,
        spun: &mut bool,
    ) -> Result<MutexGuard<'a, State<T>>, Refused> {
        let deadline = match wait {
            Wait::Never => return Err(Refused::NotNow),
            Wait::Until(deadline) => deadline,
        };
        // Before parking, once per call: let go of the lock and spin
        // briefly. The other side usually comes within a microsecond, and
        // then neither pays for a park and a wake (see `sync::spin`).
        if !*spun && spin::enabled() {
            *spun = true;
            drop(state);
            let capacity = self.shared.capacity;
            spin::until(|| side.may_go_on(self.shared.hint.load(Ordering::Relaxed), capacity));
            return Ok(self.lock());
        }
        let condvar = match side {
            Side::Put => &self.shared.not_full,
            Side::Get => &self.shared.not_empty,
        };
        *side.waiters(&mut state) += 1;
        state = match deadline {
            None => condvar.wait(state),
            Some(deadline) => {
                if Instant::now() >= deadline {
                    *side.waiters(&mut state) -= 1;
                    return Err(Refused::NotNow);
                }
                condvar.wait_until(state, deadline)
            }
        };
        *side.waiters(&mut state) -= 1;
        Ok(state)
    }

    fn join_inner(&self, deadline: Option<Instant>) -> bool {
        let mut state = self.lock();
        while state.unfinished > 0 {
            state.waiting_joiners += 1;
            state = match deadline {
                None => self.shared.all_done.wait(state),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        state.waiting_joiners -= 1;
                        return false;
                    }
                    self.shared.all_done.wait_until(state, deadline)
                }
            };
            state.waiting_joiners -= 1;
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
        let state = self.lock();
        f.debug_struct("SharedBuffer")
            .field("len", &state.items.len())
            .field("capacity", &self.shared.capacity)
            .field("closed", &state.closed)
            .field("unfinished_tasks", &state.unfinished)
            .finish()
    }
}

#[cfg(all(test, not(any(loom, shuttle))))]
mod tests {
    //! The spinners' hint: private, advisory (a wrong hint would only make
    //! spinners give up early or late, which no public call can observe),
    //! and so checked here, against the state the public calls report.

    use super::*;

    /// What the hint says: (closed, empty, full).
    fn hint_says<T>(buffer: &SharedBuffer<T>) -> (bool, bool, bool) {
        let hint = buffer.shared.hint.load(Ordering::Relaxed);
        let len = hint & !CLOSED;
        (hint & CLOSED != 0, len == 0, len >= buffer.capacity())
    }

    /// What the buffer says of itself.
    fn state_says<T>(buffer: &SharedBuffer<T>) -> (bool, bool, bool) {
        (buffer.is_closed(), buffer.is_empty(), buffer.is_full())
    }

    #[test]
    fn the_hint_answers_closed_empty_and_full_after_every_change() {
        let buffer = SharedBuffer::new(3);
        let check = |step: &str| {
            assert_eq!(hint_says(&buffer), state_says(&buffer), "after {step}");
        };
        check("new");
        buffer.put(1).unwrap();
        check("a put into an empty buffer");
        buffer.put(2).unwrap();
        check("a put into a buffer neither empty nor full");
        buffer.put(3).unwrap();
        check("a put that fills the buffer");
        buffer.get().unwrap();
        check("a get from a full buffer");
        buffer.get_many(5).unwrap();
        check("a get_many that empties it");
        buffer.put_many([4, 5, 6]).unwrap();
        check("a put_many that fills it");
        buffer.drain();
        check("a drain");
        buffer.try_put(7).unwrap();
        buffer.try_get().unwrap();
        check("a try_put and a try_get");
        buffer.put(8).unwrap();
        buffer.close();
        check("a close with an item left");
        buffer.get().unwrap();
        check("a get of the last item after the close");
        let other = SharedBuffer::new(1);
        other.put(9).unwrap();
        assert_eq!(other.close_and_drain(), vec![9]);
        assert_eq!(
            hint_says(&other),
            (true, true, false),
            "after close_and_drain"
        );
    }

    #[test]
    fn spinners_go_on_exactly_when_their_side_may_proceed() {
        let capacity = 4;
        for len in 0..=capacity {
            for closed in [false, true] {
                let hint = len | if closed { CLOSED } else { 0 };
                assert_eq!(
                    Side::Put.may_go_on(hint, capacity),
                    closed || len < capacity,
                    "putter, len {len}, closed {closed}"
                );
                assert_eq!(
                    Side::Get.may_go_on(hint, capacity),
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
        wait_until(|| buffer.lock().waiting_putters == 2);
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
        wait_until(|| buffer.lock().waiting_getters == 2);
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
        wait_until(|| buffer.lock().waiting_joiners == 1);
        assert_eq!(buffer.close_and_drain(), vec![1, 2]);
        joiner.join().unwrap();
        assert_eq!(buffer.unfinished_tasks(), 0);
    }
}
