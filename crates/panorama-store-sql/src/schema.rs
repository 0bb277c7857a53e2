//! Attribute and event definitions as stored: loading them (every write of contacts or events
//! loads the schema first), saving one, and the preset install a migration ends with.

use crate::{Arg, Backend, DbRow, sql};
use panorama_core::metadata::{
    AttributeDef, AttributeType, EventDefinition, MachineName, Schema, preset_attribute_writes,
    preset_event_writes,
};
use panorama_core::{Error, Result};

/// Every attribute definition in display order.
pub async fn load_schema<B: Backend>(connection: &mut B::Conn) -> Result<Schema> {
    let rows = sql(
        "SELECT name, display_name, names, value_names, attribute_type, max_length, scale,
             enum_values, nullable, default_value, primary_key, preset, searchable, sortable,
             computed
         FROM attributes ORDER BY position",
    )
    .all::<B>(connection)
    .await?;
    let attributes = rows.iter().map(attribute).collect::<Result<_>>()?;
    Ok(Schema::new(attributes))
}

/// One `attributes` row as [`load_schema`] selects it.
fn attribute(row: &impl DbRow) -> Result<AttributeDef> {
    let small = |i| {
        row.opt_i64(i)?
            .map(|n| u32::try_from(n).map_err(Error::internal))
            .transpose()
    };
    Ok(AttributeDef {
        name: MachineName::parse(&row.text(0)?, "name").map_err(Error::internal)?,
        display_name: row.text(1)?,
        names: row.json(2)?,
        value_names: row.json(3)?,
        attribute_type: AttributeType::parse(&row.text(4)?).map_err(Error::internal)?,
        max_length: small(5)?,
        scale: small(6)?,
        enum_values: row.json(7)?,
        nullable: row.bool(8)?,
        default_value: row.opt_json_value(9)?,
        primary_key: row.bool(10)?,
        preset: row.bool(11)?,
        searchable: row.bool(12)?,
        sortable: row.bool(13)?,
        computed: row.bool(14)?,
    })
}

/// Insert or replace one definition at `position` (a replaced one keeps its position).
pub(crate) async fn save_attribute<B: Backend>(
    connection: &mut B::Conn,
    def: &AttributeDef,
    position: i64,
) -> Result<()> {
    sql("INSERT INTO attributes (name, display_name, attribute_type, max_length, scale, enum_values, nullable,
             default_value, primary_key, preset, searchable, sortable, computed, position, names, value_names)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, max_length = excluded.max_length,
             names = excluded.names, value_names = excluded.value_names,
             primary_key = excluded.primary_key, searchable = excluded.searchable, sortable = excluded.sortable")
    .bind(def.name.as_str())
    .bind(&def.display_name)
    .bind(def.attribute_type.as_str())
    .bind(def.max_length.map(i64::from))
    .bind(def.scale.map(i64::from))
    .bind_arg(Arg::json(&def.enum_values))?
    .bind(def.nullable)
    .bind(def.default_value.clone())
    .bind(def.primary_key)
    .bind(def.preset)
    .bind(def.searchable)
    .bind(def.sortable)
    .bind(def.computed)
    .bind(position)
    .bind_arg(Arg::json(&def.names))?
    .bind_arg(Arg::json(&def.value_names))?
    .execute::<B>(connection)
    .await
    .map(drop)
}

/// The next free display position in `table` (`attributes` or `event_definitions`).
pub(crate) async fn next_position<B: Backend>(
    connection: &mut B::Conn,
    table: &'static str,
) -> Result<i64> {
    sql(format!(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM {table}"
    ))
    .one::<B>(connection)
    .await?
    .i64(0)
}

/// Install the presets a store lacks, and the display names of presets stored before names
/// existed (core decides which: `preset_attribute_writes`); existing ones keep the company's edits.
pub(crate) async fn install_presets<B: Backend>(connection: &mut B::Conn) -> Result<()> {
    let schema = load_schema::<B>(connection).await?;
    for (def, new) in preset_attribute_writes(schema.attributes()) {
        let position = match new {
            true => next_position::<B>(connection, "attributes").await?,
            false => 0,
        };
        save_attribute::<B>(connection, &def, position).await?;
    }
    let existing = load_event_definitions::<B>(connection).await?;
    for (definition, new) in preset_event_writes(&existing) {
        let position = match new {
            true => next_position::<B>(connection, "event_definitions").await?,
            false => 0,
        };
        save_event_definition::<B>(connection, &definition, position).await?;
    }
    Ok(())
}

/// Every event definition in display order.
pub(crate) async fn load_event_definitions<B: Backend>(
    connection: &mut B::Conn,
) -> Result<Vec<EventDefinition>> {
    let rows = sql(
        "SELECT key, display_name, names, group_name, preset, attributes
         FROM event_definitions ORDER BY position",
    )
    .all::<B>(connection)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(EventDefinition {
                key: MachineName::parse(&row.text(0)?, "key").map_err(Error::internal)?,
                display_name: row.text(1)?,
                names: row.json(2)?,
                group: MachineName::parse(&row.text(3)?, "group").map_err(Error::internal)?,
                preset: row.bool(4)?,
                attributes: row.json(5)?,
            })
        })
        .collect()
}

/// Insert or replace an event definition (a replaced one keeps its position).
pub(crate) async fn save_event_definition<B: Backend>(
    connection: &mut B::Conn,
    definition: &EventDefinition,
    position: i64,
) -> Result<()> {
    sql("INSERT INTO event_definitions (key, display_name, group_name, preset, attributes, position, names)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key) DO UPDATE SET display_name = excluded.display_name, group_name = excluded.group_name,
             attributes = excluded.attributes, names = excluded.names")
    .bind(definition.key.as_str())
    .bind(&definition.display_name)
    .bind(definition.group.as_str())
    .bind(definition.preset)
    .bind_arg(Arg::json(&definition.attributes))?
    .bind(position)
    .bind_arg(Arg::json(&definition.names))?
    .execute::<B>(connection)
    .await
    .map(drop)
}

/// The schema, read on a pooled connection (for the areas that are not written once yet).
pub async fn read_schema<B: Backend>(backend: &B) -> Result<Schema> {
    let mut connection = backend.read().await?;
    load_schema::<B>(&mut connection).await
}
