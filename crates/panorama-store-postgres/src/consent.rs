//! Consent on PostgreSQL: explicit changes, the consent effects of events, hard bounces, and the
//! `consent_history` table that every consent change leaves a row in. The rules are core's
//! (`apply_change`, `apply_event`); this module loads and saves.

use crate::convert::{micros, timestamp};
use crate::db;
use panorama_core::contact::{
    ConsentChange, ConsentEntry, ConsentRecord, Contact, ContactId, apply_event, consent_effect,
    entry_of_event, parse_channel,
};
use panorama_core::event::Event;
use panorama_core::{Error, Result};
use sqlx::{FromRow, PgConnection};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Record a history row for every `subscription_change` event among `events` (record writes,
/// merges, imports). Rows already written by the explicit path (same entry id) stay as they are.
pub(crate) async fn record_history(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
    let entries: Vec<ConsentEntry> = events.iter().filter_map(entry_of_event).collect();
    insert_entries(connection, &entries).await
}

/// Insert history entries with one statement; an entry id already stored changes nothing.
async fn insert_entries(connection: &mut PgConnection, entries: &[ConsentEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let contact_ids: Vec<Uuid> = entries.iter().map(|e| e.contact_id.uuid()).collect();
    let changed_at: Vec<i64> = entries.iter().map(|e| micros(e.at)).collect();
    let entry_ids: Vec<&str> = entries.iter().map(|e| e.entry_id.as_str()).collect();
    let channels: Vec<&str> = entries.iter().map(|e| e.channel.as_str()).collect();
    let changes: Vec<&str> = entries.iter().map(|e| e.change.as_str()).collect();
    let sources: Vec<&str> = entries.iter().map(|e| e.source.as_str()).collect();
    let consents: Vec<Option<&str>> = entries.iter().map(|e| e.consent.as_deref()).collect();
    let actors: Vec<Option<&str>> = entries.iter().map(|e| e.actor.as_deref()).collect();
    sqlx::query(
        "INSERT INTO consent_history (contact_id, changed_at, entry_id, channel, change, source, consent, actor)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
             $7::text[], $8::text[])
         ON CONFLICT DO NOTHING",
    )
    .bind(contact_ids)
    .bind(changed_at)
    .bind(entry_ids)
    .bind(channels)
    .bind(changes)
    .bind(sources)
    .bind(consents)
    .bind(actors)
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Save a contact's consent columns (channels and bounce) and its update time.
pub(crate) async fn save_consent(connection: &mut PgConnection, contact: &Contact) -> Result<()> {
    let consent = &contact.subscription;
    sqlx::query(
        "UPDATE contacts SET global_subscribed = $2, global_changed_at = $3, global_source = $4,
            email_subscribed = $5, email_changed_at = $6, email_source = $7,
            mobile_subscribed = $8, mobile_changed_at = $9, mobile_source = $10,
            email_bounced_address = $11, email_bounced_at = $12, updated_at = $13
         WHERE contact_id = $1",
    )
    .bind(contact.contact_id.uuid())
    .bind(consent.global.subscribed)
    .bind(micros(consent.global.changed_at))
    .bind(&consent.global.source)
    .bind(consent.email.subscribed)
    .bind(micros(consent.email.changed_at))
    .bind(&consent.email.source)
    .bind(consent.mobile.subscribed)
    .bind(micros(consent.mobile.changed_at))
    .bind(&consent.mobile.source)
    .bind(consent.email_bounce.as_ref().map(|b| b.address.as_str()))
    .bind(consent.email_bounce.as_ref().map(|b| micros(b.at)))
    .bind(micros(contact.updated_at))
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Save what consent changes recorded: their history entries and `subscription_change` events.
pub(crate) async fn save_records(
    connection: &mut PgConnection,
    records: &[ConsentRecord],
) -> Result<()> {
    let entries: Vec<ConsentEntry> = records.iter().map(|r| r.entry.clone()).collect();
    insert_entries(connection, &entries).await?;
    let events: Vec<Event> = records.iter().filter_map(|r| r.event.clone()).collect();
    crate::events::insert_events(connection, &events).await
}

/// Apply the consent effects of `events` (already stored, or stored in the same transaction by
/// the caller) to their contacts: the hook for event ingest. Returns how many changed something.
pub(crate) async fn apply_event_effects(
    connection: &mut PgConnection,
    events: &[Event],
) -> Result<u64> {
    let mut by_contact: BTreeMap<ContactId, Vec<&Event>> = BTreeMap::new();
    for event in events {
        if consent_effect(&event.event).is_some() {
            by_contact.entry(event.contact_id).or_default().push(event);
        }
    }
    if by_contact.is_empty() {
        return Ok(0);
    }
    let ids: Vec<ContactId> = by_contact.keys().copied().collect();
    let mut contacts: HashMap<ContactId, Contact> = crate::contacts::by_ids(connection, &ids)
        .await?
        .into_iter()
        .map(|contact| (contact.contact_id, contact))
        .collect();
    let mut records = Vec::new();
    for (contact_id, mut events) in by_contact {
        let Some(contact) = contacts.get_mut(&contact_id) else {
            continue;
        };
        events.sort_by_key(|e| e.occurred_at);
        let before = records.len();
        for event in events {
            records.extend(apply_event(contact, event));
        }
        if records.len() > before {
            save_consent(connection, contact).await?;
        }
    }
    save_records(connection, &records).await?;
    Ok(u64::try_from(records.len()).unwrap_or(u64::MAX))
}

/// One `consent_history` row.
#[derive(FromRow)]
pub(crate) struct EntryRow {
    contact_id: Uuid,
    changed_at: i64,
    entry_id: String,
    channel: String,
    change: String,
    source: String,
    consent: Option<String>,
    actor: Option<String>,
}

impl EntryRow {
    /// The history entry this row stores.
    pub(crate) fn into_entry(self) -> Result<ConsentEntry> {
        Ok(ConsentEntry {
            entry_id: self.entry_id,
            contact_id: ContactId::from_uuid(self.contact_id),
            channel: parse_channel(&self.channel).map_err(Error::internal)?,
            change: ConsentChange::parse(&self.change).map_err(Error::internal)?,
            at: timestamp(self.changed_at)?,
            source: self.source,
            consent: self.consent,
            actor: self.actor,
        })
    }
}

/// A contact's latest `limit` history entries, newest first.
pub(crate) async fn history(
    connection: &mut PgConnection,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<ConsentEntry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT contact_id, changed_at, entry_id, channel, change, source, consent, actor
         FROM consent_history WHERE contact_id = $1
         ORDER BY changed_at DESC, entry_id DESC LIMIT $2",
    )
    .bind(contact_id.uuid())
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(connection)
    .await
    .map_err(db)?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}
