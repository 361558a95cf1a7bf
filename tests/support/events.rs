//! The tests' one `tracing` capture layer: [`Recorder`] hands every event
//! the crate emits (target `"prodcon"`) to a sink, as a [`Captured`] with
//! its fields as text and the OS thread that emitted it.
//!
//! Used by the model scenarios over the whole pipeline
//! (`tests/support/pipeline.rs` and `pipeline_drop.rs`, under loom and
//! shuttle, through [`capture`] and [`with_capture`]) and by
//! `tests/pipeline_events.rs` (std threads), which mounts this file alone:
//! it depends on nothing else in `support/`.
//!
//! The model threads of loom and shuttle all run on the test's OS thread,
//! one at a time, so the events arrive in execution order. Under loom a
//! thread-local default subscriber set inside the model sees every model
//! thread's events; shuttle gives each of its tasks the default that was
//! current when the run began, so a shuttle run is wrapped in
//! [`with_capture`] (the model harness does it for every shuttle run).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use tracing::field::{Field, Visit};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

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

/// The events of one model execution, in the order they were emitted.
pub type Log = Arc<Mutex<Vec<Captured>>>;

thread_local! {
    /// The log installed by [`with_capture`] around a whole run.
    static AMBIENT: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// A subscriber that records every `prodcon` event into `log`.
fn recording(log: Log) -> impl tracing::Subscriber + Send + Sync + 'static {
    tracing_subscriber::registry()
        .with(Recorder(move |captured| log.lock().unwrap().push(captured)))
}

/// Runs `f` (a whole shuttle run) with a recording subscriber as this OS
/// thread's default; [`capture`] then hands each execution that log,
/// cleared.
pub fn with_capture<R>(f: impl FnOnce() -> R) -> R {
    let log = Log::default();
    AMBIENT.with(|ambient| *ambient.borrow_mut() = Some(Arc::clone(&log)));
    let result = tracing::subscriber::with_default(recording(log), f);
    AMBIENT.with(|ambient| *ambient.borrow_mut() = None);
    result
}

/// This execution's events: the log of [`with_capture`], cleared
/// (shuttle), or a new log recorded by a thread-local default subscriber
/// that the returned guard keeps installed (loom).
pub fn capture() -> (Log, Option<DefaultGuard>) {
    match AMBIENT.with(|ambient| ambient.borrow().clone()) {
        Some(log) => {
            log.lock().unwrap().clear();
            (log, None)
        }
        None => {
            let log = Log::default();
            let guard = tracing::subscriber::set_default(recording(Arc::clone(&log)));
            (log, Some(guard))
        }
    }
}

/// The events of `log` named `name`.
pub fn named(log: &Log, name: &str) -> Vec<Captured> {
    log.lock()
        .unwrap()
        .iter()
        .filter(|captured| captured.name() == name)
        .cloned()
        .collect()
}
