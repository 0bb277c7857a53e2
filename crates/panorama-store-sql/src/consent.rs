//! The store's subscriptions, consent history and suppression (ConsentStore), written once over [`Backend`](crate::Backend).

/// What consent needs that differs between databases (SQL text, batch primitives).
pub trait ConsentSql: Send + Sync {}
