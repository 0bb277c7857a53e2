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
