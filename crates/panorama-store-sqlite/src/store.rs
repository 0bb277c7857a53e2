//! The migrations and the writer's transactions of `SqliteDb`.

use crate::db;
use panorama_core::Result;
use sqlx::{Sqlite, SqlitePool, Transaction};

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A write transaction on `writer` (see `SqliteDb::write`).
pub(crate) async fn begin_write(writer: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    writer.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}
