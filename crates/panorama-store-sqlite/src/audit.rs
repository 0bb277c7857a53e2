//! The audit log on SQLite: appended through the writer, each entry's outcome set once when its
//! act ends, read newest first; triggers (migrations 0009, 0012) refuse any other `UPDATE` and
//! any `DELETE` of an entry.

use crate::convert::{micros, timestamp, to_json};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::access::{
    AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditOutcome, AuditQuery, NewAuditEntry,
};
use panorama_core::store::AuditStore;
use panorama_core::{Error, Result};
use sqlx::{FromRow, QueryBuilder, Sqlite};

#[derive(FromRow)]
struct EntryRow {
    entry_id: i64,
    at: i64,
    actor: String,
    action: String,
    target: Option<String>,
    detail: String,
    outcome: Option<String>,
    reason: Option<String>,
}

impl EntryRow {
    fn into_entry(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            entry_id: self.entry_id,
            entry: NewAuditEntry {
                at: timestamp(self.at)?,
                actor: self.actor,
                action: AuditAction::parse(&self.action, "action")
                    .map_err(|e| Error::internal(format!("stored audit entry: {}", e.detail)))?,
                target: self.target,
                detail: serde_json::from_str(&self.detail).map_err(Error::internal)?,
            },
            outcome: AuditOutcome::stored(self.outcome.as_deref(), self.reason),
        })
    }
}

#[async_trait]
impl AuditStore for SqliteDb {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        let entry_id: i64 = sqlx::query_scalar(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)
             RETURNING entry_id",
        )
        .bind(micros(entry.at))
        .bind(&entry.actor)
        .bind(entry.action.as_str())
        .bind(&entry.target)
        .bind(to_json(&entry.detail)?)
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
        Ok(AuditEntry {
            entry_id,
            entry,
            outcome: None,
        })
    }

    async fn settle_audit(&self, entry_id: i64, outcome: &AuditOutcome) -> Result<()> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query(
            "UPDATE audit_log SET outcome = $2, reason = $3 WHERE entry_id = $1 AND outcome IS NULL",
        )
        .bind(entry_id)
        .bind(outcome.as_str())
        .bind(outcome.reason())
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT entry_id, at, actor, action, target, detail, outcome, reason FROM audit_log WHERE 1 = 1",
        );
        if let Some(action) = query.action {
            sql.push(" AND action = ").push_bind(action.as_str());
        }
        if let Some(actor) = &query.actor {
            sql.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(before) = query.before {
            sql.push(" AND entry_id < ").push_bind(before);
        }
        let limit = query.limit.clamp(1, AUDIT_PAGE_ENTRIES_MAX);
        sql.push(" ORDER BY entry_id DESC LIMIT ")
            .push_bind(i64::try_from(limit).unwrap_or(1));
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<EntryRow> = sql
            .build_query_as()
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter().map(EntryRow::into_entry).collect()
    }
}
