//! Saved import mappings on SQLite: one row per header key, headers and map as JSON text.

use crate::convert::{micros, timestamp};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::store::{ImportMapping, ImportMappingStore};
use panorama_core::{Error, Result};

#[async_trait]
impl ImportMappingStore for SqliteDb {
    async fn save_import_mapping(&self, mapping: &ImportMapping) -> Result<()> {
        let headers = serde_json::to_string(&mapping.headers).map_err(Error::internal)?;
        let map = serde_json::to_string(&mapping.map).map_err(Error::internal)?;
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO import_mappings (headers_key, headers, map, saved_by, saved_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (headers_key) DO UPDATE SET headers = excluded.headers,
                 map = excluded.map, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind(&mapping.headers_key)
        .bind(headers)
        .bind(map)
        .bind(&mapping.saved_by)
        .bind(micros(mapping.saved_at))
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn import_mapping(&self, headers_key: &str) -> Result<Option<ImportMapping>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "SELECT headers, map, saved_by, saved_at FROM import_mappings WHERE headers_key = $1",
        )
        .bind(headers_key)
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        let Some((headers, map, saved_by, saved_at)) = row else {
            return Ok(None);
        };
        let bad = |e: serde_json::Error| {
            Error::internal(format!("saved import mapping {headers_key}: {e}"))
        };
        Ok(Some(ImportMapping {
            headers_key: headers_key.to_owned(),
            headers: serde_json::from_str(&headers).map_err(bad)?,
            map: serde_json::from_str(&map).map_err(bad)?,
            saved_by,
            saved_at: timestamp(saved_at)?,
        }))
    }
}
