//! Keeping the index current: a full build, catching up with the change feed, loading a sort
//! column, and pruning the feed. Every read of the database here is one read transaction, so the
//! feed position and the rows read agree.

use super::index::{Entry, Index};
use super::{
    BUILD_BATCH_CONTACTS, SEARCH_PRUNE_CHANGES_MIN, SEARCH_SYNC_CHANGES_MAX, SORT_COLUMNS_MAX,
    SearchIndex, Snapshot, Source,
};
use panorama_core::metadata::{AttributeDef, Schema};
use panorama_core::{Error, Result};
use uuid::Uuid;

/// Feed rows deleted per statement while pruning.
const PRUNE_ROWS_PER_STATEMENT: usize = 10_000;

impl SearchIndex {
    /// Read every contact into a new index and install it.
    pub(super) async fn build(&self, store: &impl Source, fields: Vec<AttributeDef>) -> Result<()> {
        let started = std::time::Instant::now();
        // The sort columns loaded so far are loaded again, so a list sorted by one never finds
        // it missing after a build.
        let columns: Vec<AttributeDef> = self.read()?.as_ref().map_or_else(Vec::new, |index| {
            index
                .sort_columns
                .values()
                .map(|(def, _, _)| def.clone())
                .collect()
        });
        let mut snapshot = store.snapshot().await?;
        let cursor = snapshot.feed_end().await?;
        let mut index = Index::new(fields, cursor);
        let mut batch = Vec::with_capacity(BUILD_BATCH_CONTACTS);
        let apply = |index: &mut Index, batch: &mut Vec<Entry>| {
            let entries = std::mem::replace(batch, Vec::with_capacity(BUILD_BATCH_CONTACTS));
            let ids: Vec<Uuid> = entries.iter().map(|e| e.slot.id).collect();
            index.apply(&ids, entries);
        };
        snapshot
            .all(&mut |entry| {
                batch.push(entry);
                if batch.len() == BUILD_BATCH_CONTACTS {
                    apply(&mut index, &mut batch);
                }
            })
            .await?;
        apply(&mut index, &mut batch);
        for def in columns {
            let values = snapshot.attribute(def.name.as_str()).await?;
            index.set_sort_column(def, values, SORT_COLUMNS_MAX);
        }
        snapshot.finish().await?;
        tracing::info!(
            contacts = index.live(),
            text_mb = index.text_bytes() / 1_000_000,
            gram_mb = index.gram_bytes() / 1_000_000,
            ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        *self.write()? = Some(index);
        Ok(())
    }

    /// Apply the feed after `cursor`; build instead when rows this index never read are gone
    /// (pruned by another process) or the backlog is large.
    pub(super) async fn catch_up(
        &self,
        store: &impl Source,
        fields: &[AttributeDef],
        cursor: i64,
    ) -> Result<()> {
        let mut snapshot = store.snapshot().await?;
        let changes = snapshot
            .changes(cursor, SEARCH_SYNC_CHANGES_MAX + 1)
            .await?;
        let complete = match changes.first() {
            Some(&(first, _)) => first == cursor + 1,
            // No rows after the cursor: current only if the feed also ends there.
            None => snapshot.feed_end().await? == cursor,
        };
        if !complete || changes.len() as i64 > SEARCH_SYNC_CHANGES_MAX {
            snapshot.finish().await?;
            return self.build(store, fields.to_vec()).await;
        }
        if changes.is_empty() {
            return snapshot.finish().await;
        }
        let ids: Vec<Uuid> = changes.iter().map(|(_, id)| *id).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        let entries = snapshot.by_ids(&unique).await?;
        snapshot.finish().await?;
        let mut guard = self.write()?;
        if let Some(index) = guard.as_mut() {
            index.apply(&ids, entries);
            index.cursor = changes.last().map_or(cursor, |(seq, _)| *seq);
        }
        Ok(())
    }

    /// Make sure the sort keys of `name` are loaded (and of its current type), then catch up, as
    /// the column may be newer than the index. A build during that catch-up drops every column,
    /// so this repeats until the column is there.
    pub(super) async fn load_sort_column(
        &self,
        store: &impl Source,
        schema: &Schema,
        fields: &[AttributeDef],
        name: &str,
    ) -> Result<()> {
        if matches!(name, "created_at" | "updated_at") {
            return Ok(());
        }
        let Some(def) = schema.get(name) else {
            return Ok(());
        };
        for _ in 0..3 {
            let loaded = self.read()?.as_ref().is_some_and(|index| {
                index
                    .sort_columns
                    .get(name)
                    .is_some_and(|(d, _, _)| d.attribute_type == def.attribute_type)
            });
            if loaded {
                return Ok(());
            }
            let cursor = self.read()?.as_ref().map_or(0, |i| i.cursor);
            let mut snapshot = store.snapshot().await?;
            let values = snapshot.attribute(name).await?;
            snapshot.finish().await?;
            if let Some(index) = self.write()?.as_mut() {
                index.set_sort_column(def.clone(), values, SORT_COLUMNS_MAX);
            }
            self.catch_up(store, fields, cursor).await?;
        }
        Err(Error::internal(format!(
            "the sort keys of `{name}` could not be loaded: the contacts change too fast"
        )))
    }

    /// Delete feed rows this index has read, keeping the last [`SEARCH_PRUNE_CHANGES_MIN`] for
    /// other processes that read behind it (one further behind finds a gap and builds), off the
    /// query's path.
    pub(super) fn prune(&self, store: &impl Source) {
        use std::sync::atomic::Ordering;
        let Ok(guard) = self.read() else { return };
        let Some(cursor) = guard.as_ref().map(|i| i.cursor) else {
            return;
        };
        let upto = cursor - SEARCH_PRUNE_CHANGES_MIN;
        let from = self.pruned.load(Ordering::Relaxed);
        if upto - from < SEARCH_PRUNE_CHANGES_MIN {
            return;
        }
        self.pruned.store(upto, Ordering::Relaxed);
        // Built now, run later: each statement deletes a range, so other writers wait
        // milliseconds, not seconds.
        let steps: Vec<_> = (from..upto)
            .step_by(PRUNE_ROWS_PER_STATEMENT)
            .map(|low| store.delete_changes(low, (low + PRUNE_ROWS_PER_STATEMENT as i64).min(upto)))
            .collect();
        tokio::spawn(async move {
            for step in steps {
                if let Err(error) = step.await {
                    tracing::warn!(%error, "pruning the contact change feed");
                    return;
                }
            }
        });
    }
}
