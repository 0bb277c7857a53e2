//! `ViewStore` on PostgreSQL: saved list views, one row per user and view, the columns as a
//! jsonb array.

use crate::convert::micros;
use crate::{PostgresStore, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::ViewStore;
use sqlx::types::Json;

#[async_trait]
impl ViewStore for PostgresStore {
    async fn get_view(&self, user: &str, view: &str) -> Result<Option<Vec<String>>> {
        let mut connection = self.read().await?;
        let columns: Option<Json<Vec<String>>> =
            sqlx::query_scalar("SELECT columns FROM views WHERE user_name = $1 AND view = $2")
                .bind(user)
                .bind(view)
                .fetch_optional(&mut *connection)
                .await
                .map_err(db)?;
        Ok(columns.map(|columns| columns.0))
    }

    async fn put_view(&self, user: &str, view: &str, columns: &[String]) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO views (user_name, view, columns, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_name, view) DO UPDATE SET columns = excluded.columns,
                 updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(view)
        .bind(Json(columns))
        .bind(micros(jiff::Timestamp::now()))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }
}
