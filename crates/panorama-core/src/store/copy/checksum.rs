//! The checksum of a copied table: the same rows give the same checksum on every backend.
//!
//! It is the sum of the SHA-256 of each row's canonical JSON (keys sorted at every depth), so it
//! does not depend on the order rows are read in: PostgreSQL orders text keys by the database's
//! collation, SQLite by bytes, and the same table can come back in two orders.

use super::CopyRow;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Rows and checksum of one table, accumulated row by row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyChecksum {
    /// Rows added.
    pub rows: u64,
    sum: u128,
}

impl CopyChecksum {
    /// Add one canonical row.
    pub fn add(&mut self, row: &CopyRow) {
        let mut text = String::new();
        write_object(row, &mut text);
        let digest = Sha256::digest(text.as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }

    /// The checksum as 32 hexadecimal digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.sum)
    }
}

fn write_object(object: &serde_json::Map<String, Value>, out: &mut String) {
    let mut keys: Vec<&String> = object.keys().collect();
    keys.sort();
    out.push('{');
    for (index, key) in keys.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(key.clone()).to_string());
        out.push(':');
        if let Some(value) = object.get(key) {
            write_value(value, out);
        }
    }
    out.push('}');
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Object(object) => write_object(object, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> CopyRow {
        value.as_object().cloned().expect("an object")
    }

    #[test]
    fn order_of_rows_and_keys_does_not_matter() {
        let (a, b) = (
            row(json!({"id": 1, "j": {"x": 1, "a": [2, {"z": 1, "b": 2}]}})),
            row(json!({"id": 2, "j": null})),
        );
        let (mut one, mut two) = (CopyChecksum::default(), CopyChecksum::default());
        one.add(&a);
        one.add(&b);
        two.add(&b);
        two.add(&row(
            json!({"j": {"a": [2, {"b": 2, "z": 1}], "x": 1}, "id": 1}),
        ));
        assert_eq!(one, two);
        let mut three = CopyChecksum::default();
        three.add(&a);
        three.add(&row(json!({"id": 2, "j": 0})));
        assert_ne!(one.hex(), three.hex());
    }
}
