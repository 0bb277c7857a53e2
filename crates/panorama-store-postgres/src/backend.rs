//! The primitives `panorama-store-sql` needs, on PostgreSQL: write transactions behind the
//! advisory lock, snapshot reads, parameters in PostgreSQL's types (`uuid`, `jsonb`, arrays),
//! typed column reads.

use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::{Error, Result};
use panorama_store_sql::sqlx_glue::{self, ColumnForms, SqlxRow};
use panorama_store_sql::{Arg, Backend};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::types::Json;
use sqlx::{Arguments, PgConnection, Postgres, Row as _, Transaction};
use uuid::Uuid;

/// A row Postgres returned, read by [`DbRow`] with this database's [`Forms`].
pub type Row = SqlxRow<PgRow, Forms>;

/// How this database stores ids and JSON.
pub struct Forms;

#[async_trait]
impl Backend for PostgresDb {
    type Conn = PgConnection;
    type Row = Row;
    type Tx = Transaction<'static, Postgres>;
    type Read = PoolConnection<Postgres>;

    async fn open(url: &str) -> Result<Self> {
        Self::connect_url(url).await
    }

    async fn run_migrations(&self) -> Result<()> {
        // sqlx holds a session advisory lock while it migrates: a second server starting on the
        // same database waits for the first, then finds nothing left to apply.
        sqlx_glue::migrate(&crate::store::MIGRATOR, &self.pool).await
    }

    async fn write(&self) -> Result<Self::Tx> {
        PostgresDb::write(self).await
    }

    async fn snapshot(&self) -> Result<Self::Tx> {
        self.read_snapshot().await
    }

    async fn read(&self) -> Result<Self::Read> {
        PostgresDb::read(self).await
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
        format!("{column} = ANY(${n})")
    }

    fn search(&self) -> &panorama_list_index::SearchIndex {
        &self.search
    }
}

/// `args` in PostgreSQL's types.
fn arguments(args: Vec<Arg>) -> Result<PgArguments> {
    sqlx_glue::arguments::<Postgres>(args, |out, arg| match arg {
        Arg::Id(v) => out.add(v),
        Arg::Json(v) => out.add(v.map(Json)),
        Arg::I64s(v) => out.add(v),
        Arg::Texts(v) => out.add(v),
        Arg::Ids(v) => out.add(v),
        // The plain types are bound by `sqlx_glue::arguments` itself.
        _ => Ok(()),
    })
}

impl ColumnForms<PgRow> for Forms {
    fn opt_id(row: &PgRow, i: usize) -> Result<Option<Uuid>> {
        get(row, i)
    }
    fn opt_json_value(row: &PgRow, i: usize) -> Result<Option<serde_json::Value>> {
        Ok(get::<Option<Json<serde_json::Value>>>(row, i)?.map(|json| json.0))
    }
}

/// Column `i` of `row` as `T`, for the forms above.
fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
    row: &'r PgRow,
    i: usize,
) -> Result<T> {
    row.try_get(i)
        .map_err(|e| Error::internal(format!("postgres column {i}: {e}")))
}

impl panorama_store_sql::ImportMappingsSql for PostgresDb {}

#[async_trait]
impl panorama_store_sql::JobsSql for PostgresDb {
    const CLAIM_NEXT_LOCK: &'static str = "FOR UPDATE SKIP LOCKED";

    async fn lease_write(&self) -> Result<<Self as Backend>::Tx> {
        // A plain transaction, without the advisory write lock: the job row's lock is all the
        // exclusion a lease needs.
        self.pool.begin().await.map_err(db)
    }
}

impl panorama_store_sql::WechatSql for PostgresDb {
    const BYTE_ORDER: &'static str = "COLLATE \"C\"";
}
