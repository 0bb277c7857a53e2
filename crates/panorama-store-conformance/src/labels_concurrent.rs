//! Conformance: a label's page of the contacts list read while a writer puts the label on and
//! takes it off. The page's count and its rows come from one snapshot, so they always agree,
//! and each write shows whole or not at all.

use crate::labels::{label, list};
use crate::upsert;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, WriteContext};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};

const CONTACTS: usize = 40;
const ROUNDS: usize = 30;

pub async fn a_label_page_and_its_count_agree_under_a_concurrent_writer(store: &dyn Store) {
    let tagged = label(store, "Concurrent", None).await;
    let mut ids: Vec<ContactId> = Vec::new();
    for n in 0..CONTACTS {
        let mobile = format!("1370000{n:04}");
        ids.push(
            upsert(store, json!({ "mobile": mobile }))
                .await
                .contact
                .contact_id,
        );
    }
    let context = WriteContext {
        fast: true,
        ..WriteContext::now("test")
    };
    let done = AtomicBool::new(false);
    let writer = async {
        for _ in 0..ROUNDS {
            let added = store.add_label(tagged.label_id, &ids, &context).await;
            assert_eq!(added.unwrap(), CONTACTS as u64);
            let removed = store.remove_label(tagged.label_id, &ids, &context).await;
            assert_eq!(removed.unwrap(), CONTACTS as u64);
        }
        done.store(true, Ordering::SeqCst);
    };
    let reader = async {
        let mut pages = 0;
        while !done.load(Ordering::SeqCst) {
            let query = list(&tagged, Category::All, 0, u64::MAX);
            let page = store.list_contact_ids(query).await.unwrap();
            assert_eq!(
                page.total,
                page.ids.len() as u64,
                "the count and the rows of page {pages} agree"
            );
            assert!(
                page.ids.is_empty() || page.ids.len() == CONTACTS,
                "a write shows whole or not at all: {} rows",
                page.ids.len()
            );
            pages += 1;
        }
        pages
    };
    let ((), pages) = tokio::join!(writer, reader);
    assert!(pages > 0, "the reader read while the writer wrote");
}
