//! Migrations on a shared database: idempotent, and safe when several servers start at once.

use panorama_core::store::MetadataStore;
use panorama_store_postgres::PostgresStore;
use panorama_store_postgres::testing::TestDatabase;

#[tokio::test]
async fn servers_starting_together_migrate_once_and_all_start() {
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let mut stores = Vec::new();
    for _ in 0..4 {
        stores.push(
            PostgresStore::open(&database.url)
                .await
                .expect("the store opens"),
        );
    }
    // Four servers migrate the same empty database at the same moment.
    let results = futures_util::future::join_all(stores.iter().map(|s| s.migrate())).await;
    for result in results {
        result.expect("every server's migration succeeds");
    }
    // And again, as on every later start: nothing left to do, nothing doubled.
    stores[0]
        .migrate()
        .await
        .expect("a second migration is a no-op");
    let attributes = stores[1].list_attributes().await.expect("attributes");
    let mut names: Vec<&str> = attributes.iter().map(|a| a.name.as_str()).collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "presets installed once each");
    assert!(names.contains(&"mobile"), "{names:?}");
    let definitions = stores[2]
        .list_event_definitions()
        .await
        .expect("event definitions");
    let mut keys: Vec<&str> = definitions.iter().map(|d| d.key.as_str()).collect();
    let count = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), count, "preset events installed once each");
    for store in &stores {
        store.close().await;
    }
}

#[tokio::test]
async fn a_missing_database_is_created_on_open() {
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    // A sibling name on the same server that does not exist yet.
    let url = database
        .url
        .replacen("panorama_test_", "panorama_test_new_", 1);
    let store = PostgresStore::open(&url)
        .await
        .expect("the database is created");
    store.migrate().await.expect("and migrated");
    assert!(
        !store
            .list_attributes()
            .await
            .expect("attributes")
            .is_empty()
    );
    store.close().await;
    // Drop it from the test's own database, which the guard drops in turn.
    let name = url.rsplit('/').next().expect("a database name").to_owned();
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
        .await
        .expect("connect to drop");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .expect("dropped");
}
