//! Contract tests for the batch operations of `SharedBuffer<T>`:
//! `put_many`, `get_many` and `get_many_into`.
//!
//! As in `buffer_contract.rs`, a thread that should be blocked before the
//! test acts on it is given a head start only where the outcome asserted is
//! the same whether or not it had blocked yet; where the outcome depends on
//! the buffer's state, the test polls that state (`len`) instead. No timing
//! is ever asserted.
#![cfg(not(any(loom, shuttle)))]

use std::thread;
use std::time::Duration;

use prodcon::{GetError, SharedBuffer};

/// Head start given to a thread that is about to block.
const SETTLE: Duration = Duration::from_millis(50);

/// Waits (without a deadline: a bug shows as a hang) until `buffer` holds
/// `len` items.
fn wait_for_len<T>(buffer: &SharedBuffer<T>, len: usize) {
    while buffer.len() != len {
        thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn put_many_puts_every_item_in_order_and_counts_each_as_a_task() {
    let buffer = SharedBuffer::new(8);
    assert_eq!(buffer.put_many(0..5), Ok(()));
    assert_eq!(buffer.len(), 5);
    assert_eq!(buffer.unfinished_tasks(), 5);
    assert_eq!(buffer.get_many(10), Ok(vec![0, 1, 2, 3, 4]));
    assert_eq!(buffer.unfinished_tasks(), 5, "taken is not done");
    for _ in 0..5 {
        buffer.task_done().unwrap();
    }
    assert!(buffer.task_done().is_err());
    buffer.join();
}

#[test]
fn put_many_of_nothing_succeeds_even_when_closed() {
    let buffer = SharedBuffer::<u8>::new(1);
    assert!(buffer.put_many(Vec::new()).is_ok());
    buffer.close();
    assert!(buffer.put_many(std::iter::empty()).is_ok());
    assert_eq!(buffer.unfinished_tasks(), 0);
}

#[test]
fn put_many_on_a_closed_buffer_returns_every_item_in_order() {
    let buffer = SharedBuffer::new(4);
    buffer.close();
    let err = buffer.put_many(vec!["a", "b", "c"]).unwrap_err();
    assert_eq!(err.taken(), ["a", "b", "c"], "one chunk (capacity 4) taken");
    assert_eq!(err.rest().len(), 0);
    assert_eq!(err.into_inner(), vec!["a", "b", "c"]);
    assert!(buffer.is_empty());
    assert_eq!(buffer.unfinished_tasks(), 0);
}

#[test]
fn put_many_larger_than_capacity_waits_for_room_and_keeps_order() {
    let buffer = SharedBuffer::new(3);
    let producer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put_many(0..1000u32))
    };
    let mut received = Vec::new();
    while received.len() < 1000 {
        let batch = buffer.get_many(7).unwrap();
        assert!(!batch.is_empty() && batch.len() <= 3);
        received.extend(batch);
    }
    assert_eq!(producer.join().unwrap(), Ok(()));
    assert_eq!(received, (0..1000).collect::<Vec<_>>());
    assert_eq!(buffer.unfinished_tasks(), 1000);
}

#[test]
fn put_many_closed_while_waiting_returns_the_items_not_put() {
    let buffer = SharedBuffer::new(2);
    let producer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put_many(0..10u32))
    };
    // Nobody takes: the producer puts 0 and 1, then waits for room.
    wait_for_len(&buffer, 2);
    assert!(buffer.close());
    // The chunk it was putting when the buffer closed comes back as taken;
    // the iterator comes back holding the rest, unpulled.
    let (taken, rest) = producer.join().unwrap().unwrap_err().into_parts();
    assert_eq!(taken, [2, 3]);
    assert_eq!(rest, 4..10);
    assert_eq!(buffer.drain(), vec![0, 1]);
    assert_eq!(buffer.unfinished_tasks(), 0);
}

/// An endless iterator (a stream) closed from another thread: `put_many`
/// returns with what it took and did not put plus the iterator itself,
/// which was not drained. (Collecting the rest of `0u64..` to hand it back
/// panics with "capacity overflow".)
#[test]
fn put_many_of_an_endless_iterator_returns_when_closed_from_another_thread() {
    let buffer = SharedBuffer::new(4);
    let producer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.put_many(0u64..))
    };
    let mut received = Vec::new();
    while received.len() < 100 {
        received.extend(buffer.get_many(8).unwrap());
    }
    let closer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.close())
    };
    assert!(closer.join().unwrap());
    let (taken, mut rest) = producer.join().unwrap().unwrap_err().into_parts();
    received.extend(buffer.drain());
    // In order and nothing lost: received, then taken, then the rest.
    let next = received.len() as u64 + taken.len() as u64;
    assert_eq!(received, (0..received.len() as u64).collect::<Vec<_>>());
    assert_eq!(taken, (received.len() as u64..next).collect::<Vec<_>>());
    assert!(taken.len() <= 4, "more than a chunk taken: {}", taken.len());
    assert_eq!(
        rest.next(),
        Some(next),
        "the iterator was pulled past the close"
    );
}

#[test]
fn put_many_takes_from_its_iterator_without_the_lock() {
    // The iterator looks at the buffer on every item: if `put_many` held
    // the buffer's lock while pulling items, this would deadlock.
    let buffer = SharedBuffer::new(4);
    let observer = buffer.clone();
    let items = (0..20u32).inspect(move |_| {
        let _ = observer.len();
    });
    let consumer = {
        let buffer = buffer.clone();
        thread::spawn(move || {
            let mut got = Vec::new();
            while let Ok(batch) = buffer.get_many(5) {
                got.extend(batch);
            }
            got
        })
    };
    buffer.put_many(items).unwrap();
    buffer.close();
    assert_eq!(consumer.join().unwrap(), (0..20).collect::<Vec<_>>());
}

#[test]
fn put_many_pulls_at_most_one_chunk_ahead_of_what_it_has_put() {
    // Capacity 2 with one slot taken: the producer's first chunk (2 items)
    // only half fits, so it refills to a full chunk and then waits for
    // room. It must not have taken more than what it put plus one chunk
    // (a capacity's worth) from its iterator; if it had not got that far
    // yet, it took fewer.
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let buffer = SharedBuffer::new(2);
    buffer.put(100).unwrap();
    let pulled = Arc::new(AtomicUsize::new(0));
    let producer = {
        let buffer = buffer.clone();
        let pulled = Arc::clone(&pulled);
        thread::spawn(move || {
            buffer.put_many((0..10).inspect(move |_| {
                pulled.fetch_add(1, Ordering::SeqCst);
            }))
        })
    };
    wait_for_len(&buffer, 2);
    thread::sleep(SETTLE);
    let taken = pulled.load(Ordering::SeqCst);
    assert!(
        taken <= 1 + 2,
        "put_many took {taken} items from its iterator having put 1, with chunks of 2"
    );
    // On close what was taken and not put comes back, in order, with the
    // iterator, from which nothing more was pulled; nothing is lost.
    buffer.close();
    let Err(refused) = producer.join().unwrap() else {
        panic!("put_many succeeded on a buffer that was never drained")
    };
    let (taken, rest) = refused.into_parts();
    assert_eq!(
        pulled.load(Ordering::SeqCst),
        1 + taken.len(),
        "put_many pulled from its iterator after the close"
    );
    let mut back = taken;
    back.extend(rest);
    assert_eq!(back, (1..10).collect::<Vec<_>>());
    assert_eq!(buffer.drain(), vec![100, 0]);
}

#[test]
fn get_many_takes_at_most_max_oldest_first() {
    let buffer = SharedBuffer::new(8);
    buffer.put_many(1..=5).unwrap();
    assert_eq!(buffer.get_many(3), Ok(vec![1, 2, 3]));
    assert_eq!(buffer.get_many(3), Ok(vec![4, 5]));
    assert!(buffer.is_empty());
}

#[test]
fn get_many_waits_for_at_least_one_item() {
    let buffer = SharedBuffer::new(4);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get_many(10))
    };
    thread::sleep(SETTLE);
    buffer.put(7).unwrap();
    assert_eq!(getter.join().unwrap(), Ok(vec![7]));
}

#[test]
fn get_many_after_close_returns_what_is_left_then_fails() {
    let buffer = SharedBuffer::new(4);
    buffer.put_many([1, 2, 3]).unwrap();
    buffer.close();
    assert_eq!(buffer.get_many(2), Ok(vec![1, 2]));
    assert_eq!(buffer.get_many(2), Ok(vec![3]));
    assert_eq!(buffer.get_many(2), Err(GetError));
}

#[test]
fn get_many_of_zero_never_waits_and_takes_nothing() {
    let buffer = SharedBuffer::new(2);
    // Open and empty: returns at once (a wait would hang this test).
    assert_eq!(buffer.get_many(0), Ok(vec![]));
    buffer.put(1).unwrap();
    assert_eq!(buffer.get_many(0), Ok(vec![]));
    assert_eq!(buffer.len(), 1);
    buffer.close();
    assert_eq!(buffer.get_many(0), Ok(vec![]), "an item is still there");
    assert_eq!(buffer.get(), Ok(1));
    assert_eq!(buffer.get_many(0), Err(GetError), "closed and empty");
}

#[test]
fn close_wakes_a_blocked_get_many() {
    let buffer = SharedBuffer::<u32>::new(2);
    let getters: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get_many(4))
        })
        .collect();
    thread::sleep(SETTLE);
    buffer.close();
    for getter in getters {
        assert_eq!(getter.join().unwrap(), Err(GetError));
    }
}

#[test]
fn get_many_makes_room_for_every_blocked_putter() {
    let buffer = SharedBuffer::new(2);
    buffer.put_many([0, 1]).unwrap();
    let putters: Vec<_> = (2..4)
        .map(|item| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.put(item))
        })
        .collect();
    thread::sleep(SETTLE);
    assert_eq!(buffer.get_many(2), Ok(vec![0, 1]));
    // Both putters must be woken for the two free slots.
    for putter in putters {
        assert_eq!(putter.join().unwrap(), Ok(()));
    }
    let mut rest = buffer.drain();
    rest.sort_unstable();
    assert_eq!(rest, vec![2, 3]);
}

#[test]
fn put_many_wakes_every_getter_it_has_items_for() {
    let buffer = SharedBuffer::new(4);
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get())
        })
        .collect();
    thread::sleep(SETTLE);
    buffer.put_many([10, 20, 30]).unwrap();
    let mut got: Vec<i32> = getters
        .into_iter()
        .map(|g| g.join().unwrap().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, vec![10, 20, 30]);
}

#[test]
fn get_many_into_appends_and_reports_the_count() {
    let buffer = SharedBuffer::new(8);
    buffer.put_many(0..6).unwrap();
    let mut out = vec![-1];
    assert_eq!(buffer.get_many_into(&mut out, 4), Ok(4));
    assert_eq!(out, vec![-1, 0, 1, 2, 3]);
    out.clear();
    assert_eq!(buffer.get_many_into(&mut out, 4), Ok(2));
    assert_eq!(out, vec![4, 5]);
    buffer.close();
    assert_eq!(buffer.get_many_into(&mut out, 4), Err(GetError));
    assert_eq!(out, vec![4, 5], "a failed call leaves the vector alone");
    assert_eq!(buffer.get_many_into(&mut out, 0), Err(GetError));
}

#[test]
fn drain_after_put_many_settles_the_tasks() {
    let buffer = SharedBuffer::new(4);
    buffer.put_many(["x", "y"]).unwrap();
    assert_eq!(buffer.unfinished_tasks(), 2);
    assert_eq!(buffer.drain(), vec!["x", "y"]);
    assert_eq!(buffer.unfinished_tasks(), 0);
    buffer.join();
}

#[test]
fn batch_and_single_calls_mix_n_to_m_exactly_once() {
    const PRODUCERS: u64 = 3;
    const PER: u64 = 2000;
    let buffer = SharedBuffer::new(5);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let range = p * PER..(p + 1) * PER;
                if p == 0 {
                    // One producer puts item by item.
                    for item in range {
                        buffer.put(item).unwrap();
                    }
                } else {
                    buffer.put_many(range).unwrap();
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..3)
        .map(|c| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut got = Vec::new();
                let mut scratch = Vec::new();
                loop {
                    let more = match c {
                        0 => buffer.get().map(|item| got.push(item)).is_ok(),
                        1 => buffer.get_many(4).map(|batch| got.extend(batch)).is_ok(),
                        _ => {
                            scratch.clear();
                            let ok = buffer.get_many_into(&mut scratch, 64).is_ok();
                            got.extend_from_slice(&scratch);
                            ok
                        }
                    };
                    if !more {
                        return got;
                    }
                }
            })
        })
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    buffer.close();
    let received: Vec<Vec<u64>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    // FIFO: what one consumer got from one producer is in that producer's
    // order.
    for got in &received {
        for p in 0..PRODUCERS {
            let from_p: Vec<u64> = got.iter().copied().filter(|i| i / PER == p).collect();
            assert!(from_p.windows(2).all(|w| w[0] < w[1]), "out of order");
        }
    }
    let mut all: Vec<u64> = received.into_iter().flatten().collect();
    all.sort_unstable();
    assert_eq!(all, (0..PRODUCERS * PER).collect::<Vec<_>>());
    assert_eq!(buffer.unfinished_tasks(), (PRODUCERS * PER) as usize);
}
