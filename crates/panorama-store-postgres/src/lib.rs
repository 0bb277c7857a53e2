//! Panorama's server store: the `Store` trait on PostgreSQL, for teams that run several servers on
//! one database.
//!
//! Same module names and the same rules as `panorama-store-sqlite`; the rules themselves live in
//! panorama-core. Every write transaction first takes one transaction-scoped advisory lock
//! ([`PostgresDb::write`]), so writes from every server apply one after another, exactly as on
//! SQLite's single writer: "one contact per key value" and the merge rules hold by transaction
//! order, never by lock timing. Reads run concurrently on the pool.
//!
//! # Storage layout
//!
//! The same tables and columns as SQLite, in PostgreSQL's types: ids Panorama makes are `uuid`, event
//! ids (callers') `text`, values and properties `jsonb`, flags `boolean`, times `bigint`
//! microseconds. What differs, and why:
//! - The contacts list is not answered by SQL: each server keeps the in-memory index of
//!   `panorama-list-index`, as SQLite does, so both stores give the same answers from the same code.
//!   Migration `0003` dropped the former `search_text` column and its `pg_trgm` GIN index: trigrams
//!   cannot answer keywords of one or two characters, an exact count of a dense keyword read every
//!   matching row (p99 ~600 ms at 100,000 contacts, before), and keeping the index took about
//!   three quarters of a bulk write. The price: each server holds the index in memory (about 750 MB
//!   at a million contacts) and builds it at its first list query (seconds per million contacts).
//! - `contact_changes (seq, contact_id)` is the feed (migration `0003`): statement triggers with
//!   transition tables append one row per inserted, updated or deleted contact. The index needs
//!   numbers in commit order without gaps (a gap means rows were pruned before it read them, and it
//!   rebuilds), which a sequence does not give, so the trigger numbers rows from the one-row counter
//!   `contact_changes_end`, whose row lock it holds until the transaction ends (after the write lock,
//!   which it takes itself: a no-op for Panorama's writers, the same lock order for a plain SQL
//!   client). A rolled-back write rolls its numbers back; the counter keeps the feed's end when every
//!   row has been pruned.
//! - `events` is hash-partitioned by `contact_id` into 16 partitions, the primary key
//!   `(contact_id, occurred_at, event_id)`: a timeline is one index range in one partition, each
//!   partition's B-trees stay a sixteenth of the whole, and a partition can be vacuumed, reindexed or
//!   moved alone. Time partitioning would make the timeline, the hot read, probe every period.
//!   A partitioned table cannot have a unique index without its key, so `event_ids (event_id
//!   PRIMARY KEY, contact_id)` makes ingest idempotent: a batch claims its ids with `ON CONFLICT DO
//!   NOTHING RETURNING` and inserts only the events it claimed. Neither table has a foreign key to
//!   `contacts` (its per-row check took half of the insert time); the statement trigger
//!   `contacts_delete_events` is their cascade, and merges move `event_ids` rows with the events.
//! - Label counters and the categories copied into `contact_labels` are kept by PL/pgSQL triggers,
//!   the audit log refuses UPDATE, DELETE and TRUNCATE by trigger, as SQLite refuses UPDATE and DELETE.
//! - `jobs.claimed_by`, `jobs.claimed_until`: the lease of the worker running a job (both stores,
//!   SQLite's migration `0010`).
//!
//! Several servers, one database: a job (import, bulk action) runs on the one runner
//! (`panorama-server/src/jobs/runner.rs`: one lease keeper and progress recorder in
//! `jobs/progress.rs`, one failure path) under a lease
//! (`panorama-core/src/store/jobs/lease.rs`: `claim_job`, `claim_next`, `renew_job`, and progress
//! and finish fenced by the holder's claim name). A server renews its lease every third of
//! `--job-lease-seconds` (30) and, on the same beat, claims queued jobs and running ones whose lease
//! ran out (`panorama-server/src/jobs/claimer.rs`), so a job whose server was killed is
//! finished by another; on PostgreSQL the claim is `FOR UPDATE SKIP LOCKED` outside the write lock.
//! Re-running a batch is safe (imports and bulk actions are idempotent). An import's uploaded file
//! lives in the receiving server's `--uploads-dir`: only a server that has the file claims the
//! import, so servers that should take over each other's imports share that directory.
//!
//! Distributing on Citus: every contact-owned table carries `contact_id` (`contacts`,
//! `contact_keys`, `contact_anonymous_ids`, `events`, `event_ids`, `consent_history`,
//! `contact_labels`, `wechat_fans`, `fan_labels`, `merges` by `survivor_id`), so they are
//! distributed on it (`create_distributed_table('contacts', 'contact_id')`, the others
//! `colocate_with => 'contacts'`), and a contact's reads and writes stay on one node. The metadata
//! and the small shared tables (`attributes`, `event_definitions`, `label_groups`, `labels`,
//! `wechat_accounts`, `follower_labels`, `users`, `sessions`, `api_keys`, `views`, `jobs`,
//! `job_rejections`, `audit_log`) become reference tables (`create_reference_table`). Two things need
//! care there: `contact_keys` is keyed by `(attribute, value)`, so for distribution it needs a
//! lookup table distributed by value (or `contact_id` in its key and a look-up by value fanned
//! out), and `event_ids` the same by `event_id`; and the global write lock becomes a lock per key
//! value (`pg_advisory_xact_lock(hashtext(attribute || value))`) taken in key order. The change
//! feed `contact_changes` is numbered from one counter row locked until commit, which serialises
//! writers again; with locks per key value it needs another order: one feed per shard, each index
//! keeping a cursor per shard.

mod access;
mod backend;
mod bulk;
mod consent;
mod contacts;
mod convert;
mod copy;
mod copy_in;
mod events;
mod events_sql;
mod export;
mod labels;
mod list_source;
mod lookup;
mod merge_rows;
mod metadata;
mod store;
#[doc(hidden)]
pub mod testing;

use panorama_core::{Error, Result};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Connections in the pool, readers and writers together.
pub const CONNECTIONS_MAX: u32 = 16;
/// How long a request waits for a free connection, in seconds.
pub const ACQUIRE_TIMEOUT_SECONDS: u64 = 30;
/// Statements slower than this many seconds are logged as warnings.
pub const SLOW_STATEMENT_SECONDS: u64 = 30;
/// The advisory lock key every write transaction holds (an arbitrary constant: "panoram" in hex).
const WRITE_LOCK_KEY: i64 = 0x70616e6f72616d;

/// The `Store` for PostgreSQL: every area written once in `panorama-store-sql`, over this
/// crate's [`PostgresDb`].
pub type PostgresStore = panorama_store_sql::SqlStore<PostgresDb>;

/// One PostgreSQL database: the primitives `panorama-store-sql` runs every store area on.
#[derive(Clone)]
pub struct PostgresDb {
    pool: PgPool,
    /// The contacts list's index, shared by the clones of this store.
    search: std::sync::Arc<panorama_list_index::SearchIndex>,
}

impl PostgresDb {
    /// Connect to the database named by a `postgres://` URL, creating the database when the
    /// server answers that it does not exist (as the embedded store creates its file).
    pub(crate) async fn connect_url(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| {
                Error::invalid(
                    panorama_core::codes::BAD_REQUEST,
                    format!("not a PostgreSQL URL: {e}"),
                    "database",
                    url,
                )
            })?
            // Bulk statements of an import batch take a second or more by design; only a much
            // slower one is worth a warning in an operator's log.
            .log_slow_statements(
                log::LevelFilter::Warn,
                Duration::from_secs(SLOW_STATEMENT_SECONDS),
            );
        let pool = match Self::connect(options.clone()).await {
            Err(error) if is_missing_database(&error) => {
                create_database(&options).await?;
                Self::connect(options).await
            }
            other => other,
        }
        .map_err(|e| Error::internal(format!("cannot connect to {url}: {e}")))?;
        Ok(Self {
            pool,
            search: Default::default(),
        })
    }

    async fn connect(options: PgConnectOptions) -> sqlx::Result<PgPool> {
        PgPoolOptions::new()
            .max_connections(CONNECTIONS_MAX)
            .acquire_timeout(Duration::from_secs(ACQUIRE_TIMEOUT_SECONDS))
            .connect_with(options)
            .await
    }

    /// Close every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A write transaction holding the store's write lock until it commits or rolls back.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK_KEY)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Ok(tx)
    }

    /// A read-only transaction on one snapshot until it ends, so every read in it agrees (a
    /// list page's count and ids, the list index's feed position and the contacts it reloads).
    pub(crate) async fn read_snapshot(&self) -> Result<Transaction<'static, Postgres>> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        Ok(tx)
    }

    /// A connection for reads.
    pub(crate) async fn read(&self) -> Result<sqlx::pool::PoolConnection<Postgres>> {
        self.pool.acquire().await.map_err(db)
    }
}

pub(crate) use panorama_store_sql::sqlx_glue::error as db;

/// PostgreSQL's `invalid_catalog_name`: the database in the URL does not exist.
fn is_missing_database(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == "3D000")
}

/// Create the database `options` names, connected to the server's `postgres` database.
async fn create_database(options: &PgConnectOptions) -> Result<()> {
    use sqlx::Connection;
    let name = options.get_database().unwrap_or("panorama").to_owned();
    let mut admin = sqlx::PgConnection::connect_with(&options.clone().database("postgres"))
        .await
        .map_err(|e| Error::internal(format!("cannot create database {name}: {e}")))?;
    // An identifier cannot be a bind parameter; quote it as PostgreSQL does.
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    let created = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {quoted}")))
        .execute(&mut admin)
        .await;
    let _ = admin.close().await;
    match created {
        Ok(_) => Ok(()),
        // Another server created it at the same moment: fine.
        Err(error)
            if error
                .as_database_error()
                .and_then(|e| e.code())
                .is_some_and(|c| c == "42P04") =>
        {
            Ok(())
        }
        Err(error) => Err(Error::internal(format!(
            "cannot create database {name}: {error}"
        ))),
    }
}
