//! The source store of the copy test: the demo company plus a row in every other copied table.

use jiff::{SignedDuration, Timestamp};
use panorama_core::Store;
use panorama_core::access::{
    API_KEY_PREFIX, ApiKeyName, AuditAction, NewApiKey, NewAuditEntry, NewSession, Role,
    SESSION_PREFIX, Secret,
};
use panorama_core::contact::{
    Category, ContactId, ContactRecord, SubscriptionChange, WriteContext,
};
use panorama_core::event::EventParser;
use panorama_core::label::{NewFan, NewLabel, NewLabelGroup};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactListQuery, JobId, JobRecord, JobRejection, JobState};
use panorama_core::value::ParseOptions;
use serde_json::{Value, json};

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
pub struct Filled {
    pub contacts: Vec<ContactId>,
    pub merge_id: String,
    pub job_id: JobId,
}

/// The demo company, plus a row in every other copied table.
pub async fn fill(store: &dyn Store) -> Filled {
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
    // A contact deleted while unsubscribed: an entry of the suppression list.
    let gone = upsert(
        store,
        json!({"email": "gone@example.com", "email_subscribed": false}),
    )
    .await;
    store.delete_contact(gone).await.expect("deleted");

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
    let parsed = parser.parse(sent).expect("a valid event");
    store
        .ingest_events(vec![parsed], &context)
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

    let job_id = JobId::from(ContactId::new().to_string());
    let job = JobRecord {
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
        claimed_until: None,
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
    let headers = vec!["手机号".to_owned(), "备注".to_owned()];
    store
        .save_import_mapping(&panorama_core::store::ImportMapping {
            headers_key: panorama_core::store::headers_key(&headers),
            headers,
            map: [("备注".to_owned(), "-".to_owned())].into_iter().collect(),
            saved_by: "ana".into(),
            saved_at: Timestamp::from_microsecond(1_700_000_000_000_001).expect("a time"),
        })
        .await
        .expect("a saved import mapping");

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
