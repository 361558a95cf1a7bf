//! The split pair's handle counting (`src/channel.rs`): which drop is a
//! side's last, and that it closes the buffer while the other side is
//! blocked in it. The real `bounded`, `Sender` and `Receiver` run here, on
//! the real buffer; the scenarios are in `tests/support/channel.rs`.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models channel:: -- --nocapture
//! RUSTFLAGS="--cfg shuttle" cargo test --test models channel::
//! ```
//!
//! loom explores the small scenarios; shuttle runs 4 senders × 4 receivers
//! under its random scheduler and PCT (seeds fixed per run, see
//! `support/shuttle_runner.rs`). Each scenario first passes as written,
//! then, with one mutation switch of `prodcon::model::Fault` turned on at
//! its real place in `src/channel.rs`, is rejected for the expected reason
//! — with the same bound or schedule. Each doc comment gives the bound (or
//! says exhaustive); the executions loom explores are printed with
//! `-- --nocapture`.
#![cfg(any(loom, shuttle))]

use crate::support::channel::*;
use crate::support::harness::{model, rejects};

model! {
    /// Exactly once, and the end for every receiver, with only drops
    /// closing: 4 senders × 3 items, 4 receivers, capacity 1. shuttle,
    /// random 20 000 and PCT depth 3, 20 000.
    senders_close_by_dropping_4s_4r_cap1 = senders_close_by_dropping {
        shuttle: random(20_000), pct(20_000, 3) with (4, 4, 1, 3, false);
    }

    /// Clones racing drops: every send through a fresh clone, dropped
    /// after it; 4 senders × 3 items, 4 receivers, capacity 2. shuttle,
    /// random 20 000 and PCT depth 3, 20 000.
    clones_race_drops_4s_4r_cap2 = senders_close_by_dropping {
        shuttle: random(20_000), pct(20_000, 3) with (4, 4, 2, 3, true);
    }

    /// Receivers leaving while senders send: 4 senders × up to 4 items, 4
    /// receivers taking 2 each, capacity 1. No sender waits forever and
    /// every item tried is taken, handed back or dropped, exactly once.
    /// shuttle, random 20 000 and PCT depth 3, 20 000.
    receivers_leave_early_4s_4r_cap1 = receivers_leave_early {
        shuttle: random(20_000), pct(20_000, 3) with (4, 4, 1, 4, 2);
    }
}

rejects! {
    /// `Fault::SenderDropSkipsClose`: the receivers never see the end, a
    /// deadlock.
    ///
    /// - loom, exhaustive: [`last_sender_drop_races_blocked_recvs`].
    /// - shuttle, PCT depth 3, 1 000: [`senders_close_by_dropping`] at
    ///   4 × 4, capacity 1.
    catches_a_sender_drop_that_skips_the_close = SenderDropSkipsClose, "deadlock" {
        loom: exhaustive => last_sender_drop_races_blocked_recvs();
        shuttle: pct(1_000, 3) => senders_close_by_dropping(4, 4, 1, 3, false);
    }

    /// `Fault::SenderDropSkipsClose` on
    /// [`last_sender_drop_races_a_blocked_recv`], the smallest form of the
    /// race: a deadlock. loom, exhaustive.
    catches_a_sender_drop_that_skips_the_close_exhaustive = SenderDropSkipsClose, "deadlock" {
        loom: exhaustive => last_sender_drop_races_a_blocked_recv();
    }

    /// `Fault::ReceiverDropSkipsClose`: a sender blocked on the full buffer
    /// is never woken, a deadlock.
    ///
    /// - loom, exhaustive: [`last_receiver_drop_races_a_blocked_send`].
    /// - shuttle, PCT depth 3, 1 000: [`receivers_leave_early`] at 4 × 4,
    ///   capacity 1.
    catches_a_receiver_drop_that_skips_the_close = ReceiverDropSkipsClose, "deadlock" {
        loom: exhaustive => last_receiver_drop_races_a_blocked_send();
        shuttle: pct(1_000, 3) => receivers_leave_early(4, 4, 1, 4, 2);
    }

    /// `Fault::HandleCountOffByOne`: a first drop closes the buffer while
    /// senders are alive, an early close.
    ///
    /// - loom, preemption bound 4: [`clone_races_drop`] (the clean
    ///   run exhaustive is in the third tier, `loom-tests/deep.rs`).
    /// - shuttle, random 1 000: [`senders_close_by_dropping`] at 4 × 4,
    ///   capacity 1 (the main thread's drops close it).
    catches_a_handle_count_off_by_one = HandleCountOffByOne, "early close" {
        loom: bound(4) => clone_races_drop();
        shuttle: random(1_000) => senders_close_by_dropping(4, 4, 1, 3, false);
    }

    /// `Fault::HandleCountRace` (a drop that counts itself out with a load
    /// and a store): only the interleaving where two drops both read the
    /// count before either stores it loses the close, and the receivers
    /// never see the end, a deadlock.
    ///
    /// - loom, preemption bound 4: [`concurrent_sender_drops`] (the
    ///   clean run exhaustive is in the third tier, `loom-tests/deep.rs`).
    /// - shuttle, PCT depth 3, 1 000: [`senders_close_by_dropping`] at
    ///   4 × 4, capacity 1 (every handle made up front, so only drops race).
    catches_a_racy_handle_count = HandleCountRace, "deadlock" {
        loom: bound(4) => concurrent_sender_drops();
        shuttle: pct(1_000, 3) => senders_close_by_dropping(4, 4, 1, 3, false);
    }

    /// `Fault::HandleCountRace` on [`two_last_sender_drops_race`], the count
    /// race alone: a deadlock. loom, exhaustive; shuttle, depth-first over
    /// every schedule (VERIFICATION.md has the executions).
    catches_a_racy_handle_count_exhaustive = HandleCountRace, "deadlock" {
        loom: exhaustive => two_last_sender_drops_race();
        shuttle: dfs() => two_last_sender_drops_race();
    }

    /// `Fault::HandleCountRace` where clones race drops: a sender's clone
    /// increments between another sender's load and store, the increment
    /// is lost, and a later drop closes the buffer while a sender is
    /// alive, an early close. shuttle, random 1 000:
    /// [`senders_close_by_dropping`] with a clone per send, 4 × 4,
    /// capacity 2. The same fault also loses a decrement here, and then
    /// the receivers never see the end (a deadlock): which of the two an
    /// execution fails with first depends on the schedule, and any change
    /// to the buffer's synchronization moves it (of 24 seeds, one found
    /// the early close first after the task count moved under the put
    /// lock), so either is accepted.
    catches_a_racy_handle_count_when_clones_race_drops = HandleCountRace, "early close | deadlock" {
        shuttle: random(1_000) seeded "fault/handle_count_race/clone_per_send_4s_4r_cap2" =>
            senders_close_by_dropping(4, 4, 2, 3, true);
    }
}
