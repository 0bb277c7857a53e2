//! `/api/v1/events`: one result per event (created, duplicate, rejected with its reason), and
//! the batch limit.

use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

pub(crate) fn event(id: &str, key: &str, at: &str, identity: Json, properties: Json) -> Json {
    json!({"event_id": id, "event": key, "occurred_at": at, "identity": identity, "properties": properties})
}

pub(crate) async fn ingest(app: &TestApp, events: Vec<Json>) -> Json {
    let reply = app
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body
}

#[tokio::test]
async fn each_event_gets_its_own_result() {
    let app = TestApp::spawn().await;
    let who = json!({"mobile": "13812340001"});
    let body = ingest(
        &app,
        vec![
            event(
                "e1",
                "email_open",
                "2026-03-01T09:00:00+08:00",
                who.clone(),
                json!({"subject": "Spring"}),
            ),
            event(
                "e1",
                "email_open",
                "2026-03-01T09:00:00+08:00",
                who.clone(),
                json!({}),
            ),
            event(
                "e2",
                "no_such_event",
                "2026-03-01T09:00:00Z",
                who.clone(),
                json!({}),
            ),
            event(
                "e3",
                "order",
                "2026-03-01T09:00:00Z",
                who.clone(),
                json!({"item_count": "many"}),
            ),
            event(
                "e4",
                "email_open",
                "2026-03-01T09:00:00Z",
                json!({}),
                json!({}),
            ),
            event("e5", "email_open", "last tuesday", who.clone(), json!({})),
        ],
    )
    .await;
    assert_eq!(
        body["counts"],
        json!({"created": 1, "duplicate": 1, "rejected": 4})
    );
    let results = body["results"].as_array().expect("results");
    assert_eq!(results[0]["result"], "created");
    assert_eq!(results[0]["contact_created"], true);
    assert_eq!(results[1]["result"], "duplicate");
    assert_eq!(results[2]["error"]["code"], "unknown_event");
    assert_eq!(results[3]["error"]["field"], "properties.item_count");
    assert_eq!(results[3]["error"]["value"], "many");
    assert_eq!(results[4]["error"]["code"], "no_key_value");
    assert_eq!(results[5]["error"]["field"], "occurred_at");
    let again = ingest(
        &app,
        vec![event(
            "e1",
            "email_click",
            "2026-03-02T00:00:00Z",
            who,
            json!({}),
        )],
    )
    .await;
    assert_eq!(again["results"][0]["result"], "duplicate");
    let contact_id = results[0]["contact_id"].as_str().expect("an id");
    let stored = app.events(contact_id).await;
    let open = stored
        .iter()
        .find(|e| e["event_id"] == "e1")
        .expect("stored");
    assert_eq!(open["occurred_at"], "2026-03-01T01:00:00.000000Z");
    assert_eq!(open["display_name"], "Email opened");
    assert_eq!(open["group"], "email");
}

#[tokio::test]
async fn a_batch_over_the_limit_is_refused_whole() {
    let app = TestApp::spawn().await;
    let one = event(
        "x",
        "email_open",
        "2026-03-01T09:00:00Z",
        json!({"anonymous_id": "d"}),
        json!({}),
    );
    let events = vec![one; panorama_core::event::EVENTS_BATCH_MAX + 1];
    let reply = app
        .post_json("/api/v1/events", &json!({ "events": events }))
        .await;
    reply.assert_problem(413, "limit_exceeded", "events", Some("10001"));
}
