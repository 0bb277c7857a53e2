//! Fresh PostgreSQL databases for tests: one per test, created from the server that
//! `PANORAMA_TEST_POSTGRES_URL` names and dropped when the test's guard goes.
//!
//! Without that variable, the local server of [`DEFAULT_TEST_URL`] is tried. When no server
//! answers, the tests that need PostgreSQL are skipped, unless `CI` is set: there a missing
//! PostgreSQL is a failure, never a silent skip.

use panorama_core::store::MetadataStore;
use sqlx::{Connection, PgConnection};

/// The variable naming the test server.
pub const TEST_URL_VARIABLE: &str = "PANORAMA_TEST_POSTGRES_URL";
/// The server tried when the variable is not set: a local PostgreSQL with trust authentication.
pub const DEFAULT_TEST_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists until this guard is dropped.
pub struct TestDatabase {
    /// The URL of the fresh database.
    pub url: String,
    server_url: String,
    name: String,
}

impl TestDatabase {
    /// Create a fresh, empty database; `None` when no server answers outside CI.
    ///
    /// # Panics
    /// In CI when the server cannot be reached, and whenever it refuses to create a database.
    pub async fn create() -> Option<Self> {
        let server_url = std::env::var(TEST_URL_VARIABLE)
            .ok()
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| DEFAULT_TEST_URL.to_owned());
        let name = format!("panorama_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = match PgConnection::connect(&server_url).await {
            Ok(connection) => connection,
            Err(e) if std::env::var_os("CI").is_some() => {
                panic!("CI needs PostgreSQL at {server_url} ({TEST_URL_VARIABLE}): {e}")
            }
            Err(e) => {
                eprintln!("skipped: no PostgreSQL at {server_url} ({TEST_URL_VARIABLE}): {e}");
                return None;
            }
        };
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        let _ = admin.close().await;
        let url = database_url(&server_url, &name);
        Some(Self {
            url,
            server_url,
            name,
        })
    }

    /// A fresh database with a migrated store on it.
    ///
    /// # Panics
    /// When the store cannot open or migrate.
    pub async fn store() -> Option<(crate::PostgresStore, Self)> {
        let database = Self::create().await?;
        let store = crate::PostgresStore::open(&database.url)
            .await
            .expect("the store opens");
        store.migrate().await.expect("migrations run");
        Some((store, database))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs outside async code (or inside a runtime that may be shutting down): drop the
        // database from a thread with its own small runtime. FORCE ends the store's connections.
        let server_url = self.server_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&server_url).await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await?;
                admin.close().await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// `server_url` with its database path replaced by `name` (query parameters kept).
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server_url, String::new()),
    };
    let authority_end = base
        .find("://")
        .map(|scheme| {
            let rest = &base[scheme + 3..];
            scheme + 3 + rest.find('/').unwrap_or(rest.len())
        })
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..authority_end])
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn the_database_name_replaces_the_path() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            database_url("postgres://u:p@host/db?sslmode=disable", "t2"),
            "postgres://u:p@host/t2?sslmode=disable"
        );
        assert_eq!(database_url("postgres://host", "t3"), "postgres://host/t3");
    }
}
