//! Shared by the model tests (`loom-tests/`, `tests/shuttle_*.rs`): the
//! buffer interface the models are written against, the known-buggy
//! buffers, the scenarios, the runners of both checkers and the
//! declaration macros that drive them ([`harness::model!`], `catches!`,
//! `rejects!`).
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
pub mod channel;
pub mod events;
pub mod faulty;
pub mod harness;
#[cfg(any(loom, shuttle))]
pub mod isolate;
#[cfg(loom)]
pub mod loom_runner;
pub mod paths;
pub mod pipeline;
pub mod pipeline_drop;
pub mod queue;
pub mod scenarios;
#[cfg(shuttle)]
pub mod shuttle_runner;
