//! What the events area (`panorama-store-sql`'s `events`) needs from SQLite: ingests queued in
//! front of the one writer and written in groups (`ingest_group`), event rows from texts the
//! requesters made (`events.rs`), look-ups folded into one JSON value by `json_group_array`, and a
//! merge's rows (`merge_rows.rs`). The rest calls other areas' SQLite code until those are
//! written once.

use crate::bulk::SMALL_ROWS_PER_STATEMENT;
use crate::convert::micros;
use crate::events::{NewEventRow, PendingEvent};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::{Event, IncomingEvent, IngestOutcome, MergeRecord};
use panorama_store_sql::EventsSql;
use panorama_store_sql::events::MergeRows;
use serde_json::{Map, Value as Json};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

#[async_trait]
impl EventsSql for SqliteDb {
    const EVENT_IDS_TABLE: &'static str = "events";

    type Pending = PendingEvent;

    fn pending(event: IncomingEvent) -> Result<PendingEvent> {
        PendingEvent::new(event)
    }

    fn incoming(pending: &PendingEvent) -> &IncomingEvent {
        &pending.event
    }

    fn json_agg(expr: &str) -> String {
        format!("json_group_array({expr})")
    }

    fn json_array(exprs: &[&str]) -> String {
        format!("json_array({})", exprs.join(", "))
    }

    fn json_column(column: &str) -> String {
        format!("json({column})")
    }

    async fn ingest(
        &self,
        events: Vec<IncomingEvent>,
        context: &WriteContext,
    ) -> Result<Vec<IngestOutcome>> {
        self.ingest_queue.ingest(events, context).await
    }

    async fn insert_ingested(
        conn: &mut SqliteConnection,
        rows: Vec<(ContactId, &PendingEvent)>,
    ) -> Result<u64> {
        let rows = rows
            .into_iter()
            .map(|(contact_id, pending)| NewEventRow {
                contact_id,
                occurred_at: micros(pending.event.occurred_at),
                text: pending.text.clone(),
            })
            .collect();
        crate::events::insert_rows(conn, rows).await
    }

    async fn insert_events(conn: &mut SqliteConnection, events: &[Event]) -> Result<()> {
        crate::events::insert_events(conn, events).await
    }

    async fn insert_anonymous(
        conn: &mut SqliteConnection,
        rows: &[(String, ContactId)],
    ) -> Result<()> {
        for chunk in rows.chunks(SMALL_ROWS_PER_STATEMENT / 2) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO contact_anonymous_ids (anonymous_id, contact_id) ",
            );
            query.push_values(chunk, |mut row, (anonymous_id, contact_id)| {
                row.push_bind(anonymous_id.as_str())
                    .push_bind(contact_id.to_string());
            });
            query
                .push(" ON CONFLICT (anonymous_id) DO UPDATE SET contact_id = excluded.contact_id");
            query.build().execute(&mut *conn).await.map_err(db)?;
        }
        Ok(())
    }

    async fn update_attributes(
        conn: &mut SqliteConnection,
        changed: Vec<(ContactId, Map<String, Json>)>,
    ) -> Result<()> {
        let changed: Map<String, Json> = changed
            .into_iter()
            .map(|(id, attributes)| (id.to_string(), Json::Object(attributes)))
            .collect();
        // One statement for every contact: {contact_id: attributes} unpacked by SQLite. A join,
        // so the object is parsed once (a subquery per row parsed it again for each contact:
        // 11 ms for 150 contacts in an ingest of 3,000 events).
        sqlx::query(
            "UPDATE contacts SET attributes = j.value FROM json_each($1) AS j
             WHERE contacts.contact_id = j.key",
        )
        .bind(Json::Object(changed).to_string())
        .execute(conn)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn merge_rows(
        conn: &mut SqliteConnection,
        merges: &[(ContactId, ContactId)],
    ) -> Result<Vec<MergeRows>> {
        crate::merge_rows::snapshot(conn, merges).await
    }

    async fn restore_rows(
        conn: &mut SqliteConnection,
        record: &MergeRecord,
        rows: MergeRows,
    ) -> Result<()> {
        crate::merge_rows::restore(conn, record, rows).await
    }
}
