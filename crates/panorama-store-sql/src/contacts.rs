//! The store's contacts: writes by batch, reads, the list (ContactStore), written once over [`Backend`](crate::Backend).

/// What contacts needs that differs between databases (SQL text, batch primitives).
pub trait ContactsSql: Send + Sync {}
