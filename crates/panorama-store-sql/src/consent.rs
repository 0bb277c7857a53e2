//! Consent written once (`ConsentStore`): explicit changes, the consent effects of events, hard
//! bounces, and the `consent_history` table every change leaves a row in. The rules are core's
//! (`apply_change`, `apply_event`); this module loads what they need and saves what they decide.
//! Record writes and event ingest call [`record_history`] and [`apply_event_effects`] inside
//! their own transactions.

mod history;

pub use history::record_history;

use crate::convert::{micros, timestamp};
use crate::{Backend, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::contact::{
    ConsentEntry, ConsentRecord, Contact, ContactId, HardBounce, KeyValue, SubscriptionChange,
    SuppressionEntry, apply_change, apply_event, consent_effect, key_hashes, now_micros,
};
use panorama_core::event::Event;
use panorama_core::store::{ConsentStore, SubscriptionOutcome};
use panorama_core::{Error, Result};
use std::collections::{BTreeMap, HashMap};

/// What consent needs from the areas beside it, which each backend still writes its own way:
/// loading whole contacts and recording events (WeChat's label events use the latter too).
#[async_trait]
pub trait ConsentSql: Send + Sync {}

/// The stored bounce columns as a `HardBounce`: both or neither are set.
pub fn bounce_of(address: Option<String>, at: Option<i64>) -> Result<Option<HardBounce>> {
    match (address, at) {
        (Some(address), Some(at)) => Ok(Some(HardBounce {
            address,
            at: timestamp(at)?,
        })),
        _ => Ok(None),
    }
}

/// Save a contact's consent columns (channels and bounce) and its update time.
async fn save_consent<B: Backend>(conn: &mut B::Conn, contact: &Contact) -> Result<()> {
    let consent = &contact.subscription;
    let bounce = consent.email_bounce.as_ref();
    sql(
        "UPDATE contacts SET global_subscribed = $2, global_changed_at = $3, global_source = $4,
            email_subscribed = $5, email_changed_at = $6, email_source = $7,
            mobile_subscribed = $8, mobile_changed_at = $9, mobile_source = $10,
            email_bounced_address = $11, email_bounced_at = $12, updated_at = $13
         WHERE contact_id = $1",
    )
    .bind(contact.contact_id)
    .bind(consent.global.subscribed)
    .bind(micros(consent.global.changed_at))
    .bind(&consent.global.source)
    .bind(consent.email.subscribed)
    .bind(micros(consent.email.changed_at))
    .bind(&consent.email.source)
    .bind(consent.mobile.subscribed)
    .bind(micros(consent.mobile.changed_at))
    .bind(&consent.mobile.source)
    .bind(bounce.map(|b| b.address.clone()))
    .bind(bounce.map(|b| micros(b.at)))
    .bind(micros(contact.updated_at))
    .execute::<B>(conn)
    .await?;
    Ok(())
}

/// Save what consent changes recorded: their history entries and `subscription_change` events.
async fn save_records<B: Backend>(conn: &mut B::Conn, records: &[ConsentRecord]) -> Result<()> {
    let entries: Vec<ConsentEntry> = records.iter().map(|r| r.entry.clone()).collect();
    history::insert_entries::<B>(conn, &entries).await?;
    let events: Vec<Event> = records.iter().filter_map(|r| r.event.clone()).collect();
    if events.is_empty() {
        return Ok(());
    }
    B::insert_events(conn, &events).await
}

/// Apply the consent effects of `events` (already stored, or stored in the same transaction by
/// the caller) to their contacts: the hook for event ingest. Returns how many changed something.
pub async fn apply_event_effects<B: Backend>(conn: &mut B::Conn, events: &[Event]) -> Result<u64> {
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
    let mut contacts: HashMap<ContactId, Contact> = B::contacts_by_ids(conn, &ids)
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
            save_consent::<B>(conn, contact).await?;
        }
    }
    save_records::<B>(conn, &records).await?;
    Ok(u64::try_from(records.len()).unwrap_or(u64::MAX))
}

#[async_trait]
impl<B: Backend> ConsentStore for SqlStore<B> {
    async fn change_subscription(
        &self,
        contact_id: ContactId,
        change: &SubscriptionChange,
        actor: &str,
    ) -> Result<SubscriptionOutcome> {
        let mut tx = self.backend.write().await?;
        let mut contact = B::contacts_by_ids(&mut tx, &[contact_id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        let record = apply_change(&mut contact, change, actor, now_micros());
        if let Some(record) = &record {
            save_consent::<B>(&mut tx, &contact).await?;
            save_records::<B>(&mut tx, std::slice::from_ref(record)).await?;
        }
        B::commit(tx).await?;
        Ok(SubscriptionOutcome {
            contact,
            entry: record.map(|r| r.entry),
        })
    }

    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64> {
        let mut tx = self.backend.write().await?;
        let changed = apply_event_effects::<B>(&mut tx, events).await?;
        B::commit(tx).await?;
        Ok(changed)
    }

    async fn consent_history(
        &self,
        contact_id: ContactId,
        limit: u64,
    ) -> Result<Vec<ConsentEntry>> {
        let mut connection = self.backend.read().await?;
        history::latest::<B>(&mut connection, contact_id, limit).await
    }

    async fn suppression_entries(&self, keys: &[KeyValue]) -> Result<Vec<SuppressionEntry>> {
        let mut connection = self.backend.read().await?;
        crate::suppression::entries::<B>(&mut connection, &key_hashes(keys.iter())).await
    }
}
