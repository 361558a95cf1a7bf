//! prodcon (crate docs: written below once the pipeline lands)
#![forbid(unsafe_code)]

mod buffer;
mod error;
mod sync;

pub use buffer::SharedBuffer;
pub use error::{
    GetError, GetTimeoutError, PutError, PutTimeoutError, SystemError, TaskDoneError, TryGetError,
    TryPutError,
};

#[cfg(any(loom, shuttle))]
pub use sync::model;

#[doc(hidden)]
pub mod __private {
    /// `true` when the crate was built with `--cfg loom` or `--cfg shuttle`.
    /// rustdoc does not see those cfgs, but doctests link the model-built
    /// library, where a buffer may only be used inside a model: the
    /// doctests check this and return early.
    pub const MODEL_BUILD: bool = cfg!(any(loom, shuttle));
}
