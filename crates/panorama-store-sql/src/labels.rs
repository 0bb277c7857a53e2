//! The store's label groups, labels and labels on contacts (LabelStore), written once over [`Backend`](crate::Backend).

/// What labels needs that differs between databases (SQL text, batch primitives).
pub trait LabelsSql: Send + Sync {}
