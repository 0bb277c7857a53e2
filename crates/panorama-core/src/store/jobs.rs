//! `JobStore`: long work (imports and bulk actions) recorded in the database, so a restarted
//! server reports it and every job leaves a history: file, purpose, who, when, counts.
//!
//! Several servers (and CLI imports) may share one database, so a running job is *leased*: a
//! worker claims it until a moment it keeps moving forward (`renew_job`); a job whose lease ran
//! out (its worker was killed or stalled) can be claimed by another worker. Progress and the end
//! are written only by the lease holder (`record_claimed_progress`, `finish_claimed_job`), so an
//! old owner that wakes up after a take-over cannot overwrite the new one's record.

use crate::error::Result;
use async_trait::async_trait;
use serde_json::Value as Json;

mod bulk;
mod id;
mod import;
mod lease;
mod typed;

pub use bulk::*;
pub use id::JobId;
pub use import::*;
pub use lease::*;
pub use typed::*;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Uploaded and previewed; waits for the operator to start it.
    Previewed,
    /// Started; waits for a worker.
    Queued,
    /// A worker runs it.
    Running,
    /// Finished; the counts are final.
    Done,
    /// Stopped by an error, recorded in `error`.
    Failed,
}

impl JobState {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Previewed => "previewed",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(text: &str) -> Result<Self> {
        serde_json::from_value(Json::String(text.to_owned()))
            .map_err(|_| crate::Error::internal(format!("unknown job state `{text}`")))
    }
}

/// A job as the store keeps it: its options and counts as JSON, whatever its kind. Callers read
/// a job as its kind's typed [`Job`] ([`JobRecord::typed`]); the store reads and writes this.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobRecord {
    /// UUID v7.
    pub job_id: JobId,
    /// What kind of work ([`JobKind::KIND`]: `import`, `bulk`).
    pub kind: String,
    /// Where it is.
    pub state: JobState,
    /// The file it reads, as the operator named it.
    pub file_name: String,
    /// The import purpose (`upsert`, `delete`, ...).
    pub purpose: String,
    /// The options it runs with, as JSON.
    pub options: Json,
    /// Who started it.
    pub actor: String,
    /// When it was created.
    pub created_at: jiff::Timestamp,
    /// When a worker started it.
    pub started_at: Option<jiff::Timestamp>,
    /// When it finished.
    pub finished_at: Option<jiff::Timestamp>,
    /// Rows handled so far.
    pub rows_done: u64,
    /// Rows in the file, when known.
    pub rows_total: Option<u64>,
    /// Counts so far (final once done), as JSON: `{}` until the first progress is recorded.
    pub counts: Json,
    /// Why it failed.
    pub error: Option<String>,
    /// What the operator saw before starting it (columns, first rows, counts, first errors).
    pub preview: Option<Json>,
    /// When the running worker's lease ends: its heartbeat, moved forward with every renewal
    /// and batch. Not written by [`JobStore::create_job`].
    pub claimed_until: Option<jiff::Timestamp>,
}

impl JobRecord {
    /// Whether the job is running but its worker's heartbeat stopped (its lease ended before
    /// `now`): a killed CLI import, or a server's job nobody has taken over yet. Shown as
    /// `interrupted`; running the import again is safe.
    pub fn interrupted(&self, now: jiff::Timestamp) -> bool {
        self.state == JobState::Running && self.claimed_until.is_none_or(|until| until < now)
    }
}

/// One rejected row of a job, kept for its downloadable file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobRejection {
    /// Row number in the file.
    pub row: u64,
    /// Column header at fault, empty for the whole row.
    pub column: String,
    /// Offending value.
    pub value: String,
    /// Stable error code.
    pub code: String,
    /// Reason, for people.
    pub reason: String,
    /// The row's cells as read.
    pub cells: Vec<String>,
}

/// Jobs: one store area of [`super::Store`].
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Record a new job.
    async fn create_job(&self, job: &JobRecord) -> Result<()>;
    /// A job by id.
    async fn get_job(&self, job_id: &JobId) -> Result<Option<JobRecord>>;
    /// The latest jobs of `kind`, newest first.
    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<JobRecord>>;
    /// Move a job to `state` if it is in `from` (a compare-and-set); true when it moved. Used to
    /// queue a previewed job; workers start jobs with [`JobStore::claim_job`], which also leases.
    async fn transition_job(
        &self,
        job_id: &JobId,
        from: JobState,
        to: JobState,
        at: jiff::Timestamp,
    ) -> Result<bool>;
    /// Replace the options and preview of a job still previewed (the operator chose how its
    /// columns map); true when it was, false (nothing written) when it has been started.
    async fn update_previewed_job(
        &self,
        job_id: &JobId,
        options: &Json,
        preview: &Json,
    ) -> Result<bool>;
    /// Record progress, and the rows rejected since the last call, whoever holds the job. Workers
    /// use [`JobStore::record_claimed_progress`].
    async fn record_job_progress(
        &self,
        job_id: &JobId,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<()>;
    /// Finish a job: done with its final counts, or failed with the reason, whoever holds it.
    /// Workers use [`JobStore::finish_claimed_job`].
    async fn finish_job(
        &self,
        job_id: &JobId,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<()>;
    /// The rejected rows of a job, in row order, from row `after` on, at most `limit`.
    async fn job_rejections(
        &self,
        job_id: &JobId,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>>;
    /// Claim job `job_id` for `worker` until `until`: a queued job, or a running one whose lease
    /// ended before `now` (or that has none), becomes running and held by `worker`. True when
    /// `worker` got it; of several workers claiming at once, exactly one does.
    async fn claim_job(
        &self,
        job_id: &JobId,
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<bool>;
    /// Claim the oldest claimable job (as [`JobStore::claim_job`]) of one of `kinds`, if any.
    /// Workers claiming at once get different jobs.
    async fn claim_next(
        &self,
        kinds: &[&str],
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<Option<JobRecord>>;
    /// Move `worker`'s lease on running job `job_id` to `until`. False when `worker` no longer
    /// holds it (another worker took it over, or it ended): the worker must stop before its next
    /// batch.
    async fn renew_job(&self, job_id: &JobId, worker: &str, until: jiff::Timestamp)
    -> Result<bool>;
    /// Record progress and rejected rows (as [`JobStore::record_job_progress`]) and renew the
    /// lease, only while `claim.worker` holds running job `job_id`; false, and nothing written,
    /// when it does not.
    async fn record_claimed_progress(
        &self,
        job_id: &JobId,
        claim: JobClaim<'_>,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<bool>;
    /// Finish running job `job_id` (as [`JobStore::finish_job`]) only while `worker` holds it;
    /// false, and nothing written, when it does not. The job keeps its last holder's name.
    async fn finish_claimed_job(
        &self,
        job_id: &JobId,
        worker: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<bool>;
}
