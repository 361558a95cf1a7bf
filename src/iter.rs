//! Iterators over a buffer's items: [`Iter`] (blocking, ends once the
//! buffer is closed and empty), [`TryIter`] (what is there now, never
//! waits) and [`IntoIter`] (the owning form of [`Iter`]).
//!
//! They are thin loops over [`SharedBuffer::get`] and
//! [`SharedBuffer::try_get`]: the same verified code, nothing of their own
//! to synchronize.
//!
//! There is no draining iterator: [`SharedBuffer::drain`] takes everything
//! under both locks at once, so that no put or get lands in between, and a
//! `Vec` is what that hands out; `for item in buffer.drain()` already reads
//! as an iterator. A lazy drain would either hold both locks while user
//! code runs between items, or take the items one lock at a time and no
//! longer be one step.

use std::fmt;
use std::iter::FusedIterator;

use crate::buffer::SharedBuffer;
use crate::channel::Receiver;

impl<T> SharedBuffer<T> {
    /// A blocking iterator over the items: each `next` is a
    /// [`get`](Self::get), so it waits while the buffer is empty and open,
    /// and ends once it is closed and empty. Several iterators (on several
    /// threads) share the items: each item goes to exactly one of them.
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
    ///         for n in 1..=10 {
    ///             buffer.put(n).unwrap();
    ///         }
    ///         buffer.close(); // ends the iteration below, once it is empty
    ///     })
    /// };
    /// let total: u32 = buffer.iter().sum();
    /// producer.join().unwrap();
    /// assert_eq!(total, 55);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { buffer: self }
    }

    /// A non-blocking iterator over the items there are now: each `next` is
    /// a [`try_get`](Self::try_get). It ends at the first moment the buffer
    /// is empty, closed or not; items put later are not waited for (a new
    /// `try_iter` sees them).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::SharedBuffer;
    ///
    /// let buffer = SharedBuffer::new(4);
    /// buffer.put_many([1, 2, 3]).unwrap();
    /// assert_eq!(buffer.try_iter().collect::<Vec<_>>(), [1, 2, 3]);
    /// assert_eq!(buffer.try_iter().next(), None); // empty, still open
    /// buffer.put(4).unwrap();
    /// assert_eq!(buffer.try_iter().next(), Some(4));
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { buffer: self }
    }
}

/// A blocking iterator over a buffer's items, made by
/// [`SharedBuffer::iter`], [`Receiver::iter`] or `for item in &buffer`.
///
/// It ends once the buffer is closed and empty; as a closed buffer never
/// takes an item again, it stays ended ([`FusedIterator`]).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::SharedBuffer;
///
/// let buffer = SharedBuffer::new(3);
/// buffer.put_many(["a", "b"]).unwrap();
/// buffer.close();
/// let mut seen = Vec::new();
/// for item in &buffer {
///     seen.push(item);
/// }
/// assert_eq!(seen, ["a", "b"]);
/// ```
pub struct Iter<'a, T> {
    buffer: &'a SharedBuffer<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.buffer.get().ok()
    }
}

impl<T> FusedIterator for Iter<'_, T> {}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

/// A non-blocking iterator over the items a buffer holds now, made by
/// [`SharedBuffer::try_iter`] or [`Receiver::try_iter`].
///
/// It is not fused: after a `None` (the buffer was empty), a later `next`
/// returns an item put since.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::SharedBuffer;
///
/// let buffer = SharedBuffer::new(4);
/// buffer.put_many([1, 2]).unwrap();
/// let mut items = buffer.try_iter();
/// assert_eq!(items.next(), Some(1));
/// assert_eq!(items.next(), Some(2));
/// assert_eq!(items.next(), None);
/// buffer.put(3).unwrap();
/// assert_eq!(items.next(), Some(3));
/// ```
pub struct TryIter<'a, T> {
    buffer: &'a SharedBuffer<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.buffer.try_get().ok()
    }
}

impl<T> fmt::Debug for TryIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryIter").finish_non_exhaustive()
    }
}

/// The owning blocking iterator, made by `for item in buffer` on a
/// [`SharedBuffer`] or a [`Receiver`]: like [`Iter`], it ends once the
/// buffer is closed and empty, and it keeps its handle alive until it is
/// dropped (a receiver's, so senders keep sending into it).
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return; }
/// use prodcon::SharedBuffer;
/// use std::thread;
///
/// let buffer = SharedBuffer::new(2);
/// let consumer = {
///     let buffer = buffer.clone();
///     // The iterator owns the clone: it can move into the thread.
///     thread::spawn(move || buffer.into_iter().collect::<Vec<_>>())
/// };
/// buffer.put_many(0..5).unwrap();
/// buffer.close();
/// assert_eq!(consumer.join().unwrap(), [0, 1, 2, 3, 4]);
/// ```
pub struct IntoIter<T> {
    owner: Owner<T>,
}

/// What an [`IntoIter`] keeps alive.
enum Owner<T> {
    Buffer(SharedBuffer<T>),
    Receiver(Receiver<T>),
}

impl<T> IntoIter<T> {
    pub(crate) fn from_receiver(receiver: Receiver<T>) -> Self {
        IntoIter {
            owner: Owner::Receiver(receiver),
        }
    }

    fn buffer(&self) -> &SharedBuffer<T> {
        match &self.owner {
            Owner::Buffer(buffer) => buffer,
            Owner::Receiver(receiver) => receiver.buffer(),
        }
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.buffer().get().ok()
    }
}

impl<T> FusedIterator for IntoIter<T> {}

impl<T> fmt::Debug for IntoIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoIter").finish_non_exhaustive()
    }
}

impl<'a, T> IntoIterator for &'a SharedBuffer<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    /// The same as [`SharedBuffer::iter`].
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for SharedBuffer<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    /// A blocking iterator that owns this handle (see [`IntoIter`]).
    fn into_iter(self) -> IntoIter<T> {
        IntoIter {
            owner: Owner::Buffer(self),
        }
    }
}
