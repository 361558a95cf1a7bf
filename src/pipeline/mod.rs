//! The worker pool: N producers and M consumers around one
//! [`SharedBuffer`](crate::SharedBuffer), with a poison-pill graceful
//! shutdown and a forceful one.
//!
//! `system.rs` is the public orchestrator; `producer.rs` and `consumer.rs`
//! are the worker loops it spawns, `message.rs` what travels between them,
//! `stats.rs` the counters and `events.rs` the tracing events.

mod consumer;
mod events;
mod message;
mod producer;
mod stats;
mod system;

pub use stats::{Stats, WorkerStats};
pub use system::{ProducerConsumerSystem, Report};
