//! `ConsentStore`: explicit subscription changes, the consent effects of events, and the consent
//! history. Record writes only unsubscribe (`ContactStore`); this area is the way back on.

use crate::contact::{
    ConsentEntry, Contact, ContactId, KeyValue, SubscriptionChange, SuppressionEntry,
};
use crate::error::Result;
use crate::event::Event;
use async_trait::async_trait;

/// Most consent history entries one read returns.
pub const CONSENT_HISTORY_MAX: u64 = 1000;

/// What an explicit change did.
#[derive(Debug, Clone)]
pub struct SubscriptionOutcome {
    /// The contact after the change.
    pub contact: Contact,
    /// The history entry written; `None` when the channel already had the value asked for.
    pub entry: Option<ConsentEntry>,
}

/// Consent: one store area of [`super::Store`].
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Change one channel of a contact (`subscribe.rs` rules), recording the `subscription_change`
    /// event and the history entry in the same transaction. `actor` is the user or key acting.
    async fn change_subscription(
        &self,
        contact_id: ContactId,
        change: &SubscriptionChange,
        actor: &str,
    ) -> Result<SubscriptionOutcome>;
    /// Apply the consent effects of events already recorded for their contacts
    /// (`email_unsubscribe`, `sms_unsubscribe`, `email_hard_bounce`); returns how many changed
    /// something. Ingest paths that own a transaction call the backend's helper instead.
    async fn apply_consent_events(&self, events: &[Event]) -> Result<u64>;
    /// A contact's consent history, newest first, at most `limit` entries.
    async fn consent_history(&self, contact_id: ContactId, limit: u64)
    -> Result<Vec<ConsentEntry>>;
    /// The suppression list's entries for `keys` (looked up by their hashes).
    async fn suppression_entries(&self, keys: &[KeyValue]) -> Result<Vec<SuppressionEntry>>;
}
