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
    let b = upsert(store, json!({"email": "e@example.com", "email_subscribed": false, "name": "Newer name", "company": "ACME"}))
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

pub async fn merges_inside_one_batch_chain_to_one_contact(store: &dyn Store) {
    let records = vec![
        crate::record(store, json!({"mobile": "13800000070", "name": "A"})).await,
        crate::record(store, json!({"email": "chain@example.com"})).await,
        crate::record(
            store,
            json!({"mobile": "13800000070", "email": "chain@example.com"}),
        )
        .await,
        crate::record(store, json!({"wechat_openid": "oChain"})).await,
        crate::record(
            store,
            json!({"email": "chain@example.com", "wechat_openid": "oChain", "city": "成都"}),
        )
        .await,
    ];
    let context = panorama_core::contact::WriteContext::now("test");
    let outcomes = store.upsert_contacts(&records, &context).await.unwrap();
    let actions: Vec<_> = outcomes.iter().map(|o| o.action).collect();
    use UpsertAction::*;
    assert_eq!(actions, [Created, Created, Merged, Created, Merged]);
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 1);
    let survivor = find(store, "wechat_openid", "oChain").await.unwrap();
    assert_eq!(
        survivor.contact_id, outcomes[0].contact.contact_id,
        "the first one created survives"
    );
    assert_eq!(
        find(store, "mobile", "+8613800000070")
            .await
            .unwrap()
            .contact_id,
        survivor.contact_id
    );
    assert_eq!(survivor.attributes["city"], json!("成都"));
    let events = event_keys(store, &survivor).await;
    assert_eq!(
        events.iter().filter(|e| *e == "user_created").count(),
        3,
        "every creation's event ends on the survivor: {events:?}"
    );
    assert_eq!(events.iter().filter(|e| *e == "user_merged").count(), 2);
}

pub async fn an_older_new_contact_absorbs_a_stored_one(store: &dyn Store) {
    let stored = upsert(store, json!({"email": "late@example.com"}))
        .await
        .contact;
    let earlier = panorama_core::contact::WriteContext {
        source: "test".into(),
        at: stored.created_at - jiff::SignedDuration::from_hours(24),
        fast: false,
    };
    let records = vec![
        crate::record(store, json!({"mobile": "13800000080"})).await,
        crate::record(
            store,
            json!({"mobile": "13800000080", "email": "late@example.com"}),
        )
        .await,
    ];
    let outcomes = store.upsert_contacts(&records, &earlier).await.unwrap();
    assert_eq!(outcomes[1].action, UpsertAction::Merged);
    let survivor = find(store, "email", "late@example.com").await.unwrap();
    assert_eq!(
        survivor.contact_id, outcomes[0].contact.contact_id,
        "the older contact survives, even if new to the store"
    );
    assert!(
        store
            .get_contact(stored.contact_id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        event_keys(store, &survivor)
            .await
            .iter()
            .filter(|e| *e == "user_created")
            .count(),
        2
    );
}
