//! Access on PostgreSQL: what differs from SQLite is where a write that orders nothing runs.

use crate::PostgresDb;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_store_sql::Backend;

#[async_trait]
impl panorama_store_sql::AccessSql for PostgresDb {
    async fn unordered_writer(&self) -> Result<<Self as Backend>::Read> {
        // Outside the write lock: it orders nothing and other writers need not wait.
        self.read().await
    }
}
