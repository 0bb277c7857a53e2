//! Consent on SQLite: explicit changes, the consent effects of events, hard bounces, and the
//! `consent_history` table that every consent change leaves a row in.

use crate::convert::{micros, timestamp};
use crate::{SqliteDb, contacts, db};
use async_trait::async_trait;
use panorama_core::contact::{
    ConsentChange, ConsentEntry, ConsentRecord, Contact, ContactId, HardBounce, SubscriptionChange,
    apply_change, apply_event, entry_of_event, parse_channel,
};
use panorama_core::event::Event;
use panorama_core::store::{ConsentStore, SubscriptionOutcome};
use panorama_core::{Error, Result};
use sqlx::{FromRow, SqliteConnection};
use std::collections::BTreeMap;

/// The stored bounce columns as a `HardBounce`.
pub(crate) fn bounce_of(address: Option<String>, at: Option<i64>) -> Result<Option<HardBounce>> {
    match (address, at) {
        (Some(address), Some(at)) => Ok(Some(HardBounce {
            address,
            at: timestamp(at)?,
        })),
        _ => Ok(None),
    }
}

/// Record a history row for every `subscription_change` event among `events` (record writes,
/// merges, imports). Rows already written by the explicit path (same entry id) stay as they are.
pub(crate) async fn record_history(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<()> {
    for entry in events.iter().filter_map(entry_of_event) {
        insert_entry(connection, &entry).await?;
    }
    Ok(())
}

async fn insert_entry(connection: &mut SqliteConnection, entry: &ConsentEntry) -> Result<()> {
    sqlx::query(
        "INSERT INTO consent_history (contact_id, changed_at, entry_id, channel, change, source, consent, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    )
    .bind(entry.contact_id.to_string())
    .bind(micros(entry.at))
    .bind(&entry.entry_id)
    .bind(entry.channel.as_str())
    .bind(entry.change.as_str())
    .bind(&entry.source)
    .bind(&entry.consent)
    .bind(&entry.actor)
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Save a contact's consent columns (channels and bounce) and its update time.
async fn save_consent(connection: &mut SqliteConnection, contact: &Contact) -> Result<()> {
    let consent = &contact.subscription;
    sqlx::query(
        "UPDATE contacts SET global_subscribed = $2, global_changed_at = $3, global_source = $4,
            email_subscribed = $5, email_changed_at = $6, email_source = $7,
            mobile_subscribed = $8, mobile_changed_at = $9, mobile_source = $10,
            email_bounced_address = $11, email_bounced_at = $12, updated_at = $13
         WHERE contact_id = $1",
    )
    .bind(contact.contact_id.to_string())
    .bind(consent.global.subscribed)
    .bind(micros(consent.global.changed_at))
    .bind(&consent.global.source)
    .bind(consent.email.subscribed)
    .bind(micros(consent.email.changed_at))
    .bind(&consent.email.source)
    .bind(consent.mobile.subscribed)
    .bind(micros(consent.mobile.changed_at))
    .bind(&consent.mobile.source)
    .bind(consent.email_bounce.as_ref().map(|b| b.address.clone()))
    .bind(consent.email_bounce.as_ref().map(|b| micros(b.at)))
    .bind(micros(contact.updated_at))
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

async fn save_record(connection: &mut SqliteConnection, record: &ConsentRecord) -> Result<()> {
    insert_entry(connection, &record.entry).await?;
    if let Some(event) = &record.event {
        crate::events::insert_events(connection, std::slice::from_ref(event)).await?;
    }
    Ok(())
}

/// Apply the consent effects of `events` (already stored, or stored in the same transaction by
/// the caller) to their contacts: the hook for event ingest. Returns how many changed something.
pub(crate) async fn apply_event_effects(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<u64> {
    let mut by_contact: BTreeMap<ContactId, Vec<&Event>> = BTreeMap::new();
    for event in events {
        if panorama_core::contact::consent_effect(&event.event).is_some() {
            by_contact.entry(event.contact_id).or_default().push(event);
        }
    }
    let mut changed = 0;
    for (contact_id, mut events) in by_contact {
        let Some(mut contact) = contacts::get(connection, contact_id).await? else {
            continue;
        };
        events.sort_by_key(|e| e.occurred_at);
        let mut records = Vec::new();
        for event in events {
            records.extend(apply_event(&mut contact, event));
        }
        if records.is_empty() {
            continue;
        }
        save_consent(connection, &contact).await?;
        for record in &records {
            save_record(connection, record).await?;
        }
        changed += u64::try_from(records.len()).unwrap_or(u64::MAX);
    }
    Ok(changed)
}

#[derive(FromRow)]
struct EntryRow {
    contact_id: String,
    changed_at: i64,
    entry_id: String,
    channel: String,
    change: String,
    source: String,
    consent: Option<String>,
    actor: Option<String>,
}

impl EntryRow {
    fn into_entry(self) -> Result<ConsentEntry> {
        Ok(ConsentEntry {
            entry_id: self.entry_id,
            contact_id: ContactId::parse(&self.contact_id).map_err(Error::internal)?,
            channel: parse_channel(&self.channel).map_err(Error::internal)?,
            change: ConsentChange::parse(&self.change).map_err(Error::internal)?,
            at: timestamp(self.changed_at)?,
            source: self.source,
            consent: self.consent,
            actor: self.actor,
        })
    }
}

#[async_trait]
impl ConsentStore for SqliteDb {
    async fn change_subscription(
        &self,
        contact_id: ContactId,
        change: &SubscriptionChange,
        actor: &str,
    ) -> Result<SubscriptionOutcome> {
        let mut tx = self.write().await?;
        let mut contact = contacts::get(&mut tx, contact_id)
            .await?
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        let at = panorama_core::contact::now_micros();
        let record = apply_change(&mut contact, change, actor, at);
        if let Some(record) = &record {
            save_consent(&mut tx, &contact).await?;
            save_record(&mut tx, record).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(SubscriptionOutcome {
            contact,
            entry: record.map(|r| r.entry),
        })
    }

    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64> {
        let mut tx = self.write().await?;
        let changed = apply_event_effects(&mut tx, events).await?;
        tx.commit().await.map_err(db)?;
        Ok(changed)
    }

    async fn consent_history(
        &self,
        contact_id: ContactId,
        limit: u64,
    ) -> Result<Vec<ConsentEntry>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT contact_id, changed_at, entry_id, channel, change, source, consent, actor
             FROM consent_history WHERE contact_id = $1
             ORDER BY changed_at DESC, entry_id DESC LIMIT $2",
        )
        .bind(contact_id.to_string())
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        rows.into_iter().map(EntryRow::into_entry).collect()
    }

    async fn suppression_entries(
        &self,
        keys: &[panorama_core::contact::KeyValue],
    ) -> Result<Vec<panorama_core::contact::SuppressionEntry>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let hashes = panorama_core::contact::key_hashes(keys.iter());
        crate::suppression::entries(&mut connection, &hashes).await
    }
}
