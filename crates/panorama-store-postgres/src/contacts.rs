//! Contact reads: by key value, by id and by many ids. Writes go through `bulk.rs`.

use crate::convert::{CONTACT_COLUMNS, ContactRow};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId, KeyValue};
use sqlx::{AssertSqlSafe, PgConnection};

/// The contact holding `key`, if any.
pub(crate) async fn find(connection: &mut PgConnection, key: &KeyValue) -> Result<Option<Contact>> {
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
    connection: &mut PgConnection,
    contact_id: ContactId,
) -> Result<Option<Contact>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = $1");
    let row: Option<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(contact_id.uuid())
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(ContactRow::into_contact).transpose()
}

/// The stored contacts among `ids`, in no particular order (one statement, one array bind).
pub(crate) async fn by_ids(
    connection: &mut PgConnection,
    ids: &[ContactId],
) -> Result<Vec<Contact>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = ANY($1::uuid[])");
    let rows: Vec<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(crate::lookup::uuids(ids))
        .fetch_all(connection)
        .await
        .map_err(db)?;
    rows.into_iter().map(ContactRow::into_contact).collect()
}
