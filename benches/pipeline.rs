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
//! Unlike `benches/throughput.rs`, the whole run is timed with `iter`
//! (see `benches/support/pipeline.rs`). The figures BENCHMARKS.md quotes
//! come from the paired runs of `benches/paired.rs` (`--pipeline`), which
//! alternate the two ways in one process; this criterion bench is for
//! profiling one of them.

mod support;

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use support::pipeline::{Pipeline, hand_rolled, system};

/// Items moved per iteration, split evenly among the producers.
const ITEMS: u64 = 100_000;

/// Registers the `ProducerConsumerSystem` variant (benchmark id `system`).
fn bench_system(group: &mut BenchmarkGroup<'_, WallTime>, shape: Pipeline) {
    group.bench_function("system", |b| {
        b.iter(|| assert_eq!(system(shape), shape.expected_sum()));
    });
}

fn pipeline(c: &mut Criterion) {
    let shape = Pipeline {
        producers: 4,
        consumers: 4,
        capacity: 16,
        items: ITEMS,
    };
    let mut group = c.benchmark_group(format!(
        "pipeline/{}x{}/cap{}",
        shape.producers, shape.consumers, shape.capacity
    ));
    group.throughput(Throughput::Elements(ITEMS));
    // ~100 ms an iteration: flat sampling needs 10 iterations, linear 55.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("hand_rolled", |b| {
        b.iter(|| assert_eq!(hand_rolled(shape), shape.expected_sum()));
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
