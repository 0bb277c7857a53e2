//! `JobStore` on PostgreSQL: the jobs table and each job's rejected rows, with the same
//! statements and answers as SQLite's `jobs.rs`.

use crate::convert::micros;
use crate::jobs::{
    JOB_COLUMNS, JOB_SELECT, JobRow, count, insert_rejections, job_uuid, leases, new_job_uuid,
    signed,
};
use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::{Job, JobClaim, JobRejection, JobState, JobStore};
use serde_json::Value as Json;
use sqlx::AssertSqlSafe;
use sqlx::types::Json as Jsonb;

#[async_trait]
impl JobStore for PostgresDb {
    async fn create_job(&self, job: &Job) -> Result<()> {
        let sql = format!(
            "INSERT INTO jobs ({JOB_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        let mut tx = self.write().await?;
        sqlx::query(AssertSqlSafe(sql))
            .bind(new_job_uuid(&job.job_id)?)
            .bind(&job.kind)
            .bind(job.state.as_str())
            .bind(&job.file_name)
            .bind(&job.purpose)
            .bind(Jsonb(&job.options))
            .bind(&job.actor)
            .bind(micros(job.created_at))
            .bind(job.started_at.map(micros))
            .bind(job.finished_at.map(micros))
            .bind(signed(job.rows_done))
            .bind(job.rows_total.map(signed))
            .bind(Jsonb(&job.counts))
            .bind(&job.error)
            .bind(job.preview.as_ref().map(Jsonb))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn get_job(&self, job_id: &str) -> Result<Option<Job>> {
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(None);
        };
        let sql = format!("SELECT {JOB_SELECT} FROM jobs WHERE job_id = $1");
        let mut connection = self.read().await?;
        let row: Option<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(job_id)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(JobRow::into_job).transpose()
    }

    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<Job>> {
        let sql = format!(
            "SELECT {JOB_SELECT} FROM jobs WHERE kind = $1 ORDER BY created_at DESC, job_id DESC LIMIT $2"
        );
        let mut connection = self.read().await?;
        let rows: Vec<JobRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(kind)
            .bind(signed(limit))
            .fetch_all(&mut *connection)
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
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        let started = (to == JobState::Running).then(|| micros(at));
        let mut tx = self.write().await?;
        // A compare-and-set on the state: of two workers, exactly one sees a row move.
        let moved = sqlx::query(
            "UPDATE jobs SET state = $1, started_at = COALESCE($2, started_at)
             WHERE job_id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(started)
        .bind(job_id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(moved == 1)
    }

    async fn update_previewed_job(
        &self,
        job_id: &str,
        options: &Json,
        preview: &Json,
    ) -> Result<bool> {
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE jobs SET options = $1, preview = $2 WHERE job_id = $3 AND state = 'previewed'",
        )
        .bind(Jsonb(options))
        .bind(Jsonb(preview))
        .bind(job_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        tx.commit().await.map_err(db)?;
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
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(());
        };
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3 WHERE job_id = $4",
        )
        .bind(signed(rows_done))
        .bind(rows_total.map(signed))
        .bind(Jsonb(counts))
        .bind(job_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        insert_rejections(&mut tx, job_id, rejected).await?;
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
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(());
        };
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE jobs SET state = $1, counts = $2, error = $3, finished_at = $4 WHERE job_id = $5",
        )
        .bind(state.as_str())
        .bind(Jsonb(counts))
        .bind(error)
        .bind(micros(at))
        .bind(job_id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn job_rejections(
        &self,
        job_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>> {
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(Vec::new());
        };
        let mut connection = self.read().await?;
        let rows: Vec<(i64, String, String, String, String, Jsonb<Vec<String>>)> = sqlx::query_as(
            "SELECT row, \"column\", value, code, reason, cells FROM job_rejections
                 WHERE job_id = $1 AND row > $2 ORDER BY row LIMIT $3",
        )
        .bind(job_id)
        .bind(signed(after))
        .bind(signed(limit))
        .fetch_all(&mut *connection)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(row, column, value, code, reason, cells)| JobRejection {
                row: count(row),
                column,
                value,
                code,
                reason,
                cells: cells.0,
            })
            .collect())
    }

    async fn claim_job(
        &self,
        job_id: &str,
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<bool> {
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        leases::claim_job(&self.pool, job_id, worker, now, until).await
    }

    async fn claim_next(
        &self,
        kinds: &[&str],
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<Option<Job>> {
        leases::claim_next(&self.pool, kinds, worker, now, until).await
    }

    async fn renew_job(&self, job_id: &str, worker: &str, until: jiff::Timestamp) -> Result<bool> {
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        leases::renew_job(&self.pool, job_id, worker, until).await
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
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        let progress = (rows_done, rows_total, counts);
        leases::record_claimed_progress(&self.pool, job_id, claim, progress, rejected).await
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
        let Some(job_id) = job_uuid(job_id) else {
            return Ok(false);
        };
        let end = (state, counts, error);
        leases::finish_claimed_job(&self.pool, job_id, worker, end, at).await
    }
}
