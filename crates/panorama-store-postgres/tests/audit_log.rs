//! The audit log is evidence: the database itself refuses to change, remove or truncate an
//! entry, whoever connects.

use panorama_core::access::{AuditAction, AuditOutcome, AuditQuery, NewAuditEntry};
use panorama_core::store::{AuditStore, MetadataStore};
use panorama_store_postgres::testing::TestDatabase;
use sqlx::Connection;

#[tokio::test]
async fn entries_cannot_be_changed_removed_or_truncated() {
    let Some((store, database)) = TestDatabase::store().await else {
        return;
    };
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
    let mut connection = sqlx::PgConnection::connect(&database.url)
        .await
        .expect("a direct connection");
    for statement in [
        "UPDATE audit_log SET actor = 'someone else'",
        "UPDATE audit_log SET outcome = 'refused', reason = 'made_up'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let error = sqlx::raw_sql(statement)
            .execute(&mut connection)
            .await
            .expect_err(statement);
        assert!(
            error.to_string().contains("cannot be changed or removed"),
            "{statement}: {error}"
        );
    }
    let entries = store
        .audit_entries(&AuditQuery::default())
        .await
        .expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entry.actor, "user:boss");
    assert_eq!(entries[0].outcome, Some(AuditOutcome::Succeeded));
}
