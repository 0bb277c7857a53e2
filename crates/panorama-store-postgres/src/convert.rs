//! Rows to domain values and back: times as microseconds, JSON as jsonb, flags as booleans.

use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use panorama_core::metadata::{
    AttributeDef, AttributeType, EventDefinition, MachineName, Translations,
};
use panorama_core::{Error, Result};
use serde_json::{Map, Value};
use sqlx::FromRow;
use sqlx::types::Json;
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) use panorama_store_sql::convert::{micros, timestamp};

/// A stored count or size (bigint) as the unsigned number the domain uses.
pub(crate) fn small(n: Option<i64>) -> Result<Option<u32>> {
    n.map(|n| u32::try_from(n).map_err(Error::internal))
        .transpose()
}

/// Columns selected for an event, in [`EventRow`]'s order.
pub(crate) const EVENT_COLUMNS: &str = "event_id, contact_id, event, occurred_at, properties";

/// One `events` row as [`EVENT_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct EventRow {
    event_id: String,
    contact_id: Uuid,
    event: String,
    occurred_at: i64,
    properties: Json<Map<String, Value>>,
}

impl EventRow {
    /// The event this row stores.
    pub(crate) fn into_event(self) -> Result<Event> {
        Ok(Event {
            event_id: self.event_id,
            contact_id: ContactId::from_uuid(self.contact_id),
            event: self.event,
            occurred_at: timestamp(self.occurred_at)?,
            properties: self.properties.0,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct AttributeRow {
    name: String,
    display_name: String,
    names: Json<Translations>,
    value_names: Json<BTreeMap<String, Translations>>,
    attribute_type: String,
    max_length: Option<i64>,
    scale: Option<i64>,
    enum_values: Json<Vec<String>>,
    nullable: bool,
    default_value: Option<Json<serde_json::Value>>,
    primary_key: bool,
    preset: bool,
    searchable: bool,
    sortable: bool,
    computed: bool,
}

impl AttributeRow {
    pub(crate) fn into_def(self) -> Result<AttributeDef> {
        Ok(AttributeDef {
            name: MachineName::parse(&self.name, "name").map_err(Error::internal)?,
            display_name: self.display_name,
            names: self.names.0,
            value_names: self.value_names.0,
            attribute_type: AttributeType::parse(&self.attribute_type).map_err(Error::internal)?,
            max_length: small(self.max_length)?,
            scale: small(self.scale)?,
            enum_values: self.enum_values.0,
            nullable: self.nullable,
            default_value: self.default_value.map(|v| v.0),
            primary_key: self.primary_key,
            preset: self.preset,
            searchable: self.searchable,
            sortable: self.sortable,
            computed: self.computed,
        })
    }
}

#[derive(FromRow)]
pub(crate) struct EventDefinitionRow {
    key: String,
    display_name: String,
    names: Json<Translations>,
    group_name: String,
    preset: bool,
    attributes: Json<serde_json::Value>,
}

impl EventDefinitionRow {
    pub(crate) fn into_definition(self) -> Result<EventDefinition> {
        Ok(EventDefinition {
            key: MachineName::parse(&self.key, "key").map_err(Error::internal)?,
            display_name: self.display_name,
            names: self.names.0,
            group: MachineName::parse(&self.group_name, "group").map_err(Error::internal)?,
            preset: self.preset,
            attributes: serde_json::from_value(self.attributes.0)
                .map_err(|e| Error::internal(format!("stored event attributes: {e}")))?,
        })
    }
}
