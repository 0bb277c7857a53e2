//! Conformance: event ingest: duplicates, identities, anonymous contacts and their merges,
//! unsubscribe events. Orders and the timeline are in `events_read.rs`.

use crate::{event_keys, upsert};
use panorama_core::Store;
use panorama_core::contact::{Channel, ContactId, WriteContext};
use panorama_core::event::{AnonymousId, EventParser, IngestOutcome, IngestStatus};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use serde_json::{Value as Json, json};

/// Parse and ingest `events` (JSON records) in one batch from source `test`.
pub async fn ingest(store: &dyn Store, events: Json) -> Vec<IngestOutcome> {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let definitions = store.list_event_definitions().await.unwrap();
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    let parsed: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| parser.parse(e.clone()).unwrap())
        .collect();
    store
        .ingest_events(parsed, &WriteContext::now("test"))
        .await
        .unwrap()
}

pub(crate) fn event(id: &str, key: &str, at: &str, identity: Json, properties: Json) -> Json {
    json!({"event_id": id, "event": key, "occurred_at": at, "identity": identity, "properties": properties})
}

fn anonymous(id: &str) -> AnonymousId {
    AnonymousId::parse(id).unwrap()
}

pub async fn events_are_ingested_once(store: &dyn Store) {
    let first = event(
        "e1",
        "email_open",
        "2026-03-01T09:00:00+08:00",
        json!({"mobile": "13800000101"}),
        json!({"subject": "Hi"}),
    );
    let outcomes = ingest(store, json!([first.clone(), first.clone()])).await;
    assert_eq!(outcomes[0].status, IngestStatus::Created);
    assert!(
        outcomes[0].contact_created,
        "an unknown key creates the contact"
    );
    assert_eq!(
        outcomes[1].status,
        IngestStatus::Duplicate,
        "the same id later in the batch"
    );
    let contact_id = outcomes[0].contact_id.unwrap();
    let changed = event(
        "e1",
        "email_click",
        "2026-03-02T09:00:00Z",
        json!({"mobile": "13800000102"}),
        json!({}),
    );
    let again = ingest(store, json!([changed])).await;
    assert_eq!(
        again[0].status,
        IngestStatus::Duplicate,
        "a stored id: nothing changes"
    );
    assert_eq!(
        store.overview(jiff::Timestamp::now()).await.unwrap().all,
        1,
        "no contact for the duplicate"
    );
    let contact = store.get_contact(contact_id).await.unwrap().unwrap();
    let keys = event_keys(store, &contact).await;
    assert_eq!(keys.iter().filter(|k| *k == "email_open").count(), 1);
    assert!(keys.contains(&"user_created".to_owned()));
    let stored = store.contact_events(contact_id, 10).await.unwrap();
    let open = stored.iter().find(|e| e.event_id == "e1").unwrap();
    assert_eq!(
        open.occurred_at.to_string(),
        "2026-03-01T01:00:00Z",
        "any offset is stored exactly"
    );
    let unknown = ContactId::new();
    let mixed = ingest(
        store,
        json!([
            event(
                "e2",
                "email_open",
                "2026-03-03T00:00:00Z",
                json!({"contact_id": unknown.to_string()}),
                json!({})
            ),
            event(
                "e3",
                "email_open",
                "2026-03-03T00:00:00Z",
                json!({"contact_id": contact_id.to_string()}),
                json!({})
            ),
        ]),
    )
    .await;
    match &mixed[0].status {
        IngestStatus::Rejected(error) => {
            assert_eq!(error.field.as_deref(), Some("identity.contact_id"))
        }
        other => panic!("an unknown contact_id is rejected, not {other:?}"),
    }
    assert_eq!(mixed[1].contact_id, Some(contact_id));
}

pub async fn anonymous_contacts_merge_into_the_real_one(store: &dyn Store) {
    let created = ingest(
        store,
        json!([event(
            "a1",
            "form_open",
            "2026-01-01T10:00:00Z",
            json!({"anonymous_id": "device-1"}),
            json!({})
        )]),
    )
    .await;
    let anonymous_contact = store
        .get_contact(created[0].contact_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(anonymous_contact.categories().anonymous());
    // The real-name contact is younger than the anonymous one, and still survives the link.
    let real = upsert(store, json!({"email": "real@example.com", "name": "Real"}))
        .await
        .contact;
    let linked = ingest(
        store,
        json!([event(
            "a2",
            "form_submit",
            "2026-01-02T10:00:00Z",
            json!({"anonymous_id": "device-1", "email": "REAL@example.com"}),
            json!({})
        )]),
    )
    .await;
    assert_eq!(linked[0].contact_id, Some(real.contact_id));
    assert_eq!(linked[0].merged, vec![anonymous_contact.contact_id]);
    assert!(
        store
            .get_contact(anonymous_contact.contact_id)
            .await
            .unwrap()
            .is_none()
    );
    let keys = event_keys(store, &real).await;
    assert!(
        keys.contains(&"form_open".to_owned()) && keys.contains(&"user_merged".to_owned()),
        "{keys:?}"
    );
    assert_eq!(
        store
            .find_anonymous(&anonymous("device-1"))
            .await
            .unwrap()
            .unwrap()
            .contact_id,
        real.contact_id
    );
    // A later write of attributes rebuilds the contact's keys; the anonymous id must survive it.
    upsert(
        store,
        json!({"email": "real@example.com", "mobile": "13800000201"}),
    )
    .await;
    assert_eq!(
        store
            .find_anonymous(&anonymous("device-1"))
            .await
            .unwrap()
            .unwrap()
            .contact_id,
        real.contact_id
    );
    let later = ingest(
        store,
        json!([event(
            "a3",
            "email_open",
            "2026-01-03T10:00:00Z",
            json!({"anonymous_id": "device-1"}),
            json!({})
        )]),
    )
    .await;
    assert_eq!(later[0].contact_id, Some(real.contact_id));
    assert!(!later[0].contact_created);
    // A contact merge by keys carries the anonymous ids of the merged contact over too.
    let other = ingest(
        store,
        json!([event(
            "a4",
            "form_open",
            "2026-01-04T10:00:00Z",
            json!({"anonymous_id": "device-2", "mobile": "13800000202"}),
            json!({})
        )]),
    )
    .await;
    let merged = upsert(
        store,
        json!({"mobile": "13800000202", "email": "real@example.com"}),
    )
    .await;
    assert_eq!(merged.merged, vec![other[0].contact_id.unwrap()]);
    assert_eq!(
        store
            .find_anonymous(&anonymous("device-2"))
            .await
            .unwrap()
            .unwrap()
            .contact_id,
        real.contact_id
    );
}

pub async fn a_new_key_makes_an_anonymous_contact_real(store: &dyn Store) {
    let first = ingest(
        store,
        json!([event(
            "b1",
            "form_open",
            "2026-01-01T10:00:00Z",
            json!({"anonymous_id": "cookie-9"}),
            json!({})
        )]),
    )
    .await;
    let second = ingest(
        store,
        json!([event(
            "b2",
            "form_submit",
            "2026-01-01T10:05:00Z",
            json!({"anonymous_id": "cookie-9", "mobile": "138 0000 0301"}),
            json!({})
        )]),
    )
    .await;
    assert_eq!(
        second[0].contact_id, first[0].contact_id,
        "the same contact, now with a key"
    );
    let contact = store
        .get_contact(first[0].contact_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.attributes["mobile"], json!("+8613800000301"));
    assert!(contact.categories().real_name);
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 1);
}

pub async fn unsubscribe_events_turn_channels_off(store: &dyn Store) {
    let contact = upsert(
        store,
        json!({"mobile": "13800000401", "email": "u@example.com"}),
    )
    .await
    .contact;
    ingest(
        store,
        json!([
            event(
                "u1",
                "email_unsubscribe",
                "2026-02-01T10:00:00Z",
                json!({"email": "u@example.com"}),
                json!({})
            ),
            event(
                "u2",
                "sms_unsubscribe",
                "2026-02-01T10:00:01Z",
                json!({"mobile": "13800000401"}),
                json!({})
            ),
            event(
                "u3",
                "email_open",
                "2026-02-01T10:00:02Z",
                json!({"email": "u@example.com"}),
                json!({})
            ),
        ]),
    )
    .await;
    let after = store
        .get_contact(contact.contact_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!after.subscription.email.subscribed && !after.subscription.mobile.subscribed);
    assert!(after.subscription.global.subscribed, "global is untouched");
    assert!(
        after
            .subscription
            .email
            .source
            .contains("email_unsubscribe"),
        "{}",
        after.subscription.email.source
    );
    assert!(
        after.subscription.mobile.source.contains("sms_unsubscribe"),
        "{}",
        after.subscription.mobile.source
    );
    let changes: Vec<_> = store
        .contact_events(contact.contact_id, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.event == "subscription_change")
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(!after.subscription.effective(Channel::Email));
}
