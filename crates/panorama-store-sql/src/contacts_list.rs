//! The contacts list: which contacts a query selects, in which order. A label's carriers newest
//! first are one index range of `contact_labels`, counted by triggers; everything else
//! (categories, any sort, searches, the overview counts) comes from the in-memory index
//! (`panorama-list-index`), kept current from the change feed (`contacts_feed.rs`).

use crate::Backend;
use crate::contacts_feed::Feed;
use panorama_core::Result;
use panorama_core::contact::Overview;
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
        let total = B::label_count(&mut tx, label, query.category).await?;
        let ids = B::label_page(&mut tx, label, query.category, query.offset, query.limit).await?;
        B::commit(tx).await?;
        return Ok(ContactIdPage { total, ids });
    }
    let mut connection = backend.read().await?;
    let labelled = match query.label {
        Some(label) => Some(
            B::label_page(&mut connection, label, query.category, 0, u64::MAX)
                .await?
                .into_iter()
                .map(|id| id.uuid())
                .collect(),
        ),
        None => None,
    };
    let schema = B::load_schema(&mut connection).await?;
    drop(connection);
    backend
        .search()
        .page(&Feed(backend), &schema, query, labelled)
        .await
}

/// The overview counts, from the index.
pub(crate) async fn overview<B: Backend>(backend: &B, now: jiff::Timestamp) -> Result<Overview> {
    let schema: Schema = {
        let mut connection = backend.read().await?;
        B::load_schema(&mut connection).await?
    };
    backend
        .search()
        .overview(&Feed(backend), &schema, now)
        .await
}
