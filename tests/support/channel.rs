//! Scenarios of the split pair (`prodcon::bounded`), declared in
//! `loom-tests/channel.rs`: nobody calls `close`, the handles' drops do it.
//! The real `bounded`, `Sender` and `Receiver` run here, on the real
//! buffer; the threads are the model checker's ([`thread`]).
//!
//! The first six are small enough for loom; the last two, sized by their
//! arguments, are run by shuttle at 4 senders × 4 receivers.

use super::thread;
use prodcon::{GetError, PutError, Receiver, Sender, bounded};
use std::sync::{Arc, Mutex};

const LOST: &str = "lost or duplicated items";

/// The last sender's drop racing two receivers that may be blocked in
/// `recv` on the empty buffer: the main thread sends one item and drops
/// the only sender; each receiver iterates until the end. Both must end
/// (no deadlock) and the item must arrive exactly once.
pub fn last_sender_drop_races_blocked_recvs() {
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
    assert_eq!(received, [7], "{LOST}");
}

/// The smallest form of the race above, explored without a bound: one
/// receiver, maybe blocked in `recv` on the empty buffer, and the main
/// thread sending one item and dropping the only sender.
pub fn last_sender_drop_races_a_blocked_recv() {
    let (tx, rx) = bounded::<u32>(1);
    let receiver = thread::spawn(move || rx.iter().collect::<Vec<_>>());
    tx.send(7).unwrap();
    drop(tx);
    assert_eq!(receiver.join().unwrap(), [7], "{LOST}");
}

/// The last receiver's drop racing a sender blocked in `send` on the full
/// buffer (capacity 1): a sender thread sends 1, 2 and 3; the main thread
/// receives one item and drops the only receiver. Every send after the
/// drop must fail with its own item (none may wait forever), and the 3
/// can never go in (the buffer is full or closed by then).
pub fn last_receiver_drop_races_a_blocked_send() {
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
pub fn clone_races_drop() {
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
    assert_eq!(received, [1, 2], "{LOST}");
}

/// Two senders dropped at once, each on its own thread after one send,
/// while the main thread receives: exactly one of the drops is the last
/// and closes, so the main thread gets both items and then the end.
pub fn concurrent_sender_drops() {
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
pub fn two_last_sender_drops_race() {
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

/// `senders` clones of `tx` and `receivers` clones of `rx`, every one made
/// before any thread of the scenario runs.
fn handles<T>(
    tx: &Sender<T>,
    senders: u32,
    rx: &Receiver<T>,
    receivers: usize,
) -> (Vec<Sender<T>>, Vec<Receiver<T>>) {
    (
        (0..senders).map(|_| tx.clone()).collect(),
        (0..receivers).map(|_| rx.clone()).collect(),
    )
}

/// `senders` threads each send `per` items through their own clone and drop
/// it; `receivers` threads each iterate their own clone until the end; the
/// main thread drops its two handles once every thread is spawned. With
/// `clone_per_send`, each sender sends every item through a fresh clone of
/// its handle, dropped right after: clones racing other threads' drops.
///
/// Every item must arrive exactly once, no send may fail (a sender is alive
/// while it sends: a failure is an early close), and every receiver must
/// end (the last sender's drop, wherever it happens, closes the buffer).
pub fn senders_close_by_dropping(
    senders: u32,
    receivers: usize,
    capacity: usize,
    per: u32,
    clone_per_send: bool,
) {
    let (tx, rx) = bounded::<u32>(capacity);
    // Without `clone_per_send` only drops race one another.
    let (sender_handles, receiver_handles) = handles(&tx, senders, &rx, receivers);
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
pub fn receivers_leave_early(
    senders: u32,
    receivers: usize,
    capacity: usize,
    per: u32,
    take: usize,
) {
    let dropped = Arc::new(Mutex::new(Vec::new()));
    let (tx, rx) = bounded::<Tracked>(capacity);
    let (sender_handles, receiver_handles) = handles(&tx, senders, &rx, receivers);
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
