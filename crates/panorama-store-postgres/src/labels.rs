//! Labels on PostgreSQL: their events go in by the events table's bulk insert (`event_ids`
//! claims, COPY for large batches).

use crate::PostgresDb;
use async_trait::async_trait;

#[async_trait]
impl panorama_store_sql::LabelsSql for PostgresDb {}
