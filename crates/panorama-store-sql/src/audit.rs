//! The audit log (AuditStore), written once over [`Backend`](crate::Backend): appended in a write
//! transaction (so entry ids commit in order and a page boundary never skips a late commit), each
//! entry's outcome set once when its act ends, read newest first. The schema refuses any other
//! change and any delete of an entry (triggers in both databases' migrations).

use crate::convert::micros;
use crate::{Arg, Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::access::{
    AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditOutcome, AuditQuery, NewAuditEntry,
};
use panorama_core::store::AuditStore;
use panorama_core::{Error, Result};

#[async_trait]
impl<B: Backend> AuditStore for SqlStore<B> {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        let mut tx = self.backend.write().await?;
        let entry_id = sql(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)
             RETURNING entry_id",
        )
        .bind(micros(entry.at))
        .bind(&entry.actor)
        .bind(entry.action.as_str())
        .bind(&entry.target)
        .bind(&entry.detail)
        .one::<B>(&mut tx)
        .await?
        .i64(0)?;
        B::commit(tx).await?;
        Ok(AuditEntry {
            entry_id,
            entry,
            outcome: None,
        })
    }

    async fn settle_audit(&self, entry_id: i64, outcome: &AuditOutcome) -> Result<()> {
        let statement = sql(
            "UPDATE audit_log SET outcome = $2, reason = $3 WHERE entry_id = $1 AND outcome IS NULL",
        )
        .bind(entry_id)
        .bind(outcome.as_str())
        .bind(outcome.reason());
        let mut connection = self.backend.unordered_writer().await?;
        statement.execute::<B>(&mut connection).await.map(drop)
    }

    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut conditions = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let mut condition = |column: &str, arg: Arg| {
            args.push(arg);
            conditions.push(format!(" AND {column} ${}", args.len()));
        };
        if let Some(action) = query.action {
            condition("action =", action.as_str().into());
        }
        if let Some(actor) = &query.actor {
            condition("actor =", actor.into());
        }
        if let Some(before) = query.before {
            condition("entry_id <", before.into());
        }
        let limit = query.limit.clamp(1, AUDIT_PAGE_ENTRIES_MAX);
        let mut statement = sql(format!(
            "SELECT entry_id, at, actor, action, target, detail, outcome, reason FROM audit_log
             WHERE TRUE{} ORDER BY entry_id DESC LIMIT ${}",
            conditions.concat(),
            args.len() + 1
        ));
        for arg in args {
            statement = statement.bind(arg);
        }
        let mut connection = self.backend.read().await?;
        statement
            .bind(i64::try_from(limit).unwrap_or(1))
            .all::<B>(&mut connection)
            .await?
            .iter()
            .map(entry)
            .collect()
    }
}

/// An `audit_log` row as [`AuditStore::audit_entries`] selects it.
fn entry(row: &impl DbRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        entry_id: row.i64(0)?,
        entry: NewAuditEntry {
            at: row.time(1)?,
            actor: row.text(2)?,
            action: AuditAction::parse(&row.text(3)?, "action")
                .map_err(|e| Error::internal(format!("stored audit entry: {}", e.detail)))?,
            target: row.opt_text(4)?,
            detail: row.json(5)?,
        },
        outcome: AuditOutcome::stored(row.opt_text(6)?.as_deref(), row.opt_text(7)?),
    })
}
