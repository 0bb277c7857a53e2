//! The primitives `panorama-store-sql` needs, on SQLite: the writer's `BEGIN IMMEDIATE`, reads on
//! the reader pool, parameters in SQLite's types (ids and JSON as text, lists as JSON arrays for
//! `json_each`), typed column reads.

use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::{Error, Result};
use panorama_store_sql::sqlx_glue::{self, ColumnForms, SqlxRow};
use panorama_store_sql::{Arg, Backend};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Row as _, Sqlite, SqliteConnection, Transaction};
use uuid::Uuid;

/// A row Sqlite returned, read by [`DbRow`] with this database's [`Forms`].
pub type Row = SqlxRow<SqliteRow, Forms>;

/// How this database stores ids and JSON.
pub struct Forms;

#[async_trait]
impl Backend for SqliteDb {
    type Conn = SqliteConnection;
    type Row = Row;
    type Tx = Transaction<'static, Sqlite>;
    type Read = PoolConnection<Sqlite>;

    async fn open(url: &str) -> Result<Self> {
        Self::connect(url).await
    }

    async fn run_migrations(&self) -> Result<()> {
        sqlx_glue::migrate(&crate::store::MIGRATOR, &self.writer).await
    }

    async fn write(&self) -> Result<Self::Tx> {
        crate::store::begin_write(&self.writer).await
    }

    async fn snapshot(&self) -> Result<Self::Tx> {
        // A deferred transaction on a reader: in WAL mode its first read fixes the snapshot.
        self.reader.begin().await.map_err(db)
    }

    async fn read(&self) -> Result<Self::Read> {
        self.reader.acquire().await.map_err(db)
    }

    async fn commit(tx: Self::Tx) -> Result<()> {
        sqlx_glue::commit(tx).await
    }

    async fn fetch_all(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>> {
        sqlx_glue::fetch_all(conn, sql, arguments(args)?).await
    }

    async fn execute(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<u64> {
        let done = sqlx_glue::execute(conn, sql, arguments(args)?).await?;
        Ok(done.rows_affected())
    }

    fn in_list(column: &str, n: usize) -> String {
        format!("{column} IN (SELECT value FROM json_each(${n}))")
    }

    fn search(&self) -> &panorama_list_index::SearchIndex {
        &self.search
    }
}

/// `args` in SQLite's types.
fn arguments(args: Vec<Arg>) -> Result<SqliteArguments> {
    sqlx_glue::arguments::<Sqlite>(args, |out, arg| match arg {
        Arg::Id(v) => out.add(v.map(|id| id.hyphenated().to_string())),
        Arg::Json(v) => out.add(v.map(|v| v.to_string())),
        Arg::I64s(v) => out.add(json_list(&v)?),
        Arg::Texts(v) => out.add(json_list(&v)?),
        Arg::Ids(v) => out.add(json_list(&v)?),
        // The plain types are bound by `sqlx_glue::arguments` itself.
        _ => Ok(()),
    })
}

fn json_list<T: serde::Serialize>(values: &[T]) -> Result<String> {
    serde_json::to_string(values).map_err(Error::internal)
}

impl ColumnForms<SqliteRow> for Forms {
    fn opt_id(row: &SqliteRow, i: usize) -> Result<Option<Uuid>> {
        get::<Option<&str>>(row, i)?
            .map(|text| {
                Uuid::parse_str(text)
                    .map_err(|e| Error::internal(format!("stored id `{text}` in column {i}: {e}")))
            })
            .transpose()
    }
    fn opt_json_value(row: &SqliteRow, i: usize) -> Result<Option<serde_json::Value>> {
        get::<Option<&str>>(row, i)?
            .map(|text| {
                serde_json::from_str(text).map_err(|e| {
                    Error::internal(format!("stored JSON in column {i} does not read: {e}"))
                })
            })
            .transpose()
    }
}

/// Column `i` of `row` as `T`, for the forms above.
fn get<'r, T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>>(
    row: &'r SqliteRow,
    i: usize,
) -> Result<T> {
    row.try_get(i)
        .map_err(|e| Error::internal(format!("sqlite column {i}: {e}")))
}

impl panorama_store_sql::ImportMappingsSql for SqliteDb {}

#[async_trait]
impl panorama_store_sql::JobsSql for SqliteDb {
    // The one writer runs claims one after another: nothing to skip.
    const CLAIM_NEXT_LOCK: &'static str = "";

    async fn lease_write(&self) -> Result<<Self as Backend>::Tx> {
        crate::store::begin_write(&self.writer).await
    }
}

impl panorama_store_sql::WechatSql for SqliteDb {
    const BYTE_ORDER: &'static str = "COLLATE BINARY";
}
