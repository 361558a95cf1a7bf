//! End-to-end N:M pipeline over `SharedBuffer`: what a whole run costs,
//! thread start-up and shutdown included.
//!
//! Group `pipeline/{P}x{C}/cap{N}`, one benchmark per way of building the
//! pipeline:
//!
//! - `hand_rolled`: threads spawned by hand over a `SharedBuffer`, shut down
//!   by `close()` (no poison pills): the main thread joins the producers,
//!   closes the buffer, and the consumers stop once it is closed and empty.
//! - `system` (to come): the same work through `ProducerConsumerSystem`;
//!   see [`bench_system`].
//!
//! ```text
//! cargo bench --bench pipeline
//! ```
//!
//! Unlike `benches/throughput.rs`, the whole run is timed with `iter`:
//! `ProducerConsumerSystem` spawns its threads in `start` and joins them in
//! its shutdown, so only end-to-end timing compares the two like for like.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use prodcon::SharedBuffer;

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
// ProducerConsumerSystem variant: ADD IT HERE.
// ---------------------------------------------------------------------------

/// Registers the `ProducerConsumerSystem` variant of the same pipeline
/// (benchmark id `system`) in `group`. Empty on purpose: that variant is a
/// separate change. Per the pipeline contract in DESIGN.md it is roughly:
///
/// ```text
/// group.bench_function("system", |b| b.iter(|| {
///     let sum = Arc::new(AtomicU64::new(0));
///     let mut system = ProducerConsumerSystem::new(shape.capacity).unwrap();
///     for p in 0..shape.producers as u64 {
///         system.add_producer(p * per..(p + 1) * per).unwrap();
///     }
///     for _ in 0..shape.consumers {
///         let sum = Arc::clone(&sum);
///         system.add_consumer_with(move |item| { sum.fetch_add(item, Relaxed); }).unwrap();
///     }
///     system.start().unwrap();
///     let report = system.shutdown_graceful();
///     assert_eq!(report.stats.total_consumed, ITEMS as usize);
///     assert_eq!(sum.load(Relaxed), EXPECTED_SUM);
/// }));
/// ```
///
/// (`add_consumer()` would also collect the items into `report.consumed`,
/// which `hand_rolled` does not do; `add_consumer_with` is the fair match.)
fn bench_system(group: &mut BenchmarkGroup<'_, WallTime>, shape: Shape) {
    let _ = (group, shape);
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
