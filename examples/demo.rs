//! The Python original's `main.py`, with flags.
//!
//! A `ProducerConsumerSystem<String>` with a buffer of 5, 3 producers × 10
//! items (`P1-0` … `P3-9`), 2 collecting consumers, small delays and a
//! graceful shutdown. The library never prints: this demo installs a
//! `tracing` layer that renders the library's events (target `"prodcon"`)
//! in the Python original's format, or drives a progress bar from the `consumed`
//! events.
//!
//! ```text
//! cargo run --example demo
//! cargo run --example demo -- --shutdown now --run-for-ms 500
//! cargo run --release --example demo -- --items 100000 --producer-delay-ms 0 --consumer-delay-ms 0
//! cargo run --example demo -- --help
//! ```

use std::fmt;
use std::io::{self, Write as _};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use prodcon::{ProducerConsumerSystem, Stats, SystemError};
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata};
use tracing_subscriber::Registry;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

/// Above this many items in total, the demo shows a progress bar instead of
/// one line per event (unless `--verbose`).
const AUTO_QUIET_ABOVE: u64 = 1_000;

/// How long the demo waits for every worker to report that it started
/// before it begins the shutdown (see `Printer::wait_started`).
const START_WAIT: Duration = Duration::from_secs(2);

/// The library's `tracing` target.
const TARGET: &str = "prodcon";

/// Runs the Python original's demo: N producers put `P<producer>-<i>` strings
/// into a bounded buffer, M consumers collect them, then the system shuts
/// down and prints its statistics.
#[derive(Parser, Debug)]
#[command(
    name = "demo",
    about = "The Python original's producer-consumer demo (main.py), rendered from prodcon's tracing events",
    after_help = "Output: one line per library event, in the Python original's format. With --quiet, or by default\n\
                  when producers × items > 1000 (--verbose keeps the lines), a progress bar on\n\
                  stderr (drawn only if stderr is a terminal) replaces them, and the summary adds\n\
                  elapsed time and throughput.\n\
                  Invalid values print one error line and exit with status 2."
)]
struct Args {
    /// Number of producer threads
    #[arg(
        short,
        long,
        value_name = "N",
        default_value_t = 3,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=1024),
    )]
    producers: i64,

    /// Number of consumer threads (at least 1 when there are producers)
    #[arg(
        short,
        long,
        value_name = "N",
        default_value_t = 2,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=1024),
    )]
    consumers: i64,

    /// Buffer capacity, in items
    #[arg(
        short = 'b',
        long,
        value_name = "N",
        default_value_t = 5,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(1..=1_000_000_000),
    )]
    capacity: i64,

    /// Items each producer produces (P<producer>-0 … P<producer>-<N-1>)
    #[arg(
        short = 'n',
        long = "items",
        value_name = "N",
        default_value_t = 10,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=1_000_000_000),
    )]
    items: i64,

    /// Pause of each producer before it puts each item, in milliseconds
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 100,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=60_000),
    )]
    producer_delay_ms: i64,

    /// Pause of each consumer on each item it takes, in milliseconds
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 150,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=60_000),
    )]
    consumer_delay_ms: i64,

    /// How to shut down
    #[arg(long, value_enum, value_name = "MODE", default_value_t = Shutdown::Graceful)]
    shutdown: Shutdown,

    /// With --shutdown now: how long to run before shutting down, in
    /// milliseconds (ignored by a graceful shutdown)
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 1_000,
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(i64).range(0..=3_600_000),
    )]
    run_for_ms: i64,

    /// Show a progress bar and a summary instead of one line per event
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,

    /// Always print one line per event, however many items
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Shutdown {
    /// Wait for the producers, drain the buffer, one poison pill per consumer (the Python original's)
    Graceful,
    /// After --run-for-ms, close the buffer; report the undelivered items
    Now,
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                err.exit();
            }
            return usage_error(&first_line(&err));
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => usage_error(&describe_error(&args, err)),
    }
}

/// clap's error on one line: its message, then its indented notes (`tip:`,
/// `[possible values: …]`), without the usage and `--help` hint lines.
fn first_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut parts = rendered
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take_while(|line| {
            !line.starts_with("Usage:") && !line.starts_with("For more information")
        });
    let mut out = parts.next().unwrap_or("invalid arguments").to_owned();
    for note in parts {
        out.push_str(if note.starts_with('[') { " " } else { "; " });
        out.push_str(note);
    }
    out
}

/// Exits like clap does on a bad flag: one line on stderr, status 2.
fn usage_error(message: &str) -> ExitCode {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Maps the library's refusal to the flag that caused it.
fn describe_error(args: &Args, err: SystemError) -> String {
    match err {
        SystemError::ZeroCapacity => format!(
            "invalid value '{}' for '--capacity <N>': {err}",
            args.capacity
        ),
        SystemError::NoConsumers => format!(
            "invalid value '{}' for '--consumers <N>': {err}",
            args.consumers
        ),
        other => other.to_string(),
    }
}

fn run(args: &Args) -> Result<(), SystemError> {
    // The value parsers keep every number in a small non-negative range,
    // so these conversions cannot fail.
    let count = |n: i64| usize::try_from(n).expect("bounded by the value parser");
    let unsigned = |n: i64| u64::try_from(n).expect("bounded by the value parser");
    let millis = |n: i64| Duration::from_millis(unsigned(n));
    let (producers, consumers, items) = (count(args.producers), count(args.consumers), args.items);
    let total_items = unsigned(args.producers) * unsigned(args.items);
    let progress_mode = args.quiet || (!args.verbose && total_items > AUTO_QUIET_ABOVE);

    let bar = progress_mode.then(|| progress_bar(total_items));
    let printer = Arc::new(Printer::new(!progress_mode, bar.clone()));
    tracing::subscriber::set_global_default(
        Registry::default().with(SeedFormat(Arc::clone(&printer))),
    )
    .expect("no other subscriber is installed");

    let mut system = ProducerConsumerSystem::<String>::new(count(args.capacity))?;
    for p in 1..=producers {
        system.add_producer((0..items).map(move |i| format!("P{p}-{i}")))?;
    }
    for _ in 0..consumers {
        system.add_consumer()?;
    }
    system.set_producer_delay(millis(args.producer_delay_ms))?;
    system.set_consumer_delay(millis(args.consumer_delay_ms))?;
    if !progress_mode {
        // Item texts are only needed for per-item lines.
        system.log_items()?;
    }

    let started = Instant::now();
    system.start()?;
    // The Python original's workers all print "started" before its main thread prints
    // "Initiating graceful shutdown"; here they are threads racing the main
    // one, so wait for their `*_started` events first.
    printer.wait_started(producers + consumers, START_WAIT);
    let report = match args.shutdown {
        Shutdown::Graceful => system.shutdown_graceful(),
        Shutdown::Now => {
            thread::sleep(millis(args.run_for_ms));
            system.shutdown_now()
        }
    };
    let elapsed = started.elapsed();
    if let Some(bar) = &bar {
        // The summary below repeats what the bar showed.
        bar.finish_and_clear();
    }

    let stats = &report.stats;
    let mut out = io::stdout().lock();
    // Ignoring write errors: a closed stdout (`demo | head`) is not a failure.
    let _ = writeln!(out, "Total items consumed: {}", report.consumed.len());
    let _ = writeln!(out, "Stats: {}", seed_stats(stats));
    let _ = writeln!(out, "Details: {}", detail_stats(stats));
    if args.shutdown == Shutdown::Now {
        let _ = writeln!(
            out,
            "Undelivered items: {} (produced {} = consumed {} + failed {} + undelivered {})",
            report.undelivered.len(),
            stats.total_produced,
            stats.total_consumed,
            stats.total_failed,
            report.undelivered.len(),
        );
    }
    if progress_mode {
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            stats.total_consumed as f64 / secs
        } else {
            0.0
        };
        let _ = writeln!(out, "Elapsed: {secs:.3} s, throughput: {rate:.0} items/s");
    }
    Ok(())
}

fn progress_bar(len: u64) -> ProgressBar {
    // `ProgressBar::new` draws on stderr, at most 20 times a second, and
    // draws nothing when stderr is not a terminal.
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} consumed ({rate}, eta {eta})",
    )
    .expect("valid template")
    .with_key("rate", |state: &ProgressState, out: &mut dyn fmt::Write| {
        let _ = write!(out, "{:.0} items/s", state.per_sec());
    });
    bar.set_style(style);
    bar
}

/// The Python original's `Stats:` line: a Python dict of its six fields.
fn seed_stats(stats: &Stats) -> String {
    format!(
        "{{'num_producers': {}, 'num_consumers': {}, 'total_produced': {}, 'total_consumed': {}, \
         'buffer_size': {}, 'items_in_transit': {}}}",
        stats.num_producers,
        stats.num_consumers,
        stats.total_produced,
        stats.total_consumed,
        stats.buffer_size,
        stats.items_in_transit,
    )
}

/// What prodcon counts beyond the Python original: failures and per-worker counts.
fn detail_stats(stats: &Stats) -> String {
    let counts = |workers: &[prodcon::WorkerStats]| {
        let items: Vec<String> = workers.iter().map(|w| w.items.to_string()).collect();
        format!("[{}]", items.join(", "))
    };
    let panicked = stats
        .producers
        .iter()
        .chain(&stats.consumers)
        .filter(|w| w.panicked)
        .count();
    format!(
        "{{'total_failed': {}, 'panicked_workers': {}, 'produced_per_producer': {}, 'consumed_per_consumer': {}}}",
        stats.total_failed,
        panicked,
        counts(&stats.producers),
        counts(&stats.consumers),
    )
}

/// Renders events: lines on stdout, or ticks of the progress bar.
struct Printer {
    lines: bool,
    bar: Option<ProgressBar>,
    started: Mutex<usize>,
    started_changed: Condvar,
}

impl Printer {
    fn new(lines: bool, bar: Option<ProgressBar>) -> Self {
        Printer {
            lines,
            bar,
            started: Mutex::new(0),
            started_changed: Condvar::new(),
        }
    }

    /// Waits until `workers` `*_started` events were seen, or `timeout`.
    fn wait_started(&self, workers: usize, timeout: Duration) {
        let started = self.started.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = self
            .started_changed
            .wait_timeout_while(started, timeout, |n| *n < workers)
            .unwrap_or_else(PoisonError::into_inner);
    }

    fn note_started(&self) {
        *self.started.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.started_changed.notify_all();
    }

    fn render(&self, event: &Fields) {
        let Some(name) = event.event.as_deref() else {
            return;
        };
        if self.lines {
            if let Some(line) = seed_line(name, event) {
                // One locked write per event: lines from different threads
                // never mix. A closed stdout must not panic a worker thread.
                let _ = writeln!(io::stdout().lock(), "{line}");
            }
        }
        match name {
            // Counted after the line is out, so that the main thread's
            // "Initiating … shutdown" comes after every "started" line.
            "producer_started" | "consumer_started" => self.note_started(),
            "consumed" => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            _ => {}
        }
    }
}

/// The Python original's line for one event; `None` for events it has no line for.
fn seed_line(name: &str, e: &Fields) -> Option<String> {
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), |v| v.to_string());
    let (p, c, total) = (n(e.producer), n(e.consumer), n(e.total));
    let item = |verb: &str| match &e.item {
        Some(item) => format!("{verb}: {} (total: {total})", python_repr(item)),
        None => format!("{verb} an item (total: {total})"),
    };
    Some(match name {
        "system_started" => "Starting producer-consumer system".to_owned(),
        "producer_started" => format!("Producer {p} started"),
        "produced" => format!("Producer {p} {}", item("produced")),
        "producer_finished" => format!("Producer {p} finished. Total items produced: {total}"),
        "producer_stopped" => {
            format!("Producer {p} stopped: buffer closed. Total items produced: {total}")
        }
        "producer_panicked" => format!("Producer {p} stopped: its source panicked"),
        "producers_finished" => "All producers finished".to_owned(),
        "consumer_started" => format!("Consumer {c} started"),
        "consumed" => format!("Consumer {c} {}", item("consumed")),
        "handler_panicked" => format!("Consumer {c} handler panicked (failed: {})", n(e.failed)),
        "poison_pill" => format!("Consumer {c} received poison pill"),
        "consumer_finished" => format!("Consumer {c} finished. Total items consumed: {total}"),
        "shutdown_started" => match e.mode.as_deref() {
            Some("graceful") => "Initiating graceful shutdown".to_owned(),
            Some("graceful_timeout") => "Initiating graceful shutdown with a deadline".to_owned(),
            Some("drop") => "System dropped while running: stopping it".to_owned(),
            _ => "Initiating immediate shutdown".to_owned(),
        },
        "deadline_passed" => "Shutdown deadline passed: stopping immediately".to_owned(),
        "item_dropped" => match &e.item {
            Some(item) => format!("Dropped undelivered item: {}", python_repr(item)),
            None => "Dropped an undelivered item".to_owned(),
        },
        "shutdown_complete" => "System shutdown complete".to_owned(),
        _ => return None,
    })
}

/// Turns a Rust `Debug` string (`"P1-0"`) into the Python `repr` the Python original
/// prints (`'P1-0'`); anything else is shown as it is.
fn python_repr(debug: &str) -> String {
    match debug.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        // Debug escapes a double quote; Python's single-quoted repr does
        // not. (Python would switch to double quotes around a `'`.)
        Some(inner) if !inner.contains('\'') => format!("'{}'", inner.replace("\\\"", "\"")),
        _ => debug.to_owned(),
    }
}

/// The fields of one prodcon event.
#[derive(Default)]
struct Fields {
    event: Option<String>,
    producer: Option<u64>,
    consumer: Option<u64>,
    total: Option<u64>,
    failed: Option<u64>,
    item: Option<String>,
    mode: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "event" => self.event = Some(value.to_owned()),
            "item" => self.item = Some(value.to_owned()),
            "mode" => self.mode = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "producer" => self.producer = Some(value),
            "consumer" => self.consumer = Some(value),
            "total" => self.total = Some(value),
            "failed" => self.failed = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // Strings arrive through `record_str`; this catches a field
        // recorded some other way (e.g. with `?`), as its Debug text.
        if matches!(field.name(), "event" | "mode") {
            self.record_str(field, format!("{value:?}").trim_matches('"'));
        } else if field.name() == "item" {
            self.item = Some(format!("{value:?}"));
        }
    }
}

/// A `tracing` layer for prodcon's INFO-and-above events only.
struct SeedFormat(Arc<Printer>);

impl SeedFormat {
    fn wants(metadata: &Metadata<'_>) -> bool {
        metadata.target() == TARGET && *metadata.level() <= Level::INFO
    }
}

impl<S: tracing::Subscriber> Layer<S> for SeedFormat {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if Self::wants(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        Self::wants(metadata)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.0.render(&fields);
    }
}
