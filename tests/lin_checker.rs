//! The linearizability checker's own tests (`tests/support/lin/checker.rs`):
//! hand-written histories it must reject (each a bug a multiset or
//! one-property check can miss) and overlapping ones it must accept, plus
//! the shrinking of a failure to the calls it depends on.
#![cfg(not(any(loom, shuttle)))]

#[path = "support/lin/mod.rs"]
mod lin;

use std::sync::Arc;
use std::time::Duration;

use lin::checker::{self, Violation, is_linearizable, is_linearizable_with};
use lin::recorder::{Event, record};
use lin::spec::{Batching, Op, Ret};
use lin::target::Real;

/// A call that returned: thread, invocation tick, response tick, call,
/// result.
fn done(thread: usize, call: u64, ret_at: u64, op: Op, ret: Ret) -> Event {
    checker::event(thread, call, Some(ret_at), op, Some(ret))
}

/// A call that never returned.
fn pending(thread: usize, call: u64, op: Op) -> Event {
    checker::event(thread, call, None, op, None)
}

#[track_caller]
fn accepts(capacity: usize, h: &[Event]) {
    if let Err(violation) = checker::check(capacity, h) {
        panic!("a linearizable history was rejected:\n{violation}");
    }
}

#[track_caller]
fn rejects(capacity: usize, h: &[Event]) -> Violation {
    match checker::check(capacity, h) {
        Ok(_) => panic!(
            "a non-linearizable history was accepted:\n{}",
            checker::Pretty(h)
        ),
        Err(violation) => {
            // The minimal history fails on its own...
            assert!(!is_linearizable(capacity, &violation.minimal).0);
            // ...and is printable.
            let text = violation.to_string();
            assert!(text.contains("not linearizable"), "{text}");
            violation
        }
    }
}

// --- Must reject -------------------------------------------------------

#[test]
fn rejects_a_fifo_violation() {
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 3, Op::Put(2), Ret::Done),
        done(1, 4, 5, Op::Get, Ret::Got(2)),
        done(1, 6, 7, Op::Get, Ret::Got(1)),
    ];
    let v = rejects(2, &h);
    assert_eq!(v.minimal.len(), 4, "every call is needed:\n{v}");
    let text = v.to_string();
    assert!(text.contains("get() -> Ok(2)"), "{text}");
    assert!(text.contains("put(1) -> Ok"), "{text}");
}

#[test]
fn rejects_a_duplicated_item() {
    let h = [
        done(0, 0, 1, Op::Put(7), Ret::Done),
        done(1, 2, 3, Op::Get, Ret::Got(7)),
        done(2, 4, 5, Op::TryGet, Ret::Got(7)),
    ];
    rejects(1, &h);
    // Even when the two gets overlap each other.
    let h = [
        done(0, 0, 1, Op::Put(7), Ret::Done),
        done(1, 2, 5, Op::Get, Ret::Got(7)),
        done(2, 3, 4, Op::TryGet, Ret::Got(7)),
    ];
    rejects(1, &h);
}

#[test]
fn rejects_a_lost_item() {
    // Put, then drained as nothing.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 3, Op::Drain, Ret::Items(vec![])),
    ];
    rejects(2, &h);
    // Put, closed, and the getter finds the buffer closed and empty.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 3, Op::Close, Ret::Bool(true)),
        done(1, 4, 5, Op::Get, Ret::ClosedAndEmpty),
    ];
    let v = rejects(2, &h);
    assert!(checker::names(&v, &Op::Get), "{v}");
    // An item that vanished between two gets after the close.
    let h = [
        done(0, 0, 1, Op::PutMany(vec![1, 2]), Ret::Done),
        done(0, 2, 3, Op::Close, Ret::Bool(true)),
        done(1, 4, 5, Op::Get, Ret::Got(2)),
        done(1, 6, 7, Op::TryGet, Ret::ClosedAndEmpty),
    ];
    let v = rejects(2, &h);
    assert!(checker::names(&v, &Op::PutMany(vec![1, 2])), "{v}");
}

#[test]
fn rejects_empty_while_an_item_was_surely_buffered() {
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 3, Op::TryGet, Ret::NothingYet),
    ];
    let v = rejects(1, &h);
    assert!(checker::names(&v, &Op::TryGet), "{v}");
    // A get_many of at most 0 on a closed empty buffer fails; on a buffer
    // holding an item it cannot.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 3, Op::Close, Ret::Bool(true)),
        done(1, 4, 5, Op::GetMany(0), Ret::ClosedAndEmpty),
    ];
    rejects(1, &h);
}

#[test]
fn rejects_a_len_that_lies() {
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 3, Op::Len, Ret::Count(0)),
    ];
    rejects(2, &h);
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 3, Op::IsFull, Ret::Bool(false)),
    ];
    rejects(1, &h);
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 3, Op::Len, Ret::Count(2)),
    ];
    rejects(2, &h);
}

#[test]
fn rejects_a_timeout_while_the_spec_could_proceed_throughout() {
    // Room all along.
    let h = [done(0, 0, 1, Op::PutTimeout(1), Ret::RefusedFull(1))];
    rejects(1, &h);
    // Full before, but emptied before the timed put began.
    let h = [
        done(0, 0, 1, Op::Put(0), Ret::Done),
        done(1, 2, 3, Op::Get, Ret::Got(0)),
        done(2, 4, 5, Op::PutTimeout(1), Ret::RefusedFull(1)),
    ];
    rejects(1, &h);
    // An item buffered throughout a get_timeout that timed out.
    let h = [
        done(0, 0, 1, Op::Put(0), Ret::Done),
        done(1, 2, 3, Op::GetTimeout, Ret::NothingYet),
    ];
    rejects(1, &h);
}

#[test]
fn rejects_a_blocking_call_that_returned_where_it_could_not() {
    // A get on an open buffer does not fail: it waits.
    let h = [done(0, 0, 1, Op::Get, Ret::ClosedAndEmpty)];
    rejects(1, &h);
    // A get_many takes at least one item, in order.
    let h = [
        done(0, 0, 1, Op::PutMany(vec![1, 2]), Ret::Done),
        done(1, 2, 3, Op::GetMany(5), Ret::Items(vec![2])),
    ];
    rejects(2, &h);
    // A put_many refused by a close gives back exactly what it did not put.
    let h = [
        done(
            0,
            0,
            9,
            Op::PutMany(vec![1, 2]),
            Ret::RefusedMany(vec![1, 2]),
        ),
        done(1, 1, 2, Op::Close, Ret::Bool(true)),
        done(1, 3, 4, Op::Len, Ret::Count(1)),
    ];
    rejects(1, &h);
}

#[test]
fn greedy_batches_reject_what_at_least_one_accepts() {
    // Sequentially a get_many takes every item there is, up to max.
    let h = [
        done(0, 0, 1, Op::PutMany(vec![1, 2]), Ret::Done),
        done(1, 2, 3, Op::GetMany(5), Ret::Items(vec![1])),
    ];
    assert!(!is_linearizable_with(Batching::Greedy, 2, &h).0);
    // The two-lock race that shuttle found: a get_many that missed the
    // item a concurrent put_many put, while that put_many stopped early
    // because the get_many's item still counted. Greedy has no order for
    // it; at-least-one batches have.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 9, Op::GetMany(2), Ret::Items(vec![1])),
        done(2, 3, 12, Op::PutMany(vec![2, 3]), Ret::RefusedMany(vec![3])),
        done(0, 10, 11, Op::Close, Ret::Bool(true)),
    ];
    assert!(!is_linearizable_with(Batching::Greedy, 2, &h).0);
    accepts(2, &h);
    let v = checker::check_with(Batching::Greedy, 2, &h).unwrap_err();
    assert_eq!(v.minimal.len(), 4, "{v}");
}

#[test]
fn shrinks_to_the_calls_the_failure_depends_on() {
    // A FIFO violation among unrelated calls of other threads.
    let mut h = vec![
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 3, Op::Put(2), Ret::Done),
        done(1, 10, 11, Op::Get, Ret::Got(2)),
        done(1, 12, 13, Op::Get, Ret::Got(1)),
    ];
    for t in 0..3u64 {
        h.push(done(2 + t as usize, 4 + t, 20 + t, Op::Len, Ret::Count(2)));
        h.push(done(
            5,
            30 + 2 * t,
            31 + 2 * t,
            Op::IsEmpty,
            Ret::Bool(true),
        ));
    }
    h.push(pending(6, 25, Op::Get));
    let v = rejects(2, &h);
    assert_eq!(
        v.minimal.len(),
        4,
        "the unrelated calls should be gone:\n{v}"
    );
    assert!(v.minimal.iter().all(|e| e.thread <= 1), "{v}");
}

// --- Must accept -------------------------------------------------------

#[test]
fn accepts_sequential_fifo() {
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 3, Op::TryPut(2), Ret::Done),
        done(0, 4, 5, Op::TryPut(3), Ret::RefusedFull(3)),
        done(1, 6, 7, Op::Len, Ret::Count(2)),
        done(1, 8, 9, Op::Get, Ret::Got(1)),
        done(1, 10, 11, Op::GetMany(4), Ret::Items(vec![2])),
        done(1, 12, 13, Op::TryGet, Ret::NothingYet),
        done(0, 14, 15, Op::Close, Ret::Bool(true)),
        done(1, 16, 17, Op::Get, Ret::ClosedAndEmpty),
    ];
    accepts(2, &h);
}

#[test]
fn accepts_overlapping_calls_in_any_order_they_allow() {
    // Two overlapping puts; the gets that follow see them in either order.
    for (first, second) in [(1, 2), (2, 1)] {
        let h = [
            done(0, 0, 5, Op::Put(1), Ret::Done),
            done(1, 1, 6, Op::Put(2), Ret::Done),
            done(2, 7, 8, Op::Get, Ret::Got(first)),
            done(2, 9, 10, Op::Get, Ret::Got(second)),
        ];
        accepts(2, &h);
    }
    // A get that overlaps the put of its item.
    let h = [
        done(0, 0, 10, Op::Put(1), Ret::Done),
        done(1, 1, 2, Op::Get, Ret::Got(1)),
    ];
    accepts(1, &h);
    // Empty is fine if a concurrent get may have taken the item first.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(1, 2, 5, Op::Get, Ret::Got(1)),
        done(2, 3, 4, Op::TryGet, Ret::NothingYet),
    ];
    accepts(1, &h);
    // A len that overlaps a put may count it.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        done(0, 2, 5, Op::Put(2), Ret::Done),
        done(1, 3, 4, Op::Len, Ret::Count(2)),
    ];
    accepts(2, &h);
}

#[test]
fn accepts_a_timeout_where_the_spec_blocked_at_some_point() {
    // Full when the timed put began; emptied during its interval.
    let h = [
        done(0, 0, 1, Op::Put(0), Ret::Done),
        done(1, 2, 5, Op::PutTimeout(1), Ret::RefusedFull(1)),
        done(2, 3, 4, Op::Get, Ret::Got(0)),
    ];
    accepts(1, &h);
    // Empty when the timed get began; an item arrived during it.
    let h = [
        done(0, 0, 5, Op::GetTimeout, Ret::NothingYet),
        done(1, 1, 2, Op::Put(3), Ret::Done),
    ];
    accepts(1, &h);
}

#[test]
fn accepts_pending_calls_either_way() {
    // A get blocked forever on an empty buffer.
    accepts(1, &[pending(0, 0, Op::Get)]);
    // A put that never returned, whose item was nevertheless taken.
    let h = [
        pending(0, 0, Op::Put(5)),
        done(1, 1, 2, Op::Get, Ret::Got(5)),
    ];
    accepts(1, &h);
    // A pending get explains the item that a later drain does not see.
    let h = [
        done(0, 0, 1, Op::Put(1), Ret::Done),
        pending(1, 2, Op::Get),
        done(2, 3, 4, Op::Drain, Ret::Items(vec![])),
    ];
    accepts(1, &h);
}

#[test]
fn accepts_a_put_many_that_takes_effect_in_steps() {
    // Capacity 2: [1, 2] go in, a get takes 1, then 3 goes in.
    let h = [
        done(0, 0, 10, Op::PutMany(vec![1, 2, 3]), Ret::Done),
        done(1, 1, 2, Op::Get, Ret::Got(1)),
        done(
            1,
            3,
            4,
            Op::GetManyInto(5),
            Ret::GotInto(2, vec![u32::MAX, 2, 3]),
        ),
    ];
    accepts(2, &h);
    // Capacity 1: 1 goes in, a close refuses the rest.
    let h = [
        done(0, 0, 10, Op::PutMany(vec![1, 2]), Ret::RefusedMany(vec![2])),
        done(1, 1, 2, Op::Close, Ret::Bool(true)),
        done(1, 3, 4, Op::Get, Ret::Got(1)),
    ];
    accepts(1, &h);
}

#[test]
fn memoization_keeps_a_wide_history_small() {
    // Fourteen overlapping calls that leave the state as it was: 14!
    // orders, but only the 2^14 sets of calls done are distinct
    // configurations (Lowe's memoization); then one put after them all.
    let mut h = Vec::new();
    for i in 0..14u64 {
        let (op, ret) = match i % 3 {
            0 => (Op::Len, Ret::Count(0)),
            1 => (Op::IsEmpty, Ret::Bool(true)),
            _ => (Op::TryGet, Ret::NothingYet),
        };
        h.push(done(i as usize, i, 100 + i, op, ret));
    }
    h.push(done(14, 200, 201, Op::Put(1), Ret::Done));
    let (ok, stats) = is_linearizable(1, &h);
    assert!(ok);
    assert!(
        stats.configurations <= 1 << 14,
        "{} configurations",
        stats.configurations
    );
    // The same with a wrong answer at the very end: every configuration is
    // explored, and still only once.
    h.push(done(14, 202, 203, Op::Len, Ret::Count(0)));
    let (ok, stats) = is_linearizable(1, &h);
    assert!(!ok);
    assert!(
        stats.configurations <= (1 << 14) + 2,
        "{} configurations",
        stats.configurations
    );
}

// --- The recorder ------------------------------------------------------

#[test]
fn the_recorder_orders_calls_by_real_time_and_records_results() {
    let target = Arc::new(Real::new(2, Duration::from_millis(1)));
    let scripts = vec![
        vec![Op::Put(1), Op::Put(2), Op::Close],
        vec![Op::Get, Op::Get, Op::Get],
    ];
    let h = record(&target, &scripts);
    assert_eq!(h.len(), 6);
    for thread in 0..2 {
        let mut mine: Vec<&Event> = h.iter().filter(|e| e.thread == thread).collect();
        mine.sort_by_key(|e| e.call);
        for pair in mine.windows(2) {
            assert!(pair[0].ret_at.unwrap() < pair[1].call, "program order");
        }
    }
    let gets: Vec<&Ret> = {
        let mut g: Vec<&Event> = h.iter().filter(|e| e.thread == 1).collect();
        g.sort_by_key(|e| e.call);
        g.into_iter().map(|e| e.ret.as_ref().unwrap()).collect()
    };
    assert_eq!(gets, [&Ret::Got(1), &Ret::Got(2), &Ret::ClosedAndEmpty]);
    checker::assert_linearizable(2, &h);
}
