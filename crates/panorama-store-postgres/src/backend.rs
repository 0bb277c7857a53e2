//! The primitives `panorama-store-sql` needs, on PostgreSQL: write transactions behind the
//! advisory lock, snapshot reads, parameters in PostgreSQL's types (`uuid`, `jsonb`, arrays),
//! typed column reads.

use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::{Error, Result};
use panorama_store_sql::{Arg, Backend, DbRow};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::types::Json;
use sqlx::{Arguments, AssertSqlSafe, PgConnection, Postgres, Row as _, Transaction};
use uuid::Uuid;

/// A row PostgreSQL returned, read by [`DbRow`].
pub struct Row(PgRow);

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
        crate::store::MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| Error::internal(format!("migration failed: {e}")))
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
        format!("{column} = ANY(${n})")
    }

    fn search(&self) -> &panorama_list_index::SearchIndex {
        &self.search
    }
}

/// `args` in PostgreSQL's types.
fn arguments(args: Vec<Arg>) -> Result<PgArguments> {
    let mut out = PgArguments::default();
    for arg in args {
        let added = match arg {
            Arg::I64(v) => out.add(v),
            Arg::F64(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            Arg::Id(v) => out.add(v),
            Arg::Json(v) => out.add(v.map(Json)),
            Arg::I64s(v) => out.add(v),
            Arg::Texts(v) => out.add(v),
            Arg::Ids(v) => out.add(v),
        };
        added.map_err(|e| Error::internal(format!("postgres parameter: {e}")))?;
    }
    Ok(out)
}

impl Row {
    fn get<'r, T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>>(
        &'r self,
        i: usize,
    ) -> Result<T> {
        self.0
            .try_get(i)
            .map_err(|e| Error::internal(format!("postgres column {i}: {e}")))
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
        self.get(i)
    }
    fn opt_json_value(&self, i: usize) -> Result<Option<serde_json::Value>> {
        Ok(self
            .get::<Option<Json<serde_json::Value>>>(i)?
            .map(|json| json.0))
    }
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
