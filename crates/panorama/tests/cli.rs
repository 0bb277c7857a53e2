//! The `panorama` binary as a user runs it: exit codes, what it prints, and what it stores.

use panorama_core::store::{ContactStore, MetadataStore};
use panorama_store_sqlite::SqliteStore;
use std::process::{Command, Output};

struct Database {
    _directory: tempfile::TempDir,
    url: String,
}

fn database() -> Database {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", directory.path().join("cli.db").display());
    Database {
        _directory: directory,
        url,
    }
}

fn panorama(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(args)
        .env_remove("PANORAMA_DATABASE_URL")
        .output()
        .expect("panorama runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn attributes_are_added_changed_listed_and_deleted() {
    let db = database();
    let migrate = panorama(&["migrate", "--database", &db.url]);
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(
        text(&migrate.stdout).contains("23 attributes, 33 event definitions"),
        "{}",
        text(&migrate.stdout)
    );

    let add = panorama(&[
        "attributes",
        "--database",
        &db.url,
        "add",
        "shoe_size",
        "--display-name",
        "鞋码",
        "--type",
        "integer",
    ]);
    assert!(add.status.success(), "{}", text(&add.stderr));
    let update = panorama(&[
        "attributes",
        "--database",
        &db.url,
        "update",
        "shoe_size",
        "--display-name",
        "Shoe size",
        "--sortable",
        "false",
    ]);
    assert!(update.status.success(), "{}", text(&update.stderr));
    let list = text(&panorama(&["attributes", "--database", &db.url, "list"]).stdout);
    let line = list
        .lines()
        .find(|l| l.starts_with("shoe_size "))
        .expect("the new attribute is listed");
    assert!(
        line.contains("Shoe size")
            && line.contains("integer")
            && line.contains("custom")
            && !line.contains("sortable"),
        "{line}"
    );

    let bad = panorama(&[
        "attributes",
        "--database",
        &db.url,
        "add",
        "colour",
        "--type",
        "colour",
    ]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("field `type`, value `colour`"),
        "{}",
        text(&bad.stderr)
    );
    let preset = panorama(&["attributes", "--database", &db.url, "delete", "mobile"]);
    assert!(!preset.status.success());
    assert!(
        text(&preset.stderr).contains("preset attributes cannot be deleted"),
        "{}",
        text(&preset.stderr)
    );

    let delete = panorama(&["attributes", "--database", &db.url, "delete", "shoe_size"]);
    assert!(delete.status.success(), "{}", text(&delete.stderr));
    assert!(
        !text(&panorama(&["attributes", "--database", &db.url, "list"]).stdout)
            .contains("shoe_size")
    );
}

#[tokio::test]
async fn demo_fills_a_realistic_company_and_is_repeatable() {
    let db = database();
    for _ in 0..2 {
        let demo = panorama(&[
            "demo",
            "--database",
            &db.url,
            "--contacts",
            "400",
            "--seed",
            "7",
            "--fill-only",
        ]);
        assert!(demo.status.success(), "{}", text(&demo.stderr));
    }
    let store = SqliteStore::open(&db.url)
        .await
        .expect("the demo database opens");
    let overview = store
        .overview(jiff::Timestamp::now())
        .await
        .expect("counts");
    assert_eq!(
        overview.all, 400,
        "a second run with the same seed adds nothing"
    );
    assert!(
        (100..=220).contains(&overview.wechat_fan),
        "about 40% fans: {}",
        overview.wechat_fan
    );
    assert!(
        overview.anonymous > 0 && overview.anonymous < 80,
        "some anonymous: {}",
        overview.anonymous
    );
    assert!(
        overview.new_30d < overview.all,
        "arrivals spread over two years"
    );
    let attributes = store.list_attributes().await.expect("attributes");
    assert!(
        attributes.iter().any(|a| !a.preset),
        "custom attributes are defined"
    );
}

#[test]
fn unsupported_database_urls_are_explained() {
    let run = panorama(&["migrate", "--database", "mysql://localhost/x"]);
    assert!(!run.status.success());
    assert!(
        text(&run.stderr).contains("unsupported database URL `mysql://localhost/x`"),
        "{}",
        text(&run.stderr)
    );
}

/// Batches are written while the next is read: file order and line numbers still hold across
/// them (a repeat in a later batch is the duplicate; a rejection by the store names its line).
#[test]
fn events_in_many_batches_keep_file_order_and_line_numbers() {
    let db = database();
    let file = db._directory.path().join("events.jsonl");
    let event = |id: &str, identity: &str| {
        format!(
            r#"{{"event_id": "{id}", "event": "email_open", "occurred_at": "2026-05-02T10:00:00+08:00", "identity": {identity}}}"#
        )
    };
    let lines = [
        event("b1", r#"{"mobile": "13812340001"}"#),
        event("b2", r#"{"mobile": "13812340002"}"#),
        event("b3", r#"{"mobile": "13812340001"}"#),
        event("b1", r#"{"mobile": "13812340003"}"#),
        event(
            "b4",
            r#"{"contact_id": "01900000-0000-7000-8000-000000000000"}"#,
        ),
        event("b5", r#"{"mobile": "13812340002"}"#),
        event("b6", r#"{"mobile": "13812340003"}"#),
    ];
    std::fs::write(&file, lines.join("\n")).expect("a file");
    let run = panorama(&[
        "events",
        file.to_str().expect("a path"),
        "--database",
        &db.url,
        "--batch",
        "2",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("5 created, 1 duplicate, 1 rejected"),
        "{}",
        text(&run.stdout)
    );
    assert!(
        text(&run.stderr).contains("line 5: rejected"),
        "{}",
        text(&run.stderr)
    );
    let opens = tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async {
            use panorama_core::store::EventStore;
            let store = SqliteStore::open(&db.url).await.expect("the store");
            let key = |value: &str| panorama_core::contact::KeyValue {
                attribute: "mobile".into(),
                value: value.into(),
            };
            let found = store.find_contact(&key("+8613812340003")).await;
            assert!(
                found.expect("a read").is_some(),
                "b6 created the third mobile's contact"
            );
            let first = store
                .find_contact(&key("+8613812340001"))
                .await
                .expect("a read")
                .expect("the first mobile's contact");
            let filter = panorama_core::event::EventFilter {
                events: Some(vec!["email_open".into()]),
                ..Default::default()
            };
            store
                .count_events(first.contact_id, &filter)
                .await
                .expect("a count")
        });
    assert_eq!(
        opens, 2,
        "b1 and b3; the repeated b1 of line 4 is the duplicate"
    );
}

#[test]
fn events_are_ingested_from_a_jsonl_file() {
    let db = database();
    let file = db._directory.path().join("events.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"event_id": "f1", "event": "order", "occurred_at": "2026-05-02T10:00:00+08:00", "identity": {"mobile": "138 1234 5678"}, "properties": {"order_id": "X1", "amount": "99.9"}}"#,
            "\n",
            r#"{"event_id": "f1", "event": "order", "occurred_at": "2026-05-02T10:00:00+08:00", "identity": {"mobile": "13812345678"}}"#,
            "\nnot json\n",
            r#"{"event_id": "f2", "event": "nope", "occurred_at": "2026-05-01T09:30:00Z", "identity": {"anonymous_id": "d1"}}"#,
            "\n"
        ),
    )
    .expect("a file");
    let run = panorama(&[
        "events",
        file.to_str().expect("a path"),
        "--database",
        &db.url,
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("1 created, 1 duplicate, 2 rejected"),
        "{}",
        text(&run.stdout)
    );
    assert!(text(&run.stderr).contains("line 4: rejected: `nope` is not a defined event"));
    let contact = tokio::runtime::Runtime::new()
        .expect("a runtime")
        .block_on(async {
            let store = SqliteStore::open(&db.url).await.expect("the store");
            let key = panorama_core::contact::KeyValue {
                attribute: "mobile".into(),
                value: "+8613812345678".into(),
            };
            store
                .find_contact(&key)
                .await
                .expect("a read")
                .expect("the contact")
        });
    assert_eq!(contact.attributes["order_count"], serde_json::json!(1));
}
