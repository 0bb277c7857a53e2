//! Areas not yet written once: `SqlStore` hands them to the backend's own implementation.

#![allow(unused_imports)]

use crate::{Backend, SqlStore};
use async_trait::async_trait;
use jiff::Timestamp;
use panorama_core::access::ApiKey;
use panorama_core::access::AuditEntry;
use panorama_core::access::AuditOutcome;
use panorama_core::access::AuditQuery;
use panorama_core::access::NewApiKey;
use panorama_core::access::NewAuditEntry;
use panorama_core::access::NewSession;
use panorama_core::access::NewUser;
use panorama_core::access::SecretHash;
use panorama_core::access::SignInOutcome;
use panorama_core::access::User;
use panorama_core::access::UserCredentials;
use panorama_core::access::UserName;
use panorama_core::access::UserPatch;
use panorama_core::contact::Category;
use panorama_core::contact::Channel;
use panorama_core::contact::ConsentEntry;
use panorama_core::contact::Contact;
use panorama_core::contact::ContactId;
use panorama_core::contact::ContactRecord;
use panorama_core::contact::KeyValue;
use panorama_core::contact::Overview;
use panorama_core::contact::Search;
use panorama_core::contact::Sort;
use panorama_core::contact::SubscriptionChange;
use panorama_core::contact::SuppressionEntry;
use panorama_core::contact::UpsertAction;
use panorama_core::contact::WriteContext;
use panorama_core::error::Error;
use panorama_core::error::Result;
use panorama_core::event::AnonymousId;
use panorama_core::event::Event;
use panorama_core::event::EventFilter;
use panorama_core::event::IncomingEvent;
use panorama_core::event::IngestOutcome;
use panorama_core::event::MergeRecord;
use panorama_core::event::TimelinePage;
use panorama_core::event::TimelineQuery;
use panorama_core::event::UnmergeOutcome;
use panorama_core::label::Fan;
use panorama_core::label::FollowerLabel;
use panorama_core::label::Label;
use panorama_core::label::LabelCatalog;
use panorama_core::label::LabelGroup;
use panorama_core::label::LabelGroupId;
use panorama_core::label::LabelId;
use panorama_core::label::LabelPatch;
use panorama_core::label::NewFan;
use panorama_core::label::NewLabel;
use panorama_core::label::NewLabelGroup;
use panorama_core::label::WechatAccount;
use panorama_core::metadata::AttributeDef;
use panorama_core::metadata::AttributePatch;
use panorama_core::metadata::EventDefinition;
use panorama_core::metadata::EventDefinitionPatch;
use panorama_core::metadata::NewAttribute;
use panorama_core::metadata::NewEventDefinition;
use panorama_core::metadata::Schema;
use panorama_core::store::*;
use serde_json::Map;
use serde_json::Value;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use uuid::Uuid;

#[async_trait]
impl<B: Backend + JobStore> JobStore for SqlStore<B> {
    async fn create_job(&self, job: &Job) -> Result<()> {
        self.backend.create_job(job).await
    }

    async fn get_job(&self, job_id: &str) -> Result<Option<Job>> {
        self.backend.get_job(job_id).await
    }

    async fn list_jobs(&self, kind: &str, limit: u64) -> Result<Vec<Job>> {
        self.backend.list_jobs(kind, limit).await
    }

    async fn transition_job(
        &self,
        job_id: &str,
        from: JobState,
        to: JobState,
        at: jiff::Timestamp,
    ) -> Result<bool> {
        self.backend.transition_job(job_id, from, to, at).await
    }

    async fn update_previewed_job(
        &self,
        job_id: &str,
        options: &Json,
        preview: &Json,
    ) -> Result<bool> {
        self.backend
            .update_previewed_job(job_id, options, preview)
            .await
    }

    async fn record_job_progress(
        &self,
        job_id: &str,
        rows_done: u64,
        rows_total: Option<u64>,
        counts: &Json,
        rejected: &[JobRejection],
    ) -> Result<()> {
        self.backend
            .record_job_progress(job_id, rows_done, rows_total, counts, rejected)
            .await
    }

    async fn finish_job(
        &self,
        job_id: &str,
        state: JobState,
        counts: &Json,
        error: Option<&str>,
        at: jiff::Timestamp,
    ) -> Result<()> {
        self.backend
            .finish_job(job_id, state, counts, error, at)
            .await
    }

    async fn job_rejections(
        &self,
        job_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<JobRejection>> {
        self.backend.job_rejections(job_id, after, limit).await
    }

    async fn claim_job(
        &self,
        job_id: &str,
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<bool> {
        self.backend.claim_job(job_id, worker, now, until).await
    }

    async fn claim_next(
        &self,
        kinds: &[&str],
        worker: &str,
        now: jiff::Timestamp,
        until: jiff::Timestamp,
    ) -> Result<Option<Job>> {
        self.backend.claim_next(kinds, worker, now, until).await
    }

    async fn renew_job(&self, job_id: &str, worker: &str, until: jiff::Timestamp) -> Result<bool> {
        self.backend.renew_job(job_id, worker, until).await
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
        self.backend
            .record_claimed_progress(job_id, claim, rows_done, rows_total, counts, rejected)
            .await
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
        self.backend
            .finish_claimed_job(job_id, worker, state, counts, error, at)
            .await
    }
}
