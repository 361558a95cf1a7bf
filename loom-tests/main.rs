//! Every model of the crate, in one test binary, so that the test
//! harness runs them two at a time on a 2-core machine instead of one
//! binary after another (`cargo test` runs test binaries in sequence).
//! Each model test runs in a process of its own, which the binary starts
//! for it (`tests/support/isolate.rs`): models sharing a process slow each
//! other down.
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test                           # every loom model
//! RUSTFLAGS="--cfg loom" cargo test --test models catalog::   # one module
//! RUSTFLAGS="--cfg shuttle" cargo test                        # every shuttle model, and tests/shuttle_*.rs
//! ```
//!
//! Every module declares each property once for loom and shuttle with the
//! harness (`tests/support/harness.rs`): `model!` for a property,
//! `catches!` for a bug of the toy catalog, `rejects!` for a fault switched
//! on in the real code (`catalog`, `channel`, `paths`, `lin`). What is
//! neither stays in plain shuttle tests: `tests/shuttle_pipeline.rs` and
//! `tests/shuttle_replay.rs`.
#![cfg(any(loom, shuttle))]

#[path = "../tests/support/mod.rs"]
mod support;

/// Which waiter a model `notify_one` wakes in this target's loom runs: the
/// oldest (`loom-tests/newest_first.rs` is the same models with the
/// newest).
#[cfg(loom)]
pub(crate) const NEWEST_FIRST: bool = false;

mod batch;
mod buffer;
mod bug_catalog;
mod catalog;
mod channel;
mod lin;
mod paths;
mod pipeline;
mod pipeline_drop;
mod timeouts;
