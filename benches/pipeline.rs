//! End-to-end N:M pipeline over `SharedBuffer`: what a whole run costs,
//! thread start-up and shutdown included.
//!
//! Group `pipeline/{P}x{C}/cap{N}`, one benchmark per way of building the
//! pipeline:
//!
//! - `hand_rolled`: threads spawned by hand over a `SharedBuffer`, shut down
//!   by `close()` (no poison pills): the main thread joins the producers,
//!   closes the buffer, and the consumers stop once it is closed and empty.
//! - `system`: the same work through `ProducerConsumerSystem`, shut down
//!   by `shutdown_graceful` (poison pills); see [`system`].
//!
//! ```text
//! cargo bench --bench pipeline
//! ```
//!
//! Unlike `benches/throughput.rs`, the whole run is timed with `iter`:
//! `ProducerConsumerSystem` spawns its threads in `start` and joins them in
//! its shutdown, so only end-to-end timing compares the two like for like.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use prodcon::{ProducerConsumerSystem, SharedBuffer};

/// Items moved per iteration, split evenly among the producers.
const ITEMS: u64 = 100_000;

/// What the consumers' sums must add up to: `0 + 1 + … + (ITEMS - 1)`.
const EXPECTED_SUM: u64 = ITEMS * (ITEMS - 1) / 2;

#[derive(Clone, Copy, Debug)]
struct Shape {
    producers: usize,
    consumers: usize,
    capacity: usize,
}

/// Producer `p` puts `p * per .. (p + 1) * per`; each consumer sums what it
/// gets. Returns the total of the consumers' sums.
fn hand_rolled(shape: Shape) -> u64 {
    let buffer = SharedBuffer::new(shape.capacity);
    let per = ITEMS / shape.producers as u64;
    let producers: Vec<_> = (0..shape.producers as u64)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                for item in p * per..(p + 1) * per {
                    buffer.put(item).expect("buffer closed early");
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..shape.consumers)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut sum = 0u64;
                // Ends once the buffer is closed and every item is taken.
                while let Ok(item) = buffer.get() {
                    sum = sum.wrapping_add(item);
                }
                black_box(sum)
            })
        })
        .collect();
    for producer in producers {
        producer.join().expect("producer panicked");
    }
    buffer.close();
    consumers
        .into_iter()
        .map(|consumer| consumer.join().expect("consumer panicked"))
        .fold(0u64, u64::wrapping_add)
}

// ---------------------------------------------------------------------------
// ProducerConsumerSystem variant.
// ---------------------------------------------------------------------------

/// The same pipeline through `ProducerConsumerSystem`: producer `p` is the
/// source `p * per .. (p + 1) * per`, each consumer adds what it gets to a
/// counter of its own (one `Arc<AtomicU64>` per consumer, so that no shared
/// cache line is contended: `hand_rolled` keeps its sums in locals), and
/// the run ends with `shutdown_graceful` (join the producers, `join` the
/// buffer, one poison pill per consumer, join the consumers). Returns the
/// total of the consumers' sums; asserts that the report counts every item.
///
/// `add_consumer_with` rather than `add_consumer`: the latter also collects
/// every item into `report.consumed`, which `hand_rolled` does not do.
/// What the system adds on top of `hand_rolled` is therefore its own
/// bookkeeping: per-item statistics counters, `put_timeout` with retry in
/// the producers, `task_done` per item in the consumers, event hooks, the
/// handler's `catch_unwind`, and the pill round of the graceful shutdown.
fn system(shape: Shape) -> u64 {
    let per = ITEMS / shape.producers as u64;
    let mut system = ProducerConsumerSystem::new(shape.capacity).expect("capacity > 0");
    for p in 0..shape.producers as u64 {
        system
            .add_producer(p * per..(p + 1) * per)
            .expect("not started");
    }
    let sums: Vec<Arc<AtomicU64>> = (0..shape.consumers)
        .map(|_| Arc::new(AtomicU64::new(0)))
        .collect();
    for sum in &sums {
        let sum = Arc::clone(sum);
        system
            .add_consumer_with(move |item: u64| {
                sum.fetch_add(item, Ordering::Relaxed);
            })
            .expect("not started");
    }
    system.start().expect("consumers registered");
    let report = system.shutdown_graceful();
    assert_eq!(report.stats.total_consumed, ITEMS as usize);
    assert!(report.undelivered.is_empty());
    let total = sums.iter().fold(0u64, |total, sum| {
        total.wrapping_add(sum.load(Ordering::Relaxed))
    });
    black_box(total)
}

/// Registers the `ProducerConsumerSystem` variant (benchmark id `system`).
fn bench_system(group: &mut BenchmarkGroup<'_, WallTime>, shape: Shape) {
    group.bench_function("system", |b| {
        b.iter(|| assert_eq!(system(shape), EXPECTED_SUM));
    });
}

fn pipeline(c: &mut Criterion) {
    let shape = Shape {
        producers: 4,
        consumers: 4,
        capacity: 16,
    };
    assert_eq!(ITEMS % shape.producers as u64, 0, "ITEMS must split evenly");
    let mut group = c.benchmark_group(format!(
        "pipeline/{}x{}/cap{}",
        shape.producers, shape.consumers, shape.capacity
    ));
    group.throughput(Throughput::Elements(ITEMS));
    // ~100 ms an iteration: flat sampling needs 10 iterations, linear 55.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("hand_rolled", |b| {
        b.iter(|| assert_eq!(hand_rolled(shape), EXPECTED_SUM));
    });
    bench_system(&mut group, shape);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = pipeline
}
criterion_main!(benches);
