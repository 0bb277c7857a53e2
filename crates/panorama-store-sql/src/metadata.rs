//! The store's attribute and event definitions (MetadataStore), written once over
//! [`Backend`](crate::Backend): each change loads the definitions, lets core's `Schema` or
//! `EventDefinition` rule on it, and writes the outcome in the same write transaction.

use crate::schema::{
    install_presets, load_event_definitions, load_schema, next_position, save_attribute,
    save_event_definition,
};
use crate::{Backend, SqlStore, attribute_values, sql};
use async_trait::async_trait;
use panorama_core::metadata::{
    AttributeDef, AttributePatch, EventDefinition, EventDefinitionPatch, NewAttribute,
    NewEventDefinition,
};
use panorama_core::store::MetadataStore;
use panorama_core::{Error, Result};

/// What metadata needs that differs between databases: the SQL that edits a JSON document.
pub trait MetadataSql: Send + Sync {
    /// Remove the attribute named `$1` from the `attributes` of every contact holding it.
    const DROP_ATTRIBUTE_VALUES: &'static str;
}

#[async_trait]
impl<B: Backend> MetadataStore for SqlStore<B> {
    async fn migrate(&self) -> Result<()> {
        self.backend.run_migrations().await?;
        let mut tx = self.backend.write().await?;
        install_presets::<B>(&mut tx).await?;
        B::commit(tx).await
    }

    async fn list_attributes(&self) -> Result<Vec<AttributeDef>> {
        let mut connection = self.backend.read().await?;
        Ok(load_schema::<B>(&mut connection)
            .await?
            .attributes()
            .to_vec())
    }

    async fn create_attribute(&self, new: &NewAttribute) -> Result<AttributeDef> {
        let mut tx = self.backend.write().await?;
        let def = load_schema::<B>(&mut tx).await?.check_new(new)?;
        let position = next_position::<B>(&mut tx, "attributes").await?;
        save_attribute::<B>(&mut tx, &def, position).await?;
        B::commit(tx).await?;
        Ok(def)
    }

    async fn update_attribute(&self, name: &str, patch: &AttributePatch) -> Result<AttributeDef> {
        let mut tx = self.backend.write().await?;
        let schema = load_schema::<B>(&mut tx).await?;
        let (def, checks) = schema.check_patch(name, patch)?;
        attribute_values::check::<B>(&mut tx, &def, &checks).await?;
        save_attribute::<B>(&mut tx, &def, 0).await?;
        B::commit(tx).await?;
        Ok(def)
    }

    async fn delete_attribute(&self, name: &str) -> Result<()> {
        let mut tx = self.backend.write().await?;
        load_schema::<B>(&mut tx).await?.check_delete(name)?;
        attribute_values::remove::<B>(&mut tx, name).await?;
        sql("DELETE FROM attributes WHERE name = $1")
            .bind(name)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn list_event_definitions(&self) -> Result<Vec<EventDefinition>> {
        let mut connection = self.backend.read().await?;
        load_event_definitions::<B>(&mut connection).await
    }

    async fn create_event_definition(&self, new: &NewEventDefinition) -> Result<EventDefinition> {
        let mut tx = self.backend.write().await?;
        let existing = load_event_definitions::<B>(&mut tx).await?;
        let definition = EventDefinition::check_new(&existing, new)?;
        let position = next_position::<B>(&mut tx, "event_definitions").await?;
        save_event_definition::<B>(&mut tx, &definition, position).await?;
        B::commit(tx).await?;
        Ok(definition)
    }

    async fn update_event_definition(
        &self,
        key: &str,
        patch: &EventDefinitionPatch,
    ) -> Result<EventDefinition> {
        let mut tx = self.backend.write().await?;
        let existing = load_event_definitions::<B>(&mut tx).await?;
        let definition = stored(&existing, key)?.check_patch(patch)?;
        save_event_definition::<B>(&mut tx, &definition, 0).await?;
        B::commit(tx).await?;
        Ok(definition)
    }

    async fn delete_event_definition(&self, key: &str) -> Result<()> {
        let mut tx = self.backend.write().await?;
        let existing = load_event_definitions::<B>(&mut tx).await?;
        stored(&existing, key)?.check_delete()?;
        sql("DELETE FROM event_definitions WHERE key = $1")
            .bind(key)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }
}

/// The stored definition of event `key`.
fn stored<'a>(existing: &'a [EventDefinition], key: &str) -> Result<&'a EventDefinition> {
    existing
        .iter()
        .find(|d| d.key.as_str() == key)
        .ok_or_else(|| Error::not_found("event definition", key))
}
