//! Counts of every purpose, duplicates applied in file order, empty cells, and idempotent reruns.

use crate::Bench;
use panorama_import::{EmptyCells, ImportOptions, Purpose};
use serde_json::json;

const FILE: &str = "mobile,email,name,member_points\n\
13800000001,a@example.com,Ann,10\n\
13800000002,,Bo,\n\
,,Nobody,5\n\
13800000001,,Ann Lee,11\n\
abc,,Bad,1\n\
13800000003,c@example.com,Cy,x\n\
\n\
13800000004,d@example.com,Di,4\n";

#[tokio::test]
async fn upsert_counts_every_row_once() {
    let bench = Bench::new().await;
    let report = bench.import(FILE, Purpose::Upsert).await;
    let c = report.counts;
    assert_eq!((c.total, c.invalid, c.duplicate), (8, 4, 1), "{c:?}");
    assert_eq!(
        (c.created, c.updated, c.unchanged, c.merged),
        (3, 0, 0, 0),
        "{c:?}"
    );
    assert_eq!(c.expected(), 3);
    assert_eq!(bench.count().await, 3);
    let ann = bench.find("mobile", "+8613800000001").await.unwrap();
    assert_eq!(ann.attributes["name"], json!("Ann Lee"), "later rows win");
    assert_eq!(ann.attributes["member_points"], json!(11));
    let rows: Vec<u64> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, [4, 6, 7, 8]);
    let bad = &report.errors[1];
    assert_eq!(
        (bad.column.as_str(), bad.value.as_str(), bad.code.as_str()),
        ("mobile", "abc", "invalid_mobile")
    );
    assert_eq!(report.errors[2].column, "member_points");
    assert_eq!(report.errors[0].code, "no_key_value");
    assert_eq!(report.errors[3].code, "empty_row");

    // A second run ends in the same state. Rows are applied in file order, so the row that a
    // later duplicate overrides counts as updated again; every other row is unchanged.
    let before = bench.find("mobile", "+8613800000001").await.unwrap();
    let again = bench.import(FILE, Purpose::Upsert).await.counts;
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 1, 2),
        "{again:?}"
    );
    assert_eq!(bench.count().await, 3);
    assert_eq!(
        bench
            .find("mobile", "+8613800000001")
            .await
            .unwrap()
            .attributes,
        before.attributes
    );
}

#[tokio::test]
async fn empty_cells_keep_or_clear() {
    let bench = Bench::new().await;
    bench
        .import("mobile,name,city\n13800000010,Ann,Xi'an\n", Purpose::Upsert)
        .await;
    bench
        .import("mobile,name,city\n13800000010,,\n", Purpose::Upsert)
        .await;
    let kept = bench.find("mobile", "+8613800000010").await.unwrap();
    assert_eq!(
        kept.attributes["city"],
        json!("Xi'an"),
        "keep is the default"
    );
    let path = bench.csv("clear.csv", "mobile,city\n13800000010,\n");
    let clear = ImportOptions {
        empty: EmptyCells::Clear,
        ..ImportOptions::default()
    };
    let report = bench.try_import(&path, &clear).await.unwrap();
    assert_eq!(report.counts.updated, 1);
    let cleared = bench.find("mobile", "+8613800000010").await.unwrap();
    assert!(!cleared.attributes.contains_key("city"));
    assert_eq!(
        cleared.attributes["name"],
        json!("Ann"),
        "columns absent from the file are untouched"
    );
}

#[tokio::test]
async fn delete_and_unsubscribe_find_contacts_and_count_the_rest() {
    let bench = Bench::new().await;
    bench
        .import(
            "mobile,email\n13800000020,a@example.com\n13800000021,b@example.com\n",
            Purpose::Upsert,
        )
        .await;
    let unsubscribe = bench
        .import(
            "email\nA@Example.com\nnobody@example.com\n",
            Purpose::UnsubscribeEmail,
        )
        .await
        .counts;
    assert_eq!((unsubscribe.unsubscribed, unsubscribe.not_found), (1, 1));
    let a = bench.find("email", "a@example.com").await.unwrap();
    assert!(!a.subscription.email.subscribed && a.subscription.mobile.subscribed);
    assert_eq!(a.subscription.email.source, "import");
    assert_eq!(
        bench.count().await,
        2,
        "unsubscribing never creates a contact"
    );

    let delete = bench
        .import(
            "mobile,name\n13800000021,whatever\n13800000099,x\n13800000021,again\n",
            Purpose::Delete,
        )
        .await
        .counts;
    assert_eq!(
        (delete.deleted, delete.not_found, delete.duplicate),
        (1, 1, 1)
    );
    assert_eq!(bench.count().await, 1);
    assert!(bench.find("email", "b@example.com").await.is_none());
}

#[tokio::test]
async fn rows_linking_two_contacts_merge_them() {
    let bench = Bench::new().await;
    bench.import("mobile\n13800000030\n", Purpose::Upsert).await;
    bench
        .import("email\nm@example.com\n", Purpose::Upsert)
        .await;
    let counts = bench
        .import("mobile,email\n13800000030,m@example.com\n", Purpose::Upsert)
        .await
        .counts;
    assert_eq!(counts.merged, 1);
    assert_eq!(bench.count().await, 1);
}

#[tokio::test]
async fn labels_go_on_every_imported_contact() {
    let bench = Bench::new().await;
    let path = bench.csv("labelled.csv", "mobile\n13800000040\n13800000041\n");
    let unknown = ImportOptions {
        labels: vec!["VIP".into()],
        ..ImportOptions::default()
    };
    let error = bench.try_import(&path, &unknown).await.unwrap_err();
    assert_eq!(
        (error.field.as_deref(), error.value.as_deref()),
        (Some("label"), Some("VIP"))
    );
    assert_eq!(
        bench.count().await,
        0,
        "an unknown label refuses the file before anything is written"
    );

    let new = panorama_core::label::NewLabel {
        name: "VIP".into(),
        group_id: None,
        hidden: false,
    };
    let label = bench.store.create_label(&new).await.unwrap();
    bench.try_import(&path, &unknown).await.unwrap();
    let contact = bench.find("mobile", "+8613800000041").await.unwrap();
    let labels = bench
        .store
        .contact_labels(contact.contact_id)
        .await
        .unwrap();
    assert_eq!(
        labels.iter().map(|l| l.label_id).collect::<Vec<_>>(),
        [label.label_id]
    );
}
