//! Contact reads: by key value and by id. Writes go through `bulk.rs`.

use crate::convert::{CONTACT_COLUMNS, ContactRow};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId, KeyValue};
use sqlx::{AssertSqlSafe, SqliteConnection};

/// The contact holding `key`, if any.
pub(crate) async fn find(
    connection: &mut SqliteConnection,
    key: &KeyValue,
) -> Result<Option<Contact>> {
    let sql = format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id =
            (SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2)"
    );
    let row: Option<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key.attribute)
        .bind(&key.value)
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(ContactRow::into_contact).transpose()
}

/// The contact with this id, if any.
pub(crate) async fn get(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
) -> Result<Option<Contact>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = $1");
    let row: Option<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(contact_id.to_string())
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(ContactRow::into_contact).transpose()
}
