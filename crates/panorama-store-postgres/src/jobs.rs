//! Job rows on PostgreSQL: the columns `area/jobs.rs` selects and how a row becomes a `Job`.

use crate::convert::timestamp;
use panorama_core::store::{Job, JobState};
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use sqlx::FromRow;
use sqlx::types::Json as Jsonb;
use uuid::Uuid;

/// Columns selected and inserted for a job, in [`JobRow`]'s order.
pub(crate) const JOB_COLUMNS: &str = "job_id, kind, state, file_name, purpose, options, actor, created_at, started_at, \
     finished_at, rows_done, rows_total, counts, error, preview";

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
