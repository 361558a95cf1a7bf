//! `SharedBuffer<T>`: a bounded, blocking, closable FIFO buffer with
//! `queue.Queue`-style task accounting. This file is the public API and
//! its contract; the protocol is in `lanes.rs` and `wait.rs`.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use crate::error::{
    GetError, GetTimeoutError, PutError, PutManyError, PutTimeoutError, TaskDoneError, TryGetError,
    TryPutError,
};
use crate::sync::{Arc, Instant};

mod lanes;
#[cfg(all(test, not(model)))]
mod tests;
mod wait;

use lanes::Shared;
use wait::{Refused, Wait};

/// A bounded, blocking, closable FIFO buffer shared by producers and
/// consumers.
///
/// `SharedBuffer` is a cheap handle: [`Clone`] it to share it between
/// threads; every clone refers to the same buffer. It holds at most
/// [`capacity`](Self::capacity) items. [`put`](Self::put) waits while it is
/// full and [`get`](Self::get) waits while it is empty, as Python's
/// `threading.Condition` buffer in the Python original does; `try_*` variants
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

/// What a get takes: an item, or (in the pipeline's buffer only) the
/// signal for one consumer to stop.
///
/// A typed pill rather than a sentinel value, so that no item can ever be
/// mistaken for one; and a count in the buffer rather than a value in a
/// slot (`put_pills`), so that a slot holds an item and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Message<T> {
    /// A work item.
    Item(T),
    /// Tells the consumer that takes it to finish.
    PoisonPill,
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
            shared: Arc::new(Shared::new(capacity)),
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
        match self.shared.put(item, Wait::Forever) {
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
        match self.shared.put(item, Wait::Never) {
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
        match self.shared.put(item, Wait::from_timeout(timeout)) {
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
        self.get_item(Wait::Forever).map_err(|_| GetError)
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
        self.get_item(Wait::Never).map_err(|refused| match refused {
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
        self.get_item(Wait::from_timeout(timeout))
            .map_err(|refused| match refused {
                Refused::NotNow => GetTimeoutError::Timeout,
                Refused::Closed => GetTimeoutError::Closed,
            })
    }

    /// The public gets' core. Only the pipeline puts pills, in a buffer of
    /// its own that no user holds, so no public get meets one; if one did,
    /// it would end that get as a close does.
    fn get_item(&self, wait: Wait) -> Result<T, Refused> {
        match self.shared.get(wait)? {
            Message::Item(item) => Ok(item),
            Message::PoisonPill => Err(Refused::Closed),
        }
    }

    /// The pipeline consumer's get: the front item, or a pill once the
    /// buffer is empty and a pill is queued (`put_pills`), waiting while
    /// there is neither.
    pub(crate) fn get_message(&self) -> Result<Message<T>, GetError> {
        self.shared.get(Wait::Forever).map_err(|_| GetError)
    }

    /// Queues `n` poison pills behind every item put so far, without
    /// waiting (a pill takes no slot): the next `n` gets that find the
    /// buffer empty each take one. For the pipeline's graceful shutdown,
    /// after every producer has returned.
    pub(crate) fn put_pills(&self, n: usize) {
        self.shared.put_pills(n);
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
            if self.shared.put_some(&mut chunk).is_err() {
                return Err(PutManyError::new(Vec::from(chunk), items));
            }
        }
    }

    /// Takes up to `max` items from the front of the buffer, oldest first,
    /// waiting while it is empty and open.
    ///
    /// Waits for at least one item, then takes the items there are, up to
    /// `max`, under one lock acquisition: it never waits for a batch to
    /// fill up. With no concurrent put it takes every item there is, up to
    /// `max`; while a put is under way it may take fewer: an item whose put
    /// has not finished yet (the putter holds the other lane's lock) is
    /// left for the next call. Order and exactly-once delivery hold either
    /// way; only the batch's size is weaker than "everything buffered". Like [`get`](Self::get), after [`close`](Self::close) it
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
    /// before the lock is taken. On error `out` is left as it was. When
    /// `out` is empty and the call takes every item the buffer's get side
    /// holds, the two may trade storage instead of copying the items: `out`
    /// then comes back with the buffer's allocation, which holds the batch
    /// and is at least half the size of the one `out` had (the buffer
    /// takes `out`'s only if it is no smaller than its own and at most
    /// twice as large), so a loop that drains `out` between calls still
    /// allocates nothing.
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
        self.shared.get_some(out, max).map_err(|_| GetError)
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
        self.shared.close()
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
        self.shared.drain(false)
    }

    /// Closes the buffer and takes everything buffered, with both locks held
    /// (so that no put or get lands in between); wakes every waiter, as
    /// `close` and `drain` do.
    pub(crate) fn close_and_drain(&self) -> Vec<T> {
        self.shared.drain(true)
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
        self.shared.task_done()
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
        let finished = self.shared.join(None);
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
        self.shared.join(Instant::after(timeout))
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
        self.shared.len()
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
        self.shared.is_closed()
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
        self.shared.unfinished()
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
