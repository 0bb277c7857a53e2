//! Conformance: undoing a merge brings both contacts back whole, and is refused once something
//! changed since.

use crate::events::{event, ingest};
use crate::{find, found_anywhere, upsert};
use panorama_core::Store;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::AnonymousId;
use panorama_core::label::NewLabel;
use panorama_core::metadata::AttributePatch;
use serde_json::json;

async fn merge_id(store: &dyn Store, survivor: ContactId, merged: ContactId) -> String {
    store
        .contact_events(survivor, 1000)
        .await
        .unwrap()
        .into_iter()
        .find(|e| {
            e.event == "user_merged"
                && e.properties["merged_contact_id"] == json!(merged.to_string())
        })
        .expect("a user_merged event")
        .event_id
}

pub async fn a_merge_can_be_undone_until_something_changes(store: &dyn Store) {
    let a = upsert(
        store,
        json!({"mobile": "13800000701", "name": "A", "city": "上海"}),
    )
    .await
    .contact;
    let b = upsert(
        store,
        json!({"email": "b@example.com", "name": "B", "email_subscribed": false}),
    )
    .await
    .contact;
    ingest(
        store,
        json!([
            event(
                "u-a1",
                "order",
                "2026-01-01T10:00:00Z",
                json!({"mobile": "13800000701"}),
                json!({"order_id": "A1", "amount": "10"})
            ),
            event(
                "u-b1",
                "email_open",
                "2026-01-02T10:00:00Z",
                json!({"email": "b@example.com", "anonymous_id": "dev-b"}),
                json!({})
            ),
            event(
                "u-b2",
                "order",
                "2026-01-03T10:00:00Z",
                json!({"email": "b@example.com"}),
                json!({"order_id": "B1", "amount": "5"})
            ),
        ]),
    )
    .await;
    let only_b = store
        .create_label(&NewLabel {
            name: "B only".into(),
            group_id: None,
            hidden: false,
        })
        .await
        .unwrap();
    store
        .add_label(only_b.label_id, &[b.contact_id], &WriteContext::now("test"))
        .await
        .unwrap();
    let merged = upsert(
        store,
        json!({"mobile": "13800000701", "email": "b@example.com"}),
    )
    .await;
    let moved: Vec<String> = store
        .contact_labels(a.contact_id)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(moved, ["B only"], "the merge moved B's label");
    assert_eq!(merged.merged, vec![b.contact_id]);
    let id = merge_id(store, a.contact_id, b.contact_id).await;
    let record = store
        .merge_record(&id)
        .await
        .unwrap()
        .expect("the merge was recorded");
    assert_eq!(
        (record.survivor_id, record.merged_id),
        (a.contact_id, b.contact_id)
    );

    let outcome = store
        .undo_merge(&id, &WriteContext::now("test"))
        .await
        .unwrap();
    assert_eq!(
        outcome.survivor.attributes.get("email"),
        None,
        "the survivor is as it was"
    );
    assert_eq!(outcome.survivor.attributes["name"], json!("A"));
    assert_eq!(
        outcome.survivor.attributes["order_count"],
        json!(1),
        "orders are split again"
    );
    assert!(outcome.survivor.subscription.email.subscribed);
    let restored = store
        .get_contact(b.contact_id)
        .await
        .unwrap()
        .expect("B is back");
    assert_eq!(restored.attributes["name"], json!("B"));
    assert_eq!(restored.attributes["order_count"], json!(1));
    assert!(!restored.subscription.email.subscribed, "B's own consent");
    assert_eq!(
        find(store, "email", "b@example.com")
            .await
            .unwrap()
            .contact_id,
        b.contact_id
    );
    assert_eq!(
        find(store, "mobile", "+8613800000701")
            .await
            .unwrap()
            .contact_id,
        a.contact_id
    );
    assert_eq!(
        store
            .find_anonymous(&AnonymousId::parse("dev-b").unwrap())
            .await
            .unwrap()
            .unwrap()
            .contact_id,
        b.contact_id
    );
    let b_events: Vec<String> = store
        .contact_events(b.contact_id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_id)
        .collect();
    assert!(
        b_events.contains(&"u-b1".to_owned()) && b_events.contains(&"u-b2".to_owned()),
        "{b_events:?}"
    );
    for contact in [a.contact_id, b.contact_id] {
        let keys: Vec<String> = store
            .contact_events(contact, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert!(
            keys.contains(&"user_unmerged".to_owned()),
            "the undo is recorded on both: {keys:?}"
        );
    }
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 2);
    let labels = |id| async move {
        store
            .contact_labels(id)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(b.contact_id).await,
        ["B only"],
        "B's label is back on B"
    );
    assert!(labels(a.contact_id).await.is_empty(), "and off A");
    let again = store
        .undo_merge(&id, &WriteContext::now("test"))
        .await
        .expect_err("undone already");
    assert_eq!(again.code, "merge_not_undoable");

    upsert(
        store,
        json!({"mobile": "13800000701", "email": "b@example.com"}),
    )
    .await;
    let second = merge_id(store, a.contact_id, b.contact_id).await;
    upsert(store, json!({"mobile": "13800000701", "city": "北京"})).await;
    let blocked = store
        .undo_merge(&second, &WriteContext::now("test"))
        .await
        .expect_err("changed since");
    assert_eq!(blocked.code, "merge_not_undoable");
    assert!(
        blocked.detail.contains("changed") && blocked.detail.contains("attribute_change"),
        "{}",
        blocked.detail
    );
}

/// A merge undone after an attribute stopped being searchable brings both contacts back as
/// today's searchable attributes describe them, not as they were searched when merged.
pub async fn an_undone_merge_is_searched_by_todays_searchable_attributes(store: &dyn Store) {
    let a = upsert(store, json!({"mobile": "13800000801", "city": "杭州"}))
        .await
        .contact;
    let b = upsert(store, json!({"email": "c@example.com", "city": "苏州"}))
        .await
        .contact;
    upsert(
        store,
        json!({"mobile": "13800000801", "email": "c@example.com"}),
    )
    .await;
    let id = merge_id(store, a.contact_id, b.contact_id).await;
    let found = found_anywhere(store, "苏州").await;
    assert_eq!(found, [a.contact_id], "the survivor holds 苏州 now");
    let patch = AttributePatch {
        searchable: Some(false),
        ..AttributePatch::default()
    };
    store.update_attribute("city", &patch).await.unwrap();
    store
        .undo_merge(&id, &WriteContext::now("test"))
        .await
        .unwrap();
    for city in ["苏州", "杭州"] {
        let found = found_anywhere(store, city).await;
        assert!(found.is_empty(), "{city} is not searchable any more");
    }
    let found = found_anywhere(store, "c@example").await;
    assert_eq!(
        found,
        [b.contact_id],
        "the merged contact is back, found by email"
    );
}
