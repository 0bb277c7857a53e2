//! The contacts list's search on PostgreSQL: the `search_text` column and its trigram index.

use panorama_core::metadata::Schema;

/// The `search_text` of a contact with `attributes`: what every search of the list looks in.
pub(crate) fn search_text(
    schema: &Schema,
    attributes: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let _ = (schema, attributes);
    String::new()
}
