//! Conformance: the suppression list. A contact deleted with a channel off comes back with that
//! channel off, whichever key value brings it back and whichever delete and create path is
//! taken; an erasure forgets it; a contact with every channel on leaves nothing.

use crate::events::{event, ingest};
use crate::{find, record, upsert};
use panorama_core::Store;
use panorama_core::contact::{
    Channel, Contact, KeyValue, SUPPRESSION_SOURCE, UpsertAction, WriteContext,
};
use panorama_core::metadata::AttributePatch;
use serde_json::{Value as Json, json};

/// `attribute` in matching form.
fn key(attribute: &str, value: &str) -> KeyValue {
    KeyValue {
        attribute: attribute.into(),
        value: value.into(),
    }
}

/// The contact a record of `values` made, unsubscribed from email by the record itself.
async fn unsubscribed(store: &dyn Store, mut values: Json) -> Contact {
    values["email_subscribed"] = json!(false);
    let contact = upsert(store, values).await.contact;
    assert!(!contact.subscription.email.subscribed);
    contact
}

/// `contact` has email off by the suppression list, with the event and history entry that say so.
async fn suppressed_by_the_list(store: &dyn Store, contact: &Contact, what: &str) {
    let email = &contact.subscription.email;
    assert!(!email.subscribed, "{what}: email is off");
    assert_eq!(email.source, SUPPRESSION_SOURCE, "{what}");
    assert!(contact.subscription.global.subscribed, "{what}: global on");
    assert!(contact.subscription.mobile.subscribed, "{what}: mobile on");
    let events = store.contact_events(contact.contact_id, 100).await.unwrap();
    let change = events
        .iter()
        .find(|e| e.event == "subscription_change")
        .unwrap_or_else(|| panic!("{what}: a subscription_change event"));
    assert_eq!(change.properties["channel"], json!("email"), "{what}");
    assert_eq!(change.properties["subscribed"], json!(false), "{what}");
    assert_eq!(change.properties["source"], json!(SUPPRESSION_SOURCE));
    let history = store.consent_history(contact.contact_id, 10).await.unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.channel == Channel::Email && h.source == SUPPRESSION_SOURCE),
        "{what}: a history entry"
    );
}

pub async fn a_deleted_unsubscriber_comes_back_unsubscribed_by_each_key_kind(store: &dyn Store) {
    let make_key = AttributePatch {
        primary_key: Some(true),
        ..Default::default()
    };
    store
        .update_attribute("member_id", &make_key)
        .await
        .unwrap();
    // (key written first, the same key spelt otherwise for the re-create, its matching form)
    let kinds = [
        (
            json!({"mobile": "+8613800000001"}),
            json!({"mobile": "138 0000 0001"}),
            key("mobile", "+8613800000001"),
        ),
        (
            json!({"email": "Gone@Example.com"}),
            json!({"email": "gone@example.COM"}),
            key("email", "gone@example.com"),
        ),
        (
            json!({"wechat_openid": "oOpenId1"}),
            json!({"wechat_openid": "oOpenId1"}),
            key("wechat_openid", "oOpenId1"),
        ),
        (
            json!({"wechat_unionid": "oUnion1"}),
            json!({"wechat_unionid": "oUnion1"}),
            key("wechat_unionid", "oUnion1"),
        ),
        (
            json!({"member_id": "M-1"}),
            json!({"member_id": "m-1"}),
            key("member_id", "m-1"),
        ),
    ];
    for (first, again, matching) in kinds {
        let gone = unsubscribed(store, first.clone()).await;
        assert!(store.delete_contact(gone.contact_id).await.unwrap());
        let entries = store
            .suppression_entries(std::slice::from_ref(&matching))
            .await
            .unwrap();
        assert_eq!(entries.len(), 1, "{first}: one entry");
        assert!(entries[0].channels.email && !entries[0].channels.global);
        let back = upsert(store, again.clone()).await;
        assert_eq!(back.action, UpsertAction::Created, "{again}");
        suppressed_by_the_list(store, &back.contact, &again.to_string()).await;
        // Deleting the new contact (email still off) keeps the entry as it was.
        assert!(store.delete_contact(back.contact.contact_id).await.unwrap());
    }
    // The wechat openid matches case-sensitively, so another spelling is another person.
    let other = upsert(store, json!({"wechat_openid": "OOPENID1"})).await;
    assert!(other.contact.subscription.email.subscribed);
}

pub async fn bulk_and_import_deletes_suppress_for_writes_and_events(store: &dyn Store) {
    let bulk = unsubscribed(store, json!({"email": "bulk@example.com"})).await;
    let mut by_file = upsert(store, json!({"mobile": "13900000002"}))
        .await
        .contact;
    let rows = [vec![key("mobile", "+8613900000002")]];
    store
        .unsubscribe_contacts(&rows, Channel::Mobile, &WriteContext::now("test"))
        .await
        .unwrap();
    by_file = store
        .get_contact(by_file.contact_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!by_file.subscription.mobile.subscribed);
    assert_eq!(store.delete_contacts(&[bulk.contact_id]).await.unwrap(), 1);
    assert_eq!(
        store.delete_contacts_by_keys(&rows).await.unwrap(),
        vec![true]
    );
    // An event naming an unknown email creates the contact: email off.
    let outcomes = ingest(
        store,
        json!([event(
            "s1",
            "form_open",
            "2026-01-01T10:00:00Z",
            json!({"email": "BULK@example.com"}),
            json!({})
        )]),
    )
    .await;
    assert!(outcomes[0].contact_created);
    let from_event = store
        .get_contact(outcomes[0].contact_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    suppressed_by_the_list(store, &from_event, "event").await;
    // A batch write (an import, a batch upsert) bringing the mobile back: mobile off.
    let records = [
        record(
            store,
            json!({"mobile": "+86 139 0000 0002", "name": "Back"}),
        )
        .await,
        record(store, json!({"email": "fresh@example.com"})).await,
    ];
    let outcomes = store
        .upsert_contacts(&records, &WriteContext::now("import"))
        .await
        .unwrap();
    let mobile = &outcomes[0].contact.subscription.mobile;
    assert!(!mobile.subscribed && mobile.source == SUPPRESSION_SOURCE);
    assert!(outcomes[1].contact.subscription.mobile.subscribed);
    // An existing contact gaining a suppressed key takes the channel off too (the consent-safe
    // reading): `fresh@` was made by the batch above.
    let gone = unsubscribed(store, json!({"wechat_unionid": "uGained"})).await;
    store.delete_contact(gone.contact_id).await.unwrap();
    let gained = upsert(
        store,
        json!({"email": "fresh@example.com", "wechat_unionid": "uGained"}),
    )
    .await;
    assert_eq!(gained.action, UpsertAction::Updated);
    suppressed_by_the_list(store, &gained.contact, "gained key").await;
}

pub async fn erasing_forgets_and_all_channels_on_leaves_nothing(store: &dyn Store) {
    let subscribed = upsert(store, json!({"email": "happy@example.com"}))
        .await
        .contact;
    store.delete_contact(subscribed.contact_id).await.unwrap();
    let happy = [key("email", "happy@example.com")];
    assert!(store.suppression_entries(&happy).await.unwrap().is_empty());
    let erased = unsubscribed(
        store,
        json!({"email": "erase@example.com", "mobile": "13700000003"}),
    )
    .await;
    let kept = unsubscribed(store, json!({"email": "kept@example.com"})).await;
    store.delete_contact(kept.contact_id).await.unwrap();
    assert!(store.erase_contact(erased.contact_id).await.unwrap());
    assert!(find(store, "email", "erase@example.com").await.is_none());
    let keys = [
        key("email", "erase@example.com"),
        key("mobile", "+8613700000003"),
    ];
    assert!(store.suppression_entries(&keys).await.unwrap().is_empty());
    let back = upsert(store, json!({"email": "erase@example.com"}))
        .await
        .contact;
    assert!(
        back.subscription.email.subscribed,
        "an erased person starts over"
    );
    let other = store
        .suppression_entries(&[key("email", "kept@example.com")])
        .await
        .unwrap();
    assert_eq!(other.len(), 1, "other people's entries stay");
    assert!(!store.erase_contact(erased.contact_id).await.unwrap());
}
