//! Job leases on PostgreSQL: claims, renewals and the writes only the lease holder may make.
//!
//! None of these takes the store's global write lock (`PostgresDb::write`): a renewal must not
//! wait behind a long batch of contact writes, or a busy but healthy worker would lose its lease.
//! Each is one statement on the job's row, whose row lock is all the exclusion a claim needs.

use super::{JOB_SELECT, JobRow, insert_rejections, signed};
use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::store::{Job, JobClaim, JobRejection, JobState};
use serde_json::Value as Json;
use sqlx::types::Json as Jsonb;
use sqlx::{AssertSqlSafe, PgPool};
use uuid::Uuid;

/// Which jobs may be claimed at `$3` (now): queued ones, and running ones whose lease ended (or
/// that never had one: started before leases existed).
const CLAIMABLE: &str =
    "(state = 'queued' OR (state = 'running' AND COALESCE(claimed_until, 0) < $3))";

/// `JobStore::claim_job`.
pub(crate) async fn claim_job(
    pool: &PgPool,
    job_id: Uuid,
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
        .execute(pool)
        .await
        .map_err(db)?
        .rows_affected();
    Ok(moved == 1)
}

/// `JobStore::claim_next`: `SKIP LOCKED` lets workers claiming at once each lock a different
/// row instead of queueing behind one another for the same oldest job.
pub(crate) async fn claim_next(
    pool: &PgPool,
    kinds: &[&str],
    worker: &str,
    now: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<Option<Job>> {
    let sql = format!(
        "UPDATE jobs SET state = 'running', claimed_by = $1, claimed_until = $2, \
         started_at = COALESCE(started_at, $3) \
         WHERE job_id = (SELECT job_id FROM jobs WHERE {CLAIMABLE} AND kind = ANY($4) \
             ORDER BY created_at, job_id FOR UPDATE SKIP LOCKED LIMIT 1) \
         RETURNING {JOB_SELECT}"
    );
    let kinds: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
    let mut tx = pool.begin().await.map_err(db)?;
    let row: Option<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(worker)
        .bind(micros(until))
        .bind(micros(now))
        .bind(kinds)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    row.map(JobRow::into_job).transpose()
}

/// `JobStore::renew_job`.
pub(crate) async fn renew_job(
    pool: &PgPool,
    job_id: Uuid,
    worker: &str,
    until: jiff::Timestamp,
) -> Result<bool> {
    let moved = sqlx::query(
        "UPDATE jobs SET claimed_until = $1 WHERE job_id = $2 AND state = 'running' AND claimed_by = $3",
    )
    .bind(micros(until))
    .bind(job_id)
    .bind(worker)
    .execute(pool)
    .await
    .map_err(db)?
    .rows_affected();
    Ok(moved == 1)
}

/// `JobStore::record_claimed_progress`: the fenced update first, the rejected rows only if it
/// moved, in one transaction.
pub(crate) async fn record_claimed_progress(
    pool: &PgPool,
    job_id: Uuid,
    claim: JobClaim<'_>,
    progress: (u64, Option<u64>, &Json),
    rejected: &[JobRejection],
) -> Result<bool> {
    let (rows_done, rows_total, counts) = progress;
    let mut tx = pool.begin().await.map_err(db)?;
    let moved = sqlx::query(
        "UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3, claimed_until = $4 \
         WHERE job_id = $5 AND state = 'running' AND claimed_by = $6",
    )
    .bind(signed(rows_done))
    .bind(rows_total.map(signed))
    .bind(Jsonb(counts))
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
    insert_rejections(&mut tx, job_id, rejected).await?;
    tx.commit().await.map_err(db)?;
    Ok(true)
}

/// `JobStore::finish_claimed_job`.
pub(crate) async fn finish_claimed_job(
    pool: &PgPool,
    job_id: Uuid,
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
    .bind(Jsonb(counts))
    .bind(error)
    .bind(micros(at))
    .bind(job_id)
    .bind(worker)
    .execute(pool)
    .await
    .map_err(db)?
    .rows_affected();
    Ok(moved == 1)
}
