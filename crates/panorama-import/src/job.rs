//! Imports as recorded jobs: the record made when a file is accepted, and running it to the end
//! under a lease, with its state, progress, counts and failure kept in the job store.
//!
//! Progress is recorded through the lease (so a worker that lost the job writes nothing), by a
//! keeper running beside the import that also renews the lease every third of its length. When
//! the lease is lost the import stops at once: each batch is one transaction, and running the
//! file again gives the state of one clean run, so the new holder's run is safe.

use crate::convert::RejectedRow;
use crate::execute::execute;
use crate::purpose::ImportOptions;
use crate::report::{ImportObserver, ImportReport, Progress};
use crate::request::ImportRequest;
use crate::run::Prepared;
use panorama_core::contact::{WriteContext, now_micros};
use panorama_core::store::{Job, JobHold, JobLease, JobRejection, JobState};
use panorama_core::{Error, Result};
use serde_json::{Value as Json, json};
use tokio::sync::mpsc;

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
        // A name from the client: stored and shown, so its control characters are escaped.
        file_name: panorama_core::text::shown(file_name).into_owned(),
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
        claimed_until: None,
    }
}

fn uuid_v7() -> String {
    // Core's ids are UUID v7; a job id is one too, for the same time ordering.
    panorama_core::contact::ContactId::new().to_string()
}

/// Run queued job `job_id` to its end. `hold` is a store (the job is claimed here, as a worker
/// of this process: the CLI) or a lease the caller already claimed (a server). `None` when
/// another worker has the job. Ends done with the counts or failed with the reason; a run that
/// loses its lease stops and records nothing more, leaving the job to its new holder.
pub async fn run_import_job(
    hold: impl Into<JobHold>,
    job_id: &str,
    prepared: Prepared,
    source: &str,
    observer: &mut dyn ImportObserver,
) -> Result<Option<ImportReport>> {
    let Some(lease) = hold.into().lease(job_id).await? else {
        return Ok(None);
    };
    let outcome = match run_leased(&lease, prepared, source, observer).await {
        Err(Stop::Lost) => return Err(lease_lost(job_id)),
        Err(Stop::Failed(error)) => Err(error),
        Ok(report) => Ok(report),
    };
    let finished = match &outcome {
        Ok(report) => {
            let counts = serde_json::to_value(report.counts).map_err(Error::internal)?;
            lease.finish(JobState::Done, &counts, None).await?
        }
        Err(error) => {
            let store = lease.store();
            let counts = store.get_job(job_id).await?.map(|j| j.counts);
            let counts = counts.unwrap_or_else(|| json!({}));
            let reason = error.to_string();
            lease
                .finish(JobState::Failed, &counts, Some(&reason))
                .await?
        }
    };
    if !finished {
        return Err(lease_lost(job_id));
    }
    outcome.map(Some)
}

fn lease_lost(job_id: &str) -> Error {
    Error::internal(format!(
        "import job {job_id} stopped: its lease ran out and another worker took the job over"
    ))
}

/// Why a leased run stopped early.
enum Stop {
    /// Another worker holds the job now.
    Lost,
    /// The import failed.
    Failed(Error),
}

/// Progress of one batch, on its way to the job record.
struct Step {
    rows_done: u64,
    rows_total: Option<u64>,
    counts: Json,
    rejected: Vec<JobRejection>,
}

async fn run_leased(
    lease: &JobLease,
    prepared: Prepared,
    source: &str,
    observer: &mut dyn ImportObserver,
) -> std::result::Result<ImportReport, Stop> {
    let (sender, receiver) = mpsc::unbounded_channel();
    let store = lease.store().clone();
    let context = WriteContext {
        source: source.to_owned(),
        at: now_micros(),
        fast: prepared.options().fast,
    };
    let work = async move {
        // The scan reads the whole CSV: off the async threads, so the keeper keeps renewing.
        let (prepared, rows_total) = tokio::task::spawn_blocking(move || {
            let rows_total = prepared.scan();
            (prepared, rows_total)
        })
        .await
        .map_err(Error::internal)?;
        let mut recorder = Recorder {
            observer,
            sender,
            rejected: Vec::new(),
        };
        // No job id: progress goes through the recorder and the lease, never unfenced.
        execute(prepared, store, context, rows_total?, None, &mut recorder).await
    };
    let keeper = keep(lease, receiver);
    tokio::pin!(work, keeper);
    tokio::select! {
        outcome = &mut work => {
            // The recorder is gone with `work`: the keeper writes what is left, then ends.
            (&mut keeper).await?;
            outcome.map_err(Stop::Failed)
        }
        kept = &mut keeper => match kept {
            Ok(()) => work.await.map_err(Stop::Failed),
            Err(stop) => Err(stop),
        },
    }
}

/// Record each batch's progress through the lease, and renew it between batches; ends when the
/// import is done (its recorder dropped), or early when the lease is lost.
async fn keep(
    lease: &JobLease,
    mut steps: mpsc::UnboundedReceiver<Step>,
) -> std::result::Result<(), Stop> {
    let every = lease.renew_every();
    let mut renewal = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    renewal.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let kept = tokio::select! {
            step = steps.recv() => match step {
                None => return Ok(()),
                Some(step) => lease
                    .progress(step.rows_done, step.rows_total, &step.counts, &step.rejected)
                    .await,
            },
            // A failed renewal (database briefly away) is tried again: if the lease really ran
            // out meanwhile, the next renewal or progress record says so.
            _ = renewal.tick() => lease.renew().await.or(Ok(true)),
        };
        match kept {
            Ok(true) => {}
            Ok(false) => return Err(Stop::Lost),
            Err(error) => return Err(Stop::Failed(error)),
        }
    }
}

/// The caller's observer, also sending each batch's progress and rejected rows to the keeper.
struct Recorder<'a> {
    observer: &'a mut dyn ImportObserver,
    sender: mpsc::UnboundedSender<Step>,
    rejected: Vec<JobRejection>,
}

impl ImportObserver for Recorder<'_> {
    fn rejected(&mut self, row: &RejectedRow) {
        self.rejected.push(row.to_job_rejection());
        self.observer.rejected(row);
    }

    fn progress(&mut self, progress: &Progress) {
        let step = Step {
            rows_done: progress.rows_done,
            rows_total: progress.rows_total,
            counts: serde_json::to_value(progress.counts).unwrap_or_else(|_| json!({})),
            rejected: std::mem::take(&mut self.rejected),
        };
        // A closed channel means the keeper stopped (lease lost): this run is being dropped.
        let _ = self.sender.send(step);
        self.observer.progress(progress);
    }
}
