//! Conformance: the contacts page's one list call (`list_contacts_with_overview`) answers the page
//! and the overview exactly as `list_contacts` and `overview` answer them apart, for every kind
//! of query the page sends (a category, a search, a sort, a label's carriers alone or searched).

use crate::upsert;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, Search, Sort};
use panorama_core::label::NewLabel;
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use serde_json::json;

pub async fn the_page_and_the_overview_come_together(store: &dyn Store) {
    let names = ["王伟", "Ann", "王芳", "Zoe", "李娜", "Han", "王五", "Bo"];
    let mut ids = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let attributes = if n % 3 == 2 {
            json!({"wechat_openid": format!("oTogether{n}"), "name": name})
        } else {
            json!({"mobile": format!("1390000{n:04}"), "name": name})
        };
        ids.push(upsert(store, attributes).await.contact.contact_id);
    }
    let label = store
        .create_label(&NewLabel {
            name: "Together".into(),
            group_id: None,
            hidden: false,
        })
        .await
        .unwrap();
    let carriers: Vec<ContactId> = ids.iter().copied().step_by(2).collect();
    let context = panorama_core::contact::WriteContext::now("test");
    store
        .add_label(label.label_id, &carriers, &context)
        .await
        .unwrap();
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let search = |q: &str| Search::parse(&schema, None, Some(q)).unwrap();
    let by_name = Sort::parse(&schema, Some("name"), Some("asc")).unwrap();
    let base = ContactListQuery::category(Category::All, 3);
    let queries = [
        base.clone(),
        ContactListQuery {
            offset: 3,
            ..base.clone()
        },
        ContactListQuery::category(Category::RealName, 10),
        ContactListQuery {
            search: search("王"),
            ..base.clone()
        },
        ContactListQuery {
            sort: by_name.clone(),
            offset: 1,
            ..base.clone()
        },
        ContactListQuery {
            label: Some(label.label_id),
            ..ContactListQuery::category(Category::All, 10)
        },
        ContactListQuery {
            label: Some(label.label_id),
            search: search("王"),
            ..ContactListQuery::category(Category::All, 10)
        },
        ContactListQuery {
            label: Some(label.label_id),
            sort: by_name,
            ..ContactListQuery::category(Category::Anonymous, 10)
        },
    ];
    let now = jiff::Timestamp::now();
    let overview = store.overview(now).await.unwrap();
    assert_eq!((overview.all, overview.wechat_fan), (8, 2));
    for query in queries {
        let apart = store.list_contacts(query.clone()).await.unwrap();
        let (page, together) = store
            .list_contacts_with_overview(&schema, query.clone(), now)
            .await
            .unwrap();
        let shown = |items: &[panorama_core::contact::Contact]| -> Vec<ContactId> {
            items.iter().map(|c| c.contact_id).collect()
        };
        assert_eq!(page.total, apart.total, "{query:?}");
        assert_eq!(shown(&page.items), shown(&apart.items), "{query:?}");
        assert_eq!(together, overview, "{query:?}");
    }
}
