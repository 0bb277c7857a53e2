//! Access on PostgreSQL: what differs from SQLite is where a write that orders nothing runs.

use crate::PostgresDb;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_store_sql::Sql;

#[async_trait]
impl panorama_store_sql::AccessSql for PostgresDb {
    async fn write_unordered(&self, statement: Sql) -> Result<u64> {
        // A row update outside the write lock: it orders nothing and other writers need not wait.
        let mut connection = self.read().await?;
        statement.execute::<Self>(&mut connection).await
    }
}
