//! `CopyStore`: everything a store holds, read and written table by table in one canonical row
//! shape, so `panorama copy` moves a store between any two backends and proves it with counts
//! and checksums computed the same way on both sides.
//!
//! A copy row is a JSON object of a table's shared columns: ids as lower-case text, times and
//! counts as integers, flags as booleans, JSON columns as JSON values, NULL as `null`. Which
//! tables there are, and their columns, is the store's knowledge (`panorama-store-sql`'s
//! `COPY_TABLES`): this crate names no table.

mod checksum;

pub use checksum::CopyChecksum;

use crate::error::Result;
use async_trait::async_trait;
use serde_json::{Map, Value};

/// One row in the canonical shape (column name to value).
pub type CopyRow = Map<String, Value>;

/// Copying a whole store into another: one store area of [`super::Store`]. Tables are named as
/// the store's table list names them; a name it does not list is an error.
#[async_trait]
pub trait CopyStore: Send + Sync {
    /// The rows `table` holds.
    async fn copy_count(&self, table: &str) -> Result<u64>;
    /// Up to `limit` rows of `table` in key order, after the key of `after` (from the start when
    /// `None`), in the canonical shape.
    async fn copy_read(
        &self,
        table: &str,
        after: Option<&CopyRow>,
        limit: u64,
    ) -> Result<Vec<CopyRow>>;
    /// Get ready to receive a copy: when every table holding data (not presets a migration
    /// installs) is empty, remove the presets and answer an empty list; otherwise change nothing
    /// and answer the tables holding rows, with their counts.
    async fn copy_begin(&self) -> Result<Vec<(&'static str, u64)>>;
    /// Write canonical rows of `table`, in one transaction, keeping their ids.
    async fn copy_write(&self, table: &str, rows: &[CopyRow]) -> Result<()>;
    /// After the last table: bring derived data up to date (label counts, id sequences, ...).
    async fn copy_finish(&self) -> Result<()>;
}
