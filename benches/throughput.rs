//! Throughput of `SharedBuffer` against crossbeam-channel, flume and std's
//! `sync_channel`, all in one criterion run.
//!
//! Every cell moves [`MESSAGES`] `u64`s (1,000,000) from `P` producers to
//! `C` consumers through a bounded queue of capacity `N` and is named
//! `mpmc/{P}x{C}/cap{N}/{implementation}`, so one cell or one row can be
//! picked with a criterion filter (a regex on that name):
//!
//! ```text
//! cargo bench --bench throughput                        # everything (~28 min on 2 vCPUs)
//! cargo bench --bench throughput -- 1x1/cap16           # one row, 4 implementations
//! cargo bench --bench throughput -- '4x4/cap1/'         # capacity 1 only (not 16, 1024)
//! cargo bench --bench throughput -- 'cap1024/prodcon$'  # one implementation, every topology
//! ```
//!
//! Separate criterion runs per implementation measure the machine's state
//! as much as the code on a shared VM, so BENCHMARKS.md quotes no figure
//! from this bench: its ratios come from `benches/paired.rs`. This one is
//! for profiling a cell and for the peers the paired bench leaves out.
//!
//! The defaults (10 samples, 1 s warm-up, 3 s measurement, flat sampling)
//! are set on the `Criterion` value, not on the groups, so criterion's
//! `--sample-size`, `--warm-up-time` and `--measurement-time` flags still
//! override them.
//!
//! # Run time
//!
//! A cell costs at least 11 iterations (one warm-up, ten samples), however
//! short the measurement time. On a 2-vCPU VM an iteration at capacity 1
//! takes 1 to 10 s (every message is a thread handoff), so the capacity-1
//! cells alone take about 20 minutes and the full matrix about 28. To trade
//! precision for time, set `PRODCON_BENCH_MESSAGES` (a multiple of 4;
//! criterion's throughput, and so ns/msg, follow it), or leave capacity 1
//! out with a filter:
//!
//! ```text
//! PRODCON_BENCH_MESSAGES=250000 cargo bench --bench throughput
//! cargo bench --bench throughput -- 'cap16/|cap1024/'
//! ```
//!
//! # What is timed
//!
//! Threads are spawned afresh for every iteration (no pool, nothing warm
//! carried over), but with `iter_custom` only the transfer itself is timed:
//! from the moment the first worker leaves the start barrier to the moment
//! the last worker finishes its loop, both read by the workers themselves.
//! Thread spawn and join (tens of µs per thread, the same for every
//! implementation) are left out, as is the main thread's scheduling: on a
//! 2-core machine with 8 workers, a timestamp taken by the main thread after
//! the barrier could come late and undercount.
//!
//! # Shutdown
//!
//! Consumers take until the queue reports "closed and empty": for the
//! channels, when the last `Sender` is dropped (each producer owns one and
//! drops it when done); for `SharedBuffer`, the last producer to finish
//! calls `close()` (a shared countdown), which is the same moment.
//!
//! # Correctness check
//!
//! Producer `p` sends the values `p * per .. (p + 1) * per`; each consumer
//! sums what it takes and `black_box`es the sum, and every iteration asserts
//! that the sums add up to `0 + 1 + … + (messages - 1)`: a lost or duplicated
//! message fails the bench. The check runs after the end timestamp.
//!
//! # Implementations
//!
//! `prodcon` (single-item `put`/`get`), `prodcon_batch` (`put_many` of a
//! producer's whole range, `get_many_into` up to the capacity), `crossbeam`,
//! `flume`, `std_sync_channel`. The channels have no batch calls, so
//! `prodcon_batch` is compared with their single-item throughput: it shows
//! what a user who can batch gains, not a like-for-like protocol.
//!
//! Each implementation is one `fn(Shape) -> Duration` that builds the queue
//! and one closure per worker and hands them to [`run_timed`]; the
//! [`IMPLEMENTATIONS`] table registers it.

mod support;

use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use support::{CAPACITIES, IMPLEMENTATIONS, Shape, TOPOLOGIES, messages};

fn throughput(c: &mut Criterion) {
    let messages = messages();
    for (producers, consumers) in TOPOLOGIES {
        for capacity in CAPACITIES {
            let shape = Shape {
                producers,
                consumers,
                capacity,
                messages,
            };
            let mut group =
                c.benchmark_group(format!("mpmc/{producers}x{consumers}/cap{capacity}"));
            group.throughput(Throughput::Elements(messages));
            // An iteration takes from tens of milliseconds to seconds: flat
            // sampling needs 10 iterations per cell, linear at least 55.
            group.sampling_mode(SamplingMode::Flat);
            for &(name, run) in IMPLEMENTATIONS {
                group.bench_function(name, |b| {
                    b.iter_custom(|iters| (0..iters).map(|_| run(shape)).sum());
                });
            }
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = throughput
}
criterion_main!(benches);
