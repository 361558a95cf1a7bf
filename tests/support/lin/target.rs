//! What a history is recorded against: any buffer-like [`Target`] that
//! makes the specification's calls ([`Op`]) and reports their results
//! ([`Ret`]). [`Real`] is `prodcon::SharedBuffer<u32>`; the others are
//! known-buggy wrappers around it whose bugs only a linearizability check
//! catches (no item is lost or duplicated). A build of the real code with
//! a fault switched on plugs in the same way, as another `Target`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use prodcon::{
    GetError, GetTimeoutError, PutError, PutTimeoutError, SharedBuffer, TaskDoneError, TryGetError,
    TryPutError,
};

use super::spec::{Op, Ret};

/// A buffer of `u32` that the recorder can call.
pub trait Target: Send + Sync {
    /// Makes `op` and returns its result.
    fn call(&self, op: &Op) -> Ret;
}

/// The real buffer. Timed calls wait `timeout`.
#[derive(Clone, Debug)]
pub struct Real {
    pub buffer: SharedBuffer<u32>,
    pub timeout: Duration,
}

impl Real {
    pub fn new(capacity: usize, timeout: Duration) -> Self {
        Real {
            buffer: SharedBuffer::new(capacity),
            timeout,
        }
    }
}

impl Target for Real {
    fn call(&self, op: &Op) -> Ret {
        let buffer = &self.buffer;
        match *op {
            Op::Put(item) => match buffer.put(item) {
                Ok(()) => Ret::Done,
                Err(PutError(item)) => Ret::RefusedClosed(item),
            },
            Op::TryPut(item) => match buffer.try_put(item) {
                Ok(()) => Ret::Done,
                Err(TryPutError::Full(item)) => Ret::RefusedFull(item),
                Err(TryPutError::Closed(item)) => Ret::RefusedClosed(item),
            },
            Op::PutTimeout(item) => match buffer.put_timeout(item, self.timeout) {
                Ok(()) => Ret::Done,
                Err(PutTimeoutError::Timeout(item)) => Ret::RefusedFull(item),
                Err(PutTimeoutError::Closed(item)) => Ret::RefusedClosed(item),
            },
            Op::Get => match buffer.get() {
                Ok(item) => Ret::Got(item),
                Err(GetError) => Ret::ClosedAndEmpty,
            },
            Op::TryGet => match buffer.try_get() {
                Ok(item) => Ret::Got(item),
                Err(TryGetError::Empty) => Ret::NothingYet,
                Err(TryGetError::Closed) => Ret::ClosedAndEmpty,
            },
            Op::GetTimeout => match buffer.get_timeout(self.timeout) {
                Ok(item) => Ret::Got(item),
                Err(GetTimeoutError::Timeout) => Ret::NothingYet,
                Err(GetTimeoutError::Closed) => Ret::ClosedAndEmpty,
            },
            Op::PutMany(ref items) => match buffer.put_many(items.iter().copied()) {
                Ok(()) => Ret::Done,
                Err(refused) => Ret::RefusedMany(refused.into_inner()),
            },
            Op::GetMany(max) => match buffer.get_many(max) {
                Ok(items) => Ret::Items(items),
                Err(GetError) => Ret::ClosedAndEmpty,
            },
            Op::GetManyInto(max) => {
                let mut out = vec![u32::MAX];
                // The vector already holds a marker item, which must stay.
                match buffer.get_many_into(&mut out, max) {
                    Ok(n) => Ret::GotInto(n, out),
                    Err(GetError) => {
                        assert_eq!(out, vec![u32::MAX], "a failed call changed the vector");
                        Ret::ClosedAndEmpty
                    }
                }
            }
            Op::Close => Ret::Bool(buffer.close()),
            Op::Drain => Ret::Items(buffer.drain()),
            Op::TaskDone => match buffer.task_done() {
                Ok(()) => Ret::Done,
                Err(TaskDoneError) => Ret::TaskDoneError,
            },
            Op::Join => {
                buffer.join();
                Ret::Done
            }
            Op::JoinTimeoutZero => Ret::Bool(buffer.join_timeout(Duration::ZERO)),
            Op::Len => Ret::Count(buffer.len()),
            Op::IsEmpty => Ret::Bool(buffer.is_empty()),
            Op::IsFull => Ret::Bool(buffer.is_full()),
            Op::IsClosed => Ret::Bool(buffer.is_closed()),
            Op::UnfinishedTasks => Ret::Count(buffer.unfinished_tasks()),
        }
    }
}

/// Known-buggy: every `period`-th single get (`get`, `try_get`,
/// `get_timeout`) that finds at least two items takes the front two with
/// `get_many(2)`, puts the first back at the tail and returns the second.
/// Every item is still delivered exactly once (while the buffer stays
/// open), so a multiset check passes; the order does not.
#[derive(Debug)]
pub struct ReordersGets {
    pub inner: Real,
    pub period: usize,
    gets: AtomicUsize,
}

impl ReordersGets {
    pub fn new(inner: Real, period: usize) -> Self {
        ReordersGets {
            inner,
            period,
            gets: AtomicUsize::new(0),
        }
    }
}

impl Target for ReordersGets {
    fn call(&self, op: &Op) -> Ret {
        let single_get = matches!(op, Op::Get | Op::TryGet | Op::GetTimeout);
        if single_get
            && !self.inner.buffer.is_closed()
            && self.inner.buffer.len() >= 2
            && self.gets.fetch_add(1, Ordering::Relaxed) % self.period == self.period - 1
        {
            if let Ok(mut two) = self.inner.buffer.get_many(2) {
                if two.len() == 2 {
                    let second = two.pop().expect("two items");
                    let first = two.pop().expect("two items");
                    // If a close came in between, the first item is lost:
                    // the bug is then visible to a multiset check as well.
                    let _ = self.inner.buffer.put(first);
                    return Ret::Got(second);
                }
                if let Some(only) = two.pop() {
                    return Ret::Got(only);
                }
            }
        }
        self.inner.call(op)
    }
}

/// Known-buggy: every `period`-th `try_get` on an open buffer reports
/// `Empty` without looking at the buffer. No item is lost (it stays
/// buffered for the next get).
#[derive(Debug)]
pub struct SpuriousEmpty {
    pub inner: Real,
    pub period: usize,
    try_gets: AtomicUsize,
}

impl SpuriousEmpty {
    pub fn new(inner: Real, period: usize) -> Self {
        SpuriousEmpty {
            inner,
            period,
            try_gets: AtomicUsize::new(0),
        }
    }
}

impl Target for SpuriousEmpty {
    fn call(&self, op: &Op) -> Ret {
        if *op == Op::TryGet
            && !self.inner.buffer.is_closed()
            && self.try_gets.fetch_add(1, Ordering::Relaxed) % self.period == self.period - 1
        {
            return Ret::NothingYet;
        }
        self.inner.call(op)
    }
}
