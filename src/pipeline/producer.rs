//! The producer worker: takes items from its source and puts them into the
//! shared buffer.

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use super::events::{self, Describe};
use super::stats::{Counters, Tally};
use crate::buffer::SharedBuffer;
use crate::error::{PutTimeoutError, TryPutError};
use crate::fault::{self, Fault};
use crate::sync::{Arc, thread};

/// A registered producer, before it is started: its loop ([`produce`]),
/// compiled for its source's own type.
///
/// The loop is generic over the source rather than taking a
/// `Box<dyn Iterator>`, so that `next` is a direct call the compiler can
/// inline into the loop: at 4×4 capacity 1024 the producers are the side
/// the pipeline's time tracks, and this cell multiplies their per-item
/// cost (BENCHMARKS.md, "The pipeline"). The one dynamic call is here, once
/// per producer.
pub(crate) struct Producer<T> {
    run: Box<ProducerLoop<T>>,
}

/// A producer's loop with its source and counters, waiting for the buffer,
/// the settings and the item formatter; returns the item in hand at a
/// close.
type ProducerLoop<T> =
    dyn FnOnce(SharedBuffer<T>, ProducerConfig, Option<Describe<T>>) -> Option<T> + Send;

/// Settings shared by every producer of a system.
#[derive(Clone, Copy)]
pub(crate) struct ProducerConfig {
    pub(crate) delay: Duration,
    pub(crate) retry_interval: Duration,
}

impl<T: Send + 'static> Producer<T> {
    /// Producer `id` of `source`, counting into `counters`.
    pub(crate) fn new<I>(id: usize, source: I, counters: Arc<Counters>) -> Self
    where
        I: Iterator<Item = T> + Send + 'static,
    {
        Producer {
            run: Box::new(move |buffer, config, describe| {
                produce(id, source, counters, buffer, config, describe)
            }),
        }
    }

    /// Runs the producer to the end of its source, a panic of the source, or
    /// the buffer's close. Returns the item it held when the buffer was
    /// closed, if any: that item was taken from the source but never put.
    pub(crate) fn run(
        self,
        buffer: SharedBuffer<T>,
        config: ProducerConfig,
        describe: Option<Describe<T>>,
    ) -> Option<T> {
        (self.run)(buffer, config, describe)
    }
}

/// The producer's loop, for producer `id` taking items from `source` (see
/// [`Producer::run`]).
fn produce<T, I>(
    id: usize,
    mut source: I,
    counters: Arc<Counters>,
    buffer: SharedBuffer<T>,
    config: ProducerConfig,
    describe: Option<Describe<T>>,
) -> Option<T>
where
    T: Send + 'static,
    I: Iterator<Item = T>,
{
    let mut tally = Tally::new(counters);
    events::producer_started(id);
    loop {
        let item = match panic::catch_unwind(AssertUnwindSafe(|| source.next())) {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(_) => {
                // The source is in an unknown state: stop here. What
                // it produced before stays valid.
                tally.set_panicked();
                events::producer_panicked(id);
                break;
            }
        };
        // Counted before it can be taken, so that no snapshot shows more
        // consumed than produced.
        let total = tally.add_item();
        if !config.delay.is_zero() {
            thread::sleep(config.delay);
        }
        // Reported before the put, while the item is still in hand, so
        // that no `consumed` event of it can come first; it is counted
        // from here on, and comes back undelivered if the buffer closes.
        let label = events::label(describe, &item);
        events::produced(id, total, label.as_deref());
        // The Python original's loop: put with a timeout and retry until
        // the item is accepted, so that a full buffer is reported while
        // it lasts and nothing is dropped. A close ends it and hands the
        // item back. An item that fits at once costs no deadline (no
        // clock read): only a full buffer starts the timed loop.
        let mut item = match buffer.try_put(item) {
            Ok(()) => continue,
            Err(TryPutError::Full(back)) => back,
            Err(TryPutError::Closed(back)) => {
                events::producer_stopped(id, total);
                if fault::active(Fault::ProducerDropsItemOnClose) {
                    return None;
                }
                return Some(back);
            }
        };
        loop {
            match buffer.put_timeout(item, config.retry_interval) {
                Ok(()) => break,
                Err(PutTimeoutError::Timeout(back)) => {
                    if fault::active(Fault::ProducerDropsItemOnRetry) {
                        break;
                    }
                    events::producer_retry(id);
                    item = back;
                }
                Err(PutTimeoutError::Closed(back)) => {
                    events::producer_stopped(id, total);
                    if fault::active(Fault::ProducerDropsItemOnClose) {
                        return None;
                    }
                    return Some(back);
                }
            }
        }
    }
    events::producer_finished(id, tally.items());
    None
}
