//! Linearizability checking of `SharedBuffer<u32>` (and of any buffer-like
//! [`target::Target`]): a history recorder, a Wing–Gong checker with
//! Lowe's memoization over the sequential specification
//! (`tests/support/spec.rs`), and the buffers it runs against.
//!
//! Used by `tests/lin_checker.rs` (the checker's own tests),
//! `tests/lin_std.rs` (real threads) and `loom-tests/lin.rs` (loom and
//! shuttle); the recorder picks the runner's threads and atomic
//! clock by cfg, so the same code records under std, shuttle and loom.
#![allow(dead_code, unreachable_pub)]

#[path = "../spec.rs"]
pub mod spec;

pub mod checker;
pub mod recorder;
pub mod target;
pub mod workload;
