//! A split pair of handles on one [`SharedBuffer`]: [`bounded`] returns a
//! [`Sender`] and a [`Receiver`], crossbeam-channel's shape, and the buffer
//! closes itself when one side has no handle left.
//!
//! * When the last [`Sender`] is dropped, the buffer is closed: receivers
//!   still get every buffered item, in order, and then the end
//!   ([`GetError`], or `None` from an iterator). No one has to remember to
//!   call `close`.
//! * When the last [`Receiver`] is dropped, the buffer is closed and the
//!   items still in it are dropped at once (nobody can take them any
//!   more): every send, waiting or later, fails with its item back
//!   ([`PutError`] and friends), and the dropped items no longer count as
//!   unfinished tasks, so a [`Sender::join`] waiting on them returns.
//!
//! Both are nothing but [`SharedBuffer::close`] (and, for the receivers,
//! the same close-and-drain as the pipeline's forceful shutdown) called by
//! the right drop: the model-checked buffer does all the waking. What is
//! new here is which drop is the last one, a count per side, and that is
//! model-checked too (`loom-tests/channel.rs`, under loom and shuttle).
//!
//! The explicit calls stay: either side may [`close`](Sender::close)
//! early, receivers can [`drain`](Receiver::drain), mark items
//! [`task_done`](Receiver::task_done) and either side can
//! [`join`](Sender::join), and both sides have the batch calls.
//!
//! # Examples
//!
//! Workers that stop when the producer is done, with no `close` to forget
//! (the README's "Coming from crossbeam-channel" section maps the rest):
//!
//! ```
//! # if prodcon::__private::MODEL_BUILD { return; }
//! use std::thread;
//!
//! let (tx, rx) = prodcon::bounded(16);
//! let workers: Vec<_> = (0..4)
//!     .map(|_| {
//!         let rx = rx.clone();
//!         thread::spawn(move || rx.iter().map(|n: u64| n * n).sum::<u64>())
//!     })
//!     .collect();
//! drop(rx);
//! for n in 1..=100 {
//!     tx.send(n).unwrap();
//! }
//! drop(tx); // every worker's loop ends once the buffer is empty
//! let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
//! assert_eq!(total, (1..=100u64).map(|n| n * n).sum());
//! ```

use std::fmt;
use std::time::Duration;

use crate::buffer::SharedBuffer;
use crate::error::{
    GetError, GetTimeoutError, PutError, PutManyError, PutTimeoutError, TaskDoneError, TryGetError,
    TryPutError,
};
use crate::fault::{self, Fault};
use crate::iter::{IntoIter, Iter, TryIter};
use crate::sync::Arc;
use crate::sync::atomic::{AtomicUsize, Ordering};

/// Creates a buffer that holds at most `capacity` items and returns its two
/// ends: clone either to get more handles on the same side.
///
/// Unlike crossbeam's `bounded(0)`, there is no rendezvous channel: a
/// capacity of zero panics, as [`SharedBuffer::new`] does.
///
/// # Panics
///
/// Panics if `capacity` is zero.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use std::thread;
///
/// let (tx, rx) = prodcon::bounded(4);
/// let producers: Vec<_> = (0..3)
///     .map(|p| {
///         let tx = tx.clone();
///         thread::spawn(move || {
///             for i in 0..10 {
///                 tx.send(p * 10 + i).unwrap();
///             }
///         }) // this sender is dropped here
///     })
///     .collect();
/// drop(tx); // the last sender is now in the producers' hands
/// let mut received: Vec<u32> = rx.iter().collect(); // ends after their drops
/// received.sort_unstable();
/// assert_eq!(received, (0..30).collect::<Vec<_>>());
/// # for p in producers { p.join().unwrap(); }
/// ```
pub fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let buffer = SharedBuffer::new(capacity);
    let counts = Arc::new(Counts {
        senders: AtomicUsize::new(1),
        receivers: AtomicUsize::new(1),
    });
    let sender = Sender {
        buffer: buffer.clone(),
        counts: Arc::clone(&counts),
    };
    let receiver = Receiver { buffer, counts };
    (sender, receiver)
}

/// How many handles of each side are alive.
struct Counts {
    senders: AtomicUsize,
    receivers: AtomicUsize,
}

/// Counts one more handle, made from a live one.
///
/// `Relaxed`, as `Arc::clone` does: the handle being cloned keeps the count
/// at least 1 throughout, so no drop can see it reach zero because of this
/// clone's timing, and nothing else is published by the increment.
fn acquire(count: &AtomicUsize) {
    if fault::active(Fault::HandleCountOffByOne) {
        return;
    }
    count.fetch_add(1, Ordering::Relaxed);
}

/// Counts one handle fewer; `true` if it was the last of its side.
///
/// One read-modify-write, so that of two handles dropped at once exactly
/// one sees the count go from 1 to 0. `AcqRel`, as `Arc`'s drop (a release
/// decrement, an acquire before the last one acts): everything the other
/// handles of the side did before their drops (their sends) happens before
/// the last one closes the buffer.
fn release(count: &AtomicUsize) -> bool {
    if fault::active(Fault::HandleCountRace) {
        let before = count.load(Ordering::Acquire);
        // Wrapping, as `fetch_sub` does: a count this bug already took to
        // zero must not add an overflow panic of its own.
        count.store(before.wrapping_sub(1), Ordering::Release);
        return before == 1;
    }
    count.fetch_sub(1, Ordering::AcqRel) == 1
}

/// The sending end made by [`bounded`]; clone it for more senders.
///
/// When the last sender (clones included) is dropped, the buffer closes:
/// receivers get what is buffered, then the end.
///
/// It is `Send` and `Sync` whenever `T: Send`.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// let (tx, rx) = prodcon::bounded(2);
/// tx.send("hello").unwrap();
/// drop(tx); // closes the buffer
/// assert_eq!(rx.recv(), Ok("hello")); // what is buffered still comes
/// assert!(rx.recv().is_err()); // then the end
/// ```
pub struct Sender<T> {
    buffer: SharedBuffer<T>,
    counts: Arc<Counts>,
}

/// The receiving end made by [`bounded`]; clone it for more receivers
/// (each item goes to exactly one of them).
///
/// When the last receiver (clones included) is dropped, the buffer closes
/// and the items left in it are dropped: every send fails with its item
/// back.
///
/// It is `Send` and `Sync` whenever `T: Send`.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::PutError;
///
/// let (tx, rx) = prodcon::bounded(2);
/// tx.send(1).unwrap();
/// drop(rx); // closes the buffer, drops the 1
/// assert_eq!(tx.send(2), Err(PutError(2)));
/// assert!(tx.is_empty());
/// ```
pub struct Receiver<T> {
    buffer: SharedBuffer<T>,
    counts: Arc<Counts>,
}

impl<T> Sender<T> {
    /// Sends `item`, waiting while the buffer is full
    /// ([`SharedBuffer::put`]).
    ///
    /// # Errors
    ///
    /// [`PutError`] with the item inside if the buffer is closed: every
    /// receiver is gone, or someone called `close`.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(5).unwrap();
    /// assert_eq!(rx.recv(), Ok(5));
    /// ```
    pub fn send(&self, item: T) -> Result<(), PutError<T>> {
        self.buffer.put(item)
    }

    /// Sends `item` if there is room now, without waiting
    /// ([`SharedBuffer::try_put`]).
    ///
    /// # Errors
    ///
    /// [`TryPutError::Full`] or [`TryPutError::Closed`], with the item.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::TryPutError;
    ///
    /// let (tx, rx) = prodcon::bounded(1);
    /// assert_eq!(tx.try_send(1), Ok(()));
    /// assert_eq!(tx.try_send(2), Err(TryPutError::Full(2)));
    /// drop(rx);
    /// assert_eq!(tx.try_send(3), Err(TryPutError::Closed(3)));
    /// ```
    pub fn try_send(&self, item: T) -> Result<(), TryPutError<T>> {
        self.buffer.try_put(item)
    }

    /// Sends `item`, waiting at most `timeout` for room
    /// ([`SharedBuffer::put_timeout`]).
    ///
    /// # Errors
    ///
    /// [`PutTimeoutError::Timeout`] or [`PutTimeoutError::Closed`], with
    /// the item.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::PutTimeoutError;
    /// use std::time::Duration;
    ///
    /// let (tx, _rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// assert_eq!(
    ///     tx.send_timeout(2, Duration::from_millis(10)),
    ///     Err(PutTimeoutError::Timeout(2)),
    /// );
    /// ```
    pub fn send_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        self.buffer.put_timeout(item, timeout)
    }

    /// Sends every item of `items` in order, as many per lock acquisition
    /// as there is room for, waiting while full
    /// ([`SharedBuffer::put_many`]).
    ///
    /// # Errors
    ///
    /// [`PutManyError`] if the buffer is or becomes closed: the items
    /// already taken from `items` and not sent, in order, and the iterator
    /// with the rest, untouched (an endless iterator is fine).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(8);
    /// tx.send_many(1..=3).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn send_many<I>(&self, items: I) -> Result<(), PutManyError<T, I::IntoIter>>
    where
        I: IntoIterator<Item = T>,
    {
        self.buffer.put_many(items)
    }

    /// Closes the buffer now, for both sides, without waiting for the
    /// other senders to be dropped ([`SharedBuffer::close`]). Returns
    /// `true` the first time.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(2);
    /// let tx2 = tx.clone();
    /// tx.send(1).unwrap();
    /// assert!(tx.close()); // tx2 is alive, but the buffer is closed
    /// assert!(tx2.send(2).is_err());
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [1]);
    /// ```
    pub fn close(&self) -> bool {
        self.buffer.close()
    }

    /// Waits until every item sent has been marked
    /// [`task_done`](Receiver::task_done) or dropped (by a
    /// [`drain`](Receiver::drain) or by the last receiver's drop)
    /// ([`SharedBuffer::join`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use std::thread;
    ///
    /// let (tx, rx) = prodcon::bounded(4);
    /// let worker = thread::spawn(move || {
    ///     for _item in rx.iter() {
    ///         rx.task_done().unwrap();
    ///     }
    /// });
    /// tx.send_many(0..10).unwrap();
    /// tx.join(); // all 10 processed
    /// drop(tx); // ends the worker's loop
    /// worker.join().unwrap();
    /// ```
    pub fn join(&self) {
        self.buffer.join()
    }

    /// Like [`join`](Self::join), but waits at most `timeout`; `true` if
    /// every task was finished ([`SharedBuffer::join_timeout`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use std::time::Duration;
    ///
    /// let (tx, _rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(!tx.join_timeout(Duration::from_millis(10)));
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.buffer.join_timeout(timeout)
    }

    /// Items sent and not yet marked done ([`SharedBuffer::unfinished_tasks`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, _rx) = prodcon::bounded(2);
    /// tx.send(1).unwrap();
    /// assert_eq!(tx.unfinished_tasks(), 1);
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        self.buffer.unfinished_tasks()
    }

    /// Items buffered now ([`SharedBuffer::len`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, _rx) = prodcon::bounded(2);
    /// tx.send(1).unwrap();
    /// assert_eq!(tx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.buffer.len()
    }

    /// `true` if nothing is buffered now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, _rx) = prodcon::bounded::<u8>(2);
    /// assert!(tx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// `true` if the buffer is full now: a [`send`](Self::send) would wait.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, _rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(tx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.buffer.is_full()
    }

    /// The most items the buffer holds.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, _rx) = prodcon::bounded::<u8>(3);
    /// assert_eq!(tx.capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.buffer.capacity()
    }

    /// `true` once the buffer is closed: by a `close`, by the last
    /// receiver's drop, or by the last sender's.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded::<u8>(1);
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.buffer.is_closed()
    }
}

impl<T> Receiver<T> {
    /// The buffer behind this receiver (for [`IntoIter`]).
    pub(crate) fn buffer(&self) -> &SharedBuffer<T> {
        &self.buffer
    }

    /// Receives the oldest item, waiting while the buffer is empty and open
    /// ([`SharedBuffer::get`]).
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty: every sender is
    /// gone (or someone called `close`) and every item has been taken.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::GetError;
    ///
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.recv(), Ok(1));
    /// assert_eq!(rx.recv(), Err(GetError));
    /// ```
    pub fn recv(&self) -> Result<T, GetError> {
        self.buffer.get()
    }

    /// Receives the oldest item if there is one now, without waiting
    /// ([`SharedBuffer::try_get`]).
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
    /// use prodcon::TryGetError;
    ///
    /// let (tx, rx) = prodcon::bounded::<u8>(1);
    /// assert_eq!(rx.try_recv(), Err(TryGetError::Empty));
    /// drop(tx);
    /// assert_eq!(rx.try_recv(), Err(TryGetError::Closed));
    /// ```
    pub fn try_recv(&self) -> Result<T, TryGetError> {
        self.buffer.try_get()
    }

    /// Receives the oldest item, waiting at most `timeout` for one
    /// ([`SharedBuffer::get_timeout`]).
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
    /// use prodcon::GetTimeoutError;
    /// use std::time::Duration;
    ///
    /// let (_tx, rx) = prodcon::bounded::<u8>(1);
    /// assert_eq!(
    ///     rx.recv_timeout(Duration::from_millis(10)),
    ///     Err(GetTimeoutError::Timeout),
    /// );
    /// ```
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        self.buffer.get_timeout(timeout)
    }

    /// Receives up to `max` items under one lock acquisition, waiting for at
    /// least one while the buffer is empty and open
    /// ([`SharedBuffer::get_many`]).
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(8);
    /// tx.send_many(1..=5).unwrap();
    /// assert_eq!(rx.recv_many(3), Ok(vec![1, 2, 3]));
    /// assert_eq!(rx.recv_many(3), Ok(vec![4, 5]));
    /// ```
    pub fn recv_many(&self, max: usize) -> Result<Vec<T>, GetError> {
        self.buffer.get_many(max)
    }

    /// Like [`recv_many`](Self::recv_many), but appends to `out` and returns
    /// how many items it appended ([`SharedBuffer::get_many_into`]).
    ///
    /// # Errors
    ///
    /// [`GetError`] once the buffer is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(8);
    /// tx.send_many([1, 2]).unwrap();
    /// let mut out = Vec::new();
    /// assert_eq!(rx.recv_many_into(&mut out, 8), Ok(2));
    /// assert_eq!(out, [1, 2]);
    /// ```
    pub fn recv_many_into(&self, out: &mut Vec<T>, max: usize) -> Result<usize, GetError> {
        self.buffer.get_many_into(out, max)
    }

    /// A blocking iterator over the items, which ends once every sender is
    /// gone (or the buffer was closed) and the buffer is empty
    /// ([`SharedBuffer::iter`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use std::thread;
    ///
    /// let (tx, rx) = prodcon::bounded(2);
    /// thread::spawn(move || tx.send_many(1..=4).unwrap()); // drops tx at the end
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2, 3, 4]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        self.buffer.iter()
    }

    /// A non-blocking iterator over the items buffered now
    /// ([`SharedBuffer::try_iter`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(4);
    /// tx.send_many([1, 2]).unwrap();
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]); // tx is alive: no wait
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        self.buffer.try_iter()
    }

    /// Takes every buffered item now, without waiting, oldest first; they
    /// no longer count as unfinished tasks ([`SharedBuffer::drain`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(4);
    /// tx.send_many([1, 2, 3]).unwrap();
    /// assert_eq!(rx.drain(), [1, 2, 3]);
    /// assert_eq!(tx.unfinished_tasks(), 0);
    /// ```
    pub fn drain(&self) -> Vec<T> {
        self.buffer.drain()
    }

    /// Marks one received item as finished ([`SharedBuffer::task_done`]).
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] if there is no unfinished task.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::TaskDoneError;
    ///
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// rx.recv().unwrap();
    /// assert_eq!(rx.task_done(), Ok(()));
    /// assert_eq!(rx.task_done(), Err(TaskDoneError));
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        self.buffer.task_done()
    }

    /// Waits until every item sent has been marked done or dropped
    /// ([`SharedBuffer::join`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// rx.recv().unwrap();
    /// rx.task_done().unwrap();
    /// rx.join(); // returns at once: nothing unfinished
    /// ```
    pub fn join(&self) {
        self.buffer.join()
    }

    /// Like [`join`](Self::join), but waits at most `timeout`; `true` if
    /// every task was finished.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use std::time::Duration;
    ///
    /// let (_tx, rx) = prodcon::bounded::<u8>(1);
    /// assert!(rx.join_timeout(Duration::from_millis(10)));
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.buffer.join_timeout(timeout)
    }

    /// Items sent and not yet marked done.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(2);
    /// tx.send(1).unwrap();
    /// rx.recv().unwrap();
    /// assert_eq!(rx.unfinished_tasks(), 1); // received, not yet done
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        self.buffer.unfinished_tasks()
    }

    /// Closes the buffer now, for both sides ([`SharedBuffer::close`]):
    /// senders' sends fail with their items, and receivers still get what
    /// is buffered. Returns `true` the first time.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(2);
    /// tx.send(1).unwrap();
    /// assert!(rx.close());
    /// assert!(tx.send(2).is_err());
    /// assert_eq!(rx.recv(), Ok(1));
    /// ```
    pub fn close(&self) -> bool {
        self.buffer.close()
    }

    /// Items buffered now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(2);
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.buffer.len()
    }

    /// `true` if nothing is buffered now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (_tx, rx) = prodcon::bounded::<u8>(2);
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// `true` if the buffer is full now.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(rx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.buffer.is_full()
    }

    /// The most items the buffer holds.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (_tx, rx) = prodcon::bounded::<u8>(3);
    /// assert_eq!(rx.capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.buffer.capacity()
    }

    /// `true` once the buffer is closed (items may still be buffered: see
    /// [`recv`](Self::recv)).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(1);
    /// tx.send(1).unwrap();
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// assert_eq!(rx.recv(), Ok(1));
    /// ```
    pub fn is_closed(&self) -> bool {
        self.buffer.is_closed()
    }
}

impl<T> Clone for Sender<T> {
    /// Another sender on the same buffer; the buffer closes when the last
    /// one is dropped.
    fn clone(&self) -> Self {
        acquire(&self.counts.senders);
        Sender {
            buffer: self.buffer.clone(),
            counts: Arc::clone(&self.counts),
        }
    }
}

impl<T> Clone for Receiver<T> {
    /// Another receiver on the same buffer; the buffer closes (and drops
    /// what is left in it) when the last one is dropped.
    fn clone(&self) -> Self {
        acquire(&self.counts.receivers);
        Receiver {
            buffer: self.buffer.clone(),
            counts: Arc::clone(&self.counts),
        }
    }
}

/// Whether a handle is being dropped while a loom execution unwinds from
/// its failure. Loom's objects cannot be used then (a second panic aborts
/// the test process), and the execution has failed anyway, so the drops do
/// nothing. In std and shuttle builds a handle dropped while its thread
/// panics still counts itself out and closes as the last one: a panicking
/// producer does not leave its consumers waiting.
fn unwinding_in_loom() -> bool {
    cfg!(model = "loom") && std::thread::panicking()
}

impl<T> Drop for Sender<T> {
    /// The last sender closes the buffer; `close` wakes every receiver
    /// blocked on the empty buffer.
    fn drop(&mut self) {
        if unwinding_in_loom() {
            return;
        }
        if release(&self.counts.senders) && !fault::active(Fault::SenderDropSkipsClose) {
            self.buffer.close();
        }
    }
}

impl<T> Drop for Receiver<T> {
    /// The last receiver closes the buffer and drops what is in it, with
    /// both locks held so that no send lands in between: every sender
    /// blocked on the full buffer wakes and gets its item back.
    fn drop(&mut self) {
        if unwinding_in_loom() {
            return;
        }
        if release(&self.counts.receivers) && !fault::active(Fault::ReceiverDropSkipsClose) {
            // The items are dropped here, after the buffer's locks are
            // released: their `Drop` is user code.
            drop(self.buffer.close_and_drain());
        }
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    /// A blocking iterator that owns this receiver (see [`IntoIter`]).
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let (tx, rx) = prodcon::bounded(2);
    /// let consumer = std::thread::spawn(move || rx.into_iter().sum::<u32>());
    /// tx.send_many(1..=10).unwrap();
    /// drop(tx);
    /// assert_eq!(consumer.join().unwrap(), 55);
    /// ```
    fn into_iter(self) -> IntoIter<T> {
        IntoIter::from_receiver(self)
    }
}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    /// The same as [`Receiver::iter`].
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("buffer", &self.buffer)
            .finish()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("buffer", &self.buffer)
            .finish()
    }
}
