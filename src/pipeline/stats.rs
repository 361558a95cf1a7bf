//! Statistics of a running or finished pipeline.

use std::fmt;

use crate::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::sync::{Arc, Mutex};

/// A snapshot of a pipeline's counters: the Python original's fields plus
/// failures and per-worker counts.
///
/// An item is counted as produced the moment its producer takes it from
/// its source, before it can reach the buffer, so a snapshot never shows
/// more items consumed and failed than produced. Every produced item ends
/// in exactly one of `total_consumed`, `total_failed` or, after a forceful
/// shutdown, the report's `undelivered` list; until then it is in transit.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::ProducerConsumerSystem;
///
/// let mut system = ProducerConsumerSystem::new(2)?;
/// system.add_producer(1..=4)?;
/// system.add_consumer()?;
/// system.start()?;
/// let stats = system.shutdown_graceful().stats;
/// assert_eq!(stats.total_produced, 4);
/// assert_eq!(stats.total_consumed, 4);
/// assert_eq!(stats.items_in_transit, 0);
/// assert_eq!(stats.producers[0].items, 4);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Producers registered.
    pub num_producers: usize,
    /// Consumers registered.
    pub num_consumers: usize,
    /// Items taken from the producers' sources so far.
    pub total_produced: usize,
    /// Items consumers took and handled successfully (collected, or their
    /// handler returned).
    pub total_consumed: usize,
    /// Items whose consumer handler panicked.
    pub total_failed: usize,
    /// How many messages the buffer held when the snapshot was taken (its
    /// length, poison pills included while a graceful shutdown is sending
    /// them), not its capacity: the name is the Python original's.
    pub buffer_size: usize,
    /// `total_produced - total_consumed - total_failed`: items in a
    /// producer's hand, in the buffer or in a consumer's hand (after a
    /// forceful shutdown: the undelivered ones).
    pub items_in_transit: usize,
    /// One entry per producer, in registration order.
    pub producers: Vec<WorkerStats>,
    /// One entry per consumer, in registration order.
    pub consumers: Vec<WorkerStats>,
}

/// The counters of one producer or consumer.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::ProducerConsumerSystem;
///
/// let mut system = ProducerConsumerSystem::new(1)?;
/// system.add_producer(vec![1, 2, 3])?;
/// system.add_consumer_with(|n: i32| assert!(n != 2, "cannot handle 2"))?;
/// system.start()?;
/// let report = system.shutdown_graceful();
/// let consumer = &report.stats.consumers[0];
/// assert_eq!((consumer.id, consumer.items, consumer.failed), (1, 2, 1));
/// assert!(consumer.panicked);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// The worker's 1-based id, as returned when it was added.
    pub id: usize,
    /// For a producer: items taken from its source. For a consumer: items
    /// handled successfully.
    pub items: usize,
    /// For a consumer: items whose handler panicked. Always 0 for a
    /// producer.
    pub failed: usize,
    /// `true` if the worker's source (producer) or handler (consumer)
    /// panicked at least once. A producer stops at its source's panic; a
    /// consumer goes on with the next item.
    pub panicked: bool,
}

/// Live counters of one worker, shared between its thread and `stats()`.
/// The worker's [`Tally`] is their only writer.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    items: AtomicUsize,
    failed: AtomicUsize,
    panicked: AtomicBool,
}

impl Counters {
    fn snapshot(&self, id: usize) -> WorkerStats {
        WorkerStats {
            id,
            items: self.items.load(Ordering::Acquire),
            failed: self.failed.load(Ordering::Acquire),
            panicked: self.panicked.load(Ordering::Acquire),
        }
    }
}

/// A worker's own side of its [`Counters`]. The worker is their only
/// writer, so it keeps the totals here and publishes each new total with
/// a store: no read-modify-write per item (a locked instruction on x86,
/// which the pipeline paid twice per item, once in the producer and once
/// in the consumer), and still one atomic step per count under the model
/// checkers.
#[derive(Debug)]
pub(crate) struct Tally {
    counters: Arc<Counters>,
    items: usize,
    failed: usize,
}

impl Tally {
    pub(crate) fn new(counters: Arc<Counters>) -> Self {
        Tally {
            counters,
            items: 0,
            failed: 0,
        }
    }

    /// Counts one more item; returns the new total. `#[inline]`: called
    /// for every item by the worker loops, which are compiled in the
    /// user's crate (they are generic), and a call into this crate costs
    /// them more than the store itself (BENCHMARKS.md, "The pipeline").
    #[inline]
    pub(crate) fn add_item(&mut self) -> usize {
        self.items += 1;
        self.counters.items.store(self.items, Ordering::Release);
        self.items
    }

    pub(crate) fn items(&self) -> usize {
        self.items
    }

    /// Counts one more failed item (and marks the worker as having
    /// panicked); returns the new failure total.
    pub(crate) fn add_failure(&mut self) -> usize {
        self.counters.panicked.store(true, Ordering::Release);
        self.failed += 1;
        self.counters.failed.store(self.failed, Ordering::Release);
        self.failed
    }

    pub(crate) fn set_panicked(&self) {
        self.counters.panicked.store(true, Ordering::Release);
    }
}

/// The counters of every registered worker, in registration order. Shared
/// by the system and its [`StatsHandle`]s, so that a handle taken before a
/// worker is added still sees it. Only registration writes it (before
/// `start`); the workers update their own [`Counters`] without this lock.
#[derive(Debug, Default)]
pub(crate) struct Workers {
    pub(crate) producers: Vec<Arc<Counters>>,
    pub(crate) consumers: Vec<Arc<Counters>>,
}

/// A cheap, shareable reader of a system's live [`Stats`], for a monitoring
/// thread: `Clone + Send + Sync`, independent of the system's lifetime.
///
/// [`snapshot`](Self::snapshot) follows the same rule as
/// [`ProducerConsumerSystem::stats`](crate::ProducerConsumerSystem::stats):
/// a snapshot never shows more items consumed and failed than produced.
/// Taken before `start`, a handle also sees the workers registered after
/// it; after the system is shut down or dropped it keeps showing the final
/// counters.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::ProducerConsumerSystem;
/// use std::thread;
///
/// let mut system = ProducerConsumerSystem::new(4)?;
/// let stats = system.stats_handle();
/// system.add_producer(0..1000u32)?;
/// system.add_consumer_with(|_| {})?;
/// system.start()?;
/// let monitor = thread::spawn(move || {
///     let snapshot = stats.snapshot();
///     assert!(snapshot.total_consumed <= snapshot.total_produced);
///     snapshot.num_producers
/// });
/// assert_eq!(monitor.join().unwrap(), 1);
/// system.shutdown_graceful();
/// # Ok::<(), prodcon::SystemError>(())
/// ```
#[derive(Clone)]
pub struct StatsHandle {
    workers: Arc<Mutex<Workers>>,
    /// The buffer's current length; a closure so that the handle does not
    /// carry the item type.
    buffer_len: Arc<dyn Fn() -> usize + Send + Sync>,
}

impl StatsHandle {
    pub(crate) fn new(
        workers: Arc<Mutex<Workers>>,
        buffer_len: Arc<dyn Fn() -> usize + Send + Sync>,
    ) -> Self {
        StatsHandle {
            workers,
            buffer_len,
        }
    }

    pub(crate) fn workers(&self) -> &Mutex<Workers> {
        &self.workers
    }

    /// A snapshot of the counters now, from any thread.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// system.add_producer([1, 2])?;
    /// system.add_consumer()?;
    /// let handle = system.stats_handle();
    /// assert_eq!(handle.snapshot(), system.stats());
    /// system.start()?;
    /// let report = system.shutdown_graceful();
    /// assert_eq!(handle.snapshot().total_consumed, 2);
    /// assert_eq!(handle.snapshot(), report.stats);
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn snapshot(&self) -> Stats {
        let workers = self.workers.lock();
        snapshot(&workers.producers, &workers.consumers, (self.buffer_len)())
    }
}

impl fmt::Debug for StatsHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatsHandle").finish_non_exhaustive()
    }
}

/// Takes a consistent snapshot. Consumers are read before producers: an
/// item counted by a consumer was counted by its producer before it was
/// put, and the buffer's lock orders that put before the consumer's get;
/// a consumer's total is published with a release store and read here
/// with an acquire load, so the producer's earlier store is visible to the
/// producers' loads that follow, which can only find as many or more.
fn snapshot(producers: &[Arc<Counters>], consumers: &[Arc<Counters>], buffer_size: usize) -> Stats {
    let consumers: Vec<WorkerStats> = consumers
        .iter()
        .enumerate()
        .map(|(i, c)| c.snapshot(i + 1))
        .collect();
    let producers: Vec<WorkerStats> = producers
        .iter()
        .enumerate()
        .map(|(i, c)| c.snapshot(i + 1))
        .collect();
    let total_produced = producers.iter().map(|w| w.items).sum();
    let total_consumed: usize = consumers.iter().map(|w| w.items).sum();
    let total_failed: usize = consumers.iter().map(|w| w.failed).sum();
    Stats {
        num_producers: producers.len(),
        num_consumers: consumers.len(),
        total_produced,
        total_consumed,
        total_failed,
        buffer_size,
        items_in_transit: total_produced.saturating_sub(total_consumed + total_failed),
        producers,
        consumers,
    }
}
