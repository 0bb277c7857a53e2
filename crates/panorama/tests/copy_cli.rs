//! `panorama copy` run as an operator runs it: a SQLite store with rows in every copied table
//! goes to a fresh PostgreSQL database and from there to a new SQLite file. The command's counts
//! and checksums match on each hop, both ways give the same checksums, the stores answer the same
//! reads, a merge copied from SQLite is undone on PostgreSQL, and a target holding data is refused.

use jiff::{SignedDuration, Timestamp};
use panorama_core::Store;
use panorama_core::access::{
    API_KEY_PREFIX, ApiKeyName, AuditAction, AuditQuery, NewApiKey, NewAuditEntry, NewSession,
    Role, SESSION_PREFIX, Secret,
};
use panorama_core::contact::{
    Category, ContactId, ContactRecord, SubscriptionChange, WriteContext,
};
use panorama_core::event::{EventFilter, EventParser, TimelineQuery};
use panorama_core::label::{NewFan, NewLabel, NewLabelGroup};
use panorama_core::metadata::Schema;
use panorama_core::store::{COPY_TABLES, ContactListQuery, Job, JobRejection, JobState};
use panorama_core::value::ParseOptions;
use panorama_store_postgres::testing::TestDatabase;
use serde_json::{Value, json};
use std::process::{Command, Output};

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

async fn upsert(store: &dyn Store, attributes: Value) -> ContactId {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let map = attributes.as_object().expect("an object").clone();
    let record = ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("valid");
    let outcome = store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    outcome[0].contact.contact_id
}

/// What `fill` made that the comparisons look up.
struct Filled {
    contacts: Vec<ContactId>,
    merge_id: String,
    job_id: String,
}

/// The demo company, plus a row in every other copied table.
async fn fill(store: &dyn Store) -> Filled {
    panorama::cmd::demo::fill_with(store, 60, 7, true)
        .await
        .expect("the demo fills");
    panorama::cmd::access::demo_users(store)
        .await
        .expect("demo users");
    let context = WriteContext::now("test");
    let page = store
        .list_contacts(ContactListQuery::category(Category::All, 30))
        .await
        .expect("a page");
    let mut contacts: Vec<ContactId> = page.items.iter().map(|c| c.contact_id).collect();
    let group = store
        .create_label_group(&NewLabelGroup {
            name: "Segments".into(),
            parent_id: None,
        })
        .await
        .expect("a group");
    let inner = store
        .create_label_group(&NewLabelGroup {
            name: "Value".into(),
            parent_id: Some(group.group_id),
        })
        .await
        .expect("a nested group");
    let vip = store
        .create_label(&NewLabel {
            name: "VIP".into(),
            group_id: Some(inner.group_id),
            hidden: false,
        })
        .await
        .expect("a label");
    let news = store
        .create_label(&NewLabel {
            name: "Newsletter".into(),
            group_id: None,
            hidden: true,
        })
        .await
        .expect("a hidden label");
    store
        .add_label(vip.label_id, &contacts[..10], &context)
        .await
        .expect("labelled");
    store
        .add_label(news.label_id, &contacts[5..20], &context)
        .await
        .expect("labelled");
    let off = SubscriptionChange::parse("email", false, Some("test"), None).expect("a change");
    store
        .change_subscription(contacts[0], &off, "ana")
        .await
        .expect("unsubscribed");

    // Two contacts, then one record holding both keys: a merge, with an undo record.
    let a = upsert(store, json!({"mobile": "13800000701", "name": "甲"})).await;
    let b = upsert(store, json!({"email": "b@example.com", "name": "B"})).await;
    store
        .add_label(news.label_id, &[b], &context)
        .await
        .expect("labelled");
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let definitions = store.list_event_definitions().await.expect("definitions");
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    let sent = json!({"event_id": "copy-b1", "event": "email_open", "occurred_at": "2026-01-02T10:00:00Z",
        "identity": {"email": "b@example.com", "anonymous_id": "device-b"}, "properties": {}});
    let parsed = parser.parse(&sent).expect("a valid event");
    store
        .ingest_events(&[parsed], &context)
        .await
        .expect("ingested");
    let survivor = upsert(
        store,
        json!({"mobile": "13800000701", "email": "b@example.com"}),
    )
    .await;
    let merge_id = store
        .contact_events(survivor, 1000)
        .await
        .expect("events")
        .into_iter()
        .find(|e| e.event == "user_merged" && [a, b].contains(&survivor))
        .expect("a user_merged event")
        .event_id;
    contacts.push(survivor);

    let (account, _) = store
        .save_wechat_account("wxshop0000000001", "Shop")
        .await
        .expect("account");
    let gold = store
        .create_follower_label(&account.app_id, "Gold")
        .await
        .expect("label");
    let fan = NewFan {
        openid: "oShop1".into(),
        following: true,
    };
    store
        .save_fan(survivor, &account.app_id, &fan)
        .await
        .expect("a fan");
    store
        .add_follower_label(survivor, gold.label_id, &context)
        .await
        .expect("labelled");

    let job_id = ContactId::new().to_string();
    let job = Job {
        job_id: job_id.clone(),
        kind: "import".into(),
        state: JobState::Done,
        file_name: "people.csv".into(),
        purpose: "upsert".into(),
        options: json!({"encoding": "utf-8"}),
        actor: "user:ana".into(),
        created_at: Timestamp::now(),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: Some(2),
        counts: json!({}),
        error: None,
        preview: Some(json!({"columns": ["mobile"]})),
    };
    store.create_job(&job).await.expect("a job");
    let rejection = JobRejection {
        row: 2,
        column: "mobile".into(),
        value: "12".into(),
        code: "invalid_mobile".into(),
        reason: "not a mobile".into(),
        cells: vec!["12".into()],
    };
    store
        .record_job_progress(&job_id, 2, Some(2), &json!({"rejected": 1}), &[rejection])
        .await
        .expect("progress");
    store
        .put_view("ana", "contacts", &["name".to_owned(), "city".to_owned()])
        .await
        .expect("a view");

    let users = store.users().await.expect("users");
    let now = Timestamp::now();
    let session = NewSession {
        token_hash: Secret::generate(SESSION_PREFIX).hash(),
        user_id: users[0].user_id,
        created_at: now,
        expires_at: now + SignedDuration::from_hours(12),
    };
    store.create_session(session).await.expect("a session");
    let secret = Secret::generate(API_KEY_PREFIX);
    let key = NewApiKey {
        name: ApiKeyName::parse("crm-sync", "name").expect("a name"),
        role: Role::Marketer,
        key_hash: secret.hash(),
        shown: secret.shown(),
        created_by: "user:ana".into(),
        created_at: now,
    };
    store.create_api_key(key).await.expect("a key");
    for (action, target) in [
        (AuditAction::Export, None),
        (AuditAction::Merge, Some(merge_id.clone())),
    ] {
        let entry = NewAuditEntry {
            at: Timestamp::now(),
            actor: "user:ana".into(),
            action,
            target,
            detail: json!({"rows": 12, "filter": {"label": vip.label_id}}),
        };
        store.append_audit(entry).await.expect("audited");
    }
    Filled {
        contacts,
        merge_id,
        job_id,
    }
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
