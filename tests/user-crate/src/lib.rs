//! User code built on prodcon, written as a downstream crate would write it,
//! and model-checked by its own loom and shuttle tests (`tests/`).
//!
//! * [`WorkQueue`]: a bounded queue of numeric jobs around
//!   [`prodcon::SharedBuffer`], which workers sum in batches.
//! * [`relay`]: a pipeline stage that moves jobs from one queue to the next.
//! * [`pool_sum`]: sums the jobs of several sources with a
//!   [`prodcon::ProducerConsumerSystem`].
//! * [`drafts`]: an earlier, buggy draft of [`relay`], kept so that the
//!   model tests can show the checkers catching it.
//!
//! Nothing here names a thread, lock or clock of its own: every wait is one
//! of prodcon's, so when prodcon is built in model mode (`--cfg loom`,
//! `--cfg shuttle`, or the prodcon-only `--cfg prodcon_loom` /
//! `--cfg prodcon_shuttle`) this code runs unchanged inside the tests'
//! `loom::model` and shuttle runs.
#![forbid(unsafe_code)]

use prodcon::{GetTimeoutError, ProducerConsumerSystem, SharedBuffer, SystemError};
use std::time::Duration;

/// `true` when prodcon runs in model mode. A model build can run a buffer
/// only inside a model, and rustdoc does not see the cfg that `cargo test`
/// was given, so the doctests check this and return early.
#[doc(hidden)]
pub const MODEL_BUILD: bool = cfg!(any(loom, shuttle, prodcon_loom, prodcon_shuttle));

/// A bounded queue of numeric jobs, summed by workers in batches.
///
/// Clones are handles to the same queue. Producers [`submit`](Self::submit)
/// jobs and, when there are no more, [`finish`](Self::finish) the queue;
/// workers [`work`](Self::work) until the queue is finished and empty.
///
/// # Examples
///
/// ```
/// # if prodcon_user_example::MODEL_BUILD { return; }
/// use prodcon_user_example::WorkQueue;
///
/// let queue = WorkQueue::new(4, 2);
/// let worker = {
///     let queue = queue.clone();
///     std::thread::spawn(move || queue.work())
/// };
/// queue.submit_all(1..=10).unwrap();
/// queue.finish();
/// assert_eq!(worker.join().unwrap(), 55);
/// ```
#[derive(Clone, Debug)]
pub struct WorkQueue {
    jobs: SharedBuffer<u64>,
    batch: usize,
}

impl WorkQueue {
    /// A queue that holds at most `capacity` jobs; workers take up to
    /// `batch` jobs at a time.
    ///
    /// # Panics
    ///
    /// If `capacity` or `batch` is zero.
    pub fn new(capacity: usize, batch: usize) -> Self {
        assert!(batch > 0, "a worker must take at least one job at a time");
        WorkQueue {
            jobs: SharedBuffer::new(capacity),
            batch,
        }
    }

    /// Queues `job`, waiting while the queue is full. Gives the job back
    /// once the queue is finished.
    pub fn submit(&self, job: u64) -> Result<(), u64> {
        self.jobs.put(job).map_err(|e| e.into_inner())
    }

    /// Queues every job of `jobs` in order, waiting while the queue is
    /// full. Gives back the jobs not queued once the queue is finished.
    pub fn submit_all(&self, jobs: impl IntoIterator<Item = u64>) -> Result<(), Vec<u64>> {
        self.jobs.put_many(jobs).map_err(|e| e.into_inner())
    }

    /// Queues `job` if there is room within `patience`; gives it back
    /// otherwise (or once the queue is finished).
    pub fn offer(&self, job: u64, patience: Duration) -> Result<(), u64> {
        self.jobs
            .put_timeout(job, patience)
            .map_err(|e| e.into_inner())
    }

    /// No more jobs: workers stop once they have taken the queued ones.
    pub fn finish(&self) {
        self.jobs.close();
    }

    /// Takes jobs in batches until the queue is finished and empty, and
    /// returns their sum.
    pub fn work(&self) -> u64 {
        let mut sum = 0;
        let mut batch = Vec::with_capacity(self.batch);
        while self.jobs.get_many_into(&mut batch, self.batch).is_ok() {
            sum += batch.drain(..).sum::<u64>();
        }
        sum
    }

    /// Takes jobs, one at a time, until none comes for `idle` or the queue
    /// is finished and empty, and returns them in the order taken.
    pub fn collect_until_idle(&self, idle: Duration) -> Vec<u64> {
        let mut taken = Vec::new();
        loop {
            match self.jobs.get_timeout(idle) {
                Ok(job) => taken.push(job),
                Err(GetTimeoutError::Timeout | GetTimeoutError::Closed) => return taken,
            }
        }
    }

    /// Takes every job now queued, without waiting.
    pub fn leftover(&self) -> Vec<u64> {
        self.jobs.drain()
    }
}

/// A pipeline stage: takes each job of `input`, queues `map(job)` on
/// `output`, and finishes `output` once `input` is finished and empty, so
/// that the next stage's workers stop as well. Returns the number of jobs
/// relayed.
///
/// A job that `output` refuses (it was finished by someone else) is
/// dropped, and so are the later ones: the stage then only empties
/// `input`.
pub fn relay(input: &WorkQueue, output: &WorkQueue, mut map: impl FnMut(u64) -> u64) -> usize {
    let relayed = relay_jobs(input, output, &mut map);
    output.finish();
    relayed
}

fn relay_jobs(input: &WorkQueue, output: &WorkQueue, map: &mut impl FnMut(u64) -> u64) -> usize {
    let mut relayed = 0;
    let mut open = true;
    while let Ok(job) = input.jobs.get() {
        if open && output.submit(map(job)).is_ok() {
            relayed += 1;
        } else {
            open = false;
        }
    }
    relayed
}

/// Sums every job of `sources` with a [`ProducerConsumerSystem`]: one
/// producer per source, `consumers` consumers, a buffer of `capacity`, and
/// a graceful shutdown (every job consumed before it returns).
///
/// # Errors
///
/// [`SystemError::ZeroCapacity`] if `capacity` is zero.
///
/// # Examples
///
/// ```
/// # if prodcon_user_example::MODEL_BUILD { return Ok(()); }
/// let sum = prodcon_user_example::pool_sum(vec![vec![1, 2], vec![3]], 2, 1)?;
/// assert_eq!(sum, 6);
/// # Ok::<(), prodcon::SystemError>(())
/// ```
pub fn pool_sum(
    sources: Vec<Vec<u64>>,
    consumers: usize,
    capacity: usize,
) -> Result<u64, SystemError> {
    let mut system = ProducerConsumerSystem::new(capacity)?;
    for source in sources {
        system.add_producer(source)?;
    }
    for _ in 0..consumers {
        system.add_consumer()?;
    }
    system.start()?;
    Ok(system.shutdown_graceful().consumed.iter().sum())
}

/// Earlier drafts of this crate's code, with the bugs they had. They are
/// public only so that the model tests can run them and show that loom and
/// shuttle catch the bug; nothing else should call them.
pub mod drafts {
    use super::{WorkQueue, relay_jobs};

    /// [`relay`](super::relay) as first written: it never finishes
    /// `output`, so a worker of the next stage waits on it forever once the
    /// jobs run out — a consumer waiting on a buffer nobody closes.
    pub fn relay_that_never_finishes(
        input: &WorkQueue,
        output: &WorkQueue,
        mut map: impl FnMut(u64) -> u64,
    ) -> usize {
        relay_jobs(input, output, &mut map)
    }
}
