//! Conformance: job leases. Claims are exclusive, a lease that ran out can be taken over, and a
//! worker that lost its lease can no longer write the job's progress or end.

use panorama_core::Store;
use panorama_core::store::{JobClaim, JobId, JobRecord, JobState};
use serde_json::json;

/// Seconds after a fixed start, so every lease decision is deterministic.
fn at(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_800_000_000 + seconds).unwrap()
}

/// A job of `kind` in `state`, created `created` seconds after the start.
async fn job(store: &dyn Store, kind: &str, state: JobState, created: i64) -> JobId {
    let job = JobRecord {
        job_id: JobId::from(uuid::Uuid::now_v7().to_string()),
        kind: kind.to_owned(),
        state,
        file_name: String::new(),
        purpose: "add_label".to_owned(),
        options: json!({}),
        actor: "ana".to_owned(),
        created_at: at(created),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: Some(10),
        counts: json!({}),
        error: None,
        preview: None,
        claimed_until: None,
    };
    store.create_job(&job).await.unwrap();
    job.job_id
}

pub async fn job_claims_are_exclusive(store: &dyn Store) {
    let id = job(store, "bulk", JobState::Queued, 0).await;
    let (a, b) = tokio::join!(
        store.claim_job(&id, "a", at(1), at(31)),
        store.claim_job(&id, "b", at(1), at(31)),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a ^ b,
        "exactly one of two workers claims a queued job ({a}, {b})"
    );
    let (holder, other) = if a { ("a", "b") } else { ("b", "a") };
    let claimed = store.get_job(&id).await.unwrap().unwrap();
    assert_eq!(claimed.state, JobState::Running);
    assert_eq!(claimed.started_at, Some(at(1)));
    assert!(!store.claim_job(&id, other, at(30), at(60)).await.unwrap());
    assert!(!store.claim_job(&id, holder, at(30), at(60)).await.unwrap());
    assert_eq!(
        store
            .claim_next(&["bulk"], other, at(30), at(60))
            .await
            .unwrap(),
        None
    );
    assert!(!store.renew_job(&id, other, at(60)).await.unwrap());
    assert!(store.renew_job(&id, holder, at(60)).await.unwrap());
    // The renewed lease holds past the first one's end.
    assert!(!store.claim_job(&id, other, at(45), at(75)).await.unwrap());
    // A previewed job is not claimable: nobody started it.
    let previewed = job(store, "import", JobState::Previewed, 2).await;
    assert!(
        !store
            .claim_job(&previewed, "a", at(3), at(33))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .claim_next(&["import"], "a", at(3), at(33))
            .await
            .unwrap(),
        None
    );
}

pub async fn claim_next_takes_the_oldest_claimable_job_of_its_kinds(store: &dyn Store) {
    let newer = job(store, "bulk", JobState::Queued, 20).await;
    let older = job(store, "bulk", JobState::Queued, 10).await;
    let import = job(store, "import", JobState::Queued, 5).await;
    let _done = job(store, "bulk", JobState::Done, 1).await;
    let first = store
        .claim_next(&["bulk"], "a", at(30), at(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (first.job_id.as_str(), first.state),
        (older.as_str(), JobState::Running)
    );
    assert_eq!(first.started_at, Some(at(30)));
    let (b, c) = tokio::join!(
        store.claim_next(&["bulk"], "b", at(31), at(61)),
        store.claim_next(&["bulk"], "c", at(31), at(61)),
    );
    let got: Vec<JobId> = [b.unwrap(), c.unwrap()]
        .into_iter()
        .flatten()
        .map(|j| j.job_id)
        .collect();
    assert_eq!(
        got,
        vec![newer.clone()],
        "two workers never get the same job"
    );
    let both = store
        .claim_next(&["bulk", "import"], "d", at(32), at(62))
        .await
        .unwrap();
    assert_eq!(both.map(|j| j.job_id), Some(import));
    assert_eq!(
        store
            .claim_next(&["bulk", "import"], "d", at(33), at(63))
            .await
            .unwrap(),
        None
    );
    // Once the first lease ran out, the oldest job is claimable again.
    let again = store
        .claim_next(&["bulk"], "e", at(61), at(91))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.job_id, older);
    assert_eq!(
        again.started_at,
        Some(at(30)),
        "a take-over keeps when the job first started"
    );
}

pub async fn an_expired_job_lease_is_taken_over_and_fences_the_old_holder(store: &dyn Store) {
    let id = job(store, "bulk", JobState::Queued, 0).await;
    assert!(store.claim_job(&id, "old", at(1), at(31)).await.unwrap());
    let old = JobClaim {
        worker: "old",
        until: at(40),
    };
    assert!(
        store
            .record_claimed_progress(&id, old, 3, Some(10), &json!({"done": 3}), &[])
            .await
            .unwrap()
    );
    // The progress renewed the lease to 40: not claimable at 35, claimable after 40.
    assert!(!store.claim_job(&id, "new", at(35), at(65)).await.unwrap());
    assert!(store.claim_job(&id, "new", at(41), at(71)).await.unwrap());
    // The old holder wakes up: every write of it is refused and changes nothing.
    assert!(!store.renew_job(&id, "old", at(80)).await.unwrap());
    let stale = JobClaim {
        worker: "old",
        until: at(80),
    };
    assert!(
        !store
            .record_claimed_progress(&id, stale, 9, Some(10), &json!({"done": 9}), &[])
            .await
            .unwrap()
    );
    assert!(
        !store
            .finish_claimed_job(
                &id,
                "old",
                JobState::Failed,
                &json!({}),
                Some("stalled"),
                at(42)
            )
            .await
            .unwrap()
    );
    let job_now = store.get_job(&id).await.unwrap().unwrap();
    assert_eq!(
        (job_now.state, job_now.rows_done, job_now.counts.clone()),
        (JobState::Running, 3, json!({"done": 3}))
    );
    let new = JobClaim {
        worker: "new",
        until: at(75),
    };
    assert!(
        store
            .record_claimed_progress(&id, new, 10, Some(10), &json!({"done": 10}), &[])
            .await
            .unwrap()
    );
    assert!(
        store
            .finish_claimed_job(
                &id,
                "new",
                JobState::Done,
                &json!({"done": 10}),
                None,
                at(50)
            )
            .await
            .unwrap()
    );
    let done = store.get_job(&id).await.unwrap().unwrap();
    assert_eq!(
        (done.state, done.rows_done, done.finished_at),
        (JobState::Done, 10, Some(at(50)))
    );
    assert_eq!(done.error, None);
    // A finished job is nobody's any more: no renewal, no second end, no claim.
    assert!(!store.renew_job(&id, "new", at(90)).await.unwrap());
    assert!(
        !store
            .finish_claimed_job(
                &id,
                "new",
                JobState::Failed,
                &json!({}),
                Some("late"),
                at(60)
            )
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_job(&id, "other", at(1_000), at(1_030))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .claim_next(&["bulk"], "other", at(1_000), at(1_030))
            .await
            .unwrap(),
        None
    );
}

/// A job carries its heartbeat (the lease's end): moved by renewals and progress, and a running
/// job whose heartbeat is past is interrupted (issue 21: a CLI import killed with -9).
pub async fn a_running_job_carries_its_heartbeat_and_is_interrupted_after_it(store: &dyn Store) {
    let id = job(store, "import", JobState::Queued, 0).await;
    let read = || async { store.get_job(&id).await.unwrap().unwrap() };
    assert_eq!(read().await.claimed_until, None);
    assert!(!read().await.interrupted(at(100)), "a queued job is not");
    assert!(store.claim_job(&id, "cli", at(1), at(31)).await.unwrap());
    assert_eq!(read().await.claimed_until, Some(at(31)));
    assert!(store.renew_job(&id, "cli", at(50)).await.unwrap());
    let job = read().await;
    assert_eq!(job.claimed_until, Some(at(50)));
    assert!(!job.interrupted(at(49)) && job.interrupted(at(51)));
    let listed = store.list_jobs("import", 10).await.unwrap();
    assert_eq!(listed[0].claimed_until, Some(at(50)));
}
