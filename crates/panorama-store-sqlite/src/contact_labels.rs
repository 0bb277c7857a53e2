//! Labels on contacts: putting them on and taking them off in bulk. The contacts list's label
//! filter reads `contact_labels` by `(label_id, contact_created_at, contact_id)` and the counts
//! the triggers keep on the label row (migration 0003); it is written once in
//! `panorama-store-sql`'s `contacts_list.rs`.

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::convert::{micros, parse_ids};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::label::LabelId;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Put `label_id` on `contacts` inside the caller's transaction; unknown contacts are skipped.
/// Returns the contacts newly labelled. Import and bulk actions call this in their own
/// transaction and record the `label_add` events they want.
pub(crate) async fn attach(
    connection: &mut SqliteConnection,
    label_id: LabelId,
    contacts: &[ContactId],
    at: jiff::Timestamp,
) -> Result<Vec<ContactId>> {
    let mut added = Vec::new();
    for chunk in contacts.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT OR IGNORE INTO contact_labels
                (label_id, contact_created_at, contact_id, is_real_name, is_wechat_fan, added_at) SELECT ",
        );
        query
            .push_bind(label_id.0)
            .push(", created_at, contact_id, is_real_name, is_wechat_fan, ")
            .push_bind(micros(at))
            .push(" FROM contacts WHERE contact_id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.to_string());
        }
        query.push(") RETURNING contact_id");
        let ids: Vec<String> = query
            .build_query_scalar()
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        added.extend(parse_ids(&ids)?);
    }
    Ok(added)
}

/// Take `label_id` off `contacts`; returns the contacts that carried it.
pub(crate) async fn detach(
    connection: &mut SqliteConnection,
    label_id: LabelId,
    contacts: &[ContactId],
) -> Result<Vec<ContactId>> {
    let mut removed = Vec::new();
    for chunk in contacts.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new("DELETE FROM contact_labels WHERE label_id = ");
        query.push_bind(label_id.0).push(" AND contact_id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.to_string());
        }
        query.push(") RETURNING contact_id");
        let ids: Vec<String> = query
            .build_query_scalar()
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        removed.extend(parse_ids(&ids)?);
    }
    Ok(removed)
}
