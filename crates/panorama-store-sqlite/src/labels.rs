//! Labels on SQLite: their events go in by the events table's multi-row inserts.

use crate::SqliteDb;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::event::Event;
use sqlx::SqliteConnection;

#[async_trait]
impl panorama_store_sql::LabelsSql for SqliteDb {
    async fn insert_label_events(
        connection: &mut SqliteConnection,
        events: &[Event],
    ) -> Result<()> {
        crate::events::insert_events(connection, events).await
    }
}
