//! Imports as jobs, for the server and the CLI alike: the record made when a file is accepted,
//! and the import's work under the runner, the pipeline's batches written to the store with each
//! batch's progress and rejected rows recorded on the job.
//!
//! A run that loses its lease stops at once: each batch is one transaction, and running the file
//! again gives the state of one clean run, so the new holder's run is safe.

use super::{Ended, Progress, run};
use panorama_core::contact::{WriteContext, now_micros};
use panorama_core::store::{
    ImportCounts, ImportJob, ImportKind, ImportRequest, JobKind, JobLease, JobRejection, JobState,
};
use panorama_core::{Error, Result, Store};
use panorama_import::{ImportObserver, ImportOptions, ImportReport, Prepared, RejectedRow};
use std::sync::Arc;

/// The job kind of imports.
pub const IMPORT_JOB_KIND: &str = <ImportKind as JobKind>::KIND;

/// A new import job for `file_name`, in `state`, keeping the request it runs with.
pub fn new_import_job(
    file_name: &str,
    request: &ImportRequest,
    options: &ImportOptions,
    actor: &str,
    state: JobState,
) -> ImportJob {
    let purpose = options.purpose().as_str();
    let mut job = ImportJob::new(purpose, request.clone(), actor, state);
    // A name from the client: stored and shown, so its control characters are escaped.
    job.file_name = panorama_core::text::shown(file_name).into_owned();
    job
}

/// Run the import job `lease` holds from `prepared`, writing as `source` and telling `observer`
/// of every rejected row and batch: the CLI's `panorama import`.
pub async fn run_import(
    lease: &JobLease,
    prepared: Prepared,
    source: &str,
    observer: &mut dyn ImportObserver,
) -> Result<Ended<ImportReport>> {
    let store = lease.store().clone();
    run::<ImportKind, _, _, _>(lease, &|| {}, |_, progress| {
        import_rows(store, prepared, source, observer, progress)
    })
    .await
}

/// The work of an import job: `prepared` written to `store` batch by batch, each batch's
/// progress and rejected rows recorded through `progress`, `observer` told as well.
pub async fn import_rows(
    store: Arc<dyn Store>,
    prepared: Prepared,
    source: &str,
    observer: &mut dyn ImportObserver,
    progress: Progress<ImportKind>,
) -> Result<(ImportReport, ImportCounts)> {
    let context = WriteContext {
        source: source.to_owned(),
        at: now_micros(),
        fast: prepared.options().fast,
    };
    // The scan reads the whole CSV: off the async threads, so the keeper keeps renewing.
    let (prepared, rows_total) = tokio::task::spawn_blocking(move || {
        let rows_total = prepared.scan();
        (prepared, rows_total)
    })
    .await
    .map_err(Error::internal)?;
    let mut recorder = Recorder {
        observer,
        progress,
        rejected: Vec::new(),
    };
    let report =
        panorama_import::execute(prepared, store, context, rows_total?, &mut recorder).await?;
    let counts = report.counts;
    Ok((report, counts))
}

/// The caller's observer, also recording each batch's progress and rejected rows on the job.
struct Recorder<'a> {
    observer: &'a mut dyn ImportObserver,
    progress: Progress<ImportKind>,
    rejected: Vec<JobRejection>,
}

impl ImportObserver for Recorder<'_> {
    fn rejected(&mut self, row: &RejectedRow) {
        self.rejected.push(row.to_job_rejection());
        self.observer.rejected(row);
    }

    fn progress(&mut self, progress: &panorama_import::Progress) {
        let rejected = std::mem::take(&mut self.rejected);
        let (rows_done, rows_total) = (progress.rows_done, progress.rows_total);
        self.progress
            .record(rows_done, rows_total, progress.counts, rejected);
        self.observer.progress(progress);
    }
}
