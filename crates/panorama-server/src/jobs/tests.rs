//! The job runner against a real SQLite store: a job ends done with its final counts, failed with
//! the counts last recorded, or not at all when another worker took it over; and an import job
//! keeps only the rejected rows it lists (issue 21, hole 3; moved here from the import pipeline's
//! tests with the job code).

use super::{Ended, Progress, new_import_job, run, run_import};
use panorama_core::Store;
use panorama_core::metadata::Schema;
use panorama_core::store::{
    BulkCounts, BulkKind, ImportJob, ImportRequest, Job, JobRecord, JobState, JobWorker,
    MetadataStore,
};
use panorama_import::{ImportOptions, Quiet, ReadOptions, prepare};
use panorama_store_sqlite::SqliteStore;
use std::sync::Arc;
use std::time::Duration;

type Kind = BulkKind<serde_json::Value>;

async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("jobs.db").display());
    let store = SqliteStore::open(&url).await.expect("opens");
    store.migrate().await.expect("migrated");
    (Arc::new(store), dir)
}

/// A queued job of [`Kind`] and the lease of a worker that claimed it.
async fn claimed(store: &Arc<dyn Store>) -> (JobRecord, panorama_core::store::JobLease) {
    let job = Job::<Kind>::new("add_label", Default::default(), "ana", JobState::Queued);
    job.create(store.as_ref()).await.expect("created");
    let worker = JobWorker::new(store.clone(), "test", Duration::from_secs(30));
    let lease = worker
        .claim(&job.job_id)
        .await
        .expect("claims")
        .expect("free");
    let record = store
        .get_job(&job.job_id)
        .await
        .expect("reads")
        .expect("a job");
    (record, lease)
}

fn counts(done: u64) -> BulkCounts {
    BulkCounts {
        selected: 10,
        done,
        skipped: 0,
    }
}

#[tokio::test]
async fn a_job_ends_done_with_its_final_counts() {
    let (store, _dir) = fresh().await;
    let (job, lease) = claimed(&store).await;
    let ended = run::<Kind, _, _, _>(&lease, &|| {}, |_, progress: Progress<Kind>| async move {
        progress.record(4, Some(10), counts(4), Vec::new());
        progress.record_written(8, Some(10), counts(8)).await;
        Ok(("answer", counts(10)))
    })
    .await
    .expect("ended");
    assert!(matches!(ended, Ended::Done("answer")), "{ended:?}");
    let done = Job::<Kind>::load(store.as_ref(), &job.job_id)
        .await
        .expect("reads");
    let done = done.expect("the job");
    assert_eq!(
        (done.state, done.rows_done, done.counts, done.error),
        (JobState::Done, 8, Some(counts(10)), None)
    );
}

#[tokio::test]
async fn a_failed_job_keeps_the_counts_last_recorded() {
    let (store, _dir) = fresh().await;
    let (job, lease) = claimed(&store).await;
    let ended = run::<Kind, (), _, _>(&lease, &|| {}, |_, progress| async move {
        progress.record(3, Some(10), counts(3), Vec::new());
        Err(panorama_core::Error::internal("the disk is full"))
    })
    .await
    .expect("ended");
    assert!(matches!(ended, Ended::Failed(_)), "{ended:?}");
    let failed = Job::<Kind>::load(store.as_ref(), &job.job_id)
        .await
        .expect("reads");
    let failed = failed.expect("the job");
    assert_eq!(
        (failed.state, failed.counts),
        (JobState::Failed, Some(counts(3)))
    );
    assert!(failed.error.is_some_and(|e| e.contains("the disk is full")));
}

#[tokio::test]
async fn a_job_taken_over_stops_its_work_and_writes_nothing_more() {
    let (store, _dir) = fresh().await;
    let (job, lease) = claimed(&store).await;
    let later = panorama_core::contact::now_micros() + jiff::SignedDuration::from_hours(1);
    let thief = later + jiff::SignedDuration::from_hours(1);
    let id = job.job_id.clone();
    let taken = store.clone();
    let ended = run::<Kind, (), _, _>(&lease, &|| {}, |_, progress| async move {
        // Another worker claims the job as if this one's lease had run out.
        let claimed = taken.claim_job(&id, "thief", later, thief).await;
        assert_eq!(claimed.ok(), Some(true));
        progress.record_written(5, Some(10), counts(5)).await;
        unreachable!("the run stops before its progress is written");
    })
    .await
    .expect("ended");
    assert!(matches!(ended, Ended::Lost), "{ended:?}");
    let now = store
        .get_job(&job.job_id)
        .await
        .expect("reads")
        .expect("the job");
    assert_eq!((now.state, now.rows_done), (JobState::Running, 0));
    assert_eq!(now.claimed_until, Some(thief));
}

#[tokio::test]
async fn an_import_job_stores_only_the_rejected_rows_it_lists() {
    let (store, dir) = fresh().await;
    let mut text = String::from("mobile,name\n");
    text.push_str(&format!("13800000001,{}\n", "名".repeat(100_000)));
    for n in 0..30 {
        text.push_str(&format!("12{n},Bad\n"));
    }
    let path = dir.path().join("bounded.csv");
    std::fs::write(&path, text).expect("written");
    let options = ImportOptions {
        read: ReadOptions {
            rejections_kept_max: 10,
            ..ReadOptions::default()
        },
        ..ImportOptions::default()
    };
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let prepared = prepare(&path, &schema, &options).expect("prepared");
    let request = ImportRequest::default();
    let job = new_import_job("bounded.csv", &request, &options, "test", JobState::Queued);
    job.create(store.as_ref()).await.expect("created");
    let worker = JobWorker::new(store.clone(), "test", Duration::from_secs(30));
    let lease = worker
        .claim(&job.job_id)
        .await
        .expect("claims")
        .expect("free");
    let ended = run_import(&lease, prepared, "import", &mut Quiet).await;
    assert!(matches!(ended, Ok(Ended::Done(_))), "{ended:?}");
    // Ten rows stored, the count beyond them in the job's counts.
    let stored = store
        .job_rejections(&job.job_id, 0, 1000)
        .await
        .expect("rows");
    assert_eq!(stored.len(), 10);
    assert!(stored[0].value.len() <= 1024);
    let done = ImportJob::load(store.as_ref(), &job.job_id)
        .await
        .expect("reads");
    let done = done.expect("the job");
    assert_eq!(
        done.counts.map(|c| c.unlisted),
        Some(21),
        "{:?}",
        done.counts
    );
}
