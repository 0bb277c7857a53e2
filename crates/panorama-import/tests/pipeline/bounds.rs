//! What an import keeps of rejected rows is bounded (issue 21, hole 3): a value is cut to 1 KB,
//! and past `rejections_kept_max` rows are counted (`invalid`, `unlisted`) but not listed. As a
//! job only the listed ones are stored: the job runner's test of it is in the server
//! (`panorama_server::jobs::import`).

use crate::Bench;
use panorama_import::{ImportOptions, ReadOptions};

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
}
