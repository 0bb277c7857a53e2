//! The store's saved import column mappings (ImportMappingStore), written once over [`Backend`](crate::Backend).

/// What import mappings needs that differs between databases (SQL text, batch primitives).
pub trait ImportMappingsSql: Send + Sync {}
