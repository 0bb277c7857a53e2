//! The JSON shapes of bulk actions: the request, the answer to it, and a job with its progress.

use crate::app::filter::ContactFilter;
use crate::jobs::BulkJob;
use panorama_core::store::BulkCounts;
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use utoipa::ToSchema;

/// A bulk action on the selected contacts (`ids`) or on every contact of a list filter
/// (`filter`): exactly one of the two.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// `delete` (admin), `add_label` or `remove_label` (marketer).
    pub action: String,
    /// The contact label to add or remove; only for the label actions.
    #[schema(minimum = 1)]
    pub label_id: Option<i64>,
    /// The selected contacts' ids (UUIDs), at most `bulk_ids_max` (10,000 by default); repeats
    /// count once.
    pub ids: Option<Vec<String>>,
    /// The list's filter: every contact it matches when the action is created (contacts that
    /// match it later are not touched). `sort` and `order` change nothing here.
    pub filter: Option<ContactFilter>,
}

/// The answer to a bulk action: its job, queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkCreatedDto {
    /// Job id (UUID v7).
    pub job_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// Contacts selected when the job was created.
    pub selected: u64,
    /// Where to watch it: `GET` it, with `?wait=SECONDS` to be answered when it ends.
    pub url: String,
}

/// A bulk job: what it does, to what selection, how far, with what counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkJobDto {
    /// Job id (UUID v7).
    pub job_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// `delete`, `add_label` or `remove_label`.
    pub action: String,
    /// The label added or removed.
    pub label_id: Option<i64>,
    /// The selection as made: `{"ids": COUNT}` or `{"filter": {...}}`.
    #[schema(value_type = Object)]
    pub selection: Json,
    /// Who created it.
    pub actor: String,
    /// RFC 3339 times.
    pub created_at: String,
    /// When a worker started it.
    pub started_at: Option<String>,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Contacts handled so far.
    pub rows_done: u64,
    /// Contacts to handle.
    pub rows_total: Option<u64>,
    /// `selected`, `done` (deleted, labelled or unlabelled) and `skipped` (already gone,
    /// already labelled, or not labelled).
    #[schema(value_type = Object)]
    pub counts: BulkCounts,
    /// Why it failed.
    pub error: Option<String>,
    /// This job's URL.
    pub url: String,
}

/// Where a bulk job is watched.
pub fn job_url(job_id: &str) -> String {
    format!("/api/v1/contacts/bulk/{job_id}")
}

impl From<BulkJob> for BulkJobDto {
    fn from(job: BulkJob) -> Self {
        let time = |t: jiff::Timestamp| panorama_core::value::format_timestamp(t);
        // The history shows how many ids were chosen, not the ids: a job may hold 10,000.
        let counts = job.counts_or_zero();
        let options = job.options;
        let selection = match (&options.ids, &options.filter) {
            (Some(ids), _) => json!({"ids": ids.len()}),
            (None, Some(filter)) => json!({"filter": filter}),
            (None, None) => json!({}),
        };
        Self {
            url: job_url(job.job_id.as_str()),
            job_id: job.job_id.into(),
            state: job.state.as_str().to_owned(),
            action: job.purpose,
            label_id: options.label_id.map(|l| l.0),
            selection,
            actor: job.actor,
            created_at: time(job.created_at),
            started_at: job.started_at.map(time),
            finished_at: job.finished_at.map(time),
            rows_done: job.rows_done,
            rows_total: job.rows_total,
            counts,
            error: job.error,
        }
    }
}
