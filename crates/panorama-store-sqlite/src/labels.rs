//! Labels on SQLite: their events go in by the events table's multi-row inserts.

use crate::SqliteDb;
use async_trait::async_trait;

#[async_trait]
impl panorama_store_sql::LabelsSql for SqliteDb {}
