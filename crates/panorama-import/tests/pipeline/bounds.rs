//! What an import keeps of rejected rows is bounded (issue 21, hole 3): a value is cut to 1 KB,
//! and past `rejections_kept_max` rows are counted (`invalid`, `unlisted`) but not listed; as a
//! job, only the listed ones are stored.

use crate::Bench;
use panorama_core::metadata::Schema;
use panorama_core::store::JobState;
use panorama_import::{
    ImportOptions, ImportRequest, Quiet, ReadOptions, new_import_job, prepare, run_import_job,
};

#[tokio::test]
async fn rejected_values_are_cut_and_rejections_past_the_limit_unlisted() {
    let bench = Bench::new().await;
    let mut text = String::from("mobile,name\n");
    text.push_str(&format!("13800000001,{}\n", "名".repeat(100_000)));
    for n in 0..30 {
        text.push_str(&format!("12{n},Bad\n"));
    }
    let path = bench.csv("bounded.csv", &text);
    let options = ImportOptions {
        read: ReadOptions {
            rejections_kept_max: 10,
            ..ReadOptions::default()
        },
        ..ImportOptions::default()
    };
    let report = bench.try_import(&path, &options).await.unwrap();
    assert_eq!((report.counts.invalid, report.counts.unlisted), (31, 21));
    assert_eq!(report.errors.len(), 10);
    let long = &report.errors[0];
    assert_eq!((long.row, long.column.as_str()), (2, "name"));
    assert!(
        long.value.len() <= 1024 && long.value.starts_with('名'),
        "{}",
        long.value.len()
    );
    assert!(long.cells.iter().map(String::len).sum::<usize>() <= 8 * 1024);

    // As a job: ten rows stored, the count beyond them in the job's counts.
    let schema = Schema::new(bench.store.list_attributes().await.unwrap());
    let prepared = prepare(&path, &schema, &options).unwrap();
    let request = ImportRequest::default();
    let job = new_import_job("bounded.csv", &request, &options, "test", JobState::Queued);
    bench.store.create_job(&job).await.unwrap();
    run_import_job(
        bench.store.clone(),
        &job.job_id,
        prepared,
        "import",
        &mut Quiet,
    )
    .await
    .unwrap();
    let stored = bench
        .store
        .job_rejections(&job.job_id, 0, 1000)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    assert!(stored[0].value.len() <= 1024);
    let done = bench.store.get_job(&job.job_id).await.unwrap().unwrap();
    assert_eq!(done.counts["unlisted"], 21, "{}", done.counts);
}
