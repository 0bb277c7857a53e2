//! Job leases, written once: claims, renewals and the writes only the lease holder may make.
//!
//! Each is a compare-and-set on the job's row in a [`JobsSql::lease_write`] transaction (never
//! behind the store's write lock), so two workers never both win and a renewal never waits for a
//! batch of contact writes.

use crate::convert::micros;
use crate::jobs_rows::{JOB_SELECT, insert_rejections, job_record, signed};
use crate::{Arg, Backend, JobsSql, sql};
use panorama_core::Result;
use panorama_core::store::{JobClaim, JobRecord, JobRejection, JobState};
use serde_json::Value as Json;
use uuid::Uuid;

/// Which jobs may be claimed at `$3` (now): queued ones, and running ones whose lease ended (or
/// that never had one: started before leases existed).
const CLAIMABLE: &str =
    "(state = 'queued' OR (state = 'running' AND COALESCE(claimed_until, 0) < $3))";

/// The columns a claim sets, its parameters `$1` (worker), `$2` (until) and `$3` (now).
const CLAIM_SET: &str = "state = 'running', claimed_by = $1, claimed_until = $2, \
     started_at = COALESCE(started_at, $3)";

/// `JobStore::claim_job`.
pub(crate) async fn claim_job<B: Backend>(
    backend: &B,
    job_id: Uuid,
    worker: &str,
    now: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<bool> {
    let mut tx = backend.lease_write().await?;
    let moved = sql(format!(
        "UPDATE jobs SET {CLAIM_SET} WHERE job_id = $4 AND {CLAIMABLE}"
    ))
    .bind(worker)
    .bind(micros(until))
    .bind(micros(now))
    .bind(job_id)
    .execute::<B>(&mut tx)
    .await?;
    B::commit(tx).await?;
    Ok(moved == 1)
}

/// `JobStore::claim_next`: the oldest claimable job of `kinds`, locked as the backend's
/// [`JobsSql::CLAIM_NEXT_LOCK`] says.
pub(crate) async fn claim_next<B: Backend>(
    backend: &B,
    kinds: &[&str],
    worker: &str,
    now: jiff::Timestamp,
    until: jiff::Timestamp,
) -> Result<Option<JobRecord>> {
    let statement = format!(
        "UPDATE jobs SET {CLAIM_SET}
         WHERE job_id = (SELECT job_id FROM jobs WHERE {CLAIMABLE} AND {kinds}
             ORDER BY created_at, job_id {lock} LIMIT 1)
         RETURNING {JOB_SELECT}",
        kinds = B::in_list("kind", 4),
        lock = <B as JobsSql>::CLAIM_NEXT_LOCK,
    );
    let kinds: Vec<String> = kinds.iter().map(|kind| (*kind).to_owned()).collect();
    let mut tx = backend.lease_write().await?;
    let row = sql(statement)
        .bind(worker)
        .bind(micros(until))
        .bind(micros(now))
        .bind(Arg::Texts(kinds))
        .optional::<B>(&mut tx)
        .await?;
    B::commit(tx).await?;
    row.map(|row| job_record(&row)).transpose()
}

/// `JobStore::renew_job`.
pub(crate) async fn renew_job<B: Backend>(
    backend: &B,
    job_id: Uuid,
    worker: &str,
    until: jiff::Timestamp,
) -> Result<bool> {
    let mut tx = backend.lease_write().await?;
    let moved = sql("UPDATE jobs SET claimed_until = $1
             WHERE job_id = $2 AND state = 'running' AND claimed_by = $3")
    .bind(micros(until))
    .bind(job_id)
    .bind(worker)
    .execute::<B>(&mut tx)
    .await?;
    B::commit(tx).await?;
    Ok(moved == 1)
}

/// `JobStore::record_claimed_progress`: the fenced update first, the rejected rows only if it
/// moved, in one transaction.
pub(crate) async fn record_claimed_progress<B: Backend>(
    backend: &B,
    job_id: Uuid,
    claim: JobClaim<'_>,
    progress: (u64, Option<u64>, &Json),
    rejected: &[JobRejection],
) -> Result<bool> {
    let (rows_done, rows_total, counts) = progress;
    let mut tx = backend.lease_write().await?;
    let moved = sql(
        "UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3, claimed_until = $4
             WHERE job_id = $5 AND state = 'running' AND claimed_by = $6",
    )
    .bind(signed(rows_done))
    .bind(rows_total.map(signed))
    .bind(counts)
    .bind(micros(claim.until))
    .bind(job_id)
    .bind(claim.worker)
    .execute::<B>(&mut tx)
    .await?;
    if moved != 1 {
        return Ok(false); // dropping the transaction rolls it back
    }
    insert_rejections::<B>(&mut tx, job_id, rejected).await?;
    B::commit(tx).await?;
    Ok(true)
}

/// `JobStore::finish_claimed_job`.
pub(crate) async fn finish_claimed_job<B: Backend>(
    backend: &B,
    job_id: Uuid,
    worker: &str,
    end: (JobState, &Json, Option<&str>),
    at: jiff::Timestamp,
) -> Result<bool> {
    let (state, counts, error) = end;
    let mut tx = backend.lease_write().await?;
    let moved = sql(
        "UPDATE jobs SET state = $1, counts = $2, error = $3, finished_at = $4
             WHERE job_id = $5 AND state = 'running' AND claimed_by = $6",
    )
    .bind(state.as_str())
    .bind(counts)
    .bind(error)
    .bind(micros(at))
    .bind(job_id)
    .bind(worker)
    .execute::<B>(&mut tx)
    .await?;
    B::commit(tx).await?;
    Ok(moved == 1)
}
