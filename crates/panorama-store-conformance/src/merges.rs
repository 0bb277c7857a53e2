//! Conformance: merging contacts that one record links.

use crate::{event_keys, find, upsert};
use panorama_core::Store;
use panorama_core::contact::UpsertAction;
use serde_json::json;

pub async fn merge_follows_the_rules(store: &dyn Store) {
    let a = upsert(
        store,
        json!({"mobile": "13800000050", "name": "Old name", "city": "Shanghai"}),
    )
    .await
    .contact;
    let b = upsert(store, json!({"email": "e@example.com", "email_subscribed": "no", "name": "Newer name", "company": "ACME"}))
        .await
        .contact;
    assert!(!b.subscription.email.subscribed);
    let b_events = store.contact_events(b.contact_id, 100).await.unwrap();
    assert_eq!(b_events.len(), 2, "user_created and subscription_change");

    let merged = upsert(
        store,
        json!({"mobile": "+86 138 0000 0050", "email": "E@example.com", "member_level": "gold"}),
    )
    .await;
    assert_eq!(merged.action, UpsertAction::Merged);
    assert_eq!(merged.merged, [b.contact_id]);
    let survivor = store
        .get_contact(a.contact_id)
        .await
        .unwrap()
        .expect("the older contact survives");
    assert!(store.get_contact(b.contact_id).await.unwrap().is_none());
    assert_eq!(
        survivor.attributes["name"],
        json!("Newer name"),
        "newer values win"
    );
    assert_eq!(survivor.attributes["city"], json!("Shanghai"));
    assert_eq!(survivor.attributes["company"], json!("ACME"));
    assert_eq!(
        survivor.attributes["email"],
        json!("E@example.com"),
        "the record's value wins"
    );
    assert_eq!(survivor.attributes["member_level"], json!("gold"));
    assert!(
        !survivor.subscription.email.subscribed,
        "consent keeps the more restrictive value"
    );
    assert!(survivor.subscription.mobile.subscribed);
    assert_eq!(survivor.created_at, a.created_at);

    let events = store.contact_events(a.contact_id, 100).await.unwrap();
    for moved in &b_events {
        assert!(
            events.iter().any(|e| e.event_id == moved.event_id),
            "B's {} moved to A",
            moved.event
        );
    }
    let merge = events
        .iter()
        .find(|e| e.event == "user_merged")
        .expect("a user_merged event");
    assert_eq!(
        merge.properties["merged_contact_id"],
        json!(b.contact_id.to_string())
    );
    assert_eq!(
        merge.properties["surviving_contact_id"],
        json!(a.contact_id.to_string())
    );
    assert_eq!(
        find(store, "email", "e@example.com")
            .await
            .unwrap()
            .contact_id,
        a.contact_id
    );
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 1);
    assert!(
        event_keys(store, &survivor)
            .await
            .contains(&"subscription_change".to_owned())
    );
}

pub async fn merge_of_three_contacts(store: &dyn Store) {
    let a = upsert(store, json!({"mobile": "13800000060"}))
        .await
        .contact;
    let b = upsert(
        store,
        json!({"email": "three@example.com", "global_subscribed": false}),
    )
    .await
    .contact;
    let c = upsert(store, json!({"wechat_openid": "oThree"}))
        .await
        .contact;
    let merged = upsert(
        store,
        json!({"mobile": "13800000060", "email": "three@example.com", "wechat_openid": "oThree"}),
    )
    .await;
    assert_eq!(merged.action, UpsertAction::Merged);
    assert_eq!(merged.contact.contact_id, a.contact_id);
    let mut gone = merged.merged.clone();
    gone.sort();
    let mut expected = vec![b.contact_id, c.contact_id];
    expected.sort();
    assert_eq!(gone, expected);
    assert!(!merged.contact.subscription.global.subscribed);
    assert!(
        !merged
            .contact
            .subscription
            .effective(panorama_core::contact::Channel::Email)
    );
    assert_eq!(
        merged.contact.categories().names(),
        ["real_name", "wechat_fan"]
    );
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 1);
}
