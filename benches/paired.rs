//! Paired ratios: prodcon against crossbeam-channel, run alternately in one
//! process, so that a machine whose load comes and goes slows both sides of
//! a pair alike.
//!
//! ```text
//! cargo bench --bench paired                               # every cell, 10 pairs each
//! cargo bench --bench paired -- --pairs 20 --cells '1x1/cap16'
//! cargo bench --bench paired -- --markdown                 # the table BENCHMARKS.md quotes
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
//! message is a thread hand-off), `--cells REGEX` (a substring match on
//! the cell name), `--markdown` (print the table as Markdown).
//! `cargo bench` passes `--bench` to every bench binary; it is ignored.

mod support;

use std::time::Duration;

use support::{CAPACITIES, IMPLEMENTATIONS, RunFn, Shape, TOPOLOGIES};

/// What the command line asked for.
struct Options {
    pairs: usize,
    messages: Option<u64>,
    cells: Option<String>,
    markdown: bool,
}

fn options() -> Options {
    let mut options = Options {
        pairs: 10,
        messages: None,
        cells: None,
        markdown: false,
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
            "--bench" => {}
            other => panic!("unknown argument {other:?}; see benches/paired.rs"),
        }
    }
    options
}

fn implementation(name: &str) -> RunFn {
    IMPLEMENTATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, run)| *run)
        .expect("registered in benches/support")
}

/// The `q`-quantile of sorted `values` (linear interpolation).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let low = position.floor() as usize;
    let high = position.ceil() as usize;
    sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
}

/// One cell's result for one variant.
struct Cell {
    name: String,
    variant: &'static str,
    ns_variant: f64,
    ns_crossbeam: f64,
    q1: f64,
    median: f64,
    q3: f64,
}

fn ns_per_message(time: Duration, shape: Shape) -> f64 {
    time.as_nanos() as f64 / shape.messages as f64
}

fn measure(shape: Shape, variant: &'static str, pairs: usize, name: &str) -> Cell {
    let (a, b) = (implementation(variant), implementation("crossbeam"));
    // Warm-up pair, discarded: first-touch allocations, thread stacks.
    a(shape);
    b(shape);
    let mut ratios = Vec::with_capacity(pairs);
    let mut times_a = Vec::with_capacity(pairs);
    let mut times_b = Vec::with_capacity(pairs);
    for pair in 0..pairs {
        let (ta, tb) = if pair % 2 == 0 {
            let ta = a(shape);
            (ta, b(shape))
        } else {
            let tb = b(shape);
            (a(shape), tb)
        };
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
        times_a.push(ns_per_message(ta, shape));
        times_b.push(ns_per_message(tb, shape));
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

fn main() {
    let options = options();
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
            for variant in ["prodcon", "prodcon_batch"] {
                let cell = measure(shape, variant, options.pairs, &name);
                if !options.markdown {
                    println!(
                        "{:<14} {:<14} {:>8.1} ns/msg vs crossbeam {:>8.1}: ratio {:.2}x (quartiles {:.2}-{:.2}, {} pairs)",
                        cell.name,
                        cell.variant,
                        cell.ns_variant,
                        cell.ns_crossbeam,
                        cell.median,
                        cell.q1,
                        cell.q3,
                        options.pairs
                    );
                }
                cells.push(cell);
            }
        }
    }
    let single: Vec<f64> = cells
        .iter()
        .filter(|c| c.variant == "prodcon")
        .map(|c| c.median)
        .collect();
    if !single.is_empty() {
        let geomean = (single.iter().map(|r| r.ln()).sum::<f64>() / single.len() as f64).exp();
        println!(
            "geometric mean of the single-item median ratios over {} cells: {geomean:.2}x",
            single.len()
        );
    }
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
