//! The model scenarios, generic over the buffer under test and sized by
//! their arguments: the loom models (`loom-tests/`) run them at the sizes
//! an exhaustive or bounded search can cover, the shuttle tests at larger
//! ones, through one declaration each (`support/harness.rs`). Each one
//! panics (an assertion, or the checker's deadlock report) when the
//! property in its name does not hold in the interleaving being explored.
//! They spawn their threads through the model checker's `thread`, so they
//! run under loom or shuttle alike.
//!
//! A scenario does at its smallest size exactly the operations the loom
//! model explores, in the same order: an extra call on a thread that could
//! still race another (the model timer included) would be an extra
//! scheduling point, so the work done only at larger sizes (a close that
//! nobody needs, a final check of the length) is done only where it cannot
//! add one, or only at the sizes that need it.
//!
//! Bookkeeping that is only read by the scenario's own assertions uses
//! `std` atomics: the checkers run one model thread at a time, so those
//! values are exact for the interleaving being explored, and they add no
//! states to the search.

use super::queue::Queue;
use super::thread;
use prodcon::{GetTimeoutError, PutTimeoutError};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

/// Asserts that `delivered` holds every item of `expected` exactly once.
#[track_caller]
pub fn assert_exactly_once(mut delivered: Vec<u32>, expected: impl IntoIterator<Item = u32>) {
    delivered.sort_unstable();
    let mut expected: Vec<u32> = expected.into_iter().collect();
    expected.sort_unstable();
    assert_eq!(
        delivered, expected,
        "lost or duplicated items: delivered (sorted) vs expected"
    );
}

/// Item `i` of producer `p`.
fn item(p: usize, i: usize) -> u32 {
    (p * 1000 + i) as u32
}

/// Every item of `producers` producers × `per_producer`.
fn items(producers: usize, per_producer: usize) -> impl Iterator<Item = u32> {
    (0..producers).flat_map(move |p| (0..per_producer).map(move |i| item(p, i)))
}

/// Who does one side's work in a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The main thread, which also closes the buffer or takes the exact
    /// number of items (see each scenario).
    Main,
    /// That many spawned threads.
    Threads(usize),
}

use Side::{Main, Threads};

impl Side {
    /// The threads to spawn for this side.
    fn threads(self) -> usize {
        match self {
            Main => 0,
            Threads(n) => n,
        }
    }

    /// The workers this side counts as (the main thread is one).
    fn count(self) -> usize {
        match self {
            Main => 1,
            Threads(n) => n,
        }
    }
}

/// How many items a getting thread takes before it stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    /// Until the buffer is closed and empty.
    UntilClosed,
    /// At most this many (fewer only if the buffer is closed and empty
    /// first).
    AtMost(usize),
}

use Take::{AtMost, UntilClosed};

/// Spawns producer threads `0..n`, each putting its `per_producer` items
/// with `put`, which must succeed.
fn spawn_producers<Q: Queue<u32>>(
    buffer: &Q,
    n: usize,
    per_producer: usize,
) -> Vec<thread::JoinHandle<()>> {
    (0..n)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    assert!(
                        buffer.put(item(p, i)).is_ok(),
                        "put failed on an open buffer"
                    );
                }
            })
        })
        .collect()
}

/// Spawns `n` getter threads, each taking items with `get` as `take` says;
/// each returns what it got and whether it saw the end (closed and empty).
fn spawn_consumers<Q: Queue<u32>>(
    buffer: &Q,
    n: usize,
    take: Take,
) -> Vec<thread::JoinHandle<(Vec<u32>, bool)>> {
    (0..n)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let limit = match take {
                    UntilClosed => usize::MAX,
                    AtMost(n) => n,
                };
                let mut got = Vec::new();
                while got.len() < limit {
                    match buffer.get() {
                        Some(x) => got.push(x),
                        None => return (got, true),
                    }
                }
                (got, false)
            })
        })
        .collect()
}

/// Spawns `n` worker threads that get items as `take` says and mark each
/// done, counting the finished tasks in `finished`. `AtMost` counts are
/// taken from an open buffer: a `get` that fails is an error.
fn spawn_workers<Q: Queue<u32>>(
    buffer: &Q,
    n: usize,
    take: Take,
    finished: &Arc<AtomicUsize>,
) -> Vec<thread::JoinHandle<()>> {
    (0..n)
        .map(|_| {
            let buffer = buffer.clone();
            let finished = Arc::clone(finished);
            thread::spawn(move || {
                let task = || {
                    finished.fetch_add(1, SeqCst);
                    buffer.task_done().expect("one task_done per item");
                };
                match take {
                    UntilClosed => {
                        while buffer.get().is_some() {
                            task();
                        }
                    }
                    AtMost(n) => {
                        for _ in 0..n {
                            buffer.get().expect("open buffer");
                            task();
                        }
                    }
                }
            })
        })
        .collect()
}

/// How a scenario ends whose `consumers` are the main thread (it takes
/// exactly `total` items, and nobody closes) or threads that get until the
/// buffer is closed and empty: the main thread takes its items, joins the
/// producers, and with consumer threads closes the buffer and joins them
/// (`join_consumers`). Returns every item delivered.
fn deliver<Q: Queue<u32>>(
    buffer: &Q,
    consumers: Side,
    total: usize,
    producer_threads: Vec<thread::JoinHandle<()>>,
    join_consumers: impl FnOnce() -> Vec<u32>,
) -> Vec<u32> {
    let mut delivered: Vec<u32> = match consumers {
        Main => (0..total)
            .map(|_| buffer.get().expect("get failed on an open buffer"))
            .collect(),
        Threads(_) => Vec::new(),
    };
    for t in producer_threads {
        t.join().unwrap();
    }
    if consumers != Main {
        buffer.close();
    }
    delivered.extend(join_consumers());
    delivered
}

/// No lost or duplicated item, no deadlock on a full or an empty buffer.
/// `producers` put `per_producer` distinct items each (`Main`: the main
/// thread puts them, once the consumers are spawned, then closes);
/// `consumers` get until the buffer is closed and empty (`Main`: the main
/// thread takes exactly every item, and nobody closes). With consumer
/// threads the main thread joins the producers and closes. Every item is
/// delivered exactly once, and nothing is left behind.
pub fn exactly_once<Q: Queue<u32>>(
    producers: Side,
    consumers: Side,
    capacity: usize,
    per_producer: usize,
) {
    assert!(
        producers != Main || consumers != Main,
        "nobody else to wait for"
    );
    let total = producers.count() * per_producer;
    let buffer = Q::with_capacity(capacity);
    let producer_threads = spawn_producers(&buffer, producers.threads(), per_producer);
    let consumer_threads = spawn_consumers(&buffer, consumers.threads(), UntilClosed);
    if producers == Main {
        for i in 0..per_producer {
            assert!(
                buffer.put(item(0, i)).is_ok(),
                "put failed on an open buffer"
            );
        }
    }
    let delivered = deliver(&buffer, consumers, total, producer_threads, || {
        consumer_threads
            .into_iter()
            .flat_map(|t| t.join().unwrap().0)
            .collect()
    });
    // Every other thread has ended: this adds no interleaving.
    assert_eq!(buffer.len(), 0, "items left behind");
    assert_exactly_once(delivered, items(producers.count(), per_producer));
}

/// Two getters each take exactly one item from an open buffer of
/// `capacity` (no close to rescue a sleeper); the main thread puts two. A
/// getter that waits on the empty buffer must be woken by a put. From
/// capacity 2 the second put can land while the first getter has not yet
/// taken the first item: a buffer that wakes getters only on "empty → not
/// empty" must then have the woken getter pass the wakeup on, or the other
/// sleeps next to an item. With `spurious`, the model also wakes every
/// waiter once, spuriously, at some point: a getter must then wait again
/// rather than return.
pub fn consumers_wait_on_empty<Q: Queue<u32>>(capacity: usize, spurious: bool) {
    let buffer = Q::with_capacity(capacity);
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get().expect("get returned on an open, empty buffer"))
        })
        .collect();
    if spurious {
        Q::spurious_wakeup();
    }
    for i in 0..2 {
        assert!(buffer.put(item(0, i)).is_ok());
    }
    let delivered = consumers.into_iter().map(|t| t.join().unwrap()).collect();
    assert_exactly_once(delivered, (0..2).map(|i| item(0, i)));
}

/// Two putters each put one item into a full buffer of `capacity` (no
/// close to rescue a sleeper); the main thread, which filled it, then gets
/// every item one by one. From capacity 2 two gets can free two slots
/// while only the first of them made the buffer "not full": a buffer that
/// wakes putters only on that transition must have the woken putter pass
/// the wakeup on, or the other sleeps next to free room.
pub fn putters_wait_on_full<Q: Queue<u32>>(capacity: usize) {
    let buffer = Q::with_capacity(capacity);
    for i in 0..capacity {
        assert!(buffer.put(item(9, i)).is_ok());
    }
    let putters: Vec<_> = (0..2)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || assert!(buffer.put(item(p, 0)).is_ok()))
        })
        .collect();
    let delivered: Vec<u32> = (0..capacity + 2)
        .map(|_| buffer.get().expect("get returned on an open buffer"))
        .collect();
    for t in putters {
        t.join().unwrap();
    }
    let expected = (0..capacity)
        .map(|i| item(9, i))
        .chain((0..2).map(|p| item(p, 0)));
    assert_exactly_once(delivered, expected);
}

/// A full buffer (capacity 1) and two putters blocked on it; the main
/// thread closes it. Every putter wakes and gets its own item back; the
/// buffered item stays for the getters.
pub fn close_wakes_blocked_putters<Q: Queue<u32>>() {
    let buffer = Q::with_capacity(1);
    assert!(buffer.put(item(9, 0)).is_ok());
    let putters: Vec<_> = (0..2)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.put(item(p, 0)))
        })
        .collect();
    buffer.close();
    for (p, t) in putters.into_iter().enumerate() {
        assert_eq!(
            t.join().unwrap(),
            Err(item(p, 0)),
            "a putter on a full, closed buffer must get its own item back"
        );
    }
    assert_eq!(buffer.drain(), vec![item(9, 0)]);
}

/// Two getters blocked on an empty buffer; the main thread closes it. Both
/// wake and report the buffer finished.
pub fn close_wakes_blocked_getters<Q: Queue<u32>>() {
    let buffer = Q::with_capacity(1);
    let getters: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get())
        })
        .collect();
    buffer.close();
    for t in getters {
        assert_eq!(t.join().unwrap(), None);
    }
}

/// `close` racing blocked puts and gets. `producers` threads each put
/// `per_producer` items, keeping every item a put hands back; `consumers`
/// threads get as `take` says; the main thread puts `close_after` items of
/// its own, then closes the buffer while the others are still running (its
/// own puts hold the close back until traffic has flowed, so that it lands
/// among blocked putters and getters, not before them). Every waiter
/// wakes; every item is delivered, handed back to its putter, or left in
/// the buffer for a drain — exactly one of the three — and nothing is left
/// once a getter has seen the end; a putter refused once is refused for
/// good (what comes back is the tail of its items); and each consumer sees
/// each producer's items in the order they were put.
pub fn close_races_puts_and_gets<Q: Queue<u32>>(
    producers: usize,
    consumers: usize,
    take: Take,
    capacity: usize,
    per_producer: usize,
    close_after: usize,
) {
    assert!(consumers > 0);
    let buffer = Q::with_capacity(capacity);
    let producer_threads: Vec<_> = (0..producers)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut returned = Vec::new();
                for i in 0..per_producer {
                    if let Err(back) = buffer.put(item(p, i)) {
                        assert_eq!(back, item(p, i), "a put handed back another item");
                        returned.push(back);
                    }
                }
                returned
            })
        })
        .collect();
    let consumer_threads = spawn_consumers(&buffer, consumers, take);
    for i in 0..close_after {
        assert!(
            buffer.put(item(producers, i)).is_ok(),
            "put failed on an open buffer"
        );
    }
    buffer.close();
    let mut all = Vec::new();
    for (p, t) in producer_threads.into_iter().enumerate() {
        let returned = t.join().unwrap();
        let tail: Vec<u32> = (per_producer - returned.len()..per_producer)
            .map(|i| item(p, i))
            .collect();
        assert_eq!(returned, tail, "a put succeeded after a put was refused");
        all.extend(returned);
    }
    let mut seen_the_end = false;
    for t in consumer_threads {
        let (got, end) = t.join().unwrap();
        seen_the_end |= end;
        for p in 0..=producers {
            let from_p: Vec<u32> = got
                .iter()
                .copied()
                .filter(|&x| x / 1000 == p as u32)
                .collect();
            assert!(
                from_p.windows(2).all(|w| w[0] < w[1]),
                "a consumer got a producer's items out of order: {from_p:?}"
            );
        }
        all.extend(got);
    }
    let left = buffer.drain();
    if seen_the_end {
        assert!(
            left.is_empty(),
            "a getter saw the end while items were buffered"
        );
    }
    all.extend(left);
    assert_exactly_once(
        all,
        items(producers, per_producer).chain((0..close_after).map(|i| item(producers, i))),
    );
}

/// `join` never returns while a task is unfinished and never hangs once all
/// are. `producers` put `per_producer` items each (`Main`: the main thread
/// puts them); `workers` threads get items as `take` says and mark each
/// done; once the items are put, `joiners` threads and the main thread
/// `join`, racing the workers. Workers that take `UntilClosed` are ended by
/// a close after the joins. `task_done` beyond the put count fails.
pub fn join_waits_for_every_task<Q: Queue<u32>>(
    producers: Side,
    workers: usize,
    take: Take,
    joiners: usize,
    capacity: usize,
    per_producer: usize,
) {
    let total = producers.count() * per_producer;
    let buffer = Q::with_capacity(capacity);
    let finished = Arc::new(AtomicUsize::new(0));
    let worker_threads = spawn_workers(&buffer, workers, take, &finished);
    let producer_threads = spawn_producers(&buffer, producers.threads(), per_producer);
    if producers == Main {
        for i in 0..per_producer {
            assert!(
                buffer.put(item(0, i)).is_ok(),
                "put failed on an open buffer"
            );
        }
    }
    for t in producer_threads {
        t.join().unwrap();
    }
    // Spawned after the puts: `join` waits for the items put so far.
    let joiner_threads: Vec<_> = (0..joiners)
        .map(|_| {
            let buffer = buffer.clone();
            let finished = Arc::clone(&finished);
            thread::spawn(move || {
                buffer.join();
                assert_eq!(finished.load(SeqCst), total, "join returned early");
            })
        })
        .collect();
    buffer.join();
    assert_eq!(finished.load(SeqCst), total, "join returned early");
    for t in joiner_threads {
        t.join().unwrap();
    }
    if take == UntilClosed {
        buffer.close();
    }
    for t in worker_threads {
        t.join().unwrap();
    }
    assert!(
        buffer.task_done().is_err(),
        "task_done beyond the put count"
    );
}

// ---------------------------------------------------------------------------
// Time: scenarios that run the model timer, so that a timed wait can time
// out at any point the checker chooses. The timer is a model thread until
// `stop`: every call before that can race it.
// ---------------------------------------------------------------------------

const TIMEOUT: Duration = Duration::from_millis(100);

/// `get_timeout` racing puts and the timer. `timed` getters each call
/// `get_timeout` once and `untimed` getters each `get` once, all on an
/// empty buffer of capacity `timed` (at least 1); the main thread puts
/// `items` items while the model timer fires up to `firings` times. Once
/// the timed getters are done, the main thread closes the buffer only if
/// fewer items are left than untimed getters: otherwise no close rescues a
/// sleeper, and every untimed getter must be woken for an item (a timed
/// getter that gives up never takes the notification meant for another).
/// Every item is taken exactly once or left in the buffer, and nothing is
/// left after a close.
pub fn get_timeout_races_puts<Q: Queue<u32>>(
    timed: usize,
    untimed: usize,
    items: usize,
    firings: usize,
) {
    let timer = Q::start_timer(firings);
    let buffer = Q::with_capacity(timed.max(1));
    let timed_threads: Vec<_> = (0..timed)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get_timeout(TIMEOUT))
        })
        .collect();
    let untimed_threads: Vec<_> = (0..untimed)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.get())
        })
        .collect();
    for i in 0..items {
        assert!(
            buffer.put(item(0, i)).is_ok(),
            "put failed on an open buffer"
        );
    }
    let mut all = Vec::new();
    for t in timed_threads {
        match t.join().unwrap() {
            Ok(x) => all.push(x),
            Err(GetTimeoutError::Timeout) => {}
            Err(GetTimeoutError::Closed) => panic!("closed, but nobody closed it"),
        }
    }
    let closed = items - all.len() < untimed;
    if closed {
        buffer.close();
    }
    for t in untimed_threads {
        match t.join().unwrap() {
            Some(x) => all.push(x),
            None => assert!(closed, "get returned on an open buffer"),
        }
    }
    if buffer.len() != 0 {
        assert!(!closed, "an item left behind after the close");
        all.extend(buffer.drain());
    }
    assert_exactly_once(all, (0..items).map(|i| item(0, i)));
    timer.stop();
}

/// `put_timeout` racing gets and the timer. A buffer of capacity
/// `capacity` starts full; `timed` putters each call `put_timeout` once
/// and `untimed` putters each `put` once, while the model timer fires up to
/// `firings` times (at least `timed`, so that every timed putter can time
/// out). The main thread takes `untimed` items, then — once the timed
/// putters are done — one more for each timed put that succeeded: exactly
/// the room the putters need. No close rescues a sleeper: every untimed put
/// must complete (room made by a get is never wasted while a putter
/// sleeps). The buffer is then full again: the main thread takes its
/// `capacity` items and finds it empty. Each item ends exactly once: taken
/// or handed back as `Timeout(item)`.
pub fn put_timeout_races_gets<Q: Queue<u32>>(
    timed: usize,
    untimed: usize,
    capacity: usize,
    firings: usize,
) {
    assert!(firings >= timed);
    let timer = Q::start_timer(firings);
    let buffer = Q::with_capacity(capacity);
    for i in 0..capacity {
        assert!(buffer.put(item(9, i)).is_ok());
    }
    let timed_threads: Vec<_> = (0..timed)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.put_timeout(item(1, p), TIMEOUT))
        })
        .collect();
    let untimed_threads: Vec<_> = (0..untimed)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.put(item(2, p)))
        })
        .collect();
    let mut all: Vec<u32> = (0..untimed)
        .map(|_| buffer.get().expect("open buffer"))
        .collect();
    let mut accepted = 0;
    for t in timed_threads {
        match t.join().unwrap() {
            Ok(()) => accepted += 1,
            Err(PutTimeoutError::Timeout(back)) => all.push(back),
            Err(PutTimeoutError::Closed(_)) => panic!("closed, but nobody closed it"),
        }
    }
    all.extend((0..accepted).map(|_| buffer.get().expect("open buffer")));
    for t in untimed_threads {
        if let Err(back) = t.join().unwrap() {
            panic!("put failed on an open buffer: {back}");
        }
    }
    // Full again: fewer items would leave a get below waiting forever.
    all.extend((0..capacity).map(|_| buffer.get().expect("open buffer")));
    assert_eq!(buffer.len(), 0, "more items than the capacity");
    assert_exactly_once(
        all,
        (0..capacity)
            .map(|i| item(9, i))
            .chain((0..timed).map(|p| item(1, p)))
            .chain((0..untimed).map(|p| item(2, p))),
    );
    timer.stop();
}

/// A getter waits with a timeout while the main thread puts an item and
/// the model timer may fire at any moment. The item is either
/// returned by `get_timeout` or still in the buffer: never dropped.
pub fn get_timeout_keeps_the_item<Q: Queue<u32>>() {
    let timer = Q::start_timer(1);
    let buffer = Q::with_capacity(1);
    let getter = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get_timeout(TIMEOUT).ok())
    };
    assert!(buffer.put(item(0, 0)).is_ok());
    let mut all: Vec<u32> = getter.join().unwrap().into_iter().collect();
    all.extend(buffer.drain());
    assert_exactly_once(all, [item(0, 0)]);
    timer.stop();
}

/// A `get_timeout` and a `put_timeout` wait (on an empty and on a full
/// buffer of their own) with a timeout; the main thread closes both
/// buffers, and no timer runs: the clock stands still. Both waiters must wake at once with
/// `Closed`: a close must not leave timed waiters to their deadline.
pub fn close_wakes_timed_waiters<Q: Queue<u32>>() {
    let empty = Q::with_capacity(1);
    let full = Q::with_capacity(1);
    assert!(full.put(item(9, 0)).is_ok());
    let getter = {
        let empty = empty.clone();
        thread::spawn(move || empty.get_timeout(TIMEOUT))
    };
    let putter = {
        let full = full.clone();
        thread::spawn(move || full.put_timeout(item(1, 0), TIMEOUT))
    };
    empty.close();
    full.close();
    assert_eq!(getter.join().unwrap(), Err(GetTimeoutError::Closed));
    assert_eq!(
        putter.join().unwrap(),
        Err(PutTimeoutError::Closed(item(1, 0)))
    );
}

/// `join_timeout` racing `task_done` and the timer. The main thread puts
/// `items` items (capacity `items`, at least 1); `workers` threads get and
/// finish them as `take` says, while `joiners` threads call `join_timeout`
/// and the model timer fires up to `firings` times. `true` means every task
/// was finished when it returned; `false` is allowed only because the
/// deadline passed. Afterwards `join` returns; workers that take
/// `UntilClosed` are ended by a close after it.
pub fn join_timeout_races_task_done<Q: Queue<u32>>(
    workers: usize,
    take: Take,
    joiners: usize,
    items: usize,
    firings: usize,
) {
    let timer = Q::start_timer(firings);
    let buffer = Q::with_capacity(items.max(1));
    for i in 0..items {
        assert!(buffer.put(item(0, i)).is_ok());
    }
    let finished = Arc::new(AtomicUsize::new(0));
    let mut worker_threads = spawn_workers(&buffer, workers, take, &finished);
    let joiner_threads: Vec<_> = (0..joiners)
        .map(|_| {
            let buffer = buffer.clone();
            let finished = Arc::clone(&finished);
            thread::spawn(move || {
                if buffer.join_timeout(TIMEOUT) {
                    assert_eq!(
                        finished.load(SeqCst),
                        items,
                        "join_timeout returned true early"
                    );
                }
            })
        })
        .collect();
    for t in joiner_threads {
        t.join().unwrap();
    }
    // Workers with a fixed count end on their own: joined before `join`.
    if take != UntilClosed {
        for t in worker_threads.drain(..) {
            t.join().unwrap();
        }
    }
    // Whatever the joiners saw, the tasks are finished now and join agrees.
    buffer.join();
    assert_eq!(finished.load(SeqCst), items, "join returned early");
    if take == UntilClosed {
        buffer.close();
    }
    for t in worker_threads {
        t.join().unwrap();
    }
    timer.stop();
}

/// The seed's timed-retry loops: `producers` threads put `per_producer`
/// items each with `put_timeout`, retrying on `Timeout`, into a buffer of
/// `capacity`, while the model timer fires up to `firings` times at moments
/// the checker chooses (so retries happen at every point). `consumers`:
/// `Main`, the main thread takes exactly every item with `get`; or that
/// many threads take with `get_timeout`, retrying on `Timeout`, until the
/// buffer is closed and empty, the main thread closing once the producers
/// are done. No item is lost or duplicated by a retry.
pub fn timed_retry<Q: Queue<u32>>(
    producers: usize,
    consumers: Side,
    capacity: usize,
    per_producer: usize,
    firings: usize,
) {
    let timer = Q::start_timer(firings);
    let buffer = Q::with_capacity(capacity);
    let producer_threads: Vec<_> = (0..producers)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    let mut next = item(p, i);
                    loop {
                        match buffer.put_timeout(next, TIMEOUT) {
                            Ok(()) => break,
                            Err(PutTimeoutError::Timeout(back)) => next = back,
                            Err(PutTimeoutError::Closed(_)) => {
                                panic!("closed, but nobody closed it")
                            }
                        }
                    }
                }
            })
        })
        .collect();
    let consumer_threads: Vec<_> = (0..consumers.threads())
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut got = Vec::new();
                loop {
                    match buffer.get_timeout(TIMEOUT) {
                        Ok(x) => got.push(x),
                        Err(GetTimeoutError::Timeout) => {}
                        Err(GetTimeoutError::Closed) => return got,
                    }
                }
            })
        })
        .collect();
    let total = producers * per_producer;
    let delivered = deliver(&buffer, consumers, total, producer_threads, || {
        consumer_threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    if consumers != Main {
        // With the timer still running, checked only at the sizes that
        // need a close (see the module documentation).
        assert_eq!(buffer.len(), 0, "items left behind");
    }
    assert_exactly_once(delivered, items(producers, per_producer));
    timer.stop();
}

/// Spurious wakeups on every side, and no timer (the clock stands still):
/// `producers` threads put `per_producer` items each, alternating `put` and
/// `put_timeout`; `consumers` threads each take an equal share, alternating
/// `get` and `get_timeout`, and mark each item done; a waker thread wakes
/// every waiter spuriously `wakeups` times; once the producers are done the
/// main thread calls `join_timeout` and a joiner thread `join`. With
/// nobody closing and the clock standing still, no operation may fail: a
/// spurious wakeup is neither an item, nor room, nor a timeout, nor the end
/// of the tasks. Every item arrives exactly once.
pub fn spurious_wakeups_everywhere<Q: Queue<u32>>(
    producers: usize,
    consumers: usize,
    capacity: usize,
    per_producer: usize,
    wakeups: usize,
) {
    let total = producers * per_producer;
    assert!(consumers > 0 && total % consumers == 0);
    let share = total / consumers;
    let buffer = Q::with_capacity(capacity);
    let finished = Arc::new(AtomicUsize::new(0));
    let waker = thread::spawn(move || {
        for _ in 0..wakeups {
            Q::spurious_wakeup();
            thread::yield_now();
        }
    });
    let consumer_threads: Vec<_> = (0..consumers)
        .map(|_| {
            let buffer = buffer.clone();
            let finished = Arc::clone(&finished);
            thread::spawn(move || {
                let got: Vec<u32> = (0..share)
                    .map(|n| {
                        let x = if n % 2 == 0 {
                            buffer.get().expect("get returned on an open, empty buffer")
                        } else {
                            buffer
                                .get_timeout(TIMEOUT)
                                .expect("get_timeout returned on an open, empty buffer, the clock standing still")
                        };
                        finished.fetch_add(1, SeqCst);
                        buffer.task_done().expect("one task_done per item");
                        x
                    })
                    .collect();
                got
            })
        })
        .collect();
    let producer_threads: Vec<_> = (0..producers)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                for i in 0..per_producer {
                    if i % 2 == 0 {
                        assert!(
                            buffer.put(item(p, i)).is_ok(),
                            "put failed on an open buffer"
                        );
                    } else {
                        assert!(
                            buffer.put_timeout(item(p, i), TIMEOUT).is_ok(),
                            "put_timeout failed with the clock standing still"
                        );
                    }
                }
            })
        })
        .collect();
    for t in producer_threads {
        t.join().unwrap();
    }
    let joiner = {
        let buffer = buffer.clone();
        let finished = Arc::clone(&finished);
        thread::spawn(move || {
            buffer.join();
            assert_eq!(finished.load(SeqCst), total, "join returned early");
        })
    };
    assert!(
        buffer.join_timeout(TIMEOUT),
        "join_timeout timed out with the clock standing still"
    );
    assert_eq!(finished.load(SeqCst), total, "join_timeout returned early");
    joiner.join().unwrap();
    let mut delivered = Vec::new();
    for t in consumer_threads {
        delivered.extend(t.join().unwrap());
    }
    waker.join().unwrap();
    assert_exactly_once(delivered, items(producers, per_producer));
}

// ---------------------------------------------------------------------------
// Batch operations: `put_many`, `get_many`. These scenarios use
// `SharedBuffer<u32>` itself rather than the `Queue` trait: the known-buggy
// buffers have no batch calls, and the models here check the real code.
// ---------------------------------------------------------------------------

use prodcon::SharedBuffer;

/// Every batch a `get_many(max)` returns holds between 1 and `max` items.
#[track_caller]
fn assert_batch_size(batch: &[u32], max: usize) {
    assert!(
        !batch.is_empty() && batch.len() <= max,
        "get_many({max}) returned {} items on an open or non-empty buffer",
        batch.len()
    );
}

/// `producers` threads each put `per_producer` items with one `put_many`
/// into a buffer of `capacity` (each waits for room whenever its batch is
/// larger than the room left), `consumers` threads take with
/// `get_many(max)` until closed and empty, the main thread joins the
/// producers and closes. Every item is delivered exactly once, in batches
/// of 1..=max, each consumer sees each producer's items in order (with one
/// producer and one consumer: FIFO), and every item is still an
/// unfinished task.
pub fn batch_exactly_once(
    producers: usize,
    consumers: usize,
    capacity: usize,
    per_producer: usize,
    max: usize,
) {
    let buffer = SharedBuffer::<u32>::new(capacity);
    let producer_threads: Vec<_> = (0..producers)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                assert!(
                    buffer
                        .put_many((0..per_producer).map(|i| item(p, i)))
                        .is_ok(),
                    "put_many failed on an open buffer"
                );
            })
        })
        .collect();
    let consumer_threads: Vec<_> = (0..consumers)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let mut got = Vec::new();
                while let Ok(batch) = buffer.get_many(max) {
                    assert_batch_size(&batch, max);
                    got.extend(batch);
                }
                got
            })
        })
        .collect();
    for t in producer_threads {
        t.join().unwrap();
    }
    buffer.close();
    let mut delivered = Vec::new();
    for t in consumer_threads {
        let got = t.join().unwrap();
        for p in 0..producers {
            let from_p: Vec<u32> = got
                .iter()
                .copied()
                .filter(|&x| x as usize / 1000 == p)
                .collect();
            assert!(
                from_p.windows(2).all(|w| w[0] < w[1]),
                "a consumer got producer {p}'s items out of order: {from_p:?}"
            );
        }
        delivered.extend(got);
    }
    // Every other thread has ended: this adds no interleaving.
    assert_eq!(buffer.len(), 0, "items left behind");
    assert_eq!(buffer.unfinished_tasks(), producers * per_producer);
    assert_exactly_once(delivered, items(producers, per_producer));
}

/// Two consumer threads each call `get_many(1)` once on an empty buffer of
/// capacity 2 (no close to rescue a sleeper); the main thread puts two
/// items with one `put_many`. One `put_many` of two items must wake both
/// waiting getters, not one. With `spurious`, every waiter is also woken
/// spuriously once, at some point: `get_many` must then wait again rather
/// than return an empty batch.
pub fn put_many_wakes_every_getter_it_fills(spurious: bool) {
    let buffer = SharedBuffer::<u32>::new(2);
    let getters: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            thread::spawn(move || {
                let batch = buffer
                    .get_many(1)
                    .expect("get_many failed on an open buffer");
                assert_batch_size(&batch, 1);
                batch[0]
            })
        })
        .collect();
    if spurious {
        prodcon::model::spurious_wakeup();
    }
    assert!(buffer.put_many([item(0, 0), item(0, 1)]).is_ok());
    let delivered = getters.into_iter().map(|t| t.join().unwrap()).collect();
    assert_exactly_once(delivered, [item(0, 0), item(0, 1)]);
}

/// A full buffer (capacity 2) and two putter threads blocked on it, each
/// putting one item; the main thread takes both buffered items with one
/// `get_many(2)` and then only joins the putters. That one `get_many`,
/// which frees two slots, must wake both putters: nothing else will (no
/// further get, no close).
pub fn get_many_wakes_every_putter_it_makes_room_for() {
    let buffer = SharedBuffer::<u32>::new(2);
    assert!(buffer.put_many([item(9, 0), item(9, 1)]).is_ok());
    let putters: Vec<_> = (0..2)
        .map(|p| {
            let buffer = buffer.clone();
            thread::spawn(move || buffer.put(item(p, 0)))
        })
        .collect();
    let mut delivered = buffer.get_many(2).expect("open buffer");
    assert_eq!(
        delivered,
        [item(9, 0), item(9, 1)],
        "one get_many, both items"
    );
    for t in putters {
        assert_eq!(t.join().unwrap(), Ok(()));
    }
    delivered.extend(buffer.drain());
    assert_exactly_once(delivered, [item(9, 0), item(9, 1), item(0, 0), item(1, 0)]);
}

/// Capacity 1. A producer thread puts three items with one `put_many` (it
/// waits for room after the first), a consumer thread calls `get_many(2)`
/// once, and the main thread closes the buffer at any moment. Every waiter
/// wakes; the items handed back in the `PutManyError` are the tail of the
/// batch, in order; and each item is delivered, handed back, or left in the
/// buffer for a drain — exactly one of the three.
pub fn close_races_put_many() {
    let buffer = SharedBuffer::<u32>::new(1);
    let batch: Vec<u32> = (0..3).map(|i| item(0, i)).collect();
    let producer = {
        let buffer = buffer.clone();
        let batch = batch.clone();
        thread::spawn(move || match buffer.put_many(batch) {
            Ok(()) => Vec::new(),
            Err(refused) => refused.into_inner(),
        })
    };
    let consumer = {
        let buffer = buffer.clone();
        thread::spawn(move || buffer.get_many(2).ok())
    };
    buffer.close();
    let returned = producer.join().unwrap();
    assert!(
        batch.ends_with(&returned),
        "put_many handed back {returned:?}, not a tail of {batch:?}"
    );
    let delivered = consumer.join().unwrap();
    let left = buffer.drain();
    match &delivered {
        Some(got) => assert_batch_size(got, 2),
        None => assert!(
            left.is_empty(),
            "a getter gave up while items were buffered"
        ),
    }
    let mut all = returned;
    all.extend(delivered.into_iter().flatten());
    all.extend(left);
    assert_exactly_once(all, batch);
}

/// Task accounting of the batch calls: the main thread puts two items with
/// one `put_many` and then `join`s; a worker thread takes with `get_many`
/// until it has both and marks each done. Every item of a `put_many` is one
/// task: `join` returns only after both `task_done`s, and never hangs.
pub fn join_waits_for_put_many_tasks() {
    let buffer = SharedBuffer::<u32>::new(2);
    let finished = Arc::new(AtomicUsize::new(0));
    let worker = {
        let buffer = buffer.clone();
        let finished = Arc::clone(&finished);
        thread::spawn(move || {
            let mut taken = 0;
            while taken < 2 {
                let batch = buffer.get_many(2).expect("open buffer");
                for _ in &batch {
                    finished.fetch_add(1, SeqCst);
                    buffer.task_done().expect("one task per item put");
                }
                taken += batch.len();
            }
        })
    };
    assert!(buffer.put_many([item(0, 0), item(0, 1)]).is_ok());
    buffer.join();
    assert_eq!(finished.load(SeqCst), 2, "join returned early");
    worker.join().unwrap();
    assert!(buffer.task_done().is_err(), "more tasks than items put");
}

/// A `put_many` that leaves room must pass the putters' wakeup on. A full
/// buffer of capacity 6; a `put_many` of 3 items and a `put` of 1 wait on
/// it; the main thread then gets all 10 items one by one (no close). When
/// the batch lands in a buffer that already holds 2, 1 slot is left over
/// for the waiting `put`, and only the batch's putter can wake it: the
/// gets that made the room did not start from "full".
pub fn put_many_passes_the_wakeup_on() {
    let capacity = 6;
    let buffer = SharedBuffer::<u32>::new(capacity);
    assert!(buffer.put_many((0..capacity).map(|i| item(9, i))).is_ok());
    let batch = {
        let buffer = buffer.clone();
        thread::spawn(move || assert!(buffer.put_many((0..3).map(|i| item(0, i))).is_ok()))
    };
    let single = {
        let buffer = buffer.clone();
        thread::spawn(move || assert!(buffer.put(item(1, 0)).is_ok()))
    };
    let delivered: Vec<u32> = (0..capacity + 4)
        .map(|_| buffer.get().expect("get failed on an open buffer"))
        .collect();
    batch.join().unwrap();
    single.join().unwrap();
    let expected = (0..capacity)
        .map(|i| item(9, i))
        .chain((0..3).map(|i| item(0, i)))
        .chain([item(1, 0)]);
    assert_exactly_once(delivered, expected);
}
