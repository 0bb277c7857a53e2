//! The tables a copy moves and the shape of their rows: each column's kind decides its canonical
//! form (core's `CopyRow`) and how each database writes it inside JSON ([`NativeForm`]: SQLite's
//! `json_object`, both stores' merge snapshots). Merge records hold rows of other tables (their
//! undo snapshots); those are converted too, so a merge copied from SQLite can be undone on
//! PostgreSQL.

use super::tables::COPY_TABLES;
use panorama_core::store::CopyRow;
use panorama_core::{Error, Result};
use serde_json::{Map, Value};

/// What a column holds, which decides its canonical form and each backend's SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// Text.
    Text,
    /// A UUID Panorama made: `uuid` on PostgreSQL, text on SQLite; lower-case text in a row.
    Id,
    /// A 64-bit integer (times in microseconds, counts, integer ids).
    Integer,
    /// A boolean (0/1 on SQLite).
    Flag,
    /// A JSON value (`jsonb` on PostgreSQL, JSON text on SQLite).
    Json,
    /// A `contacts` row as the store wrote it into JSON (merge snapshots).
    ContactRow,
    /// Rows of contact-owned tables as the store wrote them: `{table: {side: [row, ...]}}`.
    OwnedRows,
}

/// A column of a copied table.
#[derive(Debug, Clone, Copy)]
pub struct CopyColumn {
    /// The column's name, the same in every backend.
    pub name: &'static str,
    /// What it holds.
    pub kind: CopyKind,
}

/// A copied table: its name, primary key (the keyset order of reads) and shared columns.
#[derive(Debug)]
pub struct CopyTable {
    /// The table's name, the same in every backend.
    pub name: &'static str,
    /// The primary key's columns, in key order.
    pub key: &'static [&'static str],
    /// True for the preset-holding metadata a migrated target already has: it is replaced by
    /// the source's rather than making the target count as not empty.
    pub replaced: bool,
    /// Every column both backends share.
    pub columns: &'static [CopyColumn],
}

/// How a backend writes a row inside JSON (SQLite's `json_object`, both stores' merge snapshots).
#[derive(Debug, Clone, Copy)]
pub struct NativeForm {
    /// JSON columns are JSON text inside the JSON (SQLite) rather than nested values.
    pub json_as_text: bool,
    /// Flags are 0 and 1 rather than booleans.
    pub flags_as_integers: bool,
}

/// The copied table named `name`.
pub fn copy_table(name: &str) -> Option<&'static CopyTable> {
    COPY_TABLES.iter().find(|table| table.name == name)
}

/// A table or column name as an SQL identifier (names come from [`COPY_TABLES`]).
pub fn sql_name(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl CopyTable {
    /// The key columns, in key order.
    pub fn key_columns(&self) -> impl Iterator<Item = &CopyColumn> {
        self.key
            .iter()
            .filter_map(|name| self.columns.iter().find(|c| c.name == *name))
    }

    /// Every column's name as an SQL identifier, separated by commas: an insert's column list.
    pub fn sql_columns(&self) -> String {
        let names: Vec<String> = self.columns.iter().map(|c| sql_name(c.name)).collect();
        names.join(", ")
    }

    /// `table (key=value, ...)`, naming a row in errors.
    pub fn describe(&self, row: &CopyRow) -> String {
        let key: Vec<String> = self
            .key
            .iter()
            .map(|name| format!("{name}={}", row.get(*name).unwrap_or(&Value::Null)))
            .collect();
        format!("{} ({})", self.name, key.join(", "))
    }

    /// The columns of `row` holding U+0000 anywhere in their text (nested JSON included, keys
    /// too): rows PostgreSQL cannot store, which only a store written before text was checked
    /// for control characters can hold.
    pub fn nul_columns(&self, row: &CopyRow) -> Vec<&'static str> {
        self.columns
            .iter()
            .filter(|column| row.get(column.name).is_some_and(holds_nul))
            .map(|column| column.name)
            .collect()
    }

    /// The canonical row of a row written by a backend in `form`: only the shared columns, each
    /// in its canonical form.
    pub fn canonical_row(&self, native: &Map<String, Value>, form: NativeForm) -> Result<CopyRow> {
        let mut row = CopyRow::new();
        for column in self.columns {
            let value = native.get(column.name).unwrap_or(&Value::Null);
            let canonical = canonical_value(column.kind, value, form).map_err(|detail| {
                Error::internal(format!(
                    "copy: {}: column {}: {detail}",
                    self.describe(native),
                    column.name
                ))
            })?;
            row.insert(column.name.to_owned(), canonical);
        }
        Ok(row)
    }

    /// A canonical row as a backend writes it in `form`.
    pub fn native_row(&self, row: &CopyRow, form: NativeForm) -> Result<Map<String, Value>> {
        let mut native = Map::new();
        for column in self.columns {
            let value = row.get(column.name).unwrap_or(&Value::Null);
            let written = native_value(column.kind, value, form).map_err(|detail| {
                Error::internal(format!(
                    "copy: {}: column {}: {detail}",
                    self.describe(row),
                    column.name
                ))
            })?;
            native.insert(column.name.to_owned(), written);
        }
        Ok(native)
    }
}

/// Whether any text in `value` (strings and object keys, at any depth) holds U+0000.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// `value` (written in `form`) in the canonical form of `kind`.
fn canonical_value(kind: CopyKind, value: &Value, form: NativeForm) -> Result<Value, String> {
    let nested = |value: &Value| -> Result<Value, String> {
        match value {
            Value::String(text) if form.json_as_text => {
                serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
            }
            other => Ok(other.clone()),
        }
    };
    match (kind, value) {
        (_, Value::Null) => Ok(Value::Null),
        (CopyKind::Text, Value::String(_)) => Ok(value.clone()),
        (CopyKind::Id, Value::String(text)) => Ok(Value::String(text.to_ascii_lowercase())),
        (CopyKind::Integer, Value::Number(n)) if n.is_i64() => Ok(value.clone()),
        (CopyKind::Flag, Value::Bool(_)) => Ok(value.clone()),
        (CopyKind::Flag, Value::Number(n)) => Ok(Value::Bool(n.as_i64() != Some(0))),
        (CopyKind::Json, value) => nested(value),
        (CopyKind::ContactRow, value) => match nested(value)? {
            Value::Object(row) => contacts_table()
                .canonical_row(&row, form)
                .map(Value::Object)
                .map_err(|e| e.to_string()),
            Value::Null => Ok(Value::Null),
            other => Err(format!("expected a contacts row, found {other}")),
        },
        (CopyKind::OwnedRows, value) => {
            map_owned(&nested(value)?, |table, row| table.canonical_row(row, form))
        }
        (kind, value) => Err(format!("expected {kind:?}, found {value}")),
    }
}

/// Canonical `value` of `kind` as a backend writes it in `form`.
fn native_value(kind: CopyKind, value: &Value, form: NativeForm) -> Result<Value, String> {
    let as_text = |value: Value| match value {
        Value::Null => Value::Null,
        other if form.json_as_text => Value::String(other.to_string()),
        other => other,
    };
    Ok(match (kind, value) {
        (_, Value::Null) => Value::Null,
        (CopyKind::Flag, Value::Bool(flag)) if form.flags_as_integers => {
            Value::from(i64::from(*flag))
        }
        (CopyKind::Json, value) => as_text(value.clone()),
        (CopyKind::ContactRow, Value::Object(row)) => as_text(Value::Object(
            contacts_table()
                .native_row(row, form)
                .map_err(|e| e.to_string())?,
        )),
        (CopyKind::OwnedRows, value) => {
            as_text(map_owned(value, |table, row| table.native_row(row, form))?)
        }
        (_, value) => value.clone(),
    })
}

/// `{table: {side: [row, ...]}}` with `convert` applied to every row of a copied table; rows of
/// tables a copy does not know (a backend's derived tables) are left out.
fn map_owned(
    value: &Value,
    convert: impl Fn(&CopyTable, &Map<String, Value>) -> Result<CopyRow>,
) -> Result<Value, String> {
    let Value::Object(tables) = value else {
        return Err(format!("expected rows by table, found {value}"));
    };
    let mut converted = Map::new();
    for (name, sides) in tables {
        let (Some(table), Value::Object(sides)) = (copy_table(name), sides) else {
            continue;
        };
        let mut out = Map::new();
        for (side, rows) in sides {
            let rows = rows.as_array().map_or(&[][..], Vec::as_slice);
            let rows: Vec<Value> = rows
                .iter()
                .filter_map(Value::as_object)
                .map(|row| convert(table, row).map(Value::Object))
                .collect::<Result<_>>()
                .map_err(|e| e.to_string())?;
            out.insert(side.clone(), Value::Array(rows));
        }
        converted.insert(name.clone(), Value::Object(out));
    }
    Ok(Value::Object(converted))
}

/// The `contacts` table, whose rows merge snapshots hold.
fn contacts_table() -> &'static CopyTable {
    // COPY_TABLES lists contacts; the fallback only keeps this total.
    copy_table("contacts").unwrap_or(&COPY_TABLES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SQLITE: NativeForm = NativeForm {
        json_as_text: true,
        flags_as_integers: true,
    };

    #[test]
    fn every_table_has_its_key_among_its_columns() {
        for table in COPY_TABLES {
            assert_eq!(
                table.key_columns().count(),
                table.key.len(),
                "{}",
                table.name
            );
        }
    }

    #[test]
    fn rows_holding_nul_name_their_columns() {
        let contacts = copy_table("contacts").expect("contacts are copied");
        let clean = json!({"contact_id": "c1", "attributes": {"name": "Ann"}});
        assert!(
            contacts
                .nul_columns(clean.as_object().expect("an object"))
                .is_empty()
        );
        let nul = json!({"contact_id": "c1", "attributes": {"city": ["x\u{0}y"]}});
        assert_eq!(
            contacts.nul_columns(nul.as_object().expect("an object")),
            ["attributes"]
        );
    }

    #[test]
    fn snapshots_round_trip_through_a_native_form() {
        let merges = copy_table("merges").expect("merges are copied");
        let native = json!({
            "merge_id": "m1", "survivor_id": "0191AB", "merged_id": "0191ac", "merged_at": 5,
            "merged_row": "{\"contact_id\":\"0191AC\",\"attributes\":\"{\\\"name\\\":\\\"B\\\"}\",\"is_real_name\":1}",
            "owned_rows": "{\"contact_labels\":{\"merged\":[{\"label_id\":3,\"is_real_name\":0}]},\"contact_changes\":{}}",
            "event_ids": "[\"e1\"]", "anonymous_ids": "[]"
        });
        let row = merges
            .canonical_row(native.as_object().expect("an object"), SQLITE)
            .expect("canonical");
        assert_eq!(row["survivor_id"], json!("0191ab"));
        assert_eq!(row["merged_row"]["attributes"], json!({"name": "B"}));
        assert_eq!(row["merged_row"]["is_real_name"], json!(true));
        assert_eq!(
            row["owned_rows"]["contact_labels"]["merged"][0]["is_real_name"],
            json!(false)
        );
        assert!(row["owned_rows"].get("contact_changes").is_none());
        let again = merges
            .canonical_row(&merges.native_row(&row, SQLITE).expect("native"), SQLITE)
            .expect("canonical again");
        assert_eq!(again, row);
    }
}
