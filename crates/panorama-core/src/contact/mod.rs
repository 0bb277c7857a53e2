//! Contacts: their stored shape, categories, consent, the records that write them, and identity resolution.

mod batch;
#[cfg(test)]
mod batch_tests;
mod by_keys;
mod categories;
mod columns;
mod consent;
mod consent_events;
mod identity;
mod list;
mod record;
mod search_mode;
mod subscribe;
mod suppression;

pub use batch::*;
pub use by_keys::*;
pub use categories::*;
pub use columns::*;
pub use consent::*;
pub use consent_events::*;
pub use identity::*;
pub use list::*;
pub use record::*;
pub use search_mode::*;
pub use subscribe::*;
pub use suppression::*;

use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A contact's system id: a UUID v7, so ids sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(Uuid);

impl ContactId {
    /// A fresh id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Parse the hyphenated text form.
    pub fn parse(input: &str) -> crate::Result<Self> {
        Uuid::from_str(input.trim()).map(Self).map_err(|_| {
            crate::Error::invalid(
                crate::codes::INVALID_VALUE,
                "a contact id is a UUID",
                "contact_id",
                input,
            )
        })
    }

    /// The UUID.
    pub fn uuid(&self) -> Uuid {
        self.0
    }

    /// The id of a UUID read back from a store.
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }
}

impl Default for ContactId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ContactId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// A contact as stored: its attribute values in canonical JSON (absent means empty), its consent,
/// and its system times.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    /// System id.
    pub contact_id: ContactId,
    /// Attribute values by machine name; never holds nulls or system attributes.
    pub attributes: BTreeMap<String, Json>,
    /// Subscription status per channel.
    pub subscription: Subscription,
    /// First written.
    pub created_at: jiff::Timestamp,
    /// Last changed.
    pub updated_at: jiff::Timestamp,
}

impl Contact {
    /// The categories this contact belongs to, derived from its values.
    pub fn categories(&self) -> Categories {
        Categories::of(&self.attributes)
    }
}

/// Who or what is writing, and when; every write carries one.
#[derive(Debug, Clone)]
pub struct WriteContext {
    /// Where the write came from (`api`, `import`, `demo`, `cli`, `ui`), recorded on events and consent.
    pub source: String,
    /// The instant of the write.
    pub at: jiff::Timestamp,
    /// Skip `user_created` and `attribute_change` events (the import's fast mode).
    pub fast: bool,
}

impl WriteContext {
    /// A write from `source` happening now, with events.
    pub fn now(source: &str) -> Self {
        Self {
            source: source.to_owned(),
            at: now_micros(),
            fast: false,
        }
    }
}

/// Exact counts for the contacts overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Overview {
    /// Every contact.
    pub all: u64,
    /// Contacts with a mobile or email.
    pub real_name: u64,
    /// Contacts with neither.
    pub anonymous: u64,
    /// Contacts with a WeChat openid.
    pub wechat_fan: u64,
    /// Contacts created in the last [`OVERVIEW_NEW_WEEK_DAYS`] days.
    pub new_7d: u64,
    /// Contacts created in the last [`OVERVIEW_NEW_MONTH_DAYS`] days.
    pub new_30d: u64,
}

/// The overview's shorter "new contacts" window, in days.
pub const OVERVIEW_NEW_WEEK_DAYS: i64 = 7;
/// The overview's longer "new contacts" window, in days.
pub const OVERVIEW_NEW_MONTH_DAYS: i64 = 30;

/// The current instant, cut to the microseconds both databases keep, so that what is returned
/// from a write equals what is read back.
pub fn now_micros() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_microsecond(now.as_microsecond()).unwrap_or(now)
}
