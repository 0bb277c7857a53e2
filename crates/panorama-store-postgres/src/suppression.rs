//! The suppression list on PostgreSQL (migration 0004): entries looked up by key hash with a
//! batch's key owners, written by every delete in its own transaction, dropped by an erasure.
//! The rules (what a delete keeps, what a write inherits) are core's `contact/suppression.rs`.

use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{
    ContactId, KeyHash, KeyValue, Suppressed, SuppressionEntry, Suppressions, entries_on_delete,
    key_hashes, now_micros,
};
use sqlx::PgConnection;

/// The entries for `keys`. An empty list (the common case) costs one query and no hashing.
pub(crate) async fn load<'k>(
    connection: &mut PgConnection,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<Suppressions> {
    let (any,): (bool,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM contact_suppressions)")
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
    if !any {
        return Ok(Suppressions::default());
    }
    Ok(Suppressions::new(
        entries(connection, &key_hashes(keys)).await?,
    ))
}

/// The stored entries of `hashes`.
pub(crate) async fn entries(
    connection: &mut PgConnection,
    hashes: &[KeyHash],
) -> Result<Vec<SuppressionEntry>> {
    let hashes: Vec<&str> = hashes.iter().map(KeyHash::as_str).collect();
    let rows: Vec<(String, bool, bool, bool)> = sqlx::query_as(
        "SELECT key_hash, global_suppressed, email_suppressed, mobile_suppressed
         FROM contact_suppressions WHERE key_hash = ANY($1::text[])",
    )
    .bind(&hashes)
    .fetch_all(connection)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(hash, global, email, mobile)| {
            SuppressionEntry::from_row(&hash, global, email, mobile)
        })
        .collect()
}

/// Put the key values of the contacts `ids` that have a channel off on the list: called by
/// every delete, inside its transaction, before the contacts go.
pub(crate) async fn before_delete(connection: &mut PgConnection, ids: &[ContactId]) -> Result<()> {
    let rows: Vec<(bool, bool, bool, String, String)> = sqlx::query_as(
        "SELECT c.global_subscribed, c.email_subscribed, c.mobile_subscribed, k.attribute, k.value
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.contact_id
         WHERE c.contact_id = ANY($1::uuid[])
           AND NOT (c.global_subscribed AND c.email_subscribed AND c.mobile_subscribed)",
    )
    .bind(crate::lookup::uuids(ids))
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let entries = entries_on_delete(rows.into_iter().map(|(g, e, m, attribute, value)| {
        (
            Suppressed::from_subscribed(g, e, m),
            KeyValue { attribute, value },
        )
    }));
    if entries.is_empty() {
        return Ok(());
    }
    let hashes: Vec<&str> = entries.iter().map(|e| e.key_hash.as_str()).collect();
    let global: Vec<bool> = entries.iter().map(|e| e.channels.global).collect();
    let email: Vec<bool> = entries.iter().map(|e| e.channels.email).collect();
    let mobile: Vec<bool> = entries.iter().map(|e| e.channels.mobile).collect();
    // An entry only gains channels: an earlier delete's unsubscribe stays.
    sqlx::query(
        "INSERT INTO contact_suppressions AS s (key_hash, global_suppressed, email_suppressed,
            mobile_suppressed, suppressed_at)
         SELECT h, g, e, m, $5 FROM unnest($1::text[], $2::bool[], $3::bool[], $4::bool[])
            AS entry(h, g, e, m)
         ON CONFLICT (key_hash) DO UPDATE SET
            global_suppressed = s.global_suppressed OR excluded.global_suppressed,
            email_suppressed = s.email_suppressed OR excluded.email_suppressed,
            mobile_suppressed = s.mobile_suppressed OR excluded.mobile_suppressed,
            suppressed_at = excluded.suppressed_at",
    )
    .bind(&hashes)
    .bind(&global)
    .bind(&email)
    .bind(&mobile)
    .bind(micros(now_micros()))
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// Drop the entries of every key value contact `id` holds (an erasure), before it is deleted.
pub(crate) async fn forget(connection: &mut PgConnection, id: ContactId) -> Result<()> {
    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT attribute, value FROM contact_keys WHERE contact_id = $1")
            .bind(id.uuid())
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
    let keys: Vec<KeyValue> = keys
        .into_iter()
        .map(|(attribute, value)| KeyValue { attribute, value })
        .collect();
    let hashes: Vec<String> = key_hashes(keys.iter())
        .into_iter()
        .map(|h| h.as_str().to_owned())
        .collect();
    sqlx::query("DELETE FROM contact_suppressions WHERE key_hash = ANY($1::text[])")
        .bind(&hashes)
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}
