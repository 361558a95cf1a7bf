//! Mutation switches: known bugs kept at their real places in the production
//! code, so that the model suites can show they reject them *in the code
//! users run*, not in a stand-in.
//!
//! Each [`Fault`] names one deliberate deviation. Production code asks
//! [`active`] at the place where the bug would be:
//!
//! ```ignore
//! if !fault::active(Fault::SkipGetterWakeup) {
//!     self.not_empty.notify_one();
//! }
//! ```
//!
//! * In a std build `active` is a `const fn` that returns `false`: the
//!   branch is dead and compiles away, and [`Fault`] is not even public.
//! * In a model build (`--cfg loom`, `--cfg shuttle`) the switches are read
//!   from a set kept per OS thread. Both checkers run every model thread of
//!   an execution as a coroutine on the OS thread that called the checker,
//!   so a switch set around one test's model is seen by all of that model's
//!   threads and by no other test, even when the test harness runs tests in
//!   parallel.
//!
//! A model test turns a switch on with `prodcon::model::inject`:
//!
//! ```ignore
//! prodcon::model::inject(&[Fault::SkipGetterWakeup], || loom::model(scenario));
//! ```

/// A deliberate bug that a model test can switch on (model builds only).
///
/// Every variant says what goes wrong and which failure the models report.
/// VERIFICATION.md lists, for each, the loom model and the shuttle test that
/// reject it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(not(any(loom, shuttle)), allow(unreachable_pub, dead_code))]
pub enum Fault {
    /// Placeholder so that the enum is never empty before the catalog fills it.
    #[doc(hidden)]
    None,
    // split pair (src/channel.rs)
    /// The last [`Sender`](crate::Sender)'s drop does not close the buffer,
    /// so nothing wakes the receivers blocked on it and none of them ever
    /// sees the end: the models report a **deadlock**
    /// (`catches_a_sender_drop_that_skips_the_close` in the `loom_channel`
    /// and `shuttle_channel` tests, and `..._exhaustive` in `loom_channel`).
    SenderDropSkipsClose,
    /// The last [`Receiver`](crate::Receiver)'s drop does not close the
    /// buffer, so a sender blocked on the full buffer is never woken and
    /// never gets its item back: the models report a **deadlock**
    /// (`catches_a_receiver_drop_that_skips_the_close` in `loom_channel`
    /// and `shuttle_channel`).
    ReceiverDropSkipsClose,
    /// A clone of a handle does not count itself, so the count is one short
    /// per clone and the first drop of a side looks like its last: the
    /// buffer closes while senders are alive, and a send on a live sender
    /// fails. The models report an **early close**
    /// (`catches_a_handle_count_off_by_one` in `loom_channel` and
    /// `shuttle_channel`).
    HandleCountOffByOne,
    /// A handle's drop counts itself out with a load and a store instead of
    /// one read-modify-write: two handles of a side dropped at once both
    /// read 2 and store 1, neither sees itself last, and the buffer never
    /// closes. A receiver waits forever: the models report a **deadlock**
    /// (`catches_a_racy_handle_count` and `..._exhaustive` in
    /// `loom_channel`, `catches_a_racy_handle_count` in `shuttle_channel`).
    /// Where a clone also races the drop, a lost increment closes the
    /// buffer early instead: **early close**
    /// (`shuttle_channel`'s `catches_a_racy_handle_count_when_clones_race_drops`).
    /// Only an interleaving shows either.
    HandleCountRace,
}

impl Fault {
    #[cfg(any(loom, shuttle))]
    fn bit(self) -> u64 {
        1 << (self as u32)
    }
}

/// Whether `fault` is switched on. Always `false` in a std build.
#[cfg(not(any(loom, shuttle)))]
#[inline(always)]
#[allow(dead_code)]
pub(crate) const fn active(_fault: Fault) -> bool {
    false
}

#[cfg(any(loom, shuttle))]
std::thread_local! {
    static ACTIVE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether `fault` is switched on for the model running on this thread.
#[cfg(any(loom, shuttle))]
#[allow(dead_code)]
pub(crate) fn active(fault: Fault) -> bool {
    ACTIVE.with(|set| set.get() & fault.bit() != 0)
}

/// Runs `f` (typically a whole `loom::model` or shuttle run) with `faults`
/// switched on, and switches them off again afterwards, also when `f`
/// panics, as a model that rejects a bug does.
#[cfg(any(loom, shuttle))]
pub fn inject<R>(faults: &[Fault], f: impl FnOnce() -> R) -> R {
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            ACTIVE.with(|set| set.set(self.0));
        }
    }
    let bits = faults.iter().fold(0, |bits, fault| bits | fault.bit());
    let _restore = Restore(ACTIVE.with(|set| set.replace(bits)));
    f()
}

#[cfg(all(test, any(loom, shuttle)))]
mod tests {
    use super::{Fault, active, inject};
    use crate::sync::thread;

    #[cfg(loom)]
    fn model(f: impl Fn() + Send + Sync + 'static) {
        loom::model(f);
    }

    #[cfg(shuttle)]
    fn model(f: impl Fn() + Send + Sync + 'static) {
        shuttle::check_random(f, 10);
    }

    /// The mechanism rests on the checker running every model thread on the
    /// calling OS thread: a switch set around the model is seen by a thread
    /// the model spawns, and is off again afterwards.
    #[test]
    fn a_switch_reaches_spawned_model_threads_and_is_restored() {
        inject(&[Fault::None], || {
            model(|| {
                assert!(active(Fault::None));
                let seen = thread::spawn(|| active(Fault::None)).join().unwrap();
                assert!(seen, "a model thread did not see the switch");
            })
        });
        assert!(!active(Fault::None));
        model(|| {
            let seen = thread::spawn(|| active(Fault::None)).join().unwrap();
            assert!(!seen, "a switch leaked out of inject");
        });
    }
}
