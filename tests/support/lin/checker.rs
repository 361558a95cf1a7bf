//! Decides whether a recorded history is linearizable with respect to the
//! sequential specification (`tests/support/spec.rs`), and if it is not,
//! shrinks it to a minimal failing sub-history and prints that.
//!
//! The search is Wing & Gong's: repeatedly pick a call that may take effect
//! next — one invoked before every not-yet-linearized call's response — and
//! apply it to the specification; backtrack when its result disagrees.
//! Lowe's memoization ("Testing for linearizability", 2017) prunes it: a
//! configuration (which calls are linearized, how far each `put_many` got,
//! the specification's state) that was explored once is never explored
//! again.
//!
//! Beyond the textbook algorithm, for this buffer:
//! * A call that never returned (pending) may be linearized, with any
//!   result, or left out.
//! * Blocking calls have dual semantics: a `get` / `put` / `get_many` /
//!   `put_many` takes effect only at a point where the specification lets
//!   it proceed. A timed call that gave up (`Timeout`) is explained by a
//!   point in its interval where the specification blocked it.
//! * `put_many` is not atomic: it takes effect in several steps, all
//!   within its interval.
//! * Batch sizes: by default a `get_many` takes, and a `put_many` step
//!   puts, at least one item and at most as many as it could
//!   ([`Batching::AtLeastOne`]); [`check_with`] takes the strict, greedy
//!   semantics a single thread sees ([`Batching::Greedy`]), which the
//!   two-lock buffer does not give under concurrency.
//!
//! Shrinking ([`shrink`]): calls are released (made pending), a group of
//! calls that share an item at a time, while the history still fails, then
//! dropped: a small non-linearizable sub-history.
//!
//! Why not a crate: `lincheck` 0.2 (no memoization, one atomic step per
//! call, no pending or blocking calls, built on loom 0.6), `todc-utils`
//! 0.1 (WGL with memoization, but a specification without parameters —
//! no capacity —, no pending calls, no multi-step calls, and a bare `bool`
//! answer) and stateright's linearizability tester (part of a whole model
//! checker and its dependency tree, deterministic one-step `invoke`) each
//! miss the dual semantics, the non-atomic `put_many`, or a minimal
//! report; this is about 200 lines.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::recorder::{Event, History};
use super::spec::{Batching, Op, Ret, Spec, Step};

/// Progress of a call that is fully linearized.
const DONE: u32 = u32::MAX;

/// How large a search may grow (memoized configurations) before the
/// checker gives up: the runs keep histories small enough never to hit it.
const MAX_CONFIGURATIONS: usize = 5_000_000;

/// A history that no order of its calls explains.
#[derive(Debug, Clone)]
pub struct Violation {
    pub capacity: usize,
    /// The calls of the recorded history.
    pub recorded: usize,
    /// A shrunk non-linearizable sub-history ([`shrink`]), sorted by
    /// invocation.
    pub minimal: History,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "not linearizable (capacity {}): no order of these {} of the {} recorded calls \
             is explained by the sequential specification",
            self.capacity,
            self.minimal.len(),
            self.recorded
        )?;
        write!(f, "{}", Pretty(&self.minimal))
    }
}

/// A history, one call a line: thread, interval, call and result.
pub struct Pretty<'h>(pub &'h [Event]);

impl fmt::Display for Pretty<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut events: Vec<&Event> = self.0.iter().collect();
        events.sort_by_key(|e| e.call);
        for e in events {
            let end = e
                .ret_at
                .map_or_else(|| "...".to_string(), |t| t.to_string());
            let ret = e
                .ret
                .as_ref()
                .map_or_else(|| "(pending)".to_string(), |r| r.to_string());
            writeln!(
                f,
                "  thread {:<2} [{:>4} ..{:>4}]  {} -> {}",
                e.thread, e.call, end, e.op, ret
            )?;
        }
        Ok(())
    }
}

/// Statistics of one search, for the record.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub configurations: usize,
}

/// Whether `history` is linearizable on a buffer of `capacity`; with the
/// search's size.
pub fn is_linearizable(capacity: usize, history: &[Event]) -> (bool, Stats) {
    is_linearizable_with(Batching::AtLeastOne, capacity, history)
}

/// [`is_linearizable`] with a chosen batch semantics ([`Batching`]).
pub fn is_linearizable_with(
    batching: Batching,
    capacity: usize,
    history: &[Event],
) -> (bool, Stats) {
    let mut search = Search::new(history, MAX_CONFIGURATIONS, batching);
    let ok = search.dfs(&Spec::new(capacity));
    assert!(
        !search.exhausted,
        "linearizability search too large ({} calls): record shorter histories",
        history.len()
    );
    (
        ok,
        Stats {
            configurations: search.memo.len(),
        },
    )
}

/// Checks `history`; on failure returns the minimal failing sub-history.
/// The batch calls may move fewer items per step than a single thread
/// sees ([`Batching::AtLeastOne`]); see [`check_with`] for the strict one.
pub fn check(capacity: usize, history: &[Event]) -> Result<Stats, Violation> {
    check_with(Batching::AtLeastOne, capacity, history)
}

/// [`check`] with a chosen batch semantics.
pub fn check_with(
    batching: Batching,
    capacity: usize,
    history: &[Event],
) -> Result<Stats, Violation> {
    let (ok, stats) = is_linearizable_with(batching, capacity, history);
    if ok {
        Ok(stats)
    } else {
        Err(Violation {
            capacity,
            recorded: history.len(),
            minimal: shrink(batching, capacity, history),
        })
    }
}

/// Panics with the minimal failing sub-history unless `history` is
/// linearizable.
#[track_caller]
pub fn assert_linearizable(capacity: usize, history: &[Event]) -> Stats {
    assert_linearizable_with(Batching::AtLeastOne, capacity, history)
}

/// [`assert_linearizable`] with a chosen batch semantics.
#[track_caller]
pub fn assert_linearizable_with(batching: Batching, capacity: usize, history: &[Event]) -> Stats {
    match check_with(batching, capacity, history) {
        Ok(stats) => stats,
        Err(violation) => panic!("{violation}"),
    }
}

/// The items a call mentions, in its arguments or its result.
fn items_of(event: &Event) -> Vec<u32> {
    let mut items = match &event.op {
        Op::Put(x) | Op::TryPut(x) | Op::PutTimeout(x) => vec![*x],
        Op::PutMany(xs) => xs.clone(),
        _ => Vec::new(),
    };
    match &event.ret {
        Some(Ret::Got(x) | Ret::RefusedFull(x) | Ret::RefusedClosed(x)) => items.push(*x),
        Some(Ret::Items(xs) | Ret::RefusedMany(xs)) => items.extend(xs),
        // The marker item already in the vector is not the buffer's.
        Some(Ret::GotInto(_, xs)) => items.extend(xs.iter().skip(1)),
        _ => {}
    }
    items
}

/// Groups the calls of `history` that share an item (transitively): the
/// put of an item and every call that returned it belong together.
fn item_groups(history: &[Event]) -> Vec<Vec<usize>> {
    let mut group: Vec<usize> = (0..history.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    let mut owner: HashMap<u32, usize> = HashMap::new();
    for (i, event) in history.iter().enumerate() {
        for item in items_of(event) {
            let j = *owner.entry(item).or_insert(i);
            let (a, b) = (root(&mut group, i), root(&mut group, j));
            group[a] = b;
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..history.len() {
        let r = root(&mut group, i);
        groups.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort();
    groups
}

/// How large a search the shrinker spends on one candidate; a candidate
/// whose search is larger counts as linearizable (the group stays).
const SHRINK_BUDGET: usize = 20_000;

/// Whether `history` surely fails, within the shrinker's budget.
fn surely_fails(batching: Batching, capacity: usize, history: &[Event]) -> bool {
    let mut search = Search::new(history, SHRINK_BUDGET, batching);
    let ok = search.dfs(&Spec::new(capacity));
    !ok && !search.exhausted
}

/// Shrinks the non-linearizable `history` to a sub-history that still
/// fails.
///
/// Calls are released a group at a time: the calls that share an item (the
/// put of an item and the gets that returned it; a call with no item is a
/// group of its own). A group is released — its calls made *pending*,
/// free to take effect with any result or not at all — and stays released
/// if the history still fails: the failure does not depend on those calls.
/// Released calls stay in the history while the others are tried, so that
/// they can still explain the others' results (the items of a put that
/// made a `try_put` find the buffer full): the failure found is the
/// original one, not one made up by a missing put. At the end the released
/// and pending calls are dropped (a failing history with a pending call
/// still fails without it: it has fewer linearizations). A `close` is
/// never released (every `Closed` result would fail without it). Every
/// group left was needed when it was tried: releasing it made the history
/// linearizable. (Not repeated on the result: once the released calls are
/// gone, a second round would find failures that only their absence
/// makes, such as a `put_many` that no longer had a reason to stop early.)
pub fn shrink(batching: Batching, capacity: usize, history: &[Event]) -> History {
    let mut current: History = history
        .iter()
        .filter(|e| e.ret.is_some())
        .cloned()
        .collect();
    // Calls with no item (queries, empty results) first, then the groups
    // of items; later ones first.
    let mut groups = item_groups(&current);
    groups.sort_by_key(|g| (g.iter().any(|&i| !items_of(&current[i]).is_empty()), !g[0]));
    for group in groups {
        if group.iter().any(|&i| current[i].op == Op::Close) {
            continue;
        }
        let mut candidate = current.clone();
        for &i in &group {
            candidate[i].ret = None;
            candidate[i].ret_at = None;
        }
        if surely_fails(batching, capacity, &candidate) {
            current = candidate;
        }
    }
    current.retain(|e| e.ret.is_some());
    current.sort_by_key(|e| e.call);
    current
}

struct Search<'h> {
    events: Vec<&'h Event>,
    /// Response tick of each call; `u64::MAX` if pending.
    resp: Vec<u64>,
    /// Per call: items of a `put_many` put so far, or `DONE`.
    progress: Vec<u32>,
    memo: HashSet<(Vec<u32>, Spec)>,
    /// Configurations the search may visit before it gives up.
    budget: usize,
    exhausted: bool,
    batching: Batching,
}

impl<'h> Search<'h> {
    fn new(history: &'h [Event], budget: usize, batching: Batching) -> Self {
        let mut events: Vec<&Event> = history.iter().collect();
        events.sort_by_key(|e| e.call);
        let resp = events
            .iter()
            .map(|e| e.ret_at.unwrap_or(u64::MAX))
            .collect();
        let progress = vec![0; events.len()];
        Search {
            events,
            resp,
            progress,
            memo: HashSet::new(),
            budget,
            exhausted: false,
            batching,
        }
    }

    fn dfs(&mut self, state: &Spec) -> bool {
        // Done when every call that returned is linearized; pending ones
        // may be left out.
        if (0..self.events.len()).all(|i| self.progress[i] == DONE || self.events[i].ret.is_none())
        {
            return true;
        }
        if !self.memo.insert((self.progress.clone(), state.clone())) {
            return false;
        }
        if self.memo.len() > self.budget {
            self.exhausted = true;
        }
        if self.exhausted {
            return false;
        }
        // A call can take effect next only if it was invoked before every
        // call still to be linearized has returned.
        let bound = (0..self.events.len())
            .filter(|&i| self.progress[i] != DONE)
            .map(|i| self.resp[i])
            .min()
            .unwrap_or(u64::MAX);
        for i in 0..self.events.len() {
            let event = self.events[i];
            if event.call > bound {
                // Sorted by invocation: no later call qualifies either.
                break;
            }
            let before = self.progress[i];
            if before == DONE {
                continue;
            }
            for (next, step) in state.steps(&event.op, before as usize, self.batching) {
                let after = match step {
                    Step::Done(ret) => match &event.ret {
                        Some(recorded) if *recorded != ret => continue,
                        _ => DONE,
                    },
                    Step::Partial(put) => u32::try_from(put).expect("small batches"),
                    Step::Blocked => match (&event.ret, event.op.timeout_result()) {
                        // A timed call that gave up while the specification
                        // blocked it; the state is unchanged.
                        (Some(recorded), Some(timeout)) if *recorded == timeout => DONE,
                        _ => continue,
                    },
                };
                self.progress[i] = after;
                if self.dfs(&next) {
                    return true;
                }
                self.progress[i] = before;
            }
        }
        false
    }
}

/// Builds one call by hand, for tests; `ret_at` and `ret` are `None` for a
/// pending call.
pub fn event(thread: usize, call: u64, ret_at: Option<u64>, op: Op, ret: Option<Ret>) -> Event {
    Event {
        thread,
        op,
        ret,
        call,
        ret_at,
    }
}

/// Whether `op` appears among the calls of `violation`'s minimal history.
pub fn names(violation: &Violation, op: &Op) -> bool {
    violation.minimal.iter().any(|e| e.op == *op)
}
