//! `JobStore` for SQLite: the jobs table and each job's rejected rows; leases in `jobs/leases.rs`.

mod leases;

use crate::bulk::SMALL_ROWS_PER_STATEMENT;
use crate::convert::{micros, timestamp, to_json};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::store::{Job, JobClaim, JobRejection, JobState, JobStore};
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use sqlx::{AssertSqlSafe, FromRow, QueryBuilder, Sqlite, SqliteConnection};

const JOB_COLUMNS: &str = "job_id, kind, state, file_name, purpose, options, actor, created_at, started_at, \
     finished_at, rows_done, rows_total, counts, error, preview";
/// [`JOB_COLUMNS`] and the lease's end, as [`JobRow`] reads them.
pub(crate) const JOB_SELECT: &str = "job_id, kind, state, file_name, purpose, options, actor, created_at, started_at, \
     finished_at, rows_done, rows_total, counts, error, preview, claimed_until";

#[derive(FromRow)]
struct JobRow {
    job_id: String,
    kind: String,
    state: String,
    file_name: String,
    purpose: String,
    options: String,
    actor: String,
    created_at: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    rows_done: i64,
    rows_total: Option<i64>,
    counts: String,
    error: Option<String>,
    claimed_until: Option<i64>,
    preview: Option<String>,
}

fn json(text: &str) -> Result<Json> {
    serde_json::from_str(text).map_err(Error::internal)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl JobRow {
    fn into_job(self) -> Result<Job> {
        Ok(Job {
            job_id: self.job_id,
            kind: self.kind,
            state: JobState::parse(&self.state)?,
            file_name: self.file_name,
            purpose: self.purpose,
            options: json(&self.options)?,
            actor: self.actor,
            created_at: timestamp(self.created_at)?,
            started_at: self.started_at.map(timestamp).transpose()?,
            finished_at: self.finished_at.map(timestamp).transpose()?,
            rows_done: count(self.rows_done),
            rows_total: self.rows_total.map(count),
            counts: json(&self.counts)?,
            error: self.error,
            preview: self.preview.as_deref().map(json).transpose()?,
            claimed_until: self.claimed_until.map(timestamp).transpose()?,
        })
    }
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Keep a job's rejected rows; a row rejected again replaces its earlier entry.
async fn record_progress_rows(
    connection: &mut SqliteConnection,
    job_id: &str,
    rejected: &[JobRejection],
) -> Result<()> {
    for chunk in rejected.chunks(SMALL_ROWS_PER_STATEMENT / 7) {
        let cells = chunk
            .iter()
            .map(|r| to_json(&r.cells))
            .collect::<Result<Vec<_>>>()?;
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT OR REPLACE INTO job_rejections (job_id, row, column, value, code, reason, cells) ",
        );
        query.push_values(chunk.iter().zip(cells), |mut row, (r, cells)| {
            row.push_bind(job_id)
                .push_bind(signed(r.row))
                .push_bind(r.column.as_str())
                .push_bind(r.value.as_str())
                .push_bind(r.code.as_str())
                .push_bind(r.reason.as_str())
                .push_bind(cells);
        });
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    Ok(())
}

#[async_trait]
impl JobStore for SqliteDb {
    async fn create_job(&self, job: &Job) -> Result<()> {
        let sql = format!(
            "INSERT INTO jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(&job.job_id)
            .bind(&job.kind)
            .bind(job.state.as_str())
            .bind(&job.file_name)
            .bind(&job.purpose)
            .bind(to_json(&job.options)?)
            .bind(&job.actor)
            .bind(micros(job.created_at))
            .bind(job.started_at.map(micros))
            .bind(job.finished_at.map(micros))
            .bind(signed(job.rows_done))
            .bind(job.rows_total.map(signed))
            .bind(to_json(&job.counts)?)
            .bind(&job.error)
            .bind(job.preview.as_ref().map(to_json).transpose()?)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn get_job(&self, job_id: &str) -> Result<Option<Job>> {
        let sql = format!("SELECT {JOB_SELECT} FROM jobs WHERE job_id = $1");
        let row: Option<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(job_id)
            .fetch_optional(&self.reader)
            .await
            .map_err(db)?;
        row.map(JobRow::into_job).transpose()
    }

    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_SELECT} FROM jobs WHERE kind = $1 ORDER BY created_at DESC, job_id DESC LIMIT $2"
        );
        let rows: Vec<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(kind)
            .bind(signed(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(db)?;
        rows.into_iter().map(JobRow::into_job).collect()
    }

    async fn transition_job(
        &self,
        job_id: &str,
        from: JobState,
        to: JobState,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let started = (to == JobState::Running).then(|| micros(at));
        let moved = sqlx::query("UPDATE jobs SET state = $1, started_at = COALESCE($2, started_at) WHERE job_id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(started)
            .bind(job_id)
            .bind(from.as_str())
            .execute(&self.writer)
            .await
            .map_err(db)?
            .rows_affected();
        Ok(moved == 1)
    }

    async fn update_previewed_job(
        &self,
        job_id: &str,
        options: &Json,
        preview: &Json,
    ) -> Result<bool> {
        let updated = sqlx::query(
            "UPDATE jobs SET options = $1, preview = $2 WHERE job_id = $3 AND state = 'previewed'",
        )
        .bind(to_json(options)?)
        .bind(to_json(preview)?)
        .bind(job_id)
        .execute(&self.writer)
        .await
        .map_err(db)?
        .rows_affected();
        Ok(updated == 1)
    }

    async fn record_job_progress(
        &self,
        job_id: &str,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<()> {
        let mut tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db)?;
        sqlx::query(
            "UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3 WHERE job_id = $4",
        )
        .bind(signed(rows_done))
        .bind(rows_total.map(signed))
        .bind(to_json(counts)?)
        .bind(job_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        record_progress_rows(&mut tx, job_id, rejected).await?;
        tx.commit().await.map_err(db)
    }

    async fn finish_job(
        &self,
        job_id: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE jobs SET state = $1, counts = $2, error = $3, finished_at = $4 WHERE job_id = $5")
            .bind(state.as_str())
            .bind(to_json(counts)?)
            .bind(error)
            .bind(micros(at))
            .bind(job_id)
            .execute(&self.writer)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn job_rejections(
        &self,
        job_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>> {
        let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT row, column, value, code, reason, cells FROM job_rejections WHERE job_id = $1 AND row > $2 ORDER BY row LIMIT $3",
        )
        .bind(job_id)
        .bind(signed(after))
        .bind(signed(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(db)?;
        rows.into_iter()
            .map(|(row, column, value, code, reason, cells)| {
                let cells: Vec<String> = serde_json::from_str(&cells).map_err(Error::internal)?;
                Ok(JobRejection {
                    row: count(row),
                    column,
                    value,
                    code,
                    reason,
                    cells,
                })
            })
            .collect()
    }

    async fn claim_job(
        &self,
        job_id: &str,
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<bool> {
        leases::claim_job(&self.writer, job_id, worker, now, until).await
    }

    async fn claim_next(
        &self,
        kinds: &[&str],
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<Option<Job>> {
        leases::claim_next(&self.writer, kinds, worker, now, until).await
    }

    async fn renew_job(&self, job_id: &str, worker: &str, until: jiff::Timestamp) -> Result<bool> {
        leases::renew_job(&self.writer, job_id, worker, until).await
    }

    async fn record_claimed_progress(
        &self,
        job_id: &str,
        claim: JobClaim<'_>,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<bool> {
        let progress = (rows_done, rows_total, counts);
        leases::record_claimed_progress(&self.writer, job_id, claim, progress, rejected).await
    }

    async fn finish_claimed_job(
        &self,
        job_id: &str,
        worker: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let end = (state, counts, error);
        leases::finish_claimed_job(&self.writer, job_id, worker, end, at).await
    }
}
