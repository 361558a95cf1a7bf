//! A short, bounded busy-wait that a blocking call tries before it parks on
//! a condition variable.
//!
//! Parking costs a futex wait for the sleeper and a futex wake for whoever
//! wakes it, two system calls and a context switch, while the other side
//! of a busy buffer usually makes room (or brings an item) within a
//! microsecond. So a waiter first releases the lock and pauses for a few
//! rounds, reading the other side's atomic counter (without a lock)
//! between rounds, and only then takes the lock again and, if it still has
//! to, waits on the condition variable. Nothing is decided on what the
//! spinner read: every decision is made again under the lock, so a stale
//! read can only end a spin early or late.
//!
//! * std: the first [`SPIN_ROUNDS`] rounds spin `2^round` times with
//!   [`std::hint::spin_loop`]; the rounds after that yield the thread,
//!   which matters on a machine with fewer cores than threads, where a
//!   spinner would otherwise hold the core the other side needs
//!   (crossbeam's `Backoff::snooze` does the same). The yield phase is
//!   long enough to cover the other side's work on a whole batch.
//! * shuttle: one round, and that round is a `yield_now` of the model, so
//!   the randomized schedules explore "release the lock, let others run,
//!   take it again" before every park.
//! * loom: no round at all, and callers skip the release and retake
//!   ([`enabled`] is `false`): a spin only postpones a park, and every
//!   round multiplies loom's executions (DESIGN.md, "Spin, then park").

/// Whether a waiter spins at all before it parks: not under loom, where
/// callers also skip releasing and retaking the lock for it.
pub(crate) const fn enabled() -> bool {
    !cfg!(model = "loom")
}

/// Rounds that busy-spin (`2^round` spin-loop hints each).
#[cfg(not(model))]
const SPIN_ROUNDS: u32 = 7;
/// Rounds a waiter spends before it parks: the spinning ones, then 20
/// that yield the thread.
#[cfg(not(model))]
const ROUNDS: u32 = SPIN_ROUNDS + 20;
/// Rounds a waiter spends before it parks: one, a model `yield_now`.
#[cfg(model = "shuttle")]
const ROUNDS: u32 = 1;

/// Pauses for round `round` of a spin.
#[cfg(not(model))]
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
#[cfg(model = "shuttle")]
fn pause(_round: u32) {
    shuttle::thread::yield_now();
}

/// Spins until `ready()` or the rounds run out. `ready` is not asked
/// after the last round: the caller takes the lock and looks then.
#[cfg(not(model = "loom"))]
pub(crate) fn until(mut ready: impl FnMut() -> bool) {
    for round in 0..ROUNDS {
        pause(round);
        if round + 1 < ROUNDS && ready() {
            return;
        }
    }
}

/// Never called under loom (see [`enabled`]).
#[cfg(model = "loom")]
pub(crate) fn until(ready: impl FnMut() -> bool) {
    let _ = ready;
}
