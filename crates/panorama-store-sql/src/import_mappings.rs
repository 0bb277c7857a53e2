//! The store's saved import column mappings (ImportMappingStore), written once over
//! [`Backend`](crate::Backend): one row per header key, headers and map as JSON.

use crate::convert::micros;
use crate::{Arg, Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::store::{ImportMapping, ImportMappingStore};

/// What import mappings need that differs between databases: nothing so far (the SQL is the
/// same on both); kept so a difference has its place.
pub trait ImportMappingsSql: Send + Sync {}

#[async_trait]
impl<B: Backend> ImportMappingStore for SqlStore<B> {
    async fn save_import_mapping(&self, mapping: &ImportMapping) -> Result<()> {
        let mut tx = self.backend.write().await?;
        sql(
            "INSERT INTO import_mappings (headers_key, headers, map, saved_by, saved_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (headers_key) DO UPDATE SET headers = excluded.headers,
                 map = excluded.map, saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind(&mapping.headers_key)
        .bind_arg(Arg::json(&mapping.headers))?
        .bind_arg(Arg::json(&mapping.map))?
        .bind(&mapping.saved_by)
        .bind(micros(mapping.saved_at))
        .execute::<B>(&mut tx)
        .await?;
        B::commit(tx).await
    }

    async fn import_mapping(&self, headers_key: &str) -> Result<Option<ImportMapping>> {
        let mut connection = self.backend.read().await?;
        sql("SELECT headers, map, saved_by, saved_at FROM import_mappings WHERE headers_key = $1")
            .bind(headers_key)
            .optional::<B>(&mut connection)
            .await?
            .map(|row| {
                Ok(ImportMapping {
                    headers_key: headers_key.to_owned(),
                    headers: row.json(0)?,
                    map: row.json(1)?,
                    saved_by: row.text(2)?,
                    saved_at: row.time(3)?,
                })
            })
            .transpose()
    }
}
