//! The events the pipeline emits instead of printing.
//!
//! Every event goes through [`tracing`] with target `"prodcon"` and a field
//! `event` holding one of the stable names below; the other fields carry the
//! numbers. A subscriber renders them (the demo prints them in the
//! format of the Python original); with no subscriber they cost next to nothing.
//!
//! | `event` | level | fields |
//! | --- | --- | --- |
//! | `system_started` | INFO | `producers`, `consumers` |
//! | `producer_started` | INFO | `producer` |
//! | `produced` | INFO | `producer`, `total`, `item`¹ (taken from the source and about to be put: counted from here on; after a forceful shutdown it may come back undelivered) |
//! | `producer_retry` | DEBUG | `producer` (a timed put ran out; retrying) |
//! | `producer_panicked` | WARN | `producer` (its source panicked; it stopped) |
//! | `producer_stopped` | INFO | `producer`, `total` (the buffer was closed under it) |
//! | `producer_finished` | INFO | `producer`, `total` |
//! | `producers_finished` | INFO | — (graceful shutdown: every producer is done) |
//! | `consumer_started` | INFO | `consumer` |
//! | `consumed` | INFO | `consumer`, `total`, `item`¹ |
//! | `handler_panicked` | WARN | `consumer`, `failed` |
//! | `poison_pill` | INFO | `consumer` |
//! | `consumer_finished` | INFO | `consumer`, `total` |
//! | `shutdown_started` | INFO | `mode` (`"graceful"`, `"now"`, `"graceful_timeout"` or `"drop"`) |
//! | `deadline_passed` | WARN | — (`shutdown_graceful_timeout`: the deadline passed before the drain ended; it finishes as `shutdown_now`) |
//! | `item_dropped` | WARN | `item`¹ (a system dropped while running: this item was taken from a source and never delivered, and is dropped; one event per item) |
//! | `shutdown_complete` | INFO | `mode`, `consumed`, `undelivered` |
//!
//! ¹ `item` is present only after
//! [`ProducerConsumerSystem::log_items`](crate::ProducerConsumerSystem::log_items),
//! as the item's `Debug` text.

use tracing::{debug, info, warn};

/// Formats an item for the `item` field.
pub(crate) type Describe<T> = fn(&T) -> String;

pub(crate) const TARGET: &str = "prodcon";

/// The item's description, if descriptions are on and an INFO event of this
/// crate would be recorded (so that nobody pays for unread strings).
///
/// This and the two per-item events are `inline(always)`: the workers call
/// them for every item, and without a subscriber each is a branch or two;
/// as out-of-line calls they were most of a producer's own per-item work
/// (BENCHMARKS.md, "The pipeline").
///
/// `Debug` is user code: if it panics, the panic is caught here and the
/// label says so, rather than taking down a worker that holds the item.
#[inline(always)]
pub(crate) fn label<T>(describe: Option<Describe<T>>, item: &T) -> Option<String> {
    let describe = describe?;
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return None;
    }
    let text = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| describe(item)));
    Some(text.unwrap_or_else(|_| String::from("<Debug panicked>")))
}

pub(crate) fn system_started(producers: usize, consumers: usize) {
    info!(target: TARGET, event = "system_started", producers, consumers);
}

pub(crate) fn producer_started(producer: usize) {
    info!(target: TARGET, event = "producer_started", producer);
}

#[inline(always)]
pub(crate) fn produced(producer: usize, total: usize, item: Option<&str>) {
    match item {
        Some(item) => info!(target: TARGET, event = "produced", producer, total, item),
        None => info!(target: TARGET, event = "produced", producer, total),
    }
}

pub(crate) fn producer_retry(producer: usize) {
    debug!(target: TARGET, event = "producer_retry", producer);
}

pub(crate) fn producer_panicked(producer: usize) {
    warn!(target: TARGET, event = "producer_panicked", producer);
}

pub(crate) fn producer_stopped(producer: usize, total: usize) {
    info!(target: TARGET, event = "producer_stopped", producer, total);
}

pub(crate) fn producer_finished(producer: usize, total: usize) {
    info!(target: TARGET, event = "producer_finished", producer, total);
}

pub(crate) fn producers_finished() {
    info!(target: TARGET, event = "producers_finished");
}

pub(crate) fn consumer_started(consumer: usize) {
    info!(target: TARGET, event = "consumer_started", consumer);
}

#[inline(always)]
pub(crate) fn consumed(consumer: usize, total: usize, item: Option<&str>) {
    match item {
        Some(item) => info!(target: TARGET, event = "consumed", consumer, total, item),
        None => info!(target: TARGET, event = "consumed", consumer, total),
    }
}

pub(crate) fn handler_panicked(consumer: usize, failed: usize) {
    warn!(target: TARGET, event = "handler_panicked", consumer, failed);
}

pub(crate) fn poison_pill(consumer: usize) {
    info!(target: TARGET, event = "poison_pill", consumer);
}

pub(crate) fn consumer_finished(consumer: usize, total: usize) {
    info!(target: TARGET, event = "consumer_finished", consumer, total);
}

pub(crate) fn shutdown_started(mode: &'static str) {
    info!(target: TARGET, event = "shutdown_started", mode);
}

pub(crate) fn deadline_passed() {
    warn!(target: TARGET, event = "deadline_passed");
}

pub(crate) fn item_dropped(item: Option<&str>) {
    match item {
        Some(item) => warn!(target: TARGET, event = "item_dropped", item),
        None => warn!(target: TARGET, event = "item_dropped"),
    }
}

pub(crate) fn shutdown_complete(mode: &'static str, consumed: usize, undelivered: usize) {
    info!(target: TARGET, event = "shutdown_complete", mode, consumed, undelivered);
}
