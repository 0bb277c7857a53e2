//! Conformance: ingest requests running at the same time. Each event id is stored once and each
//! key value belongs to one contact, whichever request arrives first (the SQLite store writes
//! waiting requests as one group; PostgreSQL runs them in parallel transactions).

use crate::events::{event, ingest};
use panorama_core::Store;
use panorama_core::event::IngestStatus;
use serde_json::{Value as Json, json};
use std::collections::{HashMap, HashSet};

const REQUESTS: usize = 4;
const OWN_EVENTS: usize = 60;
const SHARED_EVENTS: usize = 20;
const MOBILES: usize = 15;

fn mobile(n: usize) -> String {
    format!("1390000{:04}", n % MOBILES)
}

/// An `email_open` with id `id` at `at` for `mobile`.
fn open(id: String, at: &str, mobile: String) -> Json {
    event(
        &id,
        "email_open",
        at,
        json!({ "mobile": mobile }),
        json!({}),
    )
}

/// Request `r`: its own events, then the shared ones, on mobiles every request uses.
fn request(r: usize) -> Json {
    let own = (0..OWN_EVENTS).map(|i| {
        open(
            format!("own-{r}-{i}"),
            "2026-05-01T10:00:00Z",
            mobile(i + r),
        )
    });
    let shared =
        (0..SHARED_EVENTS).map(|i| open(format!("shared-{i}"), "2026-05-02T10:00:00Z", mobile(i)));
    Json::Array(own.chain(shared).collect())
}

pub async fn concurrent_ingests_store_each_event_once_and_each_key_once(store: &dyn Store) {
    let (a, b, c, d) = tokio::join!(
        ingest(store, request(0)),
        ingest(store, request(1)),
        ingest(store, request(2)),
        ingest(store, request(3)),
    );
    let answers = [a, b, c, d];
    let mut created = 0;
    let mut duplicate = 0;
    let mut holders: HashMap<String, HashSet<_>> = HashMap::new();
    for (r, outcomes) in answers.iter().enumerate() {
        assert_eq!(
            outcomes.len(),
            OWN_EVENTS + SHARED_EVENTS,
            "request {r} answers each event"
        );
        for (i, outcome) in outcomes.iter().enumerate() {
            match outcome.status {
                IngestStatus::Created => created += 1,
                IngestStatus::Duplicate => duplicate += 1,
                IngestStatus::Rejected(ref error) => panic!("request {r} event {i}: {error:?}"),
            }
            if i < OWN_EVENTS {
                let contact = outcome
                    .contact_id
                    .expect("a created event names its contact");
                holders.entry(mobile(i + r)).or_default().insert(contact);
            }
        }
    }
    assert_eq!(
        created,
        REQUESTS * OWN_EVENTS + SHARED_EVENTS,
        "each event id once"
    );
    assert_eq!(
        duplicate,
        (REQUESTS - 1) * SHARED_EVENTS,
        "the shared ids again"
    );
    assert_eq!(holders.len(), MOBILES);
    for (mobile, contacts) in &holders {
        assert_eq!(
            contacts.len(),
            1,
            "mobile {mobile} belongs to one contact: {contacts:?}"
        );
    }
    let overview = store.overview(jiff::Timestamp::now()).await.unwrap();
    assert_eq!(
        overview.all, MOBILES as u64,
        "one contact per mobile, none left over"
    );
}
