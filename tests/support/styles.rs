//! The call styles of the std threaded tests (`tests/buffer_stress.rs`,
//! `tests/buffer_proptest.rs`): how a producer puts and a consumer takes,
//! each with the blocking call, a timed call retried, or a `try_` call
//! spun on. Included by `#[path]`, not through `support/mod.rs`, whose
//! modules are the model harness.
#![allow(unreachable_pub)]

use std::thread;
use std::time::Duration;

use prodcon::{GetTimeoutError, PutTimeoutError, SharedBuffer, TryGetError, TryPutError};

/// How a producer puts its items.
#[derive(Clone, Copy, Debug)]
pub enum PutStyle {
    Blocking,
    TimeoutRetry,
    TrySpin,
}

/// How a consumer takes items.
#[derive(Clone, Copy, Debug)]
pub enum GetStyle {
    Blocking,
    TimeoutRetry,
    TrySpin,
}

pub const PUT_STYLES: [PutStyle; 3] = [
    PutStyle::Blocking,
    PutStyle::TimeoutRetry,
    PutStyle::TrySpin,
];
pub const GET_STYLES: [GetStyle; 3] = [
    GetStyle::Blocking,
    GetStyle::TimeoutRetry,
    GetStyle::TrySpin,
];

/// Puts `items` in order; a timed put waits at most `retry` a try. Panics
/// if the buffer is closed while it produces.
pub fn produce(
    buffer: &SharedBuffer<u64>,
    items: std::ops::Range<u64>,
    style: PutStyle,
    retry: Duration,
) {
    for item in items {
        match style {
            PutStyle::Blocking => buffer.put(item).expect("closed while producing"),
            PutStyle::TimeoutRetry => {
                let mut item = item;
                loop {
                    match buffer.put_timeout(item, retry) {
                        Ok(()) => break,
                        Err(PutTimeoutError::Timeout(back)) => item = back,
                        Err(PutTimeoutError::Closed(_)) => panic!("closed while producing"),
                    }
                }
            }
            PutStyle::TrySpin => {
                let mut item = item;
                loop {
                    match buffer.try_put(item) {
                        Ok(()) => break,
                        Err(TryPutError::Full(back)) => {
                            item = back;
                            thread::yield_now();
                        }
                        Err(TryPutError::Closed(_)) => panic!("closed while producing"),
                    }
                }
            }
        }
    }
}

/// Takes items until the buffer is closed and empty, marking each done;
/// a timed get waits at most `retry` a try.
pub fn consume(buffer: &SharedBuffer<u64>, style: GetStyle, retry: Duration) -> Vec<u64> {
    let mut received = Vec::new();
    loop {
        let item = match style {
            GetStyle::Blocking => match buffer.get() {
                Ok(item) => item,
                Err(_) => break,
            },
            GetStyle::TimeoutRetry => match buffer.get_timeout(retry) {
                Ok(item) => item,
                Err(GetTimeoutError::Timeout) => continue,
                Err(GetTimeoutError::Closed) => break,
            },
            GetStyle::TrySpin => match buffer.try_get() {
                Ok(item) => item,
                Err(TryGetError::Empty) => {
                    thread::yield_now();
                    continue;
                }
                Err(TryGetError::Closed) => break,
            },
        };
        received.push(item);
        buffer
            .task_done()
            .expect("task_done with no unfinished task");
    }
    received
}
