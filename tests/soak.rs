//! Soak: runs the buffer and the pipeline over and over, for a duration
//! given in seconds by `PRODCON_SOAK_SECS` (default 3, so that `cargo test`
//! runs it quickly; by hand, minutes: see VERIFICATION.md, "Soak run"), with random
//! topologies up to 32 producers × 32 consumers and random mixes of every
//! operation, and checks after each round that nothing was lost or
//! duplicated, that each producer's items kept their order, and that every
//! shutdown returned.
//!
//! * Buffer rounds: producers mix `put`, `try_put`, `put_timeout` and
//!   `put_many`; consumers mix `get`, `try_get`, `get_timeout`, `get_many`
//!   and `get_many_into` and mark each item done (`task_done`); a helper
//!   thread may `close` mid-run, `drain` mid-run and call `join_timeout`;
//!   timeouts are random (0 to 2 ms). Conservation: every item a producer
//!   tried to put was taken by a consumer, drained, or handed back by a
//!   refused put, exactly once. Order: what one consumer (or one drain) got
//!   from one producer is in that producer's order.
//! * Pipeline rounds: a `ProducerConsumerSystem` with collecting and
//!   handler consumers, sources and handlers that panic at random, a
//!   monitor thread reading a `StatsHandle`, and a random ending:
//!   `shutdown_graceful`, `shutdown_now`, `shutdown_graceful_timeout` with a
//!   random deadline, or `drop`. Conservation: every item taken from a
//!   source is handled, failed or undelivered, exactly once.
//!
//! Hang detection: each round runs on its own thread and must finish
//! within `PRODCON_SOAK_ROUND_LIMIT_SECS` (default 120); a round that
//! does not fails the test (naming the round and the seed) instead of
//! hanging it. This is a liveness check with a generous bound, not a
//! timing assertion. `PRODCON_SOAK_SEED` replays a run's sequence of
//! rounds (the thread interleavings are the OS's, so a replay is not exact).
#![cfg(not(any(loom, shuttle)))]

use std::collections::BTreeMap;
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use prodcon::{
    Ending, GetTimeoutError, ProducerConsumerSystem, PutTimeoutError, SharedBuffer, TryGetError,
    TryPutError,
};

/// An item: its producer in the high half, its position in the low half.
type Item = u64;

fn item(producer: usize, seq: usize) -> Item {
    ((producer as u64) << 32) | seq as u64
}

fn producer_of(item: Item) -> usize {
    (item >> 32) as usize
}

/// xorshift64*: small, seedable, good enough to pick operations.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn timeout(&mut self) -> Duration {
        Duration::from_micros(self.next() % 2_000)
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a number")),
        Err(_) => default,
    }
}

/// Every item of a producer in `got` is later than the one before.
#[track_caller]
fn assert_per_producer_order(got: &[Item], what: &str) {
    let mut last: BTreeMap<usize, Item> = BTreeMap::new();
    for &item in got {
        if let Some(&before) = last.get(&producer_of(item)) {
            assert!(before < item, "{what}: {item:#x} after {before:#x}");
        }
        last.insert(producer_of(item), item);
    }
}

/// `ended`, sorted, is exactly `expected`.
#[track_caller]
fn assert_exactly_once(mut ended: Vec<Item>, mut expected: Vec<Item>, what: &str) {
    ended.sort_unstable();
    expected.sort_unstable();
    if ended != expected {
        let lost = expected
            .iter()
            .filter(|i| ended.binary_search(i).is_err())
            .count();
        panic!(
            "{what}: {} items ended for {} expected ({lost} lost)",
            ended.len(),
            expected.len()
        );
    }
}

// --- Buffer rounds ---------------------------------------------------------------

/// What a producer tried to put and what came back.
struct Put {
    attempted: Vec<Item>,
    returned: Vec<Item>,
}

fn produce(buffer: &SharedBuffer<Item>, p: usize, count: usize, mut rng: Rng) -> Put {
    let mut put = Put {
        attempted: Vec::new(),
        returned: Vec::new(),
    };
    let mut seq = 0;
    while seq < count {
        let next = item(p, seq);
        let refused = match rng.range(0, 3) {
            0 => buffer.put(next).err().map(|e| vec![e.into_inner()]),
            1 => loop {
                match buffer.try_put(next) {
                    Ok(()) => break None,
                    Err(TryPutError::Full(_)) => thread::yield_now(),
                    Err(TryPutError::Closed(back)) => break Some(vec![back]),
                }
            },
            2 => loop {
                match buffer.put_timeout(next, rng.timeout()) {
                    Ok(()) => break None,
                    Err(PutTimeoutError::Timeout(_)) => {}
                    Err(PutTimeoutError::Closed(back)) => break Some(vec![back]),
                }
            },
            _ => {
                let len = rng.range(1, 40).min(count - seq);
                let batch = (seq..seq + len).map(|s| item(p, s));
                put.attempted
                    .extend((seq..seq + len - 1).map(|s| item(p, s)));
                seq += len - 1;
                buffer.put_many(batch).err().map(|e| e.into_inner())
            }
        };
        put.attempted.push(item(p, seq));
        seq += 1;
        if let Some(back) = refused {
            put.returned.extend(back);
            // Closed: every later put would be refused too.
            break;
        }
    }
    put.attempted.sort_unstable();
    put
}

fn consume(buffer: &SharedBuffer<Item>, mut rng: Rng) -> Vec<Item> {
    let mut got = Vec::new();
    let mut scratch = Vec::new();
    loop {
        let before = got.len();
        let open = match rng.range(0, 4) {
            0 => buffer.get().map(|i| got.push(i)).is_ok(),
            1 => match buffer.try_get() {
                Ok(i) => {
                    got.push(i);
                    true
                }
                Err(TryGetError::Empty) => {
                    thread::yield_now();
                    true
                }
                Err(TryGetError::Closed) => false,
            },
            2 => match buffer.get_timeout(rng.timeout()) {
                Ok(i) => {
                    got.push(i);
                    true
                }
                Err(GetTimeoutError::Timeout) => true,
                Err(GetTimeoutError::Closed) => false,
            },
            3 => buffer
                .get_many(rng.range(1, 40))
                .map(|batch| got.extend(batch))
                .is_ok(),
            _ => {
                scratch.clear();
                let ok = buffer.get_many_into(&mut scratch, rng.range(1, 40)).is_ok();
                got.extend_from_slice(&scratch);
                ok
            }
        };
        for _ in before..got.len() {
            buffer.task_done().expect("one task_done per item taken");
        }
        if !open {
            return got;
        }
    }
}

fn buffer_round(mut rng: Rng) -> &'static str {
    let producers = rng.range(1, 32);
    let consumers = rng.range(1, 32);
    let capacity = rng.range(1, 64);
    let per_producer = rng.range(0, 300);
    let close_early = rng.chance(30);
    let buffer = SharedBuffer::new(capacity);

    let consumer_threads: Vec<_> = (0..consumers)
        .map(|_| {
            let (buffer, rng) = (buffer.clone(), Rng::new(rng.next()));
            thread::spawn(move || consume(&buffer, rng))
        })
        .collect();
    let producer_threads: Vec<_> = (0..producers)
        .map(|p| {
            let (buffer, rng) = (buffer.clone(), Rng::new(rng.next()));
            thread::spawn(move || produce(&buffer, p, per_producer, rng))
        })
        .collect();
    // A helper that drains, joins with a timeout and maybe closes, mid-run.
    let helper = {
        let (buffer, mut rng) = (buffer.clone(), Rng::new(rng.next()));
        thread::spawn(move || {
            let mut drained = Vec::new();
            for _ in 0..rng.range(0, 20) {
                thread::sleep(rng.timeout());
                match rng.range(0, 2) {
                    0 => {
                        let chunk = buffer.drain();
                        assert_per_producer_order(&chunk, "a drain");
                        drained.extend(chunk);
                    }
                    1 => {
                        buffer.join_timeout(rng.timeout());
                    }
                    _ => {
                        if close_early {
                            buffer.close();
                        }
                    }
                }
            }
            drained
        })
    };

    let mut expected = Vec::new();
    let mut ended = Vec::new();
    for producer in producer_threads {
        let put = producer.join().expect("producer panicked");
        expected.extend(put.attempted);
        ended.extend(put.returned);
    }
    buffer.close();
    for consumer in consumer_threads {
        let got = consumer.join().expect("consumer panicked");
        assert_per_producer_order(&got, "one consumer");
        ended.extend(got);
    }
    ended.extend(helper.join().expect("helper panicked"));
    let left = buffer.drain();
    assert_per_producer_order(&left, "the final drain");
    ended.extend(left);
    assert_exactly_once(ended, expected, "buffer round");
    assert!(
        buffer.join_timeout(Duration::ZERO),
        "unfinished tasks after every item was done or drained: {}",
        buffer.unfinished_tasks()
    );
    "buffer"
}

// --- Pipeline rounds ---------------------------------------------------------------

/// Panics raised on purpose; the panic hook keeps them quiet.
const SOAK_PANIC: &str = "soak: planned panic";

fn pipeline_round(mut rng: Rng) -> &'static str {
    let producers = rng.range(1, 32);
    let consumers = rng.range(1, 32);
    let capacity = rng.range(1, 64);
    let ending = rng.range(0, 3);
    let mut system = ProducerConsumerSystem::new(capacity).expect("capacity > 0");
    let mut sources = Vec::new();
    for p in 0..producers {
        let len = rng.range(0, 300);
        let panic_at = rng.chance(20).then(|| rng.range(0, len));
        sources.push((len, panic_at));
        system
            .add_producer((0..len).map(move |s| {
                if Some(s) == panic_at {
                    panic!("{SOAK_PANIC}");
                }
                item(p, s)
            }))
            .expect("before start");
    }
    // Handler consumers record (in their own order) what they handled, or
    // what failed; about one consumer in four collects instead.
    let handled: Vec<Arc<Mutex<Vec<Item>>>> = (0..consumers)
        .map(|_| Arc::new(Mutex::new(Vec::new())))
        .collect();
    let failed = Arc::new(Mutex::new(Vec::new()));
    let mut collectors = 0;
    for record in &handled {
        if ending != 3 && rng.chance(25) {
            system.add_consumer().expect("before start");
            collectors += 1;
            continue;
        }
        let (record, failed) = (Arc::clone(record), Arc::clone(&failed));
        let fails_one_in = rng.range(0, 50) as u64;
        system
            .add_consumer_with(move |item: Item| {
                if fails_one_in > 0 && item.wrapping_mul(0x9e37_79b9_7f4a_7c15) % fails_one_in == 0
                {
                    failed.lock().unwrap().push(item);
                    panic!("{SOAK_PANIC}");
                }
                record.lock().unwrap().push(item);
            })
            .expect("before start");
    }
    let stats = system.stats_handle();
    system.start().expect("valid system");

    let stop = Arc::new(AtomicBool::new(false));
    let monitor = {
        let (stats, stop) = (stats.clone(), Arc::clone(&stop));
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let s = stats.snapshot();
                assert!(s.total_consumed + s.total_failed <= s.total_produced);
                thread::yield_now();
            }
        })
    };
    thread::sleep(rng.timeout());
    let deadline = rng.timeout() * 5;
    let (report, name) = match ending {
        0 => (Some(system.shutdown_graceful()), "graceful"),
        1 => (Some(system.shutdown_now()), "now"),
        2 => (
            Some(system.shutdown_graceful_timeout(deadline)),
            "graceful_timeout",
        ),
        _ => {
            drop(system);
            (None, "drop")
        }
    };
    stop.store(true, Ordering::SeqCst);
    monitor.join().expect("monitor panicked");

    let after = stats.snapshot();
    let taken: Vec<Item> = sources
        .iter()
        .zip(&after.producers)
        .enumerate()
        .flat_map(|(p, (&(_, panic_at), counted))| {
            assert!(panic_at.is_none_or(|at| counted.items <= at));
            (0..counted.items).map(move |s| item(p, s))
        })
        .collect();
    let mut ended: Vec<Item> = Vec::new();
    for record in &handled {
        let record = record.lock().unwrap();
        assert_per_producer_order(&record, "one handler consumer");
        ended.extend(record.iter().copied());
    }
    ended.extend(failed.lock().unwrap().iter().copied());
    assert_eq!(after.total_failed, failed.lock().unwrap().len());
    match report {
        Some(report) => {
            assert_eq!(report.stats, after, "the handle reads the report's stats");
            ended.extend(&report.consumed);
            ended.extend(&report.undelivered);
            match report.ending {
                Ending::Drained => assert!(report.undelivered.is_empty()),
                Ending::Stopped => assert_eq!(ending, 1),
                Ending::DeadlinePassed => assert_eq!(ending, 2),
                other => panic!("unexpected ending {other:?}"),
            }
            if ending == 0 {
                assert_eq!(report.ending, Ending::Drained);
            }
            assert_exactly_once(ended, taken, "pipeline round");
        }
        None => {
            // Dropped: the undelivered items were dropped with the system
            // (each in an `item_dropped` event); the counters account for
            // them as still in transit.
            assert_eq!(collectors, 0);
            assert_eq!(ended.len() + after.items_in_transit, taken.len());
            ended.sort_unstable();
            ended.dedup();
            assert_eq!(
                ended.len() + after.items_in_transit,
                taken.len(),
                "duplicates"
            );
        }
    }
    name
}

// --- The soak ----------------------------------------------------------------------

#[test]
fn soak() {
    let secs = env_u64("PRODCON_SOAK_SECS", 3);
    let limit = Duration::from_secs(env_u64("PRODCON_SOAK_ROUND_LIMIT_SECS", 120));
    let seed = env_u64(
        "PRODCON_SOAK_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    );
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let planned = info
            .payload()
            .downcast_ref::<String>()
            .is_some_and(|m| m.starts_with(SOAK_PANIC));
        if !planned {
            default_hook(info);
        }
    }));
    eprintln!("soak: {secs} s, seed {seed} (PRODCON_SOAK_SEED={seed} replays the rounds)");

    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let rounds = AtomicUsize::new(0);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    while started.elapsed() < Duration::from_secs(secs) {
        let round = rounds.fetch_add(1, Ordering::Relaxed);
        let pipeline = round % 2 == 1;
        let round_rng = Rng::new(rng.next());
        let (done, finished) = mpsc::channel();
        thread::spawn(move || {
            let result = panic::catch_unwind(|| {
                if pipeline {
                    pipeline_round(round_rng)
                } else {
                    buffer_round(round_rng)
                }
            });
            let _ = done.send(result);
        });
        match finished.recv_timeout(limit) {
            Ok(Ok(kind)) => *kinds.entry(kind).or_default() += 1,
            Ok(Err(panic)) => {
                eprintln!("soak: round {round} failed (seed {seed})");
                panic::resume_unwind(panic);
            }
            Err(_) => {
                panic!("soak: round {round} did not finish within {limit:?}: a hang (seed {seed})")
            }
        }
    }
    let rounds = rounds.load(Ordering::Relaxed);
    eprintln!(
        "soak: {rounds} rounds in {:.1?}, all passed: {kinds:?}",
        started.elapsed()
    );
    assert!(rounds > 0);
}
