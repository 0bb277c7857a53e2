//! Attribute and event definitions: load, add, change, delete, and the preset install.

use crate::convert::{AttributeRow, EventDefinitionRow};
use crate::db;
use panorama_core::contact::KeyValue;
use panorama_core::metadata::*;
use panorama_core::{Error, Result, codes};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection};

const ATTRIBUTE_COLUMNS: &str = "name, display_name, names, value_names, attribute_type, max_length, scale, enum_values, nullable, \
     default_value, primary_key, preset, searchable, sortable, computed";

/// Every attribute definition in display order.
pub(crate) async fn load_schema(connection: &mut PgConnection) -> Result<Schema> {
    let sql = format!("SELECT {ATTRIBUTE_COLUMNS} FROM attributes ORDER BY position");
    let rows: Vec<AttributeRow> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(connection)
        .await
        .map_err(db)?;
    Ok(Schema::new(
        rows.into_iter()
            .map(AttributeRow::into_def)
            .collect::<Result<_>>()?,
    ))
}

/// Insert or replace one definition at `position`.
pub(crate) async fn save_attribute(
    connection: &mut PgConnection,
    def: &AttributeDef,
    position: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO attributes (name, display_name, attribute_type, max_length, scale, enum_values, nullable,
             default_value, primary_key, preset, searchable, sortable, computed, position, names, value_names)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (name) DO UPDATE SET display_name = excluded.display_name, max_length = excluded.max_length,
             names = excluded.names, value_names = excluded.value_names,
             primary_key = excluded.primary_key, searchable = excluded.searchable, sortable = excluded.sortable",
    )
    .bind(def.name.as_str())
    .bind(&def.display_name)
    .bind(def.attribute_type.as_str())
    .bind(def.max_length.map(i64::from))
    .bind(def.scale.map(i64::from))
    .bind(Json(&def.enum_values))
    .bind(def.nullable)
    .bind(def.default_value.as_ref().map(Json))
    .bind(def.primary_key)
    .bind(def.preset)
    .bind(def.searchable)
    .bind(def.sortable)
    .bind(def.computed)
    .bind(position)
    .bind(Json(&def.names))
    .bind(Json(&def.value_names))
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Next free display position.
pub(crate) async fn next_position(connection: &mut PgConnection, table: &str) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(position), 0) + 1 FROM {table}");
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(connection)
        .await
        .map_err(db)
}

/// Install the presets a store lacks, and the display names of presets stored before names
/// existed (core decides which: `preset_attribute_writes`); existing ones keep the company's edits.
pub(crate) async fn install_presets(connection: &mut PgConnection) -> Result<()> {
    let schema = load_schema(connection).await?;
    for (def, new) in preset_attribute_writes(schema.attributes()) {
        let position = match new {
            true => next_position(connection, "attributes").await?,
            false => 0,
        };
        save_attribute(connection, &def, position).await?;
    }
    let existing = load_event_definitions(connection).await?;
    for (definition, new) in preset_event_writes(&existing) {
        let position = match new {
            true => next_position(connection, "event_definitions").await?,
            false => 0,
        };
        save_event_definition(connection, &definition, position).await?;
    }
    Ok(())
}

/// Check that stored values of `def` allow the change `checks` describes, and index new keys.
pub(crate) async fn check_stored_values(
    connection: &mut PgConnection,
    def: &AttributeDef,
    checks: &PatchChecks,
) -> Result<()> {
    let name = def.name.as_str();
    if let Some(length) = checks.max_length {
        let longer: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM contacts WHERE char_length(attributes ->> $1) > $2",
        )
        .bind(name)
        .bind(i64::from(length))
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
        if longer > 0 {
            return Err(Error::invalid(
                codes::VALUE_TOO_LONG,
                format!("{longer} contacts hold a longer `{name}`; shorten those values first"),
                "max_length",
                length,
            ));
        }
    }
    if checks.make_key {
        make_key(connection, def).await?;
    }
    if checks.drop_key {
        sqlx::query("DELETE FROM contact_keys WHERE attribute = $1")
            .bind(name)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}

/// Turn `def` into an identity: refuse if two contacts share a value (in matching form, folded in
/// Rust so the rule is the one `KeyValue` applies), else index every value.
async fn make_key(connection: &mut PgConnection, def: &AttributeDef) -> Result<()> {
    let rows: Vec<(uuid::Uuid, Json<serde_json::Value>)> = sqlx::query_as(
        "SELECT contact_id, attributes -> $1 FROM contacts WHERE attributes ? $1 AND attributes -> $1 <> 'null'::jsonb",
    )
    .bind(def.name.as_str())
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let mut owners = std::collections::HashMap::with_capacity(rows.len());
    for (contact_id, Json(value)) in rows {
        let Some(key) = KeyValue::of(def, &value) else {
            continue;
        };
        if owners.insert(key.value.clone(), contact_id).is_some() {
            return Err(Error::invalid(
                codes::DUPLICATE_VALUES,
                format!(
                    "`{}` cannot become a primary key: several contacts share a value",
                    def.name
                ),
                "primary_key",
                key.value,
            ));
        }
    }
    let (values, ids): (Vec<String>, Vec<uuid::Uuid>) = owners.into_iter().unzip();
    sqlx::query(
        "INSERT INTO contact_keys (attribute, value, contact_id) SELECT $1, * FROM unnest($2::text[], $3::uuid[])",
    )
    .bind(def.name.as_str())
    .bind(&values)
    .bind(&ids)
    .execute(&mut *connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Remove attribute `name` and its values on every contact.
pub(crate) async fn drop_attribute(connection: &mut PgConnection, name: &str) -> Result<()> {
    sqlx::query("UPDATE contacts SET attributes = attributes - $1 WHERE attributes ? $1")
        .bind(name)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    sqlx::query("DELETE FROM contact_keys WHERE attribute = $1")
        .bind(name)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    sqlx::query("DELETE FROM attributes WHERE name = $1")
        .bind(name)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// Every event definition in display order.
pub(crate) async fn load_event_definitions(
    connection: &mut PgConnection,
) -> Result<Vec<EventDefinition>> {
    let rows: Vec<EventDefinitionRow> =
        sqlx::query_as("SELECT key, display_name, names, group_name, preset, attributes FROM event_definitions ORDER BY position")
            .fetch_all(connection)
            .await
            .map_err(db)?;
    rows.into_iter()
        .map(EventDefinitionRow::into_definition)
        .collect()
}

/// Insert or replace an event definition.
pub(crate) async fn save_event_definition(
    connection: &mut PgConnection,
    definition: &EventDefinition,
    position: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO event_definitions (key, display_name, group_name, preset, attributes, position, names)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key) DO UPDATE SET display_name = excluded.display_name, group_name = excluded.group_name,
             attributes = excluded.attributes, names = excluded.names",
    )
    .bind(definition.key.as_str())
    .bind(&definition.display_name)
    .bind(definition.group.as_str())
    .bind(definition.preset)
    .bind(Json(&definition.attributes))
    .bind(position)
    .bind(Json(&definition.names))
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}
