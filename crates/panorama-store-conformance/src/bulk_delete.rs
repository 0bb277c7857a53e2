//! Conformance: deleting many contacts by id in one call (bulk actions) has every effect of
//! deleting them one by one, and skips ids that do not exist.

use crate::{find, upsert};
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, UpsertAction, WriteContext};
use panorama_core::label::NewLabel;
use panorama_core::store::ContactListQuery;
use serde_json::json;

pub async fn deleting_many_contacts_removes_everything_of_each(store: &dyn Store) {
    let vip = store
        .create_label(&NewLabel {
            name: "Bulk".into(),
            group_id: None,
            hidden: false,
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for n in 0..3 {
        let attributes =
            json!({"mobile": format!("1380000090{n}"), "email": format!("bulk{n}@example.com")});
        ids.push(upsert(store, attributes).await.contact.contact_id);
    }
    let context = WriteContext::now("test");
    assert_eq!(
        store.add_label(vip.label_id, &ids, &context).await.unwrap(),
        3
    );
    let (a, b, kept) = (ids[0], ids[1], ids[2]);
    let asked = [a, ContactId::new(), b, a];
    assert_eq!(
        store.delete_contacts(&asked).await.unwrap(),
        2,
        "unknown and repeated ids are not counted"
    );
    for gone in [a, b] {
        assert!(store.get_contact(gone).await.unwrap().is_none());
        assert!(store.contact_events(gone, 10).await.unwrap().is_empty());
        assert!(store.contact_labels(gone).await.unwrap().is_empty());
    }
    assert!(find(store, "email", "bulk0@example.com").await.is_none());
    assert!(find(store, "email", "bulk2@example.com").await.is_some());
    assert!(!store.contact_events(kept, 10).await.unwrap().is_empty());
    let catalog = store.label_catalog().await.unwrap();
    assert_eq!(
        catalog.label(vip.label_id).unwrap().contacts,
        1,
        "label counts follow the deletes"
    );
    let everyone = store
        .list_contact_ids(ContactListQuery::category(Category::All, u64::MAX))
        .await
        .unwrap();
    assert_eq!((everyone.total, everyone.ids), (1, vec![kept]));
    let overview = store.overview(jiff::Timestamp::now()).await.unwrap();
    assert_eq!((overview.all, overview.real_name), (1, 1));
    assert_eq!(store.delete_contacts(&[a]).await.unwrap(), 0);
    assert_eq!(store.delete_contacts(&[]).await.unwrap(), 0);
    let again = upsert(store, json!({"mobile": "13800000900"})).await;
    assert_eq!(again.action, UpsertAction::Created, "the keys were freed");
}
