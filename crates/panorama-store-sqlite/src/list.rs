//! The contacts list: which contacts a query selects, in which order, and reading them by id.
//!
//! A label's carriers newest first are one index range in SQL; everything else (categories, any
//! sort, searches, the overview counts) comes from the in-memory index (`panorama-list-index`);
//! `plain_scan` is the reference it is measured and tested against.

use crate::convert::{CONTACT_COLUMNS, ContactRow, contacts_as_json};
use crate::{SqliteDb, db};
use panorama_core::Result;
use panorama_core::contact::{Category, Contact, ContactId, Overview, SortValue};
use panorama_core::store::{ContactIdPage, ContactListQuery};
use panorama_store_sql::{label_carriers, label_page, read_schema};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// The SQL condition of a category tab.
pub(crate) fn category_filter(category: Category) -> &'static str {
    match category {
        Category::All => "1 = 1",
        Category::RealName => "is_real_name = 1",
        Category::Anonymous => "is_real_name = 0",
        Category::WechatFan => "is_wechat_fan = 1",
    }
}

/// Whether SQL alone answers `query` from an index: a label's carriers, newest first.
pub(crate) fn is_plain_label(query: &ContactListQuery) -> bool {
    query.label.is_some() && query.search.is_none() && query.sort == Default::default()
}

impl SqliteDb {
    /// A page of the list: a label's carriers newest first from SQL (one index range, counts kept
    /// by triggers), everything else from the in-memory index.
    pub(crate) async fn list_page(&self, query: &ContactListQuery) -> Result<ContactIdPage> {
        if let (true, Some(label)) = (is_plain_label(query), query.label) {
            // One snapshot, so the count and the page agree.
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

    /// The reference answer: read every contact of the category, keep those the search matches,
    /// sort them as the query says. Slow on purpose; benchmarks print it beside the index.
    pub async fn plain_scan(&self, query: &ContactListQuery) -> Result<ContactIdPage> {
        let schema = read_schema(self).await?;
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {}",
            category_filter(query.category)
        );
        let rows: Vec<ContactRow> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        let labelled: Option<std::collections::HashSet<ContactId>> = match query.label {
            Some(label) => Some(
                label_carriers(self, label, query.category)
                    .await?
                    .into_iter()
                    .collect(),
            ),
            None => None,
        };
        let mut kept: Vec<(SortValue, Contact)> = Vec::new();
        for row in rows {
            let contact = row.into_contact()?;
            if labelled
                .as_ref()
                .is_some_and(|set| !set.contains(&contact.contact_id))
            {
                continue;
            }
            if let Some(search) = &query.search
                && !search.matches(&schema, &contact)
            {
                continue;
            }
            kept.push((query.sort.key(&schema, &contact), contact));
        }
        kept.sort_by(|a, b| query.sort.compare((&a.0, &a.1), (&b.0, &b.1)));
        let total = kept.len() as u64;
        let ids = kept
            .into_iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(query.limit).unwrap_or(usize::MAX))
            .map(|(_, contact)| contact.contact_id)
            .collect();
        Ok(ContactIdPage { total, ids })
    }

    /// The contacts of `ids` that exist, in the order given (one JSON array per query, through
    /// the same look-up as batched writes).
    pub(crate) async fn contacts_by_ids(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let texts: Vec<String> = ids.iter().map(ContactId::to_string).collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let select = format!("SELECT {} FROM contacts WHERE", contacts_as_json());
        let rows: Vec<ContactRow> =
            crate::lookup::matching(&mut connection, &select, "contact_id", &texts).await?;
        let mut found: HashMap<ContactId, Contact> = HashMap::with_capacity(rows.len());
        for row in rows {
            let contact = row.into_contact()?;
            found.insert(contact.contact_id, contact);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
