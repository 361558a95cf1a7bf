//! Known-buggy bounded buffers, built on the crate's own facade, that the
//! models must reject.
//!
//! `Faulty<T, BUG>` is a textbook Mutex + two-Condvar buffer (it notifies on
//! every put and get, no waiter counts). `Faulty<T, bug::NONE>` is correct
//! and passes every model, which shows that the harness is sound; each other
//! `BUG` changes exactly one thing, at the line marked `BUG`, into a bug
//! that has shipped in real blocking queues.

use super::queue::{Queue, StopTimer};
use prodcon::model::{Condvar, Instant, Mutex, MutexGuard};
use prodcon::{GetTimeoutError, PutTimeoutError, TaskDoneError};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

/// The catalog. (h), the pipeline that sends one poison pill too few, is a
/// pipeline bug and lives with the pipeline models.
pub mod bug {
    /// No bug: the reference the others are derived from.
    pub const NONE: u8 = 0;
    /// (a) One condition variable shared by putters and getters, signalled
    /// with `notify_one`: a put can wake a putter instead of a getter (and a
    /// get a getter), and then everyone sleeps. Needs 1 producer, 2
    /// consumers, capacity 1 (or 2 producers, 1 consumer).
    pub const SINGLE_CONDVAR: u8 = 1;
    /// (b) `close` wakes one waiter per side instead of all of them.
    pub const CLOSE_WAKES_ONE: u8 = 2;
    /// (c) `get` forgets to notify the putting side.
    pub const GET_FORGETS_NOTIFY: u8 = 3;
    /// (d) `if` instead of `while` around the wait in `get`: after a
    /// spurious (or stolen) wakeup it finds the buffer empty and reports
    /// it closed.
    pub const IF_NOT_WHILE: u8 = 4;
    /// (e) A timed waiter that wakes past its deadline gives up before
    /// looking at the buffer: if a `notify_one` woke it, that notification
    /// is lost, and the item it announced sits there while another waiter
    /// sleeps.
    pub const TIMEOUT_SWALLOWS_NOTIFY: u8 = 5;
    /// (f) `get_timeout` takes the item, then notices the deadline and
    /// reports a timeout: the item is dropped.
    pub const TIMEOUT_DROPS_ITEM: u8 = 6;
    /// (g) Timed waiters wait on their own condition variables, and `close`
    /// wakes only the untimed ones: a `get_timeout` goes on sleeping after
    /// the close until its deadline.
    pub const CLOSE_SKIPS_TIMED: u8 = 7;
    /// (i) A put wakes a getter only when it made the buffer non-empty,
    /// and a get wakes a putter only when it made it non-full, as a
    /// two-lock queue does to keep each side out of the other's lock — but
    /// the woken thread does not pass the wakeup on. Two getters wait on an
    /// empty buffer of capacity 2, two puts come: the first wakes one
    /// getter, the second wakes nobody, and the other getter sleeps next
    /// to an item. (The real buffer passes the wakeup on.)
    pub const TRANSITION_ONLY: u8 = 8;

    /// Every bug, with its catalog letter.
    pub const ALL: [(char, u8); 8] = [
        ('a', SINGLE_CONDVAR),
        ('b', CLOSE_WAKES_ONE),
        ('c', GET_FORGETS_NOTIFY),
        ('d', IF_NOT_WHILE),
        ('e', TIMEOUT_SWALLOWS_NOTIFY),
        ('f', TIMEOUT_DROPS_ITEM),
        ('g', CLOSE_SKIPS_TIMED),
        ('i', TRANSITION_ONLY),
    ];
}

pub struct Faulty<T, const BUG: u8> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    not_full: Condvar,
    not_empty: Condvar,
    all_done: Condvar,
    // Only used by CLOSE_SKIPS_TIMED.
    timed_not_full: Condvar,
    timed_not_empty: Condvar,
    capacity: usize,
}

struct State<T> {
    items: VecDeque<T>,
    closed: bool,
    unfinished: usize,
}

enum Refused {
    NotNow,
    Closed,
}

impl<T, const BUG: u8> Clone for Faulty<T, BUG> {
    fn clone(&self) -> Self {
        Faulty {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T, const BUG: u8> Faulty<T, BUG> {
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0);
        Faulty {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    items: VecDeque::new(),
                    closed: false,
                    unfinished: 0,
                }),
                not_full: Condvar::new(),
                not_empty: Condvar::new(),
                all_done: Condvar::new(),
                timed_not_full: Condvar::new(),
                timed_not_empty: Condvar::new(),
                capacity,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.shared.state.lock()
    }

    /// Where putters wait.
    fn putters(&self, timed: bool) -> &Condvar {
        match BUG {
            bug::SINGLE_CONDVAR => &self.shared.not_empty, // BUG (a)
            bug::CLOSE_SKIPS_TIMED if timed => &self.shared.timed_not_full, // BUG (g)
            _ => &self.shared.not_full,
        }
    }

    /// Where getters wait.
    fn getters(&self, timed: bool) -> &Condvar {
        match BUG {
            bug::CLOSE_SKIPS_TIMED if timed => &self.shared.timed_not_empty, // BUG (g)
            _ => &self.shared.not_empty,
        }
    }

    fn wake_a_putter(&self) {
        self.putters(false).notify_one();
        if BUG == bug::CLOSE_SKIPS_TIMED {
            self.putters(true).notify_one();
        }
    }

    fn wake_a_getter(&self) {
        self.getters(false).notify_one();
        if BUG == bug::CLOSE_SKIPS_TIMED {
            self.getters(true).notify_one();
        }
    }

    /// `None`: don't wait. `Some(None)`: wait forever.
    fn put_inner(&self, item: T, wait: Option<Option<Instant>>) -> Result<(), (T, Refused)> {
        let mut state = self.lock();
        loop {
            if state.closed {
                return Err((item, Refused::Closed));
            }
            if state.items.len() < self.shared.capacity {
                let was_empty = state.items.is_empty();
                state.items.push_back(item);
                state.unfinished += 1;
                drop(state);
                if BUG != bug::TRANSITION_ONLY || was_empty {
                    self.wake_a_getter(); // BUG (i) when skipped
                }
                return Ok(());
            }
            let Some(deadline) = wait else {
                return Err((item, Refused::NotNow));
            };
            match deadline {
                None => state = self.putters(false).wait(state),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        return Err((item, Refused::NotNow));
                    }
                    state = self.putters(true).wait_until(state, deadline);
                    if BUG == bug::TIMEOUT_SWALLOWS_NOTIFY && Instant::now() >= deadline {
                        return Err((item, Refused::NotNow)); // BUG (e)
                    }
                }
            }
        }
    }

    fn get_inner(&self, wait: Option<Option<Instant>>) -> Result<T, Refused> {
        let mut state = self.lock();
        loop {
            let was_full = state.items.len() >= self.shared.capacity;
            if let Some(item) = state.items.pop_front() {
                drop(state);
                let skip = match BUG {
                    bug::GET_FORGETS_NOTIFY => true,   // BUG (c)
                    bug::TRANSITION_ONLY => !was_full, // BUG (i)
                    _ => false,
                };
                if !skip {
                    self.wake_a_putter();
                }
                return Ok(item);
            }
            if state.closed {
                return Err(Refused::Closed);
            }
            let Some(deadline) = wait else {
                return Err(Refused::NotNow);
            };
            match deadline {
                None => state = self.getters(false).wait(state),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        return Err(Refused::NotNow);
                    }
                    state = self.getters(true).wait_until(state, deadline);
                    if BUG == bug::TIMEOUT_SWALLOWS_NOTIFY && Instant::now() >= deadline {
                        return Err(Refused::NotNow); // BUG (e)
                    }
                    if BUG == bug::TIMEOUT_DROPS_ITEM && Instant::now() >= deadline {
                        // BUG (f): takes the item, then times out.
                        let taken = state.items.pop_front();
                        drop(state);
                        drop(taken);
                        return Err(Refused::NotNow);
                    }
                }
            }
            if BUG == bug::IF_NOT_WHILE {
                // BUG (d): checked once, as with an `if`: whatever woke us,
                // take what is there or report the buffer finished.
                return match state.items.pop_front() {
                    Some(item) => {
                        drop(state);
                        self.wake_a_putter();
                        Ok(item)
                    }
                    None => Err(Refused::Closed),
                };
            }
        }
    }
}

impl<T: Send + 'static, const BUG: u8> Queue<T> for Faulty<T, BUG> {
    const NAME: &'static str = "Faulty";

    fn with_capacity(capacity: usize) -> Self {
        Faulty::new(capacity)
    }

    fn put(&self, item: T) -> Result<(), T> {
        self.put_inner(item, Some(None)).map_err(|(item, _)| item)
    }

    fn get(&self) -> Option<T> {
        self.get_inner(Some(None)).ok()
    }

    fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        self.put_inner(item, Some(Instant::after(timeout)))
            .map_err(|(item, why)| match why {
                Refused::NotNow => PutTimeoutError::Timeout(item),
                Refused::Closed => PutTimeoutError::Closed(item),
            })
    }

    fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        self.get_inner(Some(Instant::after(timeout)))
            .map_err(|why| match why {
                Refused::NotNow => GetTimeoutError::Timeout,
                Refused::Closed => GetTimeoutError::Closed,
            })
    }

    fn close(&self) -> bool {
        let mut state = self.lock();
        if state.closed {
            return false;
        }
        state.closed = true;
        drop(state);
        if BUG == bug::CLOSE_WAKES_ONE {
            // BUG (b)
            self.putters(false).notify_one();
            self.getters(false).notify_one();
        } else {
            // BUG (g): the timed condition variables are not woken.
            self.putters(false).notify_all();
            self.getters(false).notify_all();
        }
        true
    }

    fn drain(&self) -> Vec<T> {
        let mut state = self.lock();
        let drained: Vec<T> = state.items.drain(..).collect();
        state.unfinished = state.unfinished.saturating_sub(drained.len());
        let done = state.unfinished == 0;
        drop(state);
        self.putters(false).notify_all();
        if done {
            self.shared.all_done.notify_all();
        }
        drained
    }

    fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.lock();
        if state.unfinished == 0 {
            return Err(TaskDoneError);
        }
        state.unfinished -= 1;
        let done = state.unfinished == 0;
        drop(state);
        if done {
            self.shared.all_done.notify_all();
        }
        Ok(())
    }

    fn join(&self) {
        let mut state = self.lock();
        while state.unfinished > 0 {
            state = self.shared.all_done.wait(state);
        }
    }

    fn join_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::after(timeout);
        let mut state = self.lock();
        while state.unfinished > 0 {
            match deadline {
                None => state = self.shared.all_done.wait(state),
                Some(deadline) => {
                    if Instant::now() >= deadline {
                        return false;
                    }
                    state = self.shared.all_done.wait_until(state, deadline);
                }
            }
        }
        true
    }

    fn len(&self) -> usize {
        self.lock().items.len()
    }

    fn start_timer(firings: usize) -> StopTimer {
        let timer = prodcon::model::Timer::start(firings);
        StopTimer(Box::new(move || timer.stop()))
    }

    fn spurious_wakeup() {
        prodcon::model::spurious_wakeup()
    }
}
