//! The store areas for `SqliteDb`: each method one transaction on the writer, or one read.

use crate::{SqliteDb, db, metadata};
use async_trait::async_trait;
use panorama_core::metadata::*;
use panorama_core::store::MetadataStore;
use panorama_core::{Error, Result};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl SqliteDb {
    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front, so a second process
    /// on the same file waits (busy timeout) instead of failing half-way.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        begin_write(&self.writer).await
    }
}

/// A write transaction on `writer` (see `SqliteDb::write`).
pub(crate) async fn begin_write(writer: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    writer.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}

#[async_trait]
impl MetadataStore for SqliteDb {
    async fn migrate(&self) -> Result<()> {
        MIGRATOR
            .run(&self.writer)
            .await
            .map_err(|e| Error::internal(format!("migration failed: {e}")))?;
        let mut tx = self.write().await?;
        metadata::install_presets(&mut tx).await?;
        tx.commit().await.map_err(db)
    }

    async fn list_attributes(&self) -> Result<Vec<AttributeDef>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        Ok(metadata::load_schema(&mut connection)
            .await?
            .attributes()
            .to_vec())
    }

    async fn create_attribute(&self, new: &NewAttribute) -> Result<AttributeDef> {
        let mut tx = self.write().await?;
        let def = metadata::load_schema(&mut tx).await?.check_new(new)?;
        let position = metadata::next_position(&mut tx, "attributes").await?;
        metadata::save_attribute(&mut tx, &def, position).await?;
        tx.commit().await.map_err(db)?;
        Ok(def)
    }

    async fn update_attribute(&self, name: &str, patch: &AttributePatch) -> Result<AttributeDef> {
        let mut tx = self.write().await?;
        let (def, checks) = metadata::load_schema(&mut tx)
            .await?
            .check_patch(name, patch)?;
        metadata::check_stored_values(&mut tx, &def, &checks).await?;
        metadata::save_attribute(&mut tx, &def, 0).await?;
        tx.commit().await.map_err(db)?;
        Ok(def)
    }

    async fn delete_attribute(&self, name: &str) -> Result<()> {
        let mut tx = self.write().await?;
        metadata::load_schema(&mut tx).await?.check_delete(name)?;
        metadata::drop_attribute(&mut tx, name).await?;
        tx.commit().await.map_err(db)
    }

    async fn list_event_definitions(&self) -> Result<Vec<EventDefinition>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        metadata::load_event_definitions(&mut connection).await
    }

    async fn create_event_definition(&self, new: &NewEventDefinition) -> Result<EventDefinition> {
        let mut tx = self.write().await?;
        let existing = metadata::load_event_definitions(&mut tx).await?;
        let definition = EventDefinition::check_new(&existing, new)?;
        let position = metadata::next_position(&mut tx, "event_definitions").await?;
        metadata::save_event_definition(&mut tx, &definition, position).await?;
        tx.commit().await.map_err(db)?;
        Ok(definition)
    }

    async fn update_event_definition(
        &self,
        key: &str,
        patch: &EventDefinitionPatch,
    ) -> Result<EventDefinition> {
        let mut tx = self.write().await?;
        let existing = metadata::load_event_definitions(&mut tx).await?;
        let current = existing
            .iter()
            .find(|d| d.key.as_str() == key)
            .ok_or_else(|| Error::not_found("event definition", key))?;
        let definition = current.check_patch(patch)?;
        metadata::save_event_definition(&mut tx, &definition, 0).await?;
        tx.commit().await.map_err(db)?;
        Ok(definition)
    }

    async fn delete_event_definition(&self, key: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let existing = metadata::load_event_definitions(&mut tx).await?;
        existing
            .iter()
            .find(|d| d.key.as_str() == key)
            .ok_or_else(|| Error::not_found("event definition", key))?
            .check_delete()?;
        sqlx::query("DELETE FROM event_definitions WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }
}
