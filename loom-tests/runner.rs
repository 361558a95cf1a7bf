//! The loom runner, for the loom targets that call it by this name; it
//! lives with the model harness in `tests/support/loom_runner.rs`.
#[allow(unused_imports)]
pub(crate) use crate::support::loom_runner::{assert_failure, check, rejects};
