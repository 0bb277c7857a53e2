//! The contacts list: which contacts a query selects, in which order. A label's carriers newest
//! first are one index range of `contact_labels`, counted by triggers; everything else
//! (categories, any sort, searches, the overview counts) comes from the in-memory index
//! (`panorama-list-index`), kept current from the change feed (`contacts_feed.rs`).

use crate::backend::Backend;
use crate::contact_labels::{label_carriers, label_page};
use crate::contacts_feed::Feed;
use panorama_core::Result;
use panorama_core::contact::{Category, Overview};
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
        return label_page(backend, label, query.category, query.offset, query.limit).await;
    }
    let labelled = match query.label {
        Some(label) => Some(carriers(backend, label, query.category).await?),
        None => None,
    };
    let mut connection = backend.read().await?;
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
        Some(label) => Some(carriers(backend, label, query.category).await?),
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

/// Every carrier of `label` in `category`, as the index's ids.
async fn carriers<B: Backend>(
    backend: &B,
    label: LabelId,
    category: Category,
) -> Result<Vec<uuid::Uuid>> {
    let ids = label_carriers(backend, label, category).await?;
    Ok(ids.into_iter().map(|id| id.uuid()).collect())
}
