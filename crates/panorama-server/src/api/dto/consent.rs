//! The JSON shapes of the subscription resource and the consent history.

use super::SubscriptionDto;
use panorama_core::contact::ConsentEntry;
use panorama_core::mask::{Masking, mask_text};
use panorama_core::value::format_timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A contact's subscription status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactSubscriptionDto {
    /// The contact.
    #[schema(format = Uuid)]
    pub contact_id: String,
    /// Status per channel, effective values, deliverability.
    #[serde(flatten)]
    pub subscription: SubscriptionDto,
}

/// A change of one channel. Turning it on needs `source` and `consent`; off needs `source`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionUpdate {
    /// `global`, `email` or `mobile`.
    pub channel: String,
    /// The value wanted.
    pub subscribed: bool,
    /// What the change is based on: a form, a call, a letter (at most 200 characters).
    #[serde(default)]
    pub source: Option<String>,
    /// What the person agreed to, and where (required to turn a channel on; at most 2,000 characters).
    #[serde(default)]
    pub consent: Option<String>,
}

/// What a change did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionChangeResponse {
    /// False when the channel already had the value asked for (nothing was recorded).
    pub changed: bool,
    /// The history entry written, if any.
    pub entry: Option<ConsentEntryDto>,
    /// The status after the change.
    pub subscription: ContactSubscriptionDto,
}

/// One entry of a contact's consent history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentEntryDto {
    /// Unique id: the id of the `subscription_change` (or `email_hard_bounce`) event.
    pub entry_id: String,
    /// `global`, `email` or `mobile`.
    pub channel: String,
    /// `subscribed`, `unsubscribed` or `undeliverable`.
    pub change: String,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
    /// By what source.
    pub source: String,
    /// The consent note of an opt-in.
    pub consent: Option<String>,
    /// Who made an explicit change.
    pub actor: Option<String>,
}

impl ConsentEntryDto {
    /// `entry`, its free texts (source, consent note) masked under `masking` when they hold a
    /// mobile or an email: a note often quotes the address the person wrote from.
    pub fn new(entry: ConsentEntry, masking: Masking) -> Self {
        let text = |text: String| match masking {
            Masking::Masked => mask_text(&text).unwrap_or(text),
            Masking::Unmasked => text,
        };
        Self {
            entry_id: entry.entry_id,
            channel: entry.channel.as_str().to_owned(),
            change: entry.change.as_str().to_owned(),
            at: format_timestamp(entry.at),
            source: text(entry.source),
            consent: entry.consent.map(text),
            actor: entry.actor,
        }
    }
}

/// A contact's consent history, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsentHistoryDto {
    /// The entries.
    pub items: Vec<ConsentEntryDto>,
}
