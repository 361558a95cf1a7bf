//! Random workloads for the linearizability runs: one script of calls per
//! thread. Thread 0 is the closer: it makes only calls that never wait
//! forever and ends with `close`, which releases every call still blocked
//! (so no workload can deadlock, whatever the schedule). The producers put
//! (`put`, `try_put`, `put_timeout`, `put_many`), the consumers get (`get`,
//! `try_get`, `get_timeout`, `get_many`, `get_many_into`), and everyone
//! asks `len` / `is_empty` / `is_full` now and then. Every item is
//! distinct, so that a history says which put each item came from.

use super::spec::Op;

/// A small deterministic generator (SplitMix64): the runs must be
/// reproducible from a seed, and under shuttle the seed itself comes from
/// the scheduler's random source, so a failing schedule replays.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// The shape of a workload.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub producers: usize,
    pub consumers: usize,
    /// Calls per producer and per consumer.
    pub calls: usize,
    /// Calls of the closer before its `close`.
    pub closer_calls: usize,
    /// Whether `put_timeout` / `get_timeout` are used (under shuttle they
    /// need the model timer).
    pub timed: bool,
}

impl Shape {
    pub fn threads(&self) -> usize {
        1 + self.producers + self.consumers
    }
}

fn query(rng: &mut Rng) -> Op {
    match rng.below(3) {
        0 => Op::Len,
        1 => Op::IsEmpty,
        _ => Op::IsFull,
    }
}

/// One script per thread: the closer, then the producers, then the
/// consumers.
pub fn scripts(rng: &mut Rng, shape: Shape) -> Vec<Vec<Op>> {
    let mut scripts = Vec::with_capacity(shape.threads());
    let mut closer = Vec::new();
    for _ in 0..shape.closer_calls {
        closer.push(match rng.below(6) {
            0 => Op::TryGet,
            1 => Op::Drain,
            2 => Op::TryPut(0),
            _ => query(rng),
        });
    }
    closer.push(Op::Close);
    scripts.push(closer);
    for p in 0..shape.producers {
        let mut item = (p as u32 + 1) * 100;
        let mut next = || {
            item += 1;
            item
        };
        let script = (0..shape.calls)
            .map(|_| match rng.below(if shape.timed { 10 } else { 8 }) {
                0 | 1 => Op::Put(next()),
                2 | 3 => Op::TryPut(next()),
                4 | 5 => {
                    let n = 1 + rng.below(3);
                    Op::PutMany((0..n).map(|_| next()).collect())
                }
                6 | 7 => {
                    if rng.below(2) == 0 {
                        query(rng)
                    } else {
                        Op::Put(next())
                    }
                }
                _ => Op::PutTimeout(next()),
            })
            .collect();
        scripts.push(script);
    }
    for _ in 0..shape.consumers {
        let script = (0..shape.calls)
            .map(|_| match rng.below(if shape.timed { 11 } else { 9 }) {
                0 | 1 => Op::Get,
                2 | 3 => Op::TryGet,
                4 => Op::GetMany(1 + rng.below(3)),
                5 => Op::GetManyInto(1 + rng.below(2)),
                6 => query(rng),
                7 | 8 => Op::TryGet,
                _ => Op::GetTimeout,
            })
            .collect();
        scripts.push(script);
    }
    // The closer's `try_put(0)`: make its item distinct too.
    for (i, op) in scripts[0].iter_mut().enumerate() {
        if let Op::TryPut(item) = op {
            *item = 90 + i as u32;
        }
    }
    scripts
}

/// How many timed calls the scripts make (the model timer's firings).
pub fn timed_calls(scripts: &[Vec<Op>]) -> usize {
    scripts
        .iter()
        .flatten()
        .filter(|op| op.timeout_result().is_some())
        .count()
}
