//! Panorama's server store: the `Store` trait on PostgreSQL, for teams that run several servers on
//! one database.
//!
//! Same module names and the same rules as `panorama-store-sqlite`; the rules themselves live in
//! panorama-core. Every write transaction first takes one transaction-scoped advisory lock
//! ([`PostgresDb::write`]), so writes from every server apply one after another, exactly as on
//! SQLite's single writer: "one contact per key value" and the merge rules hold by transaction
//! order, never by lock timing. Reads run concurrently on the pool.

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

/// Turn a database error into Panorama's internal error, keeping its text for the logs.
pub(crate) fn db(error: sqlx::Error) -> Error {
    Error::internal(format!("postgres: {error}"))
}

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
