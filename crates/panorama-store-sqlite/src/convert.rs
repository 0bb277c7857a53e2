//! Rows to domain values and back: times as microseconds, JSON as text, flags as integers.

use panorama_core::contact::{ChannelConsent, Contact, ContactId, Subscription};
use panorama_core::{Error, Result};

pub(crate) use panorama_store_sql::convert::{micros, timestamp};

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::internal(format!("stored {what} is not valid JSON: {e}")))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}

/// Every contact column as one JSON array of objects per query: SQLite builds it, so a batch of
/// 900 contacts crosses from the database thread as one value rather than 900 rows.
pub(crate) fn contacts_as_json() -> String {
    let fields: Vec<String> = panorama_store_sql::CONTACT_COLUMNS
        .split(',')
        .map(str::trim)
        .map(|c| format!("'{c}', {c}"))
        .collect();
    format!("json_group_array(json_object({}))", fields.join(", "))
}

/// SQLite keeps booleans as 0 and 1; JSON built by SQLite carries them that way.
fn int_bool<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<bool, D::Error> {
    use serde::Deserialize;
    Ok(i64::deserialize(deserializer)? != 0)
}

/// One contact as [`contacts_as_json`] folds it.
#[derive(serde::Deserialize)]
pub(crate) struct ContactRow {
    contact_id: String,
    attributes: String,
    #[serde(deserialize_with = "int_bool")]
    global_subscribed: bool,
    global_changed_at: i64,
    global_source: String,
    #[serde(deserialize_with = "int_bool")]
    email_subscribed: bool,
    email_changed_at: i64,
    email_source: String,
    #[serde(deserialize_with = "int_bool")]
    mobile_subscribed: bool,
    mobile_changed_at: i64,
    mobile_source: String,
    created_at: i64,
    updated_at: i64,
    email_bounced_address: Option<String>,
    email_bounced_at: Option<i64>,
}

impl ContactRow {
    pub(crate) fn into_contact(self) -> Result<Contact> {
        let channel = |subscribed, changed_at, source| -> Result<ChannelConsent> {
            Ok(ChannelConsent {
                subscribed,
                changed_at: timestamp(changed_at)?,
                source,
            })
        };
        Ok(Contact {
            contact_id: ContactId::parse(&self.contact_id).map_err(Error::internal)?,
            attributes: json(&self.attributes, "contact attributes")?,
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
