//! Labels on contacts: putting them on and taking them off in bulk, and the label filter of the
//! contacts list, which reads `contact_labels` by `(label_id, contact_created_at, contact_id)`
//! so the newest-first page is one index range (the rows carry their contact's categories, so a
//! tab narrows it without a join); the exact counts are kept on the label row by triggers
//! (migration 0003).

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::convert::{micros, parse_ids};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::{Category, ContactId};
use panorama_core::label::LabelId;
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

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

/// The condition on `contact_labels` rows (which carry their contact's categories) for a tab.
fn tab(category: Category) -> &'static str {
    match category {
        Category::All => "",
        Category::RealName => " AND is_real_name = 1",
        Category::Anonymous => " AND is_real_name = 0",
        Category::WechatFan => " AND is_wechat_fan = 1",
    }
}

/// Exact number of contacts of a category carrying `label_id`: one row, kept by triggers.
pub(crate) async fn count(
    connection: &mut SqliteConnection,
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

/// The ids of a page of the contacts of a category carrying `label_id`, newest first.
pub(crate) async fn page_ids(
    connection: &mut SqliteConnection,
    label_id: LabelId,
    category: Category,
    offset: i64,
    limit: i64,
) -> Result<Vec<ContactId>> {
    let sql = format!(
        "SELECT contact_id FROM contact_labels WHERE label_id = $1{}
         ORDER BY contact_created_at DESC, contact_id DESC LIMIT $2 OFFSET $3",
        tab(category)
    );
    let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(label_id.0)
        .bind(limit)
        .bind(offset)
        .fetch_all(connection)
        .await
        .map_err(db)?;
    parse_ids(&ids)
}
