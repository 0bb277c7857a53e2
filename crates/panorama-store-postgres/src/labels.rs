//! Labels on PostgreSQL: their events go in by the events table's bulk insert (`event_ids`
//! claims, COPY for large batches).

use crate::PostgresDb;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::event::Event;
use sqlx::PgConnection;

#[async_trait]
impl panorama_store_sql::LabelsSql for PostgresDb {
    async fn insert_label_events(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
        crate::events::insert_events(connection, events).await
    }
}
