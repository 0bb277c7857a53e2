//! The contacts list's search, sort and counts on SQLite: an in-memory index of every contact's
//! searchable text and sort keys, kept right by the `contact_changes` feed (migration 0007).
//!
//! Why in memory: a substring search of every value must answer keywords of one or two
//! characters (Chinese names) and take `%`, `_`, `\` literally; FTS5's trigram index cannot do the
//! first, `LIKE` over a million rows is ~400 ms. A scan of contiguous text buffers answers any
//! keyword in a few milliseconds (ENGINEERING.md, measured).
//!
//! Why it stays right: every write to `contacts`, by any process, appends to the feed in its own
//! transaction (triggers). Before each query the index reads the feed after its cursor and reloads
//! those contacts, in one read transaction; a gap (rows pruned before this index read them), a
//! change of the searchable attributes or a very large backlog means a full build instead.

mod index;
mod load;
mod query;
mod text;

pub(crate) use query::{Selection, in_category, page, scan};

use crate::{SqliteStore, db};
use index::Index;
use panorama_core::Result;
use panorama_core::metadata::{AttributeDef, Schema};
use query::OrderCache;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// Backlogs longer than this many changes are applied by a full build, not one by one.
pub const SEARCH_SYNC_CHANGES_MAX: i64 = 100_000;
/// Contacts decoded at a time while building.
const BUILD_BATCH_CONTACTS: usize = 10_000;
/// Consumed change-feed rows are deleted once this many have accumulated.
pub const SEARCH_PRUNE_CHANGES_MIN: i64 = 50_000;

/// The index and what keeps it current; one per store.
#[derive(Default)]
pub(crate) struct SearchIndex {
    /// Serialises syncs, so two queries never load the same changes twice.
    sync: tokio::sync::Mutex<()>,
    index: Arc<RwLock<Option<Index>>>,
    orders: Arc<OrderCache>,
    /// The feed position up to which rows were pruned.
    pruned: std::sync::atomic::AtomicI64,
}

/// A read-only view of a current index, for one query.
pub(crate) struct Current {
    index: Arc<RwLock<Option<Index>>>,
    orders: Arc<OrderCache>,
}

impl Current {
    /// Run `f` on the index on a blocking thread (scans and sorts are CPU work).
    pub(crate) async fn with<T: Send + 'static>(
        self,
        f: impl FnOnce(&Index, &OrderCache) -> T + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(move || {
            let guard = self
                .index
                .read()
                .map_err(|_| panorama_core::Error::internal("search index lock poisoned"))?;
            let index = guard
                .as_ref()
                .ok_or_else(|| panorama_core::Error::internal("search index not built"))?;
            Ok(f(index, &self.orders))
        })
        .await
        .map_err(panorama_core::Error::internal)?
    }
}

fn searchable(schema: &Schema) -> Vec<AttributeDef> {
    schema
        .attributes()
        .iter()
        .filter(|d| d.searchable)
        .cloned()
        .collect()
}

impl SearchIndex {
    /// The index brought up to date with every committed write, with the sort column of
    /// `sort_attribute` loaded.
    pub(crate) async fn current(
        &self,
        store: &SqliteStore,
        schema: &Schema,
        sort_attribute: &str,
    ) -> Result<Current> {
        let _sync = self.sync.lock().await;
        let fields = searchable(schema);
        let state = {
            let guard = self.read()?;
            guard.as_ref().map(|index| {
                let same = index.fields.len() == fields.len()
                    && index
                        .fields
                        .iter()
                        .zip(&fields)
                        .all(|(a, b)| a.name == b.name);
                (same, index.cursor)
            })
        };
        match state {
            Some((true, cursor)) => self.catch_up(store, fields, cursor).await?,
            _ => self.build(store, fields).await?,
        }
        self.load_sort_column(store, schema, sort_attribute).await?;
        self.prune(store);
        Ok(Current {
            index: self.index.clone(),
            orders: self.orders.clone(),
        })
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Option<Index>>> {
        self.index
            .read()
            .map_err(|_| panorama_core::Error::internal("search index lock poisoned"))
    }

    fn write(&self) -> Result<std::sync::RwLockWriteGuard<'_, Option<Index>>> {
        self.index
            .write()
            .map_err(|_| panorama_core::Error::internal("search index lock poisoned"))
    }

    async fn build(&self, store: &SqliteStore, fields: Vec<AttributeDef>) -> Result<()> {
        let started = std::time::Instant::now();
        let mut connection = store.reader.begin().await.map_err(db)?;
        let cursor = load::feed_end(&mut connection).await?;
        let mut index = Index::new(fields, cursor);
        load::all(&mut connection, BUILD_BATCH_CONTACTS, |entries| {
            let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
            index.apply(&ids, entries);
        })
        .await?;
        connection.commit().await.map_err(db)?;
        tracing::info!(
            contacts = index.live(),
            text_mb = index.text_bytes() / 1_000_000,
            ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        *self.write()? = Some(index);
        Ok(())
    }

    async fn catch_up(
        &self,
        store: &SqliteStore,
        fields: Vec<AttributeDef>,
        cursor: i64,
    ) -> Result<()> {
        let mut connection = store.reader.begin().await.map_err(db)?;
        let changes = load::changes(&mut connection, cursor, SEARCH_SYNC_CHANGES_MAX + 1).await?;
        let Some(&(first, _)) = changes.first() else {
            return Ok(());
        };
        if first != cursor + 1 || changes.len() as i64 > SEARCH_SYNC_CHANGES_MAX {
            drop(connection);
            return self.build(store, fields).await;
        }
        let ids: Vec<Uuid> = changes.iter().map(|(_, id)| *id).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        let entries = load::by_ids(&mut connection, &unique).await?;
        connection.commit().await.map_err(db)?;
        let mut guard = self.write()?;
        if let Some(index) = guard.as_mut() {
            index.apply(&ids, entries);
            index.cursor = changes.last().map_or(cursor, |(seq, _)| *seq);
        }
        Ok(())
    }

    async fn load_sort_column(
        &self,
        store: &SqliteStore,
        schema: &Schema,
        name: &str,
    ) -> Result<()> {
        if matches!(name, "created_at" | "updated_at") {
            return Ok(());
        }
        let Some(def) = schema.get(name) else {
            return Ok(());
        };
        if self
            .read()?
            .as_ref()
            .is_some_and(|i| i.sort_columns.contains_key(name))
        {
            return Ok(());
        }
        let cursor = self.read()?.as_ref().map_or(0, |i| i.cursor);
        let mut connection = store.reader.begin().await.map_err(db)?;
        let values = load::attribute(&mut connection, name).await?;
        connection.commit().await.map_err(db)?;
        if let Some(index) = self.write()?.as_mut() {
            index.set_sort_column(def.clone(), values);
        }
        // The column may be newer than the index: catching up again re-applies those changes.
        self.catch_up(store, searchable(schema), cursor).await
    }

    /// Delete consumed feed rows now and then, off the query's path.
    fn prune(&self, store: &SqliteStore) {
        use std::sync::atomic::Ordering;
        let Ok(guard) = self.read() else { return };
        let Some(cursor) = guard.as_ref().map(|i| i.cursor) else {
            return;
        };
        if cursor - self.pruned.load(Ordering::Relaxed) < SEARCH_PRUNE_CHANGES_MIN {
            return;
        }
        self.pruned.store(cursor, Ordering::Relaxed);
        let writer = store.writer.clone();
        tokio::spawn(async move {
            let deleted = sqlx::query("DELETE FROM contact_changes WHERE seq <= $1")
                .bind(cursor)
                .execute(&writer)
                .await;
            if let Err(error) = deleted {
                tracing::warn!(%error, "pruning the contact change feed");
            }
        });
    }
}
