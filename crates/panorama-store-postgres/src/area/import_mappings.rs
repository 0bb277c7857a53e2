//! `ImportMappingStore` on PostgreSQL: one row per header key, headers and map as jsonb.

use crate::convert::{micros, timestamp};
use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::{ImportMapping, ImportMappingStore};
use sqlx::types::Json;
use std::collections::BTreeMap;

#[async_trait]
impl ImportMappingStore for PostgresDb {
    async fn save_import_mapping(&self, mapping: &ImportMapping) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO import_mappings (headers_key, headers, map, saved_by, saved_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (headers_key) DO UPDATE SET headers = excluded.headers,
                 map = excluded.map, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind(&mapping.headers_key)
        .bind(Json(&mapping.headers))
        .bind(Json(&mapping.map))
        .bind(&mapping.saved_by)
        .bind(micros(mapping.saved_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn import_mapping(&self, headers_key: &str) -> Result<Option<ImportMapping>> {
        let mut connection = self.read().await?;
        type Row = (
            Json<Vec<String>>,
            Json<BTreeMap<String, String>>,
            String,
            i64,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT headers, map, saved_by, saved_at FROM import_mappings WHERE headers_key = $1",
        )
        .bind(headers_key)
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        row.map(|(headers, map, saved_by, saved_at)| {
            Ok(ImportMapping {
                headers_key: headers_key.to_owned(),
                headers: headers.0,
                map: map.0,
                saved_by,
                saved_at: timestamp(saved_at)?,
            })
        })
        .transpose()
    }
}
