//! The import pipeline against a real SQLite store: counts, purposes, consent, duplicates, empty
//! cells, rejected rows, and files that must write nothing.

#![allow(clippy::unwrap_used, missing_docs)]

mod bounds;
mod consent;
mod counts;
mod refusals;
mod repeats;

use panorama_core::Store;
use panorama_core::contact::{Contact, KeyValue, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::store::MetadataStore;
use panorama_import::{ImportOptions, ImportReport, Purpose, Quiet, execute, prepare};
use panorama_store_sqlite::SqliteStore;
use std::path::PathBuf;
use std::sync::Arc;

/// A fresh store and a folder for files.
pub struct Bench {
    pub store: Arc<dyn Store>,
    pub dir: tempfile::TempDir,
}

impl Bench {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("import.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        store.migrate().await.unwrap();
        Self {
            store: Arc::new(store),
            dir,
        }
    }

    /// Write a UTF-8 CSV file.
    pub fn csv(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Import `path` with `options`, or return the error that refused it.
    pub async fn try_import(
        &self,
        path: &std::path::Path,
        options: &ImportOptions,
    ) -> panorama_core::Result<ImportReport> {
        self.import_holding(path, options, panorama_import::SEEN_KEYS_IN_MEMORY_MAX)
            .await
    }

    /// Import `path` holding at most `keys` key fingerprints in memory.
    pub async fn import_holding(
        &self,
        path: &std::path::Path,
        options: &ImportOptions,
        keys: usize,
    ) -> panorama_core::Result<ImportReport> {
        let schema = Schema::new(self.store.list_attributes().await?);
        let mut prepared = prepare(path, &schema, options)?;
        prepared.set_seen_keys_max(keys);
        let total = prepared.scan()?;
        execute(
            prepared,
            self.store.clone(),
            WriteContext::now("import"),
            total,
            &mut Quiet,
        )
        .await
    }

    /// Import CSV text with `purpose`.
    pub async fn import(&self, text: &str, purpose: Purpose) -> ImportReport {
        let path = self.csv("file.csv", text);
        self.try_import(
            &path,
            &ImportOptions {
                purpose: Some(purpose),
                ..ImportOptions::default()
            },
        )
        .await
        .unwrap()
    }

    /// The contact holding `attribute = value` (stored form).
    pub async fn find(&self, attribute: &str, value: &str) -> Option<Contact> {
        self.store
            .find_contact(&KeyValue {
                attribute: attribute.into(),
                value: value.into(),
            })
            .await
            .unwrap()
    }

    /// Number of contacts.
    pub async fn count(&self) -> u64 {
        self.store
            .overview(jiff::Timestamp::now())
            .await
            .unwrap()
            .all
    }
}
