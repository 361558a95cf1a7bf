//! Property tests for the batch operations of `SharedBuffer<T>`.
//!
//! * A model-based test: random single-threaded sequences that mix
//!   `put_many`, `get_many` and `get_many_into` with the single-item calls
//!   run against the real buffer and against a reference model (a
//!   `VecDeque`, a closed flag and an unfinished-task counter); every
//!   result, items and error variants included, must agree.
//! * An N:M property on real threads: batch producers and batch consumers
//!   of random sizes deliver each item exactly once, in each producer's
//!   order.
#![cfg(not(any(loom, shuttle)))]

use std::collections::VecDeque;
use std::thread;

use proptest::prelude::*;

use prodcon::{GetError, SharedBuffer, TaskDoneError, TryGetError, TryPutError};

// --- Model-based test ------------------------------------------------------

/// One call on the buffer. The blocking calls are made only when the model
/// says they cannot block (the test is single-threaded).
#[derive(Clone, Debug)]
enum Op {
    PutMany(Vec<u32>),
    GetMany(usize),
    GetManyInto(usize),
    TryPut(u32),
    TryGet,
    Close,
    Drain,
    TaskDone,
    Len,
    UnfinishedTasks,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Done,
    /// `put_many` refused on a closed buffer, with the items back.
    RefusedMany(Vec<u32>),
    /// Items taken by a get (one for `TryGet`), or drained.
    Got(Vec<u32>),
    /// `get_many_into`: the count it reported and what the vector holds.
    GotInto(usize, Vec<u32>),
    RefusedFull(u32),
    RefusedClosed(u32),
    NothingYet,
    ClosedAndEmpty,
    Bool(bool),
    Count(usize),
    TaskDoneError,
    /// A blocking call that the model says would block: not made.
    WouldBlock,
}

#[derive(Debug)]
struct Model {
    capacity: usize,
    items: VecDeque<u32>,
    closed: bool,
    unfinished: usize,
}

impl Model {
    /// Would this call wait (single-threaded: forever)?
    fn would_block(&self, op: &Op) -> bool {
        match op {
            // A put_many waits while the items do not all fit, unless the
            // buffer is closed (then it fails at once) or there is nothing
            // to put.
            Op::PutMany(items) => {
                !self.closed && !items.is_empty() && self.items.len() + items.len() > self.capacity
            }
            Op::GetMany(max) | Op::GetManyInto(max) => {
                *max > 0 && !self.closed && self.items.is_empty()
            }
            _ => false,
        }
    }

    fn take(&mut self, max: usize) -> Result<Vec<u32>, ()> {
        if self.items.is_empty() && self.closed {
            return Err(());
        }
        let n = max.min(self.items.len());
        Ok(self.items.drain(..n).collect())
    }

    fn apply(&mut self, op: &Op) -> Outcome {
        if self.would_block(op) {
            return Outcome::WouldBlock;
        }
        match op {
            Op::PutMany(items) => {
                if items.is_empty() {
                    Outcome::Done
                } else if self.closed {
                    Outcome::RefusedMany(items.clone())
                } else {
                    self.items.extend(items.iter().copied());
                    self.unfinished += items.len();
                    Outcome::Done
                }
            }
            Op::GetMany(max) => match self.take(*max) {
                Ok(items) => Outcome::Got(items),
                Err(()) => Outcome::ClosedAndEmpty,
            },
            Op::GetManyInto(max) => match self.take(*max) {
                // The real call appends to a vector that already holds a
                // marker item.
                Ok(items) => {
                    let n = items.len();
                    let mut out = vec![u32::MAX];
                    out.extend(items);
                    Outcome::GotInto(n, out)
                }
                Err(()) => Outcome::ClosedAndEmpty,
            },
            Op::TryPut(item) => {
                if self.closed {
                    Outcome::RefusedClosed(*item)
                } else if self.items.len() == self.capacity {
                    Outcome::RefusedFull(*item)
                } else {
                    self.items.push_back(*item);
                    self.unfinished += 1;
                    Outcome::Done
                }
            }
            Op::TryGet => match self.items.pop_front() {
                Some(item) => Outcome::Got(vec![item]),
                None if self.closed => Outcome::ClosedAndEmpty,
                None => Outcome::NothingYet,
            },
            Op::Close => {
                let newly = !self.closed;
                self.closed = true;
                Outcome::Bool(newly)
            }
            Op::Drain => {
                let drained: Vec<u32> = self.items.drain(..).collect();
                self.unfinished = self.unfinished.saturating_sub(drained.len());
                Outcome::Got(drained)
            }
            Op::TaskDone => {
                if self.unfinished == 0 {
                    Outcome::TaskDoneError
                } else {
                    self.unfinished -= 1;
                    Outcome::Done
                }
            }
            Op::Len => Outcome::Count(self.items.len()),
            Op::UnfinishedTasks => Outcome::Count(self.unfinished),
        }
    }
}

fn run_real(buffer: &SharedBuffer<u32>, op: &Op, would_block: bool) -> Outcome {
    if would_block {
        return Outcome::WouldBlock;
    }
    match op {
        Op::PutMany(items) => match buffer.put_many(items.iter().copied()) {
            Ok(()) => Outcome::Done,
            Err(refused) => Outcome::RefusedMany(refused.into_inner()),
        },
        Op::GetMany(max) => match buffer.get_many(*max) {
            Ok(items) => Outcome::Got(items),
            Err(GetError) => Outcome::ClosedAndEmpty,
        },
        Op::GetManyInto(max) => {
            let mut out = vec![u32::MAX];
            match buffer.get_many_into(&mut out, *max) {
                Ok(n) => Outcome::GotInto(n, out),
                Err(GetError) => {
                    assert_eq!(out, vec![u32::MAX], "a failed call changed the vector");
                    Outcome::ClosedAndEmpty
                }
            }
        }
        Op::TryPut(item) => match buffer.try_put(*item) {
            Ok(()) => Outcome::Done,
            Err(TryPutError::Full(item)) => Outcome::RefusedFull(item),
            Err(TryPutError::Closed(item)) => Outcome::RefusedClosed(item),
        },
        Op::TryGet => match buffer.try_get() {
            Ok(item) => Outcome::Got(vec![item]),
            Err(TryGetError::Empty) => Outcome::NothingYet,
            Err(TryGetError::Closed) => Outcome::ClosedAndEmpty,
        },
        Op::Close => Outcome::Bool(buffer.close()),
        Op::Drain => Outcome::Got(buffer.drain()),
        Op::TaskDone => match buffer.task_done() {
            Ok(()) => Outcome::Done,
            Err(TaskDoneError) => Outcome::TaskDoneError,
        },
        Op::Len => Outcome::Count(buffer.len()),
        Op::UnfinishedTasks => Outcome::Count(buffer.unfinished_tasks()),
    }
}

fn op() -> impl Strategy<Value = Op> {
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
    /// Every result of a random single-threaded sequence of batch and
    /// single calls matches the reference model; at the end the real
    /// buffer holds exactly the model's items and task count.
    #[test]
    fn batch_calls_match_the_reference_model(
        capacity in 1usize..=8,
        ops in prop::collection::vec(op(), 0..=150),
    ) {
        let buffer = SharedBuffer::new(capacity);
        let mut model = Model {
            capacity,
            items: VecDeque::new(),
            closed: false,
            unfinished: 0,
        };
        for (step, op) in ops.iter().enumerate() {
            let would_block = model.would_block(op);
            let real = run_real(&buffer, op, would_block);
            let expected = model.apply(op);
            prop_assert_eq!(
                &real, &expected,
                "step {} ({:?}) on capacity {}; model after: {:?}", step, op, capacity, model
            );
        }
        prop_assert_eq!(buffer.len(), model.items.len());
        prop_assert_eq!(buffer.unfinished_tasks(), model.unfinished);
        prop_assert_eq!(buffer.is_closed(), model.closed);
        prop_assert_eq!(buffer.drain(), Vec::from(model.items));
    }
}

// --- Threaded exactly-once property ----------------------------------------

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
                if let Some(last) = last_of_producer[p] {
                    prop_assert!(last < item, "producer {}'s {} came after {}", p, item, last);
                }
                last_of_producer[p] = Some(item);
            }
        }
        let mut all: Vec<u64> = received.into_iter().flatten().collect();
        all.sort_unstable();
        prop_assert_eq!(all, (0..producers as u64 * per_producer).collect::<Vec<_>>());
    }
}
