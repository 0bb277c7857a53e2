//! `ConsentStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{ConsentEntry, Contact, ContactId, SubscriptionChange};
use panorama_core::event::Event;
use panorama_core::store::ConsentStore;
use panorama_core::store::SubscriptionOutcome;

#[async_trait]
impl ConsentStore for PostgresStore {
    async fn change_subscription(
        &self,
        contact_id: ContactId,
        change: &SubscriptionChange,
        actor: &str,
    ) -> Result<SubscriptionOutcome> {
        Err(not_yet("change_subscription"))
    }
    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64> {
        Err(not_yet("apply_consent_events"))
    }
    async fn consent_history(
        &self,
        contact_id: ContactId,
        limit: u64,
    ) -> Result<Vec<ConsentEntry>> {
        Err(not_yet("consent_history"))
    }
}
