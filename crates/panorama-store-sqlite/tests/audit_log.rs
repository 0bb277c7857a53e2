//! The audit log is evidence: the database file itself refuses to change or remove an entry,
//! whatever connects to it.

use panorama_core::access::{AuditAction, AuditOutcome, AuditQuery, NewAuditEntry};
use panorama_core::store::{AuditStore, MetadataStore};
use panorama_store_sqlite::SqliteStore;
use sqlx::Connection;

#[tokio::test]
async fn entries_cannot_be_changed_or_removed() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", folder.path().join("audit.db").display());
    let store = SqliteStore::open(&url).await.expect("the store opens");
    store.migrate().await.expect("migrated");
    let entry = NewAuditEntry {
        at: jiff::Timestamp::now(),
        actor: "user:boss".to_owned(),
        action: AuditAction::Delete,
        target: Some("a contact".to_owned()),
        detail: serde_json::json!({}),
    };
    let appended = store.append_audit(entry).await.expect("an entry");
    store
        .settle_audit(appended.entry_id, &AuditOutcome::Succeeded)
        .await
        .expect("an outcome is set once");
    let mut connection = sqlx::SqliteConnection::connect(&url)
        .await
        .expect("a direct connection");
    for (statement, refusal) in [
        (
            "UPDATE audit_log SET actor = 'someone else'",
            "cannot be changed",
        ),
        (
            "UPDATE audit_log SET outcome = 'refused', reason = 'made_up'",
            "cannot be changed",
        ),
        ("DELETE FROM audit_log", "cannot be removed"),
    ] {
        let error = sqlx::raw_sql(statement)
            .execute(&mut connection)
            .await
            .expect_err(statement);
        assert!(error.to_string().contains(refusal), "{statement}: {error}");
    }
    let entries = store
        .audit_entries(&AuditQuery::default())
        .await
        .expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entry.actor, "user:boss");
    assert_eq!(entries[0].outcome, Some(AuditOutcome::Succeeded));
}
