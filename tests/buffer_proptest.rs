//! Property tests for `SharedBuffer<T>`.
//!
//! * A model-based test: random single-threaded sequences of buffer calls are
//!   run against the real buffer and against a reference model written here
//!   (a `VecDeque`, a closed flag and an unfinished-task counter); every
//!   single result must agree, error variants and returned items included.
//! * An N:M property on real std threads: random numbers of producers,
//!   consumers, capacity and items, each item delivered exactly once.
#![cfg(not(any(loom, shuttle)))]

use std::collections::VecDeque;
use std::thread;
use std::time::Duration;

use proptest::prelude::*;

use prodcon::{
    GetTimeoutError, PutError, PutTimeoutError, SharedBuffer, TaskDoneError, TryGetError,
    TryPutError,
};

// --- Model-based test ------------------------------------------------------

/// One call on the buffer. The blocking `Put` / `Get` are made only when the
/// model says they cannot block (the test is single-threaded); a zero
/// timeout never waits, so the `*TimeoutZero` calls are deterministic.
#[derive(Clone, Debug)]
enum Op {
    TryPut(u32),
    Put(u32),
    PutTimeoutZero(u32),
    TryGet,
    Get,
    GetTimeoutZero,
    Close,
    Drain,
    TaskDone,
    JoinTimeoutZero,
    Len,
    IsFull,
    IsEmpty,
    IsClosed,
    UnfinishedTasks,
}

/// The result of one call, in a form the real buffer and the model can both
/// produce and that prints every carried item on failure.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// `Ok(())` of a put or of `task_done`.
    Done,
    /// An item taken by a get.
    Got(u32),
    /// The items returned by `drain`.
    Drained(Vec<u32>),
    Bool(bool),
    Count(usize),
    /// A put refused because the buffer was full (`Full` / `Timeout`).
    RefusedFull(u32),
    /// A put refused because the buffer was closed.
    RefusedClosed(u32),
    /// A get that found the buffer empty but open (`Empty` / `Timeout`).
    NothingYet,
    /// A get that found the buffer closed and empty.
    ClosedAndEmpty,
    TaskDoneError,
    /// A blocking call that the model says would block forever: not made.
    WouldBlock,
}

/// The reference model of the contract.
#[derive(Debug)]
struct Model {
    capacity: usize,
    items: VecDeque<u32>,
    closed: bool,
    unfinished: usize,
}

impl Model {
    fn new(capacity: usize) -> Self {
        Model {
            capacity,
            items: VecDeque::new(),
            closed: false,
            unfinished: 0,
        }
    }

    fn would_block_put(&self) -> bool {
        !self.closed && self.items.len() == self.capacity
    }

    fn would_block_get(&self) -> bool {
        !self.closed && self.items.is_empty()
    }

    /// Closed wins over full: a put on a closed, full buffer is `Closed`.
    fn put(&mut self, item: u32) -> Outcome {
        if self.closed {
            Outcome::RefusedClosed(item)
        } else if self.items.len() == self.capacity {
            Outcome::RefusedFull(item)
        } else {
            self.items.push_back(item);
            self.unfinished += 1;
            Outcome::Done
        }
    }

    /// Items win over closed: a closed buffer still hands out what it holds.
    fn get(&mut self) -> Outcome {
        match self.items.pop_front() {
            Some(item) => Outcome::Got(item),
            None if self.closed => Outcome::ClosedAndEmpty,
            None => Outcome::NothingYet,
        }
    }

    fn apply(&mut self, op: &Op) -> Outcome {
        match *op {
            Op::TryPut(item) | Op::PutTimeoutZero(item) => self.put(item),
            Op::Put(_) if self.would_block_put() => Outcome::WouldBlock,
            Op::Put(item) => self.put(item),
            Op::TryGet | Op::GetTimeoutZero => self.get(),
            Op::Get if self.would_block_get() => Outcome::WouldBlock,
            Op::Get => self.get(),
            Op::Close => {
                let newly = !self.closed;
                self.closed = true;
                Outcome::Bool(newly)
            }
            Op::Drain => {
                let drained: Vec<u32> = self.items.drain(..).collect();
                // Drained items stop counting; `task_done` may have run ahead
                // of `get`, so the count never goes below zero.
                self.unfinished = self.unfinished.saturating_sub(drained.len());
                Outcome::Drained(drained)
            }
            Op::TaskDone => {
                if self.unfinished == 0 {
                    Outcome::TaskDoneError
                } else {
                    self.unfinished -= 1;
                    Outcome::Done
                }
            }
            Op::JoinTimeoutZero => Outcome::Bool(self.unfinished == 0),
            Op::Len => Outcome::Count(self.items.len()),
            Op::IsFull => Outcome::Bool(self.items.len() == self.capacity),
            Op::IsEmpty => Outcome::Bool(self.items.is_empty()),
            Op::IsClosed => Outcome::Bool(self.closed),
            Op::UnfinishedTasks => Outcome::Count(self.unfinished),
        }
    }
}

fn from_try_put(result: Result<(), TryPutError<u32>>) -> Outcome {
    match result {
        Ok(()) => Outcome::Done,
        Err(TryPutError::Full(item)) => Outcome::RefusedFull(item),
        Err(TryPutError::Closed(item)) => Outcome::RefusedClosed(item),
    }
}

fn from_put(result: Result<(), PutError<u32>>) -> Outcome {
    match result {
        Ok(()) => Outcome::Done,
        Err(PutError(item)) => Outcome::RefusedClosed(item),
    }
}

fn from_put_timeout(result: Result<(), PutTimeoutError<u32>>) -> Outcome {
    match result {
        Ok(()) => Outcome::Done,
        Err(PutTimeoutError::Timeout(item)) => Outcome::RefusedFull(item),
        Err(PutTimeoutError::Closed(item)) => Outcome::RefusedClosed(item),
    }
}

fn from_try_get(result: Result<u32, TryGetError>) -> Outcome {
    match result {
        Ok(item) => Outcome::Got(item),
        Err(TryGetError::Empty) => Outcome::NothingYet,
        Err(TryGetError::Closed) => Outcome::ClosedAndEmpty,
    }
}

fn from_get_timeout(result: Result<u32, GetTimeoutError>) -> Outcome {
    match result {
        Ok(item) => Outcome::Got(item),
        Err(GetTimeoutError::Timeout) => Outcome::NothingYet,
        Err(GetTimeoutError::Closed) => Outcome::ClosedAndEmpty,
    }
}

/// Makes the call on the real buffer. `would_block` comes from the model,
/// before it applied the op.
fn run_real(buffer: &SharedBuffer<u32>, op: &Op, would_block: bool) -> Outcome {
    match *op {
        Op::TryPut(item) => from_try_put(buffer.try_put(item)),
        Op::Put(_) | Op::Get if would_block => Outcome::WouldBlock,
        Op::Put(item) => from_put(buffer.put(item)),
        Op::PutTimeoutZero(item) => from_put_timeout(buffer.put_timeout(item, Duration::ZERO)),
        Op::TryGet => from_try_get(buffer.try_get()),
        Op::Get => match buffer.get() {
            Ok(item) => Outcome::Got(item),
            Err(_) => Outcome::ClosedAndEmpty,
        },
        Op::GetTimeoutZero => from_get_timeout(buffer.get_timeout(Duration::ZERO)),
        Op::Close => Outcome::Bool(buffer.close()),
        Op::Drain => Outcome::Drained(buffer.drain()),
        Op::TaskDone => match buffer.task_done() {
            Ok(()) => Outcome::Done,
            Err(TaskDoneError) => Outcome::TaskDoneError,
        },
        Op::JoinTimeoutZero => Outcome::Bool(buffer.join_timeout(Duration::ZERO)),
        Op::Len => Outcome::Count(buffer.len()),
        Op::IsFull => Outcome::Bool(buffer.is_full()),
        Op::IsEmpty => Outcome::Bool(buffer.is_empty()),
        Op::IsClosed => Outcome::Bool(buffer.is_closed()),
        Op::UnfinishedTasks => Outcome::Count(buffer.unfinished_tasks()),
    }
}

/// Weighted so that a sequence stays open for a good while (a close is rare)
/// and the buffer swings between empty and full.
fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        24 => any::<u32>().prop_map(Op::TryPut),
        12 => any::<u32>().prop_map(Op::Put),
        12 => any::<u32>().prop_map(Op::PutTimeoutZero),
        20 => Just(Op::TryGet),
        10 => Just(Op::Get),
        10 => Just(Op::GetTimeoutZero),
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

proptest! {
    /// Every result of a random single-threaded call sequence, error
    /// variants and items included, matches the reference model; at the end
    /// the real buffer holds exactly the model's items.
    #[test]
    fn single_thread_calls_match_the_reference_model(
        capacity in 1usize..=8,
        ops in prop::collection::vec(op(), 0..=200),
    ) {
        let buffer = SharedBuffer::new(capacity);
        let mut model = Model::new(capacity);
        prop_assert_eq!(buffer.capacity(), capacity);
        for (step, op) in ops.iter().enumerate() {
            let would_block = match op {
                Op::Put(_) => model.would_block_put(),
                Op::Get => model.would_block_get(),
                _ => false,
            };
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

/// Puts `items` in order with the given style (0: `put`, 1: `put_timeout`
/// retry, 2: `try_put` spin).
fn produce(buffer: &SharedBuffer<u64>, items: std::ops::Range<u64>, style: u8) {
    for mut item in items {
        loop {
            let back = match style {
                0 => buffer.put(item).map_err(PutError::into_inner),
                1 => buffer
                    .put_timeout(item, Duration::from_micros(100))
                    .map_err(PutTimeoutError::into_inner),
                _ => buffer.try_put(item).map_err(TryPutError::into_inner),
            };
            match back {
                Ok(()) => break,
                Err(_) if buffer.is_closed() => panic!("closed while producing"),
                Err(back) => {
                    item = back;
                    thread::yield_now();
                }
            }
        }
    }
}

/// Takes until closed and empty with the given style (0: `get`, 1:
/// `get_timeout` retry, 2: `try_get` spin), marking each item done.
fn consume(buffer: &SharedBuffer<u64>, style: u8) -> Vec<u64> {
    let mut received = Vec::new();
    loop {
        let item = match style {
            0 => match buffer.get() {
                Ok(item) => item,
                Err(_) => break,
            },
            1 => match buffer.get_timeout(Duration::from_micros(100)) {
                Ok(item) => item,
                Err(GetTimeoutError::Timeout) => continue,
                Err(GetTimeoutError::Closed) => break,
            },
            _ => match buffer.try_get() {
                Ok(item) => item,
                Err(TryGetError::Empty) => {
                    thread::yield_now();
                    continue;
                }
                Err(TryGetError::Closed) => break,
            },
        };
        received.push(item);
        buffer
            .task_done()
            .expect("task_done with no unfinished task");
    }
    received
}

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
        put_styles in prop::collection::vec(0u8..3, 6),
        get_styles in prop::collection::vec(0u8..3, 6),
    ) {
        let buffer = SharedBuffer::new(capacity);
        let consumer_threads: Vec<_> = (0..consumers)
            .map(|c| {
                let buffer = buffer.clone();
                let style = get_styles[c];
                thread::spawn(move || consume(&buffer, style))
            })
            .collect();
        let producer_threads: Vec<_> = (0..producers)
            .map(|p| {
                let buffer = buffer.clone();
                let start = p as u64 * per_producer;
                let style = put_styles[p];
                thread::spawn(move || produce(&buffer, start..start + per_producer, style))
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
    }
}
