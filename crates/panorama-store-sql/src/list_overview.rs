//! The contacts page's one list call (`ContactStore::list_contacts_with_overview`): a page of the
//! list and the overview counts from one sync of the list index, under the caller's schema, so a
//! render reads the definitions once and brings the index up to date once.

use crate::{Backend, SqlStore};
use panorama_core::Result;
use panorama_core::contact::{Overview, Sort};
use panorama_core::label::LabelId;
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactListQuery, ContactPage, ContactStore};
use panorama_list_index::Source;
use uuid::Uuid;

impl<B: Backend + ContactStore + Source> SqlStore<B> {
    /// A page of `query` with the overview counts at `now`, as `list_contacts` and `overview`
    /// would answer them apart.
    pub(crate) async fn page_with_overview(
        &self,
        schema: &Schema,
        query: ContactListQuery,
        now: jiff::Timestamp,
    ) -> Result<(ContactPage, Overview)> {
        let search = self.backend.search();
        let (page, overview) = match query.label {
            // A label's carriers newest first are one index range in SQL (the store's own
            // answer); only the counts come from the index.
            Some(_) if query.search.is_none() && query.sort == Sort::default() => {
                let page = self.backend.list_contact_ids(query).await?;
                (page, search.overview(&self.backend, schema, now).await?)
            }
            label => {
                let labelled = match label {
                    Some(label) => Some(self.carriers(label, &query).await?),
                    None => None,
                };
                search
                    .page_with_overview(&self.backend, schema, &query, labelled, now)
                    .await?
            }
        };
        let items = self.backend.get_contacts(&page.ids).await?;
        Ok((
            ContactPage {
                total: page.total,
                items,
            },
            overview,
        ))
    }

    /// Every carrier of `label` in the category of `query`, from the store's label table.
    async fn carriers(&self, label: LabelId, query: &ContactListQuery) -> Result<Vec<Uuid>> {
        let carriers = ContactListQuery {
            label: Some(label),
            ..ContactListQuery::category(query.category, u64::MAX)
        };
        let page = self.backend.list_contact_ids(carriers).await?;
        Ok(page.ids.into_iter().map(|id| id.uuid()).collect())
    }
}
