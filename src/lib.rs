//! Bounded producer–consumer pipelines whose blocking protocols are
//! model-checked, not merely tested.
//!
//! prodcon has two layers, the first in two shapes:
//!
//! * [`SharedBuffer<T>`]: a bounded, blocking, closable FIFO buffer — two
//!   locks, one per side — with Python `queue.Queue`'s
//!   task accounting ([`task_done`](SharedBuffer::task_done) /
//!   [`join`](SharedBuffer::join)). Rejected items always come back inside
//!   the error.
//! * [`bounded`]: the same buffer as a [`Sender`] / [`Receiver`] pair, as
//!   in crossbeam-channel; the last sender's drop closes it, the last
//!   receiver's drop closes it and drops what is left. Buffers and
//!   receivers are iterable ([`iter`](SharedBuffer::iter),
//!   [`try_iter`](SharedBuffer::try_iter), `for item in &buffer`).
//! * [`ProducerConsumerSystem<T>`]: N producers and M consumers around one
//!   buffer, with a poison-pill graceful shutdown that loses nothing, a
//!   forceful one that hands back what was not delivered, and a graceful one
//!   with a deadline that turns forceful when it passes ([`Ending`] says
//!   which happened); dropping a running system stops and joins it. Plus
//!   [`Stats`], readable from any thread through a [`StatsHandle`].
//!
//! # Examples
//!
//! The buffer:
//!
//! ```
//! # if prodcon::__private::MODEL_BUILD { return; }
//! use prodcon::SharedBuffer;
//! use std::thread;
//!
//! let buffer = SharedBuffer::new(4); // holds at most 4 items
//! let consumer = {
//!     let buffer = buffer.clone(); // another handle to the same buffer
//!     thread::spawn(move || buffer.iter().sum::<u64>()) // ends when closed and empty
//! };
//! for n in 1..=100 {
//!     buffer.put(n).unwrap(); // waits while the buffer is full
//! }
//! buffer.close(); // the consumer still gets what is buffered, then stops
//! assert_eq!(consumer.join().unwrap(), 5050);
//! ```
//!
//! The same with a sender/receiver pair ([`bounded`]) that closes itself:
//!
//! ```
//! # if prodcon::__private::MODEL_BUILD { return; }
//! use std::thread;
//!
//! let (tx, rx) = prodcon::bounded(4); // a sender and a receiver on one buffer
//! let producers: Vec<_> = (0..2u64)
//!     .map(|p| {
//!         let tx = tx.clone();
//!         thread::spawn(move || tx.send_many(p * 50 + 1..=p * 50 + 50).unwrap())
//!     })
//!     .collect();
//! drop(tx); // no close() to forget: the last sender's drop closes the buffer
//! assert_eq!(rx.iter().sum::<u64>(), 5050);
//! for producer in producers {
//!     producer.join().unwrap();
//! }
//! ```
//!
//! The worker pool:
//!
//! ```
//! # if prodcon::__private::MODEL_BUILD { return Ok(()); }
//! use prodcon::ProducerConsumerSystem;
//!
//! let mut system = ProducerConsumerSystem::new(5)?;
//! system.add_producer(["P1-0", "P1-1"])?; // any IntoIterator<Item = T> + Send
//! system.add_producer((0..3).map(|i| ["P2-0", "P2-1", "P2-2"][i]))?;
//! system.add_consumer()?; // collects into report.consumed
//! system.add_consumer_with(|item| assert!(item.starts_with('P')))?; // or a handler
//! system.start()?;
//! let report = system.shutdown_graceful(); // or shutdown_now()
//! assert_eq!(report.stats.total_produced, 5);
//! assert_eq!(report.stats.total_consumed, 5);
//! # Ok::<(), prodcon::SystemError>(())
//! ```
//!
//! # Semantics
//!
//! * **put** waits while the buffer is full; on a closed buffer it fails
//!   with the item inside ([`PutError`]).
//! * **get** waits while the buffer is empty and open. After **close** it
//!   still returns every buffered item in order, then fails ([`GetError`]).
//! * **close** rejects every later put and wakes every waiting putter (each
//!   gets its own item back) and getter. It returns `true` the first time.
//! * **drain** takes everything buffered at once, without waiting; drained
//!   items no longer count as unfinished tasks.
//! * **task_done** marks one taken item finished; calling it more often
//!   than items were put is a [`TaskDoneError`]. **join** waits until every
//!   put item is finished (or drained).
//! * `try_*` never wait; `*_timeout` wait at most the given time, and an
//!   overflowing deadline (`Duration::MAX`) waits forever.
//! * **put_many** puts every item of an iterator in order, as many per
//!   lock acquisition as there is room for, waiting while full; on close
//!   the items not put come back in the [`PutManyError`]: those already
//!   taken from the iterator, and the iterator itself, never drained. **get_many(max)**
//!   (and **get_many_into**, which reuses a `Vec`) waits for at least one
//!   item and takes up to `max` under one lock; [`GetError`] once closed
//!   and empty. Each item put is one task for **task_done** / **join**.
//!
//! # Performance
//!
//! The buffer has two locks, one per side, as Java's `LinkedBlockingQueue`
//! does: putters and getters meet only when the buffer runs empty or full
//! (each side counts its items in an atomic of its own and reads the
//! other side's to learn whether it can go on). A blocked
//! call first spins briefly with its lock released (a few hundred
//! spin-loop hints, then a few yields) and parks on its condition variable
//! only if the other side has not come by then; a notification is sent
//! only when a thread is parked, and after the lock is released. Batches
//! amortize the lock over up to a buffer-full of items. The
//! repository's BENCHMARKS.md compares the buffer with crossbeam-channel,
//! flume and `std::sync::mpsc::sync_channel`.
//!
//! # How it is verified
//!
//! All synchronization goes through one private facade that maps to
//! `std` in production, to [loom] under `RUSTFLAGS="--cfg loom"` and to
//! [shuttle] under `RUSTFLAGS="--cfg shuttle"`, so the models run this very
//! code. Under the models the facade's condition variable and clock are
//! its own, so that a model can make a timed wait time out and any wait
//! wake spuriously (`prodcon::model`, present in those builds only). A
//! catalog of known bugs that the models reject shows that the suites can
//! fail (VERIFICATION.md says where each bug lives). The repository's README and VERIFICATION.md list the models and
//! what each proves; DESIGN.md explains the design.
//!
//! # Events
//!
//! The library never prints. The pipeline emits [`tracing`] events with
//! target `"prodcon"`; each has an `event` field naming it:
//! `system_started`, `producer_started`, `produced`, `producer_retry`,
//! `producer_panicked`, `producer_stopped`, `producer_finished`,
//! `producers_finished`, `consumer_started`, `consumed`,
//! `handler_panicked`, `poison_pill`, `consumer_finished`,
//! `shutdown_started`, `deadline_passed`, `item_dropped`,
//! `shutdown_complete`. Worker events carry
//! `producer` or `consumer` (the 1-based id) and `total`; `produced`,
//! `consumed` and `item_dropped` carry `item` after
//! [`log_items`](ProducerConsumerSystem::log_items). The demo
//! (`cargo run --example demo`) renders them in the Python original's format.
//!
//! [loom]: https://docs.rs/loom
//! [shuttle]: https://docs.rs/shuttle
#![forbid(unsafe_code)]

mod buffer;
mod channel;
mod error;
mod fault;
mod iter;
mod pipeline;
mod sync;

pub use buffer::SharedBuffer;
pub use channel::{Receiver, Sender, bounded};
pub use error::{
    GetError, GetTimeoutError, PutError, PutManyError, PutTimeoutError, SystemError, TaskDoneError,
    TryGetError, TryPutError,
};
pub use iter::{IntoIter, Iter, TryIter};
pub use pipeline::{Ending, ProducerConsumerSystem, Report, Stats, StatsHandle, WorkerStats};

/// What a model (a loom or shuttle test) can use besides prodcon's own
/// types; present only in model builds (`--cfg loom`, `--cfg shuttle`,
/// `--cfg prodcon_loom`, `--cfg prodcon_shuttle`).
///
/// * [`Timer`](model::Timer), [`elapsed`](model::elapsed): model time, so
///   that timed waits can time out at moments the checker chooses.
/// * [`spurious_wakeup`](model::spurious_wakeup): wakes every waiter without
///   a notification; [`SpuriousWakeups`](model::SpuriousWakeups) does so from
///   a thread of the model, at moments the checker chooses.
/// * [`newest_first`](model::newest_first): under loom, `notify_one` wakes
///   the newest waiter instead of the longest one.
/// * [`Mutex`](model::Mutex), [`Condvar`](model::Condvar),
///   [`Instant`](model::Instant): the primitives prodcon itself runs on in
///   a model, for code of one's own that should time out and wake
///   spuriously the same way.
/// * [`Fault`](model::Fault), [`inject`](model::inject): prodcon's
///   mutation switches, the known bugs its own suites show they reject.
///
/// Model mode is for testing; this module is outside prodcon's semver
/// promises, as crossbeam says of its `crossbeam_loom` cfg.
#[cfg(model)]
pub mod model {
    pub use crate::fault::{Fault, inject};
    pub use crate::sync::model::{
        Condvar, Instant, Mutex, MutexGuard, SpuriousWakeups, Timer, elapsed, newest_first,
        spurious_wakeup,
    };
}

#[doc(hidden)]
pub mod __private {
    /// `true` when the crate was built with `--cfg loom` or `--cfg shuttle`.
    /// rustdoc does not see those cfgs, but doctests link the model-built
    /// library, where a buffer may only be used inside a model: the
    /// doctests check this and return early.
    pub const MODEL_BUILD: bool = cfg!(model);
}
