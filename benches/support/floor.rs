//! `--floor`: what a one-producer, one-consumer hand-off costs on this
//! machine with 0, 1 or 2 locked instructions per item and side, next to
//! crossbeam-channel and prodcon (BENCHMARKS.md, "Why the target cells
//! miss").
//!
//! Each ring is the same bounded single-producer single-consumer queue: a
//! ring of `AtomicU64` slots, a `tail` the producer alone writes and a
//! `head` the consumer alone writes, each on a cache line of its own, each
//! side rereading the other's counter only when its last view shows the
//! ring full (or empty), and waiting with a crossbeam-style backoff (spin
//! `2^step` hints for 6 steps, then yield), never parking. What differs is
//! a per-side lock that nobody else ever takes, around the slot's write
//! (or read) and the counter's store:
//!
//! * `ring_locked0`: no lock. Plain loads and stores only: the floor of a
//!   safe-Rust ring on this processor.
//! * `ring_locked1`: taken with a `compare_exchange` (one `lock cmpxchg`),
//!   released with a plain store, as crossbeam-channel's array flavor pays
//!   one compare-and-swap and one plain store of a stamp per message.
//! * `ring_locked2`: released with a `swap` (`xchg`, locked on x86), as
//!   `std::sync::Mutex` releases: the two locked instructions a prodcon
//!   `put` or `get` pays for its lane's lock.
//!
//! Nothing is contended: the locks' lines never leave their side's core.
//! So the differences between the rings are the cost of the locked
//! instructions themselves, which wait for every earlier store, including
//! the slot and counter stores whose lines the other core reads.
//!
//! The stamped rings (`ring_stamped0`-`2`) are the same three locks around
//! crossbeam's slot layout instead of counters: each slot holds a stamp
//! beside its value (16 bytes, four slots to a cache line), a side waits
//! on the stamp of its next slot, and neither side ever reads the other's
//! position. So a put writes one line the consumer reads (the slot's),
//! where the counter rings write two (the slot's and `tail`'s); set
//! against `ring_locked1`, `ring_stamped1` says how much of the gap between
//! one locked instruction and crossbeam's one compare-and-swap is that
//! second line.

use std::hint::{black_box, spin_loop};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use super::{Shape, run_timed};

/// A value on a cache line (a pair of lines) of its own.
#[repr(align(128))]
struct Line<T>(T);

struct Ring {
    slots: Box<[AtomicU64]>,
    capacity: usize,
    tail: Line<AtomicUsize>,
    head: Line<AtomicUsize>,
    put_lock: Line<AtomicBool>,
    get_lock: Line<AtomicBool>,
}

/// crossbeam's `Backoff::snooze`, in short: spin `2^step` hints for six
/// steps, then yield the thread each time.
fn snooze(step: &mut u32) {
    if *step < 6 {
        for _ in 0..1u32 << *step {
            spin_loop();
        }
        *step += 1;
    } else {
        thread::yield_now();
    }
}

/// Takes a side's lock (`locked` ≥ 1): a `compare_exchange` that always
/// succeeds, since only this side takes it.
fn lock(lock: &AtomicBool, locked: u32) {
    if locked >= 1 {
        while lock
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spin_loop();
        }
    }
}

/// Releases a side's lock: a plain store (`locked == 1`) or a `swap`
/// (`locked == 2`, `xchg` on x86).
fn unlock(lock: &AtomicBool, locked: u32) {
    match locked {
        0 => {}
        1 => lock.store(false, Ordering::Release),
        _ => {
            black_box(lock.swap(false, Ordering::Release));
        }
    }
}

/// The two sides of a single-producer single-consumer ring.
trait Spsc: Sync {
    fn new(capacity: usize) -> Self;
    fn produce(&self, values: std::ops::Range<u64>, locked: u32);
    fn consume(&self, messages: u64, locked: u32) -> u64;
}

impl Spsc for Ring {
    fn new(capacity: usize) -> Self {
        Ring {
            slots: (0..capacity).map(|_| AtomicU64::new(0)).collect(),
            capacity,
            tail: Line(AtomicUsize::new(0)),
            head: Line(AtomicUsize::new(0)),
            put_lock: Line(AtomicBool::new(false)),
            get_lock: Line(AtomicBool::new(false)),
        }
    }

    fn produce(&self, values: std::ops::Range<u64>, locked: u32) {
        let (mut tail, mut head_seen) = (0usize, 0usize);
        for value in values {
            let mut step = 0;
            while tail - head_seen == self.capacity {
                head_seen = self.head.0.load(Ordering::Acquire);
                if tail - head_seen == self.capacity {
                    snooze(&mut step);
                }
            }
            lock(&self.put_lock.0, locked);
            self.slots[tail % self.capacity].store(value, Ordering::Relaxed);
            tail += 1;
            self.tail.0.store(tail, Ordering::Release);
            unlock(&self.put_lock.0, locked);
        }
    }

    fn consume(&self, messages: u64, locked: u32) -> u64 {
        let (mut head, mut tail_seen) = (0usize, 0usize);
        let mut sum = 0u64;
        for _ in 0..messages {
            let mut step = 0;
            while head == tail_seen {
                tail_seen = self.tail.0.load(Ordering::Acquire);
                if head == tail_seen {
                    snooze(&mut step);
                }
            }
            lock(&self.get_lock.0, locked);
            let value = self.slots[head % self.capacity].load(Ordering::Relaxed);
            head += 1;
            self.head.0.store(head, Ordering::Release);
            unlock(&self.get_lock.0, locked);
            sum = sum.wrapping_add(value);
        }
        black_box(sum)
    }
}

/// A slot of the stamped rings, as crossbeam lays its slots out: the stamp
/// says whose turn the slot is (`2 * position` for the producer at that
/// position, `2 * position + 1` for the consumer; doubled so that at
/// capacity 1 "full" and "free for the next lap" differ, as crossbeam's lap
/// bit does), the value sits beside it.
struct Slot {
    stamp: AtomicUsize,
    value: AtomicU64,
}

struct StampedRing {
    slots: Box<[Slot]>,
    capacity: usize,
    put_lock: Line<AtomicBool>,
    get_lock: Line<AtomicBool>,
}

impl Spsc for StampedRing {
    fn new(capacity: usize) -> Self {
        StampedRing {
            slots: (0..capacity)
                .map(|i| Slot {
                    stamp: AtomicUsize::new(2 * i),
                    value: AtomicU64::new(0),
                })
                .collect(),
            capacity,
            put_lock: Line(AtomicBool::new(false)),
            get_lock: Line(AtomicBool::new(false)),
        }
    }

    fn produce(&self, values: std::ops::Range<u64>, locked: u32) {
        for (tail, value) in values.enumerate() {
            let slot = &self.slots[tail % self.capacity];
            let mut step = 0;
            // Free for this lap once the consumer of the last lap stamped
            // it `2 * tail` (the initial stamps are the first lap's).
            while slot.stamp.load(Ordering::Acquire) != 2 * tail {
                snooze(&mut step);
            }
            lock(&self.put_lock.0, locked);
            slot.value.store(value, Ordering::Relaxed);
            slot.stamp.store(2 * tail + 1, Ordering::Release);
            unlock(&self.put_lock.0, locked);
        }
    }

    fn consume(&self, messages: u64, locked: u32) -> u64 {
        let mut sum = 0u64;
        for head in 0..messages as usize {
            let slot = &self.slots[head % self.capacity];
            let mut step = 0;
            while slot.stamp.load(Ordering::Acquire) != 2 * head + 1 {
                snooze(&mut step);
            }
            lock(&self.get_lock.0, locked);
            let value = slot.value.load(Ordering::Relaxed);
            slot.stamp
                .store(2 * (head + self.capacity), Ordering::Release);
            unlock(&self.get_lock.0, locked);
            sum = sum.wrapping_add(value);
        }
        black_box(sum)
    }
}

/// One run of ring `R` with `locked` locked instructions per item and side
/// (1:1 only).
fn run<R: Spsc>(shape: Shape, locked: u32) -> Duration {
    assert_eq!(
        (shape.producers, shape.consumers),
        (1, 1),
        "the rings are single-producer single-consumer"
    );
    let ring = R::new(shape.capacity);
    let ring = &ring;
    let range = shape.producer_ranges().next().expect("one producer");
    run_timed(
        shape,
        vec![move || ring.produce(range, locked)],
        vec![move || ring.consume(shape.messages, locked)],
    )
}

pub(crate) fn ring_locked0(shape: Shape) -> Duration {
    run::<Ring>(shape, 0)
}

pub(crate) fn ring_locked1(shape: Shape) -> Duration {
    run::<Ring>(shape, 1)
}

pub(crate) fn ring_locked2(shape: Shape) -> Duration {
    run::<Ring>(shape, 2)
}

pub(crate) fn ring_stamped0(shape: Shape) -> Duration {
    run::<StampedRing>(shape, 0)
}

pub(crate) fn ring_stamped1(shape: Shape) -> Duration {
    run::<StampedRing>(shape, 1)
}

pub(crate) fn ring_stamped2(shape: Shape) -> Duration {
    run::<StampedRing>(shape, 2)
}
