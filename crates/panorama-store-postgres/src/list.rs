//! The contacts list on PostgreSQL: which contacts a query selects, in which order, and reading
//! them by id. A label's carriers newest first are one index range of `contact_labels`, counted
//! by triggers; everything else (categories, any sort, searches, the overview counts) comes from
//! the in-memory index (`panorama-list-index`), kept current from the `contact_changes` feed, as
//! on SQLite.

use crate::convert::{CONTACT_COLUMNS, ContactRow};
use crate::{PostgresDb, db};
use panorama_core::Result;
use panorama_core::contact::{Category, Contact, ContactId, Overview};
use panorama_core::store::{ContactIdPage, ContactListQuery};
use panorama_store_sql::{label_carriers, label_page, read_schema};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use uuid::Uuid;

/// The SQL condition of a category tab on a `contacts` row named `c`.
pub(crate) fn category_filter(category: Category) -> &'static str {
    match category {
        Category::All => "true",
        Category::RealName => "c.is_real_name = true",
        Category::Anonymous => "c.is_real_name = false",
        Category::WechatFan => "c.is_wechat_fan = true",
    }
}

/// Whether `contact_labels` alone answers `query` from one index range: a label's carriers,
/// newest first.
fn is_plain_label(query: &ContactListQuery) -> bool {
    query.label.is_some() && query.search.is_none() && query.sort == Default::default()
}

impl PostgresDb {
    /// A page of the list with the exact number of matches: a label's carriers newest first
    /// from `contact_labels` (one index range, counts kept by triggers), everything else from the
    /// in-memory index.
    pub(crate) async fn list_page(&self, query: &ContactListQuery) -> Result<ContactIdPage> {
        if let (true, Some(label)) = (is_plain_label(query), query.label) {
            return label_page(self, label, query.category, query.offset, query.limit).await;
        }
        let labelled = match query.label {
            Some(label) => {
                let ids = label_carriers(self, label, query.category).await?;
                Some(ids.into_iter().map(|id| id.uuid()).collect())
            }
            None => None,
        };
        let schema = read_schema(self).await?;
        self.search.page(self, &schema, query, labelled).await
    }

    /// The overview counts, from the index.
    pub(crate) async fn overview_counts(&self, now: jiff::Timestamp) -> Result<Overview> {
        let schema = read_schema(self).await?;
        self.search.overview(self, &schema, now).await
    }

    /// The contacts of `ids` that exist, in the order given.
    pub(crate) async fn contacts_by_ids(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        let mut connection = self.read().await?;
        let uuids: Vec<Uuid> = ids.iter().map(ContactId::uuid).collect();
        let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE contact_id = ANY($1)");
        let rows: Vec<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(&uuids)
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        let mut found: HashMap<ContactId, Contact> = HashMap::with_capacity(rows.len());
        for row in rows {
            let contact = row.into_contact()?;
            found.insert(contact.contact_id, contact);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
