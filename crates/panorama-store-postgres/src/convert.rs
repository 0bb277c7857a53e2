//! Rows to domain values and back: times as microseconds, JSON as jsonb, flags as booleans.

use panorama_core::contact::{ChannelConsent, Contact, ContactId, Subscription};
use panorama_core::{Error, Result};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Microseconds since the epoch, as stored.
pub(crate) fn micros(at: jiff::Timestamp) -> i64 {
    at.as_microsecond()
}

/// A stored time back as a timestamp.
pub(crate) fn timestamp(micros: i64) -> Result<jiff::Timestamp> {
    jiff::Timestamp::from_microsecond(micros)
        .map_err(|e| Error::internal(format!("stored time {micros}: {e}")))
}

/// Columns selected for a contact, in [`ContactRow`]'s order.
pub(crate) const CONTACT_COLUMNS: &str = "contact_id, attributes, global_subscribed, global_changed_at, global_source, \
     email_subscribed, email_changed_at, email_source, mobile_subscribed, mobile_changed_at, mobile_source, created_at, updated_at, \
     email_bounced_address, email_bounced_at";

/// One `contacts` row as [`CONTACT_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct ContactRow {
    contact_id: Uuid,
    attributes: Json<BTreeMap<String, Value>>,
    global_subscribed: bool,
    global_changed_at: i64,
    global_source: String,
    email_subscribed: bool,
    email_changed_at: i64,
    email_source: String,
    mobile_subscribed: bool,
    mobile_changed_at: i64,
    mobile_source: String,
    created_at: i64,
    updated_at: i64,
    email_bounced_address: Option<String>,
    email_bounced_at: Option<i64>,
}

impl ContactRow {
    /// The contact this row stores.
    pub(crate) fn into_contact(self) -> Result<Contact> {
        let channel = |subscribed, changed_at, source| -> Result<ChannelConsent> {
            Ok(ChannelConsent {
                subscribed,
                changed_at: timestamp(changed_at)?,
                source,
            })
        };
        Ok(Contact {
            contact_id: ContactId::from_uuid(self.contact_id),
            attributes: self.attributes.0,
            subscription: Subscription {
                global: channel(
                    self.global_subscribed,
                    self.global_changed_at,
                    self.global_source,
                )?,
                email: channel(
                    self.email_subscribed,
                    self.email_changed_at,
                    self.email_source,
                )?,
                mobile: channel(
                    self.mobile_subscribed,
                    self.mobile_changed_at,
                    self.mobile_source,
                )?,
                email_bounce: panorama_store_sql::consent::bounce_of(
                    self.email_bounced_address,
                    self.email_bounced_at,
                )?,
            },
            created_at: timestamp(self.created_at)?,
            updated_at: timestamp(self.updated_at)?,
        })
    }
}
