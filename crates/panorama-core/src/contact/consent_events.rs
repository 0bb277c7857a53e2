//! What ingested events do to consent: `email_unsubscribe` and `sms_unsubscribe` turn their channel
//! off, `email_hard_bounce` marks the current email address undeliverable. No event turns a
//! channel on: re-subscription is only the explicit path of `subscribe.rs`.
//!
//! The event ingest calls [`apply_event`] for every new event of a contact, inside its
//! transaction, and saves what it returns (the contact's consent, the event, the history entry).

use super::subscribe::{ConsentChange, ConsentEntry, ConsentRecord};
use super::{Channel, Contact, HardBounce};
use crate::event::{Event, properties};
use serde_json::json;

/// The consent effect an event key has, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentEffect {
    /// Turn a channel off.
    Unsubscribe(Channel),
    /// Mark the current email address undeliverable.
    HardBounce,
}

/// The effect of an event key: only the three preset events have one.
pub fn consent_effect(event_key: &str) -> Option<ConsentEffect> {
    match event_key {
        "email_unsubscribe" => Some(ConsentEffect::Unsubscribe(Channel::Email)),
        "sms_unsubscribe" => Some(ConsentEffect::Unsubscribe(Channel::Mobile)),
        "email_hard_bounce" => Some(ConsentEffect::HardBounce),
        _ => None,
    }
}

/// Apply `event`'s consent effect to `contact`. Returns what to record, or `None` when the event
/// has no effect or changes nothing (already off, already bounced, another address bounced).
pub fn apply_event(contact: &mut Contact, event: &Event) -> Option<ConsentRecord> {
    match consent_effect(&event.event)? {
        ConsentEffect::Unsubscribe(channel) => unsubscribe(contact, channel, event),
        ConsentEffect::HardBounce => bounce(contact, event),
    }
}

fn unsubscribe(contact: &mut Contact, channel: Channel, event: &Event) -> Option<ConsentRecord> {
    let status = contact.subscription.channel_mut(channel);
    if !status.subscribed {
        return None;
    }
    status.subscribed = false;
    status.changed_at = event.occurred_at;
    status.source.clone_from(&event.event);
    contact.updated_at = contact.updated_at.max(event.occurred_at);
    let change = Event::system(
        contact.contact_id,
        "subscription_change",
        event.occurred_at,
        properties([
            ("channel", json!(channel.as_str())),
            ("subscribed", json!(false)),
            ("source", json!(event.event)),
            ("cause_event_id", json!(event.event_id)),
        ]),
    );
    let entry = ConsentEntry {
        entry_id: change.event_id.clone(),
        contact_id: contact.contact_id,
        channel,
        change: ConsentChange::Unsubscribed,
        at: event.occurred_at,
        source: event.event.clone(),
        consent: None,
        actor: None,
    };
    Some(ConsentRecord {
        event: Some(change),
        entry,
    })
}

fn bounce(contact: &mut Contact, event: &Event) -> Option<ConsentRecord> {
    let current = contact.attributes.get("email")?.as_str()?.to_owned();
    // A bounce of an address the contact no longer has says nothing about the current one.
    if let Some(named) = event.properties.get("email").and_then(|v| v.as_str())
        && !named.trim().eq_ignore_ascii_case(&current)
    {
        return None;
    }
    if contact.current_bounce().is_some() {
        return None;
    }
    contact.subscription.email_bounce = Some(HardBounce {
        address: current,
        at: event.occurred_at,
    });
    let reason = event
        .properties
        .get("reason")
        .and_then(|v| v.as_str())
        .filter(|r| !r.trim().is_empty());
    let entry = ConsentEntry {
        // The bounce event itself is the record; the entry points at it.
        entry_id: event.event_id.clone(),
        contact_id: contact.contact_id,
        channel: Channel::Email,
        change: ConsentChange::Undeliverable,
        at: event.occurred_at,
        source: match reason {
            Some(reason) => format!("{}: {reason}", event.event),
            None => event.event.clone(),
        },
        consent: None,
        actor: None,
    };
    Some(ConsentRecord { event: None, entry })
}
