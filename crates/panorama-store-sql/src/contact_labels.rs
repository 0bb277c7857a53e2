//! Labels on contacts: putting them on and taking them off in bulk, and the label filter of the
//! contacts list, which reads `contact_labels` by `(label_id, contact_created_at, contact_id)` so
//! the newest-first page is one index range (the rows carry their contact's categories, so a tab
//! narrows it without a join); the exact counts are kept on the label row by triggers.

use crate::convert::micros;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::contact::{Category, ContactId};
use panorama_core::label::LabelId;
use panorama_core::store::ContactIdPage;

/// Put `label_id` on `contacts` inside the caller's transaction; unknown contacts are skipped.
/// Returns the contacts newly labelled, for the caller to record the `label_add` events it wants.
pub(crate) async fn attach<B: Backend>(
    connection: &mut B::Conn,
    label_id: LabelId,
    contacts: &[ContactId],
    at: jiff::Timestamp,
) -> Result<Vec<ContactId>> {
    sql(format!(
        "INSERT INTO contact_labels
             (label_id, contact_created_at, contact_id, is_real_name, is_wechat_fan, added_at)
         SELECT $1, created_at, contact_id, is_real_name, is_wechat_fan, $2
         FROM contacts WHERE {}
         ON CONFLICT DO NOTHING RETURNING contact_id",
        B::in_list("contact_id", 3)
    ))
    .bind(label_id.0)
    .bind(micros(at))
    .bind(Arg::contact_ids(contacts))
    .all::<B>(connection)
    .await?
    .iter()
    .map(|row| row.contact_id(0))
    .collect()
}

/// Take `label_id` off `contacts`; returns the contacts that carried it.
pub(crate) async fn detach<B: Backend>(
    connection: &mut B::Conn,
    label_id: LabelId,
    contacts: &[ContactId],
) -> Result<Vec<ContactId>> {
    sql(format!(
        "DELETE FROM contact_labels WHERE label_id = $1 AND {} RETURNING contact_id",
        B::in_list("contact_id", 2)
    ))
    .bind(label_id.0)
    .bind(Arg::contact_ids(contacts))
    .all::<B>(connection)
    .await?
    .iter()
    .map(|row| row.contact_id(0))
    .collect()
}

/// One page of the contacts of `category` carrying `label_id`, newest first, with their exact
/// number: both read in one snapshot, so the count and the page agree whatever commits between.
pub async fn label_page<B: Backend>(
    backend: &B,
    label_id: LabelId,
    category: Category,
    offset: u64,
    limit: u64,
) -> Result<ContactIdPage> {
    let mut tx = backend.snapshot().await?;
    let total = count::<B>(&mut tx, label_id, category).await?;
    let ids = page_ids::<B>(&mut tx, label_id, category, offset, limit).await?;
    B::commit(tx).await?;
    Ok(ContactIdPage { total, ids })
}

/// Every contact of `category` carrying `label_id`, newest first (the label part of a list query
/// the in-memory index answers).
pub async fn label_carriers<B: Backend>(
    backend: &B,
    label_id: LabelId,
    category: Category,
) -> Result<Vec<ContactId>> {
    let mut connection = backend.read().await?;
    page_ids::<B>(&mut connection, label_id, category, 0, u64::MAX).await
}

/// Exact number of contacts of a category carrying `label_id`: one row, kept by triggers.
async fn count<B: Backend>(
    connection: &mut B::Conn,
    label_id: LabelId,
    category: Category,
) -> Result<u64> {
    let column = match category {
        Category::All => "contacts",
        Category::RealName => "real_name_contacts",
        Category::Anonymous => "contacts - real_name_contacts",
        Category::WechatFan => "wechat_fan_contacts",
    };
    sql(format!(
        "SELECT COALESCE((SELECT {column} FROM labels WHERE label_id = $1), 0)"
    ))
    .bind(label_id.0)
    .one::<B>(connection)
    .await?
    .count(0)
}

/// The ids of a page of the contacts of a category carrying `label_id`, newest first.
async fn page_ids<B: Backend>(
    connection: &mut B::Conn,
    label_id: LabelId,
    category: Category,
    offset: u64,
    limit: u64,
) -> Result<Vec<ContactId>> {
    // The condition on `contact_labels` rows (which carry their contact's categories) for a tab.
    let tab = match category {
        Category::All => "",
        Category::RealName => " AND is_real_name = TRUE",
        Category::Anonymous => " AND is_real_name = FALSE",
        Category::WechatFan => " AND is_wechat_fan = TRUE",
    };
    sql(format!(
        "SELECT contact_id FROM contact_labels WHERE label_id = $1{tab}
         ORDER BY contact_created_at DESC, contact_id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(label_id.0)
    // Past `i64::MAX` is no limit on either database.
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .all::<B>(connection)
    .await?
    .iter()
    .map(|row| row.contact_id(0))
    .collect()
}
