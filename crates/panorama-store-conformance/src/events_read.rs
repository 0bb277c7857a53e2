//! Conformance: orders kept exact through duplicates, merges and deletes, and found by search
//! when made searchable; the timeline's stable order, keyset cursor and filters.

use crate::events::{event, ingest};
use crate::{found_anywhere, upsert};
use panorama_core::Store;
use panorama_core::contact::ContactId;
use panorama_core::event::{EventFilter, TimelineQuery};
use panorama_core::metadata::AttributePatch;
use serde_json::{Value as Json, json};

async fn order_attributes(store: &dyn Store, contact_id: ContactId) -> (Json, Json, Json) {
    let contact = store.get_contact(contact_id).await.unwrap().unwrap();
    let get = |name: &str| contact.attributes.get(name).cloned().unwrap_or(Json::Null);
    (
        get("order_count"),
        get("order_amount"),
        get("last_order_at"),
    )
}

pub async fn orders_stay_exact_through_duplicates_merges_and_deletes(store: &dyn Store) {
    let order = |id: &str, order_id: &str, amount: &str, at: &str, who: Json| {
        event(
            id,
            "order",
            at,
            who,
            json!({"order_id": order_id, "amount": amount, "currency": "CNY", "status": "paid"}),
        )
    };
    let mobile = json!({"mobile": "13800000501"});
    let first = ingest(
        store,
        json!([
            order(
                "o1",
                "A-1",
                "100.00",
                "2026-01-01T10:00:00Z",
                mobile.clone()
            ),
            order("o2", "A-2", "50.5", "2026-02-01T10:00:00Z", mobile.clone()),
            event(
                "o3",
                "order_detail",
                "2026-02-01T10:00:00Z",
                mobile.clone(),
                json!({"order_id": "A-2", "product_name": "Tea", "quantity": 2})
            ),
        ]),
    )
    .await;
    let a = first[0].contact_id.unwrap();
    assert_eq!(
        order_attributes(store, a).await,
        (
            json!(2),
            json!("150.50"),
            json!("2026-02-01T10:00:00.000000Z")
        )
    );
    let status_update = event(
        "o4",
        "order",
        "2026-02-02T10:00:00Z",
        mobile.clone(),
        json!({"order_id": "A-2", "amount": "50.50", "status": "shipped"}),
    );
    ingest(
        store,
        json!([
            status_update,
            order(
                "o1",
                "A-1",
                "100.00",
                "2026-01-01T10:00:00Z",
                mobile.clone()
            )
        ]),
    )
    .await;
    assert_eq!(
        order_attributes(store, a).await.0,
        json!(2),
        "a status update and a duplicate count nothing"
    );
    let b = ingest(
        store,
        json!([order(
            "o5",
            "B-1",
            "9.99",
            "2026-03-01T10:00:00Z",
            json!({"email": "buyer@example.com"})
        )]),
    )
    .await[0]
        .contact_id
        .unwrap();
    let merged = upsert(
        store,
        json!({"mobile": "13800000501", "email": "buyer@example.com"}),
    )
    .await;
    assert_eq!(merged.merged, vec![b]);
    assert_eq!(
        order_attributes(store, a).await,
        (
            json!(3),
            json!("160.49"),
            json!("2026-03-01T10:00:00.000000Z")
        )
    );
    assert_eq!(
        store.order_events(a).await.unwrap().len(),
        5,
        "the merged contact's orders moved"
    );
    let via_event = ingest(
        store,
        json!([order(
            "o6",
            "C-1",
            "1.00",
            "2026-03-02T10:00:00Z",
            json!({"wechat_openid": "oBuyer"})
        )]),
    )
    .await[0]
        .contact_id
        .unwrap();
    ingest(
        store,
        json!([event(
            "o7",
            "wechat_follow",
            "2026-03-03T10:00:00Z",
            json!({"wechat_openid": "oBuyer", "mobile": "13800000501"}),
            json!({})
        )]),
    )
    .await;
    assert!(store.get_contact(via_event).await.unwrap().is_none());
    assert_eq!(
        order_attributes(store, a).await.0,
        json!(4),
        "merges by event identity move orders too"
    );
    assert!(store.delete_contact(a).await.unwrap());
    assert!(
        store.order_events(a).await.unwrap().is_empty(),
        "deleting a contact deletes its orders"
    );
}

pub async fn timeline_pages_in_a_stable_order(store: &dyn Store) {
    let who = json!({"email": "t@example.com"});
    let mut batch = Vec::new();
    for (id, at) in [
        ("t5", "2026-04-01T10:00:00Z"),
        ("t1", "2026-04-02T10:00:00Z"),
        ("t3", "2026-04-02T18:00:00+08:00"),
        ("t2", "2026-04-02T10:00:00Z"),
        ("t4", "2026-04-03T10:00:00Z"),
    ] {
        batch.push(event(id, "email_open", at, who.clone(), json!({})));
    }
    batch.push(event(
        "t6",
        "email_click",
        "2026-04-02T10:00:00Z",
        who.clone(),
        json!({}),
    ));
    let contact_id = ingest(store, Json::Array(batch)).await[0]
        .contact_id
        .unwrap();
    let only_opens = EventFilter {
        events: Some(vec!["email_open".to_owned()]),
        ..EventFilter::default()
    };
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .timeline(
                contact_id,
                &TimelineQuery {
                    filter: only_opens.clone(),
                    limit: 2,
                    cursor,
                },
            )
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|e| e.event_id.clone()));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    // t1, t2 and t3 are the same instant: they keep the order of their ids.
    assert_eq!(seen, ["t4", "t3", "t2", "t1", "t5"]);
    assert_eq!(
        store.count_events(contact_id, &only_opens).await.unwrap(),
        5
    );
    let day = EventFilter {
        from: Some("2026-04-02T00:00:00Z".parse().unwrap()),
        to: Some("2026-04-03T00:00:00Z".parse().unwrap()),
        ..EventFilter::default()
    };
    assert_eq!(store.count_events(contact_id, &day).await.unwrap(), 4);
    let times = store
        .event_times(contact_id, day.from.unwrap(), day.to.unwrap())
        .await
        .unwrap();
    assert_eq!(times.len(), 4);
}

/// An admin may make an order attribute searchable: the values orders compute are then found by
/// search, as they change.
pub async fn searchable_order_attributes_are_found_as_they_change(store: &dyn Store) {
    let patch = AttributePatch {
        searchable: Some(true),
        ..AttributePatch::default()
    };
    store
        .update_attribute("order_amount", &patch)
        .await
        .unwrap();
    let order = |id: &str, order_id: &str, amount: &str| {
        event(
            id,
            "order",
            "2026-03-01T10:00:00Z",
            json!({"mobile": "13800000777"}),
            json!({"order_id": order_id, "amount": amount, "currency": "CNY", "status": "paid"}),
        )
    };
    let first = ingest(store, json!([order("s1", "S-1", "123.45")])).await;
    let buyer = first[0].contact_id.unwrap();
    assert_eq!(found_anywhere(store, "123.45").await, [buyer]);
    ingest(store, json!([order("s2", "S-2", "100.00")])).await;
    assert_eq!(found_anywhere(store, "223.45").await, [buyer]);
    assert!(
        found_anywhere(store, "123.45").await.is_empty(),
        "the old total is gone"
    );
}
