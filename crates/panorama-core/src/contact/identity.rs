//! Identity resolution: given the contacts a record's keys matched, decide what the write does.
//!
//! The rules (PRODUCT.md §1): no match creates a contact; one match updates it; several matches
//! merge them into the oldest, newer values winning, consent keeping the more restrictive value.
//! This module only plans; the store applies the plan in one transaction.

use super::{Contact, ContactId, ContactRecord, KeyValue, Subscription, WriteContext};
use crate::event::{Event, properties};
use crate::metadata::Schema;
use crate::value::display;
use serde_json::{Value as Json, json};

/// What an upsert did to the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpsertAction {
    /// A new contact was made.
    Created,
    /// An existing contact changed.
    Updated,
    /// The record matched one contact and changed nothing.
    Unchanged,
    /// Several contacts matched and became one.
    Merged,
}

/// The plan for one write: the survivor's new state, the contacts folded into it, its keys and events.
#[derive(Debug, Clone)]
pub struct UpsertPlan {
    /// What happened.
    pub action: UpsertAction,
    /// The contact after the write.
    pub contact: Contact,
    /// Whether the contact is new (insert rather than update).
    pub is_new: bool,
    /// Contacts merged into it: their events move to the survivor, then they are deleted.
    pub merged: Vec<ContactId>,
    /// Every identity key of the contact after the write.
    pub keys: Vec<KeyValue>,
    /// Events to record.
    pub events: Vec<Event>,
}

/// Plan the write of `record`, given the distinct contacts its keys matched.
pub fn plan_upsert(
    schema: &Schema,
    mut matched: Vec<Contact>,
    record: &ContactRecord,
    context: &WriteContext,
) -> UpsertPlan {
    // The oldest survives; but a contact holding no key at all (made from an anonymous id) is
    // folded into the keyed one, whatever its age (PRODUCT.md §1, anonymous contacts).
    matched.sort_by_cached_key(|c| (keys_of(schema, c).is_empty(), c.created_at, c.contact_id));
    let mut events = Vec::new();
    let (original, is_new, merged) = if matched.is_empty() {
        (new_contact(schema, context), true, Vec::new())
    } else {
        let survivor = matched.remove(0);
        (survivor, false, matched)
    };
    let mut contact = original.clone();
    if is_new && !context.fast {
        events.push(Event::system(
            contact.contact_id,
            "user_created",
            context.at,
            properties([("source", json!(context.source))]),
        ));
    }
    // Values of the more recently updated contacts win over older ones, and the record over all.
    let mut by_update: Vec<&Contact> = merged.iter().collect();
    by_update.sort_by_key(|c| c.updated_at);
    for other in by_update {
        contact
            .attributes
            .extend(other.attributes.iter().map(|(k, v)| (k.clone(), v.clone())));
        contact.subscription.merge_restrictive(&other.subscription);
        events.push(Event::system(
            contact.contact_id,
            "user_merged",
            context.at,
            properties([
                ("merged_contact_id", json!(other.contact_id.to_string())),
                (
                    "surviving_contact_id",
                    json!(contact.contact_id.to_string()),
                ),
                ("source", json!(context.source)),
            ]),
        ));
    }
    for (name, value) in &record.values {
        match value {
            Some(value) => contact.attributes.insert(name.clone(), value.clone()),
            None => contact.attributes.remove(name),
        };
    }
    for channel in &record.unsubscribe {
        contact.subscription.turn_off(*channel, context);
    }
    if !is_new && !context.fast {
        events.extend(attribute_changes(&original, &contact, context));
    }
    events.extend(subscription_changes(
        &original.subscription,
        &contact.subscription,
        is_new,
        context,
        contact.contact_id,
    ));
    let changed =
        contact.attributes != original.attributes || contact.subscription != original.subscription;
    let action = match (is_new, merged.is_empty(), changed) {
        (true, _, _) => UpsertAction::Created,
        (false, false, _) => UpsertAction::Merged,
        (false, true, true) => UpsertAction::Updated,
        (false, true, false) => UpsertAction::Unchanged,
    };
    if action != UpsertAction::Unchanged {
        contact.updated_at = context.at;
    }
    let keys = keys_of(schema, &contact);
    UpsertPlan {
        action,
        contact,
        is_new,
        merged: merged.iter().map(|c| c.contact_id).collect(),
        keys,
        events,
    }
}

/// Every identity key a contact holds.
pub fn keys_of(schema: &Schema, contact: &Contact) -> Vec<KeyValue> {
    schema
        .identities()
        .filter_map(|def| KeyValue::of(def, contact.attributes.get(def.name.as_str())?))
        .collect()
}

fn new_contact(schema: &Schema, context: &WriteContext) -> Contact {
    let attributes = schema
        .attributes()
        .iter()
        .filter_map(|def| Some((def.name.as_str().to_owned(), def.default_value.clone()?)))
        .collect();
    Contact {
        contact_id: ContactId::new(),
        attributes,
        subscription: Subscription::subscribed(context.at, &context.source),
        created_at: context.at,
        updated_at: context.at,
    }
}

fn attribute_changes<'a>(
    before: &'a Contact,
    after: &'a Contact,
    context: &'a WriteContext,
) -> impl Iterator<Item = Event> + 'a {
    let names: std::collections::BTreeSet<&String> = before
        .attributes
        .keys()
        .chain(after.attributes.keys())
        .collect();
    names.into_iter().filter_map(move |name| {
        let old = before.attributes.get(name);
        let new = after.attributes.get(name);
        (old != new).then(|| {
            let text = |v: Option<&Json>| v.map_or(Json::Null, |v| Json::String(display(v)));
            Event::system(
                after.contact_id,
                "attribute_change",
                context.at,
                properties([
                    ("attribute", json!(name)),
                    ("old_value", text(old)),
                    ("new_value", text(new)),
                    ("source", json!(context.source)),
                ]),
            )
        })
    })
}

fn subscription_changes(
    before: &Subscription,
    after: &Subscription,
    is_new: bool,
    context: &WriteContext,
    contact_id: ContactId,
) -> Vec<Event> {
    super::Channel::ALL
        .into_iter()
        .filter(|c| {
            is_new && !after.channel(*c).subscribed
                || !is_new && before.channel(*c).subscribed != after.channel(*c).subscribed
        })
        .map(|c| subscription_event(contact_id, c, after, context))
        .collect()
}

/// The `subscription_change` event recording `channel`'s status in `subscription`.
pub fn subscription_event(
    contact_id: ContactId,
    channel: super::Channel,
    subscription: &Subscription,
    context: &WriteContext,
) -> Event {
    let status = subscription.channel(channel);
    Event::system(
        contact_id,
        "subscription_change",
        context.at,
        properties([
            ("channel", json!(channel.as_str())),
            ("subscribed", json!(status.subscribed)),
            ("source", json!(status.source)),
        ]),
    )
}
