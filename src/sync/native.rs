//! The production backend: `std`'s primitives behind the facade's
//! interface.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::PoisonError;
use std::time::Duration;

/// Atomics: `std`'s.
pub(crate) mod atomic {
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
}

/// Threads: `std`'s.
pub(crate) mod thread {
    pub(crate) use std::thread::{JoinHandle, sleep, spawn};
}

/// A mutual-exclusion lock whose `lock` never reports poisoning.
pub(crate) struct Mutex<T> {
    inner: std::sync::Mutex<T>,
}

/// The guard of a locked [`Mutex`].
pub(crate) struct MutexGuard<'a, T> {
    guard: std::sync::MutexGuard<'a, T>,
}

impl<T> Mutex<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            inner: std::sync::Mutex::new(value),
        }
    }

    /// Locks the mutex. A panic under the lock cannot leave the state torn
    /// (nothing in this crate panics while holding one), so poisoning is
    /// ignored rather than passed on.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        MutexGuard {
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

impl<T> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mutex").finish_non_exhaustive()
    }
}

/// A point in time, for deadlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(std::time::Instant);

impl Instant {
    pub(crate) fn now() -> Self {
        Instant(std::time::Instant::now())
    }

    /// The deadline `duration` from now, or `None` when it cannot be
    /// represented (`Duration::MAX`, say): callers treat that as "never".
    pub(crate) fn after(duration: Duration) -> Option<Self> {
        std::time::Instant::now().checked_add(duration).map(Instant)
    }
}

/// A condition variable. Waits may return early (spuriously): always wait in
/// a loop that re-checks the condition.
#[derive(Debug, Default)]
pub(crate) struct Condvar {
    inner: std::sync::Condvar,
}

impl Condvar {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Releases the lock, waits for a notification, retakes the lock.
    pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let guard = self
            .inner
            .wait(guard.guard)
            .unwrap_or_else(PoisonError::into_inner);
        MutexGuard { guard }
    }

    /// Like [`wait`](Self::wait), but returns at the latest around
    /// `deadline`. The caller compares [`Instant::now`] with its deadline.
    pub(crate) fn wait_until<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        deadline: Instant,
    ) -> MutexGuard<'a, T> {
        let Some(timeout) = deadline.0.checked_duration_since(std::time::Instant::now()) else {
            return guard;
        };
        let (guard, _) = self
            .inner
            .wait_timeout(guard.guard, timeout)
            .unwrap_or_else(PoisonError::into_inner);
        MutexGuard { guard }
    }

    pub(crate) fn notify_one(&self) {
        self.inner.notify_one();
    }

    pub(crate) fn notify_all(&self) {
        self.inner.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::{Condvar, Instant, Mutex};
    use std::time::Duration;

    #[test]
    fn an_unrepresentable_deadline_is_never() {
        assert!(Instant::after(Duration::MAX).is_none());
        assert!(Instant::after(Duration::from_secs(1)).is_some_and(|d| d > Instant::now()));
    }

    #[test]
    fn a_poisoned_lock_still_locks() {
        let mutex = std::sync::Arc::new(Mutex::new(1));
        let poisoner = std::sync::Arc::clone(&mutex);
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.lock();
            panic!("poison the lock");
        })
        .join();
        assert_eq!(*mutex.lock(), 1);
    }

    #[test]
    fn wait_until_returns_at_a_passed_deadline() {
        let mutex = Mutex::new(());
        let condvar = Condvar::new();
        let deadline = Instant::after(Duration::from_millis(1)).unwrap();
        let mut guard = mutex.lock();
        while Instant::now() < deadline {
            guard = condvar.wait_until(guard, deadline);
        }
        // A deadline already passed returns at once, with the lock.
        drop(condvar.wait_until(guard, deadline));
    }

    #[test]
    fn notify_one_wakes_a_waiter() {
        let shared = std::sync::Arc::new((Mutex::new(false), Condvar::new()));
        let waiter = {
            let shared = std::sync::Arc::clone(&shared);
            std::thread::spawn(move || {
                let (flag, condvar) = &*shared;
                let mut set = flag.lock();
                while !*set {
                    set = condvar.wait(set);
                }
            })
        };
        *shared.0.lock() = true;
        shared.1.notify_one();
        waiter.join().unwrap();
    }
}
