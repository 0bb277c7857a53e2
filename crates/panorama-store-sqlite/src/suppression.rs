//! The suppression list on SQLite (migration 0011): entries looked up by key hash with a batch's
//! key owners, written by every delete in its own transaction, dropped by an erasure. The rules
//! (what a delete keeps, what a write inherits) are core's `contact/suppression.rs`.

use crate::bulk::{LOOKUP_VALUES_PER_QUERY, delete_where_in};
use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{
    KeyHash, KeyValue, Suppressed, SuppressionEntry, Suppressions, entries_on_delete, key_hashes,
    now_micros,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The entries for `keys`. An empty list (the common case) costs one query and no hashing.
pub(crate) async fn load<'k>(
    connection: &mut SqliteConnection,
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
    connection: &mut SqliteConnection,
    hashes: &[KeyHash],
) -> Result<Vec<SuppressionEntry>> {
    let hashes: Vec<&str> = hashes.iter().map(KeyHash::as_str).collect();
    let rows: Vec<(String, i64, i64, i64)> = crate::lookup::matching(
        connection,
        "SELECT json_group_array(json_array(key_hash, global_suppressed, email_suppressed,
            mobile_suppressed)) FROM contact_suppressions WHERE",
        "key_hash",
        &hashes,
    )
    .await?;
    rows.into_iter()
        .map(|(hash, global, email, mobile)| {
            SuppressionEntry::from_row(&hash, global != 0, email != 0, mobile != 0)
        })
        .collect()
}

/// Put the key values of the contacts `ids` that have a channel off on the list: called by
/// every delete, inside its transaction, before the contacts go.
pub(crate) async fn before_delete(connection: &mut SqliteConnection, ids: &[&str]) -> Result<()> {
    let rows: Vec<(i64, i64, i64, String, String)> = crate::lookup::matching(
        connection,
        "SELECT json_group_array(json_array(c.global_subscribed, c.email_subscribed,
            c.mobile_subscribed, k.attribute, k.value))
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.contact_id
         WHERE NOT (c.global_subscribed AND c.email_subscribed AND c.mobile_subscribed) AND",
        "c.contact_id",
        ids,
    )
    .await?;
    let entries = entries_on_delete(rows.into_iter().map(|(g, e, m, attribute, value)| {
        (
            Suppressed::from_subscribed(g != 0, e != 0, m != 0),
            KeyValue { attribute, value },
        )
    }));
    let at = micros(now_micros());
    for chunk in entries.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO contact_suppressions (key_hash, global_suppressed, email_suppressed,
                mobile_suppressed, suppressed_at) ",
        );
        query.push_values(chunk, |mut row, entry| {
            row.push_bind(entry.key_hash.as_str())
                .push_bind(entry.channels.global)
                .push_bind(entry.channels.email)
                .push_bind(entry.channels.mobile)
                .push_bind(at);
        });
        // An entry only gains channels: an earlier delete's unsubscribe stays.
        query.push(
            " ON CONFLICT (key_hash) DO UPDATE SET
                global_suppressed = global_suppressed OR excluded.global_suppressed,
                email_suppressed = email_suppressed OR excluded.email_suppressed,
                mobile_suppressed = mobile_suppressed OR excluded.mobile_suppressed,
                suppressed_at = excluded.suppressed_at",
        );
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    Ok(())
}

/// Drop the entries of every key value contact `id` holds (an erasure), before it is deleted.
pub(crate) async fn forget(connection: &mut SqliteConnection, id: &str) -> Result<()> {
    let keys: Vec<(String, String)> =
        sqlx::query_as("SELECT attribute, value FROM contact_keys WHERE contact_id = $1")
            .bind(id)
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
    delete_where_in(
        connection,
        "DELETE FROM contact_suppressions WHERE key_hash IN (",
        &hashes,
    )
    .await
}
