//! The interface every model scenario is written against, implemented by
//! the real `prodcon::SharedBuffer` and by the known-buggy buffers.

use prodcon::{GetTimeoutError, PutTimeoutError, SharedBuffer, TaskDoneError};
use std::time::Duration;

/// Stops a model timer started by [`Queue::start_timer`].
pub struct StopTimer(pub Box<dyn FnOnce()>);

impl StopTimer {
    pub fn stop(self) {
        (self.0)()
    }
}

/// A bounded blocking buffer as the models see it.
pub trait Queue<T>: Clone + Send + Sync + 'static {
    /// A short name for messages.
    const NAME: &'static str;
    fn with_capacity(capacity: usize) -> Self;
    /// `Err(item)`: closed, the item comes back.
    fn put(&self, item: T) -> Result<(), T>;
    /// `None`: closed and empty.
    fn get(&self) -> Option<T>;
    fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>>;
    fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError>;
    fn close(&self) -> bool;
    fn drain(&self) -> Vec<T>;
    fn task_done(&self) -> Result<(), TaskDoneError>;
    fn join(&self);
    fn join_timeout(&self, timeout: Duration) -> bool;
    fn len(&self) -> usize;
    /// The model timer and spurious wakeups of the facade this buffer is
    /// built on.
    fn start_timer(firings: usize) -> StopTimer;
    fn spurious_wakeup();
}

impl<T: Send + 'static> Queue<T> for SharedBuffer<T> {
    const NAME: &'static str = "SharedBuffer";
    fn with_capacity(capacity: usize) -> Self {
        SharedBuffer::new(capacity)
    }
    fn put(&self, item: T) -> Result<(), T> {
        SharedBuffer::put(self, item).map_err(|e| e.into_inner())
    }
    fn get(&self) -> Option<T> {
        SharedBuffer::get(self).ok()
    }
    fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutTimeoutError<T>> {
        SharedBuffer::put_timeout(self, item, timeout)
    }
    fn get_timeout(&self, timeout: Duration) -> Result<T, GetTimeoutError> {
        SharedBuffer::get_timeout(self, timeout)
    }
    fn close(&self) -> bool {
        SharedBuffer::close(self)
    }
    fn drain(&self) -> Vec<T> {
        SharedBuffer::drain(self)
    }
    fn task_done(&self) -> Result<(), TaskDoneError> {
        SharedBuffer::task_done(self)
    }
    fn join(&self) {
        SharedBuffer::join(self)
    }
    fn join_timeout(&self, timeout: Duration) -> bool {
        SharedBuffer::join_timeout(self, timeout)
    }
    fn len(&self) -> usize {
        SharedBuffer::len(self)
    }
    fn start_timer(firings: usize) -> StopTimer {
        let timer = prodcon::model::Timer::start(firings);
        StopTimer(Box::new(move || timer.stop()))
    }
    fn spurious_wakeup() {
        prodcon::model::spurious_wakeup()
    }
}
