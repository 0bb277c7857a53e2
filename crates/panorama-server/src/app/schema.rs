//! The attribute definitions in force ([`Schema`]), read once and shared by every request of this
//! server as an `Arc<Schema>` (`AppState::schema`), instead of once per page, list call and check.
//!
//! Kept at most `schema_cache_seconds` (a setting): another server on the same database may
//! change metadata, and this one sees it that long after at the latest. Changes made through this
//! server drop it at once: they all go through `app::metadata` / `app::event_definitions`, the
//! only callers of [`SchemaCache::invalidate`] (and `tests/layers.rs` refuses a metadata write
//! anywhere else). A load that began before a change is not kept: every change bumps a
//! generation, and a load keeps its answer only if the generation did not move meanwhile.

use panorama_core::metadata::Schema;
use panorama_core::{Result, Store};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The schema as last read, shared by the clones of the application state.
#[derive(Debug)]
pub struct SchemaCache {
    max_age: Duration,
    kept: Mutex<Option<Kept>>,
    /// Bumped by every metadata change of this server.
    generation: AtomicU64,
    /// Reads of the definitions from the store, for tests and logs.
    loads: AtomicU64,
}

#[derive(Debug)]
struct Kept {
    schema: Arc<Schema>,
    read_at: Instant,
    generation: u64,
}

impl SchemaCache {
    /// A cache keeping what it reads for `max_age` (zero reads the store every time).
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            kept: Mutex::new(None),
            generation: AtomicU64::new(0),
            loads: AtomicU64::new(0),
        }
    }

    /// The definitions in force: as kept if young enough, else read from `store` (and kept).
    pub async fn get(&self, store: &dyn Store) -> Result<Arc<Schema>> {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(kept) = self.slot().as_ref()
            && kept.generation == generation
            && kept.read_at.elapsed() < self.max_age
        {
            return Ok(kept.schema.clone());
        }
        self.load(store, generation).await
    }

    /// The definitions read now, whatever is kept: for the checks of a metadata change, which
    /// must see what is in force (the answer is kept for the requests after).
    pub async fn fresh(&self, store: &dyn Store) -> Result<Arc<Schema>> {
        let generation = self.generation.load(Ordering::Acquire);
        self.load(store, generation).await
    }

    /// How many times the definitions were read from the store.
    pub fn loads(&self) -> u64 {
        self.loads.load(Ordering::Relaxed)
    }

    /// Forget the kept definitions: metadata changed (or may have). Only the metadata use cases
    /// call this, after their store write, whatever its answer (a failed write may still have
    /// committed).
    pub(in crate::app) fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.slot() = None;
    }

    async fn load(&self, store: &dyn Store, generation: u64) -> Result<Arc<Schema>> {
        self.loads.fetch_add(1, Ordering::Relaxed);
        let schema = Arc::new(Schema::new(store.list_attributes().await?));
        let mut slot = self.slot();
        // A change since the load began may not be in what it read: keep nothing then.
        if self.generation.load(Ordering::Acquire) == generation {
            *slot = Some(Kept {
                schema: schema.clone(),
                read_at: Instant::now(),
                generation,
            });
        }
        Ok(schema)
    }

    /// The kept definitions. A panic while holding the lock leaves a whole value (only plain
    /// assignments happen under it), so a poisoned lock is used as it is.
    fn slot(&self) -> MutexGuard<'_, Option<Kept>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept_generation(cache: &SchemaCache) -> Option<u64> {
        cache.slot().as_ref().map(|kept| kept.generation)
    }

    #[test]
    fn a_change_drops_what_is_kept_and_outdates_loads_in_flight() {
        let cache = SchemaCache::new(Duration::from_secs(60));
        *cache.slot() = Some(Kept {
            schema: Arc::new(Schema::new(Vec::new())),
            read_at: Instant::now(),
            generation: 0,
        });
        assert_eq!(kept_generation(&cache), Some(0));
        cache.invalidate();
        assert_eq!(kept_generation(&cache), None);
        // A load that started at generation 0 finds 1 and would keep nothing.
        assert_eq!(cache.generation.load(Ordering::Acquire), 1);
    }
}
