//! Shared by the loom models (`loom-tests/`) and the shuttle tests
//! (`tests/shuttle_*.rs`): the buffer interface the models are written
//! against, the known-buggy buffers, and the scenarios themselves.
//!
//! The scenarios spawn threads through the crate's own facade (compiled in
//! again here from `src/sync.rs`), so the same scenario runs under loom or
//! under shuttle depending on the cfg; only the runner differs.
#![allow(dead_code, unused_imports, unreachable_pub)]

#[path = "../../src/sync.rs"]
pub mod facade;

pub mod faulty;
pub mod pipeline;
pub mod queue;
pub mod scenarios;
