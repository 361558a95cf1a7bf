//! The two lanes and their counters: private, and so checked here, where
//! both lanes can be looked at; the public calls are checked by the
//! contract, proptest, loom and shuttle suites.

use super::lanes::between;
use super::wait::Side;
use super::*;
use crate::sync::atomic::Ordering;

/// What the two lanes hold, oldest first, and whether the counters say
/// exactly that many, read with both locks held (they are exact then): the
/// lanes' own copies match the atomics, no getters' mark is left with
/// nobody waiting (a putters' mark may stay until the next get finds it),
/// each side's copy of its mark agrees with the mark, and what was put
/// and not taken is what the lanes hold.
fn lanes<T: Clone>(buffer: &SharedBuffer<T>) -> (Vec<T>, bool) {
    let take = buffer.shared.lane(Side::Get);
    let put = buffer.shared.lane(Side::Put);
    let items: Vec<T> = take.items.iter().chain(put.items.iter()).cloned().collect();
    let pushed = buffer.shared.pushed.load(Ordering::Acquire);
    let popped = buffer.shared.popped.load(Ordering::Acquire);
    let counted = take.own.wrapping_add(items.len()) == put.own
        && pushed == put.own
        && popped == take.own
        && between(take.own, put.own) == items.len()
        && !put.waited_on
        && !take.marked
        && take.waited_on == put.marked;
    (items, counted)
}

#[test]
fn the_counters_are_what_both_lanes_hold_after_every_change() {
    let buffer = SharedBuffer::new(3);
    let check = |step: &str, expected: &[i32], closed: bool| {
        let (items, counted) = lanes(&buffer);
        assert_eq!(items, expected, "items after {step}");
        assert!(counted, "the counters after {step}");
        assert_eq!(buffer.is_closed(), closed, "closed after {step}");
    };
    check("new", &[], false);
    buffer.put(1).unwrap();
    check("a put", &[1], false);
    buffer.put(2).unwrap();
    buffer.put(3).unwrap();
    check("puts that fill the buffer", &[1, 2, 3], false);
    assert_eq!(buffer.get(), Ok(1));
    check("a get, which moves the put lane over", &[2, 3], false);
    buffer.put(4).unwrap();
    check("a put behind the moved items", &[2, 3, 4], false);
    assert_eq!(buffer.get_many(2), Ok(vec![2, 3]));
    check("a get_many from the get lane", &[4], false);
    buffer.put_many([5, 6]).unwrap();
    assert_eq!(buffer.get_many(5), Ok(vec![4, 5, 6]));
    check("a get_many from both lanes", &[], false);
    buffer.put_many([7, 8]).unwrap();
    assert_eq!(buffer.get(), Ok(7));
    buffer.put(9).unwrap();
    assert_eq!(buffer.drain(), vec![8, 9]);
    check("a drain of both lanes", &[], false);
    buffer.try_put(10).unwrap();
    assert_eq!(buffer.try_get(), Ok(10));
    check("a try_put and a try_get", &[], false);
    buffer.put(11).unwrap();
    buffer.close();
    check("a close with an item left", &[11], true);
    assert_eq!(buffer.get(), Ok(11));
    check("a get of the last item after the close", &[], true);
    let other = SharedBuffer::new(2);
    other.put(12).unwrap();
    other.put(13).unwrap();
    assert_eq!(other.get(), Ok(12));
    other.put(14).unwrap();
    assert_eq!(other.close_and_drain(), vec![13, 14]);
    let (items, counted) = lanes(&other);
    assert!(items.is_empty() && counted && other.is_closed());
}

#[test]
fn spinners_go_on_exactly_when_their_side_may_proceed() {
    let capacity = 4;
    // Counters near the wrap-around as well as near zero.
    for start in [0, 0usize.wrapping_sub(3)] {
        for len in 0..=capacity {
            let taken = start;
            let put = start.wrapping_add(len);
            assert_eq!(
                Side::Put.may_go_on(put, taken, capacity),
                len < capacity,
                "putter, len {len}, from {start}"
            );
            assert_eq!(
                Side::Get.may_go_on(taken, put, capacity),
                len != 0,
                "getter, len {len}, from {start}"
            );
        }
    }
}

// `close_and_drain` is crate-private (the pipeline's forceful
// shutdown), so its waking is checked here; the pipeline's own
// producers wait with timeouts and would hide a missed wakeup.

/// Waits (without a deadline: a bug shows as a hang) until `f()`.
fn wait_until(f: impl Fn() -> bool) {
    while !f() {
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn close_and_drain_wakes_blocked_putters_with_their_items() {
    let buffer = SharedBuffer::new(1);
    buffer.put(0).unwrap();
    let putters: Vec<_> = (1..=2)
        .map(|n| {
            let buffer = buffer.clone();
            std::thread::spawn(move || buffer.put(n))
        })
        .collect();
    wait_until(|| buffer.shared.lane(Side::Put).waiting == 2);
    assert_eq!(buffer.close_and_drain(), vec![0]);
    let mut back: Vec<i32> = putters
        .into_iter()
        .map(|p| p.join().unwrap().unwrap_err().into_inner())
        .collect();
    back.sort_unstable();
    assert_eq!(back, vec![1, 2]);
    assert!(buffer.is_closed() && buffer.is_empty());
}

#[test]
fn close_and_drain_wakes_blocked_getters() {
    let buffer = SharedBuffer::<i32>::new(1);
    let getters: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            std::thread::spawn(move || buffer.get())
        })
        .collect();
    wait_until(|| buffer.shared.lane(Side::Get).waiting == 2);
    assert_eq!(buffer.close_and_drain(), Vec::<i32>::new());
    for getter in getters {
        assert_eq!(getter.join().unwrap(), Err(GetError));
    }
}

#[test]
fn close_and_drain_wakes_joiners_once_no_task_is_left() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    let joiner = {
        let buffer = buffer.clone();
        std::thread::spawn(move || buffer.join())
    };
    wait_until(|| buffer.shared.put_lane.lock().joiners == 1);
    assert_eq!(buffer.close_and_drain(), vec![1, 2]);
    joiner.join().unwrap();
    assert_eq!(buffer.unfinished_tasks(), 0);
}

#[test]
fn pills_come_after_every_item_and_take_no_slot() {
    let buffer = SharedBuffer::new(2);
    buffer.put(1).unwrap();
    buffer.put(2).unwrap();
    // Full, and the pills still go in: they are a count, not items.
    buffer.put_pills(2);
    assert_eq!(buffer.len(), 2);
    assert!(buffer.is_full());
    assert_eq!(buffer.get_message(), Ok(Message::Item(1)));
    assert_eq!(buffer.get_message(), Ok(Message::Item(2)));
    assert_eq!(buffer.get_message(), Ok(Message::PoisonPill));
    assert_eq!(buffer.get_message(), Ok(Message::PoisonPill));
    // Both taken: the next get would wait; the public ones never see one.
    assert_eq!(buffer.try_get(), Err(TryGetError::Empty));
    let (items, counted) = lanes(&buffer);
    assert!(items.is_empty() && counted);
}

#[test]
fn pills_wake_getters_asleep_on_the_empty_buffer() {
    let buffer = SharedBuffer::<i32>::new(1);
    let getters: Vec<_> = (0..2)
        .map(|_| {
            let buffer = buffer.clone();
            std::thread::spawn(move || buffer.get_message())
        })
        .collect();
    wait_until(|| buffer.shared.lane(Side::Get).waiting == 2);
    buffer.put_pills(2);
    for getter in getters {
        assert_eq!(getter.join().unwrap(), Ok(Message::PoisonPill));
    }
    assert_eq!(buffer.shared.lane(Side::Get).pills, 0);
}

/// Where a lane's storage starts (an empty lane's too), to tell whether a
/// batch call traded storage or copied items.
fn storage<T>(buffer: &SharedBuffer<T>, side: Side) -> *const T {
    buffer.shared.lane(side).items.as_slices().0.as_ptr()
}

#[test]
fn whole_batches_trade_storage_instead_of_copying() {
    let buffer = SharedBuffer::new(4);
    let put_storage = storage(&buffer, Side::Put);
    // A chunk of exactly the capacity into the empty put lane: the lane
    // takes the chunk's storage.
    buffer.put_many(0..4).unwrap();
    assert_ne!(storage(&buffer, Side::Put), put_storage, "put_many copied");
    assert_eq!(lanes(&buffer), (vec![0, 1, 2, 3], true));
    // Every item into an empty `out` of the lane's size: `out` takes the
    // lane's storage and the get lane keeps `out`'s.
    let mut out = Vec::with_capacity(4);
    let out_storage = out.as_ptr();
    assert_eq!(buffer.get_many_into(&mut out, 4), Ok(4));
    assert_eq!(out, [0, 1, 2, 3]);
    assert_ne!(out.as_ptr(), out_storage, "get_many_into copied");
    assert_eq!(storage(&buffer, Side::Get), out_storage);
    assert_eq!(lanes(&buffer), (vec![], true));
    // The traded storage serves the next rounds.
    buffer.put_many(4..8).unwrap();
    out.clear();
    assert_eq!(buffer.get_many_into(&mut out, 4), Ok(4));
    assert_eq!(out, [4, 5, 6, 7]);
}

#[test]
fn a_wrapped_ring_traded_to_out_comes_back_in_order() {
    let buffer = SharedBuffer::new(4);
    for i in 0..3 {
        buffer.put(i).unwrap();
    }
    // The refill swaps the lanes; the get lane's front moves past slot 0.
    assert_eq!(buffer.get(), Ok(0));
    buffer.put(3).unwrap();
    buffer.put(4).unwrap();
    // The refill appends 3 and 4 behind 1 and 2, wrapping the ring.
    let mut out = Vec::with_capacity(4);
    assert_eq!(buffer.get_many_into(&mut out, 4), Ok(4));
    assert_eq!(out, [1, 2, 3, 4]);
    assert_eq!(lanes(&buffer), (vec![], true));
}

#[test]
fn get_many_into_keeps_an_out_that_is_not_empty_or_much_larger() {
    let buffer = SharedBuffer::new(4);
    buffer.put_many(0..4).unwrap();
    let mut large: Vec<i32> = Vec::with_capacity(1 << 12);
    let large_storage = large.as_ptr();
    assert_eq!(buffer.get_many_into(&mut large, 4), Ok(4));
    assert_eq!(large, [0, 1, 2, 3]);
    assert_eq!(large.as_ptr(), large_storage, "the buffer kept a huge out");
    buffer.put_many(4..8).unwrap();
    let mut holding = Vec::with_capacity(8);
    holding.push(-1);
    let holding_storage = holding.as_ptr();
    assert_eq!(buffer.get_many_into(&mut holding, 4), Ok(4));
    assert_eq!(holding, [-1, 4, 5, 6, 7]);
    assert_eq!(holding.as_ptr(), holding_storage);
    assert_eq!(lanes(&buffer), (vec![], true));
}
