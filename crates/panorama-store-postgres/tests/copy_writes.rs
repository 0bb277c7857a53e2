//! Batches large enough to go through COPY (new contacts, keys and events straight in, stored
//! contacts through a staging table) store hostile text exactly: tabs, newlines, backslashes, `\N`,
//! quotes, Chinese and emoji, in attributes, key values and event properties (tabs and line
//! breaks only in free text, as the edge allows). Skipped without
//! `PANORAMA_TEST_POSTGRES_URL`.

use panorama_core::Store;
use panorama_core::contact::{ContactRecord, KeyValue, UpsertAction, WriteContext};
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::metadata::Schema;
use panorama_core::store::MetadataStore;
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

/// `text` on one line: names and other single-line text refuse tabs and line breaks at the edge,
/// so only free text (`address`) carries them to COPY.
fn one_line(text: &str) -> String {
    text.replace(['\t', '\r', '\n'], " ")
}

async fn records(store: &dyn Store, round: usize) -> Vec<ContactRecord> {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    (0..ROWS)
        .map(|i| {
            let hostile = HOSTILE[(i + round) % HOSTILE.len()];
            let map = json!({
                "email": format!("copy{i}@example.com"),
                "name": format!("{} #{i} r{round}", one_line(hostile)),
                "address": hostile,
                "company": one_line(HOSTILE[(i + round + 1) % HOSTILE.len()]),
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
            json!(format!("{} #{i} r{round}", one_line(hostile)))
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
async fn a_nul_character_is_refused_at_the_edge_and_the_store_stays_usable() {
    let Some((store, _database)) = TestDatabase::store().await else {
        return;
    };
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    // PostgreSQL text cannot hold NUL: the record is refused before any store sees it, naming
    // the field, so no batch can fail on it.
    for (field, value) in [("name", "before\u{0}after"), ("address", "free\u{0}text")] {
        let map = json!({"email": "nul@example.com", field: value});
        let map = map.as_object().cloned().unwrap_or_default();
        let error = ContactRecord::from_json(&schema, &map, ParseOptions::default())
            .expect_err("a NUL value is refused");
        assert_eq!(error.code, "control_character", "{field}");
        assert_eq!(error.field.as_deref(), Some(field));
    }
    write_and_check(&store, 2, UpsertAction::Created).await;
}
