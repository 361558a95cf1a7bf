//! The model backend: loom's or shuttle's primitives, plus a condition
//! variable and a clock of the facade's own.
//!
//! loom's and shuttle's own `Condvar::wait_timeout` never time out, and
//! neither tool wakes a waiter spuriously. A facade that handed them through
//! would leave every timeout path and every `while` around a wait unchecked.
//! So in a model build the facade brings its own condition
//! variable and its own clock:
//!
//! * [`Instant`] reads a *model clock*: a per-execution counter that starts
//!   at zero and moves only when the model timer fires. Exploration
//!   therefore never depends on the wall clock.
//! * [`Condvar`] keeps its waiters in a list guarded by a model `Mutex` and
//!   blocks each on a wakeup of its own (loom: `thread::park`; shuttle: a
//!   flag and a shuttle condition variable). A waiter leaves the list in exactly one
//!   of three ways: `notify_one` / `notify_all` take it (a notification);
//!   the model timer (`prodcon::model::Timer`, a thread of the model) moves
//!   the clock to the earliest pending deadline and takes the timed waiters
//!   it reaches (a timeout, aimed at them alone, as a real timer is); or
//!   `prodcon::model::spurious_wakeup` takes every waiter (a spurious
//!   wakeup). The checker schedules the timer and the spurious wakeup like
//!   any other step, so it explores each of them at every point of an
//!   execution, and so every outcome of a timed wait: woken in time, timed
//!   out, or notified *and* past its deadline at once.
//! * `notify_one` takes the longest waiter under loom (deterministic, which
//!   keeps the exhaustive search small) and a waiter chosen by the scheduler's
//!   random source under shuttle (real condition variables promise no order).
//!
//! The waiter list is built from model primitives, so every race between a
//! notification, a timeout and a wakeup is visible to loom's partial-order
//! reduction and explored. `std`'s backend is the real thing, with real
//! timeouts; none of this exists in a production build.
//!
//! `Arc` is `std`'s in every build: sharing through it is sound (the
//! reference count is not what the models check), it shrinks loom's state
//! space, and a `loom::sync::Arc` dropped while a failing model unwinds aborts
//! the process (loom#291), which would make the known-buggy models untestable.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::PoisonError;
use std::time::Duration;

mod condvar;
mod world;

pub use condvar::{Condvar, newest_first};
pub use world::{SpuriousWakeups, Timer, elapsed, spurious_wakeup};

/// The model checker's own primitives.
#[cfg(model = "loom")]
mod imp {
    pub(super) use loom::sync::atomic;
    pub(super) use loom::sync::{Condvar as NativeCondvar, Mutex, MutexGuard};
    pub(super) use loom::thread;
}

/// The model checker's own primitives.
#[cfg(model = "shuttle")]
mod imp {
    pub(super) use shuttle::sync::atomic;
    pub(super) use shuttle::sync::{Condvar as NativeCondvar, Mutex, MutexGuard};
    pub(super) use shuttle::thread;
}

/// Atomics of the model checker.
pub(crate) mod atomic {
    pub(crate) use super::imp::atomic::{AtomicBool, AtomicUsize, Ordering};
}

/// Threads of the model checker.
pub(crate) mod thread {
    pub(crate) use super::imp::thread::{JoinHandle, spawn};
    use std::time::Duration;

    /// A sleep is only a scheduling point under the models (loom has no
    /// `sleep`, and shuttle's is a yield).
    pub(crate) fn sleep(duration: Duration) {
        let _ = duration;
        super::imp::thread::yield_now();
    }
}

/// A mutual-exclusion lock whose `lock` never reports poisoning.
pub struct Mutex<T> {
    inner: imp::Mutex<T>,
}

/// The guard of a locked [`Mutex`].
pub struct MutexGuard<'a, T> {
    /// Kept so that a model `Condvar::wait` can release and retake the lock.
    lock: &'a Mutex<T>,
    guard: imp::MutexGuard<'a, T>,
}

impl<T> Mutex<T> {
    /// A new lock around `value`.
    pub fn new(value: T) -> Self {
        Self {
            inner: imp::Mutex::new(value),
        }
    }

    /// Locks the mutex, ignoring poisoning as the std backend does.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        MutexGuard {
            lock: self,
            guard: self.inner.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MutexGuard").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

/// A point in time, for deadlines: nanoseconds of the model clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(u64);

impl Instant {
    /// The model clock's reading now.
    pub fn now() -> Self {
        Instant(world::world().clock.load(atomic::Ordering::SeqCst))
    }

    /// The deadline `duration` from now, or `None` for "never".
    pub fn after(duration: Duration) -> Option<Self> {
        let nanos = u64::try_from(duration.as_nanos()).ok()?;
        Self::now().0.checked_add(nanos).map(Instant)
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

#[cfg(test)]
mod tests;
