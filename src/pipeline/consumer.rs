//! The consumer worker: takes messages from the shared buffer until its
//! poison pill (graceful shutdown) or the buffer's close (forceful one).

use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use super::events::{self, Describe};
use super::stats::{Counters, Tally};
use crate::buffer::{Message, SharedBuffer};
use crate::fault::{self, Fault};
use crate::sync::{Arc, Mutex, thread};

/// What a consumer does with each item.
pub(crate) enum Sink<T> {
    /// Appends it to the system's shared destination (the Python original's
    /// lock-guarded list).
    Collect(Arc<Mutex<Vec<T>>>),
    /// Hands it to a user handler, which owns it from then on.
    Handler(Box<dyn FnMut(T) + Send>),
}

/// A registered consumer, before it is started.
pub(crate) struct Consumer<T> {
    pub(crate) id: usize,
    pub(crate) sink: Sink<T>,
    pub(crate) counters: Arc<Counters>,
}

impl<T: Send + 'static> Consumer<T> {
    /// Runs until a poison pill, or until the buffer is closed and empty.
    pub(crate) fn run(
        self,
        buffer: SharedBuffer<T>,
        delay: Duration,
        describe: Option<Describe<T>>,
    ) {
        let Consumer {
            id,
            mut sink,
            counters,
        } = self;
        let mut tally = Tally::new(counters);
        events::consumer_started(id);
        while let Ok(message) = buffer.get_message() {
            let item = match message {
                Message::Item(item) => item,
                Message::PoisonPill => {
                    events::poison_pill(id);
                    if fault::active(Fault::ConsumerGoesOnAfterPill) {
                        continue;
                    }
                    break;
                }
            };
            let label = events::label(describe, &item);
            if !delay.is_zero() {
                thread::sleep(delay);
            }
            match &mut sink {
                Sink::Collect(destination) => {
                    destination.lock().push(item);
                    let total = tally.add_item();
                    events::consumed(id, total, label.as_deref());
                }
                Sink::Handler(handler) => {
                    // A panicking handler must not take the consumer (and a
                    // graceful shutdown waiting on it) down: the item counts
                    // as failed and the consumer goes on.
                    match panic::catch_unwind(AssertUnwindSafe(|| handler(item))) {
                        Ok(()) => {
                            let total = tally.add_item();
                            events::consumed(id, total, label.as_deref());
                        }
                        Err(_) => {
                            let failed = tally.add_failure();
                            events::handler_panicked(id, failed);
                        }
                    }
                }
            }
        }
        events::consumer_finished(id, tally.items());
    }
}
