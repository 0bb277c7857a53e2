//! `JobStore` on a fresh PostgreSQL database: a job is created, moves from state to state once,
//! records progress and rejected rows, finishes, and reads back as written.

use panorama_core::store::{JobId, JobRecord, JobRejection, JobState, JobStore};
use panorama_store_postgres::testing::TestDatabase;
use serde_json::json;

fn rejection(row: u64, reason: &str) -> JobRejection {
    JobRejection {
        row,
        column: "mobile".to_owned(),
        value: "12".to_owned(),
        code: "invalid_value".to_owned(),
        reason: reason.to_owned(),
        cells: vec!["12".to_owned(), "王".to_owned()],
    }
}

fn at(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_700_000_000 + seconds).expect("a valid time")
}

#[tokio::test]
async fn a_job_runs_from_creation_to_its_rejections() {
    let Some((store, _database)) = TestDatabase::store().await else {
        return;
    };
    let job = JobRecord {
        job_id: JobId::from(uuid::Uuid::now_v7().to_string()),
        kind: "import".to_owned(),
        state: JobState::Previewed,
        file_name: "contacts.csv".to_owned(),
        purpose: "upsert".to_owned(),
        options: json!({"separator": ","}),
        actor: "user:admin".to_owned(),
        created_at: at(0),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: None,
        counts: json!({}),
        error: None,
        preview: Some(json!({"columns": ["mobile", "name"]})),
        claimed_until: None,
    };
    store.create_job(&job).await.expect("created");
    assert_eq!(
        store.get_job(&job.job_id).await.expect("read"),
        Some(job.clone())
    );
    assert_eq!(
        store
            .get_job(&JobId::from("not-a-uuid"))
            .await
            .expect("read"),
        None
    );

    let moved = store
        .transition_job(&job.job_id, JobState::Previewed, JobState::Queued, at(1))
        .await
        .expect("moved");
    assert!(moved);
    let again = store
        .transition_job(&job.job_id, JobState::Previewed, JobState::Queued, at(1))
        .await
        .expect("compared");
    assert!(!again, "a job leaves a state once");
    assert!(
        store
            .transition_job(&job.job_id, JobState::Queued, JobState::Running, at(2))
            .await
            .expect("started")
    );

    let counts = json!({"created": 3, "rejected": 2});
    let rejected = [
        rejection(4, "first"),
        rejection(2, "short"),
        rejection(4, "last"),
    ];
    store
        .record_job_progress(&job.job_id, 5, Some(10), &counts, &rejected)
        .await
        .expect("progress");
    let running = store
        .get_job(&job.job_id)
        .await
        .expect("read")
        .expect("a job");
    assert_eq!(running.state, JobState::Running);
    assert_eq!(running.started_at, Some(at(2)));
    assert_eq!((running.rows_done, running.rows_total), (5, Some(10)));
    assert_eq!(running.counts, counts);

    let done_counts = json!({"created": 8, "rejected": 2});
    store
        .finish_job(&job.job_id, JobState::Done, &done_counts, None, at(3))
        .await
        .expect("finished");
    let done = store
        .get_job(&job.job_id)
        .await
        .expect("read")
        .expect("a job");
    assert_eq!(done.state, JobState::Done);
    assert_eq!(done.finished_at, Some(at(3)));
    assert_eq!(done.counts, done_counts);
    assert_eq!(done.preview, job.preview);

    let rows = store
        .job_rejections(&job.job_id, 0, 10)
        .await
        .expect("rows");
    assert_eq!(rows, vec![rejection(2, "short"), rejection(4, "last")]);
    let after = store
        .job_rejections(&job.job_id, 2, 10)
        .await
        .expect("rows");
    assert_eq!(after, vec![rejection(4, "last")]);
    assert_eq!(
        store
            .job_rejections(&job.job_id, 0, 1)
            .await
            .expect("rows")
            .len(),
        1
    );

    let listed = store.list_jobs("import", 10).await.expect("listed");
    assert_eq!(listed, vec![done]);
    assert!(
        store
            .list_jobs("export", 10)
            .await
            .expect("listed")
            .is_empty()
    );
}
