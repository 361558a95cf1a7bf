//! The end-to-end pipeline two ways, over the same `SharedBuffer`: threads
//! spawned by hand, and `ProducerConsumerSystem`. Both move the same items
//! and return the consumers' sums; a whole run is timed, thread start-up
//! and shutdown included, since the system spawns its threads in `start`
//! and joins them in its shutdown.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use prodcon::{ProducerConsumerSystem, PutTimeoutError, SharedBuffer, TryPutError};

/// One pipeline run's shape: `items` split evenly among the producers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pipeline {
    pub(crate) producers: usize,
    pub(crate) consumers: usize,
    pub(crate) capacity: usize,
    pub(crate) items: u64,
}

impl Pipeline {
    /// What the consumers' sums must add up to: `0 + 1 + … + (items - 1)`.
    pub(crate) fn expected_sum(self) -> u64 {
        self.items * (self.items - 1) / 2
    }

    fn per_producer(self) -> u64 {
        assert_eq!(
            self.items % self.producers as u64,
            0,
            "items must split evenly among the producers"
        );
        self.items / self.producers as u64
    }
}

/// Producer `p` puts `p * per .. (p + 1) * per`; each consumer sums what it
/// gets; the main thread joins the producers, closes the buffer (no poison
/// pills), and the consumers stop once it is closed and empty. Returns the
/// total of the consumers' sums.
pub(crate) fn hand_rolled(shape: Pipeline) -> u64 {
    hand_rolled_with(shape, put_blocking, false)
}

/// [`hand_rolled`] with the system's producer put (`try_put`, then
/// `put_timeout` with the system's default retry interval while the
/// buffer is full), and nothing else of the system: what the retry
/// reporting's put costs (`--pipeline-parts`, BENCHMARKS.md).
pub(crate) fn hand_rolled_retry(shape: Pipeline) -> u64 {
    hand_rolled_with(shape, put_retrying, false)
}

/// [`hand_rolled`] with the system's per-item statistics: every worker
/// stores its running count into counters of its own, in an `Arc` each,
/// allocated as the system allocates them (`--pipeline-parts`).
pub(crate) fn hand_rolled_counted(shape: Pipeline) -> u64 {
    hand_rolled_with(shape, put_blocking, true)
}

fn put_blocking(buffer: &SharedBuffer<u64>, item: u64) {
    buffer.put(item).expect("buffer closed early");
}

/// The system's producer put: `try_put` first, then `put_timeout` with
/// its default retry interval (100 ms) until the item is in.
fn put_retrying(buffer: &SharedBuffer<u64>, item: u64) {
    let Err(TryPutError::Full(mut item)) = buffer.try_put(item) else {
        return;
    };
    loop {
        match buffer.put_timeout(item, Duration::from_millis(100)) {
            Ok(()) => return,
            Err(PutTimeoutError::Timeout(back)) => item = back,
            Err(PutTimeoutError::Closed(_)) => panic!("buffer closed early"),
        }
    }
}

/// A worker's statistics as the system keeps them (`stats::Counters`):
/// two counts and a flag, written by the worker alone, read by `stats()`.
#[derive(Default)]
struct Counters {
    items: AtomicUsize,
    failed: AtomicUsize,
    panicked: AtomicBool,
}

fn hand_rolled_with(shape: Pipeline, put: fn(&SharedBuffer<u64>, u64), count: bool) -> u64 {
    let buffer = SharedBuffer::new(shape.capacity);
    let per = shape.per_producer();
    let counters: Vec<Arc<Counters>> = (0..shape.producers + shape.consumers)
        .map(|_| Arc::new(Counters::default()))
        .collect();
    let producers: Vec<_> = (0..shape.producers as u64)
        .map(|p| {
            let buffer = buffer.clone();
            let counters = Arc::clone(&counters[p as usize]);
            thread::spawn(move || {
                let mut items = 0;
                for item in p * per..(p + 1) * per {
                    if count {
                        items += 1;
                        counters.items.store(items, Ordering::Release);
                    }
                    put(&buffer, item);
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..shape.consumers)
        .map(|c| {
            let buffer = buffer.clone();
            let counters = Arc::clone(&counters[shape.producers + c]);
            thread::spawn(move || {
                let mut sum = 0u64;
                let mut items = 0;
                // Ends once the buffer is closed and every item is taken.
                while let Ok(item) = buffer.get() {
                    sum = sum.wrapping_add(item);
                    if count {
                        items += 1;
                        counters.items.store(items, Ordering::Release);
                    }
                }
                black_box(sum)
            })
        })
        .collect();
    for producer in producers {
        producer.join().expect("producer panicked");
    }
    buffer.close();
    let total = consumers
        .into_iter()
        .map(|consumer| consumer.join().expect("consumer panicked"))
        .fold(0u64, u64::wrapping_add);
    let counted: usize = counters
        .iter()
        .map(|c| c.items.load(Ordering::Acquire))
        .sum();
    assert!(
        !count || counted as u64 == 2 * shape.items,
        "every item counted twice"
    );
    assert!(
        counters
            .iter()
            .all(|c| c.failed.load(Ordering::Relaxed) == 0 && !c.panicked.load(Ordering::Relaxed))
    );
    total
}

/// The same pipeline through `ProducerConsumerSystem`: producer `p` is the
/// source `p * per .. (p + 1) * per`, each consumer's handler adds what it
/// gets to a sum it owns (a plain `u64`, as `hand_rolled` keeps its sums in
/// locals) and publishes it once, when the worker drops the handler at its
/// end ([`Sum`]); a per-item `fetch_add` there would be a locked
/// instruction per item that `hand_rolled` does not pay, and
/// the run ends with `shutdown_graceful` (join the producers, put one
/// poison pill per consumer, join the consumers). Returns the
/// total of the consumers' sums; asserts that the report counts every item.
///
/// `add_consumer_with` rather than `add_consumer`: the latter also collects
/// every item into `report.consumed`, which `hand_rolled` does not do.
/// What the system adds on top of `hand_rolled` is therefore its own
/// bookkeeping: per-item statistics counters, a put that retries with a
/// timeout while the buffer is full, event hooks, the handler's
/// `catch_unwind` and the pill round of the graceful shutdown. The slots
/// are the same 8 bytes: the pills are a count in the buffer, not items.
pub(crate) fn system(shape: Pipeline) -> u64 {
    let per = shape.per_producer();
    let mut system = ProducerConsumerSystem::new(shape.capacity).expect("capacity > 0");
    for p in 0..shape.producers as u64 {
        system
            .add_producer(p * per..(p + 1) * per)
            .expect("not started");
    }
    let sums: Vec<Arc<AtomicU64>> = (0..shape.consumers)
        .map(|_| Arc::new(AtomicU64::new(0)))
        .collect();
    for sum in &sums {
        let mut sum = Sum {
            local: 0,
            published: Arc::clone(sum),
        };
        system
            .add_consumer_with(move |item: u64| sum.add(item))
            .expect("not started");
    }
    system.start().expect("consumers registered");
    let report = system.shutdown_graceful();
    assert_eq!(report.stats.total_consumed as u64, shape.items);
    assert!(report.undelivered.is_empty());
    let total = sums.iter().fold(0u64, |total, sum| {
        total.wrapping_add(sum.load(Ordering::Acquire))
    });
    black_box(total)
}

/// A consumer's running sum, kept by its handler and published when the
/// handler is dropped: the consumer thread drops it when it stops, before
/// `shutdown_graceful` joins that thread and returns.
struct Sum {
    local: u64,
    published: Arc<AtomicU64>,
}

impl Sum {
    // A method, not `sum.local += item` in the closure: a closure captures
    // only the field it names, and the `Sum` itself would be dropped (and
    // publish 0) when the loop that built it moves on.
    fn add(&mut self, item: u64) {
        self.local = self.local.wrapping_add(item);
    }
}

impl Drop for Sum {
    fn drop(&mut self) {
        self.published.store(self.local, Ordering::Release);
    }
}

/// Runs `way` once on `shape`, checks the sum, and returns the time taken.
pub(crate) fn timed(way: fn(Pipeline) -> u64, shape: Pipeline) -> Duration {
    let started = Instant::now();
    let sum = way(shape);
    let elapsed = started.elapsed();
    assert_eq!(sum, shape.expected_sum(), "an item was lost or duplicated");
    elapsed
}
