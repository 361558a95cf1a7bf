//! The synchronization facade: the only module in the crate that names
//! `std`'s, loom's or shuttle's primitives.
//!
//! Production code imports `Mutex`, `Condvar`, `Arc`, `Instant`, atomics and
//! `thread` from here, and the build chooses the backend (see `build.rs`):
//!
//! | build | backend |
//! | --- | --- |
//! | default | [`native`]: `std::sync`, `std::thread`, `std::time::Instant` |
//! | `--cfg loom` or `--cfg prodcon_loom` | [`model`] on `loom` |
//! | `--cfg shuttle` or `--cfg prodcon_shuttle` | [`model`] on `shuttle` |
//!
//! Both backends offer the same small interface: locking never surfaces
//! poisoning (no code in this crate panics while holding a lock), and
//! waiting is a single `wait` / `wait_until(deadline)` pair that callers put
//! in a `while` loop (loom has no `wait_while`).
//!
//! `Arc` is `std`'s in every build: sharing through it is sound (the
//! reference count is not what the models check), it shrinks loom's state
//! space, and a `loom::sync::Arc` dropped while a failing model unwinds
//! aborts the process (loom#291), which would make the catalog's
//! known-buggy models untestable.

#[cfg(model_conflict)]
compile_error!(
    "choose one model checker: `--cfg loom`/`--cfg prodcon_loom` or \
     `--cfg shuttle`/`--cfg prodcon_shuttle`, not both"
);

pub(crate) use std::sync::Arc;

#[cfg(not(model))]
mod native;
#[cfg(not(model))]
pub(crate) use native::{Condvar, Instant, Mutex, MutexGuard, atomic, thread};

#[cfg(model)]
pub(crate) mod model;
#[cfg(model)]
pub(crate) use model::{Condvar, Instant, Mutex, MutexGuard, atomic, thread};

pub(crate) mod spin;
