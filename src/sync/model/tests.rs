//! The model backend's own checks: the hooks reach the waiters they claim
//! to, under the checker they run on.

use super::{Condvar, Mutex, SpuriousWakeups, thread};
use std::sync::Arc;

#[cfg(model = "loom")]
fn model(f: impl Fn() + Send + Sync + 'static) {
    loom::model(f);
}

#[cfg(model = "shuttle")]
fn model(f: impl Fn() + Send + Sync + 'static) {
    shuttle::check_random(f, 200);
}

/// A thread that waits once, with no loop and nobody to notify it: only a
/// spurious wakeup ends its wait.
fn lone_waiter() -> thread::JoinHandle<()> {
    let pair = Arc::new((Mutex::new(()), Condvar::new()));
    thread::spawn(move || {
        let (lock, condvar) = &*pair;
        drop(condvar.wait(lock.lock()));
    })
}

/// The spurious-wakeup thread reaches a waiter whose wait began after the
/// thread started, in every execution the checker explores.
#[test]
fn the_spurious_wakeup_thread_reaches_a_later_waiter() {
    model(|| {
        let spurious = SpuriousWakeups::start(1);
        lone_waiter().join().unwrap();
        spurious.stop();
    });
}

/// Without it the same waiter sleeps forever: the checker reports a
/// deadlock, so the test above passes because of the hook.
#[test]
fn without_the_spurious_wakeup_thread_the_waiter_deadlocks() {
    let outcome = std::panic::catch_unwind(|| {
        model(|| lone_waiter().join().unwrap());
    });
    let payload = outcome.expect_err("a waiter nobody wakes was not reported");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(
        message.contains("deadlock"),
        "unexpected failure: {message}"
    );
}

/// Under loom, `notify_one` wakes the longest waiter, and inside
/// `newest_first` the newest one.
#[cfg(model = "loom")]
#[test]
fn notify_one_order_follows_the_switch() {
    use super::condvar::pick;
    assert_eq!(pick(3), 0);
    assert_eq!(super::newest_first(|| pick(3)), 2);
    assert_eq!(pick(3), 0, "the switch leaked out of newest_first");
}
