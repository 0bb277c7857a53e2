//! `/api/v1/contacts/{id}/subscription`: statuses, explicit changes with recorded consent, the
//! consent history, unsubscribes and hard bounces from events, and the table of every write path
//! that must never turn a channel back on.

use crate::helpers::{Reply, TestApp};
use serde_json::{Value as Json, json};

async fn put(app: &TestApp, contact_id: &str, body: Json) -> Reply {
    let url = app.url(&format!("/api/v1/contacts/{contact_id}/subscription"));
    app.send(app.client.put(url).json(&body)).await
}

async fn subscription(app: &TestApp, contact_id: &str) -> Json {
    let reply = app
        .get(&format!("/api/v1/contacts/{contact_id}/subscription"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

async fn history(app: &TestApp, contact_id: &str) -> Vec<Json> {
    let reply = app
        .get(&format!(
            "/api/v1/contacts/{contact_id}/subscription/history"
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

async fn create(app: &TestApp, attributes: Json) -> String {
    let reply = app.upsert(attributes).await;
    assert!(reply.status == 201 || reply.status == 200, "{}", reply.body);
    reply.text("/contact/contact_id")
}

async fn ingest(app: &TestApp, events: Json) -> Json {
    let reply = app
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn an_opt_in_needs_a_source_and_a_consent_note_and_is_recorded() {
    let app = TestApp::spawn().await;
    let id = create(
        &app,
        json!({"email": "optin@example.com", "email_subscribed": false}),
    )
    .await;
    let status = subscription(&app, &id).await;
    assert_eq!(status["email"]["subscribed"], false);
    assert_eq!(status["email"]["effective"], false);
    assert_eq!(status["email"]["source"], "api");
    assert_eq!(status["global"]["effective"], true);

    let refused = put(
        &app,
        &id,
        json!({"channel": "email", "subscribed": true, "source": "form"}),
    )
    .await;
    refused.assert_problem(422, "consent_required", "consent", Some(""));
    let no_source = put(
        &app,
        &id,
        json!({"channel": "email", "subscribed": true, "consent": "yes please"}),
    )
    .await;
    no_source.assert_problem(422, "consent_required", "source", None);
    let bad_channel = put(
        &app,
        &id,
        json!({"channel": "fax", "subscribed": false, "source": "x"}),
    )
    .await;
    bad_channel.assert_problem(422, "invalid_value", "channel", Some("fax"));
    assert_eq!(
        subscription(&app, &id).await["email"]["subscribed"],
        false,
        "refusals change nothing"
    );

    let body = json!({"channel": "email", "subscribed": true, "source": "checkout page",
        "consent": "ticked 'email me offers' at checkout, order 1234"});
    let accepted = put(&app, &id, body.clone()).await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(accepted.body["changed"], true);
    assert_eq!(accepted.body["subscription"]["email"]["effective"], true);
    assert_eq!(
        accepted.body["subscription"]["email"]["source"],
        "checkout page"
    );
    let again = put(&app, &id, body).await;
    assert_eq!((again.status, &again.body["changed"]), (200, &json!(false)));

    let entries = history(&app, &id).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0]["change"], "subscribed");
    assert_eq!(
        entries[0]["consent"],
        "ticked 'email me offers' at checkout, order 1234"
    );
    // The acting principal: the test's admin API key.
    let actor = entries[0]["actor"].as_str().unwrap_or_default();
    assert!(actor.starts_with("key:test-admin-"), "{actor}");
    assert_eq!(entries[1]["change"], "unsubscribed");
    let events = app.events(&id).await;
    let opt_in = events
        .iter()
        .find(|e| e["event_id"] == entries[0]["entry_id"])
        .expect("the subscription_change event");
    assert_eq!(opt_in["event"], "subscription_change");
    assert_eq!(opt_in["properties"]["subscribed"], true);

    let off = put(
        &app,
        &id,
        json!({"channel": "global", "subscribed": false, "source": "complaint call"}),
    )
    .await;
    assert_eq!(off.status, 200, "{}", off.body);
    let status = &off.body["subscription"];
    assert_eq!(
        (
            &status["email"]["subscribed"],
            &status["email"]["effective"]
        ),
        (&json!(true), &json!(false))
    );
    let missing = put(
        &app,
        "0195f0b4-0000-7000-8000-000000000000",
        json!({"channel": "email", "subscribed": false, "source": "x"}),
    )
    .await;
    missing.assert_problem_status(404, "not_found");
    let bad_limit = app
        .get(&format!(
            "/api/v1/contacts/{id}/subscription/history?limit=0"
        ))
        .await;
    bad_limit.assert_problem(422, "invalid_value", "limit", Some("0"));
}

/// Every path that writes an existing contact, each from a contact whose email channel is off.
#[tokio::test]
async fn consent_is_never_loosened_by_any_write_path() {
    let app = TestApp::spawn().await;
    let cases = [
        "upsert says yes",
        "batch says yes",
        "merge with a subscribed contact",
        "opt-in without a consent note",
        "opt-in without a source",
        "events other than an explicit opt-in",
        "unsubscribe event then a record saying yes",
    ];
    for (index, case) in cases.iter().enumerate() {
        let email = format!("never{index}@example.com");
        let id = create(&app, json!({"email": email, "email_subscribed": false})).await;
        match index {
            0 => {
                create(
                    &app,
                    json!({"email": email, "email_subscribed": true, "global_subscribed": true}),
                )
                .await;
            }
            1 => {
                let batch = json!({"contacts": [
                    {"attributes": {"email": email, "email_subscribed": true}},
                    {"attributes": {"email": email, "email_subscribed": true, "name": "Z"}},
                ]});
                let reply = app.post_json("/api/v1/contacts/batch", &batch).await;
                assert_eq!(reply.status, 200, "{}", reply.body);
            }
            2 => {
                let mobile = format!("1390000{index:04}");
                create(&app, json!({"mobile": mobile, "email_subscribed": true})).await;
                let merged = app.upsert(json!({"mobile": mobile, "email": email})).await;
                assert_eq!(merged.body["result"], "merged", "{case}: {}", merged.body);
            }
            3 => {
                let reply = put(
                    &app,
                    &id,
                    json!({"channel": "email", "subscribed": true, "source": "form"}),
                )
                .await;
                reply.assert_problem(422, "consent_required", "consent", None);
            }
            4 => {
                let reply = put(
                    &app,
                    &id,
                    json!({"channel": "email", "subscribed": true, "consent": "I agree"}),
                )
                .await;
                reply.assert_problem(422, "consent_required", "source", None);
            }
            5 => {
                let who = json!({"email": email});
                let events: Vec<Json> = [
                    "email_open",
                    "email_click",
                    "form_submit",
                    "wechat_follow",
                    "subscription_change",
                ]
                .iter()
                .enumerate()
                .map(|(n, key)| {
                    json!({"event_id": format!("loosen-{n}"), "event": key,
                        "occurred_at": "2026-01-01T00:00:00Z", "identity": who,
                        "properties": if *key == "subscription_change" {
                            json!({"channel": "email", "subscribed": true, "source": "sneaky"})
                        } else { json!({}) }})
                })
                .collect();
                ingest(&app, json!(events)).await;
            }
            _ => {
                ingest(&app, json!([{"event_id": "unsub-then-yes", "event": "email_unsubscribe",
                    "occurred_at": "2026-01-01T00:00:00Z", "identity": {"contact_id": id}, "properties": {}}])).await;
                create(&app, json!({"email": email, "email_subscribed": true})).await;
            }
        }
        let status = subscription(&app, &id).await;
        assert_eq!(status["email"]["subscribed"], false, "{case}: {status}");
        assert_eq!(status["email"]["effective"], false, "{case}: {status}");
    }
}

#[tokio::test]
async fn events_unsubscribe_and_hard_bounces_make_email_undeliverable() {
    let app = TestApp::spawn().await;
    let id = create(
        &app,
        json!({"email": "hard@example.com", "mobile": "13912340000"}),
    )
    .await;
    let at = "2026-02-01T08:00:00Z";
    ingest(&app, json!([
        {"event_id": "u1", "event": "sms_unsubscribe", "occurred_at": at, "identity": {"contact_id": id}, "properties": {}},
        {"event_id": "b1", "event": "email_hard_bounce", "occurred_at": at, "identity": {"email": "hard@example.com"},
            "properties": {"email": "hard@example.com", "reason": "550 mailbox unavailable"}},
    ]))
    .await;
    let status = subscription(&app, &id).await;
    assert_eq!(status["mobile"]["subscribed"], false, "{status}");
    assert_eq!(status["mobile"]["source"], "sms_unsubscribe");
    assert_eq!(
        status["email"]["subscribed"], true,
        "a bounce is not an unsubscribe"
    );
    assert_eq!(
        status["email"]["effective"], false,
        "but the address is undeliverable"
    );
    assert_eq!(status["email_deliverable"], false);
    assert_eq!(status["email_bounce"]["address"], "hard@example.com");
    let contact = app.contact(&id).await;
    assert_eq!(
        contact["subscription"]["email"]["effective"], false,
        "the contact says the same"
    );
    let changes: Vec<(String, String)> = history(&app, &id)
        .await
        .iter()
        .map(|e| {
            (
                e["channel"].as_str().unwrap_or("").to_owned(),
                e["change"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert!(
        changes.contains(&("email".into(), "undeliverable".into())),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("mobile".into(), "unsubscribed".into())),
        "{changes:?}"
    );
    // A new address is deliverable again.
    create(
        &app,
        json!({"mobile": "13912340000", "email": "new@example.com"}),
    )
    .await;
    let status = subscription(&app, &id).await;
    assert_eq!(
        (&status["email"]["effective"], &status["email_deliverable"]),
        (&json!(true), &json!(true))
    );
}
