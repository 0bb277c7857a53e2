//! The store's copying every table between stores (CopyStore), written once over [`Backend`](crate::Backend).

/// What copy needs that differs between databases (SQL text, batch primitives).
pub trait CopySql: Send + Sync {}
