//! The computed order attributes, recomputed from a contact's order events inside the write
//! transaction that changed them (ingest of order events, merges), so they are always exact.

use crate::convert::{EVENT_COLUMNS, EventRow};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, OrderBook};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection};
use std::collections::HashMap;
use uuid::Uuid;

/// A contact's `order` and `order_detail` events, oldest first (through the partial index
/// `events_orders`, whose WHERE term this query repeats).
pub(crate) async fn order_events(
    connection: &mut PgConnection,
    contact_id: ContactId,
) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events
         WHERE contact_id = $1 AND event IN ('order', 'order_detail') ORDER BY occurred_at, event_id"
    );
    let rows: Vec<EventRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(contact_id.uuid())
        .fetch_all(connection)
        .await
        .map_err(db)?;
    rows.into_iter().map(EventRow::into_event).collect()
}

/// Recompute `order_count`, `order_amount`, `first_order_at` and `last_order_at` of each contact,
/// writing only those that changed. Computed values change no `updated_at` and leave no event:
/// they follow from events already on the timeline. One read of the events, one of the contacts
/// and at most one update, whatever the number of contacts.
pub(crate) async fn refresh(
    connection: &mut PgConnection,
    contact_ids: &[ContactId],
) -> Result<()> {
    if contact_ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = contact_ids.iter().map(ContactId::uuid).collect();
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events
         WHERE contact_id = ANY($1::uuid[]) AND event IN ('order', 'order_detail')"
    );
    let rows: Vec<EventRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&ids)
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
    let mut by_contact: HashMap<ContactId, Vec<Event>> = HashMap::new();
    for row in rows {
        let event = row.into_event()?;
        by_contact.entry(event.contact_id).or_default().push(event);
    }
    let stored: Vec<(Uuid, Json<Map<String, Value>>)> = sqlx::query_as(
        "SELECT contact_id, attributes FROM contacts WHERE contact_id = ANY($1::uuid[])",
    )
    .bind(&ids)
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let mut changed_ids: Vec<Uuid> = Vec::new();
    let mut changed_attributes: Vec<Json<Map<String, Value>>> = Vec::new();
    for (contact_id, Json(mut attributes)) in stored {
        let events = by_contact
            .get(&ContactId::from_uuid(contact_id))
            .map_or(&[][..], Vec::as_slice);
        let book = OrderBook::from_events(events);
        let before = attributes.clone();
        for (name, value) in book.totals.attribute_values() {
            match value {
                Some(value) => attributes.insert(name.to_owned(), value),
                None => attributes.remove(name),
            };
        }
        if attributes != before {
            changed_ids.push(contact_id);
            changed_attributes.push(Json(attributes));
        }
    }
    if !changed_ids.is_empty() {
        // One statement for every changed contact.
        sqlx::query(
            "UPDATE contacts SET attributes = changed.attributes
             FROM unnest($1::uuid[], $2::jsonb[]) AS changed (contact_id, attributes)
             WHERE contacts.contact_id = changed.contact_id",
        )
        .bind(changed_ids)
        .bind(changed_attributes)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    }
    Ok(())
}
