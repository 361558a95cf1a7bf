//! The split pair (`prodcon::bounded`) and the iterators, on real threads:
//! which drop closes the buffer, what each side sees then, and that every
//! iterator ends (or does not wait) when it should.
//!
//! A bug that leaves a thread blocked shows as a hang here (there are no
//! timing assertions); the loom and shuttle models of the same protocol
//! (`loom-tests/channel.rs`, loom and shuttle) report it as a
//! deadlock instead.
#![cfg(not(any(loom, shuttle)))]

use prodcon::{
    GetError, GetTimeoutError, IntoIter, Iter, PutError, Receiver, Sender, SharedBuffer,
    TryGetError, TryIter, TryPutError, bounded,
};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Lets a spawned thread reach its blocking call. Correctness never depends
/// on it: if the thread is not blocked yet, the test checks the same
/// outcome on the path where it blocks later.
fn settle() {
    thread::sleep(Duration::from_millis(20));
}

fn assert_send_sync<X: Send + Sync>() {}

#[test]
fn handles_and_iterators_are_send_and_sync() {
    assert_send_sync::<Sender<String>>();
    assert_send_sync::<Receiver<String>>();
    assert_send_sync::<IntoIter<String>>();
    assert_send_sync::<Iter<'static, String>>();
    assert_send_sync::<TryIter<'static, String>>();
}

// ---------------------------------------------------------------------------
// The last sender.
// ---------------------------------------------------------------------------

#[test]
fn the_last_senders_drop_closes_and_receivers_still_get_what_is_buffered() {
    let (tx, rx) = bounded(4);
    tx.send_many([1, 2, 3]).unwrap();
    assert!(!rx.is_closed());
    drop(tx);
    assert!(rx.is_closed());
    assert_eq!(rx.recv(), Ok(1));
    assert_eq!(rx.iter().collect::<Vec<_>>(), [2, 3]);
    assert_eq!(rx.recv(), Err(GetError));
    assert_eq!(rx.try_recv(), Err(TryGetError::Closed));
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(1)),
        Err(GetTimeoutError::Closed)
    );
}

#[test]
fn a_sender_that_is_not_the_last_does_not_close() {
    let (tx, rx) = bounded(4);
    let tx2 = tx.clone();
    let tx3 = tx2.clone();
    drop(tx);
    drop(tx3);
    assert!(!rx.is_closed());
    tx2.send(7).unwrap();
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Err(TryGetError::Empty));
    drop(tx2);
    assert!(rx.is_closed());
}

#[test]
fn the_last_senders_drop_wakes_every_blocked_receiver() {
    let (tx, rx) = bounded::<u32>(1);
    let receivers: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.recv())
        })
        .collect();
    settle();
    drop(tx);
    for receiver in receivers {
        assert_eq!(receiver.join().unwrap(), Err(GetError));
    }
}

#[test]
fn senders_dropped_on_other_threads_end_the_iteration() {
    let (tx, rx) = bounded(2);
    let producers: Vec<_> = (0..4u32)
        .map(|p| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..250 {
                    tx.send(p * 1000 + i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.into_iter().collect::<Vec<_>>())
        })
        .collect();
    drop(rx);
    let mut received: Vec<u32> = consumers
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    received.sort_unstable();
    let mut expected: Vec<u32> = (0..4)
        .flat_map(|p| (0..250).map(move |i| p * 1000 + i))
        .collect();
    expected.sort_unstable();
    assert_eq!(received, expected);
}

#[test]
fn a_sender_dropped_by_a_panic_still_closes() {
    let (tx, rx) = bounded(2);
    let producer = thread::spawn(move || {
        tx.send(1).unwrap();
        panic!("the producer fails after one item");
    });
    assert_eq!(rx.iter().collect::<Vec<_>>(), [1]);
    assert!(producer.join().is_err());
}

// ---------------------------------------------------------------------------
// The last receiver.
// ---------------------------------------------------------------------------

#[test]
fn the_last_receivers_drop_closes_and_drops_what_is_buffered() {
    let token = Arc::new(());
    let (tx, rx) = bounded(4);
    tx.send(Arc::clone(&token)).unwrap();
    tx.send(Arc::clone(&token)).unwrap();
    assert_eq!(Arc::strong_count(&token), 3);
    let rx2 = rx.clone();
    drop(rx);
    assert!(!tx.is_closed(), "a receiver is still alive");
    assert_eq!(Arc::strong_count(&token), 3);
    drop(rx2);
    assert!(tx.is_closed());
    assert_eq!(Arc::strong_count(&token), 1, "the buffered items were kept");
    assert!(tx.is_empty());
    assert_eq!(tx.unfinished_tasks(), 0);
    let back = tx.send(Arc::clone(&token)).unwrap_err().into_inner();
    assert!(Arc::ptr_eq(&back, &token));
    assert!(matches!(tx.try_send(back), Err(TryPutError::Closed(_))));
}

#[test]
fn the_last_receivers_drop_gives_a_blocked_sender_its_item_back() {
    let (tx, rx) = bounded(1);
    tx.send(0).unwrap();
    let senders: Vec<_> = (1..=2)
        .map(|n| {
            let tx = tx.clone();
            thread::spawn(move || tx.send(n))
        })
        .collect();
    settle();
    drop(rx);
    let mut back: Vec<i32> = senders
        .into_iter()
        .map(|s| s.join().unwrap().unwrap_err().into_inner())
        .collect();
    back.sort_unstable();
    assert_eq!(back, [1, 2]);
}

#[test]
fn the_last_receivers_drop_wakes_a_sender_in_send_many_with_the_rest() {
    let (tx, rx) = bounded(2);
    let sender = thread::spawn(move || tx.send_many(0..6));
    assert_eq!(rx.recv(), Ok(0)); // the batch has started
    drop(rx);
    let rest = sender.join().unwrap().unwrap_err().into_inner();
    // What was not sent comes back, in order, and ends with the last item.
    assert!(!rest.is_empty());
    assert_eq!(rest.last(), Some(&5));
    assert!(rest.windows(2).all(|w| w[0] + 1 == w[1]));
}

#[test]
fn the_last_receivers_drop_lets_a_join_return() {
    let (tx, rx) = bounded(4);
    tx.send_many([1, 2, 3]).unwrap();
    let joiner = {
        let tx = tx.clone();
        thread::spawn(move || tx.join())
    };
    settle();
    drop(rx);
    joiner.join().unwrap();
    assert_eq!(tx.unfinished_tasks(), 0);
}

// ---------------------------------------------------------------------------
// The explicit calls stay available.
// ---------------------------------------------------------------------------

#[test]
fn explicit_close_from_either_side_and_drain_task_done_join() {
    let (tx, rx) = bounded(4);
    tx.send_many([1, 2, 3]).unwrap();
    assert_eq!(rx.recv(), Ok(1));
    rx.task_done().unwrap();
    assert_eq!(rx.drain(), [2, 3]);
    tx.join(); // 1 done, 2 and 3 drained
    assert!(tx.join_timeout(Duration::from_millis(1)));
    assert!(rx.join_timeout(Duration::from_millis(1)));
    rx.join();
    assert_eq!(
        (tx.len(), rx.len(), tx.capacity(), rx.capacity()),
        (0, 0, 4, 4)
    );
    tx.send(4).unwrap();
    assert!(rx.close());
    assert!(!tx.close());
    assert_eq!(tx.send(5), Err(PutError(5)));
    assert_eq!(rx.recv_many(8), Ok(vec![4]));
    let mut out = Vec::new();
    assert_eq!(rx.recv_many_into(&mut out, 8), Err(GetError));
}

#[test]
fn debug_shows_the_buffer() {
    let (tx, rx) = bounded::<u8>(3);
    tx.send(1).unwrap();
    let shown = format!("{tx:?} {rx:?}");
    assert!(shown.starts_with("Sender { buffer: SharedBuffer { len: 1, capacity: 3"));
    assert!(shown.contains("Receiver { buffer: SharedBuffer"));
}

#[test]
#[should_panic(expected = "capacity must be at least 1")]
fn bounded_zero_panics() {
    let _ = bounded::<u8>(0);
}

// ---------------------------------------------------------------------------
// Iterators on the buffer itself.
// ---------------------------------------------------------------------------

#[test]
fn iter_waits_for_items_and_ends_when_closed_and_empty() {
    let buffer = SharedBuffer::new(1);
    let consumer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.iter().collect::<Vec<_>>())
    };
    for n in 0..50 {
        buffer.put(n).unwrap();
    }
    buffer.close();
    assert_eq!(consumer.join().unwrap(), (0..50).collect::<Vec<_>>());
}

#[test]
fn iter_is_fused_once_closed_and_empty() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.close();
    let mut items = buffer.iter();
    assert_eq!(items.next(), Some(1));
    assert_eq!(items.next(), None);
    assert!(buffer.put(2).is_err());
    assert_eq!(items.next(), None);
}

#[test]
fn try_iter_takes_what_is_there_and_never_waits() {
    let buffer = SharedBuffer::new(4);
    // Open and empty: a blocking iterator would hang here.
    assert_eq!(buffer.try_iter().count(), 0);
    buffer.put_many([1, 2, 3]).unwrap();
    let mut items = buffer.try_iter();
    assert_eq!(items.next(), Some(1));
    assert_eq!(items.by_ref().collect::<Vec<_>>(), [2, 3]);
    buffer.put(4).unwrap();
    assert_eq!(items.next(), Some(4), "try_iter is not fused");
    assert!(!buffer.is_closed());
}

#[test]
fn into_iterator_for_a_reference_and_for_a_handle() {
    let buffer = SharedBuffer::new(4);
    buffer.put_many([1, 2]).unwrap();
    let taken = {
        let clone = buffer.clone();
        thread::spawn(move || {
            let mut seen = Vec::new();
            for item in &clone {
                seen.push(item);
            }
            seen
        })
    };
    let owned = {
        let clone = buffer.clone();
        thread::spawn(move || clone.into_iter().count())
    };
    buffer.put_many([3, 4]).unwrap();
    buffer.close();
    let seen = taken.join().unwrap();
    let counted = owned.join().unwrap();
    assert_eq!(seen.len() + counted, 4);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in order: {seen:?}");
}

#[test]
fn into_iterator_for_a_receiver_keeps_it_alive() {
    let (tx, rx) = bounded(2);
    let mut items = rx.into_iter();
    // The receiver lives in the iterator: sends still succeed.
    tx.send(1).unwrap();
    assert!(!tx.is_closed());
    assert_eq!(items.next(), Some(1));
    drop(items);
    assert!(
        tx.is_closed(),
        "dropping the iterator drops the last receiver"
    );
    let (tx, rx) = bounded(2);
    tx.send_many([1, 2]).unwrap();
    drop(tx);
    let mut seen = Vec::new();
    for item in &rx {
        seen.push(item);
    }
    assert_eq!(seen, [1, 2]);
}
