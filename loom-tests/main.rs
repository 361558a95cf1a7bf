//! Every model of the crate, in one test binary, so that the test
//! harness runs them two at a time on a 2-core machine instead of one
//! binary after another (`cargo test` runs test binaries in sequence).
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test                           # every loom model
//! RUSTFLAGS="--cfg loom" cargo test --test models catalog::   # one module
//! RUSTFLAGS="--cfg shuttle" cargo test                        # the shuttle twins, and tests/shuttle_*.rs
//! ```
//!
//! `buffer`, `timeouts`, `batch`, `pipeline` and `bug_catalog` declare each
//! property once for loom and shuttle (`tests/support/harness.rs`); the
//! other modules are loom models only (their shuttle tests are the
//! `tests/shuttle_*.rs` of the same name).
#![cfg(any(loom, shuttle))]

#[path = "../tests/support/mod.rs"]
mod support;

#[cfg(loom)]
mod runner;

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
