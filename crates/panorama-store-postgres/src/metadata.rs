//! Attribute definitions on PostgreSQL: the jsonb edit that removes an attribute's values.

use crate::PostgresDb;

impl panorama_store_sql::MetadataSql for PostgresDb {
    const DROP_ATTRIBUTE_VALUES: &'static str =
        "UPDATE contacts SET attributes = attributes - $1 WHERE attributes ? $1";
}
