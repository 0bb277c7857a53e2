//! `MetadataStore`: attribute and event definitions, and the schema migration.

use crate::error::Result;
use crate::metadata::{
    AttributeDef, AttributePatch, EventDefinition, EventDefinitionPatch, NewAttribute,
    NewEventDefinition,
};
use async_trait::async_trait;

/// Metadata: one store area of [`super::Store`].
#[async_trait]
pub trait MetadataStore: Send + Sync {
    /// Create or upgrade the schema and install missing preset definitions. Idempotent.
    async fn migrate(&self) -> Result<()>;

    /// Every attribute definition, presets first, in display order.
    async fn list_attributes(&self) -> Result<Vec<AttributeDef>>;
    /// Add a custom attribute after `Schema::check_new` inside the transaction.
    async fn create_attribute(&self, new: &NewAttribute) -> Result<AttributeDef>;
    /// Change an attribute after `Schema::check_patch`, checking stored values where it says.
    async fn update_attribute(&self, name: &str, patch: &AttributePatch) -> Result<AttributeDef>;
    /// Delete a custom attribute and its values on every contact.
    async fn delete_attribute(&self, name: &str) -> Result<()>;

    /// Every event definition, presets first.
    async fn list_event_definitions(&self) -> Result<Vec<EventDefinition>>;
    /// Add a custom event definition.
    async fn create_event_definition(&self, new: &NewEventDefinition) -> Result<EventDefinition>;
    /// Change an event definition.
    async fn update_event_definition(
        &self,
        key: &str,
        patch: &EventDefinitionPatch,
    ) -> Result<EventDefinition>;
    /// Delete a custom event definition (its recorded events stay).
    async fn delete_event_definition(&self, key: &str) -> Result<()>;
}
