//! Conformance: explicit consent changes, the consent history, the consent effects of events,
//! and the rule that nothing but an explicit, recorded opt-in turns a channel back on.

use crate::{event_keys, record, upsert};
use panorama_core::Store;
use panorama_core::contact::{
    Channel, ConsentChange, Contact, ContactId, SubscriptionChange, WriteContext,
};
use panorama_core::event::{Event, properties};
use serde_json::json;

async fn contact(store: &dyn Store, id: ContactId) -> Contact {
    store
        .get_contact(id)
        .await
        .unwrap()
        .expect("the contact exists")
}

fn change(channel: &str, on: bool, source: &str, consent: Option<&str>) -> SubscriptionChange {
    SubscriptionChange::parse(channel, on, Some(source), consent).unwrap()
}

pub async fn explicit_subscription_changes_are_recorded(store: &dyn Store) {
    let created = upsert(
        store,
        json!({"email": "opt@example.com", "email_subscribed": false}),
    )
    .await
    .contact;
    let on = change(
        "email",
        true,
        "newsletter form",
        Some("ticked 'send me news' on /signup"),
    );
    let outcome = store
        .change_subscription(created.contact_id, &on, "alice")
        .await
        .unwrap();
    let entry = outcome.entry.expect("a history entry");
    assert_eq!(entry.change, ConsentChange::Subscribed);
    assert!(outcome.contact.effective(Channel::Email));
    let stored = contact(store, created.contact_id).await;
    assert!(stored.subscription.email.subscribed, "the opt-in is stored");
    assert_eq!(stored.subscription.email.source, "newsletter form");
    let again = store
        .change_subscription(created.contact_id, &on, "alice")
        .await
        .unwrap();
    assert!(again.entry.is_none(), "the same value records nothing");

    let history = store
        .consent_history(created.contact_id, 100)
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].change, ConsentChange::Subscribed, "newest first");
    assert_eq!(
        history[0].consent.as_deref(),
        Some("ticked 'send me news' on /signup")
    );
    assert_eq!(history[0].actor.as_deref(), Some("alice"));
    assert_eq!(history[1].change, ConsentChange::Unsubscribed);
    assert_eq!(history[1].source, "test");
    let events = store.contact_events(created.contact_id, 100).await.unwrap();
    let opt_in = events
        .iter()
        .find(|e| e.event_id == entry.entry_id)
        .expect("the subscription_change event of the opt-in");
    assert_eq!(opt_in.event, "subscription_change");
    assert_eq!(
        opt_in.properties["consent"],
        json!("ticked 'send me news' on /signup")
    );
    let missing = store
        .change_subscription(ContactId::new(), &on, "alice")
        .await
        .expect_err("no such contact");
    assert_eq!(missing.kind, panorama_core::ErrorKind::NotFound);
}

/// Every path that writes an existing contact, each starting from a contact whose email channel
/// is off; none may turn it back on.
pub async fn consent_is_never_loosened_by_writes(store: &dyn Store) {
    let cases: [(&str, usize); 6] = [
        ("record says yes", 0),
        ("batch says yes", 1),
        ("merge with a subscribed contact", 2),
        ("events other than an explicit opt-in", 3),
        ("unsubscribe then yes in one batch", 4),
        ("import's unsubscribe purpose, then a file saying yes", 5),
    ];
    for (name, case) in cases {
        let email = format!("never{case}@example.com");
        let off = upsert(store, json!({"email": email, "email_subscribed": false}))
            .await
            .contact;
        assert!(!off.subscription.email.subscribed);
        let context = WriteContext::now("test");
        match case {
            0 => {
                upsert(
                    store,
                    json!({"email": email, "email_subscribed": true, "name": "x"}),
                )
                .await;
            }
            1 => {
                let records = [
                    record(store, json!({"email": email, "email_subscribed": true})).await,
                    record(store, json!({"email": email, "global_subscribed": true})).await,
                ];
                store.upsert_contacts(&records, &context).await.unwrap();
            }
            2 => {
                let mobile = format!("1380000{case:04}");
                upsert(store, json!({"mobile": mobile, "email_subscribed": true})).await;
                let merged = upsert(store, json!({"mobile": mobile, "email": email})).await;
                assert_eq!(merged.merged.len(), 1, "{name}: a merge happened");
            }
            3 => {
                let events: Vec<Event> =
                    ["email_open", "email_click", "form_submit", "wechat_follow"]
                        .into_iter()
                        .map(|key| Event::system(off.contact_id, key, context.at, properties([])))
                        .collect();
                assert_eq!(store.apply_consent_events(&events).await.unwrap(), 0);
            }
            5 => {
                let key = panorama_core::contact::KeyValue {
                    attribute: "email".into(),
                    value: email.clone(),
                };
                let rows = [vec![key]];
                store
                    .unsubscribe_contacts(&rows, Channel::Email, &context)
                    .await
                    .unwrap();
                let records =
                    [record(store, json!({"email": email, "email_subscribed": true})).await];
                store.upsert_contacts(&records, &context).await.unwrap();
            }
            _ => {
                let records = [
                    record(store, json!({"email": email, "email_subscribed": false})).await,
                    record(store, json!({"email": email, "email_subscribed": true})).await,
                ];
                store.upsert_contacts(&records, &context).await.unwrap();
            }
        }
        let found = crate::find(store, "email", &email)
            .await
            .expect("still there");
        assert!(
            !found.subscription.email.subscribed && !found.effective(Channel::Email),
            "{name}: consent was loosened"
        );
    }
}

pub async fn consent_events_unsubscribe_and_bounce(store: &dyn Store) {
    let person = upsert(
        store,
        json!({"email": "bounce@example.com", "mobile": "13900000001"}),
    )
    .await
    .contact;
    let at = panorama_core::contact::now_micros();
    let event = |key: &str, props| Event::system(person.contact_id, key, at, props);
    let events = [
        event("sms_unsubscribe", properties([])),
        event(
            "email_hard_bounce",
            properties([
                ("email", json!("bounce@example.com")),
                ("reason", json!("550 no such user")),
            ]),
        ),
    ];
    assert_eq!(store.apply_consent_events(&events).await.unwrap(), 2);
    let stored = contact(store, person.contact_id).await;
    assert!(!stored.subscription.mobile.subscribed);
    assert!(
        stored.subscription.email.subscribed,
        "a bounce is not an unsubscribe"
    );
    assert!(
        !stored.effective(Channel::Email),
        "but the address is undeliverable"
    );
    assert_eq!(
        stored.current_bounce().map(|b| b.address.as_str()),
        Some("bounce@example.com")
    );
    let history = store.consent_history(person.contact_id, 100).await.unwrap();
    let changes: Vec<_> = history.iter().map(|h| (h.channel, h.change)).collect();
    assert!(
        changes.contains(&(Channel::Email, ConsentChange::Undeliverable)),
        "{changes:?}"
    );
    assert!(
        changes.contains(&(Channel::Mobile, ConsentChange::Unsubscribed)),
        "{changes:?}"
    );
    assert_eq!(
        store.apply_consent_events(&events).await.unwrap(),
        0,
        "idempotent"
    );
    // A new address is deliverable again; the bounce stays in the history.
    let moved = upsert(
        store,
        json!({"mobile": "13900000001", "email": "new@example.com"}),
    )
    .await;
    assert!(moved.contact.effective(Channel::Email));
    assert!(
        contact(store, person.contact_id)
            .await
            .effective(Channel::Email)
    );
}

pub async fn merges_move_and_deletes_remove_consent_history(store: &dyn Store) {
    let a = upsert(
        store,
        json!({"mobile": "13900000002", "mobile_subscribed": false}),
    )
    .await
    .contact;
    let b = upsert(
        store,
        json!({"email": "moved@example.com", "global_subscribed": false}),
    )
    .await
    .contact;
    let merged = upsert(
        store,
        json!({"mobile": "13900000002", "email": "moved@example.com"}),
    )
    .await;
    assert_eq!(merged.contact.contact_id, a.contact_id);
    let history = store.consent_history(a.contact_id, 100).await.unwrap();
    let channels: Vec<Channel> = history.iter().map(|h| h.channel).collect();
    assert!(
        channels.contains(&Channel::Mobile) && channels.contains(&Channel::Global),
        "{history:?}"
    );
    assert!(
        store
            .consent_history(b.contact_id, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        event_keys(store, &merged.contact)
            .await
            .contains(&"user_merged".to_owned())
    );
    assert!(store.delete_contact(a.contact_id).await.unwrap());
    assert!(
        store
            .consent_history(a.contact_id, 100)
            .await
            .unwrap()
            .is_empty(),
        "deleted with the contact"
    );
}
