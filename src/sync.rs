//! The synchronization facade: the only file in the crate that names `std`'s,
//! loom's or shuttle's primitives.
//!
//! Production code imports `Mutex`, `Condvar`, `Arc`, `Instant`, atomics and
//! `thread` from here. Which backend it gets is chosen by cfg:
//!
//! | build | selected by | backend |
//! | --- | --- | --- |
//! | production | default | `std::sync`, `std::thread`, `std::time::Instant` |
//! | exhaustive models | `RUSTFLAGS="--cfg loom"` | `loom::sync`, `loom::thread`, model clock |
//! | randomized models | `RUSTFLAGS="--cfg shuttle"` | `shuttle::sync`, `shuttle::thread`, model clock |
//!
//! The facade evens out the differences between the three: locking never
//! surfaces poisoning (no code in this crate panics while holding a lock), and
//! waiting is a single `wait` / `wait_until(deadline)` pair that callers put
//! in a `while` loop (loom has no `wait_while`).
//!
//! # Time and spurious wakeups under the models
//!
//! loom's and shuttle's own `Condvar::wait_timeout` never time out, and
//! neither tool wakes a waiter spuriously. A facade that handed them through
//! would leave every timeout path and every `while` around a wait unchecked.
//! So under `cfg(loom)` and `cfg(shuttle)` the facade brings its own condition
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

#[cfg(all(loom, shuttle))]
compile_error!("choose one model checker: `--cfg loom` or `--cfg shuttle`, not both");

pub(crate) use std::sync::Arc;

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

// ---------------------------------------------------------------------------
// Backend selection. Everything below `imp` is written once against it.
// ---------------------------------------------------------------------------

#[cfg(not(any(loom, shuttle)))]
mod imp {
    pub(super) use std::sync::atomic;
    pub(super) use std::sync::{Condvar, Mutex, MutexGuard};
    pub(super) use std::thread;
}

#[cfg(loom)]
mod imp {
    pub(super) use loom::sync::atomic;
    pub(super) use loom::sync::{Condvar as NativeCondvar, Mutex, MutexGuard};
    pub(super) use loom::thread;
}

#[cfg(shuttle)]
mod imp {
    pub(super) use shuttle::sync::atomic;
    pub(super) use shuttle::sync::{Condvar as NativeCondvar, Mutex, MutexGuard};
    pub(super) use shuttle::thread;
}

/// Atomics of the selected backend.
pub(crate) mod atomic {
    pub(crate) use super::imp::atomic::{AtomicBool, AtomicUsize, Ordering};
}

/// Threads of the selected backend.
pub(crate) mod thread {
    pub(crate) use super::imp::thread::{JoinHandle, spawn};
    use std::time::Duration;

    /// Sleeps in production; under the models a sleep is only a scheduling
    /// point (loom has no `sleep`, and shuttle's is a yield).
    pub(crate) fn sleep(duration: Duration) {
        #[cfg(not(any(loom, shuttle)))]
        super::imp::thread::sleep(duration);
        #[cfg(any(loom, shuttle))]
        {
            let _ = duration;
            super::imp::thread::yield_now();
        }
    }
}

/// A short, bounded busy-wait that a blocking call tries before it parks on
/// a condition variable.
///
/// Parking costs a futex wait for the sleeper and a futex wake for whoever
/// wakes it, two system calls and a context switch, while the other side
/// of a busy buffer usually makes room (or brings an item) within a
/// microsecond. So a waiter first releases the lock and pauses for a few
/// rounds, reading the buffer's atomic item count (without a lock)
/// between rounds, and only then takes the lock again and, if it still has
/// to, waits on the condition variable. Nothing is decided on what the
/// spinner read: every decision is made again under the lock, so a stale
/// read can only end a spin early or late.
///
/// * Production: the first 7 rounds spin `2^round` times with
///   [`std::hint::spin_loop`]; the rounds after that call
///   `std::thread::yield_now` (20 of them), which matters on a machine with
///   fewer cores than threads, where a spinner would otherwise hold the
///   core the other side needs (crossbeam's `Backoff::snooze` does the
///   same). The yield phase is long enough to cover the other side's work
///   on a whole batch: with 4 yields, a 1:1 `put_many`/`get_many` pair at
///   capacity 1024 parked on every batch and ran at 40 ns/msg; with 20 it
///   stays awake and runs at 14 ns/msg (`benches/throughput.rs`).
/// * shuttle: one round, and that round is a `yield_now` of the model, so
///   the randomized schedules explore "release the lock, let others run,
///   take it again" before every park.
/// * loom: no round at all, and callers skip the release and retake
///   ([`enabled`] is `false`). Even one round multiplied the executions of
///   the buffer models by 4 to 7 (2 consumers waiting on empty: 2.3 k →
///   15 k; 2 producers × 2 items at preemption bound 3: 49 k → 201 k) and
///   turned the exhaustive 1 producer / 2 consumers model (738 k
///   executions, 44 s) into one still running after four minutes, far
///   past the suite's time budget.
///   What loom checks is the protocol under the lock; a spin only
///   postpones a park, and shuttle covers it.
///
pub(crate) mod spin {
    /// Whether a waiter spins at all before it parks: not under loom, where
    /// callers also skip releasing and retaking the lock for it.
    pub(crate) const fn enabled() -> bool {
        !cfg!(loom)
    }

    /// Rounds that busy-spin (`2^round` spin-loop hints each).
    #[cfg(not(any(loom, shuttle)))]
    const SPIN_ROUNDS: u32 = 7;
    /// Rounds a waiter spends before it parks: the spinning ones, then 20
    /// that yield the thread.
    #[cfg(not(any(loom, shuttle)))]
    const ROUNDS: u32 = SPIN_ROUNDS + 20;
    /// Rounds a waiter spends before it parks: one, a model `yield_now`.
    #[cfg(shuttle)]
    const ROUNDS: u32 = 1;

    /// Pauses for round `round` of a spin.
    #[cfg(not(any(loom, shuttle)))]
    fn pause(round: u32) {
        if round < SPIN_ROUNDS {
            for _ in 0..1u32 << round {
                std::hint::spin_loop();
            }
        } else {
            std::thread::yield_now();
        }
    }

    /// Pauses for one round of a spin: a yield of the model.
    #[cfg(shuttle)]
    fn pause(_round: u32) {
        super::imp::thread::yield_now();
    }

    /// Spins until `ready()` or the rounds run out. `ready` is not asked
    /// after the last round: the caller takes the lock and looks then.
    #[cfg(not(loom))]
    pub(crate) fn until(mut ready: impl FnMut() -> bool) {
        for round in 0..ROUNDS {
            pause(round);
            if round + 1 < ROUNDS && ready() {
                return;
            }
        }
    }

    /// Never called under loom (see [`enabled`]).
    #[cfg(loom)]
    pub(crate) fn until(ready: impl FnMut() -> bool) {
        let _ = ready;
    }
}

// ---------------------------------------------------------------------------
// Mutex
// ---------------------------------------------------------------------------

/// A mutual-exclusion lock whose `lock` never reports poisoning.
pub(crate) struct Mutex<T> {
    inner: imp::Mutex<T>,
}

/// The guard of a locked [`Mutex`].
pub(crate) struct MutexGuard<'a, T> {
    // Kept so that a model `Condvar::wait` can release and retake the lock.
    #[cfg(any(loom, shuttle))]
    lock: &'a Mutex<T>,
    guard: imp::MutexGuard<'a, T>,
}

impl<T> Mutex<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            inner: imp::Mutex::new(value),
        }
    }

    /// Locks the mutex. A panic under the lock cannot leave the state torn
    /// here (nothing in this crate panics while holding one), so poisoning is
    /// ignored rather than passed on.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        let guard = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        MutexGuard {
            #[cfg(any(loom, shuttle))]
            lock: self,
            guard,
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

// ---------------------------------------------------------------------------
// Instant: the real clock in production, the model clock under the models.
// ---------------------------------------------------------------------------

/// A point in time, for deadlines.
#[cfg(not(any(loom, shuttle)))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(std::time::Instant);

/// A point in time, for deadlines: nanoseconds of the model clock.
#[cfg(any(loom, shuttle))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(u64);

impl Instant {
    #[cfg(not(any(loom, shuttle)))]
    pub(crate) fn now() -> Self {
        Instant(std::time::Instant::now())
    }

    #[cfg(any(loom, shuttle))]
    pub(crate) fn now() -> Self {
        Instant(model::world().clock.load(atomic::Ordering::SeqCst))
    }

    /// `None` when the deadline cannot be represented: callers treat that as
    /// "wait forever".
    #[cfg(not(any(loom, shuttle)))]
    pub(crate) fn checked_add(self, duration: Duration) -> Option<Self> {
        self.0.checked_add(duration).map(Instant)
    }

    #[cfg(any(loom, shuttle))]
    pub(crate) fn checked_add(self, duration: Duration) -> Option<Self> {
        let nanos = u64::try_from(duration.as_nanos()).ok()?;
        self.0.checked_add(nanos).map(Instant)
    }

    /// The deadline `duration` from now, or `None` for "never".
    pub(crate) fn after(duration: Duration) -> Option<Self> {
        Self::now().checked_add(duration)
    }

    /// The time from `earlier` to `self`, zero if `earlier` is later.
    #[cfg(not(any(loom, shuttle)))]
    pub(crate) fn saturating_duration_since(self, earlier: Self) -> Duration {
        self.0.saturating_duration_since(earlier.0)
    }

    #[cfg(any(loom, shuttle))]
    pub(crate) fn saturating_duration_since(self, earlier: Self) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

// ---------------------------------------------------------------------------
// Condvar, production: std's.
// ---------------------------------------------------------------------------

/// A condition variable. Waits may return early (spuriously): always wait in
/// a loop that re-checks the condition.
#[cfg(not(any(loom, shuttle)))]
#[derive(Debug, Default)]
pub(crate) struct Condvar {
    inner: imp::Condvar,
}

#[cfg(not(any(loom, shuttle)))]
impl Condvar {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Releases the lock, waits for a notification, retakes the lock.
    pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let guard = self
            .inner
            .wait(guard.guard)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
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
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        MutexGuard { guard }
    }

    pub(crate) fn notify_one(&self) {
        self.inner.notify_one();
    }

    pub(crate) fn notify_all(&self) {
        self.inner.notify_all();
    }
}

// ---------------------------------------------------------------------------
// Condvar and clock under the models.
// ---------------------------------------------------------------------------

/// A condition variable built from model primitives so that the model can
/// time out a timed waiter and wake any waiter spuriously (see the module
/// docs).
#[cfg(any(loom, shuttle))]
#[derive(Debug)]
pub(crate) struct Condvar {
    shared: Arc<model::CondvarShared>,
}

#[cfg(any(loom, shuttle))]
impl Condvar {
    pub(crate) fn new() -> Self {
        let shared = Arc::new(model::CondvarShared::new());
        model::register(&shared);
        Self { shared }
    }

    pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_inner(guard, None)
    }

    pub(crate) fn wait_until<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        deadline: Instant,
    ) -> MutexGuard<'a, T> {
        self.wait_inner(guard, Some(deadline))
    }

    fn wait_inner<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        deadline: Option<Instant>,
    ) -> MutexGuard<'a, T> {
        // Joining the wait set before the caller's lock is released makes
        // "release the lock and start waiting" atomic for every notifier
        // that changes state under that lock, as with a real condvar.
        let Some(wakeup) = model::CondvarShared::enqueue(&self.shared, deadline) else {
            return guard;
        };
        let MutexGuard { lock, guard } = guard;
        drop(guard);
        // Whoever takes this waiter out of the wait set wakes it exactly
        // once; a wakeup that lands before `wait` is kept, not lost.
        wakeup.wait();
        lock.lock()
    }

    pub(crate) fn notify_one(&self) {
        if let Some(wakeup) = self.shared.take_one() {
            wakeup.wake();
        }
    }

    pub(crate) fn notify_all(&self) {
        for wakeup in self.shared.take_all(|_| true) {
            wakeup.wake();
        }
    }
}

/// Hooks that let a model drive time and wakeups; they exist only in
/// `cfg(loom)` and `cfg(shuttle)` builds.
#[cfg(any(loom, shuttle))]
#[allow(unreachable_pub)] // its items are re-exported as `prodcon::model`
pub mod model {
    use super::{Arc, Instant, atomic, imp};
    use std::collections::VecDeque;
    use std::fmt;
    use std::sync::Weak;
    use std::time::Duration;

    /// The per-execution world of the models: the clock, every condition
    /// variable created in this execution (for spurious wakeups), and the
    /// timer's list of timed waiters.
    pub(super) struct World {
        pub(super) clock: imp::atomic::AtomicU64,
        // A plain std mutex: only `Condvar::new` and `spurious_wakeup` touch
        // it, never across a model step (model threads run one at a time on
        // one OS thread), and it is not part of any protocol under test.
        condvars: std::sync::Mutex<Vec<Weak<CondvarShared>>>,
        /// Set by `Timer::start`, before any timed wait: from then on every
        /// timed waiter is listed in `timer`.
        timer_on: std::sync::atomic::AtomicBool,
        timer: imp::Mutex<TimerState>,
        timer_wake: imp::NativeCondvar,
    }

    struct TimerState {
        /// Every timed waiter now in a wait set. Changed in the same
        /// critical section (wait-set lock, then this lock) as the wait set
        /// itself, so the timer never sees a list the wait sets disagree
        /// with.
        pending: Vec<Pending>,
        stop: bool,
    }

    struct Pending {
        deadline: Instant,
        condvar: Weak<CondvarShared>,
        id: u64,
    }

    #[cfg(loom)]
    loom::lazy_static! {
        static ref WORLD: World = World::new();
    }

    #[cfg(shuttle)]
    shuttle::lazy_static! {
        static ref WORLD: World = World::new();
    }

    pub(super) fn world() -> &'static World {
        &WORLD
    }

    impl World {
        fn new() -> Self {
            World {
                clock: imp::atomic::AtomicU64::new(0),
                condvars: std::sync::Mutex::new(Vec::new()),
                timer_on: std::sync::atomic::AtomicBool::new(false),
                timer: imp::Mutex::new(TimerState {
                    pending: Vec::new(),
                    stop: false,
                }),
                timer_wake: imp::NativeCondvar::new(),
            }
        }

        fn live_condvars(&self) -> Vec<Arc<CondvarShared>> {
            let mut list = self
                .condvars
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            list.retain(|weak| weak.strong_count() > 0);
            list.iter().filter_map(Weak::upgrade).collect()
        }

        fn timer_on(&self) -> bool {
            self.timer_on.load(std::sync::atomic::Ordering::Relaxed)
        }

        fn lock_timer(&self) -> imp::MutexGuard<'_, TimerState> {
            self.timer
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        /// Forgets timed waiters that left `condvar`'s wait set; called with
        /// that wait set locked.
        fn forget_timed(&self, condvar: &CondvarShared, ids: &[u64]) {
            if ids.is_empty() || !self.timer_on() {
                return;
            }
            self.lock_timer()
                .pending
                .retain(|p| !(std::ptr::eq(p.condvar.as_ptr(), condvar) && ids.contains(&p.id)));
        }
    }

    pub(super) fn register(shared: &Arc<CondvarShared>) {
        world()
            .condvars
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Arc::downgrade(shared));
    }

    struct Waiter {
        id: u64,
        wakeup: Wakeup,
        deadline: Option<Instant>,
    }

    /// How a waiter sleeps and is woken.
    ///
    /// Under loom: its thread's park token (loom's `park` never returns on
    /// its own, and a token set before `park` makes it return at once).
    /// Under shuttle: a flag and a condition variable of its own, because
    /// shuttle's `park` may return spuriously whenever another thread can
    /// run, and sleepers that keep waking one another hide a deadlock from
    /// shuttle's detector (it then reports "exceeded max_steps" instead).
    #[cfg(loom)]
    #[derive(Clone)]
    pub(super) struct Wakeup(imp::thread::Thread);

    #[cfg(loom)]
    impl Wakeup {
        fn new() -> Self {
            Wakeup(imp::thread::current())
        }

        pub(super) fn wait(&self) {
            imp::thread::park();
        }

        pub(super) fn wake(&self) {
            self.0.unpark();
        }
    }

    #[cfg(shuttle)]
    #[derive(Clone)]
    pub(super) struct Wakeup(Arc<(imp::Mutex<bool>, imp::NativeCondvar)>);

    #[cfg(shuttle)]
    impl Wakeup {
        fn new() -> Self {
            Wakeup(Arc::new((
                imp::Mutex::new(false),
                imp::NativeCondvar::new(),
            )))
        }

        pub(super) fn wait(&self) {
            let (woken, condvar) = &*self.0;
            let mut woken = woken
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            while !*woken {
                woken = condvar
                    .wait(woken)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }

        pub(super) fn wake(&self) {
            let (woken, condvar) = &*self.0;
            *woken
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
            condvar.notify_one();
        }
    }

    struct WaitSet {
        next_id: u64,
        waiters: VecDeque<Waiter>,
    }

    /// The wait set of one model condition variable.
    pub(super) struct CondvarShared {
        set: imp::Mutex<WaitSet>,
    }

    impl fmt::Debug for CondvarShared {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("CondvarShared").finish_non_exhaustive()
        }
    }

    impl CondvarShared {
        pub(super) fn new() -> Self {
            CondvarShared {
                set: imp::Mutex::new(WaitSet {
                    next_id: 0,
                    waiters: VecDeque::new(),
                }),
            }
        }

        fn lock(&self) -> imp::MutexGuard<'_, WaitSet> {
            self.set
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        }

        /// Joins the wait set and returns what to sleep on; `None` if
        /// `deadline` has already passed (the timer may have moved the clock
        /// since the caller looked at it, in which case it has also already
        /// swept this set).
        pub(super) fn enqueue(this: &Arc<Self>, deadline: Option<Instant>) -> Option<Wakeup> {
            let mut set = this.lock();
            if deadline.is_some_and(|d| d <= Instant::now()) {
                return None;
            }
            let id = set.next_id;
            set.next_id += 1;
            let wakeup = Wakeup::new();
            set.waiters.push_back(Waiter {
                id,
                wakeup: wakeup.clone(),
                deadline,
            });
            let world = world();
            if let Some(deadline) = deadline.filter(|_| world.timer_on()) {
                world.lock_timer().pending.push(Pending {
                    deadline,
                    condvar: Arc::downgrade(this),
                    id,
                });
                world.timer_wake.notify_one();
            }
            Some(wakeup)
        }

        pub(super) fn take_one(&self) -> Option<Wakeup> {
            let mut set = self.lock();
            if set.waiters.is_empty() {
                return None;
            }
            let index = pick(set.waiters.len());
            let waiter = set.waiters.remove(index)?;
            if waiter.deadline.is_some() {
                world().forget_timed(self, &[waiter.id]);
            }
            Some(waiter.wakeup)
        }

        pub(super) fn take_all(
            &self,
            mut which: impl FnMut(&Option<Instant>) -> bool,
        ) -> Vec<Wakeup> {
            let mut set = self.lock();
            let mut taken = Vec::new();
            let mut timed = Vec::new();
            set.waiters.retain(|w| {
                if which(&w.deadline) {
                    if w.deadline.is_some() {
                        timed.push(w.id);
                    }
                    taken.push(w.wakeup.clone());
                    false
                } else {
                    true
                }
            });
            world().forget_timed(self, &timed);
            taken
        }
    }

    /// Which waiter `notify_one` wakes: the longest under loom, any under
    /// shuttle (its random source is part of the replayable schedule).
    #[cfg(loom)]
    fn pick(_len: usize) -> usize {
        0
    }

    #[cfg(shuttle)]
    fn pick(len: usize) -> usize {
        use shuttle::rand::Rng;
        shuttle::rand::thread_rng().gen_range(0..len)
    }

    /// Model time: a thread of the model that fires timeouts.
    ///
    /// While it runs, a timed wait of the crate can time out, and the
    /// checker chooses *when*: the timer thread is scheduled like any other,
    /// so each firing is explored before, during and after every other step
    /// — a waiter can be woken in time, time out, or be notified and past
    /// its deadline at once. Each firing moves the clock to the earliest
    /// pending deadline and wakes the timed waiters whose deadline that
    /// reaches — not the untimed waiters, and not the later deadlines: a
    /// timeout is aimed, as a real timer is.
    ///
    /// The timer fires at most `firings` times, which keeps every execution
    /// finite even when code retries a timed operation in a loop; after
    /// that the clock stands still, and a timed wait only ends when it is
    /// woken. Give it as many firings as the model has timed waits that
    /// must be able to time out. Without a timer the clock never moves and
    /// no timed wait times out — which is what a model of "close must wake
    /// timed waiters at once" wants.
    ///
    /// Start it at the top of the model, before any timed wait, and
    /// [`stop`](Timer::stop) it before the model returns.
    #[derive(Debug)]
    pub struct Timer {
        thread: imp::thread::JoinHandle<()>,
    }

    impl Timer {
        /// Spawns the timer thread, which fires at most `firings` times.
        pub fn start(firings: usize) -> Timer {
            world()
                .timer_on
                .store(true, std::sync::atomic::Ordering::Relaxed);
            let thread = imp::thread::spawn(move || {
                for _ in 0..firings {
                    if !fire() {
                        return;
                    }
                }
            });
            Timer { thread }
        }

        /// Stops the timer thread (if it has firings left) and waits for
        /// it to end.
        pub fn stop(self) {
            let world = world();
            world.lock_timer().stop = true;
            world.timer_wake.notify_one();
            self.thread.join().expect("model timer thread panicked");
        }
    }

    /// One firing: waits for a timed waiter (or the stop), moves the clock
    /// to the earliest deadline and wakes every timed waiter it reaches.
    /// Returns `false` on stop.
    fn fire() -> bool {
        let world = world();
        let mut timer = world.lock_timer();
        while timer.pending.is_empty() && !timer.stop {
            timer = world
                .timer_wake
                .wait(timer)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        if timer.stop {
            return false;
        }
        let deadline = timer
            .pending
            .iter()
            .map(|p| p.deadline)
            .min()
            .expect("not empty");
        let mut due: Vec<Arc<CondvarShared>> = Vec::new();
        for p in timer.pending.iter().filter(|p| p.deadline <= deadline) {
            if let Some(condvar) = p.condvar.upgrade() {
                if !due.iter().any(|c| Arc::ptr_eq(c, &condvar)) {
                    due.push(condvar);
                }
            }
        }
        drop(timer);
        // The clock moves before any wait set is swept, so a waiter that
        // joins a swept set afterwards sees its deadline passed (`enqueue`).
        let clock = &world.clock;
        let now = clock.load(atomic::Ordering::SeqCst).max(deadline.0);
        clock.store(now, atomic::Ordering::SeqCst);
        for condvar in due {
            for wakeup in condvar.take_all(|d| d.is_some_and(|d| d.0 <= now)) {
                wakeup.wake();
            }
        }
        true
    }

    /// Wakes every thread now waiting on any condition variable of the
    /// crate, without a notification and without moving the clock: a
    /// spurious wakeup, which real condition variables may deliver at any
    /// time. Call it from a thread of the model; the checker explores it
    /// at every point of the execution.
    pub fn spurious_wakeup() {
        for condvar in world().live_condvars() {
            for wakeup in condvar.take_all(|_| true) {
                wakeup.wake();
            }
        }
    }

    /// The model clock's reading, as time since the execution began.
    pub fn elapsed() -> Duration {
        Duration::from_nanos(world().clock.load(atomic::Ordering::SeqCst))
    }
}
