//! Anonymous ids: which contact each device or cookie id belongs to, and carrying them over when
//! a merge folds one contact into another.

use crate::bulk::SMALL_ROWS_PER_STATEMENT;
use crate::db;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::event::AnonymousId;
use panorama_core::{Error, Result};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

/// The contacts holding these anonymous ids.
pub(crate) async fn owners<'a>(
    connection: &mut SqliteConnection,
    ids: impl Iterator<Item = &'a AnonymousId>,
) -> Result<HashMap<String, ContactId>> {
    let mut ids: Vec<&str> = ids.map(AnonymousId::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(String, String)> = crate::lookup::matching(
        connection,
        "SELECT json_group_array(json_array(anonymous_id, contact_id)) FROM contact_anonymous_ids WHERE",
        "anonymous_id",
        &ids,
    )
    .await?;
    let mut owners = HashMap::new();
    for (anonymous_id, contact_id) in rows {
        owners.insert(
            anonymous_id,
            ContactId::parse(&contact_id).map_err(Error::internal)?,
        );
    }
    Ok(owners)
}

/// Record new anonymous ids; an id already recorded is pointed at its new holder.
pub(crate) async fn insert(
    connection: &mut SqliteConnection,
    rows: &[(String, ContactId)],
) -> Result<()> {
    for chunk in rows.chunks(SMALL_ROWS_PER_STATEMENT / 2) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO contact_anonymous_ids (anonymous_id, contact_id) ",
        );
        query.push_values(chunk, |mut row, (anonymous_id, contact_id)| {
            row.push_bind(anonymous_id.as_str())
                .push_bind(contact_id.to_string());
        });
        query.push(" ON CONFLICT (anonymous_id) DO UPDATE SET contact_id = excluded.contact_id");
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    Ok(())
}

/// Move the anonymous ids of `merged` to `holder`, before `merged` is deleted (the delete would
/// cascade to them).
pub(crate) async fn carry_over(
    connection: &mut SqliteConnection,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    sqlx::query("UPDATE contact_anonymous_ids SET contact_id = $1 WHERE contact_id = $2")
        .bind(holder.to_string())
        .bind(merged.to_string())
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// The contact holding an anonymous id.
pub(crate) async fn find(
    connection: &mut SqliteConnection,
    anonymous_id: &AnonymousId,
) -> Result<Option<Contact>> {
    panorama_store_sql::contact_where::<crate::SqliteDb>(
        connection,
        "contact_id = (SELECT contact_id FROM contact_anonymous_ids WHERE anonymous_id = $1)",
        vec![anonymous_id.as_str().into()],
    )
    .await
}
