//! `ConsentStore` on PostgreSQL: explicit changes and event effects in one write transaction each,
//! history read from the pool.

use crate::{PostgresDb, consent, contacts, db};
use async_trait::async_trait;
use panorama_core::contact::{ConsentEntry, ContactId, SubscriptionChange, apply_change};
use panorama_core::event::Event;
use panorama_core::store::{ConsentStore, SubscriptionOutcome};
use panorama_core::{Error, Result};

#[async_trait]
impl ConsentStore for PostgresDb {
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
            consent::save_consent(&mut tx, &contact).await?;
            consent::save_records(&mut tx, std::slice::from_ref(record)).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(SubscriptionOutcome {
            contact,
            entry: record.map(|r| r.entry),
        })
    }

    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64> {
        let mut tx = self.write().await?;
        let changed = consent::apply_event_effects(&mut tx, events).await?;
        tx.commit().await.map_err(db)?;
        Ok(changed)
    }

    async fn consent_history(
        &self,
        contact_id: ContactId,
        limit: u64,
    ) -> Result<Vec<ConsentEntry>> {
        let mut connection = self.read().await?;
        consent::history(&mut connection, contact_id, limit).await
    }

    async fn suppression_entries(
        &self,
        keys: &[panorama_core::contact::KeyValue],
    ) -> Result<Vec<panorama_core::contact::SuppressionEntry>> {
        let mut connection = self.read().await?;
        let hashes = panorama_core::contact::key_hashes(keys.iter());
        crate::suppression::entries(&mut connection, &hashes).await
    }
}
