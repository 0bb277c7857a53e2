//! The store's jobs and their leases (JobStore), written once over [`Backend`](crate::Backend).

/// What jobs needs that differs between databases (SQL text, batch primitives).
pub trait JobsSql: Send + Sync {}
