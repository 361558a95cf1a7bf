//! Records concurrent histories: the invocation and the response of every
//! call, with the calling thread, its arguments and its result.
//!
//! Timestamps come from one shared counter, ticked (`fetch_add`, SeqCst)
//! right before a call and right after it returns. Under std that is a
//! global `std::sync::atomic::AtomicU64`; under shuttle and loom it is the
//! model checker's own atomic, so each tick is a scheduling point the
//! checker orders like any other. Either way, if a call returned before
//! another was invoked, the first's response tick is smaller than the
//! second's invocation tick: the ticks are consistent with real time, which
//! is all linearizability needs. (Overlap is over-approximated — the ticks
//! stretch each interval a little — which only admits more orders, never
//! rejects a linearizable history.)
//!
//! Each thread records into its own [`ThreadLog`] and hands it back when it
//! ends, so that the only shared state the recorder adds is the counter.

use std::sync::Arc;

#[cfg(loom)]
use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(loom)]
use loom::thread;
#[cfg(shuttle)]
use shuttle::sync::atomic::{AtomicU64, Ordering};
#[cfg(shuttle)]
use shuttle::thread;
#[cfg(not(any(loom, shuttle)))]
use std::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(any(loom, shuttle)))]
use std::thread;

use super::spec::{Op, Ret};
use super::target::Target;

/// One call: who made it, what it was, what it returned and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The calling thread's number in the history.
    pub thread: usize,
    pub op: Op,
    /// `None` if the call never returned (it is pending).
    pub ret: Option<Ret>,
    /// Tick taken right before the call.
    pub call: u64,
    /// Tick taken right after it returned; `None` if pending.
    pub ret_at: Option<u64>,
}

/// A recorded history: every call of every thread, in no particular order.
pub type History = Vec<Event>;

/// The shared tick counter.
#[derive(Debug)]
pub struct Clock(AtomicU64);

impl Clock {
    pub fn new() -> Self {
        Clock(AtomicU64::new(0))
    }

    fn tick(&self) -> u64 {
        self.0.fetch_add(1, Ordering::SeqCst)
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

/// One thread's part of a history.
#[derive(Debug)]
pub struct ThreadLog {
    thread: usize,
    clock: Arc<Clock>,
    events: Vec<Event>,
}

impl ThreadLog {
    pub fn new(thread: usize, clock: Arc<Clock>) -> Self {
        ThreadLog {
            thread,
            clock,
            events: Vec::new(),
        }
    }

    /// Makes `op` on `target`, recording it; returns its result.
    pub fn call<T: Target + ?Sized>(&mut self, target: &T, op: Op) -> Ret {
        let call = self.clock.tick();
        let ret = target.call(&op);
        let ret_at = self.clock.tick();
        self.events.push(Event {
            thread: self.thread,
            op,
            ret: Some(ret.clone()),
            call,
            ret_at: Some(ret_at),
        });
        ret
    }

    pub fn into_events(self) -> Vec<Event> {
        self.events
    }
}

/// Runs one thread per script on the runner's threads (std, shuttle or
/// loom, by cfg), each making its script's calls on `target` in order, and
/// returns the history once every thread has ended.
pub fn record<T: Target + 'static>(target: &Arc<T>, scripts: &[Vec<Op>]) -> History {
    let clock = Arc::new(Clock::new());
    let threads: Vec<_> = scripts
        .iter()
        .enumerate()
        .map(|(thread, script)| {
            let target = Arc::clone(target);
            let clock = Arc::clone(&clock);
            let script = script.clone();
            thread::spawn(move || {
                let mut log = ThreadLog::new(thread, clock);
                for op in script {
                    log.call(&*target, op);
                }
                log.into_events()
            })
        })
        .collect();
    threads
        .into_iter()
        .flat_map(|t| t.join().expect("a recorded thread panicked"))
        .collect()
}
