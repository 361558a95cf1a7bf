//! The pipeline's message type.

/// What travels through the system's buffer: an item, or the signal for
/// one consumer to stop.
///
/// A typed message rather than a sentinel value, so that no item can ever
/// be mistaken for a pill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Message<T> {
    /// A work item.
    Item(T),
    /// Tells the consumer that takes it to finish.
    PoisonPill,
}

impl<T> Message<T> {
    /// The item, or `None` for a pill.
    pub(crate) fn into_item(self) -> Option<T> {
        match self {
            Message::Item(item) => Some(item),
            Message::PoisonPill => None,
        }
    }
}
