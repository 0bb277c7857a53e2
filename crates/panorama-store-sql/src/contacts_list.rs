//! The contacts list: which contacts a query selects, in which order. A label's carriers newest
//! first are one index range of `contact_labels`, counted by triggers; everything else
//! (categories, any sort, searches, the overview counts) comes from the in-memory index
//! (`panorama-list-index`), kept current from the change feed (`contacts_feed.rs`).

use crate::backend::{Backend, DbRow};
use crate::contacts_feed::Feed;
use crate::query::sql;
use panorama_core::Result;
use panorama_core::contact::{Category, ContactId, Overview};
use panorama_core::label::LabelId;
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactIdPage, ContactListQuery};

/// Whether `contact_labels` alone answers `query` from one index range: a label's carriers,
/// newest first.
fn is_plain_label(query: &ContactListQuery) -> bool {
    query.label.is_some() && query.search.is_none() && query.sort == Default::default()
}

/// A page of the list with the exact number of matches.
pub(crate) async fn page<B: Backend>(
    backend: &B,
    query: &ContactListQuery,
) -> Result<ContactIdPage> {
    if let (true, Some(label)) = (is_plain_label(query), query.label) {
        // One snapshot, so the count and the page agree.
        let mut tx = backend.snapshot().await?;
        let total = label_count::<B>(&mut tx, label, query.category).await?;
        let ids =
            label_page::<B>(&mut tx, label, query.category, query.offset, query.limit).await?;
        B::commit(tx).await?;
        return Ok(ContactIdPage { total, ids });
    }
    let mut connection = backend.read().await?;
    let labelled = match query.label {
        Some(label) => Some(
            label_page::<B>(&mut connection, label, query.category, 0, u64::MAX)
                .await?
                .into_iter()
                .map(|id| id.uuid())
                .collect(),
        ),
        None => None,
    };
    let schema = crate::load_schema::<B>(&mut connection).await?;
    drop(connection);
    backend
        .search()
        .page(&Feed(backend), &schema, query, labelled)
        .await
}

/// A page of `query` and the overview counts at `now` from one sync of the index, under the
/// caller's `schema` (the contacts page shows both; one render reads the definitions once).
pub(crate) async fn page_with_overview<B: Backend>(
    backend: &B,
    schema: &Schema,
    query: &ContactListQuery,
    now: jiff::Timestamp,
) -> Result<(ContactIdPage, Overview)> {
    let search = backend.search();
    if is_plain_label(query) {
        // A label's carriers newest first are one index range in SQL; only the counts come from
        // the index.
        let page = page::<B>(backend, query).await?;
        return Ok((page, search.overview(&Feed(backend), schema, now).await?));
    }
    let labelled = match query.label {
        Some(label) => {
            let mut connection = backend.read().await?;
            let ids = label_page::<B>(&mut connection, label, query.category, 0, u64::MAX).await?;
            Some(ids.into_iter().map(|id| id.uuid()).collect())
        }
        None => None,
    };
    search
        .page_with_overview(&Feed(backend), schema, query, labelled, now)
        .await
}

/// The overview counts, from the index.
pub(crate) async fn overview<B: Backend>(backend: &B, now: jiff::Timestamp) -> Result<Overview> {
    let schema: Schema = {
        let mut connection = backend.read().await?;
        crate::load_schema::<B>(&mut connection).await?
    };
    backend
        .search()
        .overview(&Feed(backend), &schema, now)
        .await
}

/// Exact number of contacts of `category` carrying `label`: one row, kept by triggers.
async fn label_count<B: Backend>(
    connection: &mut B::Conn,
    label: LabelId,
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
    .bind(label.0)
    .one::<B>(connection)
    .await?
    .count(0)
}

/// The ids of the contacts of `category` carrying `label`, newest first, `limit` after `offset`
/// (`u64::MAX`: all of them): one range of `contact_labels (label_id, contact_created_at,
/// contact_id)`, whose rows carry their contact's categories, so a tab narrows it without a join.
async fn label_page<B: Backend>(
    connection: &mut B::Conn,
    label: LabelId,
    category: Category,
    offset: u64,
    limit: u64,
) -> Result<Vec<ContactId>> {
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
    .bind(label.0)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .all::<B>(connection)
    .await?
    .iter()
    .map(|row| row.contact_id(0))
    .collect()
}
