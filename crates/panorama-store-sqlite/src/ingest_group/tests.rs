//! A group of ingest requests answers each as the requests one after the other would (save that
//! an outcome names the contact holding its event at the commit), and a request that fails alone
//! does not fail the rest of its group.

#![allow(clippy::unwrap_used)]

use super::{GroupWriter, Job, write_group};
use crate::SqliteDb;
use panorama_core::contact::WriteContext;
use panorama_core::event::{EventParser, IncomingEvent, IngestOutcome, IngestStatus};
use panorama_core::metadata::Schema;
use panorama_core::store::MetadataStore;
use panorama_core::value::ParseOptions;
use panorama_store_sql::events::StoredIds;
use serde_json::{Value as Json, json};
use sqlx::ConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;

async fn store() -> (tempfile::TempDir, String, crate::SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("group.db").display());
    let store = crate::SqliteStore::open(&url).await.unwrap();
    store.migrate().await.unwrap();
    (dir, url, store)
}

async fn parsed(store: &crate::SqliteStore, events: Json) -> Vec<IncomingEvent> {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let definitions = store.list_event_definitions().await.unwrap();
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    let events = events.as_array().unwrap();
    events
        .iter()
        .map(|e| parser.parse(e.clone()).unwrap())
        .collect()
}

fn event(id: &str, identity: Json) -> Json {
    json!({"event_id": id, "event": "email_open", "occurred_at": "2026-03-01T09:00:00+08:00",
        "identity": identity, "properties": {"subject": "Hi"}})
}

/// Write `requests` as one group; each request's answer.
async fn group(
    store: &SqliteDb,
    requests: Vec<Vec<IncomingEvent>>,
) -> Vec<panorama_core::Result<Vec<IngestOutcome>>> {
    group_through(&mut GroupWriter::new(store.writer.clone()), requests).await
}

/// Write `requests` as one group through `writer`, which remembers what earlier groups found.
async fn group_through(
    writer: &mut GroupWriter,
    requests: Vec<Vec<IncomingEvent>>,
) -> Vec<panorama_core::Result<Vec<IngestOutcome>>> {
    let mut jobs = Vec::new();
    let mut answers = Vec::new();
    for events in requests {
        let (job, answer) = Job::new(events, WriteContext::now("test")).unwrap();
        jobs.push(job);
        answers.push(answer);
    }
    write_group(writer, jobs).await;
    let mut results = Vec::new();
    for answer in answers {
        results.push(answer.await.unwrap());
    }
    results
}

#[tokio::test]
async fn a_group_answers_each_request_as_if_written_one_after_another() {
    let (_dir, _url, store) = store().await;
    let first = parsed(
        &store,
        json!([
            event("e1", json!({"mobile": "13800000001"})),
            event("e2", json!({"anonymous_id": "visitor-1"}))
        ]),
    )
    .await;
    let second = parsed(
        &store,
        json!([
            event("e1", json!({"mobile": "13800000001"})),
            event("e3", json!({"mobile": "13800000001"})),
            event(
                "e4",
                json!({"mobile": "13800000001", "anonymous_id": "visitor-1"})
            ),
        ]),
    )
    .await;
    let results = group(&store, vec![first, second]).await;
    let first = results[0].as_ref().unwrap();
    let second = results[1].as_ref().unwrap();
    assert_eq!(first.len(), 2, "the first request's own outcomes");
    assert_eq!(second.len(), 3, "the second request's own outcomes");
    let real = first[0].contact_id.unwrap();
    assert!(first[0].contact_created && first[1].contact_created);
    assert_eq!(
        first[1].contact_id,
        Some(real),
        "an outcome names the contact holding the event when the group commits"
    );
    assert_eq!(
        second[0].status,
        IngestStatus::Duplicate,
        "an id of the first request"
    );
    assert_eq!(second[1].status, IngestStatus::Created);
    assert_eq!(
        second[1].contact_id,
        Some(real),
        "the key the first request created"
    );
    assert!(!second[1].contact_created);
    assert_eq!(second[2].contact_id, Some(real));
    assert_eq!(
        second[2].merged.len(),
        1,
        "the first request's anonymous contact is merged"
    );
    assert_ne!(second[2].merged[0], real);
    assert_eq!(
        store.timeline_len(real).await,
        4,
        "e1, e3, e4 and e2 moved from the anonymous contact"
    );
}

#[tokio::test]
async fn a_request_that_fails_alone_leaves_the_rest_of_its_group_written() {
    let (_dir, url, store) = store().await;
    let broken = parsed(
        &store,
        json!([event("b1", json!({"mobile": "13800000009"}))]),
    )
    .await;
    // A key row whose contact is gone (written with foreign keys off): its event cannot be stored.
    let key = &broken[0].identity.keys[0];
    let mut raw = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .foreign_keys(false)
        .connect()
        .await
        .unwrap();
    sqlx::query("INSERT INTO contact_keys (attribute, value, contact_id) VALUES ($1, $2, $3)")
        .bind(&key.attribute)
        .bind(&key.value)
        .bind("00000000-0000-7000-8000-000000000000")
        .execute(&mut raw)
        .await
        .unwrap();
    let good = parsed(
        &store,
        json!([event("g1", json!({"mobile": "13800000002"}))]),
    )
    .await;
    let after = parsed(
        &store,
        json!([event("g2", json!({"mobile": "13800000002"}))]),
    )
    .await;
    let results = group(&store, vec![good, broken, after]).await;
    assert!(results[1].is_err(), "the request with the broken key fails");
    let good = results[0].as_ref().unwrap();
    let after = results[2].as_ref().unwrap();
    assert_eq!(good[0].status, IngestStatus::Created);
    assert_eq!(after[0].contact_id, good[0].contact_id);
    assert_eq!(store.timeline_len(good[0].contact_id.unwrap()).await, 2);
}

#[tokio::test]
async fn an_id_stored_before_is_a_duplicate_and_its_identity_writes_nothing() {
    let (_dir, _url, store) = store().await;
    let mut writer = GroupWriter::new(store.writer.clone());
    let stored = parsed(
        &store,
        json!([event("s1", json!({"mobile": "13800000001"}))]),
    )
    .await;
    let first = group_through(&mut writer, vec![stored]).await;
    let owner = first[0].as_ref().unwrap()[0].contact_id.unwrap();
    // The group is first written assuming no id is stored; s1 sends it back to look every id up.
    let again = parsed(
        &store,
        json!([
            event("n1", json!({"mobile": "13800000003"})),
            event("s1", json!({"mobile": "13800000002"})),
            event("n2", json!({"mobile": "13800000003"})),
        ]),
    )
    .await;
    assert_eq!(writer.first_pass, StoredIds::AssumeNone);
    let results = group_through(&mut writer, vec![again]).await;
    let outcomes = results[0].as_ref().unwrap();
    assert_eq!(outcomes[1].status, IngestStatus::Duplicate);
    assert_eq!(outcomes[1].contact_id, None);
    assert_eq!(outcomes[0].status, IngestStatus::Created);
    assert!(outcomes[0].contact_created, "n1's key is new");
    assert_eq!(outcomes[2].contact_id, outcomes[0].contact_id);
    assert!(!outcomes[2].contact_created);
    let contacts: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts")
        .fetch_one(&store.writer)
        .await
        .unwrap();
    assert_eq!(contacts, 2, "no contact for the duplicate's unknown key");
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT value FROM contact_keys WHERE attribute = 'mobile' ORDER BY value",
    )
    .fetch_all(&store.writer)
    .await
    .unwrap();
    assert_eq!(keys, ["+8613800000001", "+8613800000003"]);
    assert_eq!(store.timeline_len(owner).await, 1, "s1 stays where it was");
    assert_eq!(store.timeline_len(outcomes[0].contact_id.unwrap()).await, 2);
    // A group after one with duplicates looks every id up first, then assumes again.
    assert_eq!(writer.first_pass, StoredIds::LookUp);
    let third = parsed(
        &store,
        json!([
            event("n1", json!({"mobile": "13800000004"})),
            event("n3", json!({"mobile": "13800000001"})),
        ]),
    )
    .await;
    let results = group_through(&mut writer, vec![third]).await;
    let outcomes = results[0].as_ref().unwrap();
    assert_eq!(outcomes[0].status, IngestStatus::Duplicate);
    assert_eq!(outcomes[1].contact_id, Some(owner));
    assert_eq!(store.timeline_len(owner).await, 2);
    let fourth = parsed(
        &store,
        json!([event("n4", json!({"mobile": "13800000001"}))]),
    )
    .await;
    let results = group_through(&mut writer, vec![fourth]).await;
    assert_eq!(
        results[0].as_ref().unwrap()[0].status,
        IngestStatus::Created
    );
    assert_eq!(writer.first_pass, StoredIds::AssumeNone);
}

#[tokio::test]
async fn a_group_of_any_size_is_stored_whole() {
    let (_dir, _url, store) = store().await;
    // 1,234 rows: statements of 1,000, 100, 10 and 1 rows each take a part.
    let events: Vec<Json> = (0..1_234)
        .map(|i| {
            event(
                &format!("w{i}"),
                json!({"mobile": format!("1380000{:04}", i % 37)}),
            )
        })
        .collect();
    let events = parsed(&store, Json::Array(events)).await;
    let results = group(&store, vec![events]).await;
    let outcomes = results[0].as_ref().unwrap();
    assert!(outcomes.iter().all(|o| o.status == IngestStatus::Created));
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT event_id FROM events WHERE event = 'email_open' ORDER BY CAST(substr(event_id, 2) AS INTEGER)",
    )
    .fetch_all(&store.writer)
    .await
    .unwrap();
    let expected: Vec<String> = (0..1_234).map(|i| format!("w{i}")).collect();
    assert_eq!(stored, expected);
}

impl SqliteDb {
    /// The contact's `email_open` events (the test's own; creating a contact adds others).
    async fn timeline_len(&self, contact_id: panorama_core::contact::ContactId) -> u64 {
        use panorama_core::store::EventStore;
        let filter = panorama_core::event::EventFilter {
            events: Some(vec!["email_open".into()]),
            ..Default::default()
        };
        crate::SqliteStore::new(self.clone())
            .count_events(contact_id, &filter)
            .await
            .unwrap()
    }
}
