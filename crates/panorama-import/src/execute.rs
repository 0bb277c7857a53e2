//! Running an import: a blocking thread reads and converts rows into batches while the async side
//! writes each batch in one store transaction, so parsing and writing overlap on two cores.
//!
//! Each batch is one transaction: a run stopped at any point (crash, kill, power loss) leaves
//! every row applied or not, and running the same file again converges to the state of one run.
//! Labels are added to a batch's contacts right after it, in their own transaction; a run
//! stopped between the two leaves those contacts unlabelled until the file is run again.

use crate::purpose::Purpose;
use crate::report::{ImportCounts, ImportObserver, ImportReport, Progress};
use crate::run::{Batch, Prepared, keep_errors, tally_read};
use panorama_core::contact::{ContactId, KeyValue, WriteContext};
use panorama_core::label::LabelId;
use panorama_core::{Error, Result, Store, codes};
use std::sync::Arc;

/// Batches read ahead of the writer: enough to keep both cores busy, few enough to keep memory flat.
pub const BATCHES_AHEAD_MAX: usize = 1;

/// Run a prepared import against `store`. `rows_total` (from [`Prepared::scan`]) lets progress
/// show how far along the run is. After each batch, `observer` hears of its rejected rows and
/// the progress so far (a job records them through it).
pub async fn execute(
    prepared: Prepared,
    store: Arc<dyn Store>,
    context: WriteContext,
    rows_total: Option<u64>,
    observer: &mut dyn ImportObserver,
) -> Result<ImportReport> {
    let purpose = prepared.options().purpose();
    let labels = resolve_labels(store.as_ref(), &prepared.options().labels).await?;
    let mut report = ImportReport {
        sheets_ignored: prepared.sheets_ignored(),
        dropped_columns: prepared.dropped_columns(),
        ..ImportReport::default()
    };
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Batch>(BATCHES_AHEAD_MAX);
    let mut prepared = prepared;
    let reading = tokio::task::spawn_blocking(move || {
        prepared.read_all(|batch| {
            sender
                .blocking_send(batch)
                .map_err(|_| Error::internal("the import writer stopped"))
        })
    });
    let mut rows_done = 0;
    while let Some(batch) = receiver.recv().await {
        let touched = apply(
            store.as_ref(),
            purpose,
            &batch,
            &context,
            &mut report.counts,
        )
        .await?;
        for label in &labels {
            store.add_label(*label, &touched, &context).await?;
        }
        tally_read(&mut report.counts, &batch);
        keep_errors(&mut report.errors, &batch.rejected);
        let listed = batch.listed();
        listed.iter().for_each(|row| observer.rejected(row));
        rows_done += batch.rows;
        observer.progress(&Progress {
            rows_done,
            rows_total,
            counts: report.counts,
        });
        // Freeing a batch's thousands of small values is work the writer need not wait for.
        tokio::task::spawn_blocking(move || drop(batch));
    }
    reading
        .await
        .map_err(|e| Error::internal(format!("the import reader failed: {e}")))??;
    Ok(report)
}

/// The labels an import adds, by name or `group/name` path; an unknown one refuses the import
/// before anything is written.
pub async fn resolve_labels(store: &dyn Store, names: &[String]) -> Result<Vec<LabelId>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let catalog = store.label_catalog().await?;
    names
        .iter()
        .map(|name| {
            catalog
                .find(name)
                .map(|label| label.label_id)
                .ok_or_else(|| {
                    Error::invalid(
                        codes::NOT_FOUND,
                        "no label has this name: create it on the labels page first",
                        "label",
                        name,
                    )
                })
        })
        .collect()
}

/// Apply one batch; returns the contacts an upsert wrote or matched, for the labels.
async fn apply(
    store: &dyn Store,
    purpose: Purpose,
    batch: &Batch,
    context: &WriteContext,
    counts: &mut ImportCounts,
) -> Result<Vec<ContactId>> {
    if batch.records.is_empty() {
        return Ok(Vec::new());
    }
    let fresh = |index: usize| !batch.duplicate.get(index).copied().unwrap_or(false);
    match purpose {
        Purpose::Upsert => {
            let outcomes = store.upsert_contacts(&batch.records, context).await?;
            for (index, (outcome, record)) in outcomes.iter().zip(&batch.records).enumerate() {
                if fresh(index) {
                    counts.add_action(outcome.action);
                }
                let kept = record
                    .consent_kept
                    .iter()
                    .any(|c| !outcome.contact.subscription.channel(*c).subscribed);
                counts.consent_kept += u64::from(kept);
            }
            // A contact merged away later in the batch is no longer there to label.
            let merged: Vec<ContactId> = outcomes
                .iter()
                .flat_map(|o| o.merged.iter().copied())
                .collect();
            let mut touched: Vec<ContactId> = outcomes
                .iter()
                .map(|o| o.contact.contact_id)
                .filter(|id| !merged.contains(id))
                .collect();
            touched.sort_unstable();
            touched.dedup();
            Ok(touched)
        }
        Purpose::Delete => {
            let found = store.delete_contacts_by_keys(&keys(batch)).await?;
            for (_, found) in found.into_iter().enumerate().filter(|(i, _)| fresh(*i)) {
                *if found {
                    &mut counts.deleted
                } else {
                    &mut counts.not_found
                } += 1;
            }
            Ok(Vec::new())
        }
        Purpose::UnsubscribeEmail | Purpose::UnsubscribeMobile | Purpose::UnsubscribeGlobal => {
            let channel = purpose
                .channel()
                .ok_or_else(|| Error::internal("an unsubscribe purpose without a channel"))?;
            let results = store
                .unsubscribe_contacts(&keys(batch), channel, context)
                .await?;
            for (_, result) in results.into_iter().enumerate().filter(|(i, _)| fresh(*i)) {
                *if result.is_some() {
                    &mut counts.unsubscribed
                } else {
                    &mut counts.not_found
                } += 1;
            }
            Ok(Vec::new())
        }
    }
}

fn keys(batch: &Batch) -> Vec<Vec<KeyValue>> {
    batch.records.iter().map(|r| r.keys.clone()).collect()
}
