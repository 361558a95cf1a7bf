//! Loom models of the split pair's handle counting (`src/channel.rs`): which
//! drop is a side's last, and that it closes the buffer while the other
//! side is blocked in it. The real `bounded`, `Sender` and `Receiver` run
//! here, on the real buffer.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models channel:: -- --nocapture
//! ```
//!
//! Each model first passes as written, then, with one mutation switch of
//! `prodcon::model::Fault` turned on at its real place in `src/channel.rs`,
//! is rejected for the expected reason — with the same bound. Each doc
//! comment gives the bound (or says exhaustive) and the executions
//! explored in `--release` (the count does not depend on the build).
#![cfg(loom)]

use crate::runner::{assert_failure, check, rejects};
use loom::thread;
use prodcon::model::{Fault, inject};
use prodcon::{GetError, PutError, bounded};

const DEADLOCK: &str = "deadlock";
const EARLY_CLOSE: &str = "early close";

/// Runs `model` (must pass), then runs it with `fault` switched on (must be
/// rejected with a message containing `expected`), both with `bound`.
fn catch(name: &str, bound: Option<usize>, model: fn(), fault: Fault, expected: &str) {
    check(name, bound, model);
    let failure = inject(&[fault], || {
        rejects(&format!("{name}/{fault:?}"), bound, model)
    });
    assert_failure(&failure, expected);
}

// ---------------------------------------------------------------------------
// The models.
// ---------------------------------------------------------------------------

/// The last sender's drop racing two receivers that may be blocked in
/// `recv` on the empty buffer: the main thread sends one item and drops
/// the only sender; each receiver iterates until the end. Both must end
/// (no deadlock) and the item must arrive exactly once.
fn last_sender_drop_races_blocked_recvs() {
    let (tx, rx) = bounded::<u32>(1);
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.iter().collect::<Vec<_>>())
        })
        .collect();
    drop(rx);
    tx.send(7).unwrap();
    drop(tx);
    let received: Vec<u32> = receivers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    assert_eq!(received, [7], "lost or duplicated items");
}

/// The smallest form of the race above, explored without a bound: one
/// receiver, maybe blocked in `recv` on the empty buffer, and the main
/// thread sending one item and dropping the only sender.
fn last_sender_drop_races_a_blocked_recv() {
    let (tx, rx) = bounded::<u32>(1);
    let receiver = thread::spawn(move || rx.iter().collect::<Vec<_>>());
    tx.send(7).unwrap();
    drop(tx);
    assert_eq!(receiver.join().unwrap(), [7], "lost or duplicated items");
}

/// The last receiver's drop racing a sender blocked in `send` on the full
/// buffer (capacity 1): a sender thread sends 1, 2 and 3; the main thread
/// receives one item and drops the only receiver. Every send after the
/// drop must fail with its own item (none may wait forever), and the 3
/// can never go in (the buffer is full or closed by then).
fn last_receiver_drop_races_a_blocked_send() {
    let (tx, rx) = bounded::<u32>(1);
    let sender = thread::spawn(move || {
        assert_eq!(tx.send(1), Ok(()), "the first send has room");
        if let Err(PutError(back)) = tx.send(2) {
            assert_eq!(back, 2, "a failed send returned another item");
        }
        assert_eq!(tx.send(3), Err(PutError(3)));
        assert!(tx.is_closed());
    });
    assert_eq!(rx.recv(), Ok(1));
    drop(rx);
    sender.join().unwrap();
}

/// A clone racing a drop: the main thread clones its sender for a second
/// thread, which sends 2 and drops it; meanwhile the main thread clones
/// its own sender again, drops the original, sends 1 through the clone
/// and drops that; a receiver thread iterates until the end. No send may
/// fail while a sender is alive (an early close), and the receiver must
/// get both items and end.
fn clone_races_drop() {
    let (tx, rx) = bounded::<u32>(2);
    let receiver = thread::spawn(move || rx.iter().collect::<Vec<_>>());
    let other = {
        let tx = tx.clone();
        thread::spawn(move || {
            if tx.send(2).is_err() {
                panic!("early close: a send failed while its sender was alive");
            }
        })
    };
    let again = tx.clone();
    drop(tx);
    if again.send(1).is_err() {
        panic!("early close: a send failed while its sender was alive");
    }
    drop(again);
    other.join().unwrap();
    let mut received = receiver.join().unwrap();
    received.sort_unstable();
    assert_eq!(received, [1, 2], "lost or duplicated items");
}

/// Two senders dropped at once, each on its own thread after one send,
/// while the main thread receives: exactly one of the drops is the last
/// and closes, so the main thread gets both items and then the end.
fn concurrent_sender_drops() {
    let (tx, rx) = bounded::<u32>(2);
    // Both clones are counted before any thread runs: only the two drops
    // race, not a clone with a drop (that is `clone_races_drop`).
    let clones = [tx.clone(), tx.clone()];
    drop(tx);
    let senders: Vec<_> = clones
        .into_iter()
        .zip(1..)
        .map(|(tx, n)| thread::spawn(move || tx.send(n).unwrap()))
        .collect();
    let mut received = vec![rx.recv().unwrap(), rx.recv().unwrap()];
    assert_eq!(rx.recv(), Err(GetError));
    for sender in senders {
        sender.join().unwrap();
    }
    received.sort_unstable();
    assert_eq!(received, [1, 2]);
}

/// The count race alone, explored without a bound: two threads each drop
/// a sender and nothing else, while the main thread waits in `recv` for
/// the end.
fn two_last_sender_drops_race() {
    let (tx, rx) = bounded::<u32>(1);
    let clones = [tx.clone(), tx.clone()];
    drop(tx);
    let droppers: Vec<_> = clones
        .into_iter()
        .map(|tx| thread::spawn(move || drop(tx)))
        .collect();
    assert_eq!(rx.recv(), Err(GetError));
    for dropper in droppers {
        dropper.join().unwrap();
    }
}

// ---------------------------------------------------------------------------
// The tests: each model passes, and rejects the bug it targets.
// ---------------------------------------------------------------------------

/// [`last_sender_drop_races_blocked_recvs`]; rejects
/// `Fault::SenderDropSkipsClose` as a deadlock. Preemption bound 4: 17,797
/// executions (exhaustive: 1,019,826 executions, 209 s in `--release`).
#[test]
fn catches_a_sender_drop_that_skips_the_close() {
    catch(
        "last_sender_drop_races_blocked_recvs",
        Some(4),
        last_sender_drop_races_blocked_recvs,
        Fault::SenderDropSkipsClose,
        DEADLOCK,
    );
}

/// [`last_receiver_drop_races_a_blocked_send`]; rejects
/// `Fault::ReceiverDropSkipsClose` as a deadlock. Exhaustive: 748
/// executions.
#[test]
fn catches_a_receiver_drop_that_skips_the_close() {
    catch(
        "last_receiver_drop_races_a_blocked_send",
        None,
        last_receiver_drop_races_a_blocked_send,
        Fault::ReceiverDropSkipsClose,
        DEADLOCK,
    );
}

/// [`clone_races_drop`]; rejects `Fault::HandleCountOffByOne` as an early
/// close. Preemption bound 4: 30,944 executions.
#[test]
fn catches_a_handle_count_off_by_one() {
    catch(
        "clone_races_drop",
        Some(4),
        clone_races_drop,
        Fault::HandleCountOffByOne,
        EARLY_CLOSE,
    );
}

/// [`concurrent_sender_drops`]; rejects `Fault::HandleCountRace` (a drop
/// that counts itself out with a load and a store) as a deadlock: only the
/// interleaving where both drops read the count before either stores it
/// loses the close. Preemption bound 4: 22,070 executions.
#[test]
fn catches_a_racy_handle_count() {
    catch(
        "concurrent_sender_drops",
        Some(4),
        concurrent_sender_drops,
        Fault::HandleCountRace,
        DEADLOCK,
    );
}

/// [`last_sender_drop_races_a_blocked_recv`]; rejects
/// `Fault::SenderDropSkipsClose` as a deadlock. Exhaustive: 82 executions.
#[test]
fn catches_a_sender_drop_that_skips_the_close_exhaustive() {
    catch(
        "last_sender_drop_races_a_blocked_recv",
        None,
        last_sender_drop_races_a_blocked_recv,
        Fault::SenderDropSkipsClose,
        DEADLOCK,
    );
}

/// [`two_last_sender_drops_race`]; rejects `Fault::HandleCountRace` as a
/// deadlock. Exhaustive: 681 executions.
#[test]
fn catches_a_racy_handle_count_exhaustive() {
    catch(
        "two_last_sender_drops_race",
        None,
        two_last_sender_drops_race,
        Fault::HandleCountRace,
        DEADLOCK,
    );
}
