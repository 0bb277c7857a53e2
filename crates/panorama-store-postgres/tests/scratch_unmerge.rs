//! TEMPORARY scratch test (to delete): fans and follower labels through a merge and its undo.
#![allow(clippy::unwrap_used)]
use panorama_core::Store;
use panorama_core::contact::WriteContext;
use panorama_core::label::NewFan;
use panorama_store_conformance::{ingest, upsert};
use panorama_store_postgres::testing::TestDatabase;
use serde_json::json;
use sqlx::Connection;

#[tokio::test]
async fn fans_come_back() {
    let Some((store, database)) = TestDatabase::store().await else { return; };
    let store: &dyn Store = &store;
    store.save_wechat_account("wxshop00000000001", "Shop").await.unwrap();
    store.save_wechat_account("wxnews00000000002", "News").await.unwrap();
    let a = upsert(store, json!({"mobile": "13800000701", "name": "A"})).await.contact;
    let b = upsert(store, json!({"email": "b@example.com", "name": "B"})).await.contact;
    let fan = |o: &str| NewFan { openid: o.into(), following: true };
    store.save_fan(a.contact_id, "wxshop00000000001", &fan("oA")).await.unwrap();
    store.save_fan(b.contact_id, "wxnews00000000002", &fan("oB")).await.unwrap();
    let label = store.create_follower_label("wxnews00000000002", "vip").await.unwrap();
    let ctx = WriteContext::now("test");
    store.add_follower_label(b.contact_id, label.label_id, &ctx).await.unwrap();
    ingest(store, json!([{"event_id": "e1", "event": "page_view", "occurred_at": "2026-01-01T00:00:00Z",
        "identity": {"email": "b@example.com"}, "properties": {}}])).await;
    let merged = upsert(store, json!({"mobile": "13800000701", "email": "b@example.com"})).await;
    assert_eq!(merged.merged, vec![b.contact_id]);
    let fans_a: Vec<String> = store.contact_fans(a.contact_id).await.unwrap().into_iter().map(|f| f.app_id).collect();
    println!("after merge A fans {fans_a:?}");
    let id = store.contact_events(a.contact_id, 100).await.unwrap().into_iter()
        .find(|e| e.event == "user_merged").unwrap().event_id;
    let outcome = store.undo_merge(&id, &WriteContext::now("test")).await.unwrap();
    println!("restored {:?}", outcome.restored.attributes);
    let fa = store.contact_fans(a.contact_id).await.unwrap();
    let fb = store.contact_fans(b.contact_id).await.unwrap();
    println!("A {fa:?}\nB {fb:?}");
    assert_eq!(fa.len(), 1);
    assert_eq!(fb.len(), 1);
    assert_eq!(fb[0].labels.len(), 1);
    assert_eq!(store.follower_labels("wxnews00000000002").await.unwrap()[0].fans, 1);
    let mut c = sqlx::PgConnection::connect(&database.url).await.unwrap();
    let bad: i64 = sqlx::query_scalar("SELECT count(*) FROM events e FULL JOIN event_ids i USING (event_id) WHERE e.contact_id IS DISTINCT FROM i.contact_id").fetch_one(&mut c).await.unwrap();
    assert_eq!(bad, 0, "event_ids follow events");
    let row: (serde_json::Value,) = sqlx::query_as("SELECT owned_rows FROM merges").fetch_one(&mut c).await.unwrap();
    println!("{}", row.0);
}
