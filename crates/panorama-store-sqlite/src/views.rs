//! Saved list views on SQLite: one row per user and view, the columns as a JSON array.

use crate::convert::micros;
use crate::{SqliteStore, db};
use async_trait::async_trait;
use panorama_core::store::ViewStore;
use panorama_core::{Error, Result};

#[async_trait]
impl ViewStore for SqliteStore {
    async fn get_view(&self, user: &str, view: &str) -> Result<Option<Vec<String>>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let columns: Option<String> =
            sqlx::query_scalar("SELECT columns FROM views WHERE user_name = $1 AND view = $2")
                .bind(user)
                .bind(view)
                .fetch_optional(&mut *connection)
                .await
                .map_err(db)?;
        columns
            .map(|text| {
                serde_json::from_str(&text)
                    .map_err(|e| Error::internal(format!("saved view `{view}` of `{user}`: {e}")))
            })
            .transpose()
    }

    async fn put_view(&self, user: &str, view: &str, columns: &[String]) -> Result<()> {
        let text = serde_json::to_string(columns).map_err(Error::internal)?;
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO views (user_name, view, columns, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_name, view) DO UPDATE SET columns = excluded.columns,
                 updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(view)
        .bind(text)
        .bind(micros(jiff::Timestamp::now()))
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(())
    }
}
