//! Access on SQLite: what differs from PostgreSQL is where a write that orders nothing runs.

use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_store_sql::Backend;

#[async_trait]
impl panorama_store_sql::AccessSql for SqliteDb {
    async fn unordered_writer(&self) -> Result<<Self as Backend>::Read> {
        // Only the writer writes; one statement needs no transaction around it.
        self.writer.acquire().await.map_err(db)
    }
}
