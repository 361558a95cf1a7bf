//! Shared by the loom models (`loom-tests/`) and the shuttle tests
//! (`tests/shuttle_*.rs`): the buffer interface the models are written
//! against, the known-buggy buffers, and the scenarios themselves.
//!
//! The scenarios spawn their threads through [`thread`], the model
//! checker's own, so the same scenario runs under loom or under shuttle
//! depending on the cfg; only the runner differs.
#![allow(dead_code, unused_imports, unreachable_pub)]

#[cfg(loom)]
pub use loom::thread;
#[cfg(shuttle)]
pub use shuttle::thread;

pub mod catalog_scenarios;
pub mod faulty;
pub mod paths;
pub mod pipeline;
pub mod queue;
pub mod scenarios;
