//! What both backends do the same way with sqlx: run a statement with its arguments, and read a
//! row's columns by type. Each backend names only how its database stores ids and JSON
//! ([`ColumnForms`]) and how it turns an [`Arg`](crate::Arg) into its own argument type.

use crate::backend::DbRow;
use panorama_core::{Error, Result};
use sqlx::error::BoxDynError;
use sqlx::{Arguments, ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row, Type};
use std::marker::PhantomData;
use uuid::Uuid;

/// How one database stores the column forms that differ: ids (uuid or text) and JSON (jsonb or
/// text).
pub trait ColumnForms<R>: Send + Sync + 'static {
    /// A UUID column that may be `NULL`.
    fn opt_id(row: &R, i: usize) -> Result<Option<Uuid>>;
    /// A JSON column that may be `NULL`.
    fn opt_json_value(row: &R, i: usize) -> Result<Option<serde_json::Value>>;
}

/// A row of database `R`, read through [`DbRow`] with the forms `F` of its database.
pub struct SqlxRow<R, F> {
    row: R,
    forms: PhantomData<fn() -> F>,
}

impl<R: Row, F> SqlxRow<R, F>
where
    usize: ColumnIndex<R>,
{
    /// Column `i` as `T`; a wrong type or an unexpected `NULL` is an internal error naming it.
    pub fn get<'r, T: Decode<'r, R::Database> + Type<R::Database>>(
        &'r self,
        i: usize,
    ) -> Result<T> {
        self.row.try_get(i).map_err(|e| {
            Error::internal(format!(
                "{} column {i}: {e}",
                <R::Database as Database>::NAME
            ))
        })
    }
}

/// Every row `statement` returns, each wrapped for [`DbRow`].
pub async fn fetch_all<'c, DB, A, E, F>(
    conn: E,
    statement: &str,
    arguments: A,
) -> Result<Vec<SqlxRow<DB::Row, F>>>
where
    DB: Database,
    A: IntoArguments<DB> + 'c,
    E: Executor<'c, Database = DB>,
{
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(statement), arguments)
        .fetch_all(conn)
        .await
        .map_err(|e| Error::internal(format!("{}: {e}", DB::NAME)))?;
    Ok(rows
        .into_iter()
        .map(|row| SqlxRow {
            row,
            forms: PhantomData,
        })
        .collect())
}

/// Run `statement`; what the database says it did.
pub async fn execute<'c, DB, A, E>(
    conn: E,
    statement: &str,
    arguments: A,
) -> Result<DB::QueryResult>
where
    DB: Database,
    A: IntoArguments<DB> + 'c,
    E: Executor<'c, Database = DB>,
{
    sqlx::query_with(sqlx::AssertSqlSafe(statement), arguments)
        .execute(conn)
        .await
        .map_err(|e| Error::internal(format!("{}: {e}", DB::NAME)))
}

impl<R, F> DbRow for SqlxRow<R, F>
where
    R: Row + Send + Sync + 'static,
    F: ColumnForms<R>,
    usize: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> f64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> bool: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
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
        F::opt_id(&self.row, i)
    }
    fn opt_json_value(&self, i: usize) -> Result<Option<serde_json::Value>> {
        F::opt_json_value(&self.row, i)
    }
}

/// `args` as database `DB`'s arguments: the plain types bound as they are, the forms that differ
/// between databases (ids, JSON, lists) by `special`.
pub fn arguments<DB: Database>(
    args: Vec<crate::Arg>,
    mut special: impl FnMut(&mut DB::Arguments, crate::Arg) -> std::result::Result<(), BoxDynError>,
) -> Result<DB::Arguments>
where
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<f64>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<bool>: Encode<'q, DB> + Type<DB>,
    for<'q> Option<String>: Encode<'q, DB> + Type<DB>,
{
    use crate::Arg;
    let mut out = DB::Arguments::default();
    for arg in args {
        let added = match arg {
            Arg::I64(v) => out.add(v),
            Arg::F64(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            other => special(&mut out, other),
        };
        added.map_err(|e| Error::internal(format!("{} parameter: {e}", DB::NAME)))?;
    }
    Ok(out)
}

/// Commit `tx`.
pub async fn commit<DB: Database>(tx: sqlx::Transaction<'static, DB>) -> Result<()> {
    tx.commit().await.map_err(error)
}

/// Run `migrator`'s migrations not yet applied on `target`.
pub async fn migrate<'a, A>(migrator: &sqlx::migrate::Migrator, target: A) -> Result<()>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    migrator
        .run(target)
        .await
        .map_err(|e| Error::internal(format!("migration failed: {e}")))
}

/// A database error as Panorama's internal error, keeping its text for the logs.
pub fn error(error: sqlx::Error) -> Error {
    Error::internal(format!("database: {error}"))
}
