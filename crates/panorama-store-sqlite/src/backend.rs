//! The primitives `panorama-store-sql` needs, on SQLite: the writer's `BEGIN IMMEDIATE`, reads on
//! the reader pool, parameters in SQLite's types (ids and JSON as text, lists as JSON arrays for
//! `json_each`), typed column reads.

use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::{Error, Result};
use panorama_store_sql::{Arg, Backend, DbRow};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, AssertSqlSafe, Row as _, Sqlite, SqliteConnection, Transaction};
use uuid::Uuid;

/// A row SQLite returned, read by [`DbRow`].
pub struct Row(SqliteRow);

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
        crate::store::MIGRATOR
            .run(&self.writer)
            .await
            .map_err(|e| Error::internal(format!("migration failed: {e}")))
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
        tx.commit().await.map_err(db)
    }

    async fn fetch_all(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<Vec<Row>> {
        let rows = sqlx::query_with(AssertSqlSafe(sql), arguments(args)?)
            .fetch_all(conn)
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(Row).collect())
    }

    async fn execute(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<u64> {
        let done = sqlx::query_with(AssertSqlSafe(sql), arguments(args)?)
            .execute(conn)
            .await
            .map_err(db)?;
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
    let mut out = SqliteArguments::default();
    for arg in args {
        let added = match arg {
            Arg::I64(v) => out.add(v),
            Arg::F64(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            Arg::Id(v) => out.add(v.map(|id| id.hyphenated().to_string())),
            Arg::Json(v) => out.add(v.map(|v| v.to_string())),
            Arg::I64s(v) => out.add(json_list(&v)?),
            Arg::Texts(v) => out.add(json_list(&v)?),
            Arg::Ids(v) => out.add(json_list(&v)?),
        };
        added.map_err(|e| Error::internal(format!("sqlite parameter: {e}")))?;
    }
    Ok(out)
}

fn json_list<T: serde::Serialize>(values: &[T]) -> Result<String> {
    serde_json::to_string(values).map_err(Error::internal)
}

impl Row {
    fn get<'r, T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>>(&'r self, i: usize) -> Result<T> {
        self.0
            .try_get(i)
            .map_err(|e| Error::internal(format!("sqlite column {i}: {e}")))
    }
}

impl DbRow for Row {
    fn i64(&self, i: usize) -> Result<i64> {
        self.get(i)
    }
    fn opt_i64(&self, i: usize) -> Result<Option<i64>> {
        self.get(i)
    }
    fn opt_f64(&self, i: usize) -> Result<Option<f64>> {
        self.get(i)
    }
    fn bool(&self, i: usize) -> Result<bool> {
        self.get(i)
    }
    fn text(&self, i: usize) -> Result<String> {
        self.get(i)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        self.get(i)
    }
    fn opt_id(&self, i: usize) -> Result<Option<Uuid>> {
        self.get::<Option<&str>>(i)?
            .map(|text| {
                Uuid::parse_str(text)
                    .map_err(|e| Error::internal(format!("stored id `{text}` in column {i}: {e}")))
            })
            .transpose()
    }
    fn opt_json_value(&self, i: usize) -> Result<Option<serde_json::Value>> {
        self.get::<Option<&str>>(i)?
            .map(|text| {
                serde_json::from_str(text).map_err(|e| {
                    Error::internal(format!("stored JSON in column {i} does not read: {e}"))
                })
            })
            .transpose()
    }
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
