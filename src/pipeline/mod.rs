//! The worker pool: N producers and M consumers around one
//! [`SharedBuffer`](crate::SharedBuffer), with a poison-pill graceful
//! shutdown and a forceful one.
//!
//! `system.rs` is the public orchestrator; `producer.rs` and `consumer.rs`
//! are the worker loops it spawns, `stats.rs` the counters, `latch.rs` the
//! countdowns of running producers and consumers, and `events.rs` the tracing events. The
//! poison pills are counted in the buffer itself (`SharedBuffer::put_pills`).

mod consumer;
mod events;
mod latch;
mod producer;
mod stats;
mod system;

pub use stats::{Stats, StatsHandle, WorkerStats};
pub use system::{Ending, ProducerConsumerSystem, Report};
