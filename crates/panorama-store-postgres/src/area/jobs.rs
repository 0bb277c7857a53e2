//! `JobStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::JobStore;
use panorama_core::store::{Job, JobRejection, JobState};
use serde_json::Value as Json;

#[async_trait]
impl JobStore for PostgresStore {
    async fn create_job(&self, job: &Job) -> Result<()> {
        Err(not_yet("create_job"))
    }
    async fn get_job(&self, job_id: &str) -> Result<Option<Job>> {
        Err(not_yet("get_job"))
    }
    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<Job>> {
        Err(not_yet("list_jobs"))
    }
    async fn transition_job(
        &self,
        job_id: &str,
        from: JobState,
        to: JobState,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        Err(not_yet("transition_job"))
    }
    async fn record_job_progress(
        &self,
        job_id: &str,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<()> {
        Err(not_yet("record_job_progress"))
    }
    async fn finish_job(
        &self,
        job_id: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        Err(not_yet("finish_job"))
    }
    async fn job_rejections(
        &self,
        job_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>> {
        Err(not_yet("job_rejections"))
    }
}
