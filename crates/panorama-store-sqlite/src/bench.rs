//! Baselines for `panorama bench` only, kept out of the store's production modules: the raw
//! speed of this store's bulk writes, and the list answered by reading every contact. Not for
//! production data.

use crate::{SqliteDb, SqliteStore, bulk};
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Contact, ContactId, KeyValue, SortValue};
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactIdPage, ContactListQuery, ContactStore, MetadataStore};
use panorama_store_sql::{Backend, CONTACT_COLUMNS, category_filter, contact_of, sql};
use std::collections::HashSet;

/// Insert new contacts and their key rows with no identity resolution, no events and no
/// checks: the raw speed of this store's bulk writes, which `panorama bench import` measures the
/// import against.
pub async fn raw_insert(
    db: &SqliteDb,
    contacts: &[Contact],
    keys: &[(KeyValue, ContactId)],
) -> Result<()> {
    let mut tx = Backend::write(db).await?;
    let plan = BatchPlan {
        write: contacts.to_vec(),
        keys: keys.to_vec(),
        ..BatchPlan::default()
    };
    bulk::apply(&mut tx, &plan).await?;
    SqliteDb::commit(tx).await
}

/// The reference answer of the list: read every contact of the category, keep those the search
/// matches, sort them as the query says. Slow on purpose; `panorama bench list` prints it beside
/// the index.
pub async fn plain_scan(store: &SqliteStore, query: &ContactListQuery) -> Result<ContactIdPage> {
    let schema = Schema::new(store.list_attributes().await?);
    let mut connection = store.backend().read().await?;
    let rows = sql(format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts WHERE {}",
        category_filter(query.category)
    ))
    .all::<SqliteDb>(&mut connection)
    .await?;
    // A label's carriers from its index range, as the list reads them.
    let labelled: Option<HashSet<ContactId>> = match query.label {
        Some(label) => {
            let carriers = ContactListQuery {
                label: Some(label),
                ..ContactListQuery::category(query.category, u64::MAX)
            };
            Some(
                store
                    .list_contact_ids(carriers)
                    .await?
                    .ids
                    .into_iter()
                    .collect(),
            )
        }
        None => None,
    };
    let mut kept: Vec<(SortValue, Contact)> = Vec::new();
    for row in &rows {
        let contact = contact_of(row)?;
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
