//! Conformance: reading a whole category newest first in keyset batches
//! ([`ContactStore::contact_values_newest_first`], what exports use) gives exactly the list's
//! default order, ties of one write time included, every contact once, with its stored values.

use crate::record;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, WriteContext};
use panorama_core::store::ContactListQuery;
use serde_json::json;

pub async fn reading_newest_first_in_batches_is_the_list_order(store: &dyn Store) {
    // Three writes of several contacts each: contacts of one write share their time.
    for (write, at) in [1_700_000_000, 1_700_000_100, 1_700_000_200]
        .into_iter()
        .enumerate()
    {
        let mut records = Vec::new();
        for n in 0..5 {
            let attributes = if n % 2 == 0 {
                json!({"email": format!("w{write}n{n}@example.com"), "member_points": n})
            } else {
                json!({"wechat_openid": format!("oW{write}N{n}"), "name": "王\"伟"})
            };
            records.push(record(store, attributes).await);
        }
        let context = WriteContext {
            at: jiff::Timestamp::from_second(at).unwrap(),
            ..WriteContext::now("test")
        };
        store.upsert_contacts(&records, &context).await.unwrap();
    }
    for category in [
        Category::All,
        Category::RealName,
        Category::Anonymous,
        Category::WechatFan,
    ] {
        let listed = store
            .list_contact_ids(ContactListQuery::category(category, u64::MAX))
            .await
            .unwrap()
            .ids;
        let stored = store.get_contacts(&listed).await.unwrap();
        let attributes = ["name", "email", "member_points", "city"].map(String::from);
        for batch in [1, 2, 4, 100] {
            let mut read: Vec<ContactId> = Vec::new();
            let mut after = None;
            loop {
                let contacts = store
                    .contact_values_newest_first(category, &attributes, after, batch)
                    .await
                    .unwrap();
                assert!(contacts.len() as u64 <= batch);
                after = contacts.last().map(|c| (c.created_at, c.contact_id));
                for values in &contacts {
                    let contact = stored
                        .iter()
                        .find(|c| c.contact_id == values.contact_id)
                        .unwrap();
                    let expected: Vec<_> = attributes
                        .iter()
                        .map(|name| contact.attributes.get(name).cloned())
                        .collect();
                    assert_eq!(values.values, expected);
                    assert_eq!(values.created_at, contact.created_at);
                    assert_eq!(values.updated_at, contact.updated_at);
                }
                read.extend(contacts.iter().map(|c| c.contact_id));
                if (contacts.len() as u64) < batch {
                    break;
                }
            }
            assert_eq!(read, listed, "{category:?} in batches of {batch}");
        }
        let bare = store
            .contact_values_newest_first(category, &[], None, 100)
            .await
            .unwrap();
        assert!(bare.iter().all(|c| c.values.is_empty()));
        assert_eq!(
            bare.len(),
            listed.len(),
            "no attributes asked: ids and times only"
        );
    }
}

/// A batch reflects the writes made before it was asked for, even when the store read it ahead.
pub async fn a_change_between_batches_shows_in_the_batches_after_it(store: &dyn Store) {
    for n in 0..6 {
        crate::upsert(
            store,
            json!({"email": format!("b{n}@example.com"), "name": "before"}),
        )
        .await;
    }
    let listed = store
        .list_contact_ids(ContactListQuery::category(Category::All, u64::MAX))
        .await
        .unwrap()
        .ids;
    let names = ["name".to_owned()];
    let first = store
        .contact_values_newest_first(Category::All, &names, None, 2)
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    // The store may have read the next batch already: change one of its contacts, delete another.
    let changed = store.get_contact(listed[2]).await.unwrap().unwrap();
    let email = changed.attributes["email"].clone();
    crate::upsert(store, json!({"email": email, "name": "after"})).await;
    assert!(store.delete_contact(listed[3]).await.unwrap());
    let after = first.last().map(|c| (c.created_at, c.contact_id));
    let second = store
        .contact_values_newest_first(Category::All, &names, after, 2)
        .await
        .unwrap();
    let ids: Vec<ContactId> = second.iter().map(|c| c.contact_id).collect();
    assert_eq!(ids, [listed[2], listed[4]], "the deleted contact is gone");
    assert_eq!(
        second[0].values,
        [Some(json!("after"))],
        "the new value is read"
    );
}
