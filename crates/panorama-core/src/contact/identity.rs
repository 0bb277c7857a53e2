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
    // A new contact is created at the record's own creation time when it gives one (the demo).
    let created_at = record.created_at.unwrap_or(context.at).min(context.at);
    let (mut contact, is_new, merged) = if matched.is_empty() {
        (new_contact(schema, context, created_at), true, Vec::new())
    } else {
        let survivor = matched.remove(0);
        (survivor, false, matched)
    };
    if is_new && !context.fast {
        events.push(Event::system(
            contact.contact_id,
            "user_created",
            created_at,
            properties([("source", json!(context.source))]),
        ));
    }
    let subscription_before = contact.subscription.clone();
    // A merge compares the survivor's whole state before and after; a plain write only the
    // values the record carries, so the common case copies no contact.
    let changed = if merged.is_empty() {
        let mut changes = (!is_new && !context.fast).then(Vec::new);
        let changed = write_values(&mut contact, record, changes.as_mut());
        for (name, old, new) in changes.into_iter().flatten() {
            events.push(attribute_change(
                contact.contact_id,
                name,
                old.as_ref(),
                new.as_ref(),
                context,
            ));
        }
        changed
    } else {
        let original = contact.clone();
        merge_into(&mut contact, &merged, context, &mut events);
        write_values(&mut contact, record, None);
        if !context.fast {
            events.extend(attribute_changes(&original, &contact, context));
        }
        contact.attributes != original.attributes
    };
    for channel in &record.unsubscribe {
        contact.subscription.turn_off(*channel, context);
    }
    events.extend(subscription_changes(
        &subscription_before,
        &contact.subscription,
        is_new,
        context,
        contact.contact_id,
    ));
    let changed = changed || contact.subscription != subscription_before;
    let action = match (is_new, merged.is_empty(), changed) {
        (true, _, _) => UpsertAction::Created,
        (false, false, _) => UpsertAction::Merged,
        (false, true, true) => UpsertAction::Updated,
        (false, true, false) => UpsertAction::Unchanged,
    };
    if action == UpsertAction::Created {
        contact.updated_at = created_at;
    } else if action != UpsertAction::Unchanged {
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

fn new_contact(schema: &Schema, context: &WriteContext, created_at: jiff::Timestamp) -> Contact {
    let attributes = schema
        .attributes()
        .iter()
        .filter_map(|def| Some((def.name.as_str().to_owned(), def.default_value.clone()?)))
        .collect();
    Contact {
        contact_id: ContactId::new(),
        attributes,
        subscription: Subscription::subscribed(created_at, &context.source),
        created_at,
        updated_at: created_at,
    }
}

/// Fold `merged` into `contact`: values of the more recently updated contacts win over older
/// ones, consent keeps the more restrictive status; one `user_merged` event each.
fn merge_into(
    contact: &mut Contact,
    merged: &[Contact],
    context: &WriteContext,
    events: &mut Vec<Event>,
) {
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
}

/// A value written and the one it replaced.
type Change<'r> = (&'r str, Option<Json>, Option<Json>);

/// Write the record's values into `contact`; returns whether any changed, and pushes each
/// change (in name order) to `changes` when asked for them.
fn write_values<'r>(
    contact: &mut Contact,
    record: &'r ContactRecord,
    mut changes: Option<&mut Vec<Change<'r>>>,
) -> bool {
    let mut changed = false;
    for (name, value) in &record.values {
        let old = match value {
            Some(value) if contact.attributes.get(name) == Some(value) => continue,
            Some(value) => contact.attributes.insert(name.clone(), value.clone()),
            None => match contact.attributes.remove(name) {
                Some(old) => Some(old),
                None => continue,
            },
        };
        changed = true;
        if let Some(changes) = changes.as_mut() {
            changes.push((name.as_str(), old, value.clone()));
        }
    }
    changed
}

fn attribute_change(
    contact_id: ContactId,
    name: &str,
    old: Option<&Json>,
    new: Option<&Json>,
    context: &WriteContext,
) -> Event {
    let text = |v: Option<&Json>| v.map_or(Json::Null, |v| Json::String(display(v)));
    Event::system(
        contact_id,
        "attribute_change",
        context.at,
        properties([
            ("attribute", json!(name)),
            ("old_value", text(old)),
            ("new_value", text(new)),
            ("source", json!(context.source)),
        ]),
    )
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
        (old != new).then(|| attribute_change(after.contact_id, name, old, new, context))
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
