//! Attribute definitions on PostgreSQL: the jsonb edit that removes an attribute's values, and
//! the schema read of the areas not yet written once in `panorama-store-sql`.

use crate::PostgresDb;
use panorama_core::Result;
use panorama_core::metadata::Schema;
use sqlx::PgConnection;

/// Every attribute definition in display order (contact and event writes load it first).
pub(crate) async fn load_schema(connection: &mut PgConnection) -> Result<Schema> {
    panorama_store_sql::load_schema::<PostgresDb>(connection).await
}

impl panorama_store_sql::MetadataSql for PostgresDb {
    const DROP_ATTRIBUTE_VALUES: &'static str =
        "UPDATE contacts SET attributes = attributes - $1 WHERE attributes ? $1";
}
