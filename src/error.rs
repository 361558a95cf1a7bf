//! Every error type of the crate.
//!
//! They follow crossbeam-channel's shape: an error of an operation that was
//! handed an item carries that item back (`into_inner`), `Debug` does not
//! require `T: Debug`, `Display` is a lowercase phrase without a final
//! period, and every type implements [`std::error::Error`].

use std::error::Error;
use std::fmt;

/// The error of [`SharedBuffer::put`](crate::SharedBuffer::put): the buffer
/// was closed, and the item comes back.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{PutError, SharedBuffer};
///
/// let buffer = SharedBuffer::new(1);
/// buffer.close();
/// let err = buffer.put("late").unwrap_err();
/// assert_eq!(err, PutError("late"));
/// assert_eq!(err.to_string(), "putting into a closed buffer");
/// assert_eq!(err.into_inner(), "late");
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct PutError<T>(pub T);

/// The error of [`SharedBuffer::put_many`](crate::SharedBuffer::put_many):
/// the buffer was or became closed before every item was in.
///
/// It carries everything that was not put, without pulling anything more
/// from the caller's iterator: [`taken`](Self::taken), the items
/// `put_many` had already taken from the iterator but not put (in
/// order, at most one chunk), and [`rest`](Self::rest), the iterator itself
/// with whatever it has not yielded yet. So an endless iterator (a stream,
/// `0u64..`) is handed back as it is, never collected.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::SharedBuffer;
///
/// let buffer = SharedBuffer::new(2);
/// buffer.close();
/// let err = buffer.put_many(0u64..).unwrap_err(); // endless, and fine
/// assert_eq!(err.to_string(), "putting into a closed buffer");
/// let (taken, mut rest) = err.into_parts();
/// assert_eq!(taken, [0, 1]); // one chunk (the capacity) was taken
/// assert_eq!(rest.next(), Some(2)); // the rest was left alone
/// ```
#[derive(PartialEq, Eq, Clone)]
pub struct PutManyError<T, I> {
    taken: Vec<T>,
    rest: I,
}

/// The error of [`SharedBuffer::try_put`](crate::SharedBuffer::try_put).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{SharedBuffer, TryPutError};
///
/// let buffer = SharedBuffer::new(1);
/// buffer.try_put(1).unwrap();
/// assert_eq!(buffer.try_put(2), Err(TryPutError::Full(2)));
/// buffer.close();
/// let err = buffer.try_put(3).unwrap_err();
/// assert!(err.is_closed());
/// assert_eq!(err.into_inner(), 3);
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum TryPutError<T> {
    /// The buffer was full; the item comes back.
    Full(T),
    /// The buffer was closed; the item comes back.
    Closed(T),
}

/// The error of [`SharedBuffer::put_timeout`](crate::SharedBuffer::put_timeout).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{PutTimeoutError, SharedBuffer};
/// use std::time::Duration;
///
/// let buffer = SharedBuffer::new(1);
/// buffer.put(1).unwrap();
/// let err = buffer.put_timeout(2, Duration::from_millis(10)).unwrap_err();
/// assert_eq!(err, PutTimeoutError::Timeout(2));
/// assert!(err.is_timeout());
/// assert_eq!(err.to_string(), "timed out waiting for room in the buffer");
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum PutTimeoutError<T> {
    /// No room became free before the timeout; the item comes back.
    Timeout(T),
    /// The buffer was closed; the item comes back.
    Closed(T),
}

/// The error of [`SharedBuffer::get`](crate::SharedBuffer::get): the buffer
/// is closed and holds no more items.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{GetError, SharedBuffer};
///
/// let buffer = SharedBuffer::<u8>::new(1);
/// buffer.close();
/// assert_eq!(buffer.get(), Err(GetError));
/// assert_eq!(GetError.to_string(), "getting from an empty and closed buffer");
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct GetError;

/// The error of [`SharedBuffer::try_get`](crate::SharedBuffer::try_get).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{SharedBuffer, TryGetError};
///
/// let buffer = SharedBuffer::<u8>::new(1);
/// assert_eq!(buffer.try_get(), Err(TryGetError::Empty));
/// buffer.close();
/// assert_eq!(buffer.try_get(), Err(TryGetError::Closed));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum TryGetError {
    /// The buffer was empty but still open.
    Empty,
    /// The buffer was empty and closed: no item will ever come.
    Closed,
}

/// The error of [`SharedBuffer::get_timeout`](crate::SharedBuffer::get_timeout).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{GetTimeoutError, SharedBuffer};
/// use std::time::Duration;
///
/// let buffer = SharedBuffer::<u8>::new(1);
/// let err = buffer.get_timeout(Duration::from_millis(10)).unwrap_err();
/// assert_eq!(err, GetTimeoutError::Timeout);
/// assert_eq!(err.to_string(), "timed out waiting for an item");
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum GetTimeoutError {
    /// No item arrived before the timeout.
    Timeout,
    /// The buffer was empty and closed: no item will ever come.
    Closed,
}

/// The error of [`SharedBuffer::task_done`](crate::SharedBuffer::task_done):
/// it was called more times than items were put.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{SharedBuffer, TaskDoneError};
///
/// let buffer = SharedBuffer::new(1);
/// buffer.put(7).unwrap();
/// assert_eq!(buffer.get(), Ok(7));
/// assert_eq!(buffer.task_done(), Ok(()));
/// assert_eq!(buffer.task_done(), Err(TaskDoneError));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct TaskDoneError;

/// The errors of [`ProducerConsumerSystem`](crate::ProducerConsumerSystem)'s
/// set-up calls.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::{ProducerConsumerSystem, SystemError};
///
/// let err = ProducerConsumerSystem::<u32>::new(0).unwrap_err();
/// assert_eq!(err, SystemError::ZeroCapacity);
/// assert_eq!(err.to_string(), "buffer capacity must be at least 1");
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
#[non_exhaustive]
pub enum SystemError {
    /// The buffer capacity was zero.
    ZeroCapacity,
    /// The system was already started: workers are registered before
    /// `start`, and `start` runs once.
    AlreadyStarted,
    /// Producers were registered but no consumer: nothing would ever take
    /// their items.
    NoConsumers,
}

// --- PutError --------------------------------------------------------------

impl<T> PutError<T> {
    /// Returns the item that could not be put.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(prodcon::PutError("x").into_inner(), "x");
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PutError(..)")
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("putting into a closed buffer")
    }
}

impl<T> Error for PutError<T> {}

// --- PutManyError ----------------------------------------------------------

impl<T, I> PutManyError<T, I> {
    pub(crate) fn new(taken: Vec<T>, rest: I) -> Self {
        PutManyError { taken, rest }
    }

    /// The items taken from the iterator but not put, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(4);
    /// buffer.close();
    /// let err = buffer.put_many(vec!["a", "b"]).unwrap_err();
    /// assert_eq!(err.taken(), ["a", "b"]);
    /// ```
    pub fn taken(&self) -> &[T] {
        &self.taken
    }

    /// The caller's iterator, holding what it has not yielded yet.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(1);
    /// buffer.close();
    /// let err = buffer.put_many(10..20).unwrap_err();
    /// assert_eq!(err.rest(), &(11..20));
    /// ```
    pub fn rest(&self) -> &I {
        &self.rest
    }

    /// The taken items and the rest of the iterator, to put elsewhere or
    /// to drop.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(2);
    /// buffer.close();
    /// let (taken, rest) = buffer.put_many(0..5).unwrap_err().into_parts();
    /// assert_eq!(taken, [0, 1]);
    /// assert_eq!(rest, 2..5);
    /// ```
    pub fn into_parts(self) -> (Vec<T>, I) {
        (self.taken, self.rest)
    }

    /// The taken items, dropping the rest of the iterator.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(3);
    /// buffer.close();
    /// assert_eq!(buffer.put_many(1..).unwrap_err().into_taken(), [1, 2, 3]);
    /// ```
    pub fn into_taken(self) -> Vec<T> {
        self.taken
    }

    /// Every item that was not put, in order: the taken ones, then the
    /// rest of the iterator, collected. Only for an iterator known to end:
    /// an endless one would be collected forever.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// let buffer = prodcon::SharedBuffer::new(2);
    /// buffer.close();
    /// let err = buffer.put_many(vec![1, 2, 3, 4]).unwrap_err();
    /// assert_eq!(err.into_inner(), [1, 2, 3, 4]);
    /// ```
    pub fn into_inner(self) -> Vec<T>
    where
        I: Iterator<Item = T>,
    {
        let mut all = self.taken;
        all.extend(self.rest);
        all
    }
}

impl<T, I> fmt::Debug for PutManyError<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PutManyError")
            .field("taken", &self.taken.len())
            .finish_non_exhaustive()
    }
}

impl<T, I> fmt::Display for PutManyError<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("putting into a closed buffer")
    }
}

impl<T, I> Error for PutManyError<T, I> {}

// --- TryPutError -----------------------------------------------------------

impl<T> TryPutError<T> {
    /// Returns the item that could not be put.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(prodcon::TryPutError::Full(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::Closed(item) => item,
        }
    }

    /// `true` if the buffer was full.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::TryPutError::Full(7).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }

    /// `true` if the buffer was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::TryPutError::Closed(7).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TryPutError::Closed(_))
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("Full(..)"),
            TryPutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryPutError::Full(_) => f.write_str("putting into a full buffer"),
            TryPutError::Closed(_) => f.write_str("putting into a closed buffer"),
        }
    }
}

impl<T> Error for TryPutError<T> {}

impl<T> From<PutError<T>> for TryPutError<T> {
    fn from(err: PutError<T>) -> Self {
        TryPutError::Closed(err.0)
    }
}

// --- PutTimeoutError -------------------------------------------------------

impl<T> PutTimeoutError<T> {
    /// Returns the item that could not be put.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(prodcon::PutTimeoutError::Timeout(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            PutTimeoutError::Timeout(item) | PutTimeoutError::Closed(item) => item,
        }
    }

    /// `true` if the wait timed out.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::PutTimeoutError::Timeout(7).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, PutTimeoutError::Timeout(_))
    }

    /// `true` if the buffer was closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::PutTimeoutError::Closed(7).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, PutTimeoutError::Closed(_))
    }
}

impl<T> fmt::Debug for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutTimeoutError::Timeout(_) => f.write_str("Timeout(..)"),
            PutTimeoutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for PutTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutTimeoutError::Timeout(_) => f.write_str("timed out waiting for room in the buffer"),
            PutTimeoutError::Closed(_) => f.write_str("putting into a closed buffer"),
        }
    }
}

impl<T> Error for PutTimeoutError<T> {}

impl<T> From<PutError<T>> for PutTimeoutError<T> {
    fn from(err: PutError<T>) -> Self {
        PutTimeoutError::Closed(err.0)
    }
}

// --- GetError and friends --------------------------------------------------

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("getting from an empty and closed buffer")
    }
}

impl Error for GetError {}

impl TryGetError {
    /// `true` if the buffer was empty but open.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::TryGetError::Empty.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty)
    }

    /// `true` if the buffer was empty and closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::TryGetError::Closed.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TryGetError::Closed)
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryGetError::Empty => f.write_str("getting from an empty buffer"),
            TryGetError::Closed => f.write_str("getting from an empty and closed buffer"),
        }
    }
}

impl Error for TryGetError {}

impl From<GetError> for TryGetError {
    fn from(_: GetError) -> Self {
        TryGetError::Closed
    }
}

impl GetTimeoutError {
    /// `true` if the wait timed out.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::GetTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, GetTimeoutError::Timeout)
    }

    /// `true` if the buffer was empty and closed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(prodcon::GetTimeoutError::Closed.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, GetTimeoutError::Closed)
    }
}

impl fmt::Display for GetTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetTimeoutError::Timeout => f.write_str("timed out waiting for an item"),
            GetTimeoutError::Closed => f.write_str("getting from an empty and closed buffer"),
        }
    }
}

impl Error for GetTimeoutError {}

impl From<GetError> for GetTimeoutError {
    fn from(_: GetError) -> Self {
        GetTimeoutError::Closed
    }
}

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done called more times than items were put")
    }
}

impl Error for TaskDoneError {}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SystemError::ZeroCapacity => f.write_str("buffer capacity must be at least 1"),
            SystemError::AlreadyStarted => f.write_str("the system has already been started"),
            SystemError::NoConsumers => f.write_str(
                "producers were added but no consumer: their items would never be taken",
            ),
        }
    }
}

impl Error for SystemError {}
