//! Job workers and their leases: the one path by which servers and CLI imports claim a job,
//! keep it, and write its progress and end, each write fenced by the claim it came from.

use super::{JobId, JobRecord, JobRejection, JobState};
use crate::error::Result;
use crate::store::Store;
use serde_json::Value as Json;
use std::sync::Arc;
use std::time::Duration;

/// A worker's hold on a running job: who holds it, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobClaim<'a> {
    /// Who holds it: a worker id ([`worker_id`]) and a part of its own per claim (`WORKER#CLAIM`).
    pub worker: &'a str,
    /// When the lease ends unless renewed again.
    pub until: jiff::Timestamp,
}

/// A new worker id: `ROLE@HOST:PID:RANDOM`. Made once per process run, so a restarted server
/// (same host, perhaps the same pid) never takes its predecessor's leases for its own.
pub fn worker_id(role: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let random: u32 = rand::random();
    format!("{role}@{host}:{}:{random:08x}", std::process::id())
}

/// The lease of a worker given none (CLI imports): long enough that a busy database does not
/// make a healthy worker lose its job, short enough that a killed one's job is soon resumed.
pub const JOB_LEASE_SECONDS_DEFAULT: u64 = 30;

/// One process's job worker: the store, its id and its lease length. Cheap to clone; clones are
/// the same worker.
#[derive(Clone)]
pub struct JobWorker {
    store: Arc<dyn Store>,
    id: Arc<str>,
    lease: Duration,
}

impl JobWorker {
    /// A worker with id `id` ([`worker_id`]) whose claims and renewals hold for `lease`.
    pub fn new(store: Arc<dyn Store>, id: &str, lease: Duration) -> Self {
        Self {
            store,
            id: id.into(),
            lease,
        }
    }

    /// This worker's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The store its jobs live in.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Claim job `job_id` ([`JobStore::claim_job`](super::JobStore::claim_job)); its lease when
    /// this worker got it.
    pub async fn claim(&self, job_id: &JobId) -> Result<Option<JobLease>> {
        let holder = self.holder();
        let (now, until) = self.window();
        let claimed = self.store.claim_job(job_id, &holder, now, until).await?;
        Ok(claimed.then(|| self.lease_of(job_id, holder)))
    }

    /// Claim the oldest claimable job of `kinds`
    /// ([`JobStore::claim_next`](super::JobStore::claim_next)), with its lease.
    pub async fn claim_next(&self, kinds: &[&str]) -> Result<Option<(JobRecord, JobLease)>> {
        let holder = self.holder();
        let (now, until) = self.window();
        let job = self.store.claim_next(kinds, &holder, now, until).await?;
        Ok(job.map(|job| {
            let lease = self.lease_of(&job.job_id, holder);
            (job, lease)
        }))
    }

    /// A fresh holder name for one claim: the worker's id and a random part, so two runs of one
    /// job in one process (the second after the first lost its lease) never pass for each other.
    fn holder(&self) -> String {
        let claim: u64 = rand::random();
        format!("{}#{claim:016x}", self.id)
    }

    fn window(&self) -> (jiff::Timestamp, jiff::Timestamp) {
        let now = crate::contact::now_micros();
        (now, lease_end(now, self.lease))
    }

    fn lease_of(&self, job_id: &JobId, holder: String) -> JobLease {
        JobLease {
            worker: self.clone(),
            job_id: job_id.clone(),
            holder,
        }
    }
}

/// When a lease taken at `now` for `lease` ends.
fn lease_end(now: jiff::Timestamp, lease: Duration) -> jiff::Timestamp {
    let micros = i64::try_from(lease.as_micros()).unwrap_or(i64::MAX);
    jiff::Timestamp::from_microsecond(now.as_microsecond().saturating_add(micros))
        .unwrap_or(jiff::Timestamp::MAX)
}

/// One claim of one job: what a running job's worker writes through, so every write is fenced.
#[derive(Clone)]
pub struct JobLease {
    worker: JobWorker,
    job_id: JobId,
    holder: String,
}

impl JobLease {
    /// The job held.
    pub fn job_id(&self) -> &JobId {
        &self.job_id
    }

    /// The name this claim is recorded under (`WORKER#N`).
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// The store the job lives in.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.worker.store
    }

    /// How often to renew: a third of the lease, so two renewals may fail before it ends.
    pub fn renew_every(&self) -> Duration {
        self.worker.lease / 3
    }

    /// Renew the lease ([`JobStore::renew_job`](super::JobStore::renew_job)); false when lost.
    pub async fn renew(&self) -> Result<bool> {
        let (_, until) = self.worker.window();
        let store = &self.worker.store;
        store.renew_job(&self.job_id, &self.holder, until).await
    }

    /// Record progress and renew the lease
    /// ([`JobStore::record_claimed_progress`](super::JobStore::record_claimed_progress)); false
    /// when lost.
    pub async fn progress(
        &self,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<bool> {
        let (_, until) = self.worker.window();
        let claim = JobClaim {
            worker: &self.holder,
            until,
        };
        let store = &self.worker.store;
        store
            .record_claimed_progress(&self.job_id, claim, rows_done, rows_total, counts, rejected)
            .await
    }

    /// Finish the job ([`JobStore::finish_claimed_job`](super::JobStore::finish_claimed_job));
    /// false when the lease was lost.
    pub async fn finish(
        &self,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
    ) -> Result<bool> {
        let at = crate::contact::now_micros();
        let store = &self.worker.store;
        store
            .finish_claimed_job(&self.job_id, &self.holder, state, counts, error, at)
            .await
    }
}
