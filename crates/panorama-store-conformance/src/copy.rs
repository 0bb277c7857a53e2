//! Conformance: the copy area on one store. Tables read in key order in batches, a store holding
//! data refuses to receive a copy, and canonical rows written back (ids kept, JSON, flags, the
//! audit log's own ids, events) read back as they were written.

use crate::events::event;
use crate::{ingest, upsert};
use jiff::Timestamp;
use panorama_core::Store;
use panorama_core::access::{AuditAction, NewAuditEntry};
use panorama_core::event::IngestStatus;
use panorama_core::store::CopyRow;
use serde_json::{Value, json};

/// Every row of `table`, read `batch` at a time.
async fn read_all(store: &dyn Store, table: &str, batch: u64) -> Vec<CopyRow> {
    let mut rows = store.copy_read(table, None, batch).await.unwrap();
    loop {
        let next = store.copy_read(table, rows.last(), batch).await.unwrap();
        if next.is_empty() {
            return rows;
        }
        rows.extend(next);
    }
}

/// `row` with `column` set to `value`.
fn with(row: &CopyRow, column: &str, value: Value) -> CopyRow {
    let mut row = row.clone();
    row.insert(column.to_owned(), value);
    row
}

pub async fn copied_tables_read_in_key_order_and_write_back_as_read(store: &dyn Store) {
    for mobile in ["13700000001", "13700000002", "13700000003"] {
        upsert(store, json!({"mobile": mobile})).await;
    }
    assert_eq!(store.copy_count("contacts").await.unwrap(), 3);
    let contacts = read_all(store, "contacts", 2).await;
    let ids: Vec<&str> = contacts
        .iter()
        .map(|row| row["contact_id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "contacts come in key order, each once");
    assert_eq!(contacts[0]["is_real_name"], json!(true));
    assert!(contacts[0]["attributes"].is_object());
    let keys = read_all(store, "contact_keys", 1).await;
    assert_eq!(keys.len(), 3, "a two-column key pages one row at a time");
    assert!(store.copy_read("no_such_table", None, 1).await.is_err());

    let held = store.copy_begin().await.unwrap();
    assert!(held.contains(&("contacts", 3)), "{held:?}");
    assert!(
        store.copy_count("attributes").await.unwrap() > 0,
        "nothing removed"
    );

    // A copied contact keeps its id and every column.
    let copied = with(
        &contacts[0],
        "contact_id",
        json!("01900000-0000-7000-8000-000000000001"),
    );
    store
        .copy_write("contacts", std::slice::from_ref(&copied))
        .await
        .unwrap();
    let again = store.copy_read("contacts", None, 1).await.unwrap();
    assert_eq!(again, [copied]);

    // An audit entry keeps its id, and the next one made here comes after it.
    store
        .append_audit(NewAuditEntry {
            at: Timestamp::now(),
            actor: "user:ana".into(),
            action: AuditAction::Export,
            target: None,
            detail: json!({"rows": 1}),
        })
        .await
        .unwrap();
    let audit = read_all(store, "audit_log", 10).await;
    let copied = with(&audit[0], "entry_id", json!(1000));
    store
        .copy_write("audit_log", std::slice::from_ref(&copied))
        .await
        .unwrap();
    assert_eq!(read_all(store, "audit_log", 10).await.last(), Some(&copied));
    store.copy_finish().await.unwrap();
    let next = store
        .append_audit(NewAuditEntry {
            at: Timestamp::now(),
            actor: "user:ana".into(),
            action: AuditAction::Export,
            target: None,
            detail: json!({}),
        })
        .await
        .unwrap();
    assert!(next.entry_id > 1000, "{}", next.entry_id);

    // A copied event is an event like any other: a second ingest of its id stores nothing.
    let sent = |id: &str| {
        event(
            id,
            "email_open",
            "2026-01-02T10:00:00Z",
            json!({"mobile": "13700000002"}),
            json!({"subject": "Hi"}),
        )
    };
    ingest(store, json!([sent("copy-e1")])).await;
    let events = read_all(store, "events", 10).await;
    let stored = events
        .iter()
        .find(|row| row["event_id"] == json!("copy-e1"))
        .unwrap();
    let copied = with(stored, "event_id", json!("copy-e2"));
    store
        .copy_write("events", std::slice::from_ref(&copied))
        .await
        .unwrap();
    assert!(read_all(store, "events", 10).await.contains(&copied));
    let before = store.copy_count("events").await.unwrap();
    let again = ingest(store, json!([sent("copy-e2")])).await;
    assert_eq!(again[0].status, IngestStatus::Duplicate);
    assert_eq!(store.copy_count("events").await.unwrap(), before);
}
