//! Conformance: contact writes, keys, deletes and counts.

use crate::{event_keys, find, record, upsert};
use panorama_core::Store;
use panorama_core::contact::{Category, UpsertAction, WriteContext};
use panorama_core::store::ContactListQuery;
use serde_json::json;

pub async fn upsert_creates_updates_and_reports_unchanged(store: &dyn Store) {
    let created = upsert(
        store,
        json!({"mobile": "13812345678", "name": "王伟", "member_points": 10}),
    )
    .await;
    assert_eq!(created.action, UpsertAction::Created);
    assert_eq!(
        created.contact.attributes["mobile"],
        json!("+8613812345678")
    );
    let same = upsert(store, json!({"mobile": "13812345678", "name": "王伟"})).await;
    assert_eq!(same.action, UpsertAction::Unchanged);
    assert_eq!(same.contact.updated_at, created.contact.updated_at);
    let changed = upsert(
        store,
        json!({"mobile": "13812345678", "name": "王伟强", "member_points": null}),
    )
    .await;
    assert_eq!(changed.action, UpsertAction::Updated);
    let stored = store
        .get_contact(created.contact.contact_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.attributes.get("name"), Some(&json!("王伟强")));
    assert!(
        !stored.attributes.contains_key("member_points"),
        "null clears"
    );

    let events = store.contact_events(stored.contact_id, 100).await.unwrap();
    let name_change = events
        .iter()
        .find(|e| e.event == "attribute_change" && e.properties["attribute"] == "name")
        .unwrap();
    assert_eq!(
        (
            &name_change.properties["old_value"],
            &name_change.properties["new_value"]
        ),
        (&json!("王伟"), &json!("王伟强"))
    );
    let points = events
        .iter()
        .find(|e| e.event == "attribute_change" && e.properties["attribute"] == "member_points")
        .unwrap();
    assert_eq!(
        (
            &points.properties["old_value"],
            &points.properties["new_value"]
        ),
        (&json!("10"), &json!(null))
    );
    assert_eq!(
        events.iter().filter(|e| e.event == "user_created").count(),
        1
    );
}

pub async fn spellings_of_one_key_are_one_contact(store: &dyn Store) {
    let first = upsert(store, json!({"mobile": "138 1234 5678"})).await;
    for spelling in ["+86 138-1234-5678", "008613812345678", "13812345678"] {
        let again = upsert(store, json!({"mobile": spelling})).await;
        assert_eq!(
            (again.action, again.contact.contact_id),
            (UpsertAction::Unchanged, first.contact.contact_id),
            "{spelling}"
        );
    }
    let zoe = upsert(store, json!({"email": "Zoe@Example.COM"})).await;
    let same = upsert(store, json!({"email": "Zoe@example.com"})).await;
    assert_eq!(same.contact.contact_id, zoe.contact.contact_id);
    let lower = upsert(store, json!({"email": "zoe@example.com"})).await;
    assert_eq!(
        lower.contact.contact_id, zoe.contact.contact_id,
        "addresses match case-insensitively"
    );
    assert_eq!(store.overview(jiff::Timestamp::now()).await.unwrap().all, 2);
}

pub async fn wechat_ids_match_case_sensitively(store: &dyn Store) {
    let upper = upsert(store, json!({"wechat_openid": "oAbCdEf"})).await;
    let lower = upsert(store, json!({"wechat_openid": "oabcdef"})).await;
    assert_ne!(upper.contact.contact_id, lower.contact.contact_id);
    assert_eq!(
        upper.contact.categories().names(),
        ["anonymous", "wechat_fan"]
    );
}

pub async fn changed_key_frees_the_old_value(store: &dyn Store) {
    let contact = upsert(
        store,
        json!({"mobile": "13800000010", "email": "old@example.com"}),
    )
    .await
    .contact;
    upsert(
        store,
        json!({"mobile": "13800000010", "email": "new@example.com"}),
    )
    .await;
    assert!(find(store, "email", "old@example.com").await.is_none());
    assert_eq!(
        find(store, "email", "new@example.com")
            .await
            .unwrap()
            .contact_id,
        contact.contact_id
    );
    let other = upsert(store, json!({"email": "old@example.com"})).await;
    assert_eq!(other.action, UpsertAction::Created);
}

pub async fn batch_resolves_in_order(store: &dyn Store) {
    let records = vec![
        record(store, json!({"mobile": "13800000020", "name": "A"})).await,
        record(store, json!({"mobile": "13800000020", "name": "B"})).await,
        record(store, json!({"email": "c@example.com"})).await,
    ];
    let outcomes = store
        .upsert_contacts(&records, &WriteContext::now("test"))
        .await
        .unwrap();
    let actions: Vec<_> = outcomes.iter().map(|o| o.action).collect();
    assert_eq!(
        actions,
        [
            UpsertAction::Created,
            UpsertAction::Updated,
            UpsertAction::Created
        ]
    );
    assert_eq!(
        find(store, "mobile", "+8613800000020")
            .await
            .unwrap()
            .attributes["name"],
        json!("B")
    );
}

pub async fn delete_removes_everything(store: &dyn Store) {
    let contact = upsert(
        store,
        json!({"mobile": "13800000030", "email": "gone@example.com"}),
    )
    .await
    .contact;
    assert!(store.delete_contact(contact.contact_id).await.unwrap());
    assert!(
        store
            .get_contact(contact.contact_id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(find(store, "email", "gone@example.com").await.is_none());
    assert!(
        store
            .contact_events(contact.contact_id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!store.delete_contact(contact.contact_id).await.unwrap());
    let again = upsert(store, json!({"mobile": "13800000030"})).await;
    assert_eq!(again.action, UpsertAction::Created);
    assert_ne!(again.contact.contact_id, contact.contact_id);
}

pub async fn overview_and_list_count_exactly(store: &dyn Store) {
    upsert(store, json!({"mobile": "13800000040"})).await;
    upsert(
        store,
        json!({"email": "fan@example.com", "wechat_openid": "oFan1"}),
    )
    .await;
    upsert(store, json!({"wechat_openid": "oFan2"})).await;
    let overview = store.overview(jiff::Timestamp::now()).await.unwrap();
    assert_eq!(
        (
            overview.all,
            overview.real_name,
            overview.anonymous,
            overview.wechat_fan
        ),
        (3, 2, 1, 2)
    );
    assert_eq!((overview.new_7d, overview.new_30d), (3, 3));
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 8);
    assert_eq!(store.overview(later).await.unwrap().new_7d, 0);

    let page = store
        .list_contacts(ContactListQuery {
            category: Category::WechatFan,
            offset: 0,
            limit: 1,
            label: None,
            search: None,
            sort: panorama_core::contact::Sort::default(),
        })
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (2, 1));
    assert_eq!(
        page.items[0].attributes["wechat_openid"],
        json!("oFan2"),
        "newest first"
    );
    let all = store
        .list_contacts(ContactListQuery {
            category: Category::All,
            offset: 2,
            limit: 10,
            label: None,
            search: None,
            sort: panorama_core::contact::Sort::default(),
        })
        .await
        .unwrap();
    assert_eq!((all.total, all.items.len()), (3, 1));
    let anonymous = store
        .list_contacts(ContactListQuery {
            category: Category::Anonymous,
            offset: 0,
            limit: 10,
            label: None,
            search: None,
            sort: panorama_core::contact::Sort::default(),
        })
        .await
        .unwrap();
    assert_eq!(anonymous.total, 1);
    let events = event_keys(store, &anonymous.items[0]).await;
    assert_eq!(events, ["user_created"]);
}
