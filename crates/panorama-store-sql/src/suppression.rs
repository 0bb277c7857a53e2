//! The suppression list written once: entries looked up by key hash with a batch's key owners,
//! written by every delete inside its transaction, dropped by an erasure. The rules (what a
//! delete keeps, what a write inherits) are core's `contact/suppression.rs`; the contact and
//! ingest writes call these functions inside their own transactions.

use crate::convert::micros;
use crate::values::insert_rows;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::contact::{
    ContactId, KeyHash, KeyValue, Suppressed, SuppressionEntry, Suppressions, entries_on_delete,
    key_hashes, now_micros,
};

/// The entries for `keys`. An empty list (the common case) costs one query and no hashing.
pub async fn load<'k, B: Backend>(
    conn: &mut B::Conn,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<Suppressions> {
    let any = sql("SELECT EXISTS (SELECT 1 FROM contact_suppressions)")
        .one::<B>(conn)
        .await?
        .bool(0)?;
    if !any {
        return Ok(Suppressions::default());
    }
    Ok(Suppressions::new(
        entries::<B>(conn, &key_hashes(keys)).await?,
    ))
}

/// The stored entries of `hashes`.
pub async fn entries<B: Backend>(
    conn: &mut B::Conn,
    hashes: &[KeyHash],
) -> Result<Vec<SuppressionEntry>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let hashes: Vec<String> = hashes.iter().map(|h| h.as_str().to_owned()).collect();
    let rows = sql(format!(
        "SELECT key_hash, global_suppressed, email_suppressed, mobile_suppressed
         FROM contact_suppressions WHERE {}",
        B::in_list("key_hash", 1)
    ))
    .bind(hashes)
    .all::<B>(conn)
    .await?;
    rows.iter()
        .map(|row| {
            SuppressionEntry::from_row(&row.text(0)?, row.bool(1)?, row.bool(2)?, row.bool(3)?)
        })
        .collect()
}

/// Put the key values of the contacts `ids` that have a channel off on the list: called by
/// every delete, inside its transaction, before the contacts go.
pub async fn before_delete<B: Backend>(conn: &mut B::Conn, ids: &[ContactId]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let rows = sql(format!(
        "SELECT c.global_subscribed, c.email_subscribed, c.mobile_subscribed, k.attribute, k.value
         FROM contacts c JOIN contact_keys k ON k.contact_id = c.contact_id
         WHERE {} AND NOT (c.global_subscribed AND c.email_subscribed AND c.mobile_subscribed)",
        B::in_list("c.contact_id", 1)
    ))
    .bind(Arg::contact_ids(ids))
    .all::<B>(conn)
    .await?;
    let kept = rows
        .iter()
        .map(|row| {
            Ok((
                Suppressed::from_subscribed(row.bool(0)?, row.bool(1)?, row.bool(2)?),
                KeyValue {
                    attribute: row.text(3)?,
                    value: row.text(4)?,
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let at = micros(now_micros());
    let rows: Vec<Vec<Arg>> = entries_on_delete(kept)
        .iter()
        .map(|entry| {
            vec![
                Arg::from(entry.key_hash.as_str()),
                Arg::from(entry.channels.global),
                Arg::from(entry.channels.email),
                Arg::from(entry.channels.mobile),
                Arg::from(at),
            ]
        })
        .collect();
    // An entry only gains channels: an earlier delete's unsubscribe stays.
    insert_rows::<B>(
        conn,
        "INSERT INTO contact_suppressions (key_hash, global_suppressed, email_suppressed,
            mobile_suppressed, suppressed_at)",
        "ON CONFLICT (key_hash) DO UPDATE SET
            global_suppressed = contact_suppressions.global_suppressed OR excluded.global_suppressed,
            email_suppressed = contact_suppressions.email_suppressed OR excluded.email_suppressed,
            mobile_suppressed = contact_suppressions.mobile_suppressed OR excluded.mobile_suppressed,
            suppressed_at = excluded.suppressed_at",
        5,
        rows,
    )
    .await
    .map(drop)
}

/// Drop the entries of every key value contact `id` holds (an erasure), before it is deleted.
pub async fn forget<B: Backend>(conn: &mut B::Conn, id: ContactId) -> Result<()> {
    let keys = sql("SELECT attribute, value FROM contact_keys WHERE contact_id = $1")
        .bind(id)
        .all::<B>(conn)
        .await?
        .iter()
        .map(|row| {
            Ok(KeyValue {
                attribute: row.text(0)?,
                value: row.text(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let hashes: Vec<String> = key_hashes(keys.iter())
        .into_iter()
        .map(|h| h.as_str().to_owned())
        .collect();
    if hashes.is_empty() {
        return Ok(());
    }
    sql(format!(
        "DELETE FROM contact_suppressions WHERE {}",
        B::in_list("key_hash", 1)
    ))
    .bind(hashes)
    .execute::<B>(conn)
    .await
    .map(drop)
}
