//! Imports as recorded jobs: the record made when a file is accepted, and running it to the end
//! with its state, progress, counts and failure kept in the job store.

use crate::execute::execute;
use crate::purpose::ImportOptions;
use crate::report::{ImportObserver, ImportReport};
use crate::request::ImportRequest;
use crate::run::Prepared;
use panorama_core::contact::{WriteContext, now_micros};
use panorama_core::store::{Job, JobState};
use panorama_core::{Error, Result, Store};
use serde_json::json;
use std::sync::Arc;

/// The job kind of imports.
pub const IMPORT_JOB_KIND: &str = "import";

/// A new import job record for `file_name`, in `state`, keeping the request it runs with.
pub fn new_import_job(
    file_name: &str,
    request: &ImportRequest,
    options: &ImportOptions,
    actor: &str,
    state: JobState,
) -> Job {
    Job {
        job_id: uuid_v7(),
        kind: IMPORT_JOB_KIND.to_owned(),
        state,
        file_name: file_name.to_owned(),
        purpose: options.purpose().as_str().to_owned(),
        options: serde_json::to_value(request).unwrap_or_else(|_| json!({})),
        actor: actor.to_owned(),
        created_at: now_micros(),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: None,
        counts: json!({}),
        error: None,
        preview: None,
    }
}

fn uuid_v7() -> String {
    // Core's ids are UUID v7; a job id is one too, for the same time ordering.
    panorama_core::contact::ContactId::new().to_string()
}

/// Run queued job `job_id` to its end: claim it (queued → running, so no second worker runs it),
/// execute, and record done with the counts or failed with the reason.
pub async fn run_import_job(
    store: Arc<dyn Store>,
    job_id: &str,
    prepared: Prepared,
    source: &str,
    observer: &mut dyn ImportObserver,
) -> Result<Option<ImportReport>> {
    if !store
        .transition_job(job_id, JobState::Queued, JobState::Running, now_micros())
        .await?
    {
        return Ok(None);
    }
    let fast = prepared.options().fast;
    let outcome = match prepared.scan() {
        Ok(rows_total) => {
            let context = WriteContext {
                source: source.to_owned(),
                at: now_micros(),
                fast,
            };
            execute(
                prepared,
                store.clone(),
                context,
                rows_total,
                Some(job_id),
                observer,
            )
            .await
        }
        Err(error) => Err(error),
    };
    match &outcome {
        Ok(report) => {
            let counts = serde_json::to_value(report.counts).map_err(Error::internal)?;
            store
                .finish_job(job_id, JobState::Done, &counts, None, now_micros())
                .await?;
        }
        Err(error) => {
            let counts = store
                .get_job(job_id)
                .await?
                .map(|j| j.counts)
                .unwrap_or_else(|| json!({}));
            store
                .finish_job(
                    job_id,
                    JobState::Failed,
                    &counts,
                    Some(&error.to_string()),
                    now_micros(),
                )
                .await?;
        }
    }
    outcome.map(Some)
}
