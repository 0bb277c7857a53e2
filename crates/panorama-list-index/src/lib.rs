//! The contacts list's search, sort and counts, for both stores: an in-memory index of every
//! contact's searchable text and sort keys, kept right by the store's `contact_changes` feed
//! (SQLite migration 0007, PostgreSQL migration 0003), read through [`Source`].
//!
//! Why in memory: a substring search of every value must answer keywords of one or two
//! characters (Chinese names) and take `%`, `_`, `\` literally, with an exact total however many
//! contacts match; trigram indexes (SQLite's FTS5, PostgreSQL's `pg_trgm`) cannot do the first,
//! and counting a dense keyword through them reads every matching row (~400 ms at a million).
//! Postings of every one- and two-character gram (`grams.rs`) answer short keywords at once and
//! narrow longer ones to a few texts to check (`text.rs`): a few milliseconds at a million
//! contacts (`panorama bench list`).
//!
//! Why it stays right: every write to `contacts`, by any process or server, appends to the feed
//! in its own transaction (triggers). Before each query the index reads the feed after its cursor
//! and reloads those contacts, in one read transaction; a gap (rows pruned before this index read
//! them), a change of the searchable attributes or a very large backlog means a full build
//! instead.

mod grams;
mod index;
mod list;
mod matching;
mod query;
mod source;
mod sync;
#[cfg(test)]
mod tests;
mod text;

pub use index::{Entry, EntryRow, Slot};
pub use source::{Snapshot, Source};

use index::Index;
use panorama_core::Result;
use panorama_core::metadata::{AttributeDef, Schema};
use query::OrderCache;
use std::sync::{Arc, RwLock};

/// Backlogs longer than this many changes are applied by a full build, not one by one.
pub const SEARCH_SYNC_CHANGES_MAX: i64 = 100_000;
/// Contacts decoded at a time while building.
const BUILD_BATCH_CONTACTS: usize = 10_000;
/// Deleted contacts' slots tolerated (or a quarter of the live ones) before a build compacts them.
const DEAD_SLOTS_MAX: usize = 100_000;
/// Sort columns kept loaded at once (each is a value per contact).
const SORT_COLUMNS_MAX: usize = 4;
/// Consumed change-feed rows are deleted once this many have accumulated.
pub const SEARCH_PRUNE_CHANGES_MIN: i64 = 50_000;

/// The index and what keeps it current; one per store.
#[derive(Default)]
pub struct SearchIndex {
    /// Serialises syncs, so two queries never load the same changes twice.
    sync: tokio::sync::Mutex<()>,
    index: Arc<RwLock<Option<Index>>>,
    orders: Arc<OrderCache>,
    /// The feed position up to which rows were pruned.
    pruned: std::sync::atomic::AtomicI64,
}

/// A read-only view of a current index, for one query.
struct Current {
    index: Arc<RwLock<Option<Index>>>,
    orders: Arc<OrderCache>,
}

impl Current {
    /// Run `f` on the index on a blocking thread (scans and sorts are CPU work).
    async fn with<T: Send + 'static>(
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
    async fn current<S: Source>(
        &self,
        store: &S,
        schema: &Schema,
        sort_attribute: &str,
    ) -> Result<Current> {
        let _sync = self.sync.lock().await;
        let fields = searchable(schema);
        let state = {
            let guard = self.read()?;
            guard.as_ref().map(|index| {
                // Same names and types: a re-created attribute of another type means new texts.
                let same = index.fields.len() == fields.len()
                    && index
                        .fields
                        .iter()
                        .zip(&fields)
                        .all(|(a, b)| a.name == b.name && a.attribute_type == b.attribute_type);
                let dead = index.slots.len() - index.live();
                (
                    same && dead <= DEAD_SLOTS_MAX.max(index.live() / 4),
                    index.cursor,
                )
            })
        };
        match state {
            Some((true, cursor)) => self.catch_up(store, &fields, cursor).await?,
            _ => self.build(store, fields.clone()).await?,
        }
        self.load_sort_column(store, schema, &fields, sort_attribute)
            .await?;
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
}
