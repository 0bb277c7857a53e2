//! Batches large enough to go through COPY (new contacts, keys and events straight in, stored
//! contacts through a staging table) store hostile text exactly: tabs, newlines, backslashes, `\N`,
//! quotes, Chinese and emoji, in attributes, key values and event properties. Skipped without
//! `PANORAMA_TEST_POSTGRES_URL`.

use panorama_core::Store;
use panorama_core::contact::{ContactRecord, KeyValue, UpsertAction, WriteContext};
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactStore, MetadataStore};
use panorama_core::value::ParseOptions;
use panorama_store_postgres::testing::TestDatabase;
use serde_json::json;

/// More than the store's COPY threshold (500 rows), so every table of the batch takes COPY.
const ROWS: usize = 600;

/// Values COPY's text format must escape or leave alone; no leading or trailing blanks, which
/// parsing would trim.
const HOSTILE: [&str; 9] = [
    "tab\there",
    "line\nbreak and\r\ncarriage",
    "back\\slash \\t \\n \\\\",
    "\\N",
    "x\\.y",
    "\"double\" 'single', comma; semicolon",
    "王伟 上海市浦东新区",
    "emoji 🎉👩‍👩‍👧 mixed\t王",
    "{\"json\": [1, \"\\u0041\"]}",
];

async fn records(store: &dyn Store, round: usize) -> Vec<ContactRecord> {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    (0..ROWS)
        .map(|i| {
            let hostile = HOSTILE[(i + round) % HOSTILE.len()];
            let map = json!({
                "email": format!("copy{i}@example.com"),
                "name": format!("{hostile} #{i} r{round}"),
                "address": hostile,
                "company": HOSTILE[(i + round + 1) % HOSTILE.len()],
            });
            let map = map.as_object().cloned().unwrap_or_default();
            ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("a record")
        })
        .collect()
}

/// Write a round of hostile records and check every contact, key and newest event reads back.
async fn write_and_check(store: &dyn Store, round: usize, expected: UpsertAction) {
    let records = records(store, round).await;
    let outcomes = store
        .upsert_contacts(&records, &WriteContext::now("test"))
        .await
        .expect("the batch is written");
    assert_eq!(outcomes.len(), ROWS);
    for (i, outcome) in outcomes.iter().enumerate() {
        assert_eq!(outcome.action, expected, "row {i}");
        let hostile = HOSTILE[(i + round) % HOSTILE.len()];
        let stored = store
            .get_contact(outcome.contact.contact_id)
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(stored.attributes, outcome.contact.attributes, "row {i}");
        assert_eq!(stored.subscription, outcome.contact.subscription, "row {i}");
        assert_eq!(stored.attributes["address"], json!(hostile), "row {i}");
        assert_eq!(
            stored.attributes["name"],
            json!(format!("{hostile} #{i} r{round}"))
        );
        let key = KeyValue {
            attribute: "email".into(),
            value: format!("copy{i}@example.com"),
        };
        let found = store.find_contact(&key).await.expect("find").expect("key");
        assert_eq!(found.contact_id, outcome.contact.contact_id, "row {i}");
        let page = store
            .timeline(
                outcome.contact.contact_id,
                &TimelineQuery {
                    filter: EventFilter::default(),
                    limit: 10,
                    cursor: None,
                },
            )
            .await
            .expect("timeline");
        if expected == UpsertAction::Created {
            assert_eq!(page.items.len(), 1, "row {i}");
            assert_eq!(page.items[0].event, "user_created", "row {i}");
            continue;
        }
        // The change of `address` carries the old and new hostile values as event properties.
        let previous = HOSTILE[(i + round - 1) % HOSTILE.len()];
        let change = page
            .items
            .iter()
            .find(|e| e.event == "attribute_change" && e.properties["attribute"] == "address")
            .expect("the address change is recorded");
        assert_eq!(change.properties["old_value"], json!(previous), "row {i}");
        assert_eq!(change.properties["new_value"], json!(hostile), "row {i}");
    }
}

#[tokio::test]
async fn copy_batches_store_hostile_text_exactly() {
    let Some((store, _database)) = TestDatabase::store().await else {
        return;
    };
    write_and_check(&store, 0, UpsertAction::Created).await;
    // The same keys again with other values: the upsert from the staging table updates them.
    write_and_check(&store, 1, UpsertAction::Updated).await;
}

#[tokio::test]
async fn a_nul_character_fails_the_whole_batch_and_leaves_the_store_usable() {
    let Some((store, _database)) = TestDatabase::store().await else {
        return;
    };
    let mut batch = records(&store, 0).await;
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let map = json!({"email": "nul@example.com", "name": "before\u{0}after"});
    let map = map.as_object().cloned().unwrap_or_default();
    // PostgreSQL text cannot hold NUL; if the domain lets it through, the store must refuse the
    // batch as a whole rather than store a cut value.
    if let Ok(record) = ContactRecord::from_json(&schema, &map, ParseOptions::default()) {
        batch.push(record);
        let written = store
            .upsert_contacts(&batch, &WriteContext::now("test"))
            .await;
        let error = written.expect_err("a NUL value was stored");
        eprintln!("NUL refused: {error}");
        let key = KeyValue {
            attribute: "email".into(),
            value: "copy0@example.com".into(),
        };
        assert!(store.find_contact(&key).await.expect("find").is_none());
    }
    write_and_check(&store, 2, UpsertAction::Created).await;
}
