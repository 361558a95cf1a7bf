//! The model condition variable: a wait set of model primitives that
//! notifications, the model timer and spurious wakeups take waiters from.

use super::{Instant, MutexGuard, imp, world};
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

/// A condition variable built from model primitives so that the model can
/// time out a timed waiter and wake any waiter spuriously (see the module
/// docs).
#[derive(Debug)]
pub struct Condvar {
    shared: Arc<CondvarShared>,
}

impl Condvar {
    /// A condition variable with no waiter, registered with this
    /// execution's world (so that spurious wakeups and the timer reach it).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let shared = Arc::new(CondvarShared::new());
        world::register(&shared);
        Self { shared }
    }

    /// Releases the lock, waits until a notification, the timer (never, for
    /// an untimed wait) or a spurious wakeup takes this waiter, retakes the
    /// lock.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        self.wait_inner(guard, None)
    }

    /// Like [`wait`](Self::wait), and the model timer may end it once the
    /// model clock reaches `deadline`. The caller compares
    /// [`Instant::now`] with its deadline.
    pub fn wait_until<'a, T>(
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
        let Some(wakeup) = CondvarShared::enqueue(&self.shared, deadline) else {
            return guard;
        };
        let MutexGuard { lock, guard } = guard;
        drop(guard);
        // Whoever takes this waiter out of the wait set wakes it exactly
        // once; a wakeup that lands before `wait` is kept, not lost.
        wakeup.wait();
        lock.lock()
    }

    /// Wakes one waiter: under loom the longest one (or the newest, inside
    /// [`newest_first`]), under shuttle one the scheduler chooses.
    pub fn notify_one(&self) {
        if let Some(wakeup) = self.shared.take_one() {
            wakeup.wake();
        }
    }

    /// Wakes every waiter.
    pub fn notify_all(&self) {
        for wakeup in self.shared.take_all(|_| true) {
            wakeup.wake();
        }
    }
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
#[cfg(model = "loom")]
#[derive(Clone)]
pub(super) struct Wakeup(imp::thread::Thread);

#[cfg(model = "loom")]
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

#[cfg(model = "shuttle")]
#[derive(Clone)]
pub(super) struct Wakeup(Arc<(imp::Mutex<bool>, imp::NativeCondvar)>);

#[cfg(model = "shuttle")]
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
        let world = world::world();
        if let Some(deadline) = deadline.filter(|_| world.timer_on()) {
            world.lock_timer().pending.push(world::Pending {
                deadline,
                condvar: Arc::downgrade(this),
                id,
            });
            world.timer_wake.notify_one();
        }
        world.wait_began();
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
            world::world().forget_timed(self, &[waiter.id]);
        }
        Some(waiter.wakeup)
    }

    pub(super) fn take_all(&self, mut which: impl FnMut(&Option<Instant>) -> bool) -> Vec<Wakeup> {
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
        world::world().forget_timed(self, &timed);
        taken
    }
}

/// Which waiter `notify_one` wakes under loom: the longest one, or, inside
/// [`newest_first`], the newest one. Real condition variables promise no
/// order; loom has no random choice to branch on, so a model that wants
/// both orders runs twice (the `models_newest_first` target runs every loom
/// model of the suite a second time so).
#[cfg(model = "loom")]
pub(super) fn pick(len: usize) -> usize {
    if NEWEST_FIRST.with(std::cell::Cell::get) {
        len - 1
    } else {
        0
    }
}

#[cfg(model = "loom")]
std::thread_local! {
    // Per OS thread, as the mutation switches are: loom runs a model's
    // threads as coroutines on the thread that called it.
    static NEWEST_FIRST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` (a whole `loom::model`) with `notify_one` waking the newest
/// waiter instead of the longest one. Under shuttle the scheduler's random
/// source already chooses the waiter, so this only runs `f`.
pub fn newest_first<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(model = "loom")]
    {
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                NEWEST_FIRST.with(|n| n.set(self.0));
            }
        }
        let _restore = Restore(NEWEST_FIRST.with(|n| n.replace(true)));
        f()
    }
    #[cfg(model = "shuttle")]
    f()
}

#[cfg(model = "shuttle")]
pub(super) fn pick(len: usize) -> usize {
    use shuttle::rand::Rng;
    shuttle::rand::thread_rng().gen_range(0..len)
}
