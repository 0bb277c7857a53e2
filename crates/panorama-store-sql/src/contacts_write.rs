//! The steps of contact writes written once: loading the state a batch's plan needs (through the
//! backend's batch reads), deleting contacts by id, moving what a merged contact owns.

use crate::backend::Backend;
use crate::query::sql;
use panorama_core::Result;
use panorama_core::contact::{BatchState, ContactId, ContactRecord, KeyValue};

/// The columns a batch writes of a contact, in the order the batch writes bind them (the
/// bounce columns are left to consent's own writes).
pub const CONTACT_WRITE_COLUMNS: &str = "contact_id, attributes, is_real_name, is_wechat_fan, \
     global_subscribed, global_changed_at, global_source, email_subscribed, email_changed_at, \
     email_source, mobile_subscribed, mobile_changed_at, mobile_source, created_at, updated_at";

/// The end of a batch's insert of [`CONTACT_WRITE_COLUMNS`]: a stored contact is updated in
/// place. An upsert rather than a delete and insert (or SQLite's `REPLACE`), which would cascade
/// to keys and events.
pub const CONTACT_UPSERT: &str = "ON CONFLICT (contact_id) DO UPDATE SET \
     attributes = excluded.attributes, is_real_name = excluded.is_real_name, \
     is_wechat_fan = excluded.is_wechat_fan, global_subscribed = excluded.global_subscribed, \
     global_changed_at = excluded.global_changed_at, global_source = excluded.global_source, \
     email_subscribed = excluded.email_subscribed, email_changed_at = excluded.email_changed_at, \
     email_source = excluded.email_source, mobile_subscribed = excluded.mobile_subscribed, \
     mobile_changed_at = excluded.mobile_changed_at, mobile_source = excluded.mobile_source, \
     updated_at = excluded.updated_at";

/// Load the owners of every key value the records carry, those contacts, and the suppression
/// list's entries for those values: what `plan_batch` resolves a batch against.
pub(crate) async fn load_state<B: Backend>(
    connection: &mut B::Conn,
    records: &[ContactRecord],
) -> Result<BatchState> {
    let keys: Vec<&KeyValue> = records.iter().flat_map(|r| &r.keys).collect();
    let mut state = load_owners::<B>(connection, &keys).await?;
    state.suppressed = crate::suppression::load::<B>(connection, keys.iter().copied()).await?;
    Ok(state)
}

/// Load the owners of `keys`, and those contacts.
pub(crate) async fn load_owners<B: Backend>(
    connection: &mut B::Conn,
    keys: &[&KeyValue],
) -> Result<BatchState> {
    let owners = B::key_owners(connection, keys).await?;
    let mut ids: Vec<ContactId> = owners.values().copied().collect();
    // Sorted, so a batch's look-ups walk the primary key in order.
    ids.sort_unstable();
    ids.dedup();
    let contacts = B::contacts_by_ids(connection, &ids)
        .await?
        .into_iter()
        .map(|contact| (contact.contact_id, contact))
        .collect();
    Ok(BatchState {
        owners,
        contacts,
        ..BatchState::default()
    })
}

/// Delete the contacts of `ids` inside the caller's transaction, first putting the key values of
/// those with a channel off on the suppression list; returns how many existed.
///
/// Every delete goes through here, so every effect is the same by construction: keys, events,
/// anonymous ids, consent history, labels and fan records go with the contact (`ON DELETE
/// CASCADE`, or PostgreSQL's statement trigger for events), the label-count triggers fire for the
/// cascaded `contact_labels` rows, and the change feed records each deleted id.
pub async fn delete_ids<B: Backend>(connection: &mut B::Conn, ids: &[ContactId]) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    crate::suppression::before_delete::<B>(connection, ids).await?;
    sql(format!(
        "DELETE FROM contacts WHERE {}",
        B::in_list("contact_id", 1)
    ))
    .bind(ids)
    .execute::<B>(connection)
    .await
}

/// Delete contact `id` and the suppression entries of its key values, leaving none of the person
/// (an erasure); returns whether it existed.
pub(crate) async fn erase<B: Backend>(connection: &mut B::Conn, id: ContactId) -> Result<bool> {
    crate::suppression::forget::<B>(connection, id).await?;
    let deleted = sql("DELETE FROM contacts WHERE contact_id = $1")
        .bind(id)
        .execute::<B>(connection)
        .await?;
    Ok(deleted > 0)
}

/// Move everything `merged` owns besides its row, keys and events (consent history, a hard
/// bounce, contact labels, fan records and their follower labels) to `holder`, before `merged`
/// is deleted. Where both hold the same thing (a label, a fan record of one account) the
/// holder's is kept and the merged contact's goes with it.
pub async fn move_owned<B: Backend>(
    connection: &mut B::Conn,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    let statements = [
        "UPDATE consent_history SET contact_id = $1 WHERE contact_id = $2",
        // The later bounce is kept; it only counts while the survivor has that address.
        "UPDATE contacts SET (email_bounced_address, email_bounced_at) =
            (SELECT email_bounced_address, email_bounced_at FROM contacts WHERE contact_id = $2)
         WHERE contact_id = $1
           AND (SELECT email_bounced_at FROM contacts WHERE contact_id = $2) > COALESCE(email_bounced_at, -1)",
        // The merged contact's copy of a label the holder already carries is dropped first (its
        // delete trigger uncounts it, as the cascade would), then the rest move.
        "DELETE FROM contact_labels WHERE contact_id = $2
           AND label_id IN (SELECT label_id FROM contact_labels WHERE contact_id = $1)",
        // Labels carry the contact's creation time and categories: take the survivor's.
        "UPDATE contact_labels SET contact_id = $1,
            (contact_created_at, is_real_name, is_wechat_fan) =
                (SELECT created_at, is_real_name, is_wechat_fan FROM contacts WHERE contact_id = $1)
         WHERE contact_id = $2",
        // A fan record of an account the holder has no fan of moves; follower labels follow it
        // (ON UPDATE CASCADE). The others go with the merged contact.
        "UPDATE wechat_fans SET contact_id = $1 WHERE contact_id = $2
           AND app_id NOT IN (SELECT app_id FROM wechat_fans WHERE contact_id = $1)",
    ];
    for statement in statements {
        sql(statement)
            .bind(holder)
            .bind(merged)
            .execute::<B>(connection)
            .await?;
    }
    Ok(())
}
