//! Conformance: label groups and labels, labels on contacts and their events, the label filter
//! of the contacts list, and what merges and deletes do to labels.

use crate::{event_keys, upsert};
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, WriteContext};
use panorama_core::label::{Label, LabelGroupId, LabelPatch, NewLabel, NewLabelGroup};
use panorama_core::store::ContactListQuery;
use serde_json::json;

pub(crate) async fn label(store: &dyn Store, name: &str, group: Option<LabelGroupId>) -> Label {
    store
        .create_label(&NewLabel {
            name: name.into(),
            group_id: group,
            hidden: false,
        })
        .await
        .unwrap()
}

pub(crate) fn list(label: &Label, category: Category, offset: u64, limit: u64) -> ContactListQuery {
    ContactListQuery {
        category,
        offset,
        limit,
        label: Some(label.label_id),
        search: None,
        sort: panorama_core::contact::Sort::default(),
    }
}

pub async fn label_groups_nest_four_levels(store: &dyn Store) {
    let mut parent = None;
    for level in 1..=4 {
        let group = store
            .create_label_group(&NewLabelGroup {
                name: format!("Level {level}"),
                parent_id: parent,
            })
            .await
            .unwrap();
        assert_eq!(group.depth, level);
        parent = Some(group.group_id);
    }
    let fifth = store
        .create_label_group(&NewLabelGroup {
            name: "Level 5".into(),
            parent_id: parent,
        })
        .await
        .expect_err("a fifth level");
    assert_eq!(fifth.code, panorama_core::codes::LIMIT_EXCEEDED);
    let deepest = label(store, "Deep", parent).await;
    let catalog = store.label_catalog().await.unwrap();
    assert_eq!(
        catalog.path(&deepest),
        "Level 1 / Level 2 / Level 3 / Level 4 / Deep"
    );
    let group = parent.unwrap();
    let refused = store
        .delete_label_group(group)
        .await
        .expect_err("not empty");
    assert_eq!(refused.code, panorama_core::codes::GROUP_NOT_EMPTY);
    let renamed = store.rename_label_group(group, "Level four").await.unwrap();
    assert_eq!(renamed.name, "Level four");
    let moved = store
        .update_label(
            deepest.label_id,
            &LabelPatch {
                group_id: Some(None),
                hidden: Some(true),
                name: Some("Top".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (moved.group_id, moved.hidden, moved.name.as_str()),
        (None, true, "Top")
    );
    store.delete_label_group(group).await.unwrap();
    let duplicate = store
        .create_label(&NewLabel {
            name: "top".into(),
            ..NewLabel::default()
        })
        .await
        .expect_err("name taken at the top");
    assert_eq!(duplicate.code, panorama_core::codes::DUPLICATE_NAME);
}

pub async fn labels_on_contacts_are_events(store: &dyn Store) {
    let vip = label(store, "VIP", None).await;
    let person = upsert(store, json!({"mobile": "13700000011"}))
        .await
        .contact;
    let context = WriteContext::now("test");
    let ids = [person.contact_id, ContactId::new()];
    assert_eq!(
        store.add_label(vip.label_id, &ids, &context).await.unwrap(),
        1,
        "unknown ids are skipped"
    );
    assert_eq!(
        store.add_label(vip.label_id, &ids, &context).await.unwrap(),
        0,
        "already there"
    );
    let carried = store.contact_labels(person.contact_id).await.unwrap();
    assert_eq!(
        carried.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["VIP"]
    );
    let events = store.contact_events(person.contact_id, 100).await.unwrap();
    let added = events
        .iter()
        .find(|e| e.event == "label_add")
        .expect("label_add");
    assert_eq!(added.properties["label"], json!("VIP"));
    assert_eq!(
        store
            .remove_label(vip.label_id, &ids, &context)
            .await
            .unwrap(),
        1
    );
    assert!(
        store
            .contact_labels(person.contact_id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        event_keys(store, &person)
            .await
            .contains(&"label_remove".to_owned())
    );
    let missing = store
        .add_label(panorama_core::label::LabelId(9999), &ids, &context)
        .await
        .expect_err("no such label");
    assert_eq!(missing.kind, panorama_core::ErrorKind::NotFound);
}

pub async fn label_filter_pages_newest_first_with_exact_counts(store: &dyn Store) {
    let tagged = label(store, "Tagged", None).await;
    let mut ids = Vec::new();
    for index in 0..30 {
        let attributes = if index % 2 == 0 {
            json!({"mobile": format!("1370000{index:04}")})
        } else {
            json!({"wechat_openid": format!("oFilter{index}")})
        };
        ids.push(upsert(store, attributes).await.contact.contact_id);
    }
    let every_third: Vec<ContactId> = ids.iter().copied().step_by(3).collect();
    let context = WriteContext {
        fast: true,
        ..WriteContext::now("test")
    };
    store
        .add_label(tagged.label_id, &every_third, &context)
        .await
        .unwrap();
    let page = store
        .list_contacts(list(&tagged, Category::All, 0, 4))
        .await
        .unwrap();
    assert_eq!(page.total, 10);
    let newest: Vec<ContactId> = every_third.iter().rev().take(4).copied().collect();
    assert_eq!(
        page.items.iter().map(|c| c.contact_id).collect::<Vec<_>>(),
        newest
    );
    let last = store
        .list_contacts(list(&tagged, Category::All, 8, 4))
        .await
        .unwrap();
    assert_eq!(last.items.len(), 2);
    assert_eq!(last.items[1].contact_id, ids[0]);
    // Indexes 0, 6, 12, 18, 24 have a mobile (real-name); 3, 9, 15, 21, 27 are anonymous fans.
    let real = store
        .list_contacts(list(&tagged, Category::RealName, 0, 50))
        .await
        .unwrap();
    assert_eq!(real.total, 5);
    assert!(real.items.iter().all(|c| c.categories().real_name));
    let fans = store
        .list_contacts(list(&tagged, Category::WechatFan, 0, 50))
        .await
        .unwrap();
    assert_eq!((fans.total, fans.items.len()), (5, 5));
    assert_eq!(
        store
            .label_catalog()
            .await
            .unwrap()
            .label(tagged.label_id)
            .unwrap()
            .contacts,
        10
    );
    // A labelled anonymous fan who gains a mobile moves to the real-name tab, counts included.
    upsert(
        store,
        json!({"wechat_openid": "oFilter3", "mobile": "13711110003"}),
    )
    .await;
    let real = store
        .list_contacts(list(&tagged, Category::RealName, 0, 50))
        .await
        .unwrap();
    assert_eq!((real.total, real.items.len()), (6, 6));
    assert!(real.items.iter().any(|c| c.contact_id == ids[3]));
    let anonymous = store
        .list_contacts(list(&tagged, Category::Anonymous, 0, 50))
        .await
        .unwrap();
    assert_eq!((anonymous.total, anonymous.items.len()), (4, 4));
}

pub async fn deleting_a_label_takes_it_off_every_contact(store: &dyn Store) {
    let doomed = label(store, "Doomed", None).await;
    let kept = label(store, "Kept", None).await;
    let a = upsert(store, json!({"email": "d1@example.com"}))
        .await
        .contact;
    let b = upsert(store, json!({"email": "d2@example.com"}))
        .await
        .contact;
    let context = WriteContext::now("test");
    for label in [&doomed, &kept] {
        store
            .add_label(label.label_id, &[a.contact_id, b.contact_id], &context)
            .await
            .unwrap();
    }
    assert_eq!(
        store.delete_label(doomed.label_id, &context).await.unwrap(),
        2
    );
    for person in [&a, &b] {
        let names: Vec<String> = store
            .contact_labels(person.contact_id)
            .await
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["Kept"]);
        let removes = event_keys(store, person)
            .await
            .iter()
            .filter(|k| *k == "label_remove")
            .count();
        assert_eq!(removes, 1);
    }
    assert!(
        store
            .label_catalog()
            .await
            .unwrap()
            .label(doomed.label_id)
            .is_err()
    );
}

pub async fn merges_move_labels_and_deletes_remove_them(store: &dyn Store) {
    let one = label(store, "One", None).await;
    let two = label(store, "Two", None).await;
    let a = upsert(store, json!({"mobile": "13700000021"}))
        .await
        .contact;
    let b = upsert(store, json!({"email": "m@example.com"}))
        .await
        .contact;
    let context = WriteContext::now("test");
    store
        .add_label(one.label_id, &[a.contact_id, b.contact_id], &context)
        .await
        .unwrap();
    store
        .add_label(two.label_id, &[b.contact_id], &context)
        .await
        .unwrap();
    upsert(
        store,
        json!({"mobile": "13700000021", "email": "m@example.com"}),
    )
    .await;
    let names: Vec<String> = store
        .contact_labels(a.contact_id)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(names, ["One", "Two"]);
    let page = store
        .list_contacts(list(&two, Category::All, 0, 10))
        .await
        .unwrap();
    assert_eq!((page.total, page.items[0].contact_id), (1, a.contact_id));
    assert_eq!(
        store
            .list_contacts(list(&one, Category::All, 0, 10))
            .await
            .unwrap()
            .total,
        1
    );
    let count = |catalog: &panorama_core::label::LabelCatalog, label: &Label| {
        catalog.label(label.label_id).unwrap().contacts
    };
    let catalog = store.label_catalog().await.unwrap();
    assert_eq!(
        (count(&catalog, &one), count(&catalog, &two)),
        (1, 1),
        "the merged duplicate is not counted"
    );
    store.delete_contact(a.contact_id).await.unwrap();
    assert_eq!(
        store
            .list_contacts(list(&one, Category::All, 0, 10))
            .await
            .unwrap()
            .total,
        0
    );
    let catalog = store.label_catalog().await.unwrap();
    assert_eq!(
        (count(&catalog, &one), count(&catalog, &two)),
        (0, 0),
        "a deleted contact is not counted"
    );
    let real = store
        .list_contacts(list(&one, Category::RealName, 0, 10))
        .await
        .unwrap();
    assert_eq!((real.total, real.items.len()), (0, 0));
}
