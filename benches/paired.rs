//! Paired ratios: prodcon against crossbeam-channel, run alternately in one
//! process, so that a machine whose load comes and goes slows both sides of
//! a pair alike.
//!
//! ```text
//! cargo bench --bench paired                               # every cell, 10 pairs each
//! cargo bench --bench paired -- --pairs 20 --cells '1x1/cap16'
//! cargo bench --bench paired -- --markdown                 # the table BENCHMARKS.md quotes
//! cargo bench --bench paired -- --pipeline --markdown      # the system against hand-rolled threads
//! ```
//!
//! For each cell (`{P}x{C}/cap{N}`) and each prodcon variant (`prodcon`,
//! single-item `put`/`get`; `prodcon_batch`, `put_many`/`get_many_into`),
//! one *pair* is a run of the variant and a run of crossbeam-channel's
//! `bounded` on the same cell, back to back, in alternating order (A B,
//! then B A, …) so that neither side always runs second. The pair's ratio
//! is the variant's time over crossbeam's. A cell reports the median ratio
//! and its quartiles over the pairs, and each side's median ns/msg. One
//! warm-up pair per cell is run and discarded.
//!
//! Flags: `--pairs N` (default 10), `--messages M` (per run, a multiple of
//! 4; default 1,000,000, and a tenth of it at capacity 1, where every
//! message is a thread hand-off), `--cells TEXT` (a substring match on
//! the cell name), `--markdown` (print the table as Markdown),
//! `--csv FILE` (also write the cells as CSV, which
//! `scripts/paired_chart.py` turns into `docs/bench-ratios.svg`),
//! `--pipeline` (instead of the matrix: `ProducerConsumerSystem` against
//! threads spawned by hand over the same buffer, whole runs of 1,000,000
//! items, thread start and shutdown included; `benches/support/pipeline.rs`).
//! After the matrix it prints the geometric mean of the single-item ratios
//! over the four cells the speed targets name, and the highest of them.
//! `--pipeline-parts` (the pipeline cells, the system and two hand-rolled
//! pipelines that each add one of the system's per-item costs, the
//! producer's retrying put or the statistics' stores, each against plain
//! hand-rolled threads; `benches/support/pipeline.rs`),
//! `--floor` (instead of the matrix: at 1:1, capacity 16 and 1024,
//! prodcon and single-producer rings with 0, 1 and 2 locked
//! instructions per item and side, counters or crossbeam's stamped slots,
//! each against crossbeam-channel; `benches/support/floor.rs`).
//! `--solo NAME` runs one implementation (a matrix name,
//! `ring_locked0`-`2`, `ring_stamped0`-`2`, or `system`/`hand_rolled` with
//! `--pipeline`) on the selected cells `--pairs` times, unpaired, printing
//! each run's ns/msg: for a profiler (`perf stat`, `perf record`) to see
//! one implementation at a time; its times are not a claim.
//! `cargo bench` passes `--bench` to every bench binary; it is ignored.

mod support;

use std::time::Duration;

use support::floor;
use support::pipeline::{self, Pipeline};
use support::{CAPACITIES, IMPLEMENTATIONS, RunFn, Shape, TOPOLOGIES};

/// What the command line asked for.
struct Options {
    pairs: usize,
    messages: Option<u64>,
    cells: Option<String>,
    markdown: bool,
    pipeline: bool,
    floor: bool,
    parts: bool,
    solo: Option<String>,
    csv: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        pairs: 10,
        messages: None,
        cells: None,
        markdown: false,
        pipeline: false,
        floor: false,
        parts: false,
        solo: None,
        csv: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| panic!("{name} needs a value"))
        };
        match arg.as_str() {
            "--pairs" => {
                options.pairs = value("--pairs").parse().expect("--pairs: a number");
                assert!(options.pairs > 0, "--pairs must be at least 1");
            }
            "--messages" => {
                let messages: u64 = value("--messages").parse().expect("--messages: a number");
                assert!(
                    messages > 0 && messages % 4 == 0,
                    "--messages must be a positive multiple of 4"
                );
                options.messages = Some(messages);
            }
            "--cells" => options.cells = Some(value("--cells")),
            "--markdown" => options.markdown = true,
            "--pipeline" => options.pipeline = true,
            "--floor" => options.floor = true,
            "--pipeline-parts" => options.parts = true,
            "--solo" => options.solo = Some(value("--solo")),
            "--csv" => options.csv = Some(value("--csv")),
            "--bench" => {}
            other => panic!("unknown argument {other:?}; see benches/paired.rs"),
        }
    }
    options
}

fn implementation(name: &str) -> RunFn {
    IMPLEMENTATIONS
        .iter()
        .chain(FLOOR)
        .find(|(n, _)| *n == name)
        .map(|(_, run)| *run)
        .unwrap_or_else(|| panic!("{name:?}: no such implementation; see benches/support"))
}

/// The rings of `--floor` (1:1 only).
const FLOOR: &[(&str, RunFn)] = &[
    ("ring_locked0", floor::ring_locked0),
    ("ring_locked1", floor::ring_locked1),
    ("ring_locked2", floor::ring_locked2),
    ("ring_stamped0", floor::ring_stamped0),
    ("ring_stamped1", floor::ring_stamped1),
    ("ring_stamped2", floor::ring_stamped2),
];

/// The `q`-quantile of sorted `values` (linear interpolation).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let low = position.floor() as usize;
    let high = position.ceil() as usize;
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// One cell's result for one variant (against crossbeam, or for
/// `--pipeline` the system against hand-rolled threads).
struct Cell {
    name: String,
    variant: &'static str,
    ns_variant: f64,
    ns_crossbeam: f64,
    q1: f64,
    median: f64,
    q3: f64,
}

/// Runs `pairs` pairs of `a` and `b` (after one discarded warm-up pair),
/// alternating which goes first, and summarizes them as a [`Cell`]: the
/// median and quartiles of the per-pair ratios `a / b`, and each side's
/// median time divided by `per` (messages, for ns/msg).
fn measure(
    a: impl Fn() -> Duration,
    b: impl Fn() -> Duration,
    pairs: usize,
    per: u64,
    name: &str,
    variant: &'static str,
) -> Cell {
    // Warm-up pair, discarded: first-touch allocations, thread stacks.
    a();
    b();
    let mut ratios = Vec::with_capacity(pairs);
    let mut times_a = Vec::with_capacity(pairs);
    let mut times_b = Vec::with_capacity(pairs);
    for pair in 0..pairs {
        let (ta, tb) = if pair % 2 == 0 {
            let ta = a();
            (ta, b())
        } else {
            let tb = b();
            (a(), tb)
        };
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
        times_a.push(ta.as_nanos() as f64 / per as f64);
        times_b.push(tb.as_nanos() as f64 / per as f64);
    }
    for values in [&mut ratios, &mut times_a, &mut times_b] {
        values.sort_by(f64::total_cmp);
    }
    Cell {
        name: name.to_string(),
        variant,
        ns_variant: quantile(&times_a, 0.5),
        ns_crossbeam: quantile(&times_b, 0.5),
        q1: quantile(&ratios, 0.25),
        median: quantile(&ratios, 0.5),
        q3: quantile(&ratios, 0.75),
    }
}

/// The cells the speed targets are judged on: {1:1, 4:4} × {16, 1024}.
const TARGET_CELLS: [&str; 4] = ["1x1/cap16", "1x1/cap1024", "4x4/cap16", "4x4/cap1024"];

/// The pipeline cells: `ProducerConsumerSystem` against threads spawned by
/// hand over the same buffer, 1,000,000 items a run (with 100,000 a run
/// took 3-4 ms, and the ratios of one run of 30 pairs ranged 0.92-1.26x
/// at 1x1 cap 16 from run to run).
const PIPELINE_CELLS: [(usize, usize, usize); 3] = [(1, 1, 16), (4, 4, 16), (4, 4, 1024)];

fn print_cell(cell: &Cell, against: &str, pairs: usize) {
    println!(
        "{:<14} {:<14} {:>8.1} ns/msg vs {against} {:>8.1}: ratio {:.2}x (quartiles {:.2}-{:.2}, {} pairs)",
        cell.name,
        cell.variant,
        cell.ns_variant,
        cell.ns_crossbeam,
        cell.median,
        cell.q1,
        cell.q3,
        pairs
    );
}

/// `--csv FILE`: one row per cell and variant, for `scripts/paired_chart.py`.
fn write_csv(path: Option<&str>, cells: &[Cell], pairs: usize) {
    let Some(path) = path else { return };
    let mut text = String::from("cell,variant,ns,reference_ns,q1,median,q3,pairs\n");
    for c in cells {
        text.push_str(&format!(
            "{},{},{:.2},{:.2},{:.4},{:.4},{:.4},{pairs}\n",
            c.name, c.variant, c.ns_variant, c.ns_crossbeam, c.q1, c.median, c.q3
        ));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("--csv {path}: {e}"));
}

fn geomean(ratios: impl Iterator<Item = f64>) -> (f64, usize) {
    let (sum, n) = ratios.fold((0.0, 0), |(sum, n), r| (sum + r.ln(), n + 1));
    ((sum / n as f64).exp(), n)
}

fn main() {
    let options = options();
    if let Some(name) = &options.solo {
        solo(&options, name);
        return;
    }
    if options.parts {
        pipeline_parts(&options);
        return;
    }
    if options.pipeline {
        pipeline(&options);
        return;
    }
    if options.floor {
        floor(&options);
        return;
    }
    let mut cells = Vec::new();
    for (producers, consumers) in TOPOLOGIES {
        for capacity in CAPACITIES {
            let name = format!("{producers}x{consumers}/cap{capacity}");
            if options.cells.as_ref().is_some_and(|c| !name.contains(c)) {
                continue;
            }
            let messages =
                options
                    .messages
                    .unwrap_or(if capacity == 1 { 100_000 } else { 1_000_000 });
            let shape = Shape {
                producers,
                consumers,
                capacity,
                messages,
            };
            let crossbeam = implementation("crossbeam");
            for variant in ["prodcon", "prodcon_batch"] {
                let run = implementation(variant);
                let cell = measure(
                    || run(shape),
                    || crossbeam(shape),
                    options.pairs,
                    messages,
                    &name,
                    variant,
                );
                if !options.markdown {
                    print_cell(&cell, "crossbeam", options.pairs);
                }
                cells.push(cell);
            }
        }
    }
    let single = |c: &&Cell| c.variant == "prodcon";
    let target = |c: &&Cell| TARGET_CELLS.contains(&c.name.as_str());
    let (all, n) = geomean(cells.iter().filter(single).map(|c| c.median));
    if n > 0 {
        println!("geometric mean of the single-item median ratios over {n} cells: {all:.2}x");
    }
    let (mean, n) = geomean(cells.iter().filter(single).filter(target).map(|c| c.median));
    if n == TARGET_CELLS.len() {
        let worst = cells
            .iter()
            .filter(single)
            .filter(target)
            .max_by(|a, b| a.median.total_cmp(&b.median))
            .expect("four cells");
        println!(
            "target cells ({}): geometric mean {mean:.2}x (target <= 1.0x), highest {} {:.2}x (target <= 1.3x)",
            TARGET_CELLS.join(", "),
            worst.name,
            worst.median
        );
    }
    write_csv(options.csv.as_deref(), &cells, options.pairs);
    if options.markdown {
        println!("| cell | variant | ns/msg | crossbeam ns/msg | ratio (median) | quartiles |");
        println!("| --- | --- | ---: | ---: | ---: | --- |");
        for c in &cells {
            println!(
                "| {} | {} | {:.1} | {:.1} | {:.2}× | {:.2}–{:.2} |",
                c.name, c.variant, c.ns_variant, c.ns_crossbeam, c.median, c.q1, c.q3
            );
        }
    }
}

/// `--pipeline`: `ProducerConsumerSystem` (`system`) against threads
/// spawned by hand (`hand_rolled`), paired the same way.
fn pipeline(options: &Options) {
    let mut cells = Vec::new();
    for (producers, consumers, capacity) in PIPELINE_CELLS {
        let name = format!("{producers}x{consumers}/cap{capacity}");
        if options.cells.as_ref().is_some_and(|c| !name.contains(c)) {
            continue;
        }
        let shape = Pipeline {
            producers,
            consumers,
            capacity,
            items: options.messages.unwrap_or(1_000_000),
        };
        let cell = measure(
            || pipeline::timed(pipeline::system, shape),
            || pipeline::timed(pipeline::hand_rolled, shape),
            options.pairs,
            shape.items,
            &name,
            "system",
        );
        if !options.markdown {
            print_cell(&cell, "hand_rolled", options.pairs);
        }
        cells.push(cell);
    }
    if options.markdown {
        println!(
            "| cell | ns/item (system) | ns/item (hand-rolled) | ratio (median) | quartiles |"
        );
        println!("| --- | ---: | ---: | ---: | --- |");
        for c in &cells {
            println!(
                "| {} | {:.1} | {:.1} | {:.2}× | {:.2}–{:.2} |",
                c.name, c.ns_variant, c.ns_crossbeam, c.median, c.q1, c.q3
            );
        }
    }
}

/// `--floor`: at 1:1, prodcon and the rings, each against crossbeam.
fn floor(options: &Options) {
    let crossbeam = implementation("crossbeam");
    for capacity in [16, 1024] {
        let name = format!("1x1/cap{capacity}");
        if options.cells.as_ref().is_some_and(|c| !name.contains(c)) {
            continue;
        }
        let shape = Shape {
            producers: 1,
            consumers: 1,
            capacity,
            messages: options.messages.unwrap_or(1_000_000),
        };
        let variants = ["prodcon"].into_iter().chain(FLOOR.iter().map(|(n, _)| *n));
        for variant in variants {
            let run = implementation(variant);
            let cell = measure(
                || run(shape),
                || crossbeam(shape),
                options.pairs,
                shape.messages,
                &name,
                variant,
            );
            print_cell(&cell, "crossbeam", options.pairs);
        }
    }
}

/// `--solo NAME`: one implementation alone, `--pairs` runs of each
/// selected cell, for a profiler.
fn solo(options: &Options, name: &str) {
    if options.pipeline {
        let run = match name {
            "system" => pipeline::system,
            "hand_rolled" => pipeline::hand_rolled,
            other => panic!("--pipeline --solo {other:?}: `system` or `hand_rolled`"),
        };
        for (producers, consumers, capacity) in PIPELINE_CELLS {
            let cell = format!("{producers}x{consumers}/cap{capacity}");
            if options.cells.as_ref().is_some_and(|c| !cell.contains(c)) {
                continue;
            }
            let shape = Pipeline {
                producers,
                consumers,
                capacity,
                items: options.messages.unwrap_or(1_000_000),
            };
            for _ in 0..options.pairs {
                let time = pipeline::timed(run, shape);
                println!(
                    "{cell:<14} {name:<14} {:>8.1} ns/item",
                    time.as_nanos() as f64 / shape.items as f64
                );
            }
        }
        return;
    }
    let run = implementation(name);
    for (producers, consumers) in TOPOLOGIES {
        for capacity in CAPACITIES {
            let cell = format!("{producers}x{consumers}/cap{capacity}");
            if options.cells.as_ref().is_some_and(|c| !cell.contains(c)) {
                continue;
            }
            let messages =
                options
                    .messages
                    .unwrap_or(if capacity == 1 { 100_000 } else { 1_000_000 });
            let shape = Shape {
                producers,
                consumers,
                capacity,
                messages,
            };
            for _ in 0..options.pairs {
                let time = run(shape);
                println!(
                    "{cell:<14} {name:<14} {:>8.1} ns/msg",
                    time.as_nanos() as f64 / messages as f64
                );
            }
        }
    }
}

/// `--pipeline-parts`: which of the system's per-item costs its ratio
/// comes from, each way against plain hand-rolled threads.
fn pipeline_parts(options: &Options) {
    type Way = fn(Pipeline) -> u64;
    let ways: [(&'static str, Way); 3] = [
        ("system", pipeline::system),
        ("retry", pipeline::hand_rolled_retry),
        ("counted", pipeline::hand_rolled_counted),
    ];
    for (producers, consumers, capacity) in PIPELINE_CELLS {
        let name = format!("{producers}x{consumers}/cap{capacity}");
        if options.cells.as_ref().is_some_and(|c| !name.contains(c)) {
            continue;
        }
        let shape = Pipeline {
            producers,
            consumers,
            capacity,
            items: options.messages.unwrap_or(1_000_000),
        };
        for (variant, way) in ways {
            let cell = measure(
                || pipeline::timed(way, shape),
                || pipeline::timed(pipeline::hand_rolled, shape),
                options.pairs,
                shape.items,
                &name,
                variant,
            );
            print_cell(&cell, "hand_rolled", options.pairs);
        }
    }
}
