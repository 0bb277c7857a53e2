//! Conformance: a job's progress and rejected rows. Rows rejected again replace their earlier
//! entry (within one call too), many rows are kept whole, a fenced write keeps its rows only
//! while the writer holds the job, and an id that names no job reads as none.

use panorama_core::Store;
use panorama_core::store::{JobClaim, JobId, JobRecord, JobRejection, JobState};
use serde_json::json;

/// Rejected rows in one call: more than one statement's worth on either database.
const MANY_REJECTIONS: u64 = 1_234;

fn at(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000 + seconds).unwrap()
}

fn rejection(row: u64, reason: &str) -> JobRejection {
    JobRejection {
        row,
        column: "mobile".to_owned(),
        value: format!("12{row}"),
        code: "invalid_value".to_owned(),
        reason: reason.to_owned(),
        cells: vec![format!("12{row}"), "王".to_owned()],
    }
}

pub async fn a_job_keeps_its_progress_and_each_rejected_row_once(store: &dyn Store) {
    let job = JobRecord {
        job_id: JobId::new(),
        kind: "import".to_owned(),
        state: JobState::Queued,
        file_name: "c.csv".to_owned(),
        purpose: "upsert".to_owned(),
        options: json!({"map": ["手机=mobile"]}),
        actor: "ana".to_owned(),
        created_at: at(0),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: None,
        counts: json!({}),
        error: None,
        preview: None,
        claimed_until: None,
    };
    store.create_job(&job).await.unwrap();
    assert_eq!(store.get_job(&job.job_id).await.unwrap(), Some(job.clone()));
    let unknown = JobId::from("not-a-job");
    assert_eq!(store.get_job(&unknown).await.unwrap(), None);
    assert!(
        store
            .job_rejections(&unknown, 0, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!store.claim_job(&unknown, "a", at(1), at(31)).await.unwrap());

    assert!(
        store
            .claim_job(&job.job_id, "a", at(1), at(31))
            .await
            .unwrap()
    );
    let claim = JobClaim {
        worker: "a",
        until: at(40),
    };
    let mut rejected: Vec<JobRejection> = (1..=MANY_REJECTIONS)
        .map(|row| rejection(row, "first"))
        .collect();
    rejected.push(rejection(7, "again"));
    let counts = json!({"invalid": MANY_REJECTIONS});
    let written = store
        .record_claimed_progress(&job.job_id, claim, 5, Some(9), &counts, &rejected)
        .await
        .unwrap();
    assert!(written);
    let kept = store
        .job_rejections(&job.job_id, 0, MANY_REJECTIONS + 10)
        .await
        .unwrap();
    assert_eq!(kept.len() as u64, MANY_REJECTIONS, "one entry per row");
    assert_eq!(
        kept[6],
        rejection(7, "again"),
        "the last rejection of a row wins"
    );
    assert_eq!(kept[0], rejection(1, "first"));
    let page = store.job_rejections(&job.job_id, 1_000, 2).await.unwrap();
    assert_eq!(
        page.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![1_001, 1_002]
    );

    // A later call replaces a row it names again; a writer that lost the job writes no rows.
    store
        .record_job_progress(&job.job_id, 6, Some(9), &counts, &[rejection(1, "later")])
        .await
        .unwrap();
    let stale = JobClaim {
        worker: "b",
        until: at(50),
    };
    let refused = store
        .record_claimed_progress(
            &job.job_id,
            stale,
            9,
            Some(9),
            &counts,
            &[rejection(1, "stale")],
        )
        .await
        .unwrap();
    assert!(!refused);
    let first = store.job_rejections(&job.job_id, 0, 1).await.unwrap();
    assert_eq!(first, vec![rejection(1, "later")]);
    let read = store.get_job(&job.job_id).await.unwrap().unwrap();
    assert_eq!(
        (read.rows_done, read.rows_total, read.counts, read.state),
        (6, Some(9), counts, JobState::Running)
    );
}
