//! The store's jobs (JobStore), written once over [`Backend`]: the jobs table and each job's
//! rejected rows here, rows read and written in `jobs_rows.rs`, leases in `jobs_leases.rs`.
//!
//! Job ids are UUIDs (`uuid` on PostgreSQL, text on SQLite); an id that is not one names no job,
//! so readers answer none for it and writers change nothing.

use crate::convert::micros;
use crate::jobs_rows::{JOB_SELECT, insert_rejections, job_record, signed, stored_id};
use crate::{Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::store::{JobClaim, JobId, JobRecord, JobRejection, JobState, JobStore};
use panorama_core::{Error, Result};
use serde_json::Value as Json;

/// What jobs need that differs between databases.
#[async_trait]
pub trait JobsSql: Send + Sync {
    /// The lock `claim_next`'s choice of the oldest claimable job takes: PostgreSQL's
    /// `FOR UPDATE SKIP LOCKED`, so workers claiming at once each lock a different row instead of
    /// queueing behind one another; nothing on SQLite, whose one writer makes it needless.
    const CLAIM_NEXT_LOCK: &'static str;

    /// A transaction for a lease's statements (claims, renewals, the holder's progress and end).
    /// It must not wait behind the store's write lock (PostgreSQL's advisory lock): a renewal
    /// stuck behind a long batch of contact writes would make a busy but healthy worker lose its
    /// job. On SQLite it is the one writer's transaction, as every write.
    async fn lease_write(&self) -> Result<<Self as Backend>::Tx>
    where
        Self: Backend;
}

#[async_trait]
impl<B: Backend> JobStore for SqlStore<B> {
    async fn create_job(&self, job: &JobRecord) -> Result<()> {
        let id = job
            .job_id
            .uuid()
            .ok_or_else(|| Error::internal(format!("job id `{}` is not a UUID", job.job_id)))?;
        let mut tx = self.backend.write().await?;
        sql(
            "INSERT INTO jobs (job_id, kind, state, file_name, purpose, options, actor, created_at,
                 started_at, finished_at, rows_done, rows_total, counts, error, preview)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(&job.kind)
        .bind(job.state.as_str())
        .bind(&job.file_name)
        .bind(&job.purpose)
        .bind(&job.options)
        .bind(&job.actor)
        .bind(micros(job.created_at))
        .bind(job.started_at.map(micros))
        .bind(job.finished_at.map(micros))
        .bind(signed(job.rows_done))
        .bind(job.rows_total.map(signed))
        .bind(&job.counts)
        .bind(&job.error)
        .bind(job.preview.clone())
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await
    }

    async fn get_job(&self, job_id: &JobId) -> Result<Option<JobRecord>> {
        let Some(id) = stored_id(job_id) else {
            return Ok(None);
        };
        let mut connection = self.backend.read().await?;
        sql(format!("SELECT {JOB_SELECT} FROM jobs WHERE job_id = $1"))
            .bind(id)
            .optional::<B>(&mut connection)
            .await?
            .map(|row| job_record(&row))
            .transpose()
    }

    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<JobRecord>> {
        let mut connection = self.backend.read().await?;
        let rows = sql(format!(
            "SELECT {JOB_SELECT} FROM jobs WHERE kind = $1
             ORDER BY created_at DESC, job_id DESC LIMIT $2"
        ))
        .bind(kind)
        .bind(signed(limit))
        .all::<B>(&mut connection)
        .await?;
        rows.iter().map(job_record).collect()
    }

    async fn transition_job(
        &self,
        job_id: &JobId,
        from: JobState,
        to: JobState,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        let started = (to == JobState::Running).then(|| micros(at));
        let mut tx = self.backend.write().await?;
        // A compare-and-set on the state: of two workers, exactly one sees a row move.
        let moved = sql(
            "UPDATE jobs SET state = $1, started_at = COALESCE($2, started_at)
                 WHERE job_id = $3 AND state = $4",
        )
        .bind(to.as_str())
        .bind(started)
        .bind(id)
        .bind(from.as_str())
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await?;
        Ok(moved == 1)
    }

    async fn update_previewed_job(
        &self,
        job_id: &JobId,
        options: &Json,
        preview: &Json,
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        let mut tx = self.backend.write().await?;
        let updated = sql(
            "UPDATE jobs SET options = $1, preview = $2 WHERE job_id = $3 AND state = 'previewed'",
        )
        .bind(options)
        .bind(preview)
        .bind(id)
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await?;
        Ok(updated == 1)
    }

    async fn record_job_progress(
        &self,
        job_id: &JobId,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<()> {
        let Some(id) = stored_id(job_id) else {
            return Ok(());
        };
        let mut tx = self.backend.write().await?;
        sql("UPDATE jobs SET rows_done = $1, rows_total = $2, counts = $3 WHERE job_id = $4")
            .bind(signed(rows_done))
            .bind(rows_total.map(signed))
            .bind(counts)
            .bind(id)
            .execute::<B>(&mut tx)
            .await?;
        insert_rejections::<B>(&mut tx, id, rejected).await?;
        B::commit(tx).await
    }

    async fn finish_job(
        &self,
        job_id: &JobId,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        let Some(id) = stored_id(job_id) else {
            return Ok(());
        };
        let mut tx = self.backend.write().await?;
        sql(
            "UPDATE jobs SET state = $1, counts = $2, error = $3, finished_at = $4
             WHERE job_id = $5",
        )
        .bind(state.as_str())
        .bind(counts)
        .bind(error)
        .bind(micros(at))
        .bind(id)
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await
    }

    async fn job_rejections(
        &self,
        job_id: &JobId,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>> {
        let Some(id) = stored_id(job_id) else {
            return Ok(Vec::new());
        };
        let mut connection = self.backend.read().await?;
        let rows = sql(
            "SELECT row, \"column\", value, code, reason, cells FROM job_rejections
                 WHERE job_id = $1 AND row > $2 ORDER BY row LIMIT $3",
        )
        .bind(id)
        .bind(signed(after))
        .bind(signed(limit))
        .all::<B>(&mut connection)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(JobRejection {
                    row: row.count(0)?,
                    column: row.text(1)?,
                    value: row.text(2)?,
                    code: row.text(3)?,
                    reason: row.text(4)?,
                    cells: row.json(5)?,
                })
            })
            .collect()
    }

    async fn claim_job(
        &self,
        job_id: &JobId,
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        crate::jobs_leases::claim_job(&self.backend, id, worker, now, until).await
    }

    async fn claim_next(
        &self,
        kinds: &[&str],
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<Option<JobRecord>> {
        crate::jobs_leases::claim_next(&self.backend, kinds, worker, now, until).await
    }

    async fn renew_job(
        &self,
        job_id: &JobId,
        worker: &str,
        until: jiff::Timestamp,
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        crate::jobs_leases::renew_job(&self.backend, id, worker, until).await
    }

    async fn record_claimed_progress(
        &self,
        job_id: &JobId,
        claim: JobClaim<'_>,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        let progress = (rows_done, rows_total, counts);
        crate::jobs_leases::record_claimed_progress(&self.backend, id, claim, progress, rejected)
            .await
    }

    async fn finish_claimed_job(
        &self,
        job_id: &JobId,
        worker: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        let Some(id) = stored_id(job_id) else {
            return Ok(false);
        };
        let end = (state, counts, error);
        crate::jobs_leases::finish_claimed_job(&self.backend, id, worker, end, at).await
    }
}
