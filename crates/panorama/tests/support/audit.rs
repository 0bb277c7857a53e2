//! Reading a database's audit log from a synchronous CLI test.

use panorama_core::access::{AuditAction, AuditEntry, AuditQuery};
use panorama_core::store::AuditStore;

/// The newest entries (at most 5) of `action` in the SQLite database at `url`.
pub fn entries(url: &str, action: AuditAction) -> Vec<AuditEntry> {
    tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async {
            let store = panorama_store_sqlite::SqliteStore::open(url).await?;
            let query = AuditQuery {
                action: Some(action),
                limit: 5,
                ..AuditQuery::default()
            };
            store.audit_entries(&query).await
        })
        .expect("the audit log")
}
