//! The demo company as someone trying Panorama finds it: contacts that arrived over two years,
//! each before its own events; labels in groups; WeChat accounts whose fans carry follower
//! labels; and merges the contact page can undo.

use panorama::demo::labels::GROUPS;
use panorama::demo::merges::merge_count;
use panorama::demo::wechat::{BRAND_APP_ID, SERVICE_APP_ID};
use panorama_core::Store;
use panorama_core::contact::{Category, Contact, WriteContext};
use panorama_core::store::ContactListQuery;
use std::collections::BTreeSet;
use std::sync::Arc;

const CONTACTS: u64 = 300;

struct Demo {
    _directory: tempfile::TempDir,
    store: Arc<dyn Store>,
    contacts: Vec<Contact>,
}

async fn demo() -> Demo {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", directory.path().join("demo.db").display());
    let store = panorama::database::open(&url)
        .await
        .expect("the store opens");
    panorama::cmd::demo::fill(store.as_ref(), CONTACTS, 5)
        .await
        .expect("the demo fills");
    let contacts = store
        .list_contacts(ContactListQuery::category(Category::All, 10_000))
        .await
        .expect("the contacts")
        .items;
    assert_eq!(
        contacts.len() as u64,
        CONTACTS,
        "duplicates are merged away"
    );
    Demo {
        _directory: directory,
        store,
        contacts,
    }
}

fn days(n: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_hours(24 * n)
}

#[tokio::test]
async fn the_demo_company_has_a_history_labels_fans_and_merges() {
    let demo = demo().await;
    let store = demo.store.as_ref();
    let now = jiff::Timestamp::now();

    // Arrivals over two years, each at its own moment.
    let created: BTreeSet<jiff::Timestamp> = demo.contacts.iter().map(|c| c.created_at).collect();
    let (first, last) = (created.first().copied(), created.last().copied());
    assert!(first.is_some_and(|at| at < now - days(700) && at > now - days(731)));
    assert!(last.is_some_and(|at| at > now - days(7) && at < now));
    assert!(
        created.len() as u64 > CONTACTS * 9 / 10,
        "{}",
        created.len()
    );
    let older_than_a_year = created.iter().filter(|at| **at < now - days(365)).count();
    assert!(
        (100..200).contains(&older_than_a_year),
        "{older_than_a_year}"
    );

    // Every contact's events come after its creation.
    let mut merged = Vec::new();
    let mut survivors = BTreeSet::new();
    for contact in &demo.contacts {
        let events = store
            .contact_events(contact.contact_id, 100_000)
            .await
            .expect("events");
        for event in &events {
            if event.event == "user_created" {
                assert!(event.occurred_at >= contact.created_at, "{event:?}");
            } else {
                assert!(event.occurred_at > contact.created_at, "{event:?}");
            }
        }
        for event in events.iter().filter(|e| e.event == "user_merged") {
            merged.push(event.event_id.clone());
            survivors.insert(contact.contact_id);
        }
    }

    // Labels in their groups, on a share of the contacts.
    let catalog = store.label_catalog().await.expect("the labels");
    for (group, names) in GROUPS {
        let group = catalog
            .groups
            .iter()
            .find(|g| g.name == *group)
            .unwrap_or_else(|| panic!("group {group}"));
        let carried: u64 = catalog
            .labels
            .iter()
            .filter(|l| l.group_id == Some(group.group_id) && names.contains(&l.name.as_str()))
            .map(|l| l.contacts)
            .sum();
        assert!(carried > 0, "nobody carries a label of {}", group.name);
    }
    let mut labelled = 0;
    for contact in &demo.contacts {
        if !store
            .contact_labels(contact.contact_id)
            .await
            .expect("labels")
            .is_empty()
        {
            labelled += 1;
        }
    }
    assert!((90..=240).contains(&labelled), "{labelled} labelled");

    // Two official accounts; fans with follower labels.
    let accounts = store.list_wechat_accounts().await.expect("accounts");
    let app_ids: BTreeSet<&str> = accounts.iter().map(|a| a.app_id.as_str()).collect();
    assert_eq!(app_ids, BTreeSet::from([BRAND_APP_ID, SERVICE_APP_ID]));
    let follower_labels = store.follower_labels(BRAND_APP_ID).await.expect("labels");
    assert!(follower_labels.iter().filter(|l| l.fans > 0).count() >= 3);
    let mut fans_with_labels = 0;
    // Every fan follows the brand's account; a survivor holds its duplicate's openid, without
    // a fan record of its own.
    for contact in demo.contacts.iter().filter(|c| {
        c.attributes.contains_key("wechat_openid") && !survivors.contains(&c.contact_id)
    }) {
        let fans = store.contact_fans(contact.contact_id).await.expect("fans");
        assert!(fans.iter().any(|f| f.app_id == BRAND_APP_ID), "{fans:?}");
        if fans.iter().any(|f| !f.labels.is_empty()) {
            fans_with_labels += 1;
        }
    }
    assert!(fans_with_labels > 0);

    // Merges that can be undone.
    assert_eq!(merged.len() as u64, merge_count(CONTACTS));
    let record = store
        .merge_record(&merged[0])
        .await
        .expect("a look-up")
        .expect("a merge record");
    let undone = store
        .undo_merge(&merged[0], &WriteContext::now("test"))
        .await
        .expect("the undo is accepted");
    assert_eq!(undone.restored.contact_id, record.merged_id);
    assert!(undone.restored.attributes.contains_key("wechat_openid"));
    let overview = store
        .overview(jiff::Timestamp::now())
        .await
        .expect("counts");
    assert_eq!(overview.all, CONTACTS + 1);
}
