//! What the throughput benches share: the matrix's cells, the timed run
//! of one cell, and one run function per implementation.
//!
//! Each implementation is one `fn(Shape) -> Duration` that builds the queue
//! and one closure per worker and hands them to [`run_timed`]; the
//! [`IMPLEMENTATIONS`] table registers it. Only the transfer is timed: from
//! the first worker leaving a start barrier to the last one finishing,
//! both read by the workers themselves. Every run checks that the
//! consumers' sums add up, so a lost or duplicated message fails the bench.

// Each bench target uses only part of this module.
#![allow(dead_code)]

use std::hint::black_box;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use prodcon::SharedBuffer;

pub(crate) mod floor;
pub(crate) mod pipeline;

/// Messages moved per iteration, split evenly among the producers, unless
/// `PRODCON_BENCH_MESSAGES` says otherwise.
pub(crate) const MESSAGES: u64 = 1_000_000;

/// `(producers, consumers)`.
pub(crate) const TOPOLOGIES: [(usize, usize); 4] = [(1, 1), (4, 1), (1, 4), (4, 4)];

pub(crate) const CAPACITIES: [usize; 3] = [1, 16, 1024];

/// One cell of the matrix.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    pub(crate) producers: usize,
    pub(crate) consumers: usize,
    pub(crate) capacity: usize,
    /// Messages per iteration, in total.
    pub(crate) messages: u64,
}

impl Shape {
    /// The values each producer sends, one range per producer.
    pub(crate) fn producer_ranges(self) -> impl Iterator<Item = Range<u64>> {
        let producers = self.producers as u64;
        let per = self.messages / producers;
        (0..producers).map(move |p| p * per..(p + 1) * per)
    }

    /// What the consumers' sums must add up to: `0 + 1 + … + (messages - 1)`.
    pub(crate) fn expected_sum(self) -> u64 {
        self.messages * (self.messages - 1) / 2
    }
}

/// [`MESSAGES`], or `PRODCON_BENCH_MESSAGES` if set.
pub(crate) fn messages() -> u64 {
    let messages = match std::env::var("PRODCON_BENCH_MESSAGES") {
        Ok(value) => value
            .trim()
            .replace('_', "")
            .parse()
            .expect("PRODCON_BENCH_MESSAGES must be a number"),
        Err(_) => MESSAGES,
    };
    assert!(
        messages > 0 && messages % 4 == 0,
        "the message count must be a positive multiple of 4 (it is split among 1 or 4 producers)"
    );
    messages
}

/// One implementation: runs one iteration of `shape` and returns the
/// time the transfer took (see "What is timed").
pub(crate) type RunFn = fn(Shape) -> Duration;

/// Every implementation in the matrix, by benchmark id (criterion's, and
/// the names `benches/paired.rs` looks up).
pub(crate) const IMPLEMENTATIONS: &[(&str, RunFn)] = &[
    ("prodcon", run_prodcon),
    ("prodcon_batch", run_prodcon_batch),
    ("crossbeam", run_crossbeam),
    ("flume", run_flume),
    ("std_sync_channel", run_std_sync_channel),
];

/// Spawns one thread per worker, releases them together and returns the
/// time from the first worker's start to the last worker's finish.
/// Panics unless the consumers' sums add up to `shape.expected_sum()`.
pub(crate) fn run_timed<P, C>(shape: Shape, producers: Vec<P>, consumers: Vec<C>) -> Duration
where
    P: FnOnce() + Send,
    C: FnOnce() -> u64 + Send,
{
    let barrier = Barrier::new(producers.len() + consumers.len());
    let barrier = &barrier;
    // Each worker reports (start, end, its sum); producers report a sum of 0.
    let spans: Vec<(Instant, Instant, u64)> = thread::scope(|scope| {
        let mut handles = Vec::new();
        for work in producers {
            handles.push(scope.spawn(move || {
                barrier.wait();
                let start = Instant::now();
                work();
                (start, Instant::now(), 0)
            }));
        }
        for work in consumers {
            handles.push(scope.spawn(move || {
                barrier.wait();
                let start = Instant::now();
                let sum = work();
                (start, Instant::now(), sum)
            }));
        }
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a bench worker panicked"))
            .collect()
    });
    let start = spans.iter().map(|span| span.0).min().expect("no workers");
    let end = spans.iter().map(|span| span.1).max().expect("no workers");
    let sum = spans
        .iter()
        .fold(0u64, |total, span| total.wrapping_add(span.2));
    assert_eq!(
        sum,
        shape.expected_sum(),
        "messages were lost or duplicated"
    );
    end - start
}

/// `SharedBuffer`: producers `put`, the last producer to finish `close`s,
/// consumers `get` until `Err` (closed and empty).
fn run_prodcon(shape: Shape) -> Duration {
    let buffer = SharedBuffer::new(shape.capacity);
    let producers_left = Arc::new(AtomicUsize::new(shape.producers));
    let producers: Vec<_> = shape
        .producer_ranges()
        .map(|range| {
            let buffer = buffer.clone();
            let producers_left = Arc::clone(&producers_left);
            move || {
                for value in range {
                    buffer.put(value).expect("buffer closed early");
                }
                if producers_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    buffer.close();
                }
            }
        })
        .collect();
    let consumers: Vec<_> = (0..shape.consumers)
        .map(|_| {
            let buffer = buffer.clone();
            move || {
                let mut sum = 0u64;
                while let Ok(value) = buffer.get() {
                    sum = sum.wrapping_add(value);
                }
                black_box(sum)
            }
        })
        .collect();
    run_timed(shape, producers, consumers)
}

/// `SharedBuffer` with the batch calls: each producer hands its whole
/// range to one `put_many` (which moves in as many items as fit per lock
/// acquisition), consumers take with `get_many_into(&mut batch, capacity)`
/// into a reused vector until `Err` (closed and empty). Same shutdown as
/// [`run_prodcon`].
fn run_prodcon_batch(shape: Shape) -> Duration {
    let buffer = SharedBuffer::new(shape.capacity);
    let producers_left = Arc::new(AtomicUsize::new(shape.producers));
    let producers: Vec<_> = shape
        .producer_ranges()
        .map(|range| {
            let buffer = buffer.clone();
            let producers_left = Arc::clone(&producers_left);
            move || {
                buffer.put_many(range).expect("buffer closed early");
                if producers_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                    buffer.close();
                }
            }
        })
        .collect();
    let consumers: Vec<_> = (0..shape.consumers)
        .map(|_| {
            let buffer = buffer.clone();
            move || {
                let mut sum = 0u64;
                let mut batch = Vec::with_capacity(shape.capacity);
                while buffer.get_many_into(&mut batch, shape.capacity).is_ok() {
                    for value in batch.drain(..) {
                        sum = sum.wrapping_add(value);
                    }
                }
                black_box(sum)
            }
        })
        .collect();
    run_timed(shape, producers, consumers)
}

/// A runner for an MPMC channel crate whose `bounded(n)` returns clonable
/// `(Sender, Receiver)` halves, disconnected when the last `Sender` drops:
/// crossbeam-channel and flume have the same shape and differ only in the
/// constructor, so one body serves both.
macro_rules! mpmc_runner {
    ($(#[$doc:meta])* $name:ident, $bounded:path) => {
        $(#[$doc])*
        fn $name(shape: Shape) -> Duration {
            let (tx, rx) = $bounded(shape.capacity);
            let producers: Vec<_> = shape
                .producer_ranges()
                .map(|range| {
                    let tx = tx.clone();
                    move || {
                        for value in range {
                            tx.send(value).expect("receivers gone");
                        }
                    }
                })
                .collect();
            drop(tx);
            let consumers: Vec<_> = (0..shape.consumers)
                .map(|_| {
                    let rx = rx.clone();
                    move || {
                        let mut sum = 0u64;
                        while let Ok(value) = rx.recv() {
                            sum = sum.wrapping_add(value);
                        }
                        black_box(sum)
                    }
                })
                .collect();
            drop(rx);
            run_timed(shape, producers, consumers)
        }
    };
}

mpmc_runner!(
    /// crossbeam-channel `bounded`: disconnected when the last `Sender` drops.
    run_crossbeam,
    crossbeam_channel::bounded
);
mpmc_runner!(
    /// flume `bounded`: disconnected when the last `Sender` drops.
    run_flume,
    flume::bounded
);

/// std `sync_channel`: disconnected when the last `SyncSender` drops.
///
/// std's `Receiver` is single-consumer (not `Clone`, not `Sync`). With one
/// consumer it is used directly. With several, they share it behind a
/// `Mutex`, each holding the lock across its `recv` (the std-only MPMC
/// pattern, as in the Rust book's thread pool). So for C > 1 this column
/// measures "`sync_channel` + `Mutex<Receiver>`", the cost a std-only user
/// would actually pay, not the channel alone; it is kept rather than
/// skipped because that is the honest std baseline for N:M.
fn run_std_sync_channel(shape: Shape) -> Duration {
    let (tx, rx) = mpsc::sync_channel(shape.capacity);
    let producers: Vec<_> = shape
        .producer_ranges()
        .map(|range| {
            let tx = tx.clone();
            move || {
                for value in range {
                    tx.send(value).expect("receiver gone");
                }
            }
        })
        .collect();
    drop(tx);
    if shape.consumers == 1 {
        let consumer = move || {
            let mut sum = 0u64;
            while let Ok(value) = rx.recv() {
                sum = sum.wrapping_add(value);
            }
            black_box(sum)
        };
        run_timed(shape, producers, vec![consumer])
    } else {
        let rx = Arc::new(Mutex::new(rx));
        let consumers: Vec<_> = (0..shape.consumers)
            .map(|_| {
                let rx = Arc::clone(&rx);
                move || {
                    let mut sum = 0u64;
                    loop {
                        // The guard is dropped at the end of this statement.
                        let received = rx.lock().expect("consumer panicked").recv();
                        match received {
                            Ok(value) => sum = sum.wrapping_add(value),
                            Err(_) => break,
                        }
                    }
                    black_box(sum)
                }
            })
            .collect();
        drop(rx);
        run_timed(shape, producers, consumers)
    }
}
