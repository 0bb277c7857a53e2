//! Anonymous ids: which contact each device or cookie id belongs to, and carrying them over when
//! a merge folds one contact into another.

use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::event::AnonymousId;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// The contacts holding these anonymous ids.
pub(crate) async fn owners<'a>(
    connection: &mut PgConnection,
    ids: impl Iterator<Item = &'a AnonymousId>,
) -> Result<HashMap<String, ContactId>> {
    let mut ids: Vec<&str> = ids.map(AnonymousId::as_str).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(String, Uuid)> = sqlx::query_as(
        "SELECT anonymous_id, contact_id FROM contact_anonymous_ids
         WHERE anonymous_id = ANY($1::text[])",
    )
    .bind(ids)
    .fetch_all(connection)
    .await
    .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|(anonymous_id, contact_id)| (anonymous_id, ContactId::from_uuid(contact_id)))
        .collect())
}

/// Record new anonymous ids; an id already recorded is pointed at its new holder.
pub(crate) async fn insert(
    connection: &mut PgConnection,
    rows: &[(String, ContactId)],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // One row per id, the last holder winning: ON CONFLICT DO UPDATE refuses to touch a row twice.
    let mut latest: HashMap<&str, Uuid> = HashMap::with_capacity(rows.len());
    for (anonymous_id, contact_id) in rows {
        latest.insert(anonymous_id.as_str(), contact_id.uuid());
    }
    let (ids, holders): (Vec<&str>, Vec<Uuid>) = latest.into_iter().unzip();
    sqlx::query(
        "INSERT INTO contact_anonymous_ids (anonymous_id, contact_id)
         SELECT * FROM unnest($1::text[], $2::uuid[])
         ON CONFLICT (anonymous_id) DO UPDATE SET contact_id = excluded.contact_id",
    )
    .bind(ids)
    .bind(holders)
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Move the anonymous ids of `merged` to `holder`, before `merged` is deleted (the delete would
/// cascade to them).
pub(crate) async fn carry_over(
    connection: &mut PgConnection,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    sqlx::query("UPDATE contact_anonymous_ids SET contact_id = $1 WHERE contact_id = $2")
        .bind(holder.uuid())
        .bind(merged.uuid())
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// The contact holding an anonymous id.
pub(crate) async fn find(
    connection: &mut PgConnection,
    anonymous_id: &AnonymousId,
) -> Result<Option<Contact>> {
    panorama_store_sql::contact_where::<crate::PostgresDb>(
        connection,
        "contact_id = (SELECT contact_id FROM contact_anonymous_ids WHERE anonymous_id = $1)",
        vec![anonymous_id.as_str().into()],
    )
    .await
}
