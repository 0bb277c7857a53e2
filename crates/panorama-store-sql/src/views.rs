//! Saved list views: one row per user and view, the columns as a JSON array.

use crate::convert::micros;
use crate::{Arg, Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::ViewStore;

#[async_trait]
impl<B: Backend> ViewStore for SqlStore<B> {
    async fn get_view(&self, user: &str, view: &str) -> Result<Option<Vec<String>>> {
        let mut connection = self.backend.read().await?;
        sql("SELECT columns FROM views WHERE user_name = $1 AND view = $2")
            .bind(user)
            .bind(view)
            .optional::<B>(&mut connection)
            .await?
            .map(|row| row.json(0))
            .transpose()
    }

    async fn put_view(&self, user: &str, view: &str, columns: &[String]) -> Result<()> {
        let mut tx = self.backend.write().await?;
        sql(
            "INSERT INTO views (user_name, view, columns, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_name, view) DO UPDATE SET columns = excluded.columns,
                 updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(view)
        .bind_arg(Arg::json(columns))?
        .bind(micros(jiff::Timestamp::now()))
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await
    }
}
