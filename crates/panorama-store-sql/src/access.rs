//! The store's users, keys, sign-ins and the audit log (AccessStore, AuditStore), written once over [`Backend`](crate::Backend).

/// What access needs that differs between databases (SQL text, batch primitives).
pub trait AccessSql: Send + Sync {}
