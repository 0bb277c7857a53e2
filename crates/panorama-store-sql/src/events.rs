//! The store's events, their identity resolution and merges (EventStore), written once over [`Backend`](crate::Backend).

/// What events needs that differs between databases (SQL text, batch primitives).
pub trait EventsSql: Send + Sync {}
