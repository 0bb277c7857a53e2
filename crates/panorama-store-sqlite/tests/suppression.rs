//! The suppression list holds no plain personal data: read straight from the database file, its
//! rows are a hash and three flags, and no text of the deleted contact appears in them.

use panorama_core::Store;
use panorama_core::store::MetadataStore;
use panorama_store_conformance::upsert;
use panorama_store_sqlite::SqliteStore;
use sqlx::{Connection, Row};

#[tokio::test]
async fn entries_hold_a_hash_and_flags_only() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", folder.path().join("list.db").display());
    let store = SqliteStore::open(&url).await.expect("the store opens");
    store.migrate().await.expect("migrated");
    let attributes = serde_json::json!({"name": "Wang Fang", "mobile": "13800001234",
        "email": "wang.fang@example.com", "city": "Hangzhou", "mobile_subscribed": false});
    let contact = upsert(&store, attributes).await.contact;
    let store: &dyn Store = &store;
    assert!(
        store
            .delete_contact(contact.contact_id)
            .await
            .expect("deleted")
    );
    let mut connection = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("a direct connection");
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM pragma_table_info('contact_suppressions') ORDER BY cid",
    )
    .fetch_all(&mut connection)
    .await
    .expect("columns");
    assert_eq!(
        columns,
        [
            "key_hash",
            "global_suppressed",
            "email_suppressed",
            "mobile_suppressed",
            "suppressed_at"
        ]
    );
    let rows = sqlx::query("SELECT key_hash, global_suppressed, email_suppressed, mobile_suppressed, CAST(suppressed_at AS TEXT) AS at FROM contact_suppressions")
        .fetch_all(&mut connection)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2, "one per key value: mobile and email");
    let personal = [
        "Wang", "Fang", "wang", "1380000", "00001234", "example", "Hangzhou",
    ];
    for row in rows {
        let hash: String = row.get("key_hash");
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
        assert!(personal.iter().all(|p| !hash.contains(p)), "{hash}");
        let flags: (i64, i64, i64) = (row.get(1), row.get(2), row.get(3));
        assert_eq!(flags, (0, 0, 1), "only mobile was off");
        let at: String = row.get("at");
        assert!(at.bytes().all(|b| b.is_ascii_digit()));
    }
}
