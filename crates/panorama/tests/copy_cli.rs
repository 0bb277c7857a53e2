//! `panorama copy` run as an operator runs it: a SQLite store with rows in every copied table
//! goes to a fresh PostgreSQL database and from there to a new SQLite file. The command's counts
//! and checksums match on each hop, both ways give the same checksums, the stores answer the same
//! reads, a merge copied from SQLite is undone on PostgreSQL, and a target holding data is refused.

use jiff::Timestamp;
use panorama_core::Store;
use panorama_core::access::{AuditAction, AuditQuery, NewAuditEntry};
use panorama_core::contact::{Category, ContactRecord, WriteContext};
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::label::NewLabel;
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use panorama_core::value::ParseOptions;
use panorama_store_postgres::testing::TestDatabase;
use panorama_store_sql::COPY_TABLES;
use serde_json::{Value, json};
use std::process::{Command, Output};

#[path = "copy_cli/fill.rs"]
mod fill;

use fill::{Filled, fill};

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

/// Run `copy --json`, insist it succeeded, and answer its report.
fn copy(from: &str, to: &str) -> Value {
    let output = panorama(&["copy", "--from", from, "--to", to, "--json"]);
    assert!(
        output.status.success(),
        "copy failed: {}",
        text(&output.stderr)
    );
    let stderr = text(&output.stderr);
    for table in COPY_TABLES {
        assert!(
            stderr.contains(table.name),
            "no progress line for {}: {stderr}",
            table.name
        );
    }
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

/// The report's `(table, rows, checksum)`, after checking every table matched.
fn figures(report: &Value) -> Vec<(String, u64, String)> {
    assert_eq!(report["ok"], json!(true), "{report}");
    let tables = report["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), COPY_TABLES.len());
    tables
        .iter()
        .map(|t| {
            assert_eq!(t["ok"], json!(true), "{t}");
            assert_eq!(t["rows"], t["target_rows"], "{t}");
            assert_eq!(t["checksum"], t["target_checksum"], "{t}");
            let name = t["table"].as_str().unwrap_or_default().to_owned();
            (
                name,
                t["rows"].as_u64().unwrap_or(0),
                t["checksum"].to_string(),
            )
        })
        .collect()
}

/// Debug text of an answer: two stores answer the same when these are equal.
fn shown<T: std::fmt::Debug>(answer: panorama_core::Result<T>) -> String {
    format!("{:?}", answer.expect("the store answers"))
}

/// Every read the comparison covers, in one list of debug texts.
async fn answers(store: &dyn Store, filled: &Filled) -> Vec<String> {
    let mut all = vec![
        shown(store.list_attributes().await),
        shown(store.list_event_definitions().await),
        shown(
            store
                .list_contacts(ContactListQuery::category(Category::All, 1000))
                .await,
        ),
        shown(store.label_catalog().await),
        shown(
            store
                .suppression_entries(&[panorama_core::contact::KeyValue {
                    attribute: "email".into(),
                    value: "gone@example.com".into(),
                }])
                .await,
        ),
        shown(store.list_wechat_accounts().await),
        shown(store.follower_labels("wxshop0000000001").await),
        shown(store.users().await),
        shown(store.api_keys().await),
        shown(
            store
                .audit_entries(&AuditQuery {
                    action: None,
                    actor: None,
                    before: None,
                    limit: 1000,
                })
                .await,
        ),
        shown(store.get_job(&filled.job_id).await),
        shown(store.job_rejections(&filled.job_id, 0, 100).await),
        shown(store.get_view("ana", "contacts").await),
        shown(store.merge_record(&filled.merge_id).await),
    ];
    for id in &filled.contacts {
        let query = TimelineQuery {
            filter: EventFilter::default(),
            limit: 1000,
            cursor: None,
        };
        all.push(shown(store.timeline(*id, &query).await));
        all.push(shown(store.consent_history(*id, 100).await));
        all.push(shown(store.contact_labels(*id).await));
        all.push(shown(store.contact_fans(*id).await));
    }
    all
}

#[tokio::test]
async fn a_store_goes_to_postgres_and_back_whole() {
    let Some(postgres) = TestDatabase::create().await else {
        return;
    };
    let directory = tempfile::tempdir().expect("a temporary directory");
    let sqlite = format!("sqlite://{}", directory.path().join("source.db").display());
    let again = format!("sqlite://{}", directory.path().join("again.db").display());
    let source = panorama::database::open(&sqlite)
        .await
        .expect("the source opens");
    let filled = fill(source.as_ref()).await;

    let there = figures(&copy(&sqlite, &postgres.url));
    for (table, rows, _) in &there {
        assert!(*rows > 0, "the test data holds no {table}");
    }
    let back = figures(&copy(&postgres.url, &again));
    assert_eq!(there, back, "both directions read the same rows");

    let target = panorama::database::open(&postgres.url)
        .await
        .expect("the target opens");
    let returned = panorama::database::open(&again)
        .await
        .expect("the copy back opens");
    let expected = answers(source.as_ref(), &filled).await;
    for (name, store) in [("postgres", &target), ("sqlite again", &returned)] {
        let got = answers(store.as_ref(), &filled).await;
        for (index, (want, have)) in expected.iter().zip(&got).enumerate() {
            assert_eq!(want, have, "read {index} differs on {name}");
        }
    }

    // The merge record came over whole: it can be undone on PostgreSQL.
    let context = WriteContext::now("test");
    let undone = target
        .undo_merge(&filled.merge_id, &context)
        .await
        .expect("undone on postgres");
    let local = source
        .undo_merge(&filled.merge_id, &context)
        .await
        .expect("undone on sqlite");
    assert_eq!(undone.restored.attributes, local.restored.attributes);
    assert_eq!(undone.restored.contact_id, local.restored.contact_id);

    // Ids were copied, not drawn: the next label and audit entry get new ones.
    let label = NewLabel {
        name: "After the copy".into(),
        group_id: None,
        hidden: false,
    };
    target.create_label(&label).await.expect("a new label id");
    let entry = NewAuditEntry {
        at: Timestamp::now(),
        actor: "user:ana".into(),
        action: AuditAction::Export,
        target: None,
        detail: json!({}),
    };
    let appended = target.append_audit(entry).await.expect("a new audit entry");
    let query = AuditQuery {
        action: None,
        actor: None,
        before: None,
        limit: 1000,
    };
    let entries = source.audit_entries(&query).await.expect("entries");
    assert!(entries.iter().all(|e| e.entry_id < appended.entry_id));

    // A second copy into the same database is refused, naming what it holds.
    let refused = panorama(&["copy", "--from", &sqlite, "--to", &postgres.url]);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(
        message.contains("is not empty") && message.contains(" contacts"),
        "{message}"
    );
}

/// A SQLite store written before text values were checked may hold U+0000, which PostgreSQL
/// cannot store: the copy names the rows to fix and writes nothing, and copies once they are.
#[tokio::test]
async fn a_source_holding_nul_is_refused_before_anything_is_written() {
    let Some(postgres) = TestDatabase::create().await else {
        return;
    };
    let directory = tempfile::tempdir().expect("a temporary directory");
    let sqlite = format!("sqlite://{}", directory.path().join("nul.db").display());
    let source = panorama::database::open(&sqlite)
        .await
        .expect("the source opens");
    let schema = Schema::new(source.list_attributes().await.expect("attributes"));
    let map = json!({"mobile": "13800000001", "name": "Ann"});
    let record = ContactRecord::from_json(
        &schema,
        map.as_object().expect("an object"),
        ParseOptions::default(),
    )
    .expect("valid");
    let written = source
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    let contact_id = written[0].contact.contact_id.to_string();
    // As an older version let it in: raw SQL, since no write path takes it any more.
    let pool = sqlx::SqlitePool::connect(&sqlite)
        .await
        .expect("raw connection");
    sqlx::query(
        "UPDATE contacts SET attributes = json_set(attributes, '$.name', 'x' || char(0) || 'y')",
    )
    .execute(&pool)
    .await
    .expect("a NUL planted");

    let refused = panorama(&["copy", "--from", &sqlite, "--to", &postgres.url]);
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(
        message.contains(&format!(
            "contacts (contact_id=\"{contact_id}\"): attributes"
        )) && message.contains("nothing was written"),
        "{message}"
    );
    let target = panorama::database::open(&postgres.url)
        .await
        .expect("the target opens");
    assert_eq!(target.copy_count("contacts").await.expect("counted"), 0);

    sqlx::query("UPDATE contacts SET attributes = json_set(attributes, '$.name', 'xy')")
        .execute(&pool)
        .await
        .expect("the row fixed");
    pool.close().await;
    let report = copy(&sqlite, &postgres.url);
    assert_eq!(report["ok"], json!(true), "{report}");
}
