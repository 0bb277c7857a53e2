//! Panorama's embedded store: the `Store` trait on one SQLite file.
//!
//! One writer connection and a pool of readers over a WAL database: SQLite allows one writer at a
//! time anyway, and funnelling every write through one connection turns "one contact per key
//! value" into a property of the transaction order rather than of lock timing. Beside the writer,
//! a background connection checkpoints the WAL (`checkpoint`), and event ingests queue in front
//! of it to be written in groups (`ingest_group`).
//!
//! # Storage layout
//!
//! `attributes` and `event_definitions` hold the metadata. `contacts` keeps one row per contact:
//! values in one JSON object, categories and consent as columns (so lists and campaign filters can
//! use indexes). `contact_keys` is the identity index. `events` is a `WITHOUT ROWID` table keyed by
//! `(contact_id, occurred_at, event_id)`, so one contact's timeline is one range read, with a unique
//! index on `event_id` for idempotence and a partial index on order events (`events_orders`).
//! `contact_anonymous_ids` maps anonymous ids to contacts; `merges` keeps one record per merge. Every contact-owned table is keyed by `contact_id`, which is
//! the distribution column when PostgreSQL is sharded.
//!
//! Consent and labels: the last hard bounce is two columns on `contacts` (`email_bounced_address`,
//! `email_bounced_at`), written only by the consent path; `consent_history` is keyed by
//! `(contact_id, changed_at, entry_id)`. `contact_labels` is keyed by `(label_id,
//! contact_created_at, contact_id)` and carries the contact's categories, so the label filter's
//! newest-first page, with or without a category tab, is one index range; label and group ids are
//! integers (not UUIDs) to keep that index dense. `wechat_fans` has one row per contact and account
//! (openid unique per account); `fan_labels` follow their fan record on merges (`ON UPDATE CASCADE`).

mod access;
mod backend;
#[doc(hidden)]
pub mod bench;
mod bulk;
mod checkpoint;
mod consent;
mod contacts;
mod convert;
mod copy;
mod events;
mod events_sql;
mod export;
mod ingest_group;
mod labels;
mod list_source;
mod lookup;
mod merge_rows;
mod metadata;
mod store;

use panorama_core::{Error, Result};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// How long a connection waits for another process's lock before giving up, in milliseconds.
pub const BUSY_TIMEOUT_MS: u64 = 10_000;
/// Reader connections in the pool.
pub const READER_CONNECTIONS_MAX: u32 = 8;
/// SQLite page cache per connection, in KiB.
pub const CACHE_KIB: i64 = 64 * 1024;
/// Reader connections for exports' batches: one reads ahead while the other's batch is decoded.
pub const EXPORT_READER_CONNECTIONS_MAX: u32 = 2;
/// Page cache per export reader, in KiB: an export reads each page once, so a large cache only
/// holds memory (two 64 MB caches took an export's peak to 189 MB).
pub const EXPORT_CACHE_KIB: i64 = 16 * 1024;
pub use checkpoint::CHECKPOINT_INTERVAL_MS;
pub use ingest_group::INGEST_GROUP_EVENTS_MAX;
pub use panorama_list_index::{SEARCH_PRUNE_CHANGES_MIN, SEARCH_SYNC_CHANGES_MAX};

/// The `Store` for SQLite: every area written once in `panorama-store-sql`, over this file's
/// [`SqliteDb`].
pub type SqliteStore = panorama_store_sql::SqlStore<SqliteDb>;

/// One SQLite file: the primitives `panorama-store-sql` runs every store area on.
#[derive(Clone)]
pub struct SqliteDb {
    /// Copies the WAL into the database file beside the writer.
    checkpointer: std::sync::Arc<checkpoint::Checkpointer>,
    /// Event ingests waiting for the writer, written in groups.
    ingest_queue: std::sync::Arc<ingest_group::IngestQueue>,
    writer: SqlitePool,
    reader: SqlitePool,
    /// Readers with a small page cache, for exports' batches.
    export_reader: SqlitePool,
    /// The contacts list's in-memory index, shared by clones of the store.
    search: std::sync::Arc<panorama_list_index::SearchIndex>,
    /// An export's next batch, read while the current one is written.
    read_ahead: export::ReadAheadSlot,
}

impl SqliteDb {
    /// Open (creating if missing) the database named by a `sqlite://path` URL.
    pub(crate) async fn connect(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| {
                Error::invalid(
                    panorama_core::codes::BAD_REQUEST,
                    format!("not a SQLite URL: {e}"),
                    "database",
                    url,
                )
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_millis(BUSY_TIMEOUT_MS))
            .foreign_keys(true)
            .pragma("cache_size", (-CACHE_KIB).to_string())
            .pragma("temp_store", "memory")
            // The writer's own checkpoint, a backstop behind `checkpoint` (which copies the WAL
            // beside it): every 40 MB of WAL rather than 4 MB.
            .pragma("wal_autocheckpoint", "10000");
        // Before the writer: its connections take the signal. The task connects on the first commit.
        let checkpointer = checkpoint::Checkpointer::start(options.clone());
        let signal = checkpointer.signal();
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(move |connection, _| {
                let signal = signal.clone();
                Box::pin(async move {
                    signal.watch(&mut connection.lock_handle().await?);
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await
            .map_err(|e| Error::internal(format!("cannot open {url}: {e}")))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READER_CONNECTIONS_MAX)
            .connect_with(options.clone().read_only(true))
            .await
            .map_err(|e| Error::internal(format!("cannot open {url} for reading: {e}")))?;
        let export_reader = SqlitePoolOptions::new()
            .max_connections(EXPORT_READER_CONNECTIONS_MAX)
            .connect_with(
                options
                    .read_only(true)
                    .pragma("cache_size", (-EXPORT_CACHE_KIB).to_string()),
            )
            .await
            .map_err(|e| Error::internal(format!("cannot open {url} for exports: {e}")))?;
        Ok(Self {
            checkpointer: std::sync::Arc::new(checkpointer),
            ingest_queue: std::sync::Arc::new(ingest_group::IngestQueue::start(writer.clone())),
            writer,
            reader,
            export_reader,
            search: Default::default(),
            read_ahead: Default::default(),
        })
    }

    /// Close every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.checkpointer.stop();
        self.reader.close().await;
        self.export_reader.close().await;
        self.writer.close().await;
    }
}

pub(crate) use panorama_store_sql::sqlx_glue::error as db;
