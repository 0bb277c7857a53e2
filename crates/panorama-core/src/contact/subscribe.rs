//! The explicit consent path: a recorded opt-in or opt-out with its source and consent note, the
//! consent history it leaves, and the effective status that also accounts for hard bounces.
//!
//! Record writes (API, import, merges) can only unsubscribe (`record.rs`, `identity.rs`); this
//! module is the one way back on, and it refuses to turn a channel on without a consent note.

use super::{Channel, Contact, ContactId, HardBounce};
use crate::error::{Error, Result, codes};
use crate::event::{Event, properties};
use serde_json::json;

/// Longest source of a consent change, in characters.
pub const CONSENT_SOURCE_CHARS_MAX: usize = 200;
/// Longest consent note, in characters.
pub const CONSENT_NOTE_CHARS_MAX: usize = 2000;

/// What one consent history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChange {
    /// The channel was turned on by an explicit, recorded opt-in.
    Subscribed,
    /// The channel was turned off.
    Unsubscribed,
    /// The email address bounced hard and is no longer delivered to.
    Undeliverable,
}

impl ConsentChange {
    /// The snake_case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Subscribed => "subscribed",
            Self::Unsubscribed => "unsubscribed",
            Self::Undeliverable => "undeliverable",
        }
    }

    /// Parse the stored name.
    pub fn parse(input: &str) -> Result<Self> {
        serde_json::from_value(json!(input)).map_err(|_| {
            Error::invalid(
                codes::INVALID_VALUE,
                "a consent change is subscribed, unsubscribed or undeliverable",
                "change",
                input,
            )
        })
    }
}

/// One entry of a contact's consent history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEntry {
    /// Unique id; the id of the event that recorded the change.
    pub entry_id: String,
    /// The contact.
    pub contact_id: ContactId,
    /// The channel concerned.
    pub channel: Channel,
    /// What happened.
    pub change: ConsentChange,
    /// When.
    pub at: jiff::Timestamp,
    /// By what source (a form, an import file, an event, a person's words).
    pub source: String,
    /// What the person agreed to, and where: required for every opt-in.
    pub consent: Option<String>,
    /// The user or API key that made an explicit change; `None` for system changes.
    pub actor: Option<String>,
}

/// A requested change of one channel, checked: on needs a source and a consent note, off a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionChange {
    /// The channel to change.
    pub channel: Channel,
    /// The value wanted.
    pub subscribed: bool,
    /// What the change is based on.
    pub source: String,
    /// What the person agreed to, and where (opt-ins only).
    pub consent: Option<String>,
}

impl SubscriptionChange {
    /// Check a request. Turning a channel on without a consent note is refused (`consent_required`):
    /// that is what keeps consent from being loosened by accident.
    pub fn parse(
        channel: &str,
        subscribed: bool,
        source: Option<&str>,
        consent: Option<&str>,
    ) -> Result<Self> {
        let channel = parse_channel(channel)?;
        let source = required_text(source, "source", CONSENT_SOURCE_CHARS_MAX)?;
        let consent = match consent.map(str::trim).filter(|c| !c.is_empty()) {
            Some(note) => Some(required_text(
                Some(note),
                "consent",
                CONSENT_NOTE_CHARS_MAX,
            )?),
            None if subscribed => {
                return Err(Error::invalid(
                    codes::CONSENT_REQUIRED,
                    format!(
                        "turning `{}` on needs a consent note: what the person agreed to, and where",
                        channel.as_str()
                    ),
                    "consent",
                    "",
                ));
            }
            None => None,
        };
        Ok(Self {
            channel,
            subscribed,
            source,
            consent,
        })
    }
}

/// Parse a channel name: `global`, `email` or `mobile`.
pub fn parse_channel(input: &str) -> Result<Channel> {
    Channel::ALL
        .into_iter()
        .find(|c| c.as_str() == input.trim())
        .ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                "a channel is global, email or mobile",
                "channel",
                input,
            )
        })
}

fn required_text(input: Option<&str>, field: &str, chars_max: usize) -> Result<String> {
    let text = input.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(Error::invalid(
            codes::CONSENT_REQUIRED,
            format!("a consent change needs a `{field}`"),
            field,
            "",
        ));
    }
    // A note may run over lines; a source is a single-line name.
    let kind = if field == "consent" {
        crate::text::TextKind::FreeText
    } else {
        crate::text::TextKind::SingleLine
    };
    crate::text::check_text(text, field, kind)?;
    if text.chars().count() > chars_max {
        return Err(Error::invalid(
            codes::VALUE_TOO_LONG,
            format!("`{field}` has at most {chars_max} characters"),
            field,
            text,
        ));
    }
    Ok(text.to_owned())
}

/// What applying a change did: the event and history entry to record, none if nothing changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRecord {
    /// The `subscription_change` event (or `None` for a bounce, whose own event is the record).
    pub event: Option<Event>,
    /// The history entry.
    pub entry: ConsentEntry,
}

/// Apply an explicit change to `contact`. A change to the value it already has records nothing.
pub fn apply_change(
    contact: &mut Contact,
    change: &SubscriptionChange,
    actor: &str,
    at: jiff::Timestamp,
) -> Option<ConsentRecord> {
    let status = contact.subscription.channel_mut(change.channel);
    if status.subscribed == change.subscribed {
        return None;
    }
    status.subscribed = change.subscribed;
    status.changed_at = at;
    status.source.clone_from(&change.source);
    contact.updated_at = at;
    let mut props = properties([
        ("channel", json!(change.channel.as_str())),
        ("subscribed", json!(change.subscribed)),
        ("source", json!(change.source)),
    ]);
    if let Some(note) = &change.consent {
        props.insert("consent".into(), json!(note));
    }
    let event = Event::system(contact.contact_id, "subscription_change", at, props);
    let entry = ConsentEntry {
        entry_id: event.event_id.clone(),
        contact_id: contact.contact_id,
        channel: change.channel,
        change: if change.subscribed {
            ConsentChange::Subscribed
        } else {
            ConsentChange::Unsubscribed
        },
        at,
        source: change.source.clone(),
        consent: change.consent.clone(),
        actor: Some(actor.to_owned()),
    };
    Some(ConsentRecord {
        event: Some(event),
        entry,
    })
}

/// The history entry of a `subscription_change` event written by a record write or a merge.
pub fn entry_of_event(event: &Event) -> Option<ConsentEntry> {
    if event.event != "subscription_change" {
        return None;
    }
    let channel = parse_channel(event.properties.get("channel")?.as_str()?).ok()?;
    let subscribed = event.properties.get("subscribed")?.as_bool()?;
    Some(ConsentEntry {
        entry_id: event.event_id.clone(),
        contact_id: event.contact_id,
        channel,
        change: if subscribed {
            ConsentChange::Subscribed
        } else {
            ConsentChange::Unsubscribed
        },
        at: event.occurred_at,
        source: event
            .properties
            .get("source")
            .and_then(|s| s.as_str())
            .unwrap_or("system")
            .to_owned(),
        consent: event
            .properties
            .get("consent")
            .and_then(|s| s.as_str())
            .map(str::to_owned),
        actor: None,
    })
}

impl Contact {
    /// Whether email reaches this contact: false while its current address is one that bounced.
    pub fn email_deliverable(&self) -> bool {
        let Some(bounce) = &self.subscription.email_bounce else {
            return true;
        };
        let current = self.attributes.get("email").and_then(|v| v.as_str());
        current.is_none_or(|address| !address.eq_ignore_ascii_case(&bounce.address))
    }

    /// Effective status of a channel: `global AND channel`, and for email also deliverable.
    pub fn effective(&self, channel: Channel) -> bool {
        let consent = self.subscription.effective(channel);
        match channel {
            Channel::Email => consent && self.email_deliverable(),
            Channel::Global | Channel::Mobile => consent,
        }
    }

    /// The bounce that currently makes email undeliverable, if any.
    pub fn current_bounce(&self) -> Option<&HardBounce> {
        self.subscription
            .email_bounce
            .as_ref()
            .filter(|_| !self.email_deliverable())
    }
}

#[cfg(test)]
#[path = "subscribe_tests.rs"]
mod tests;
