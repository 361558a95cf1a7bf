//! `ProducerConsumerSystem`: N producers and M consumers around one
//! `SharedBuffer`, with a poison-pill graceful shutdown and a forceful one.

use std::fmt;
use std::time::Duration;

use super::consumer::{Consumer, Sink};
use super::events::{self, Describe};
use super::message::Message;
use super::producer::{Producer, ProducerConfig};
use super::stats::{self, Counters, Stats};
use crate::buffer::SharedBuffer;
use crate::error::SystemError;
use crate::fault::{self, Fault};
use crate::sync::{Arc, Mutex, thread};

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
}

impl<T> fmt::Debug for Report<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("consumed", &self.consumed.len())
            .field("undelivered", &self.undelivered.len())
            .field("stats", &self.stats)
            .finish()
    }
}

/// N producers and M consumers around one bounded [`SharedBuffer`], with the
/// seed system's lifecycle: register workers, [`start`](Self::start), then
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
    buffer: SharedBuffer<Message<T>>,
    destination: Arc<Mutex<Vec<T>>>,
    producer_counters: Vec<Arc<Counters>>,
    consumer_counters: Vec<Arc<Counters>>,
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
    },
    /// Shut down (or being dropped).
    Done,
}

/// How long a producer's timed put waits before it reports a retry and
/// tries again (the seed's `put(item, timeout=0.1)` loop).
const DEFAULT_RETRY_INTERVAL: Duration = Duration::from_millis(100);

impl<T: Send + 'static> ProducerConsumerSystem<T> {
    /// Creates a system around an empty buffer of `capacity` messages.
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
        Ok(ProducerConsumerSystem {
            buffer: SharedBuffer::new(capacity),
            destination: Arc::new(Mutex::new(Vec::new())),
            producer_counters: Vec::new(),
            consumer_counters: Vec::new(),
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
        self.producer_counters.push(Arc::clone(&counters));
        producers.push(Producer {
            id,
            source: Box::new(source.into_iter()),
            counters,
        });
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
        self.consumer_counters.push(Arc::clone(&counters));
        consumers.push(Consumer { id, sink, counters });
        Ok(id)
    }

    /// Sets how long each producer pauses before putting each item (the
    /// seed's production delay). Zero by default.
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
    /// (the seed's consumption delay). Zero by default.
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
    /// emits a `producer_retry` event and waits again (the seed's timed
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
        // Consumers first, as in the seed, so that they are waiting when
        // the first items arrive.
        let consumers = consumers
            .into_iter()
            .map(|consumer| {
                let buffer = self.buffer.clone();
                let delay = self.consumer_delay;
                let describe = self.describe;
                thread::spawn(move || consumer.run(buffer, delay, describe))
            })
            .collect();
        let producers = producers
            .into_iter()
            .map(|producer| {
                let buffer = self.buffer.clone();
                let config = self.config;
                let describe = self.describe;
                thread::spawn(move || producer.run(buffer, config, describe))
            })
            .collect();
        self.phase = Phase::Running {
            producers,
            consumers,
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
        stats::snapshot(
            &self.producer_counters,
            &self.consumer_counters,
            self.buffer.len(),
        )
    }

    /// Shuts down the seed system's way, losing nothing: waits for every
    /// producer to finish its source, waits until every item is consumed
    /// (`join` on the buffer), puts one poison pill per
    /// consumer, waits until every pill is taken (`join` again), then joins
    /// the consumer threads. Each consumer stops at its pill and takes
    /// nothing after it.
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
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            for producer in producers {
                // A producer only hands an item back when the buffer is
                // closed, which nothing does here; keep it anyway.
                undelivered.extend(join_worker(producer));
            }
            events::producers_finished();
            self.buffer.join();
            let pills = consumers.len() - usize::from(fault::active(Fault::OnePillTooFew));
            for _ in 0..pills {
                // Nothing closes the buffer during a graceful shutdown.
                let sent = self.buffer.put(Message::PoisonPill);
                debug_assert!(sent.is_ok(), "buffer closed during a graceful shutdown");
            }
            self.buffer.join();
            for consumer in consumers {
                join_worker(consumer);
            }
        }
        self.finish("graceful", undelivered)
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
        } = std::mem::replace(&mut self.phase, Phase::Done)
        {
            // Close and take what is buffered in one step, so that
            // consumers only finish the item already in hand: once closed,
            // nothing new can arrive.
            let buffered = self.buffer.close_and_drain();
            undelivered.extend(buffered.into_iter().filter_map(Message::into_item));
            for producer in producers {
                undelivered.extend(join_worker(producer));
            }
            for consumer in consumers {
                join_worker(consumer);
            }
        }
        self.finish("now", undelivered)
    }

    fn finish(&mut self, mode: &'static str, mut undelivered: Vec<T>) -> Report<T> {
        // Whatever is still buffered: nothing after either shutdown, since
        // nothing can be put once the workers are joined; kept so that no
        // item can ever be dropped unreported.
        let buffered = self.buffer.close_and_drain();
        undelivered.extend(buffered.into_iter().filter_map(Message::into_item));
        let consumed = std::mem::take(&mut *self.destination.lock());
        events::shutdown_complete(mode, consumed.len(), undelivered.len());
        Report {
            consumed,
            undelivered,
            stats: self.stats(),
        }
    }
}

/// Joins a worker thread. Workers catch every panic of user code, so a
/// join error would be a bug in this crate: re-raise it rather than hide it.
fn join_worker<R>(handle: thread::JoinHandle<R>) -> R {
    match handle.join() {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

impl<T> Drop for ProducerConsumerSystem<T> {
    /// A system dropped while running is closed, so that its threads end
    /// on their own (producers at their next put, consumers once the
    /// buffer is empty); it does not wait for them.
    fn drop(&mut self) {
        if let Phase::Running { .. } = self.phase {
            self.buffer.close();
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
        f.debug_struct("ProducerConsumerSystem")
            .field("phase", &phase)
            .field("producers", &self.producer_counters.len())
            .field("consumers", &self.consumer_counters.len())
            .field("buffer", &self.buffer)
            .finish()
    }
}
