//! Access on SQLite: what differs from PostgreSQL is where a write that orders nothing runs.

use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_store_sql::Sql;

#[async_trait]
impl panorama_store_sql::AccessSql for SqliteDb {
    async fn write_unordered(&self, statement: Sql) -> Result<u64> {
        // Only the writer writes; one statement needs no transaction around it.
        let mut connection = self.writer.acquire().await.map_err(db)?;
        statement.execute::<Self>(&mut connection).await
    }
}
