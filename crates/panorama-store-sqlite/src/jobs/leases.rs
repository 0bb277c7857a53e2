//! Job leases on SQLite: claims, renewals and the writes only the lease holder may make. Every
//! statement is one compare-and-set on the job's row, so two workers never both win.

use super::{JOB_SELECT, JobRow, record_progress_rows, signed};
use crate::convert::{micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::store::{Job, JobClaim, JobRejection, JobState};
use serde_json::Value as Json;
use sqlx::{AssertSqlSafe, SqlitePool};

/// Which jobs may be claimed at `$3` (now): queued ones, and running ones whose lease ended (or
/// that never had one: started before leases existed).
const CLAIMABLE: &str =
    "(state = 'queued' OR (state = 'running' AND COALESCE(claimed_until, 0) < $3))";

/// `JobStore::claim_job`.
pub(crate) async fn claim_job(
    writer: &SqlitePool,
    job_id: &str,
    worker: &str,
    now: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<bool> {
    let sql = format!(
        "UPDATE jobs SET state = 'running', claimed_by = $1, claimed_until = $2, \
         started_at = COALESCE(started_at, $3) WHERE job_id = $4 AND {CLAIMABLE}"
    );
    let moved = sqlx::query(AssertSqlSafe(sql))
        .bind(worker)
        .bind(micros(until))
        .bind(micros(now))
        .bind(job_id)
        .execute(writer)
        .await
        .map_err(db)?
        .rows_affected();
    Ok(moved == 1)
}

/// `JobStore::claim_next`: the same SQL as PostgreSQL's without `SKIP LOCKED`, which SQLite's
/// single writer makes unnecessary.
pub(crate) async fn claim_next(
    writer: &SqlitePool,
    kinds: &[&str],
    worker: &str,
    now: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<Option<Job>> {
    let sql = format!(
        "UPDATE jobs SET state = 'running', claimed_by = $1, claimed_until = $2, \
         started_at = COALESCE(started_at, $3) \
         WHERE job_id = (SELECT job_id FROM jobs WHERE {CLAIMABLE} \
             AND kind IN (SELECT value FROM json_each($4)) ORDER BY created_at, job_id LIMIT 1) \
         RETURNING {JOB_SELECT}"
    );
    let row: Option<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(worker)
        .bind(micros(until))
        .bind(micros(now))
        .bind(to_json(&kinds)?)
        .fetch_optional(writer)
        .await
        .map_err(db)?;
    row.map(JobRow::into_job).transpose()
}

/// `JobStore::renew_job`.
pub(crate) async fn renew_job(
    writer: &SqlitePool,
    job_id: &str,
    worker: &str,
    until: jiff::Timestamp,
) -> Result<bool> {
    let moved = sqlx::query(
        "UPDATE jobs SET claimed_until = $1 WHERE job_id = $2 AND state = 'running' AND claimed_by = $3",
    )
    .bind(micros(until))
    .bind(job_id)
    .bind(worker)
    .execute(writer)
    .await
    .map_err(db)?
    .rows_affected();
    Ok(moved == 1)
}

/// `JobStore::record_claimed_progress`: the fenced update first, the rejected rows only if it
/// moved, all in one transaction.
pub(crate) async fn record_claimed_progress(
    writer: &SqlitePool,
    job_id: &str,
    claim: JobClaim<'_>,
    progress: (u64, Option<u64>, &Json),
    rejected: &[JobRejection],
) -> Result<bool> {
    let (rows_done, rows_total, counts) = progress;
    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
    let moved = sqlx::query(
        "UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3, claimed_until = $4 \
         WHERE job_id = $5 AND state = 'running' AND claimed_by = $6",
    )
    .bind(signed(rows_done))
    .bind(rows_total.map(signed))
    .bind(to_json(counts)?)
    .bind(micros(claim.until))
    .bind(job_id)
    .bind(claim.worker)
    .execute(&mut *tx)
    .await
    .map_err(db)?
    .rows_affected();
    if moved != 1 {
        return Ok(false); // dropping the transaction rolls it back
    }
    record_progress_rows(&mut tx, job_id, rejected).await?;
    tx.commit().await.map_err(db)?;
    Ok(true)
}

/// `JobStore::finish_claimed_job`.
pub(crate) async fn finish_claimed_job(
    writer: &SqlitePool,
    job_id: &str,
    worker: &str,
    end: (JobState, &Json, Option<&str>),
    at: jiff::Timestamp,
) -> Result<bool> {
    let (state, counts, error) = end;
    let moved = sqlx::query(
        "UPDATE jobs SET state = $1, counts = $2, error = $3, finished_at = $4 \
         WHERE job_id = $5 AND state = 'running' AND claimed_by = $6",
    )
    .bind(state.as_str())
    .bind(to_json(counts)?)
    .bind(error)
    .bind(micros(at))
    .bind(job_id)
    .bind(worker)
    .execute(writer)
    .await
    .map_err(db)?
    .rows_affected();
    Ok(moved == 1)
}
