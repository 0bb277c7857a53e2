//! The contacts list on several servers sharing one database: each holds its own in-memory index,
//! kept current from the `contact_changes` feed (migration 0003). A server's list shows what
//! another server wrote, and what a plain SQL client wrote; a rolled-back write leaves no gap in
//! the feed (a gap would make every index rebuild). Skipped without PostgreSQL outside CI.

#![allow(clippy::unwrap_used)]

use panorama_core::contact::{Category, ContactRecord, Search, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactListQuery, ContactStore, MetadataStore};
use panorama_core::value::ParseOptions;
use panorama_store_postgres::PostgresStore;
use panorama_store_postgres::testing::TestDatabase;
use serde_json::json;
use sqlx::Connection;

/// The total and the names of a search for `keyword` in any field, as `store` lists them.
async fn search(store: &PostgresStore, keyword: &str) -> (u64, Vec<String>) {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let mut query = ContactListQuery::category(Category::All, 50);
    query.search = Search::parse(&schema, None, Some(keyword)).unwrap();
    let page = store.list_contacts(query).await.unwrap();
    let mut names: Vec<String> = page
        .items
        .iter()
        .map(|c| c.attributes["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    (page.total, names)
}

async fn write(
    store: &PostgresStore,
    rows: &[(&str, &str)],
) -> Vec<panorama_core::contact::ContactId> {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let records: Vec<ContactRecord> = rows
        .iter()
        .map(|(name, email)| {
            let map = json!({"name": name, "email": email});
            let map = map.as_object().cloned().unwrap_or_default();
            ContactRecord::from_json(&schema, &map, ParseOptions::default()).unwrap()
        })
        .collect();
    let outcomes = store
        .upsert_contacts(&records, &WriteContext::now("test"))
        .await
        .unwrap();
    outcomes.iter().map(|o| o.contact.contact_id).collect()
}

/// `(count, max seq)` of the feed rows: equal when their numbers have no gap.
async fn feed(connection: &mut sqlx::PgConnection) -> (i64, i64) {
    sqlx::query_as("SELECT count(*), coalesce(max(seq), 0) FROM contact_changes")
        .fetch_one(connection)
        .await
        .unwrap()
}

#[tokio::test]
async fn each_server_lists_what_the_others_wrote() {
    let Some((reader, database)) = TestDatabase::store().await else {
        return;
    };
    let writer = PostgresStore::open(&database.url).await.unwrap();
    // The reader's index is built before the writes it must then catch up with.
    assert_eq!(search(&reader, "王").await, (0, vec![]));

    let ids = write(
        &writer,
        &[("王伟", "a@example.com"), ("王芳", "b@example.com")],
    )
    .await;
    write(&writer, &[("Anna", "c@example.com")]).await;
    assert_eq!(
        search(&reader, "王").await,
        (2, vec!["王伟".to_owned(), "王芳".to_owned()])
    );

    writer.delete_contact(ids[0]).await.unwrap();
    assert_eq!(search(&reader, "王").await, (1, vec!["王芳".to_owned()]));

    // A client that is not Panorama (no write lock taken first): the feed's trigger takes it.
    let mut sql = sqlx::PgConnection::connect(&database.url).await.unwrap();
    sqlx::query(
        "UPDATE contacts SET attributes = jsonb_set(attributes, '{name}', '\"王小明\"')
         WHERE attributes ->> 'name' = 'Anna'",
    )
    .execute(&mut sql)
    .await
    .unwrap();
    assert_eq!(
        search(&reader, "王").await,
        (2, vec!["王小明".to_owned(), "王芳".to_owned()])
    );
    assert_eq!(search(&reader, "anna").await, (0, vec![]));
}

#[tokio::test]
async fn a_rolled_back_write_leaves_no_gap_in_the_feed() {
    let Some((store, database)) = TestDatabase::store().await else {
        return;
    };
    write(&store, &[("王伟", "a@example.com")]).await;
    let mut sql = sqlx::PgConnection::connect(&database.url).await.unwrap();
    let (count, end) = feed(&mut sql).await;
    assert_eq!((count, end), (1, 1));

    let mut tx = sql.begin().await.unwrap();
    sqlx::query("UPDATE contacts SET updated_at = updated_at + 1")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    write(
        &store,
        &[("李娜", "b@example.com"), ("Zoe", "c@example.com")],
    )
    .await;

    assert_eq!(feed(&mut sql).await, (3, 3));
    assert_eq!(search(&store, "李").await, (1, vec!["李娜".to_owned()]));
}

#[tokio::test]
async fn a_feed_pruned_behind_an_index_means_a_build_not_a_stale_answer() {
    let Some((reader, database)) = TestDatabase::store().await else {
        return;
    };
    let writer = PostgresStore::open(&database.url).await.unwrap();
    write(
        &writer,
        &[("王一", "1@example.com"), ("王二", "2@example.com")],
    )
    .await;
    assert_eq!(search(&reader, "王").await.0, 2);

    write(&writer, &[("王三", "3@example.com")]).await;
    // Another server pruned the rows this index has not read yet (here: every row).
    let mut sql = sqlx::PgConnection::connect(&database.url).await.unwrap();
    sqlx::query("DELETE FROM contact_changes")
        .execute(&mut sql)
        .await
        .unwrap();
    assert_eq!(search(&reader, "王").await.0, 3);

    // Numbering goes on after the pruned rows, so the index follows the feed again.
    write(&writer, &[("王四", "4@example.com")]).await;
    assert_eq!(feed(&mut sql).await, (1, 4));
    assert_eq!(
        search(&reader, "王").await,
        (
            4,
            ["王一", "王三", "王二", "王四"].map(str::to_owned).to_vec()
        )
    );
}
