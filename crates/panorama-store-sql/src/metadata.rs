//! The store's attribute and event definitions (MetadataStore), written once over [`Backend`](crate::Backend).

/// What metadata needs that differs between databases (SQL text, batch primitives).
pub trait MetadataSql: Send + Sync {}
