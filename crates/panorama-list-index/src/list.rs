//! The list's answers from the index, the same on every store: a page of a query (category,
//! search, a label's carriers, any sort) with its exact total, and the overview counts, apart or
//! together from one sync (the contacts page shows both).

use crate::query::{self, Selection, in_category};
use crate::{Index, SearchIndex, Source, matching};
use panorama_core::Result;
use panorama_core::contact::{
    Category, ContactId, OVERVIEW_NEW_MONTH_DAYS, OVERVIEW_NEW_WEEK_DAYS, Overview,
};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactIdPage, ContactListQuery};
use uuid::Uuid;

/// Times a query asks for a current index before giving up: a build by a concurrent query
/// between the sync and the read can drop the query's sort column.
const PAGE_ATTEMPTS_MAX: usize = 3;

impl SearchIndex {
    /// A page of `query` with its exact total, from an index brought up to date with every
    /// committed write first. `labelled` holds the carriers of the query's label, when it has one
    /// (the store reads them from its own table).
    pub async fn page(
        &self,
        store: &impl Source,
        schema: &Schema,
        query: &ContactListQuery,
        labelled: Option<Vec<Uuid>>,
    ) -> Result<ContactIdPage> {
        Ok(self.answer(store, schema, query, labelled, None).await?.0)
    }

    /// A page of `query` (as [`SearchIndex::page`]) and the overview counts at `now`, from one
    /// sync of the index and one read of it: the contacts page shows both, and they agree.
    pub async fn page_with_overview(
        &self,
        store: &impl Source,
        schema: &Schema,
        query: &ContactListQuery,
        labelled: Option<Vec<Uuid>>,
        now: jiff::Timestamp,
    ) -> Result<(ContactIdPage, Overview)> {
        let (page, overview) = self
            .answer(store, schema, query, labelled, Some(now))
            .await?;
        Ok((page, overview.unwrap_or_default()))
    }

    /// The page of `query`, and the overview at `now` when asked, read from one current index.
    async fn answer(
        &self,
        store: &impl Source,
        schema: &Schema,
        query: &ContactListQuery,
        labelled: Option<Vec<Uuid>>,
        now: Option<jiff::Timestamp>,
    ) -> Result<(ContactIdPage, Option<Overview>)> {
        for _ in 0..PAGE_ATTEMPTS_MAX {
            let current = self.current(store, schema, &query.sort.attribute).await?;
            let (query, labelled) = (query.clone(), labelled.clone());
            let answer = current
                .with(move |index, orders| {
                    let selection = select(index, &query, labelled);
                    let (offset, limit) = (query.offset, query.limit);
                    let page = query::page(index, orders, selection, &query.sort, offset, limit);
                    page.map(|page| (page, now.map(|now| overview(index, now))))
                })
                .await?;
            if let Some(((total, ids), overview)) = answer {
                let ids = ids.into_iter().map(ContactId::from_uuid).collect();
                return Ok((ContactIdPage { total, ids }, overview));
            }
        }
        Err(panorama_core::Error::internal(
            "the contacts list's index was rebuilt three times during one query",
        ))
    }

    /// The overview counts at `now` (a count over a million slots takes about a millisecond;
    /// `COUNT(*)` over the table takes tens).
    pub async fn overview(
        &self,
        store: &impl Source,
        schema: &Schema,
        now: jiff::Timestamp,
    ) -> Result<Overview> {
        let current = self.current(store, schema, "created_at").await?;
        current.with(move |index, _| overview(index, now)).await
    }
}

/// One day, in microseconds (the unit of `Slot::created_at`).
const DAY_MICROS: i64 = 24 * 3600 * 1_000_000;

/// The overview counts of `index` at `now`.
fn overview(index: &Index, now: jiff::Timestamp) -> Overview {
    let now = now.as_microsecond();
    let mut overview = Overview::default();
    for slot in index.slots.iter().filter(|s| s.live) {
        overview.all += 1;
        overview.real_name += u64::from(slot.real_name);
        overview.wechat_fan += u64::from(slot.wechat_fan);
        overview.new_7d += u64::from(slot.created_at >= now - OVERVIEW_NEW_WEEK_DAYS * DAY_MICROS);
        overview.new_30d +=
            u64::from(slot.created_at >= now - OVERVIEW_NEW_MONTH_DAYS * DAY_MICROS);
    }
    overview.anonymous = overview.all - overview.real_name;
    overview
}

/// The slots a query keeps: a category, or the matches of its search and label in the category.
fn select(index: &Index, query: &ContactListQuery, labelled: Option<Vec<Uuid>>) -> Selection {
    let category = query.category;
    let narrowed = |slots: Vec<u32>| -> Vec<u32> {
        slots
            .into_iter()
            .filter(|&s| in_category(&index.slots[s as usize], category))
            .collect()
    };
    match (&query.search, labelled) {
        (None, None) => Selection::Category(category),
        (Some(search), labelled) => {
            let matches = matching::scan(index, search);
            let Some(labelled) = labelled else {
                return match category {
                    Category::All => Selection::Matches(matches),
                    _ => Selection::Slots(narrowed(matches.iter().collect())),
                };
            };
            let set: std::collections::HashSet<u32> =
                labelled.iter().filter_map(|id| index.slot_of(id)).collect();
            Selection::Slots(narrowed(
                matches.iter().filter(|s| set.contains(s)).collect(),
            ))
        }
        (None, Some(labelled)) => Selection::Slots(narrowed(
            labelled.iter().filter_map(|id| index.slot_of(id)).collect(),
        )),
    }
}
