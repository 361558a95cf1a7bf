//! Mutation switches: known bugs kept at their real places in the production
//! code, so that the model suites can show they reject them *in the code
//! users run*, not in a stand-in.
//!
//! Each [`Fault`] names one deliberate deviation. Production code asks
//! [`active`] at the place where the bug would be:
//!
//! ```text
//! if !fault::active(Fault::SkipGetterWakeup) {
//!     self.getters.notify_one();
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
//! ```text
//! prodcon::model::inject(&[Fault::SkipGetterWakeup], || loom::model(scenario));
//! ```

/// A deliberate bug that a model test can switch on (model builds only).
///
/// Every variant says what goes wrong and which failure the models report.
/// VERIFICATION.md lists, for each, the loom model and the shuttle test that
/// reject it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(not(model), allow(unreachable_pub, dead_code))]
pub enum Fault {
    /// Placeholder so that the enum is never empty before the catalog fills it.
    #[doc(hidden)]
    None,

    // The catalog: the buffer (src/buffer) and the pipeline (src/pipeline).
    // VERIFICATION.md ("The bug catalog on the real code") lists, for each, the tests that reject it and what
    // they report.
    /// `close` (`lanes.rs`, `Shared::close`) wakes one waiter per side
    /// (`notify_one`) instead of every one. The first getter woken sees the
    /// close and returns without passing anything on; the others sleep on a
    /// closed buffer. Reported as a deadlock.
    CloseWakesOne,
    /// A timed waiter (`wait.rs`, `Shared::block`) that is past its
    /// deadline when it wakes gives up at once, without looking: when a
    /// notification woke it (rather than the timer), that notification is
    /// swallowed, and the waiter it should have reached sleeps next to the
    /// item (or the room). Reported as a deadlock.
    TimeoutSwallowsWakeup,
    /// `if` instead of `while` around the getter's wait (`lanes.rs`,
    /// `Shared::get`): after one wakeup (or one spin) it looks once more
    /// and, finding nothing, returns as if the buffer were closed. A
    /// spurious wakeup ends a `get` on an open buffer: reported as "get
    /// returned on an open, empty buffer".
    GetIfNotWhile,
    /// A thread about to park does not take its last look (`wait.rs`,
    /// `Shared::block`): it parks without marking the other side's lane
    /// and looking at its count there, so an advance that came after its
    /// look under its own lock, and saw no mark, is missed; and no later
    /// advance is told to wake it. Reported as a deadlock.
    ParkWithoutLastLook,
    /// The advance that frees slots wakes one putter whatever it freed
    /// (`lanes.rs`, `Shared::finish_get`): a `get_many` that empties a full
    /// buffer wakes one of the putters it made room for, and the others
    /// sleep next to room. Reported as a deadlock.
    WakePuttersAssumesOneItem,
    /// A getter about to park sets its mark in the put lane without its
    /// last look there (`wait.rs`, `Shared::block`): it parks on what it
    /// saw under its own lock, and a put that came in between, before the
    /// mark, woke nobody. Reported as a deadlock.
    GetterMarksWithoutLooking,
    /// A putter about to park sets its mark in the get lane without its
    /// last look there (`wait.rs`, `Shared::block`): the putter's side of
    /// [`Fault::GetterMarksWithoutLooking`], a get that freed a slot while
    /// the putter had let go of its lock to take both is missed.
    /// Reported as a deadlock.
    PutterMarksWithoutLooking,
    /// Refill swaps the two lanes' queues even when the get lane still
    /// holds items (`lanes.rs`, `Shared::refill`, reached by a `get_many`
    /// that wants more than the get lane holds): the older items go
    /// behind the newer ones. Reported as "reordered".
    RefillSwapsNonEmpty,
    /// A thread about to wait is not counted in its lane's waiter count
    /// (`wait.rs`, `Shared::block`): a waker that finds its mark reads
    /// "nobody waits" and sends no notification. Reported as a deadlock.
    WaiterNotCounted,
    /// After its spin (`wait.rs`, `Shared::block`) a waiter retakes the
    /// lock and parks at once instead of returning for its caller to look
    /// again: a close while the lock was released (and the waiter was not
    /// counted) is missed. (An advance in that window is not: the last look
    /// before parking sees it.) Under loom, where the spin has no rounds,
    /// the switch also turns on the release and retake, which is the window
    /// that matters. Reported as a deadlock.
    SpinSkipsRecheck,
    /// A putter wakes the getters with the put lock still held (`lanes.rs`,
    /// `Shared::finish_put`): put lock, then get lock, against the order that
    /// refill and the last look keep (get, then put). A getter refilling
    /// at that moment and the putter each wait for the other's lock.
    /// Reported as a deadlock.
    WakeGettersUnderPutLock,
    /// `get` checks the closed flag before it looks for items (`lanes.rs`,
    /// `Shared::get`): after a close, getters return "closed" while items
    /// are still buffered. Reported as "a getter gave up while items were
    /// buffered".
    GetChecksClosedFirst,
    /// `drain` does not wake the putters waiting on the full buffer it has
    /// just emptied (`lanes.rs`, `Shared::drain`). Reported as a deadlock.
    DrainWakesNoPutter,
    /// `if` instead of `while` around `join`'s wait (`lanes.rs`,
    /// `Shared::join`): a spurious wakeup ends the join while tasks are
    /// unfinished. Reported as "join returned early".
    JoinIfNotWhile,
    /// The graceful shutdown (`system.rs`,
    /// `ProducerConsumerSystem::shutdown_graceful`) sends one poison pill
    /// fewer than there are consumers: one consumer never stops, and the
    /// shutdown waits for it forever. Reported as a deadlock.
    OnePillTooFew,
    /// A producer refused by a closed buffer (`producer.rs`,
    /// `produce`, during `shutdown_now`) drops the item in hand
    /// instead of handing it back as undelivered. Reported as "produced =
    /// consumed + failed + undelivered" (an item is lost).
    ProducerDropsItemOnClose,
    /// A producer whose timed put timed out (`producer.rs`,
    /// `produce`) goes on with its next item instead of retrying the
    /// one in hand, which is lost. Reported as "produced = consumed +
    /// failed + undelivered".
    ProducerDropsItemOnRetry,
    /// A consumer goes on taking after its poison pill (`consumer.rs`,
    /// `Consumer::run`): it waits for more on a buffer nobody will fill or
    /// close, and the shutdown waits for it forever (or it takes another
    /// consumer's pill). Reported as a deadlock.
    ConsumerGoesOnAfterPill,
    /// A get takes a queued pill before it looks for items (`lanes.rs`,
    /// `Shared::get`): a consumer stops while items are still buffered,
    /// and the graceful shutdown hands them back undelivered instead of
    /// consumed. Reported as "lost or duplicated items".
    PillBeforeItems,
    /// Queuing the pills wakes no getter (`lanes.rs`, `Shared::put_pills`):
    /// a consumer asleep on the empty buffer never learns of its pill, and
    /// the shutdown waits for it forever. Reported as a deadlock.
    PillsWakeNoGetter,
    /// `if` instead of `while` around the putter's wait (`lanes.rs`,
    /// `Shared::put`): after one wakeup (or one spin) it puts without
    /// looking whether there is room. A spurious wakeup of a putter on a
    /// full buffer overfills it; the debug assertion in `Shared::finish_put`
    /// reports "more items than capacity". Only a spurious wakeup that
    /// reaches a putter shows it (`catches_a_put_with_if_not_while` in the `models`
    /// target's `paths::`, under loom and shuttle), which the catalog's scenarios
    /// never deliver; it is therefore not in [`Fault::CATALOG`].
    PutIfNotWhile,

    // split pair (src/channel.rs)
    /// The last [`Sender`](crate::Sender)'s drop does not close the buffer,
    /// so nothing wakes the receivers blocked on it and none of them ever
    /// sees the end: the models report a **deadlock**
    /// (`catches_a_sender_drop_that_skips_the_close`, loom and shuttle, and
    /// `..._exhaustive`, loom, in the `models` target's `channel::`).
    SenderDropSkipsClose,
    /// The last [`Receiver`](crate::Receiver)'s drop does not close the
    /// buffer, so a sender blocked on the full buffer is never woken and
    /// never gets its item back: the models report a **deadlock**
    /// (`catches_a_receiver_drop_that_skips_the_close` in the `models`
    /// target's `channel::`, loom and shuttle).
    ReceiverDropSkipsClose,
    /// A clone of a handle does not count itself, so the count is one short
    /// per clone and the first drop of a side looks like its last: the
    /// buffer closes while senders are alive, and a send on a live sender
    /// fails. The models report an **early close**
    /// (`catches_a_handle_count_off_by_one` in the `models` target's
    /// `channel::`, loom and shuttle).
    HandleCountOffByOne,
    /// A handle's drop counts itself out with a load and a store instead of
    /// one read-modify-write: two handles of a side dropped at once both
    /// read 2 and store 1, neither sees itself last, and the buffer never
    /// closes. A receiver waits forever: the models report a **deadlock**
    /// (`catches_a_racy_handle_count`, loom and shuttle, and `..._exhaustive`,
    /// loom, in the `models` target's `channel::`).
    /// Where a clone also races the drop, a lost increment closes the
    /// buffer early instead: **early close**
    /// (`channel::catches_a_racy_handle_count_when_clones_race_drops`, shuttle).
    /// Only an interleaving shows either.
    HandleCountRace,
}

impl Fault {
    /// Every fault of the catalog (the buffer's and the pipeline's), for the
    /// tests that check that each has a model that rejects it.
    #[cfg(model)]
    pub const CATALOG: &'static [Fault] = &[
        Fault::CloseWakesOne,
        Fault::TimeoutSwallowsWakeup,
        Fault::GetIfNotWhile,
        Fault::ParkWithoutLastLook,
        Fault::WakePuttersAssumesOneItem,
        Fault::GetterMarksWithoutLooking,
        Fault::PutterMarksWithoutLooking,
        Fault::RefillSwapsNonEmpty,
        Fault::WaiterNotCounted,
        Fault::SpinSkipsRecheck,
        Fault::WakeGettersUnderPutLock,
        Fault::GetChecksClosedFirst,
        Fault::DrainWakesNoPutter,
        Fault::JoinIfNotWhile,
        Fault::OnePillTooFew,
        Fault::ProducerDropsItemOnClose,
        Fault::ProducerDropsItemOnRetry,
        Fault::PillBeforeItems,
        Fault::PillsWakeNoGetter,
        Fault::ConsumerGoesOnAfterPill,
    ];
}

impl Fault {
    #[cfg(model)]
    fn bit(self) -> u64 {
        1 << (self as u32)
    }
}

/// Whether `fault` is switched on. Always `false` in a std build.
#[cfg(not(model))]
#[inline(always)]
#[allow(dead_code)]
pub(crate) const fn active(_fault: Fault) -> bool {
    false
}

#[cfg(model)]
std::thread_local! {
    static ACTIVE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Whether `fault` is switched on for the model running on this thread.
#[cfg(model)]
#[allow(dead_code)]
pub(crate) fn active(fault: Fault) -> bool {
    ACTIVE.with(|set| set.get() & fault.bit() != 0)
}

/// Runs `f` (typically a whole `loom::model` or shuttle run) with `faults`
/// switched on, and switches them off again afterwards, also when `f`
/// panics, as a model that rejects a bug does.
#[cfg(model)]
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

#[cfg(all(test, model))]
mod tests {
    use super::{Fault, active, inject};
    use crate::sync::thread;

    #[cfg(model = "loom")]
    fn model(f: impl Fn() + Send + Sync + 'static) {
        loom::model(f);
    }

    #[cfg(model = "shuttle")]
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
