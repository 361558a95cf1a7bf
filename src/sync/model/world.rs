//! The per-execution world of the models (the clock, the condition
//! variables, the timer) and the hooks a model drives it with.

use super::condvar::CondvarShared;
use super::{Instant, atomic, imp};
use std::sync::{Arc, Weak};
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
    pub(super) timer_wake: imp::NativeCondvar,
    /// Set by `SpuriousWakeups::start`, before any wait.
    spurious_on: std::sync::atomic::AtomicBool,
    /// Waits begun since the spurious-wakeup thread last fired, and its stop.
    spurious: imp::Mutex<SpuriousState>,
    spurious_wake: imp::NativeCondvar,
}

struct SpuriousState {
    waits: usize,
    stop: bool,
}

pub(super) struct TimerState {
    /// Every timed waiter now in a wait set. Changed in the same
    /// critical section (wait-set lock, then this lock) as the wait set
    /// itself, so the timer never sees a list the wait sets disagree
    /// with.
    pub(super) pending: Vec<Pending>,
    stop: bool,
}

pub(super) struct Pending {
    pub(super) deadline: Instant,
    pub(super) condvar: Weak<CondvarShared>,
    pub(super) id: u64,
}

#[cfg(model = "loom")]
loom::lazy_static! {
    static ref WORLD: World = World::new();
}

#[cfg(model = "shuttle")]
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
            spurious_on: std::sync::atomic::AtomicBool::new(false),
            spurious: imp::Mutex::new(SpuriousState {
                waits: 0,
                stop: false,
            }),
            spurious_wake: imp::NativeCondvar::new(),
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

    fn lock_spurious(&self) -> imp::MutexGuard<'_, SpuriousState> {
        self.spurious
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Tells the spurious-wakeup thread, if one runs, that a wait began;
    /// called with the waiter's wait set locked.
    pub(super) fn wait_began(&self) {
        if !self.spurious_on.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        self.lock_spurious().waits += 1;
        self.spurious_wake.notify_one();
    }

    pub(super) fn timer_on(&self) -> bool {
        self.timer_on.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(super) fn lock_timer(&self) -> imp::MutexGuard<'_, TimerState> {
        self.timer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Forgets timed waiters that left `condvar`'s wait set; called with
    /// that wait set locked.
    pub(super) fn forget_timed(&self, condvar: &CondvarShared, ids: &[u64]) {
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

/// Spurious wakeups at moments the checker chooses: a thread of the model
/// that, up to `firings` times, waits until some thread has begun a wait
/// and then wakes every thread waiting on any condition variable of the
/// crate (as [`spurious_wakeup`] does). Because the checker schedules it
/// like any other thread, a firing is explored at every point after a wait
/// began: it can reach a putter, a getter, a timed waiter or a joiner,
/// between any two steps of the others.
///
/// Start it at the top of the model, before any wait, and
/// [`stop`](SpuriousWakeups::stop) it before the model returns.
#[derive(Debug)]
pub struct SpuriousWakeups {
    thread: imp::thread::JoinHandle<()>,
}

impl SpuriousWakeups {
    /// Spawns the thread, which fires at most `firings` times.
    pub fn start(firings: usize) -> SpuriousWakeups {
        world()
            .spurious_on
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let thread = imp::thread::spawn(move || {
            for _ in 0..firings {
                if !fire_spurious() {
                    return;
                }
            }
        });
        SpuriousWakeups { thread }
    }

    /// Stops the thread (if it has firings left) and waits for it to end.
    pub fn stop(self) {
        let world = world();
        world.lock_spurious().stop = true;
        world.spurious_wake.notify_one();
        self.thread
            .join()
            .expect("model spurious-wakeup thread panicked");
    }
}

/// One firing: waits until a wait began since the last one (or the stop),
/// then wakes every waiter. Returns `false` on stop.
fn fire_spurious() -> bool {
    let world = world();
    let mut state = world.lock_spurious();
    while state.waits == 0 && !state.stop {
        state = world
            .spurious_wake
            .wait(state)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    if state.stop {
        return false;
    }
    state.waits = 0;
    drop(state);
    spurious_wakeup();
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
