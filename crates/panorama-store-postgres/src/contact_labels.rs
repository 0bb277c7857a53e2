//! Labels on contacts: putting them on and taking them off in bulk, and the label filter of the
//! contacts list, which reads `contact_labels` by `(label_id, contact_created_at, contact_id)`
//! so the newest-first page is one index range (the rows carry their contact's categories, so a
//! tab narrows it without a join); the exact counts are kept on the label row by triggers
//! (`contact_labels_count` in the schema).

use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Category, ContactId};
use panorama_core::label::LabelId;
use sqlx::{AssertSqlSafe, PgConnection};
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

/// The condition on `contact_labels` rows (which carry their contact's categories) for a tab.
fn tab(category: Category) -> &'static str {
    match category {
        Category::All => "",
        Category::RealName => " AND is_real_name = true",
        Category::Anonymous => " AND is_real_name = false",
        Category::WechatFan => " AND is_wechat_fan = true",
    }
}

/// Exact number of contacts of a category carrying `label_id`: one row, kept by triggers.
pub(crate) async fn count(
    connection: &mut PgConnection,
    label_id: LabelId,
    category: Category,
) -> Result<u64> {
    let column = match category {
        Category::All => "contacts",
        Category::RealName => "real_name_contacts",
        Category::Anonymous => "contacts - real_name_contacts",
        Category::WechatFan => "wechat_fan_contacts",
    };
    let sql = format!("SELECT COALESCE((SELECT {column} FROM labels WHERE label_id = $1), 0)");
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(label_id.0)
        .fetch_one(connection)
        .await
        .map_err(db)?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// The ids of a page of the contacts of a category carrying `label_id`, newest first; a `limit`
/// of `None` reads to the end.
pub(crate) async fn page_ids(
    connection: &mut PgConnection,
    label_id: LabelId,
    category: Category,
    offset: i64,
    limit: Option<i64>,
) -> Result<Vec<ContactId>> {
    let sql = format!(
        "SELECT contact_id FROM contact_labels WHERE label_id = $1{}
         ORDER BY contact_created_at DESC, contact_id DESC LIMIT $2 OFFSET $3",
        tab(category)
    );
    let ids: Vec<Uuid> = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(label_id.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(connection)
        .await
        .map_err(db)?;
    Ok(ids.into_iter().map(ContactId::from_uuid).collect())
}
