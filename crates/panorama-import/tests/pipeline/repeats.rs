//! Repeated keys in a file with more keys than memory holds: the rows past the switch to the
//! on-disk pass are judged exactly as in memory, invalid rows in between included.

use crate::Bench;
use panorama_import::ImportOptions;
use std::fmt::Write;

/// 12,000 rows (three batches): every 1,000th row has a broken email; three rows repeat an
/// earlier email, one before the second batch, two after it.
fn file() -> String {
    let mut text = String::from("email,name\n");
    for n in 0..12_000 {
        let email = match n {
            20 => "u3@example.com".to_owned(),
            5_500 => "u10@example.com".to_owned(),
            11_000 => "u5600@example.com".to_owned(),
            n if n % 1_000 == 999 => "not an email".to_owned(),
            n => format!("u{n}@example.com"),
        };
        writeln!(text, "{email},n{n}").expect("a row");
    }
    text
}

#[tokio::test]
async fn repeats_past_the_memory_limit_count_and_apply_as_in_memory() {
    let mut reports = Vec::new();
    for keys in [usize::MAX, 10] {
        let bench = Bench::new().await;
        let path = bench.csv("many.csv", &file());
        let report = bench
            .import_holding(&path, &ImportOptions::default(), keys)
            .await
            .expect("imported");
        let c = report.counts;
        assert_eq!(
            (c.total, c.invalid, c.duplicate, c.created, c.updated),
            (12_000, 12, 3, 11_985, 0),
            "holding {keys} keys: {c:?}"
        );
        assert_eq!(bench.count().await, 11_985);
        // Later values win, before and after the switch.
        for (email, name) in [
            ("u3@example.com", "n20"),
            ("u10@example.com", "n5500"),
            ("u5600@example.com", "n11000"),
            ("u11001@example.com", "n11001"),
        ] {
            let contact = bench.find("email", email).await.expect(email);
            assert_eq!(contact.attributes["name"], name, "holding {keys} keys");
        }
        reports.push(c);
    }
    assert_eq!(reports[0], reports[1]);
}
