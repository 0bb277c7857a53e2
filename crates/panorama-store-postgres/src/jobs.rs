//! Job rows on PostgreSQL: the columns `area/jobs.rs` selects, how a row becomes a `Job`, the
//! rejected rows of a job, and leases (`jobs/leases.rs`).

pub(crate) mod leases;

use crate::convert::timestamp;
use crate::db;
use panorama_core::store::{Job, JobRejection, JobState};
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use sqlx::types::Json as Jsonb;
use sqlx::{FromRow, PgConnection};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Columns selected and inserted for a job, in [`JobRow`]'s order.
pub(crate) const JOB_COLUMNS: &str = "job_id, kind, state, file_name, purpose, options, actor, created_at, started_at, \
     finished_at, rows_done, rows_total, counts, error, preview";
/// [`JOB_COLUMNS`] and the lease's end, as [`JobRow`] reads them.
pub(crate) const JOB_SELECT: &str = "job_id, kind, state, file_name, purpose, options, actor, created_at, started_at, \
     finished_at, rows_done, rows_total, counts, error, preview, claimed_until";

/// One `jobs` row as [`JOB_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct JobRow {
    job_id: Uuid,
    kind: String,
    state: String,
    file_name: String,
    purpose: String,
    options: Jsonb<Json>,
    actor: String,
    created_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    rows_done: i64,
    rows_total: Option<i64>,
    counts: Jsonb<Json>,
    error: Option<String>,
    claimed_until: Option<i64>,
    preview: Option<Jsonb<Json>>,
}

impl JobRow {
    /// The job this row stores.
    pub(crate) fn into_job(self) -> Result<Job> {
        Ok(Job {
            job_id: self.job_id.to_string(),
            kind: self.kind,
            state: JobState::parse(&self.state)?,
            file_name: self.file_name,
            purpose: self.purpose,
            options: self.options.0,
            actor: self.actor,
            created_at: timestamp(self.created_at)?,
            started_at: self.started_at.map(timestamp).transpose()?,
            finished_at: self.finished_at.map(timestamp).transpose()?,
            rows_done: count(self.rows_done),
            rows_total: self.rows_total.map(count),
            counts: self.counts.0,
            error: self.error,
            preview: self.preview.map(|preview| preview.0),
            claimed_until: self.claimed_until.map(timestamp).transpose()?,
        })
    }
}

/// A stored count as the domain's unsigned number.
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A domain count as the stored bigint.
pub(crate) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The stored id of a job. Job ids are UUIDs (core makes them v7); any other text names no job,
/// so readers answer "none" for it, as SQLite's text column would.
pub(crate) fn job_uuid(job_id: &str) -> Option<Uuid> {
    Uuid::parse_str(job_id).ok()
}

/// The id of a job to create, which must be a UUID.
pub(crate) fn new_job_uuid(job_id: &str) -> Result<Uuid> {
    job_uuid(job_id).ok_or_else(|| Error::internal(format!("job id `{job_id}` is not a UUID")))
}

/// Keep a job's rejected rows in the caller's transaction.
pub(crate) async fn insert_rejections(
    connection: &mut PgConnection,
    job_id: Uuid,
    rejected: &[JobRejection],
) -> Result<()> {
    // The last rejection of a row wins, as SQLite's INSERT OR REPLACE; one statement may not
    // update a row twice, so repeats within the call are dropped first.
    let by_row: BTreeMap<u64, &JobRejection> = rejected.iter().map(|r| (r.row, r)).collect();
    if !by_row.is_empty() {
        let rows: Vec<i64> = by_row.keys().map(|row| signed(*row)).collect();
        let text = |pick: fn(&JobRejection) -> &str| -> Vec<&str> {
            by_row.values().map(|r| pick(r)).collect()
        };
        let cells: Vec<Jsonb<&[String]>> =
            by_row.values().map(|r| Jsonb(r.cells.as_slice())).collect();
        sqlx::query(
            "INSERT INTO job_rejections (job_id, row, \"column\", value, code, reason, cells)
             SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::jsonb[])
             ON CONFLICT (job_id, row) DO UPDATE SET \"column\" = excluded.\"column\",
                 value = excluded.value, code = excluded.code, reason = excluded.reason,
                 cells = excluded.cells",
        )
        .bind(job_id)
        .bind(rows)
        .bind(text(|r| &r.column))
        .bind(text(|r| &r.value))
        .bind(text(|r| &r.code))
        .bind(text(|r| &r.reason))
        .bind(cells)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    }
    Ok(())
}
