//! The tests' one `tracing` capture layer: [`Recorder`] hands every event
//! the crate emits (target `"prodcon"`) to a sink, as a [`Captured`] with
//! its fields as text and the OS thread that emitted it.
//!
//! Used by the model scenarios over the whole pipeline
//! (`tests/support/pipeline.rs`, under loom and shuttle) and by
//! `tests/pipeline_events.rs` (std threads), which mounts this file alone:
//! it depends on nothing else in `support/`.

use std::collections::BTreeMap;
use std::fmt;
use std::thread::{self, ThreadId};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer};

/// One `prodcon` event: its fields as text and the OS thread that emitted
/// it (under loom and shuttle every model thread runs on the test's).
#[derive(Clone, Debug)]
pub struct Captured {
    pub thread: ThreadId,
    pub fields: BTreeMap<&'static str, String>,
}

impl Captured {
    /// The `event` field: the event's stable name.
    pub fn name(&self) -> &str {
        self.fields.get("event").map_or("", String::as_str)
    }

    /// A field's text, if the event has it.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// A numeric field (panics if it is there and not a number).
    pub fn number(&self, field: &str) -> Option<usize> {
        self.text(field).map(|text| {
            text.parse()
                .unwrap_or_else(|_| panic!("field {field} = {text:?} is not a number"))
        })
    }
}

/// Collects an event's fields as text.
struct Fields(BTreeMap<&'static str, String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name(), value.to_string());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name(), value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
}

/// A layer that hands each `prodcon` event to its sink, in the order the
/// events are emitted.
pub struct Recorder<F>(pub F);

impl<S, F> Layer<S> for Recorder<F>
where
    S: tracing::Subscriber,
    F: Fn(Captured) + 'static,
{
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "prodcon" {
            return;
        }
        let mut fields = Fields(BTreeMap::new());
        event.record(&mut fields);
        (self.0)(Captured {
            thread: thread::current().id(),
            fields: fields.0,
        });
    }
}
