//! What the events area (`panorama-store-sql`'s `events`) needs from PostgreSQL: an ingest is a
//! write transaction of its own, event rows claim their ids in `event_ids` (`events.rs`), rows
//! travel as arrays (`unnest`), look-ups fold into one `json` value, and a merge's rows go through
//! the catalogue and `jsonb` (`merge_rows.rs`). The rest calls other areas' PostgreSQL code until
//! those are written once.

use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::{Event, IncomingEvent, IngestOutcome, MergeRecord};
use panorama_store_sql::EventsSql;
use panorama_store_sql::events::MergeRows;
use serde_json::{Map, Value as Json};
use sqlx::PgConnection;
use sqlx::types::Json as Jsonb;
use std::collections::HashMap;
use uuid::Uuid;

#[async_trait]
impl EventsSql for PostgresDb {
    const EVENT_IDS_TABLE: &'static str = "event_ids";

    type Pending = IncomingEvent;

    fn pending(event: IncomingEvent) -> Result<IncomingEvent> {
        Ok(event)
    }

    fn incoming(pending: &IncomingEvent) -> &IncomingEvent {
        pending
    }

    fn json_agg(expr: &str) -> String {
        format!("coalesce(json_agg({expr}), '[]'::json)")
    }

    fn json_array(exprs: &[&str]) -> String {
        format!("json_build_array({})", exprs.join(", "))
    }

    fn json_column(column: &str) -> String {
        column.to_owned()
    }

    async fn ingest(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        panorama_store_sql::events::ingest_alone(self, events, context).await
    }

    async fn insert_ingested(
        conn: &mut PgConnection,
        rows: Vec<(ContactId, &IncomingEvent)>,
    ) -> Result<u64> {
        let events: Vec<Event> = rows
            .into_iter()
            .map(|(contact_id, event)| Event {
                event_id: event.event_id.clone(),
                contact_id,
                event: event.event.clone(),
                occurred_at: event.occurred_at,
                properties: event.properties.clone(),
            })
            .collect();
        crate::events::insert_counted(conn, &events).await
    }

    async fn insert_events(conn: &mut PgConnection, events: &[Event]) -> Result<()> {
        crate::events::insert_events(conn, events).await
    }

    async fn insert_anonymous(conn: &mut PgConnection, rows: &[(String, ContactId)]) -> Result<()> {
        // One row per id, the last holder winning: ON CONFLICT DO UPDATE refuses to touch a row
        // twice.
        let mut latest: HashMap<&str, Uuid> = HashMap::with_capacity(rows.len());
        for (anonymous_id, contact_id) in rows {
            latest.insert(anonymous_id.as_str(), contact_id.uuid());
        }
        let (ids, holders): (Vec<&str>, Vec<Uuid>) = latest.into_iter().unzip();
        sqlx::query(
            "INSERT INTO contact_anonymous_ids (anonymous_id, contact_id)
             SELECT * FROM unnest($1::text[], $2::uuid[])
             ON CONFLICT (anonymous_id) DO UPDATE SET contact_id = excluded.contact_id",
        )
        .bind(ids)
        .bind(holders)
        .execute(conn)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn update_attributes(
        conn: &mut PgConnection,
        changed: Vec<(ContactId, Map<String, Json>)>,
    ) -> Result<()> {
        let (ids, attributes): (Vec<Uuid>, Vec<Jsonb<Map<String, Json>>>) = changed
            .into_iter()
            .map(|(id, attributes)| (id.uuid(), Jsonb(attributes)))
            .unzip();
        // One statement for every contact, the rows travelling as two arrays.
        sqlx::query(
            "UPDATE contacts SET attributes = changed.attributes
             FROM unnest($1::uuid[], $2::jsonb[]) AS changed (contact_id, attributes)
             WHERE contacts.contact_id = changed.contact_id",
        )
        .bind(ids)
        .bind(attributes)
        .execute(conn)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn merge_rows(
        conn: &mut PgConnection,
        merges: &[(ContactId, ContactId)],
    ) -> Result<Vec<MergeRows>> {
        crate::merge_rows::snapshot(conn, merges).await
    }

    async fn restore_rows(
        conn: &mut PgConnection,
        record: &MergeRecord,
        rows: MergeRows,
    ) -> Result<()> {
        crate::merge_rows::restore(conn, record, rows).await
    }
}
