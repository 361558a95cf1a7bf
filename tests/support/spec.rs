//! The sequential specification of `SharedBuffer<u32>`: one reference model
//! for every operation of the buffer, used by the single-threaded
//! proptests (`tests/buffer_proptest.rs`) and by the linearizability
//! checker (`tests/support/lin/`).
//!
//! Plain std Rust on purpose: no facade, no model checker, so that it is
//! the same specification under every runner.
//!
//! Blocking operations have *dual* semantics. [`Spec::step`] answers
//! [`Step::Blocked`] (and changes nothing) where the real call would wait:
//! a `get` on an empty open buffer is pending, not an error. A timed call
//! that gave up ([`Op::timeout_result`]) is explained by a point where the
//! specification blocked it; a single-threaded caller with a zero timeout
//! sees exactly that result whenever the specification blocks.
//!
//! Under concurrency the batch calls may move fewer items per step than a
//! single thread sees ([`Batching`]).
//!
//! `put_many` is not atomic (its items may interleave with other calls; see
//! its rustdoc): it moves in as many of its remaining items as there is
//! room for, in one step, as often as needed. [`Spec::step`] takes the
//! number already put (`progress`) and returns [`Step::Partial`] for an
//! intermediate step. [`Spec::apply`] is the single-threaded view: a
//! `put_many` that does not fit whole would wait forever and is `Blocked`.
#![allow(dead_code, unreachable_pub)]

use std::collections::VecDeque;
use std::fmt;

/// One call on the buffer, with its arguments. Timed calls carry no
/// duration: the specification does not know about time, only whether the
/// call could proceed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Put(u32),
    TryPut(u32),
    PutTimeout(u32),
    Get,
    TryGet,
    GetTimeout,
    PutMany(Vec<u32>),
    GetMany(usize),
    /// `get_many_into` with a vector that already holds one marker item
    /// (`u32::MAX`), which must be kept.
    GetManyInto(usize),
    Close,
    Drain,
    TaskDone,
    /// `join()`: waits until no task is unfinished.
    Join,
    /// `join_timeout(Duration::ZERO)`.
    JoinTimeoutZero,
    Len,
    IsEmpty,
    IsFull,
    IsClosed,
    UnfinishedTasks,
}

/// The result of one call, in a form that the real buffer and the
/// specification both produce and that prints every item it carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `Ok(())` of a put, `put_many` or `task_done`; a `join` that returned.
    Done,
    /// An item taken by a single get.
    Got(u32),
    /// The items of `get_many` or `drain`.
    Items(Vec<u32>),
    /// `get_many_into`: the count it returned and what the vector holds.
    GotInto(usize, Vec<u32>),
    /// A put refused because the buffer was full (`Full` / `Timeout`).
    RefusedFull(u32),
    /// A put refused because the buffer was closed.
    RefusedClosed(u32),
    /// `put_many` refused by a close, with the items that were not put.
    RefusedMany(Vec<u32>),
    /// A get that found the buffer empty but open (`Empty` / `Timeout`).
    NothingYet,
    /// A get that found the buffer closed and empty.
    ClosedAndEmpty,
    Bool(bool),
    Count(usize),
    TaskDoneError,
}

/// What the specification does with one call (or one step of a
/// `put_many`) in its current state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The call completes here with this result.
    Done(Ret),
    /// A `put_many` step that put items and has more to put: the new
    /// number of items put so far.
    Partial(usize),
    /// The call cannot complete now: it would wait.
    Blocked,
}

/// How many items a batch call moves in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batching {
    /// As many as it can: a `get_many` takes every item there is, up to
    /// `max`; a `put_many` step puts as many items as there is room for.
    /// What a single thread sees, and what the rustdoc of the batch calls
    /// says.
    Greedy,
    /// At least one item and at most what `Greedy` moves. The two-lock
    /// buffer gives no more than this under concurrency: a getter and a
    /// putter each read the shared count under their own lock, so a
    /// `get_many` may miss items that a concurrent `put_many` is putting
    /// while that `put_many` still counts the items being taken (see
    /// VERIFICATION.md, "Linearizability checking", for the recorded history).
    AtLeastOne,
}

/// The state of the sequential buffer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Spec {
    pub capacity: usize,
    pub items: VecDeque<u32>,
    pub closed: bool,
    pub unfinished: usize,
}

impl Op {
    /// The result a timed call returns when it gives up: allowed where the
    /// specification blocks the call. `None` for untimed calls.
    pub fn timeout_result(&self) -> Option<Ret> {
        match *self {
            Op::PutTimeout(item) => Some(Ret::RefusedFull(item)),
            Op::GetTimeout => Some(Ret::NothingYet),
            _ => None,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Put(x) => write!(f, "put({x})"),
            Op::TryPut(x) => write!(f, "try_put({x})"),
            Op::PutTimeout(x) => write!(f, "put_timeout({x})"),
            Op::Get => write!(f, "get()"),
            Op::TryGet => write!(f, "try_get()"),
            Op::GetTimeout => write!(f, "get_timeout()"),
            Op::PutMany(xs) => write!(f, "put_many({xs:?})"),
            Op::GetMany(max) => write!(f, "get_many({max})"),
            Op::GetManyInto(max) => write!(f, "get_many_into({max})"),
            Op::Close => write!(f, "close()"),
            Op::Drain => write!(f, "drain()"),
            Op::TaskDone => write!(f, "task_done()"),
            Op::Join => write!(f, "join()"),
            Op::JoinTimeoutZero => write!(f, "join_timeout(0)"),
            Op::Len => write!(f, "len()"),
            Op::IsEmpty => write!(f, "is_empty()"),
            Op::IsFull => write!(f, "is_full()"),
            Op::IsClosed => write!(f, "is_closed()"),
            Op::UnfinishedTasks => write!(f, "unfinished_tasks()"),
        }
    }
}

impl fmt::Display for Ret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ret::Done => write!(f, "Ok"),
            Ret::Got(x) => write!(f, "Ok({x})"),
            Ret::Items(xs) => write!(f, "Ok({xs:?})"),
            Ret::GotInto(n, xs) => write!(f, "Ok({n}), vec {xs:?}"),
            Ret::RefusedFull(x) => write!(f, "Full/Timeout({x})"),
            Ret::RefusedClosed(x) => write!(f, "Closed({x})"),
            Ret::RefusedMany(xs) => write!(f, "Closed({xs:?})"),
            Ret::NothingYet => write!(f, "Empty/Timeout"),
            Ret::ClosedAndEmpty => write!(f, "Closed"),
            Ret::Bool(b) => write!(f, "{b}"),
            Ret::Count(n) => write!(f, "{n}"),
            Ret::TaskDoneError => write!(f, "TaskDoneError"),
        }
    }
}

impl Spec {
    /// An empty, open buffer of `capacity` items.
    pub fn new(capacity: usize) -> Self {
        Spec {
            capacity,
            items: VecDeque::new(),
            closed: false,
            unfinished: 0,
        }
    }

    fn room(&self) -> usize {
        self.capacity - self.items.len()
    }

    /// Closed wins over full: a put on a closed, full buffer is `Closed`.
    fn put_one(&mut self, item: u32, blocks: bool) -> Step {
        if self.closed {
            Step::Done(Ret::RefusedClosed(item))
        } else if self.room() == 0 {
            if blocks {
                Step::Blocked
            } else {
                Step::Done(Ret::RefusedFull(item))
            }
        } else {
            self.items.push_back(item);
            self.unfinished += 1;
            Step::Done(Ret::Done)
        }
    }

    /// Items win over closed: a closed buffer still hands out what it holds.
    fn get_one(&mut self, blocks: bool) -> Step {
        match self.items.pop_front() {
            Some(item) => Step::Done(Ret::Got(item)),
            None if self.closed => Step::Done(Ret::ClosedAndEmpty),
            None if blocks => Step::Blocked,
            None => Step::Done(Ret::NothingYet),
        }
    }

    /// `get_many` / `get_many_into`: waits for one item (unless `max` is
    /// 0), then takes every item there is, up to `max`.
    fn take(&mut self, max: usize) -> Result<Vec<u32>, Step> {
        if self.items.is_empty() {
            if self.closed {
                return Err(Step::Done(Ret::ClosedAndEmpty));
            }
            if max > 0 {
                return Err(Step::Blocked);
            }
        }
        let n = max.min(self.items.len());
        Ok(self.items.drain(..n).collect())
    }

    /// One step of `op`, `progress` items of which are already put (only a
    /// `put_many` has progress; 0 for everything else). Changes the state
    /// unless the answer is `Blocked`. Timed calls are `Blocked` where they
    /// would wait; see [`Op::timeout_result`].
    pub fn step(&mut self, op: &Op, progress: usize) -> Step {
        match op {
            Op::Put(item) | Op::PutTimeout(item) => self.put_one(*item, true),
            Op::TryPut(item) => self.put_one(*item, false),
            Op::Get | Op::GetTimeout => self.get_one(true),
            Op::TryGet => self.get_one(false),
            Op::PutMany(items) => {
                let rest = &items[progress..];
                if rest.is_empty() {
                    Step::Done(Ret::Done)
                } else if self.closed {
                    Step::Done(Ret::RefusedMany(rest.to_vec()))
                } else if self.room() == 0 {
                    Step::Blocked
                } else {
                    let n = self.room().min(rest.len());
                    self.items.extend(&rest[..n]);
                    self.unfinished += n;
                    if n == rest.len() {
                        Step::Done(Ret::Done)
                    } else {
                        Step::Partial(progress + n)
                    }
                }
            }
            Op::GetMany(max) => match self.take(*max) {
                Ok(items) => Step::Done(Ret::Items(items)),
                Err(step) => step,
            },
            Op::GetManyInto(max) => match self.take(*max) {
                Ok(items) => {
                    let n = items.len();
                    let mut out = vec![u32::MAX];
                    out.extend(items);
                    Step::Done(Ret::GotInto(n, out))
                }
                Err(step) => step,
            },
            Op::Close => {
                let newly = !self.closed;
                self.closed = true;
                Step::Done(Ret::Bool(newly))
            }
            Op::Drain => {
                let drained: Vec<u32> = self.items.drain(..).collect();
                // Drained items stop counting; `task_done` may have run
                // ahead of `get`, so the count never goes below zero.
                self.unfinished = self.unfinished.saturating_sub(drained.len());
                Step::Done(Ret::Items(drained))
            }
            Op::TaskDone => {
                if self.unfinished == 0 {
                    Step::Done(Ret::TaskDoneError)
                } else {
                    self.unfinished -= 1;
                    Step::Done(Ret::Done)
                }
            }
            Op::Join if self.unfinished > 0 => Step::Blocked,
            Op::Join => Step::Done(Ret::Done),
            Op::JoinTimeoutZero => Step::Done(Ret::Bool(self.unfinished == 0)),
            Op::Len => Step::Done(Ret::Count(self.items.len())),
            Op::IsEmpty => Step::Done(Ret::Bool(self.items.is_empty())),
            Op::IsFull => Step::Done(Ret::Bool(self.room() == 0)),
            Op::IsClosed => Step::Done(Ret::Bool(self.closed)),
            Op::UnfinishedTasks => Step::Done(Ret::Count(self.unfinished)),
        }
    }

    /// Every way one step of `op` can go, with the state after it (one way
    /// unless `batching` is `AtLeastOne` and `op` moves a batch).
    pub fn steps(&self, op: &Op, progress: usize, batching: Batching) -> Vec<(Spec, Step)> {
        let mut greedy = self.clone();
        let step = greedy.step(op, progress);
        if batching == Batching::Greedy {
            return vec![(greedy, step)];
        }
        let mut ways = Vec::new();
        match (op, &step) {
            (Op::GetMany(_) | Op::GetManyInto(_), Step::Done(Ret::Items(_) | Ret::GotInto(..))) => {
                let most = self.items.len() - greedy.items.len();
                for n in 1..most {
                    let mut next = self.clone();
                    let taken: Vec<u32> = next.items.drain(..n).collect();
                    let ret = match op {
                        Op::GetMany(_) => Ret::Items(taken),
                        _ => {
                            let mut out = vec![u32::MAX];
                            out.extend(taken);
                            Ret::GotInto(n, out)
                        }
                    };
                    ways.push((next, Step::Done(ret)));
                }
            }
            (Op::PutMany(items), Step::Done(Ret::Done) | Step::Partial(_)) => {
                let most = greedy.items.len() - self.items.len();
                for n in 1..most {
                    let mut next = self.clone();
                    next.items.extend(&items[progress..progress + n]);
                    next.unfinished += n;
                    ways.push((next, Step::Partial(progress + n)));
                }
            }
            _ => {}
        }
        ways.push((greedy, step));
        ways
    }

    /// Whether `op`, called now by the only thread, would wait forever:
    /// a blocking call the specification blocks, or a `put_many` that does
    /// not fit whole into an open buffer.
    pub fn would_block(&self, op: &Op) -> bool {
        if op.timeout_result().is_some() {
            return false;
        }
        if let Op::PutMany(items) = op {
            return !self.closed && !items.is_empty() && items.len() > self.room();
        }
        self.clone().step(op, 0) == Step::Blocked
    }

    /// The single-threaded view: the result of `op` called by the only
    /// thread, timed calls with a zero timeout; `None` (and no change) if
    /// it would wait forever.
    pub fn apply(&mut self, op: &Op) -> Option<Ret> {
        if self.would_block(op) {
            return None;
        }
        let mut progress = 0;
        loop {
            match self.step(op, progress) {
                Step::Done(ret) => return Some(ret),
                Step::Partial(p) => progress = p,
                Step::Blocked => {
                    return Some(op.timeout_result().expect("only a timed call blocks here"));
                }
            }
        }
    }
}
