//! Property tests for `SharedBuffer<T>`.
//!
//! * Two model-based tests: random single-threaded sequences of buffer
//!   calls — the single-item, timed and query calls in one, the batch calls
//!   (`put_many`, `get_many`, `get_many_into`) mixed with single-item ones
//!   in the other — are run against the real buffer and against the
//!   sequential specification shared with the linearizability checker
//!   (`tests/support/spec.rs`); every single result must agree, error
//!   variants and returned items included. The real buffer is called
//!   through the checker's own [`Real`] target.
//! * Two N:M properties on real std threads: random numbers of producers,
//!   consumers, capacity and items, each item delivered exactly once and
//!   in each producer's order; one with single-item calls of every style,
//!   one with `put_many` producers and `get_many` consumers.
#![cfg(not(any(loom, shuttle)))]

#[path = "support/lin/mod.rs"]
mod lin;
#[path = "support/styles.rs"]
mod styles;

use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use lin::spec::{Op, Spec};
use lin::target::{Real, Target};
use prodcon::{SharedBuffer, TryGetError};

// --- Model-based tests -----------------------------------------------------

/// Runs `ops` on a real buffer of `capacity` and on the specification, and
/// checks that every result agrees and that at the end the real buffer
/// holds exactly the specification's items, task count and closed flag.
/// Timed calls use a zero timeout (which never waits, so the test stays
/// deterministic); a blocking call that the specification says would wait
/// forever (`would_block`, asked before the specification applies the op)
/// is not made, and its result is `None` on both sides.
fn matches_the_specification(capacity: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let real = Real::new(capacity, Duration::ZERO);
    let buffer = &real.buffer;
    let mut model = Spec::new(capacity);
    prop_assert_eq!(buffer.capacity(), capacity);
    for (step, op) in ops.iter().enumerate() {
        let would_block = model.would_block(op);
        let got = (!would_block).then(|| real.call(op));
        let expected = model.apply(op);
        prop_assert_eq!(
            &got,
            &expected,
            "step {} ({:?}) on capacity {}; model after: {:?}",
            step,
            op,
            capacity,
            model
        );
    }
    prop_assert_eq!(buffer.len(), model.items.len());
    prop_assert_eq!(buffer.unfinished_tasks(), model.unfinished);
    prop_assert_eq!(buffer.is_closed(), model.closed);
    prop_assert_eq!(buffer.drain(), Vec::from(model.items));
    Ok(())
}

/// Single-item, timed and query calls. Weighted so that a sequence stays
/// open for a good while (a close is rare) and the buffer swings between
/// empty and full. `join` is exercised by the threaded property below.
fn single_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        24 => any::<u32>().prop_map(Op::TryPut),
        12 => any::<u32>().prop_map(Op::Put),
        12 => any::<u32>().prop_map(Op::PutTimeout),
        20 => Just(Op::TryGet),
        10 => Just(Op::Get),
        10 => Just(Op::GetTimeout),
        1 => Just(Op::Close),
        4 => Just(Op::Drain),
        24 => Just(Op::TaskDone),
        4 => Just(Op::JoinTimeoutZero),
        4 => Just(Op::Len),
        4 => Just(Op::IsFull),
        4 => Just(Op::IsEmpty),
        2 => Just(Op::IsClosed),
        4 => Just(Op::UnfinishedTasks),
    ]
}

/// The batch calls, mixed with single-item ones.
fn batch_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => prop::collection::vec(any::<u32>(), 0..=6).prop_map(Op::PutMany),
        12 => (0usize..=5).prop_map(Op::GetMany),
        8 => (0usize..=5).prop_map(Op::GetManyInto),
        8 => any::<u32>().prop_map(Op::TryPut),
        6 => Just(Op::TryGet),
        1 => Just(Op::Close),
        3 => Just(Op::Drain),
        16 => Just(Op::TaskDone),
        3 => Just(Op::Len),
        3 => Just(Op::UnfinishedTasks),
    ]
}

proptest! {
    /// Every result of a random single-threaded call sequence, error
    /// variants and items included, matches the sequential specification.
    #[test]
    fn single_thread_calls_match_the_reference_model(
        capacity in 1usize..=8,
        ops in prop::collection::vec(single_op(), 0..=200),
    ) {
        matches_the_specification(capacity, &ops)?;
    }

    /// Every result of a random single-threaded sequence of batch and
    /// single calls matches the sequential specification (a failed
    /// `get_many_into` must leave its vector as it was).
    #[test]
    fn batch_calls_match_the_reference_model(
        capacity in 1usize..=8,
        ops in prop::collection::vec(batch_op(), 0..=150),
    ) {
        matches_the_specification(capacity, &ops)?;
    }
}

// --- Threaded exactly-once property ----------------------------------------

/// The timed styles' wait a try: short, so that timeouts race with
/// notifications often.
const RETRY: Duration = Duration::from_micros(100);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With random numbers of producer and consumer threads, capacity, items
    /// and call styles, every item put is received exactly once, each
    /// consumer sees each producer's items in order, `join` waits for all of
    /// them, and the buffer ends empty.
    #[test]
    fn threads_deliver_each_item_exactly_once(
        producers in 1usize..=6,
        consumers in 1usize..=6,
        capacity in 1usize..=4,
        per_producer in 0u64..=50,
        put_styles in prop::collection::vec(prop::sample::select(&styles::PUT_STYLES[..]), 6),
        get_styles in prop::collection::vec(prop::sample::select(&styles::GET_STYLES[..]), 6),
    ) {
        let buffer = SharedBuffer::new(capacity);
        let consumer_threads: Vec<_> = (0..consumers)
            .map(|c| {
                let buffer = buffer.clone();
                let style = get_styles[c];
                thread::spawn(move || styles::consume(&buffer, style, RETRY))
            })
            .collect();
        let producer_threads: Vec<_> = (0..producers)
            .map(|p| {
                let buffer = buffer.clone();
                let start = p as u64 * per_producer;
                let style = put_styles[p];
                thread::spawn(move || styles::produce(&buffer, start..start + per_producer, style, RETRY))
            })
            .collect();
        delivered_exactly_once(&buffer, producer_threads, consumer_threads, producers, per_producer)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random numbers of `put_many` producers (each putting its items in
    /// random-sized batches) and `get_many` consumers (random `max`),
    /// random capacity: every item arrives exactly once, each consumer
    /// sees each producer's items in order, and `join` returns once every
    /// item is marked done.
    #[test]
    fn batch_threads_deliver_each_item_exactly_once(
        producers in 1usize..=4,
        consumers in 1usize..=4,
        capacity in 1usize..=6,
        per_producer in 0u64..=200,
        batch in 1usize..=9,
        maxes in prop::collection::vec(1usize..=9, 4),
    ) {
        let buffer = SharedBuffer::new(capacity);
        let consumer_threads: Vec<_> = (0..consumers)
            .map(|c| {
                let buffer = buffer.clone();
                let max = maxes[c];
                thread::spawn(move || {
                    let mut received = Vec::new();
                    while let Ok(items) = buffer.get_many(max) {
                        assert!(!items.is_empty() && items.len() <= max);
                        for _ in &items {
                            buffer.task_done().expect("one task per item");
                        }
                        received.extend(items);
                    }
                    received
                })
            })
            .collect();
        let producer_threads: Vec<_> = (0..producers)
            .map(|p| {
                let buffer = buffer.clone();
                let start = p as u64 * per_producer;
                thread::spawn(move || {
                    let items: Vec<u64> = (start..start + per_producer).collect();
                    for chunk in items.chunks(batch) {
                        buffer.put_many(chunk.iter().copied()).expect("open buffer");
                    }
                })
            })
            .collect();
        delivered_exactly_once(&buffer, producer_threads, consumer_threads, producers, per_producer)?;
    }
}

/// Joins the producers, waits with `join` until every item is marked done,
/// closes the buffer and joins the consumers; then every item
/// `0..producers * per_producer` (producer `p` puts `p * per_producer..`)
/// must have arrived exactly once, each consumer must have seen each
/// producer's items in order, and the buffer must end empty and closed.
fn delivered_exactly_once(
    buffer: &SharedBuffer<u64>,
    producer_threads: Vec<thread::JoinHandle<()>>,
    consumer_threads: Vec<thread::JoinHandle<Vec<u64>>>,
    producers: usize,
    per_producer: u64,
) -> Result<(), TestCaseError> {
    for producer in producer_threads {
        producer.join().expect("a producer panicked");
    }
    buffer.join();
    prop_assert_eq!(buffer.unfinished_tasks(), 0);
    prop_assert!(buffer.close());
    let received: Vec<Vec<u64>> = consumer_threads
        .into_iter()
        .map(|c| c.join().expect("a consumer panicked"))
        .collect();
    for items in &received {
        let mut last_of_producer = vec![None::<u64>; producers];
        for &item in items {
            let p = (item / per_producer.max(1)) as usize;
            prop_assert!(p < producers, "foreign item {}", item);
            if let Some(last) = last_of_producer[p] {
                prop_assert!(last < item, "producer {}'s {} came after {}", p, item, last);
            }
            last_of_producer[p] = Some(item);
        }
    }
    let mut all: Vec<u64> = received.into_iter().flatten().collect();
    all.sort_unstable();
    let expected: Vec<u64> = (0..producers as u64 * per_producer).collect();
    prop_assert_eq!(all, expected);
    prop_assert!(buffer.is_empty());
    prop_assert_eq!(buffer.try_get(), Err(TryGetError::Closed));
    Ok(())
}
