//! The one place that turns a database URL into a store.

use anyhow::{Context, bail};
use panorama_core::Store;
use panorama_store_postgres::PostgresStore;
use panorama_store_sqlite::SqliteStore;
use std::sync::Arc;

/// Open the store named by `url` and bring its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = if url.starts_with("sqlite:") {
        Arc::new(
            SqliteStore::open(url)
                .await
                .with_context(|| format!("opening {url}"))?,
        )
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Arc::new(
            PostgresStore::open(url)
                .await
                .with_context(|| format!("opening {url}"))?,
        )
    } else {
        bail!(
            "unsupported database URL `{url}`: expected sqlite://FILE or postgres://HOST/DATABASE"
        )
    };
    store
        .migrate()
        .await
        .with_context(|| format!("migrating {url}"))?;
    Ok(store)
}
