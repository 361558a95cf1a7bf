//! `ProducerConsumerSystem`: N producers and M consumers around one
//! `SharedBuffer`, with a poison-pill graceful shutdown and a forceful one.

use std::fmt;
use std::time::Duration;

use super::consumer::{Consumer, Sink};
use super::events::{self, Describe};
use super::latch::{CountDownOnDrop, Latch};
use super::producer::{Producer, ProducerConfig};
use super::stats::{Counters, Stats, StatsHandle, Workers};
use crate::buffer::SharedBuffer;
use crate::error::SystemError;
use crate::fault::{self, Fault};
use crate::sync::{Arc, Instant, Mutex, thread};

/// What a shut-down system hands back: every item it ever took from a
/// source is in exactly one of `consumed` (or a handler), the failed count,
/// or `undelivered`.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::ProducerConsumerSystem;
///
/// let mut system = ProducerConsumerSystem::new(4)?;
/// system.add_producer(["a", "b", "c"])?;
/// system.add_consumer()?;
/// system.start()?;
/// let report = system.shutdown_graceful();
/// let mut consumed = report.consumed.clone();
/// consumed.sort();
/// assert_eq!(consumed, ["a", "b", "c"]);
/// assert!(report.undelivered.is_empty());
/// assert_eq!(report.stats.total_consumed, 3);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report<T> {
    /// Items collected by the consumers added with
    /// [`add_consumer`](ProducerConsumerSystem::add_consumer), in the order
    /// they were appended. Items given to a handler
    /// ([`add_consumer_with`](ProducerConsumerSystem::add_consumer_with))
    /// belong to the handler and are only counted.
    pub consumed: Vec<T>,
    /// Items taken from a source that no consumer handled: after
    /// [`shutdown_now`](ProducerConsumerSystem::shutdown_now), the ones still
    /// buffered and the one each stopped producer held. Empty after a
    /// graceful shutdown.
    pub undelivered: Vec<T>,
    /// The final counters.
    pub stats: Stats,
    /// How the shutdown ended: drained, or stopped at once (asked for, or
    /// because a graceful shutdown's deadline passed).
    pub ending: Ending,
}

/// How a shutdown ended, in [`Report::ending`].
///
/// Either way every item taken from a source is in exactly one of the
/// report's `consumed` (or a handler), the failed count, or `undelivered`.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::{Ending, ProducerConsumerSystem};
/// use std::time::Duration;
///
/// let mut system = ProducerConsumerSystem::new(2)?;
/// system.add_producer(0..10)?;
/// system.add_consumer()?;
/// system.start()?;
/// let report = system.shutdown_graceful_timeout(Duration::from_secs(60));
/// assert_eq!(report.ending, Ending::Drained);
/// assert_eq!(report.consumed.len(), 10);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ending {
    /// Gracefully: every source ended, every item was handled, and each
    /// consumer took its poison pill. `undelivered` is empty.
    Drained,
    /// At once, by [`shutdown_now`](ProducerConsumerSystem::shutdown_now):
    /// what was left is in `undelivered`.
    Stopped,
    /// [`shutdown_graceful_timeout`](ProducerConsumerSystem::shutdown_graceful_timeout)
    /// did not finish draining before its deadline, and then stopped as
    /// `shutdown_now` does: what was left is in `undelivered`.
    DeadlinePassed,
}

impl<T> fmt::Debug for Report<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("consumed", &self.consumed.len())
            .field("undelivered", &self.undelivered.len())
            .field("stats", &self.stats)
            .field("ending", &self.ending)
            .finish()
    }
}

/// N producers and M consumers around one bounded [`SharedBuffer`], with the
/// lifecycle of the Python original: register workers, [`start`](Self::start), then
/// shut down gracefully (every item consumed, one poison pill per consumer)
/// or at once (what is left comes back).
///
/// Workers run on threads spawned through the crate's synchronization
/// facade, so the whole system runs under loom and shuttle as well.
///
/// # Examples
///
/// ```
/// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
/// use prodcon::ProducerConsumerSystem;
///
/// let mut system = ProducerConsumerSystem::new(5)?;
/// for p in 1..=3 {
///     system.add_producer((0..10).map(move |i| format!("P{p}-{i}")))?;
/// }
/// system.add_consumer()?;
/// system.add_consumer()?;
/// system.start()?;
/// let report = system.shutdown_graceful();
/// assert_eq!(report.consumed.len(), 30);
/// assert_eq!(report.stats.total_produced, 30);
/// assert_eq!(report.stats.items_in_transit, 0);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
pub struct ProducerConsumerSystem<T> {
    buffer: SharedBuffer<T>,
    destination: Arc<Mutex<Vec<T>>>,
    /// The workers' counters, shared with every [`StatsHandle`].
    stats: StatsHandle,
    config: ProducerConfig,
    consumer_delay: Duration,
    describe: Option<Describe<T>>,
    phase: Phase<T>,
}

enum Phase<T> {
    /// Workers being registered.
    Setup {
        producers: Vec<Producer<T>>,
        consumers: Vec<Consumer<T>>,
    },
    Running {
        producers: Vec<thread::JoinHandle<Option<T>>>,
        consumers: Vec<thread::JoinHandle<()>>,
        /// Counted down as each producer thread ends.
        producers_done: Arc<Latch>,
        /// Counted down as each consumer thread ends.
        consumers_done: Arc<Latch>,
    },
    /// Shut down (or being dropped).
    Done,
}

/// How long a producer's timed put waits before it reports a retry and
/// tries again (the Python original's `put(item, timeout=0.1)` loop).
const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_millis(100);

impl<T: Send + 'static> ProducerConsumerSystem<T> {
    /// Creates a system around an empty buffer of `capacity` items.
    ///
    /// # Errors
    ///
    /// [`SystemError::ZeroCapacity`] if `capacity` is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{ProducerConsumerSystem, SystemError};
    ///
    /// assert!(ProducerConsumerSystem::<u32>::new(5).is_ok());
    /// assert_eq!(
    ///     ProducerConsumerSystem::<u32>::new(0).err(),
    ///     Some(SystemError::ZeroCapacity),
    /// );
    /// ```
    pub fn new(capacity: usize) -> Result<Self, SystemError> {
        if capacity == 0 {
            return Err(SystemError::ZeroCapacity);
        }
        let buffer = SharedBuffer::new(capacity);
        let stats = {
            let buffer = buffer.clone();
            StatsHandle::new(
                Arc::new(Mutex::new(Workers::default())),
                Arc::new(move || buffer.len()),
            )
        };
        Ok(ProducerConsumerSystem {
            buffer,
            destination: Arc::new(Mutex::new(Vec::new())),
            stats,
            config: ProducerConfig {
                delay: Duration::ZERO,
                retry_interval: DEFAULT_RETRY_INTERVAL,
            },
            consumer_delay: Duration::ZERO,
            describe: None,
            phase: Phase::Setup {
                producers: Vec::new(),
                consumers: Vec::new(),
            },
        })
    }

    /// Registers a producer that puts every item of `source`, in order, and
    /// returns its 1-based id.
    ///
    /// The source is iterated on the producer's own thread. If it panics,
    /// the producer stops there (what it put before stays valid) and its
    /// [`WorkerStats::panicked`](crate::WorkerStats::panicked) is set. An
    /// endless source is fine with [`shutdown_now`](Self::shutdown_now);
    /// [`shutdown_graceful`](Self::shutdown_graceful) waits for every
    /// source to end.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use prodcon::ProducerConsumerSystem;
    ///
    /// let mut system = ProducerConsumerSystem::new(2)?;
    /// assert_eq!(system.add_producer(vec![1, 2])?, 1);
    /// assert_eq!(system.add_producer(3..5)?, 2);
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn add_producer<I>(&mut self, source: I) -> Result<usize, SystemError>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        let Phase::Setup { producers, .. } = &mut self.phase else {
            return Err(SystemError::AlreadyStarted);
        };
        let id = producers.len() + 1;
        let counters = Arc::new(Counters::default());
        self.stats
            .workers()
            .lock()
            .producers
            .push(Arc::clone(&counters));
        producers.push(Producer::new(id, source.into_iter(), counters));
        Ok(id)
    }

    /// Registers a consumer that appends every item it takes to the shared
    /// destination (a lock-guarded `Vec`, returned as
    /// [`Report::consumed`]), and returns its 1-based id.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// assert_eq!(system.add_consumer()?, 1);
    /// assert_eq!(system.add_consumer()?, 2);
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn add_consumer(&mut self) -> Result<usize, SystemError> {
        let sink = Sink::Collect(Arc::clone(&self.destination));
        self.push_consumer(sink)
    }

    /// Registers a consumer that calls `handler` with every item it takes,
    /// and returns its 1-based id. The handler owns the item.
    ///
    /// If the handler panics, the panic is caught: that item counts as
    /// failed (`total_failed`, not `total_consumed`), the consumer's
    /// [`WorkerStats::panicked`](crate::WorkerStats::panicked) is set, and
    /// it goes on with the next item.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use prodcon::ProducerConsumerSystem;
    /// use std::sync::{Arc, atomic::{AtomicU64, Ordering}};
    ///
    /// let sum = Arc::new(AtomicU64::new(0));
    /// let mut system = ProducerConsumerSystem::new(8)?;
    /// system.add_producer(1..=100u64)?;
    /// let total = Arc::clone(&sum);
    /// system.add_consumer_with(move |n| {
    ///     total.fetch_add(n, Ordering::Relaxed);
    /// })?;
    /// system.start()?;
    /// system.shutdown_graceful();
    /// assert_eq!(sum.load(Ordering::Relaxed), 5050);
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn add_consumer_with<F>(&mut self, handler: F) -> Result<usize, SystemError>
    where
        F: FnMut(T) + Send + 'static,
    {
        self.push_consumer(Sink::Handler(Box::new(handler)))
    }

    fn push_consumer(&mut self, sink: Sink<T>) -> Result<usize, SystemError> {
        let Phase::Setup { consumers, .. } = &mut self.phase else {
            return Err(SystemError::AlreadyStarted);
        };
        let id = consumers.len() + 1;
        let counters = Arc::new(Counters::default());
        self.stats
            .workers()
            .lock()
            .consumers
            .push(Arc::clone(&counters));
        consumers.push(Consumer { id, sink, counters });
        Ok(id)
    }

    /// Sets how long each producer pauses before putting each item (the
    /// Python original's production delay). Zero by default.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use std::time::Duration;
    ///
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// system.set_producer_delay(Duration::from_millis(1))?;
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn set_producer_delay(&mut self, delay: Duration) -> Result<(), SystemError> {
        self.ensure_setup()?;
        self.config.delay = delay;
        Ok(())
    }

    /// Sets how long each consumer pauses on each item before handling it
    /// (the Python original's consumption delay). Zero by default.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use std::time::Duration;
    ///
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// system.set_consumer_delay(Duration::from_millis(1))?;
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn set_consumer_delay(&mut self, delay: Duration) -> Result<(), SystemError> {
        self.ensure_setup()?;
        self.consumer_delay = delay;
        Ok(())
    }

    /// Sets how long a producer's put waits on a full buffer before it
    /// emits a `producer_retry` event and waits again (the Python original's timed
    /// retry loop). 100 ms by default. Items are never dropped on a retry.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use std::time::Duration;
    ///
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// system.set_put_retry_interval(Duration::from_millis(10))?;
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn set_put_retry_interval(&mut self, interval: Duration) -> Result<(), SystemError> {
        self.ensure_setup()?;
        self.config.retry_interval = interval;
        Ok(())
    }

    /// Adds each item's `Debug` text to the `produced` and `consumed`
    /// events as an `item` field (see the crate docs' event table). The
    /// text is formatted only while a subscriber records those events.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] after [`start`](Self::start).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::<String>::new(2)?;
    /// system.log_items()?;
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn log_items(&mut self) -> Result<(), SystemError>
    where
        T: fmt::Debug,
    {
        self.ensure_setup()?;
        self.describe = Some(|item: &T| format!("{item:?}"));
        Ok(())
    }

    fn ensure_setup(&self) -> Result<(), SystemError> {
        match self.phase {
            Phase::Setup { .. } => Ok(()),
            _ => Err(SystemError::AlreadyStarted),
        }
    }

    /// Starts every registered worker on its own thread.
    ///
    /// # Errors
    ///
    /// [`SystemError::AlreadyStarted`] if called twice;
    /// [`SystemError::NoConsumers`] if producers were added but no
    /// consumer, since their items could never be taken. Nothing is
    /// started on error.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return; }
    /// use prodcon::{ProducerConsumerSystem, SystemError};
    ///
    /// let mut system = ProducerConsumerSystem::new(1).unwrap();
    /// system.add_producer([1, 2, 3]).unwrap();
    /// assert_eq!(system.start(), Err(SystemError::NoConsumers));
    /// system.add_consumer().unwrap();
    /// assert_eq!(system.start(), Ok(()));
    /// assert_eq!(system.start(), Err(SystemError::AlreadyStarted));
    /// system.shutdown_graceful();
    /// ```
    pub fn start(&mut self) -> Result<(), SystemError> {
        match &self.phase {
            Phase::Setup {
                producers,
                consumers,
            } => {
                if !producers.is_empty() && consumers.is_empty() {
                    return Err(SystemError::NoConsumers);
                }
            }
            _ => return Err(SystemError::AlreadyStarted),
        }
        let Phase::Setup {
            producers,
            consumers,
        } = std::mem::replace(&mut self.phase, Phase::Done)
        else {
            unreachable!("checked above")
        };
        events::system_started(producers.len(), consumers.len());
        // Consumers first, as in the Python original, so that they are waiting when
        // the first items arrive.
        let consumers_done = Arc::new(Latch::new(consumers.len()));
        let consumers = consumers
            .into_iter()
            .map(|consumer| {
                let buffer = self.buffer.clone();
                let delay = self.consumer_delay;
                let describe = self.describe;
                let done = CountDownOnDrop(Arc::clone(&consumers_done));
                thread::spawn(move || {
                    let _done = done;
                    consumer.run(buffer, delay, describe)
                })
            })
            .collect();
        let producers_done = Arc::new(Latch::new(producers.len()));
        let producers = producers
            .into_iter()
            .map(|producer| {
                let buffer = self.buffer.clone();
                let config = self.config;
                let describe = self.describe;
                let done = CountDownOnDrop(Arc::clone(&producers_done));
                thread::spawn(move || {
                    let _done = done;
                    producer.run(buffer, config, describe)
                })
            })
            .collect();
        self.phase = Phase::Running {
            producers,
            consumers,
            producers_done,
            consumers_done,
        };
        Ok(())
    }

    /// A snapshot of the counters, at any time (before start it shows the
    /// registered workers with zero counts).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::<u8>::new(2)?;
    /// system.add_producer([1, 2])?;
    /// system.add_consumer()?;
    /// let stats = system.stats();
    /// assert_eq!((stats.num_producers, stats.num_consumers), (1, 1));
    /// assert_eq!(stats.total_produced, 0);
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn stats(&self) -> Stats {
        self.stats.snapshot()
    }

    /// A handle that reads the same counters as [`stats`](Self::stats)
    /// from any thread, while the system runs and after it is gone
    /// (`Clone + Send + Sync`; see [`StatsHandle`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use std::thread;
    ///
    /// let mut system = prodcon::ProducerConsumerSystem::new(2)?;
    /// system.add_producer(0..100)?;
    /// system.add_consumer()?;
    /// system.start()?;
    /// let stats = system.stats_handle();
    /// let monitor = thread::spawn(move || stats.snapshot().total_produced);
    /// assert!(monitor.join().unwrap() <= 100);
    /// system.shutdown_graceful();
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn stats_handle(&self) -> StatsHandle {
        self.stats.clone()
    }

    /// Shuts down the Python original's way, losing nothing: waits for every
    /// producer to finish its source, puts one poison pill per consumer
    /// behind every buffered item, and joins the consumer threads. Each
    /// consumer stops at its pill and takes nothing after it, and the
    /// buffer is FIFO, so every item is handled before the last consumer
    /// stops.
    ///
    /// Never started? Then nothing runs and the report is empty. Sources
    /// that never end make this wait forever: use
    /// [`shutdown_now`](Self::shutdown_now) for those.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::new(1)?;
    /// system.add_producer(0..50)?;
    /// system.add_consumer()?;
    /// system.add_consumer()?;
    /// system.start()?;
    /// let report = system.shutdown_graceful();
    /// assert_eq!(report.consumed.len(), 50);
    /// assert!(report.undelivered.is_empty());
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn shutdown_graceful(mut self) -> Report<T> {
        events::shutdown_started("graceful");
        let mut undelivered = Vec::new();
        if let Phase::Running {
            producers,
            consumers,
            ..
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            for producer in producers {
                // A producer only hands an item back when the buffer is
                // closed, which nothing does here; keep it anyway.
                undelivered.extend(join_worker(producer));
            }
            events::producers_finished();
            self.put_pills(consumers.len());
            for consumer in consumers {
                join_worker(consumer);
            }
        }
        self.finish("graceful", undelivered, Ending::Drained)
    }

    /// Shuts down gracefully, as [`shutdown_graceful`](Self::shutdown_graceful)
    /// does, but for at most about `timeout`: if by then the sources have
    /// not all ended or not every item has been handled, it finishes as
    /// [`shutdown_now`](Self::shutdown_now) does (emitting a
    /// `deadline_passed` event). [`Report::ending`] says which happened:
    /// [`Ending::Drained`] or [`Ending::DeadlinePassed`]. Either way every
    /// item taken from a source is consumed, failed or undelivered.
    ///
    /// After the deadline, like `shutdown_now`, it still waits for each
    /// consumer to finish the item in hand and for each producer to finish
    /// a delay or a `next` of its source in progress, so a handler or
    /// source that blocks for long makes it return that much later. A
    /// `timeout` so long that the deadline overflows waits as
    /// `shutdown_graceful` does.
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// use prodcon::{Ending, ProducerConsumerSystem};
    /// use std::time::Duration;
    ///
    /// let mut system = ProducerConsumerSystem::new(4)?;
    /// system.add_producer(0u64..)?; // never ends: the deadline will pass
    /// system.add_consumer()?;
    /// system.start()?;
    /// let report = system.shutdown_graceful_timeout(Duration::from_millis(20));
    /// assert_eq!(report.ending, Ending::DeadlinePassed);
    /// assert_eq!(
    ///     report.stats.total_produced,
    ///     report.consumed.len() + report.undelivered.len(),
    /// );
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn shutdown_graceful_timeout(mut self, timeout: Duration) -> Report<T> {
        events::shutdown_started("graceful_timeout");
        let deadline = Instant::after(timeout);
        let mut undelivered = Vec::new();
        let mut ending = Ending::Drained;
        if let Phase::Running {
            mut producers,
            consumers,
            producers_done,
            consumers_done,
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            // Drained in time: every source ended, every consumer's pill
            // went in behind the last item, and every consumer reached its
            // pill, so every item before it was handled.
            let mut drained = producers_done.wait_until(deadline);
            if drained {
                for producer in std::mem::take(&mut producers) {
                    undelivered.extend(join_worker(producer));
                }
                events::producers_finished();
                self.put_pills(consumers.len());
                drained = consumers_done.wait_until(deadline);
            }
            if drained {
                for consumer in consumers {
                    join_worker(consumer);
                }
            } else {
                events::deadline_passed();
                ending = Ending::DeadlinePassed;
                undelivered.extend(self.stop_now(producers, consumers));
            }
        }
        self.finish("graceful_timeout", undelivered, ending)
    }

    /// Puts one poison pill per consumer, once every producer has ended:
    /// the buffer hands a pill only to a get that finds it empty, so every
    /// pill is behind every item, and a consumer, which stops at its first
    /// pill, reaches it only after every item before it was taken. This is
    /// what makes the shutdown graceful; the buffer's task count
    /// (`task_done`, `join`) is not used, so the consumers pay nothing per
    /// item for it. The pills are a count in the buffer, not items in its
    /// slots: they never wait for room, and a slot holds an item alone.
    fn put_pills(&self, consumers: usize) {
        let pills = consumers - usize::from(fault::active(Fault::OnePillTooFew));
        self.buffer.put_pills(pills);
    }

    /// Shuts down at once: closes the buffer, so producers stop at their
    /// next put and consumers stop after the item in hand; whatever is
    /// still buffered, and the item each stopped producer held, comes back
    /// in [`Report::undelivered`]. Returns promptly even if sources are
    /// endless (a producer sleeping its delay, or blocked inside its
    /// source's `next`, finishes that first).
    ///
    /// # Examples
    ///
    /// ```
    /// # if prodcon::__private::MODEL_BUILD { return Ok(()); }
    /// let mut system = prodcon::ProducerConsumerSystem::new(4)?;
    /// system.add_producer(0u64..)?; // never ends
    /// system.add_consumer()?;
    /// system.start()?;
    /// let report = system.shutdown_now();
    /// let stats = &report.stats;
    /// assert_eq!(
    ///     stats.total_produced,
    ///     stats.total_consumed + report.undelivered.len(),
    /// );
    /// # Ok::<(), prodcon::SystemError>(())
    /// ```
    pub fn shutdown_now(mut self) -> Report<T> {
        events::shutdown_started("now");
        let mut undelivered = Vec::new();
        if let Phase::Running {
            producers,
            consumers,
            ..
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            undelivered = self.stop_now(producers, consumers);
        }
        self.finish("now", undelivered, Ending::Stopped)
    }

    fn finish(&mut self, mode: &'static str, mut undelivered: Vec<T>, ending: Ending) -> Report<T> {
        // Whatever is still buffered: nothing after either shutdown, since
        // nothing can be put once the workers are joined; kept so that no
        // item can ever be dropped unreported.
        let buffered = self.buffer.close_and_drain();
        undelivered.extend(buffered);
        let consumed = std::mem::take(&mut *self.destination.lock());
        events::shutdown_complete(mode, consumed.len(), undelivered.len());
        Report {
            consumed,
            undelivered,
            stats: self.stats(),
            ending,
        }
    }
}

impl<T> ProducerConsumerSystem<T> {
    /// The forceful stop shared by `shutdown_now`, the deadline path and
    /// `drop`: closes the buffer and takes what is buffered in one step (so
    /// that consumers only finish the item already in hand: once closed,
    /// nothing new can arrive), then joins every worker. Returns the
    /// undelivered items: the buffered ones, then the one each stopped
    /// producer held.
    fn stop_now(
        &self,
        producers: Vec<thread::JoinHandle<Option<T>>>,
        consumers: Vec<thread::JoinHandle<()>>,
    ) -> Vec<T> {
        let buffered = self.buffer.close_and_drain();
        let mut undelivered = buffered;
        for producer in producers {
            undelivered.extend(join_worker(producer));
        }
        for consumer in consumers {
            join_worker(consumer);
        }
        undelivered
    }
}

/// Joins a worker thread. Workers catch every panic of user code, so a
/// join error would be a bug in this crate: re-raise it rather than hide it
/// (unless this thread is already unwinding, where a second panic would
/// abort the process).
fn join_worker<R: Default>(handle: thread::JoinHandle<R>) -> R {
    match handle.join() {
        Ok(result) => result,
        Err(_) if std::thread::panicking() => R::default(),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

impl<T> Drop for ProducerConsumerSystem<T> {
    /// A system dropped while running stops as
    /// [`shutdown_now`](ProducerConsumerSystem::shutdown_now) does, and
    /// joins every one of its threads before `drop` returns: no worker and
    /// no user handler or source runs after it. The items it did not
    /// deliver are dropped, each reported by an `item_dropped` event, then
    /// a `shutdown_complete` event with `mode = "drop"` gives the counts.
    ///
    /// Like `shutdown_now`, it waits for each consumer to finish the item
    /// in hand and for each producer to finish a delay or a `next` of its
    /// source in progress: a handler or source that never returns blocks
    /// `drop` forever. Use the shutdowns to keep the undelivered items.
    fn drop(&mut self) {
        if let Phase::Running {
            producers,
            consumers,
            ..
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            events::shutdown_started("drop");
            let undelivered = self.stop_now(producers, consumers);
            for item in &undelivered {
                events::item_dropped(events::label(self.describe, item).as_deref());
            }
            let consumed = self.destination.lock().len();
            events::shutdown_complete("drop", consumed, undelivered.len());
        }
    }
}

impl<T> fmt::Debug for ProducerConsumerSystem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phase = match self.phase {
            Phase::Setup { .. } => "setup",
            Phase::Running { .. } => "running",
            Phase::Done => "done",
        };
        let (producers, consumers) = {
            let workers = self.stats.workers().lock();
            (workers.producers.len(), workers.consumers.len())
        };
        f.debug_struct("ProducerConsumerSystem")
            .field("phase", &phase)
            .field("producers", &producers)
            .field("consumers", &consumers)
            .field("buffer", &self.buffer)
            .finish()
    }
}
