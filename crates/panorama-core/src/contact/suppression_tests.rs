//! Tests of the suppression list's rule: what a delete keeps, what a later write inherits.

use super::*;
use crate::contact::{BatchState, ContactRecord, UpsertAction, keys_of, plan_batch};
use crate::metadata::{Schema, preset_attributes};
use crate::value::ParseOptions;
use serde_json::{Map, json};

fn schema() -> Schema {
    Schema::new(preset_attributes())
}

fn record(schema: &Schema, values: serde_json::Value) -> ContactRecord {
    let values: Map<String, serde_json::Value> = serde_json::from_value(values).expect("an object");
    ContactRecord::from_json(schema, &values, ParseOptions::default()).expect("a valid record")
}

fn key(attribute: &str, value: &str) -> KeyValue {
    KeyValue {
        attribute: attribute.into(),
        value: value.into(),
    }
}

const EMAIL_OFF: Suppressed = Suppressed {
    global: false,
    email: true,
    mobile: false,
};

/// Plan `records` against `stored` contacts with `entries` on the list.
fn plan(
    schema: &Schema,
    stored: &[crate::contact::Contact],
    entries: Vec<SuppressionEntry>,
    records: &[ContactRecord],
) -> crate::contact::BatchPlan {
    let mut state = BatchState {
        suppressed: Suppressions::new(entries),
        ..BatchState::default()
    };
    for contact in stored {
        for key in keys_of(schema, contact) {
            state.owners.insert(key, contact.contact_id);
        }
        state.contacts.insert(contact.contact_id, contact.clone());
    }
    plan_batch(schema, records, state, &WriteContext::now("import"))
}

#[test]
fn hashes_are_hex_sha256_prefixed_by_the_attribute() {
    let hash = KeyHash::of(&key("email", "ann@example.com"));
    assert_eq!(hash.as_str().len(), 64);
    assert!(!hash.as_str().contains("ann"));
    // The same text under another attribute is another hash.
    assert_ne!(hash, KeyHash::of(&key("customer_id", "ann@example.com")));
    assert_eq!(KeyHash::parse(hash.as_str()).expect("a hash"), hash);
    assert!(KeyHash::parse("ann@example.com").is_err());
}

#[test]
fn a_delete_with_every_channel_on_leaves_nothing() {
    let on = Suppressed::from_subscribed(true, true, true);
    assert!(!on.any());
    assert!(entries_on_delete([(on, key("mobile", "+8613812345678"))]).is_empty());
}

#[test]
fn a_delete_keeps_each_key_with_the_channels_off_merged_by_hash() {
    let mobile_off = Suppressed::from_subscribed(true, true, false);
    let entries = entries_on_delete([
        (EMAIL_OFF, key("email", "ann@example.com")),
        (EMAIL_OFF, key("mobile", "+8613812345678")),
        (mobile_off, key("mobile", "+8613812345678")),
    ]);
    assert_eq!(entries.len(), 2);
    let mobile = KeyHash::of(&key("mobile", "+8613812345678"));
    let entry = entries
        .iter()
        .find(|e| e.key_hash == mobile)
        .expect("mobile");
    assert!(entry.channels.email && entry.channels.mobile && !entry.channels.global);
}

#[test]
fn a_create_with_a_suppressed_key_starts_with_the_channel_off_and_an_event() {
    let schema = schema();
    let entries = entries_on_delete([(EMAIL_OFF, key("email", "ann@example.com"))]);
    // The record spells the address differently: the matching form is what is hashed.
    let records = [record(
        &schema,
        json!({"email": "Ann@Example.com", "name": "Ann"}),
    )];
    let plan = plan(&schema, &[], entries, &records);
    let contact = &plan.outcomes[0].contact;
    assert_eq!(plan.outcomes[0].action, UpsertAction::Created);
    assert!(!contact.subscription.email.subscribed);
    assert_eq!(contact.subscription.email.source, SUPPRESSION_SOURCE);
    assert!(contact.subscription.global.subscribed && contact.subscription.mobile.subscribed);
    let changes: Vec<_> = plan
        .events
        .iter()
        .filter(|e| e.event == "subscription_change")
        .collect();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].properties["channel"], json!("email"));
    assert_eq!(changes[0].properties["source"], json!(SUPPRESSION_SOURCE));
}

#[test]
fn an_existing_contact_gaining_a_suppressed_key_turns_the_channel_off() {
    let schema = schema();
    let first = plan(
        &schema,
        &[],
        Vec::new(),
        &[record(&schema, json!({"mobile": "13812345678"}))],
    );
    let stored = first.outcomes[0].contact.clone();
    let entries = entries_on_delete([(EMAIL_OFF, key("email", "ann@example.com"))]);
    let records = [record(
        &schema,
        json!({"mobile": "13812345678", "email": "ann@example.com"}),
    )];
    let plan = plan(&schema, &[stored], entries, &records);
    assert_eq!(plan.outcomes[0].action, UpsertAction::Updated);
    assert!(!plan.outcomes[0].contact.subscription.email.subscribed);
}

#[test]
fn a_contact_already_holding_the_key_keeps_its_consent() {
    // It was created (and suppressed) before, then opted in again explicitly: an unrelated
    // write must not undo that opt-in.
    let schema = schema();
    let first = plan(
        &schema,
        &[],
        Vec::new(),
        &[record(&schema, json!({"email": "ann@example.com"}))],
    );
    let stored = first.outcomes[0].contact.clone();
    assert!(stored.subscription.email.subscribed);
    let entries = entries_on_delete([(EMAIL_OFF, key("email", "ann@example.com"))]);
    let records = [record(
        &schema,
        json!({"email": "ann@example.com", "name": "Ann"}),
    )];
    let plan = plan(&schema, &[stored], entries, &records);
    assert!(plan.outcomes[0].contact.subscription.email.subscribed);
    assert!(!plan.events.iter().any(|e| e.event == "subscription_change"));
}
