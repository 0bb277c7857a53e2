//! Two stores on one SQLite file, as a server and `panorama import` are: the list of one sees the
//! other's writes at once, and still does after the change feed was pruned behind its back.

use panorama_core::contact::{Category, ContactRecord, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactListQuery, ContactStore, MetadataStore};
use panorama_core::value::ParseOptions;
use panorama_store_sqlite::SqliteStore;
use serde_json::json;

async fn write(store: &SqliteStore, mobiles: std::ops::Range<u64>) {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let records: Vec<ContactRecord> = mobiles
        .map(|n| {
            let map = json!({"mobile": format!("+86138{:08}", n), "name": format!("王{n}")});
            ContactRecord::from_json(
                &schema,
                map.as_object().expect("object"),
                ParseOptions::default(),
            )
            .expect("a valid record")
        })
        .collect();
    store
        .upsert_contacts(&records, &WriteContext::now("test"))
        .await
        .expect("written");
}

async fn total(store: &SqliteStore, keyword: &str) -> u64 {
    let search = panorama_core::contact::Search::parse(
        &Schema::new(store.list_attributes().await.expect("attributes")),
        Some("name"),
        Some(keyword),
    )
    .expect("a search");
    let query = ContactListQuery {
        search,
        ..ContactListQuery::category(Category::All, 10)
    };
    store.list_contact_ids(query).await.expect("listed").total
}

#[tokio::test]
async fn the_list_sees_another_process_writes_even_after_a_prune() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", directory.path().join("p.db").display());
    let server = SqliteStore::open(&url).await.expect("opens");
    server.migrate().await.expect("migrates");
    let other = SqliteStore::open(&url).await.expect("opens again");
    write(&other, 0..3).await;
    assert_eq!(
        total(&server, "王").await,
        3,
        "the other store's writes show"
    );
    write(&other, 3..5).await;
    // Another process pruned the feed rows this index has not read yet.
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("raw connection");
    sqlx::query("DELETE FROM contact_changes")
        .execute(&pool)
        .await
        .expect("pruned");
    pool.close().await;
    assert_eq!(
        total(&server, "王").await,
        5,
        "a gap means a build, not a stale answer"
    );
    assert_eq!(total(&server, "王4").await, 1);
    write(&other, 5..6).await;
    assert_eq!(
        total(&server, "王").await,
        6,
        "and the feed is followed again"
    );
    let overview = server
        .overview(jiff::Timestamp::now())
        .await
        .expect("overview");
    assert_eq!(overview.all, 6);
}
