//! Tests of event identity resolution: events attached to known contacts, contacts created for
//! unknown keys and anonymous ids, anonymous contacts merged or linked once identified, within a
//! batch and across batches, duplicates, and what the store must load and write.

use super::*;
use crate::contact::ContactRecord;
use crate::event::EventParser;
use crate::metadata::{preset_attributes, preset_event_definitions};
use crate::value::ParseOptions;
use serde_json::{Map, Value as Json, json};

fn schema() -> Schema {
    Schema::new(preset_attributes())
}

fn context() -> WriteContext {
    WriteContext::now("test")
}

/// An event `id` of `key` for `identity`, parsed as the API parses it.
fn event(id: &str, key: &str, identity: Json) -> IncomingEvent {
    let schema = schema();
    let definitions = preset_event_definitions();
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    parser
        .parse(
            json!({"event_id": id, "event": key, "occurred_at": "2026-03-01T09:00:00+08:00",
            "identity": identity}),
        )
        .expect("a valid event")
}

/// A stored contact made from `values` (none: an anonymous contact, holding no key).
fn contact(values: Json) -> Contact {
    let schema = schema();
    let values: Map<String, Json> = serde_json::from_value(values).expect("an object");
    let record = if values.is_empty() {
        ContactRecord::default()
    } else {
        ContactRecord::from_json(&schema, &values, ParseOptions::default()).expect("a valid record")
    };
    plan_upsert(&schema, Vec::new(), &record, &context()).contact
}

/// What is stored before the batch, and the loading a store does: owners of the batch's keys and
/// anonymous ids, the ids it names, then the contacts `contacts_to_load` asks for.
#[derive(Default)]
struct Stored {
    contacts: Vec<Contact>,
    anonymous: Vec<(String, ContactId)>,
    event_ids: Vec<String>,
}

impl Stored {
    fn load(&self, events: &[IncomingEvent]) -> IngestState {
        let schema = schema();
        let mut state = IngestState::default();
        for event in events {
            if self.event_ids.contains(&event.event_id) {
                state.stored.insert(event.event_id.clone());
            }
            for contact in &self.contacts {
                let keys = keys_of(&schema, contact);
                for key in event.identity.keys.iter().filter(|k| keys.contains(k)) {
                    state.owners.insert(key.clone(), contact.contact_id);
                }
                if event.identity.contact_id == Some(contact.contact_id) {
                    state.known.insert(contact.contact_id);
                }
            }
            for (anonymous_id, holder) in &self.anonymous {
                if event.identity.anonymous_id.as_ref().map(|a| a.as_str()) == Some(anonymous_id) {
                    state.anonymous.insert(anonymous_id.clone(), *holder);
                }
            }
        }
        for id in state.contacts_to_load(events) {
            if let Some(contact) = self.contacts.iter().find(|c| c.contact_id == id) {
                state.contacts.insert(id, contact.clone());
            }
        }
        state
    }

    fn plan(&self, events: &[IncomingEvent]) -> IngestPlan {
        plan_ingest(&schema(), events, self.load(events), &context()).expect("a plan")
    }
}

fn named<'p>(plan: &'p IngestPlan, key: &str) -> Vec<&'p Event> {
    plan.contacts
        .events
        .iter()
        .filter(|e| e.event == key)
        .collect()
}

#[test]
fn a_known_contact_id_attaches_and_an_unknown_one_is_rejected() {
    let known = contact(json!({"mobile": "13800000001"}));
    let stored = Stored {
        contacts: vec![known.clone()],
        ..Stored::default()
    };
    let unknown = ContactId::new();
    let events = [
        event(
            "e1",
            "email_open",
            json!({"contact_id": known.contact_id.to_string()}),
        ),
        event(
            "e2",
            "email_open",
            json!({"contact_id": unknown.to_string()}),
        ),
    ];
    let plan = stored.plan(&events);
    assert_eq!(plan.outcomes[0].status, IngestStatus::Created);
    assert_eq!(plan.outcomes[0].contact_id, Some(known.contact_id));
    assert!(!plan.outcomes[0].contact_created);
    match &plan.outcomes[1].status {
        IngestStatus::Rejected(error) => {
            assert_eq!(error.field.as_deref(), Some("identity.contact_id"));
        }
        other => panic!("an unknown contact id is rejected, not {other:?}"),
    }
    assert_eq!(plan.outcomes[1].contact_id, None);
    assert!(
        plan.contacts.write.is_empty(),
        "attaching writes no contact"
    );
}

#[test]
fn a_known_key_attaches_without_loading_or_writing_its_contact() {
    let known = contact(json!({"mobile": "13800000001"}));
    let stored = Stored {
        contacts: vec![known.clone()],
        ..Stored::default()
    };
    let events = [event(
        "e1",
        "email_open",
        json!({"mobile": "138 0000 0001"}),
    )];
    let state = stored.load(&events);
    assert!(
        state.contacts.is_empty(),
        "an attach needs no contact loaded"
    );
    let plan = plan_ingest(&schema(), &events, state, &context()).expect("a plan");
    assert_eq!(plan.outcomes[0].contact_id, Some(known.contact_id));
    assert!(plan.contacts.write.is_empty() && plan.contacts.events.is_empty());
}

#[test]
fn an_unknown_key_creates_a_contact_that_later_events_of_the_batch_find() {
    let events = [
        event("e1", "email_open", json!({"mobile": "13800000001"})),
        event("e2", "email_open", json!({"mobile": "13800000001"})),
    ];
    let plan = Stored::default().plan(&events);
    let created = plan.outcomes[0].contact_id.expect("a contact");
    assert!(plan.outcomes[0].contact_created);
    assert_eq!(plan.outcomes[1].contact_id, Some(created));
    assert!(
        !plan.outcomes[1].contact_created,
        "the second finds the first's key"
    );
    assert_eq!(plan.contacts.write.len(), 1);
    assert_eq!(plan.contacts.keys.len(), 1);
    assert_eq!(plan.contacts.keys[0].1, created);
    assert_eq!(named(&plan, "user_created").len(), 1);
    assert!(plan.contacts.merged.is_empty());
}

#[test]
fn an_anonymous_id_seen_first_makes_an_anonymous_contact_and_records_the_id() {
    let events = [
        event("e1", "form_open", json!({"anonymous_id": "visitor-1"})),
        event("e2", "form_open", json!({"anonymous_id": "visitor-1"})),
    ];
    let plan = Stored::default().plan(&events);
    let anonymous = plan.outcomes[0].contact_id.expect("a contact");
    assert!(plan.outcomes[0].contact_created);
    assert_eq!(plan.outcomes[1].contact_id, Some(anonymous));
    assert_eq!(plan.anonymous, vec![("visitor-1".to_owned(), anonymous)]);
    assert!(
        plan.contacts.keys.is_empty(),
        "an anonymous contact holds no key"
    );
}

#[test]
fn a_stored_anonymous_contact_merges_into_the_keyed_one_once_identified() {
    let keyed = contact(json!({"mobile": "13800000001"}));
    let anonymous = contact(json!({}));
    let stored = Stored {
        contacts: vec![keyed.clone(), anonymous.clone()],
        anonymous: vec![("visitor-1".to_owned(), anonymous.contact_id)],
        ..Stored::default()
    };
    let events = [event(
        "e1",
        "email_open",
        json!({"mobile": "13800000001", "anonymous_id": "visitor-1"}),
    )];
    let state = stored.load(&events);
    assert_eq!(
        state.contacts.len(),
        2,
        "both sides of the merge are loaded"
    );
    let plan = plan_ingest(&schema(), &events, state, &context()).expect("a plan");
    assert_eq!(plan.outcomes[0].contact_id, Some(keyed.contact_id));
    assert_eq!(plan.outcomes[0].merged, vec![anonymous.contact_id]);
    assert_eq!(
        plan.contacts.merged,
        vec![(anonymous.contact_id, keyed.contact_id)]
    );
    assert!(
        plan.anonymous.is_empty(),
        "the id moves with the merged contact, not as a new row"
    );
    assert_eq!(named(&plan, "user_merged").len(), 1);
    assert_eq!(plan.contacts.write.len(), 1);
    assert_eq!(plan.contacts.write[0].contact_id, keyed.contact_id);
}

#[test]
fn a_new_key_with_a_stored_anonymous_id_links_to_the_anonymous_contact() {
    let anonymous = contact(json!({}));
    let stored = Stored {
        contacts: vec![anonymous.clone()],
        anonymous: vec![("visitor-1".to_owned(), anonymous.contact_id)],
        ..Stored::default()
    };
    let events = [event(
        "e1",
        "email_open",
        json!({"mobile": "13800000001", "anonymous_id": "visitor-1"}),
    )];
    let plan = stored.plan(&events);
    assert_eq!(plan.outcomes[0].contact_id, Some(anonymous.contact_id));
    assert!(!plan.outcomes[0].contact_created);
    assert!(plan.contacts.merged.is_empty());
    assert_eq!(plan.contacts.rekey, vec![anonymous.contact_id]);
    assert_eq!(plan.contacts.keys.len(), 1, "the contact gains the mobile");
    assert!(plan.anonymous.is_empty(), "the id was recorded before");
}

#[test]
fn an_anonymous_contact_made_in_the_batch_merges_into_a_stored_one_without_a_move() {
    let keyed = contact(json!({"mobile": "13800000001"}));
    let stored = Stored {
        contacts: vec![keyed.clone()],
        ..Stored::default()
    };
    let events = [
        event("e1", "form_open", json!({"anonymous_id": "visitor-2"})),
        event(
            "e2",
            "email_open",
            json!({"mobile": "13800000001", "anonymous_id": "visitor-2"}),
        ),
        event("e3", "form_open", json!({"anonymous_id": "visitor-2"})),
    ];
    let plan = stored.plan(&events);
    assert!(plan.outcomes[0].contact_created);
    assert_eq!(
        plan.outcomes[0].contact_id,
        Some(keyed.contact_id),
        "an outcome names the contact holding the event once the batch is written"
    );
    assert_eq!(plan.outcomes[1].merged.len(), 1);
    assert_eq!(plan.outcomes[2].contact_id, Some(keyed.contact_id));
    assert!(
        plan.contacts.merged.is_empty(),
        "a contact made in the batch was never stored: nothing moves"
    );
    assert_eq!(
        plan.anonymous,
        vec![("visitor-2".to_owned(), keyed.contact_id)]
    );
    assert!(
        plan.contacts
            .events
            .iter()
            .all(|e| e.contact_id == keyed.contact_id),
        "every planned event points at the final holder"
    );
    assert_eq!(plan.contacts.write.len(), 1);
}

#[test]
fn duplicates_write_nothing_whether_stored_or_repeated_in_the_batch() {
    let stored = Stored {
        event_ids: vec!["e1".to_owned()],
        ..Stored::default()
    };
    let events = [
        event("e1", "email_open", json!({"mobile": "13800000001"})),
        event("e2", "email_open", json!({"mobile": "13800000002"})),
        event("e2", "email_open", json!({"mobile": "13800000003"})),
    ];
    let plan = stored.plan(&events);
    assert_eq!(plan.outcomes[0], IngestOutcome::duplicate());
    assert_eq!(plan.outcomes[1].status, IngestStatus::Created);
    assert_eq!(plan.outcomes[2], IngestOutcome::duplicate());
    assert_eq!(
        plan.contacts.write.len(),
        1,
        "a duplicate's unknown key creates no contact"
    );
}

#[test]
fn order_and_consent_events_are_handed_on_with_their_final_contacts() {
    let keyed = contact(json!({"mobile": "13800000001", "email": "a@example.com"}));
    let stored = Stored {
        contacts: vec![keyed.clone()],
        ..Stored::default()
    };
    let events = [
        event("o1", "order", json!({"mobile": "13800000001"})),
        event("o2", "order", json!({"mobile": "13800000001"})),
        event("u1", "email_unsubscribe", json!({"email": "a@example.com"})),
        event("p1", "email_open", json!({"mobile": "13800000001"})),
    ];
    let plan = stored.plan(&events);
    assert_eq!(
        plan.with_orders,
        vec![keyed.contact_id],
        "each contact once"
    );
    assert_eq!(plan.consent_events.len(), 1);
    assert_eq!(plan.consent_events[0].event_id, "u1");
    assert_eq!(plan.consent_events[0].contact_id, keyed.contact_id);
}

#[test]
fn a_key_held_by_a_contact_that_was_not_loaded_fails_the_plan() {
    let keyed = contact(json!({"mobile": "13800000001"}));
    let events = [event(
        "e1",
        "form_open",
        json!({"mobile": "13800000001", "anonymous_id": "visitor-1"}),
    )];
    let mut state = IngestState::default();
    let key = events[0].identity.keys[0].clone();
    state.owners.insert(key, keyed.contact_id);
    assert_eq!(state.contacts_to_load(&events), vec![keyed.contact_id]);
    let error = plan_ingest(&schema(), &events, state, &context()).expect_err("not loaded");
    assert_eq!(error.kind, crate::ErrorKind::Internal);
}
