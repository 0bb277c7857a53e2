//! The shared Store conformance suite, on a fresh PostgreSQL database per test.

use panorama_core::Store;
use panorama_store_postgres::testing::TestDatabase;
use std::sync::Arc;

async fn fresh() -> Option<(Arc<dyn Store>, TestDatabase)> {
    let (store, database) = TestDatabase::store().await?;
    Some((Arc::new(store), database))
}

panorama_store_conformance::conformance_suite!(optional fresh);
