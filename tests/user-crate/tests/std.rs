//! The user code on real threads (prodcon's std build): what `cargo test`
//! runs without a model cfg.
#![cfg(not(any(loom, shuttle, prodcon_loom, prodcon_shuttle)))]

use prodcon_user_example::{WorkQueue, drafts, pool_sum, relay};
use std::thread;
use std::time::Duration;

#[test]
fn workers_sum_every_job_once() {
    let queue = WorkQueue::new(3, 4);
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let queue = queue.clone();
            thread::spawn(move || queue.work())
        })
        .collect();
    queue.submit_all(1..=1000).unwrap();
    queue.submit(1001).unwrap();
    queue.finish();
    let sum: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(sum, 1001 * 1002 / 2);
    assert_eq!(queue.submit(7), Err(7), "a finished queue refuses jobs");
}

#[test]
fn relay_finishes_the_next_stage() {
    let input = WorkQueue::new(2, 1);
    let output = WorkQueue::new(2, 3);
    let stage = {
        let (input, output) = (input.clone(), output.clone());
        thread::spawn(move || relay(&input, &output, |job| job * 10))
    };
    let worker = {
        let output = output.clone();
        thread::spawn(move || output.work())
    };
    input.submit_all(1..=100).unwrap();
    input.finish();
    assert_eq!(stage.join().unwrap(), 100);
    assert_eq!(worker.join().unwrap(), 50_500);
}

#[test]
fn relay_stops_relaying_once_the_next_stage_is_finished() {
    let input = WorkQueue::new(4, 1);
    let output = WorkQueue::new(4, 1);
    output.finish();
    input.submit_all([1, 2, 3]).unwrap();
    input.finish();
    assert_eq!(relay(&input, &output, |job| job), 0);
    assert!(input.leftover().is_empty(), "the stage emptied its input");
}

/// The draft never finishes its output: after the stage has relayed every
/// job and returned, the next stage still accepts jobs, so its worker,
/// which stops only on a finished queue, would wait forever.
#[test]
fn the_draft_relay_leaves_the_next_stage_open() {
    let input = WorkQueue::new(2, 1);
    let output = WorkQueue::new(2, 1);
    let worker = {
        let output = output.clone();
        thread::spawn(move || output.work())
    };
    input.submit(5).unwrap();
    input.finish();
    assert_eq!(drafts::relay_that_never_finishes(&input, &output, |j| j), 1);
    assert_eq!(output.submit(6), Ok(()), "the draft left its output open");
    // Finishing the queue by hand is what the draft forgot.
    output.finish();
    assert_eq!(worker.join().unwrap(), 11);
}

#[test]
fn collect_until_idle_returns_what_came_before_the_pause() {
    let queue = WorkQueue::new(4, 1);
    queue.submit_all([3, 1, 2]).unwrap();
    assert_eq!(
        queue.collect_until_idle(Duration::from_millis(1)),
        [3, 1, 2]
    );
    queue.submit(4).unwrap();
    queue.finish();
    assert_eq!(queue.collect_until_idle(Duration::MAX), [4]);
}

#[test]
fn offer_gives_the_job_back_when_there_is_no_room() {
    let queue = WorkQueue::new(1, 1);
    assert_eq!(queue.offer(1, Duration::ZERO), Ok(()));
    assert_eq!(queue.offer(2, Duration::from_millis(1)), Err(2));
    assert_eq!(queue.leftover(), [1]);
}

#[test]
fn pool_sum_consumes_every_job() {
    let sources = (0..4u64)
        .map(|p| (0..250).map(|i| p * 250 + i).collect())
        .collect();
    assert_eq!(pool_sum(sources, 3, 2), Ok(999 * 1000 / 2));
    assert!(pool_sum(vec![vec![1]], 1, 0).is_err());
}
