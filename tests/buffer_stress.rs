//! N:M exactly-once stress tests for `SharedBuffer<T>` on real std threads.
//!
//! Sixteen producers each put a disjoint range of `u64`s; sixteen consumers
//! take until the buffer reports closed; the main thread waits for the
//! producers, `join`s the buffer and closes it. Every test then checks that
//! the multiset of received items equals the multiset put (no loss, no
//! duplicate), that each consumer saw each producer's items in the order they
//! were put (the buffer is FIFO), and that the buffer ends empty with no
//! unfinished task.
//!
//! Nothing here asserts that anything was fast: a lost wakeup shows as a
//! hang, a lost or duplicated item as a failed assertion.
#![cfg(not(any(loom, shuttle)))]

use std::thread;
use std::time::Duration;

#[path = "support/styles.rs"]
mod styles;

use prodcon::{SharedBuffer, TryGetError};
use styles::{GET_STYLES, GetStyle, PUT_STYLES, PutStyle, consume, produce};

const PRODUCERS: usize = 16;
const CONSUMERS: usize = 16;
/// Items per producer in the blocking tests.
const ITEMS: u64 = 5_000;
/// Items per producer in the mixed-API tests (spinning is slower).
const MIXED_ITEMS: u64 = 2_000;
/// The timeout of the retry loops: short, so that timeouts race with
/// notifications often.
const RETRY_TIMEOUT: Duration = Duration::from_micros(200);

/// The items producer `p` puts: a range disjoint from every other
/// producer's, so the producer of an item is `item / items_per_producer`.
fn range_of(producer: usize, items_per_producer: u64) -> std::ops::Range<u64> {
    let start = producer as u64 * items_per_producer;
    start..start + items_per_producer
}

/// Runs one N:M round and checks exactly-once delivery and per-producer
/// order.
fn run(
    capacity: usize,
    items_per_producer: u64,
    put_style: impl Fn(usize) -> PutStyle,
    get_style: impl Fn(usize) -> GetStyle,
) {
    let buffer = SharedBuffer::new(capacity);
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|c| {
            let buffer = buffer.clone();
            let style = get_style(c);
            thread::spawn(move || consume(&buffer, style, RETRY_TIMEOUT))
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let buffer = buffer.clone();
            let (items, style) = (range_of(p, items_per_producer), put_style(p));
            thread::spawn(move || produce(&buffer, items, style, RETRY_TIMEOUT))
        })
        .collect();
    for producer in producers {
        producer.join().expect("a producer panicked");
    }
    // Every item is in; wait until each has been taken and marked done, then
    // release the consumers.
    buffer.join();
    assert!(buffer.close());
    let received: Vec<Vec<u64>> = consumers
        .into_iter()
        .map(|c| c.join().expect("a consumer panicked"))
        .collect();

    let total = PRODUCERS as u64 * items_per_producer;
    let mut times_seen = vec![0u32; total as usize];
    for (c, items) in received.iter().enumerate() {
        let mut last_of_producer = vec![None::<u64>; PRODUCERS];
        for &item in items {
            assert!(item < total, "consumer {c} got foreign item {item}");
            times_seen[item as usize] += 1;
            let p = (item / items_per_producer.max(1)) as usize;
            if let Some(last) = last_of_producer[p] {
                assert!(
                    last < item,
                    "consumer {c} got producer {p}'s {item} after {last}: not FIFO"
                );
            }
            last_of_producer[p] = Some(item);
        }
    }
    let lost: Vec<u64> = (0..total)
        .filter(|&i| times_seen[i as usize] == 0)
        .collect();
    let duplicated: Vec<u64> = (0..total).filter(|&i| times_seen[i as usize] > 1).collect();
    assert!(
        lost.is_empty(),
        "{} items lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(10)]
    );
    assert!(
        duplicated.is_empty(),
        "{} items duplicated, e.g. {:?}",
        duplicated.len(),
        &duplicated[..duplicated.len().min(10)]
    );
    let delivered: usize = received.iter().map(Vec::len).sum();
    assert_eq!(delivered as u64, total);

    assert!(buffer.is_empty());
    assert_eq!(buffer.len(), 0);
    assert_eq!(buffer.unfinished_tasks(), 0);
    assert!(buffer.drain().is_empty());
    assert_eq!(buffer.try_get(), Err(TryGetError::Closed));
}

fn all_blocking(capacity: usize) {
    run(
        capacity,
        ITEMS,
        |_| PutStyle::Blocking,
        |_| GetStyle::Blocking,
    );
}

/// Producers and consumers cycle through the three call styles, so every
/// pair of styles meets on the buffer.
fn mixed(capacity: usize) {
    run(
        capacity,
        MIXED_ITEMS,
        |p| PUT_STYLES[p % 3],
        |c| GET_STYLES[(c + 1) % 3],
    );
}

/// 16 blocking producers × 16 blocking consumers at capacity 1 (every put
/// waits for a get): each item is delivered exactly once, nothing hangs.
#[test]
fn blocking_16p_16c_cap1_delivers_each_item_exactly_once() {
    all_blocking(1);
}

/// 16 × 16 blocking at capacity 2: each item is delivered exactly once.
#[test]
fn blocking_16p_16c_cap2_delivers_each_item_exactly_once() {
    all_blocking(2);
}

/// 16 × 16 blocking at capacity 64 (mostly non-blocking traffic): each item
/// is delivered exactly once.
#[test]
fn blocking_16p_16c_cap64_delivers_each_item_exactly_once() {
    all_blocking(64);
}

/// 16 × 16 mixing blocking calls, `*_timeout` retry loops and `try_*` spins
/// at capacity 1: timeouts racing notifications lose and duplicate nothing.
#[test]
fn mixed_styles_16p_16c_cap1_deliver_each_item_exactly_once() {
    mixed(1);
}

/// The mixed-style round at capacity 2.
#[test]
fn mixed_styles_16p_16c_cap2_deliver_each_item_exactly_once() {
    mixed(2);
}

/// The mixed-style round at capacity 64.
#[test]
fn mixed_styles_16p_16c_cap64_deliver_each_item_exactly_once() {
    mixed(64);
}

/// Only timed calls, at capacity 1: every producer uses `put_timeout` and
/// every consumer `get_timeout` retry loops, the path where a notification
/// and a timeout most often land together.
#[test]
fn timeout_retry_only_16p_16c_cap1_delivers_each_item_exactly_once() {
    run(
        1,
        MIXED_ITEMS,
        |_| PutStyle::TimeoutRetry,
        |_| GetStyle::TimeoutRetry,
    );
}

/// Close while producers are still blocked in `put` on a full buffer and
/// consumers are taking: every item ends exactly once either with a
/// consumer, in a producer's `PutError`, or in the final `drain`.
#[test]
fn close_mid_stream_accounts_for_every_item_exactly_once() {
    const PER_PRODUCER: u64 = 2_000;
    let buffer = SharedBuffer::new(2);
    let consumers: Vec<_> = (0..CONSUMERS / 2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut received = Vec::new();
                // Take a bounded number so items are left buffered at close.
                while received.len() < 100 {
                    match buffer.get() {
                        Ok(item) => received.push(item),
                        Err(_) => break,
                    }
                }
                received
            })
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut put = Vec::new();
                for item in range_of(p, PER_PRODUCER) {
                    match buffer.put(item) {
                        Ok(()) => put.push(item),
                        // Closed: this item and the rest never went in.
                        Err(err) => return (put, Some(err.into_inner())),
                    }
                }
                (put, None)
            })
        })
        .collect();
    let mut received: Vec<u64> = Vec::new();
    for consumer in consumers {
        received.extend(consumer.join().unwrap());
    }
    // The consumers have stopped; producers are blocked on the full buffer.
    buffer.close();
    let mut put_ok = 0;
    let mut rejected = Vec::new();
    for producer in producers {
        let (put, back) = producer.join().unwrap();
        put_ok += put.len();
        rejected.extend(back);
    }
    let left = buffer.drain();
    assert!(left.len() <= 2);
    assert_eq!(received.len() + left.len(), put_ok, "taken + left != put");
    let mut seen: Vec<u64> = received
        .iter()
        .chain(&left)
        .chain(&rejected)
        .copied()
        .collect();
    let unique = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), unique, "an item was seen twice");
    assert_eq!(
        rejected.len(),
        PRODUCERS,
        "every producer gets its item back"
    );
    assert!(buffer.is_empty());
}
