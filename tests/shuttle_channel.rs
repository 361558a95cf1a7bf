//! Randomized (shuttle) tests of the split pair (`prodcon::bounded`) at 4
//! senders × 4 receivers: nobody calls `close`, the drops do it. The real
//! handles and buffer run here, under shuttle's random scheduler and PCT;
//! and every mutation switch of the pair (`prodcon::model::Fault`, the
//! `// split pair` block) is rejected for the expected reason.
//!
//! ```text
//! RUSTFLAGS="--cfg shuttle" cargo test --test shuttle_channel
//! ```
//!
//! The loom models of the same protocol, at sizes loom can explore, are in
//! `loom-tests/channel.rs`. Seeds are fixed per test (see
//! `support/shuttle_runner.rs`).
#![cfg(shuttle)]

#[path = "support/shuttle_runner.rs"]
mod shuttle_runner;

use prodcon::model::{Fault, inject};
use prodcon::{PutError, bounded};
use shuttle::thread;
use shuttle_runner::{Schedule, assert_failure, rejects, run};
use std::sync::{Arc, Mutex};

const DEADLOCK: &str = "deadlock";
const EARLY_CLOSE: &str = "early close";
const LOST: &str = "lost or duplicated items";

// ---------------------------------------------------------------------------
// Scenarios.
// ---------------------------------------------------------------------------

/// `senders` threads each send `per` items through their own clone and drop
/// it; `receivers` threads each iterate their own clone until the end; the
/// main thread drops its two handles once every thread is spawned. With
/// `clone_per_send`, each sender sends every item through a fresh clone of
/// its handle, dropped right after: clones racing other threads' drops.
///
/// Every item must arrive exactly once, no send may fail (a sender is alive
/// while it sends: a failure is an early close), and every receiver must
/// end (the last sender's drop, wherever it happens, closes the buffer).
fn senders_close_by_dropping(
    senders: u32,
    receivers: usize,
    capacity: usize,
    per: u32,
    clone_per_send: bool,
) {
    let (tx, rx) = bounded::<u32>(capacity);
    // Every handle is made before any thread runs, so that without
    // `clone_per_send` only drops race one another.
    let sender_handles: Vec<_> = (0..senders).map(|_| tx.clone()).collect();
    let receiver_handles: Vec<_> = (0..receivers).map(|_| rx.clone()).collect();
    let producers: Vec<_> = sender_handles
        .into_iter()
        .zip(0..)
        .map(|(tx, p)| {
            thread::spawn(move || {
                for i in 0..per {
                    let item = p * 100 + i;
                    let sent = if clone_per_send {
                        let clone = tx.clone();
                        clone.send(item)
                    } else {
                        tx.send(item)
                    };
                    if sent.is_err() {
                        panic!("early close: a send failed while its sender was alive");
                    }
                }
            })
        })
        .collect();
    let consumers: Vec<_> = receiver_handles
        .into_iter()
        .map(|rx| thread::spawn(move || rx.into_iter().collect::<Vec<_>>()))
        .collect();
    drop(tx);
    drop(rx);
    for producer in producers {
        producer.join().unwrap();
    }
    let mut received: Vec<u32> = consumers
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    received.sort_unstable();
    let mut expected: Vec<u32> = (0..senders)
        .flat_map(|p| (0..per).map(move |i| p * 100 + i))
        .collect();
    expected.sort_unstable();
    assert_eq!(received, expected, "{LOST}");
}

/// An item that writes its id into a shared log if it is dropped without
/// being [`take`](Tracked::take)n: how the items the last receiver's drop
/// throws away are counted.
struct Tracked {
    id: u32,
    dropped: Option<Arc<Mutex<Vec<u32>>>>,
}

impl Tracked {
    fn take(mut self) -> u32 {
        self.dropped = None;
        self.id
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(log) = self.dropped.take() {
            // Never contended: shuttle runs one model thread at a time, and
            // nothing inside yields to another.
            log.lock().unwrap().push(self.id);
        }
    }
}

/// `senders` threads each send up to `per` items, stopping at the first
/// send that fails; `receivers` threads each take `take` items and drop
/// their handle; the main thread drops its own once every thread is
/// spawned. So the receivers leave while senders are still sending, maybe
/// blocked on the full buffer.
///
/// No sender may wait forever (the last receiver's drop wakes them); a
/// failed send must return its own item; and every item a sender tried is
/// exactly one of: taken by a receiver, returned in a failed send, or
/// dropped by the last receiver's drop.
fn receivers_leave_early(senders: u32, receivers: usize, capacity: usize, per: u32, take: usize) {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = bounded::<Tracked>(capacity);
    let sender_handles: Vec<_> = (0..senders).map(|_| tx.clone()).collect();
    let receiver_handles: Vec<_> = (0..receivers).map(|_| rx.clone()).collect();
    let producers: Vec<_> = sender_handles
        .into_iter()
        .zip(0..)
        .map(|(tx, p)| {
            let dropped = Arc::clone(&dropped);
            thread::spawn(move || {
                let (mut tried, mut returned) = (Vec::new(), None);
                for i in 0..per {
                    let id = p * 100 + i;
                    tried.push(id);
                    let item = Tracked {
                        id,
                        dropped: Some(Arc::clone(&dropped)),
                    };
                    if let Err(PutError(back)) = tx.send(item) {
                        let back = back.take();
                        assert_eq!(back, id, "a failed send returned another item");
                        returned = Some(back);
                        break;
                    }
                }
                (tried, returned)
            })
        })
        .collect();
    let consumers: Vec<_> = receiver_handles
        .into_iter()
        .map(|rx| {
            thread::spawn(move || rx.iter().take(take).map(Tracked::take).collect::<Vec<_>>())
        })
        .collect();
    drop(tx);
    drop(rx);
    let mut tried = Vec::new();
    let mut accounted = Vec::new();
    for producer in producers {
        let (t, returned) = producer.join().unwrap();
        tried.extend(t);
        accounted.extend(returned);
    }
    for consumer in consumers {
        accounted.extend(consumer.join().unwrap());
    }
    accounted.extend(dropped.lock().unwrap().iter().copied());
    tried.sort_unstable();
    accounted.sort_unstable();
    assert_eq!(accounted, tried, "{LOST}");
}

fn senders_close_4s_4r_cap1() {
    senders_close_by_dropping(4, 4, 1, 3, false)
}

fn senders_close_4s_4r_cap2_clone_per_send() {
    senders_close_by_dropping(4, 4, 2, 3, true)
}

fn receivers_leave_4s_4r_cap1() {
    receivers_leave_early(4, 4, 1, 4, 2)
}

// ---------------------------------------------------------------------------
// The pair works: 4 senders × 4 receivers.
// ---------------------------------------------------------------------------

/// Exactly once, and the end for every receiver, with only drops closing:
/// 4 senders × 3 items, 4 receivers, capacity 1. Random scheduler, 20 000
/// executions.
#[test]
fn senders_close_by_dropping_4s_4r_cap1_random() {
    run(
        "senders_close_by_dropping_4s_4r_cap1_random",
        Schedule::Random { iterations: 20_000 },
        senders_close_4s_4r_cap1,
    );
}

/// As [`senders_close_by_dropping_4s_4r_cap1_random`]. PCT depth 3, 20 000
/// executions.
#[test]
fn senders_close_by_dropping_4s_4r_cap1_pct3() {
    run(
        "senders_close_by_dropping_4s_4r_cap1_pct3",
        Schedule::Pct {
            iterations: 20_000,
            depth: 3,
        },
        senders_close_4s_4r_cap1,
    );
}

/// Clones racing drops: every send through a fresh clone, dropped after
/// it; 4 senders × 3 items, 4 receivers, capacity 2. Random scheduler,
/// 20 000 executions.
#[test]
fn clones_race_drops_4s_4r_cap2_random() {
    run(
        "clones_race_drops_4s_4r_cap2_random",
        Schedule::Random { iterations: 20_000 },
        senders_close_4s_4r_cap2_clone_per_send,
    );
}

/// As [`clones_race_drops_4s_4r_cap2_random`]. PCT depth 3, 20 000
/// executions.
#[test]
fn clones_race_drops_4s_4r_cap2_pct3() {
    run(
        "clones_race_drops_4s_4r_cap2_pct3",
        Schedule::Pct {
            iterations: 20_000,
            depth: 3,
        },
        senders_close_4s_4r_cap2_clone_per_send,
    );
}

/// Receivers leaving while senders send: 4 senders × up to 4 items, 4
/// receivers taking 2 each, capacity 1. No sender waits forever and every
/// item tried is taken, handed back or dropped, exactly once. Random
/// scheduler, 20 000 executions.
#[test]
fn receivers_leave_early_4s_4r_cap1_random() {
    run(
        "receivers_leave_early_4s_4r_cap1_random",
        Schedule::Random { iterations: 20_000 },
        receivers_leave_4s_4r_cap1,
    );
}

/// As [`receivers_leave_early_4s_4r_cap1_random`]. PCT depth 3, 20 000
/// executions.
#[test]
fn receivers_leave_early_4s_4r_cap1_pct3() {
    run(
        "receivers_leave_early_4s_4r_cap1_pct3",
        Schedule::Pct {
            iterations: 20_000,
            depth: 3,
        },
        receivers_leave_4s_4r_cap1,
    );
}

// ---------------------------------------------------------------------------
// The checks can fail: each mutation switch of the pair is rejected.
// ---------------------------------------------------------------------------

/// Runs `scenario` (must pass), then runs it with `fault` switched on (must
/// be rejected with a message containing `expected`), both under
/// `schedule` with the seed of `name`.
fn catch(name: &str, schedule: Schedule, scenario: fn(), fault: Fault, expected: &str) {
    run(name, schedule, scenario);
    let failure = inject(&[fault], || rejects(name, schedule, scenario));
    assert_failure(&failure, expected);
}

/// `Fault::SenderDropSkipsClose`: the receivers never see the end.
/// [`senders_close_by_dropping`] at 4 × 4, capacity 1. PCT depth 3, 1 000
/// executions.
#[test]
fn catches_a_sender_drop_that_skips_the_close() {
    catch(
        "fault/sender_drop_skips_close/4s_4r_cap1",
        Schedule::Pct {
            iterations: 1_000,
            depth: 3,
        },
        senders_close_4s_4r_cap1,
        Fault::SenderDropSkipsClose,
        DEADLOCK,
    );
}

/// `Fault::ReceiverDropSkipsClose`: a sender blocked on the full buffer is
/// never woken. [`receivers_leave_early`] at 4 × 4, capacity 1. PCT depth
/// 3, 1 000 executions.
#[test]
fn catches_a_receiver_drop_that_skips_the_close() {
    catch(
        "fault/receiver_drop_skips_close/4s_4r_cap1",
        Schedule::Pct {
            iterations: 1_000,
            depth: 3,
        },
        receivers_leave_4s_4r_cap1,
        Fault::ReceiverDropSkipsClose,
        DEADLOCK,
    );
}

/// `Fault::HandleCountOffByOne`: the main thread's drops close the buffer
/// while the senders are alive. [`senders_close_by_dropping`] at 4 × 4,
/// capacity 1. Random scheduler, 1 000 executions.
#[test]
fn catches_a_handle_count_off_by_one() {
    catch(
        "fault/handle_count_off_by_one/4s_4r_cap1",
        Schedule::Random { iterations: 1_000 },
        senders_close_4s_4r_cap1,
        Fault::HandleCountOffByOne,
        EARLY_CLOSE,
    );
}

/// `Fault::HandleCountRace`: two senders' drops interleave between the
/// load and the store, the count never reaches zero, and the receivers
/// never see the end. [`senders_close_by_dropping`] at 4 × 4, capacity 1
/// (every handle made up front, so only drops race). PCT depth 3, 1 000
/// executions.
#[test]
fn catches_a_racy_handle_count() {
    catch(
        "fault/handle_count_race/4s_4r_cap1",
        Schedule::Pct {
            iterations: 1_000,
            depth: 3,
        },
        senders_close_4s_4r_cap1,
        Fault::HandleCountRace,
        DEADLOCK,
    );
}

/// `Fault::HandleCountRace` again, where clones race drops: a sender's
/// clone increments between another sender's load and store, the
/// increment is lost, and a later drop closes the buffer while a sender is
/// alive. [`senders_close_by_dropping`] with a clone per send, 4 × 4,
/// capacity 2. Random scheduler, 1 000 executions.
#[test]
fn catches_a_racy_handle_count_when_clones_race_drops() {
    catch(
        "fault/handle_count_race/clone_per_send_4s_4r_cap2",
        Schedule::Random { iterations: 1_000 },
        senders_close_4s_4r_cap2_clone_per_send,
        Fault::HandleCountRace,
        EARLY_CLOSE,
    );
}
