//! Attribute definitions on SQLite: the JSON edit that removes an attribute's values, and the
//! schema read of the areas not yet written once in `panorama-store-sql`.

use crate::SqliteDb;
use panorama_core::Result;
use panorama_core::metadata::Schema;
use sqlx::SqliteConnection;

/// Every attribute definition in display order (contact writes and ingest groups load it first).
pub(crate) async fn load_schema(connection: &mut SqliteConnection) -> Result<Schema> {
    panorama_store_sql::load_schema::<SqliteDb>(connection).await
}

impl panorama_store_sql::MetadataSql for SqliteDb {
    const DROP_ATTRIBUTE_VALUES: &'static str = "UPDATE contacts SET attributes = \
         json_remove(attributes, '$.\"' || $1 || '\"') WHERE attributes ->> $1 IS NOT NULL";
}
