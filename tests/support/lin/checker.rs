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
//! * `put_many` is not atomic: it takes effect in several steps (as many
//!   items as there is room for, each time), all within its interval.
//!
//! Shrinking ([`shrink`]): calls are dropped, a group of calls that share
//! an item at a time, while the rest still fails, down to a 1-minimal
//! non-linearizable sub-history.
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
use super::spec::{Op, Ret, Spec, Step};

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
    /// A 1-minimal non-linearizable sub-history, sorted by invocation.
    pub minimal: History,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "not linearizable (capacity {}): no order of these {} of the {} recorded calls \
             is explained by the sequential specification (dropping any item's calls, or \
             any call without an item, makes the rest linearizable)",
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
            let end = e.ret_at.map_or_else(|| "...".to_string(), |t| t.to_string());
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
    let mut search = Search::new(history);
    let ok = search.dfs(&Spec::new(capacity));
    (
        ok,
        Stats {
            configurations: search.memo.len(),
        },
    )
}

/// Checks `history`; on failure returns the minimal failing sub-history.
pub fn check(capacity: usize, history: &[Event]) -> Result<Stats, Violation> {
    let (ok, stats) = is_linearizable(capacity, history);
    if ok {
        Ok(stats)
    } else {
        Err(Violation {
            capacity,
            recorded: history.len(),
            minimal: shrink(capacity, history),
        })
    }
}

/// Panics with the minimal failing sub-history unless `history` is
/// linearizable.
#[track_caller]
pub fn assert_linearizable(capacity: usize, history: &[Event]) -> Stats {
    match check(capacity, history) {
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

/// Shrinks the non-linearizable `history` to a sub-history that still
/// fails, dropping calls while it does: first the pending calls (they
/// never cause a failure), then whole groups of calls that share an item
/// (the put of an item goes with the gets that returned it, so that a
/// shrunk history never "fails" merely because an item's put was dropped),
/// until no group can be dropped: a 1-minimal failing sub-history.
pub fn shrink(capacity: usize, history: &[Event]) -> History {
    let fails = |h: &[Event]| !is_linearizable(capacity, h).0;
    let mut current: History = history.iter().filter(|e| e.ret.is_some()).cloned().collect();
    debug_assert!(fails(&current));
    loop {
        let mut changed = false;
        for group in item_groups(&current).into_iter().rev() {
            let candidate: History = current
                .iter()
                .enumerate()
                .filter(|(i, _)| !group.contains(i))
                .map(|(_, e)| e.clone())
                .collect();
            if fails(&candidate) {
                current = candidate;
                changed = true;
                break;
            }
        }
        if !changed {
            break;
        }
    }
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
}

impl<'h> Search<'h> {
    fn new(history: &'h [Event]) -> Self {
        let mut events: Vec<&Event> = history.iter().collect();
        events.sort_by_key(|e| e.call);
        let resp = events.iter().map(|e| e.ret_at.unwrap_or(u64::MAX)).collect();
        let progress = vec![0; events.len()];
        Search {
            events,
            resp,
            progress,
            memo: HashSet::new(),
        }
    }

    fn dfs(&mut self, state: &Spec) -> bool {
        // Done when every call that returned is linearized; pending ones
        // may be left out.
        if (0..self.events.len())
            .all(|i| self.progress[i] == DONE || self.events[i].ret.is_none())
        {
            return true;
        }
        if !self.memo.insert((self.progress.clone(), state.clone())) {
            return false;
        }
        assert!(
            self.memo.len() <= MAX_CONFIGURATIONS,
            "linearizability search too large ({} calls): record shorter histories",
            self.events.len()
        );
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
            let mut next = state.clone();
            let after = match next.step(&event.op, before as usize) {
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
        false
    }
}

/// Builds a history by hand, for tests: `(thread, call, ret_at, op, ret)`,
/// `ret_at`/`ret` `None` for a pending call.
pub fn history(events: &[(usize, u64, Option<u64>, Op, Option<super::spec::Ret>)]) -> History {
    events
        .iter()
        .map(|(thread, call, ret_at, op, ret)| Event {
            thread: *thread,
            op: op.clone(),
            ret: ret.clone(),
            call: *call,
            ret_at: *ret_at,
        })
        .collect()
}

/// Whether `op` appears among the calls of `violation`'s minimal history.
pub fn names(violation: &Violation, op: &Op) -> bool {
    violation.minimal.iter().any(|e| e.op == *op)
}
