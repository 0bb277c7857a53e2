//! The audit log on PostgreSQL: appended under the write lock (so entry ids commit in order and a
//! page boundary never skips a late commit), read newest first; the schema's trigger refuses any
//! `UPDATE` but setting an entry's outcome once (migration 0005) and any `DELETE` of an entry.

use crate::convert::{micros, timestamp};
use crate::db;
use panorama_core::access::{
    AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditOutcome, AuditQuery, NewAuditEntry,
};
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use sqlx::types::Json as Jsonb;
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

#[derive(FromRow)]
struct EntryRow {
    entry_id: i64,
    at: i64,
    actor: String,
    action: String,
    target: Option<String>,
    detail: Jsonb<Json>,
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
                detail: self.detail.0,
            },
            outcome: AuditOutcome::stored(self.outcome.as_deref(), self.reason),
        })
    }
}

/// Append one entry inside the caller's write transaction.
pub(crate) async fn append(
    connection: &mut PgConnection,
    entry: NewAuditEntry,
) -> Result<AuditEntry> {
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)
         RETURNING entry_id",
    )
    .bind(micros(entry.at))
    .bind(&entry.actor)
    .bind(entry.action.as_str())
    .bind(&entry.target)
    .bind(Jsonb(&entry.detail))
    .fetch_one(connection)
    .await
    .map_err(db)?;
    Ok(AuditEntry {
        entry_id,
        entry,
        outcome: None,
    })
}

/// Set entry `entry_id`'s outcome if it has none yet.
pub(crate) async fn settle(
    connection: &mut PgConnection,
    entry_id: i64,
    outcome: &AuditOutcome,
) -> Result<()> {
    sqlx::query(
        "UPDATE audit_log SET outcome = $2, reason = $3 WHERE entry_id = $1 AND outcome IS NULL",
    )
    .bind(entry_id)
    .bind(outcome.as_str())
    .bind(outcome.reason())
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// One page of entries, newest first, as `query` filters them.
pub(crate) async fn entries(
    connection: &mut PgConnection,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>> {
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT entry_id, at, actor, action, target, detail, outcome, reason FROM audit_log WHERE true",
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
    let rows: Vec<EntryRow> = sql
        .build_query_as()
        .fetch_all(connection)
        .await
        .map_err(db)?;
    rows.into_iter().map(EntryRow::into_entry).collect()
}
