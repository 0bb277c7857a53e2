//! The primitives a database supplies: transactions, statements with [`Arg`]s, typed reads of a
//! row's columns, and the few SQL fragments that differ. Everything above them is written once.

use crate::arg::Arg;
use crate::{
    AccessSql, ConsentSql, ContactsSql, CopySql, EventsSql, ImportMappingsSql, JobsSql, LabelsSql,
    MetadataSql, WechatSql,
};
use async_trait::async_trait;
use panorama_core::Result;
use std::ops::DerefMut;
use uuid::Uuid;

/// One database under the store. Implemented by `panorama-store-sqlite` and
/// `panorama-store-postgres`; the store areas of this crate are generic over it. Each area adds
/// its own few primitives as a supertrait (`ContactsSql`, …), kept beside the area's code.
#[async_trait]
pub trait Backend:
    Clone
    + Send
    + Sync
    + 'static
    + AccessSql
    + ConsentSql
    + ContactsSql
    + CopySql
    + EventsSql
    + ImportMappingsSql
    + JobsSql
    + LabelsSql
    + MetadataSql
    + WechatSql
{
    /// A connection, inside a transaction or not.
    type Conn: Send;
    /// A row a statement returned.
    type Row: DbRow;
    /// A transaction; dropping it rolls back.
    type Tx: DerefMut<Target = Self::Conn> + Send;
    /// A pooled connection for reads.
    type Read: DerefMut<Target = Self::Conn> + Send;

    /// Open (creating when missing) the database `url` names.
    async fn open(url: &str) -> Result<Self>;
    /// Bring the schema to the newest migration (presets are installed above, once).
    async fn run_migrations(&self) -> Result<()>;

    /// A write transaction: writes apply one after another (SQLite's one writer, PostgreSQL's
    /// advisory lock), so the rules hold by transaction order, never by lock timing.
    async fn write(&self) -> Result<Self::Tx>;
    /// A read-only transaction on one snapshot: every read in it agrees.
    async fn snapshot(&self) -> Result<Self::Tx>;
    /// A connection for one or a few independent reads.
    async fn read(&self) -> Result<Self::Read>;
    /// Commit `tx`.
    async fn commit(tx: Self::Tx) -> Result<()>;

    /// Run `sql` with `args`, returning every row.
    async fn fetch_all(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<Vec<Self::Row>>;
    /// Run `sql` with `args`, returning the rows it changed.
    async fn execute(conn: &mut Self::Conn, sql: &str, args: Vec<Arg>) -> Result<u64>;

    /// `column` is one of the list bound as parameter `$n` ([`Arg::Ids`], [`Arg::Texts`],
    /// [`Arg::I64s`]): `= ANY($n)` on PostgreSQL, `IN (SELECT value FROM json_each($n))` on SQLite.
    fn in_list(column: &str, n: usize) -> String;

    /// The contacts list's in-memory index, shared by the clones of this backend.
    fn search(&self) -> &panorama_list_index::SearchIndex;
}

/// Typed reads of a row's columns by position. A column of the wrong type or an unexpected
/// `NULL` is an internal error naming the column.
pub trait DbRow: Send + Sync + 'static {
    /// An integer column.
    fn i64(&self, i: usize) -> Result<i64>;
    /// An integer column that may be `NULL`.
    fn opt_i64(&self, i: usize) -> Result<Option<i64>>;
    /// A floating-point column that may be `NULL`.
    fn opt_f64(&self, i: usize) -> Result<Option<f64>>;
    /// A boolean column (0 or 1 on SQLite).
    fn bool(&self, i: usize) -> Result<bool>;
    /// A text column.
    fn text(&self, i: usize) -> Result<String>;
    /// A text column that may be `NULL`.
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    /// A UUID column that may be `NULL`.
    fn opt_id(&self, i: usize) -> Result<Option<Uuid>>;
    /// A JSON column that may be `NULL`, as a JSON value.
    fn opt_json_value(&self, i: usize) -> Result<Option<serde_json::Value>>;

    /// A UUID column.
    fn id(&self, i: usize) -> Result<Uuid> {
        self.opt_id(i)?.ok_or_else(|| null_column(i))
    }
    /// A floating-point column.
    fn f64(&self, i: usize) -> Result<f64> {
        self.opt_f64(i)?.ok_or_else(|| null_column(i))
    }
    /// A contact id column.
    fn contact_id(&self, i: usize) -> Result<panorama_core::contact::ContactId> {
        self.id(i).map(panorama_core::contact::ContactId::from_uuid)
    }
    /// A JSON column read as `T`.
    fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<T>
    where
        Self: Sized,
    {
        let value = self.opt_json_value(i)?.ok_or_else(|| null_column(i))?;
        serde_json::from_value(value).map_err(|e| {
            panorama_core::Error::internal(format!("stored JSON in column {i} does not read: {e}"))
        })
    }
    /// A JSON column that may be `NULL`, read as `T`.
    fn opt_json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<Option<T>>
    where
        Self: Sized,
    {
        self.opt_json_value(i)?
            .map(|value| {
                serde_json::from_value(value).map_err(|e| {
                    panorama_core::Error::internal(format!(
                        "stored JSON in column {i} does not read: {e}"
                    ))
                })
            })
            .transpose()
    }
    /// A time column (microseconds since the epoch).
    fn time(&self, i: usize) -> Result<jiff::Timestamp> {
        crate::convert::timestamp(self.i64(i)?)
    }
    /// A count or size column as an unsigned number (a negative stored value reads as 0).
    fn count(&self, i: usize) -> Result<u64> {
        Ok(u64::try_from(self.i64(i)?).unwrap_or(0))
    }
}

fn null_column(i: usize) -> panorama_core::Error {
    panorama_core::Error::internal(format!("column {i} is NULL where a value was expected"))
}
