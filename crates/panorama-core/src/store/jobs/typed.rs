//! Jobs as their kind's typed records: [`Job<K>`] carries the options and counts of kind `K`
//! ([`ImportKind`](super::ImportKind), [`BulkKind`](super::BulkKind), ...) as structs, read from
//! and written to the store's JSON in one place, so no caller looks a count up by name.

use super::{JobId, JobRecord, JobState, JobStore};
use crate::error::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::fmt::Debug;

/// One kind of job: its name in the store, and the types of its options and counts.
pub trait JobKind: Debug + Clone + Send + Sync + 'static {
    /// The stored `kind` (`import`, `bulk`).
    const KIND: &'static str;
    /// What the job runs with, as recorded when it is created.
    type Options: Serialize + DeserializeOwned + Debug + Clone + Send + Sync;
    /// What it counted so far (final once done).
    type Counts: Serialize + DeserializeOwned + Debug + Clone + Default + Send + Sync;
}

/// A job of kind `K`, typed: the store's [`JobRecord`] with its options and counts read.
#[derive(Debug, Clone)]
pub struct Job<K: JobKind> {
    /// UUID v7.
    pub job_id: JobId,
    /// Where it is.
    pub state: JobState,
    /// The file it reads, as the operator named it (empty for jobs without a file).
    pub file_name: String,
    /// What it does: the import purpose (`upsert`, `delete`, ...), the bulk action.
    pub purpose: String,
    /// The options it runs with.
    pub options: K::Options,
    /// Who started it.
    pub actor: String,
    /// When it was created.
    pub created_at: jiff::Timestamp,
    /// When a worker started it.
    pub started_at: Option<jiff::Timestamp>,
    /// When it finished.
    pub finished_at: Option<jiff::Timestamp>,
    /// Rows (or contacts) handled so far.
    pub rows_done: u64,
    /// Rows in the file (or contacts selected), when known.
    pub rows_total: Option<u64>,
    /// Counts so far, final once done; `None` until its worker records any (a previewed or
    /// queued import).
    pub counts: Option<K::Counts>,
    /// Why it failed.
    pub error: Option<String>,
    /// What the operator saw before starting it (columns, first rows, counts, first errors).
    pub preview: Option<Json>,
    /// When the running worker's lease ends (its heartbeat).
    pub claimed_until: Option<jiff::Timestamp>,
}

impl<K: JobKind> Job<K> {
    /// A new job doing `purpose` with `options` for `actor`, in `state`: a fresh id, created now,
    /// nothing counted yet.
    pub fn new(purpose: &str, options: K::Options, actor: &str, state: JobState) -> Self {
        Self {
            job_id: JobId::new(),
            state,
            file_name: String::new(),
            purpose: purpose.to_owned(),
            options,
            actor: actor.to_owned(),
            created_at: crate::contact::now_micros(),
            started_at: None,
            finished_at: None,
            rows_done: 0,
            rows_total: None,
            counts: None,
            error: None,
            preview: None,
            claimed_until: None,
        }
    }

    /// Whether the job is running but its worker's heartbeat stopped ([`JobRecord::interrupted`]).
    pub fn interrupted(&self, now: jiff::Timestamp) -> bool {
        self.state == JobState::Running && self.claimed_until.is_none_or(|until| until < now)
    }

    /// The counts so far, zero before any were recorded.
    pub fn counts_or_zero(&self) -> K::Counts {
        self.counts.clone().unwrap_or_default()
    }

    /// The record the store keeps.
    pub fn to_record(&self) -> Result<JobRecord> {
        Ok(JobRecord {
            job_id: self.job_id.clone(),
            kind: K::KIND.to_owned(),
            state: self.state,
            file_name: self.file_name.clone(),
            purpose: self.purpose.clone(),
            options: serde_json::to_value(&self.options).map_err(Error::internal)?,
            actor: self.actor.clone(),
            created_at: self.created_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            rows_done: self.rows_done,
            rows_total: self.rows_total,
            counts: counts_json(self.counts.as_ref())?,
            error: self.error.clone(),
            preview: self.preview.clone(),
            claimed_until: self.claimed_until,
        })
    }

    /// Record this new job ([`JobStore::create_job`]).
    pub async fn create<S: JobStore + ?Sized>(&self, store: &S) -> Result<()> {
        store.create_job(&self.to_record()?).await
    }

    /// Job `job_id` if it is one of kind `K`; `None` when no job has this id or it is of another
    /// kind.
    pub async fn load<S: JobStore + ?Sized>(store: &S, job_id: &JobId) -> Result<Option<Self>> {
        match store.get_job(job_id).await? {
            Some(record) if record.kind == K::KIND => record.typed().map(Some),
            _ => Ok(None),
        }
    }

    /// The latest `limit` jobs of kind `K`, newest first.
    pub async fn list<S: JobStore + ?Sized>(store: &S, limit: u64) -> Result<Vec<Self>> {
        let records = store.list_jobs(K::KIND, limit).await?;
        records.into_iter().map(JobRecord::typed).collect()
    }
}

impl JobRecord {
    /// This job as kind `K`'s typed record; an internal error when it is of another kind or its
    /// options or counts do not read as `K`'s.
    pub fn typed<K: JobKind>(self) -> Result<Job<K>> {
        if self.kind != K::KIND {
            return Err(Error::internal(format!(
                "job {} is of kind `{}`, not `{}`",
                self.job_id,
                self.kind,
                K::KIND
            )));
        }
        let unreadable = |what: &str, e: serde_json::Error| {
            Error::internal(format!("job {} has unreadable {what}: {e}", self.job_id))
        };
        let options =
            serde_json::from_value(self.options.clone()).map_err(|e| unreadable("options", e))?;
        let counts = match &self.counts {
            Json::Null => None,
            Json::Object(map) if map.is_empty() => None,
            counts => {
                Some(serde_json::from_value(counts.clone()).map_err(|e| unreadable("counts", e))?)
            }
        };
        Ok(Job {
            job_id: self.job_id,
            state: self.state,
            file_name: self.file_name,
            purpose: self.purpose,
            options,
            actor: self.actor,
            created_at: self.created_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            rows_done: self.rows_done,
            rows_total: self.rows_total,
            counts,
            error: self.error,
            preview: self.preview,
            claimed_until: self.claimed_until,
        })
    }
}

/// Counts as the store keeps them: `{}` when none were recorded.
pub fn counts_json<C: Serialize>(counts: Option<&C>) -> Result<Json> {
    match counts {
        None => Ok(Json::Object(serde_json::Map::new())),
        Some(counts) => serde_json::to_value(counts).map_err(Error::internal),
    }
}
