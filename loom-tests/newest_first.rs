//! The second loom tier: every loom model of `loom-tests/main.rs` again,
//! with a model `notify_one` waking the newest waiter instead of the
//! oldest ([`prodcon::model::newest_first`]).
//!
//! Loom has no random choice to branch on inside `notify_one`, so the
//! model condition variable wakes the oldest waiter, and a model that
//! should also see a newer waiter receive the notification runs a second
//! time with the other order. This target is that second run, for every
//! model: the same files, the same bounds, one switch
//! ([`NEWEST_FIRST`], read by the loom runner). A plain `cargo test` does
//! not run it (`test = false` in Cargo.toml); CI runs it by name:
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --test models_newest_first
//! ```
#![cfg(loom)]

#[path = "../tests/support/mod.rs"]
mod support;

/// Which waiter a model `notify_one` wakes in this target: the newest.
pub(crate) const NEWEST_FIRST: bool = true;

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
