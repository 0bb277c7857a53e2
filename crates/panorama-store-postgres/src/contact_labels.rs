//! Labels on contacts: putting them on and taking them off in bulk. The contacts list's label
//! filter reads `contact_labels` by `(label_id, contact_created_at, contact_id)` and the counts
//! the triggers keep on the label row (`contact_labels_count` in the schema); it is written once
//! in `panorama-store-sql`'s `contacts_list.rs`.

use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::label::LabelId;
use sqlx::PgConnection;
use uuid::Uuid;

/// Ids as bound in one array.
fn uuids(contacts: &[ContactId]) -> Vec<Uuid> {
    contacts.iter().map(ContactId::uuid).collect()
}

/// Put `label_id` on `contacts` inside the caller's transaction; unknown contacts are skipped.
/// Returns the contacts newly labelled, for the caller to record the `label_add` events it wants.
pub(crate) async fn attach(
    connection: &mut PgConnection,
    label_id: LabelId,
    contacts: &[ContactId],
    at: jiff::Timestamp,
) -> Result<Vec<ContactId>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO contact_labels
             (label_id, contact_created_at, contact_id, is_real_name, is_wechat_fan, added_at)
         SELECT $1, created_at, contact_id, is_real_name, is_wechat_fan, $2
         FROM contacts WHERE contact_id = ANY($3)
         ON CONFLICT DO NOTHING RETURNING contact_id",
    )
    .bind(label_id.0)
    .bind(micros(at))
    .bind(uuids(contacts))
    .fetch_all(connection)
    .await
    .map_err(db)?;
    Ok(ids.into_iter().map(ContactId::from_uuid).collect())
}

/// Take `label_id` off `contacts`; returns the contacts that carried it.
pub(crate) async fn detach(
    connection: &mut PgConnection,
    label_id: LabelId,
    contacts: &[ContactId],
) -> Result<Vec<ContactId>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "DELETE FROM contact_labels WHERE label_id = $1 AND contact_id = ANY($2)
         RETURNING contact_id",
    )
    .bind(label_id.0)
    .bind(uuids(contacts))
    .fetch_all(connection)
    .await
    .map_err(db)?;
    Ok(ids.into_iter().map(ContactId::from_uuid).collect())
}
