//! The computed order attributes, recomputed from a contact's order events inside the write
//! transaction that changed them (ingest of order events, merges, undoing a merge), so they are
//! always exact. Each read answers in one row (the rows folded into a JSON array): on SQLite a
//! thousand rows handed over one by one from the database thread cost more than the read.

use crate::{Arg, Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, OrderBook};
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use uuid::Uuid;

/// An order event as the look-up returns it: contact, event id, key, time, properties.
type OrderRow = (Uuid, String, String, i64, Map<String, Json>);

/// Recompute `order_count`, `order_amount`, `first_order_at` and `last_order_at` of each contact,
/// writing only those that changed. Computed values change no `updated_at` and leave no event:
/// they follow from events already on the timeline. One read of the events, one of the contacts
/// and at most one update, whatever the number of contacts.
pub(crate) async fn refresh<B: Backend>(
    conn: &mut B::Conn,
    contact_ids: &[ContactId],
) -> Result<()> {
    if contact_ids.is_empty() {
        return Ok(());
    }
    // `event IN (...)` exactly as the partial index `events_orders` says it, so it is used.
    let rows: Vec<OrderRow> = sql(format!(
        "SELECT {} FROM events WHERE event IN ('order', 'order_detail') AND {}",
        B::json_agg(&B::json_array(&[
            "contact_id",
            "event_id",
            "event",
            "occurred_at",
            &B::json_column("properties"),
        ])),
        B::in_list("contact_id", 1)
    ))
    .bind(Arg::contact_ids(contact_ids))
    .one::<B>(conn)
    .await?
    .json(0)?;
    let mut by_contact: HashMap<ContactId, Vec<Event>> = HashMap::new();
    for (contact_id, event_id, event, occurred_at, properties) in rows {
        let contact_id = ContactId::from_uuid(contact_id);
        by_contact.entry(contact_id).or_default().push(Event {
            event_id,
            contact_id,
            event,
            occurred_at: crate::convert::timestamp(occurred_at)?,
            properties,
        });
    }
    let stored: Vec<(Uuid, Map<String, Json>)> = sql(format!(
        "SELECT {} FROM contacts WHERE {}",
        B::json_agg(&B::json_array(&[
            "contact_id",
            &B::json_column("attributes")
        ])),
        B::in_list("contact_id", 1)
    ))
    .bind(Arg::contact_ids(contact_ids))
    .one::<B>(conn)
    .await?
    .json(0)?;
    let mut changed = Vec::new();
    for (contact_id, mut attributes) in stored {
        let contact_id = ContactId::from_uuid(contact_id);
        let events = by_contact.get(&contact_id).map_or(&[][..], Vec::as_slice);
        let book = OrderBook::from_events(events);
        let before = attributes.clone();
        for (name, value) in book.totals.attribute_values() {
            match value {
                Some(value) => attributes.insert(name.to_owned(), value),
                None => attributes.remove(name),
            };
        }
        if attributes != before {
            changed.push((contact_id, attributes));
        }
    }
    if !changed.is_empty() {
        B::update_attributes(conn, changed).await?;
    }
    Ok(())
}
