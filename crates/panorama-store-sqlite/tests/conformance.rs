//! The shared Store conformance suite, on a fresh SQLite file per test.

use panorama_core::Store;
use panorama_core::store::MetadataStore;
use panorama_store_sqlite::SqliteStore;
use std::sync::Arc;

async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!(
        "sqlite://{}",
        directory.path().join("panorama.db").display()
    );
    let store = SqliteStore::open(&url).await.expect("the store opens");
    store.migrate().await.expect("migrations run");
    (Arc::new(store), directory)
}

panorama_store_conformance::conformance_suite!(fresh);
