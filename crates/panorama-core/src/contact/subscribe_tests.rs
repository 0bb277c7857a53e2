//! Tests of the explicit consent path and of the consent effects of events.

use super::*;
use crate::contact::{Subscription, apply_event};
use crate::event::Event;
use serde_json::{Map, json};
use std::collections::BTreeMap;

fn contact(email: &str) -> Contact {
    let at = jiff::Timestamp::from_second(1_700_000_000).expect("a time");
    Contact {
        contact_id: ContactId::new(),
        attributes: BTreeMap::from([("email".to_owned(), json!(email))]),
        subscription: Subscription::subscribed(at, "api"),
        created_at: at,
        updated_at: at,
    }
}

fn event(contact: &Contact, key: &str, properties: Map<String, serde_json::Value>) -> Event {
    Event::system(
        contact.contact_id,
        key,
        crate::contact::now_micros(),
        properties,
    )
}

#[test]
fn turning_on_needs_source_and_consent_note() {
    let missing =
        SubscriptionChange::parse("email", true, Some("form"), None).expect_err("no note");
    assert_eq!(
        (missing.code, missing.field.as_deref()),
        (codes::CONSENT_REQUIRED, Some("consent"))
    );
    let blank =
        SubscriptionChange::parse("email", true, Some("form"), Some("  ")).expect_err("blank");
    assert_eq!(blank.code, codes::CONSENT_REQUIRED);
    let no_source =
        SubscriptionChange::parse("mobile", false, Some(" "), None).expect_err("source");
    assert_eq!(no_source.field.as_deref(), Some("source"));
    let bad = SubscriptionChange::parse("fax", false, Some("x"), None).expect_err("channel");
    assert_eq!(
        (bad.field.as_deref(), bad.value.as_deref()),
        (Some("channel"), Some("fax"))
    );
    let off = SubscriptionChange::parse("mobile", false, Some(" call centre "), None).expect("off");
    assert_eq!(off.source, "call centre");
    let long = "x".repeat(CONSENT_NOTE_CHARS_MAX + 1);
    let too_long = SubscriptionChange::parse("email", true, Some("form"), Some(&long));
    assert_eq!(too_long.expect_err("too long").code, codes::VALUE_TOO_LONG);
}

#[test]
fn an_explicit_change_is_recorded_once() {
    let mut person = contact("a@example.com");
    let off = SubscriptionChange::parse("email", false, Some("phone call"), None).expect("valid");
    let at = crate::contact::now_micros();
    let record = apply_change(&mut person, &off, "alice", at).expect("a change");
    assert!(!person.subscription.email.subscribed);
    assert_eq!(person.subscription.email.source, "phone call");
    assert_eq!(record.entry.change, ConsentChange::Unsubscribed);
    assert_eq!(record.entry.actor.as_deref(), Some("alice"));
    let event = record.event.expect("an event");
    assert_eq!(event.event, "subscription_change");
    assert_eq!(event.properties["subscribed"], json!(false));
    assert!(
        apply_change(&mut person, &off, "alice", at).is_none(),
        "no change, no record"
    );
    let on = SubscriptionChange::parse(
        "email",
        true,
        Some("shop"),
        Some("ticked the box at checkout"),
    )
    .expect("valid");
    let record = apply_change(&mut person, &on, "alice", at).expect("a change");
    assert_eq!(
        record.entry.consent.as_deref(),
        Some("ticked the box at checkout")
    );
    assert!(person.effective(Channel::Email));
}

#[test]
fn unsubscribe_events_turn_channels_off_and_nothing_turns_them_on() {
    let mut person = contact("a@example.com");
    let unsubscribe = event(&person, "email_unsubscribe", Map::new());
    let record = apply_event(&mut person, &unsubscribe).expect("a change");
    assert!(!person.subscription.email.subscribed);
    assert_eq!(record.entry.source, "email_unsubscribe");
    assert!(
        apply_event(&mut person, &unsubscribe).is_none(),
        "already off"
    );
    let sms = event(&person, "sms_unsubscribe", Map::new());
    apply_event(&mut person, &sms).expect("a change");
    assert!(!person.subscription.mobile.subscribed);
    for key in ["email_open", "email_click", "wechat_follow", "form_submit"] {
        let before = person.clone();
        assert!(apply_event(&mut person, &event(&before, key, Map::new())).is_none());
        assert_eq!(person, before, "{key} changed consent");
    }
}

#[test]
fn a_hard_bounce_makes_the_current_address_undeliverable() {
    let mut person = contact("a@example.com");
    let other = event(
        &person,
        "email_hard_bounce",
        crate::event::properties([("email", json!("old@example.com"))]),
    );
    assert!(
        apply_event(&mut person, &other).is_none(),
        "another address"
    );
    let bounce = event(
        &person,
        "email_hard_bounce",
        crate::event::properties([
            ("email", json!("A@example.com")),
            ("reason", json!("no such user")),
        ]),
    );
    let record = apply_event(&mut person, &bounce).expect("marked");
    assert_eq!(record.entry.change, ConsentChange::Undeliverable);
    assert!(record.entry.source.contains("no such user"));
    assert!(
        person.subscription.email.subscribed,
        "consent itself is unchanged"
    );
    assert!(!person.email_deliverable());
    assert!(!person.effective(Channel::Email));
    assert!(person.effective(Channel::Global));
    assert!(
        apply_event(&mut person, &bounce).is_none(),
        "already undeliverable"
    );
    // A new address is deliverable again.
    person
        .attributes
        .insert("email".into(), json!("new@example.com"));
    assert!(person.effective(Channel::Email));
    assert!(person.current_bounce().is_none());
}

#[test]
fn merges_keep_the_later_bounce() {
    let mut survivor = contact("a@example.com");
    let mut other = contact("a@example.com");
    let bounce = event(&other, "email_hard_bounce", Map::new());
    apply_event(&mut other, &bounce).expect("marked");
    survivor.subscription.merge_restrictive(&other.subscription);
    assert!(!survivor.effective(Channel::Email));
}

#[test]
fn global_off_wins_over_channels() {
    let mut person = contact("a@example.com");
    let off = SubscriptionChange::parse("global", false, Some("complaint"), None).expect("valid");
    apply_change(&mut person, &off, "bob", crate::contact::now_micros()).expect("a change");
    assert!(person.subscription.email.subscribed);
    assert!(!person.effective(Channel::Email));
    assert!(!person.effective(Channel::Mobile));
}
