//! Tests of batch planning: which contacts are written, which key rows replaced, which events
//! recorded, when a batch creates, changes, leaves alone and merges stored contacts.

use super::*;
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

/// Plan `records` against `stored`, as a store would after loading their owners.
fn plan(schema: &Schema, stored: &[Contact], records: &[ContactRecord]) -> BatchPlan {
    let mut state = BatchState::default();
    for contact in stored {
        for key in keys_of(schema, contact) {
            state.owners.insert(key, contact.contact_id);
        }
        state.contacts.insert(contact.contact_id, contact.clone());
    }
    plan_batch(schema, records, state, &WriteContext::now("import"))
}

/// A stored contact made by planning `values` alone.
fn stored(schema: &Schema, values: serde_json::Value) -> Contact {
    let created = plan(schema, &[], &[record(schema, values)]);
    created.write.into_iter().next().expect("one contact")
}

/// Plan the records `records` against contacts made from `stored` first; those contacts and
/// the plan.
fn plan_json(
    stored_values: &[serde_json::Value],
    records: &[serde_json::Value],
) -> (Vec<Contact>, BatchPlan) {
    let schema = schema();
    let before: Vec<Contact> = stored_values
        .iter()
        .map(|values| stored(&schema, values.clone()))
        .collect();
    let records: Vec<ContactRecord> = records
        .iter()
        .map(|values| record(&schema, values.clone()))
        .collect();
    let plan = plan(&schema, &before, &records);
    (before, plan)
}

fn events_named<'p>(plan: &'p BatchPlan, name: &str) -> Vec<&'p crate::event::Event> {
    plan.events.iter().filter(|e| e.event == name).collect()
}

#[test]
fn new_contacts_get_their_key_rows_without_a_replacement() {
    let (_, plan) = plan_json(
        &[],
        &[json!({"email": "a@example.com", "mobile": "13800138000", "name": "王伟"})],
    );
    assert_eq!(plan.write.len(), 1);
    assert!(
        plan.rekey.is_empty(),
        "a new contact has no rows to replace"
    );
    let mut attributes: Vec<&str> = plan
        .keys
        .iter()
        .map(|(k, _)| k.attribute.as_str())
        .collect();
    attributes.sort_unstable();
    assert_eq!(attributes, ["email", "mobile"]);
    assert_eq!(events_named(&plan, "user_created").len(), 1);
}

#[test]
fn a_change_of_other_values_keeps_the_key_rows() {
    let (_, plan) = plan_json(
        &[json!({"email": "a@example.com", "name": "王伟"})],
        &[json!({"email": "a@example.com", "name": "李娜"})],
    );
    assert_eq!(plan.outcomes[0].action, UpsertAction::Updated);
    assert_eq!(plan.write.len(), 1);
    assert_eq!(plan.write[0].attributes["name"], json!("李娜"));
    assert!(plan.rekey.is_empty() && plan.keys.is_empty());
    let changes = events_named(&plan, "attribute_change");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].properties["attribute"], json!("name"));
    assert_eq!(changes[0].properties["old_value"], json!("王伟"));
    assert_eq!(changes[0].properties["new_value"], json!("李娜"));
}

#[test]
fn a_new_key_value_replaces_the_contacts_key_rows() {
    let (before, plan) = plan_json(
        &[json!({"email": "a@example.com"})],
        &[json!({"email": "a@example.com", "mobile": "13800138000"})],
    );
    let id = before[0].contact_id;
    assert_eq!(plan.rekey, [id]);
    assert_eq!(plan.keys.len(), 2);
    assert!(plan.keys.iter().all(|(_, holder)| *holder == id));
}

#[test]
fn an_unchanged_record_writes_nothing() {
    let values = json!({"email": "a@example.com", "name": "王伟"});
    let same = std::slice::from_ref(&values);
    let (before, plan) = plan_json(same, same);
    assert_eq!(plan.outcomes[0].action, UpsertAction::Unchanged);
    assert_eq!(plan.outcomes[0].contact, before[0]);
    assert!(plan.write.is_empty() && plan.keys.is_empty() && plan.events.is_empty());
}

#[test]
fn a_merge_keeps_the_oldest_and_moves_every_key_to_it() {
    let (before, plan) = plan_json(
        &[
            json!({"email": "a@example.com", "name": "王伟"}),
            json!({"mobile": "13800138000", "city": "上海"}),
        ],
        &[json!({"email": "a@example.com", "mobile": "13800138000"})],
    );
    let (older, newer) = (&before[0], &before[1]);
    assert_eq!(plan.outcomes[0].action, UpsertAction::Merged);
    assert_eq!(plan.merged, [(newer.contact_id, older.contact_id)]);
    assert_eq!(plan.write.len(), 1);
    assert_eq!(plan.write[0].attributes["city"], json!("上海"));
    assert_eq!(plan.rekey, [older.contact_id]);
    assert_eq!(plan.keys.len(), 2);
    assert_eq!(events_named(&plan, "user_merged").len(), 1);
    let changed: Vec<&serde_json::Value> = events_named(&plan, "attribute_change")
        .iter()
        .map(|e| &e.properties["attribute"])
        .collect();
    assert_eq!(changed, [&json!("city"), &json!("mobile")]);
}

#[test]
fn a_contact_created_and_changed_in_one_batch_is_written_once() {
    let (_, plan) = plan_json(
        &[],
        &[
            json!({"email": "a@example.com", "name": "王伟"}),
            json!({"email": "a@example.com", "name": "李娜"}),
        ],
    );
    assert_eq!(plan.write.len(), 1);
    assert_eq!(plan.write[0].attributes["name"], json!("李娜"));
    assert!(plan.rekey.is_empty());
    assert_eq!(plan.keys.len(), 1);
    assert_eq!(
        plan.outcomes.iter().map(|o| o.action).collect::<Vec<_>>(),
        [UpsertAction::Created, UpsertAction::Updated]
    );
}

#[test]
fn only_contacts_that_were_not_stored_are_new() {
    // Stored: a (changed by the batch), b (merged into a by the batch). New: c, and d, which a
    // later row of the same batch changes again (still new: it was never stored).
    let (before, plan) = plan_json(
        &[
            json!({"email": "a@example.com", "name": "A"}),
            json!({"mobile": "13800138001", "name": "B"}),
        ],
        &[
            json!({"email": "a@example.com", "mobile": "13800138001", "name": "A2"}),
            json!({"email": "c@example.com", "name": "C"}),
            json!({"email": "d@example.com", "name": "D"}),
            json!({"email": "d@example.com", "name": "D2"}),
        ],
    );
    let survivor = before[0].contact_id;
    assert_eq!(plan.write.len(), 3, "a, c and d are written once each");
    let new: Vec<&str> = plan
        .write
        .iter()
        .filter(|c| plan.new.contains(&c.contact_id))
        .map(|c| c.attributes["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(new, ["C", "D2"]);
    assert!(!plan.new.contains(&survivor));
    assert!(!plan.new.contains(&before[1].contact_id));
    assert_eq!(plan.new.len(), 2);
}

#[test]
fn a_record_created_earlier_back_dates_only_a_new_contact() {
    let schema = schema();
    let context = WriteContext::now("demo");
    let earlier = context.at - jiff::SignedDuration::from_hours(24 * 400);
    let mut new = record(&schema, json!({"mobile": "13800000001"}));
    new.created_at = Some(earlier);
    let created = plan_batch(&schema, &[new.clone()], BatchState::default(), &context);
    let contact = &created.write[0];
    assert_eq!((contact.created_at, contact.updated_at), (earlier, earlier));
    let made = events_named(&created, "user_created");
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].occurred_at, earlier);
    // A record that matches a stored contact leaves its creation time alone.
    let stored = stored(&schema, json!({"mobile": "13800000002", "city": "上海"}));
    let mut update = record(&schema, json!({"mobile": "13800000002", "city": "北京"}));
    update.created_at = Some(earlier);
    let updated = plan(&schema, std::slice::from_ref(&stored), &[update]);
    assert_eq!(updated.write[0].created_at, stored.created_at);
    // A time after the write is no creation time: the write's own is kept.
    let mut future = record(&schema, json!({"mobile": "13800000003"}));
    future.created_at = Some(context.at + jiff::SignedDuration::from_hours(1));
    let later = plan_batch(&schema, &[future], BatchState::default(), &context);
    assert_eq!(later.write[0].created_at, context.at);
}
