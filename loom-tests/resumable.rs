//! Exhaustive loom searches too long for CI or for one sitting, run in
//! segments that can be stopped and resumed (loom's `checkpoint`).
//!
//! The two 3-thread `exactly_once` configurations that the first and third
//! tiers explore under a preemption bound (`loom-tests/buffer.rs`,
//! `loom-tests/deep.rs`). Here each is explored without a bound, by
//! segments (`close_races_consumers` finished: 101,531,622 executions, its
//! ledger in `loom-tests/searches/`; `producers_refill` has not finished:
//! 841 M executions so far, and `scripts/search_estimate.py` puts it at
//! some 5 × 10^10, a week of one core, VERIFICATION.md):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" cargo test --features loom-checkpoint \
//!   --test models_resumable -- producers_refill --exact --nocapture
//! ```
//!
//! A search keeps its place in `loom-tests/searches/<test>.json` (or in
//! the file `PRODCON_LOOM_CHECKPOINT` names) and its ledger beside it,
//! `<test>.progress`: the executions of all segments so far and the
//! fingerprint of the sources searched. Stop it at any time (the work
//! since the last 100,000th execution is redone); the same command goes on
//! from the file's place, and refuses a place taken on other sources.
//! Both files are committed, so that a search outlives the machine it ran
//! on; when it ends, the test passes, prints the executions of all
//! segments, removes the checkpoint and marks the ledger finished. A plain
//! `cargo test` does not build this target (`test = false`, and it needs
//! the `loom-checkpoint` feature); CI does not run it.
#![cfg(loom)]

#[path = "../tests/support/mod.rs"]
mod support;

/// Which waiter a model `notify_one` wakes in this target: the oldest, as
/// in the first tier.
pub(crate) const NEWEST_FIRST: bool = false;

use prodcon::SharedBuffer;
use support::scenarios::{self, Side::*};

/// Where the search `test` records its place: see the module doc.
fn checkpoint(test: &str) -> std::path::PathBuf {
    match std::env::var_os("PRODCON_LOOM_CHECKPOINT") {
        Some(file) => file.into(),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("loom-tests/searches")
            .join(format!("{test}.json")),
    }
}

/// `buffer::exactly_once(Threads(2), Main, 1, 2)`: 2 producers × 2 items
/// refilling a buffer of capacity 1, the main thread taking every item.
#[test]
fn producers_refill() {
    support::loom_runner::check_resumable(
        "producers_refill(Threads(2), Main, 1, 2)",
        &checkpoint("producers_refill"),
        || scenarios::exactly_once::<SharedBuffer<u32>>(Threads(2), Main, 1, 2),
    );
}

/// `buffer::exactly_once(Main, Threads(2), 1, 2)`: the main thread puts 2
/// items into a buffer of capacity 1 and closes, 2 consumers.
#[test]
fn close_races_consumers() {
    support::loom_runner::check_resumable(
        "close_races_consumers(Main, Threads(2), 1, 2)",
        &checkpoint("close_races_consumers"),
        || scenarios::exactly_once::<SharedBuffer<u32>>(Main, Threads(2), 1, 2),
    );
}

/// The ledgers committed in `loom-tests/searches/` are for these sources:
/// a search recorded there (finished, or in progress) explored the code
/// that is here now. A change to the code a search explores (see
/// `sources_fingerprint`) fails this check until the search is started
/// over or its ledger and the claims resting on it are removed. The only
/// test of this target that CI runs; it explores nothing.
#[test]
fn searches_on_record_are_for_these_sources() {
    let sources = support::loom_runner::sources_fingerprint();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("loom-tests/searches");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("loom-tests/searches") {
        let path = entry.expect("loom-tests/searches").path();
        if path.extension().is_none_or(|e| e != "progress") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read a ledger");
        let recorded = text
            .lines()
            .find_map(|line| line.strip_prefix("sources "))
            .unwrap_or_else(|| panic!("{path:?} has no `sources` line"));
        let executions = text
            .lines()
            .find_map(|line| line.strip_prefix("executions "))
            .unwrap_or_else(|| panic!("{path:?} has no `executions` line"));
        assert_eq!(
            recorded.trim(),
            sources,
            "{path:?} ({executions} executions) was searched on other sources"
        );
        eprintln!("{}: {executions} executions, these sources", path.display());
        checked += 1;
    }
    assert!(checked > 0, "no ledger in {dir:?}");
}
