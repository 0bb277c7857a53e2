//! Bad input: every refusal is a problem document naming field and value, and changes nothing.

use crate::helpers::TestApp;
use panorama_server::Settings;
use serde_json::{Value as Json, json};

const MOBILE: &str = "13812345678";

/// Each bad record, the code it earns, and the field and value the problem must name.
fn bad_records() -> Vec<(Json, &'static str, &'static str, Option<&'static str>)> {
    vec![
        (
            json!({"mobile": MOBILE, "favourite_colour": "red"}),
            "unknown_attribute",
            "favourite_colour",
            Some("favourite_colour"),
        ),
        (
            json!({"mobile": MOBILE, "member_points": "abc"}),
            "invalid_value",
            "member_points",
            Some("abc"),
        ),
        (
            json!({"mobile": MOBILE, "short_code": "abcdef"}),
            "value_too_long",
            "short_code",
            Some("abcdef"),
        ),
        (
            json!({"mobile": "12345", "name": "Changed"}),
            "invalid_mobile",
            "mobile",
            Some("12345"),
        ),
        (
            json!({"mobile": MOBILE, "email": "zoe@localhost"}),
            "invalid_email",
            "email",
            Some("zoe@localhost"),
        ),
        (
            json!({"name": "Nobody", "city": "北京"}),
            "no_key_value",
            "attributes",
            Some("city, name"),
        ),
        (
            json!({"mobile": MOBILE, "order_count": 5}),
            "computed_attribute",
            "order_count",
            Some("5"),
        ),
        (
            json!({"mobile": MOBILE, "email_subscribed": "maybe"}),
            "invalid_value",
            "email_subscribed",
            Some("maybe"),
        ),
    ]
}

#[tokio::test]
async fn a_bad_record_is_refused_with_field_and_value_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_attribute(json!({"name": "short_code", "display_name": "Short code",
        "type": "string", "max_length": 5}))
        .await;
    let created = app
        .upsert(json!({"mobile": MOBILE, "name": "Zoe", "short_code": "abc", "member_points": 7}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.text("/contact/contact_id");
    let before = app.contact(&id).await;
    let events_before = app.events(&id).await.len();

    for (attributes, code, field, value) in bad_records() {
        let reply = app.upsert(attributes.clone()).await;
        reply.assert_problem(422, code, field, value);
        assert_eq!(app.overview().await["all"], 1, "after {attributes}");
        assert_eq!(app.contact(&id).await, before, "after {attributes}");
    }

    let batch: Vec<Json> = bad_records()
        .into_iter()
        .map(|(attributes, ..)| json!({ "attributes": attributes }))
        .collect();
    let reply = app
        .post_json("/api/v1/contacts/batch", &json!({ "contacts": batch }))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["counts"]["rejected"], json!(bad_records().len()));
    for (result, (_, code, field, value)) in reply.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .zip(bad_records())
    {
        assert_eq!(result["error"]["code"], code, "{result}");
        assert_eq!(result["error"]["field"], field, "{result}");
        if let Some(value) = value {
            assert_eq!(result["error"]["value"], value, "{result}");
        }
    }
    assert_eq!(app.contact(&id).await, before);
    assert_eq!(app.events(&id).await.len(), events_before);
    assert_eq!(app.overview().await["all"], 1);
}

#[tokio::test]
async fn malformed_requests_get_problem_documents() {
    let app = TestApp::spawn().await;
    let not_json = app
        .send(
            app.client
                .post(app.url("/api/v1/contacts"))
                .header("content-type", "application/json")
                .body("{\"attributes\": {"),
        )
        .await;
    not_json.assert_problem_status(400, "bad_request");
    let no_type = app
        .send(app.client.post(app.url("/api/v1/contacts")).body("{}"))
        .await;
    no_type.assert_problem_status(415, "bad_request");
    app.post_json("/api/v1/contacts", &json!({"attributes": 5}))
        .await
        .assert_problem(422, "bad_request", "attributes", None);
    app.post_json("/api/v1/contacts", &json!({"attributez": {}}))
        .await
        .assert_problem(422, "bad_request", "attributez", Some("attributez"));
    app.post_json(
        "/api/v1/attributes",
        &json!({"name": "x", "display_name": "x",
        "type": "string", "colour": "red"}),
    )
    .await
    .assert_problem(422, "bad_request", "colour", Some("colour"));
    app.get("/api/v1/contacts/not-a-uuid").await.assert_problem(
        422,
        "invalid_value",
        "contact_id",
        Some("not-a-uuid"),
    );
    app.get("/api/v1/contacts/0190b2c4-0000-7000-8000-000000000000")
        .await
        .assert_problem_status(404, "not_found");
    app.lookup("name", "Zoe")
        .await
        .assert_problem(422, "invalid_value", "attribute", Some("name"));
    app.lookup("mobile", "12")
        .await
        .assert_problem(422, "invalid_mobile", "mobile", Some("12"));
    app.get("/api/v1/contacts/lookup?value=1")
        .await
        .assert_problem(422, "bad_request", "attribute", None);
    app.get("/api/v1/nothing-here")
        .await
        .assert_problem_status(404, "not_found");
    app.send(app.client.put(app.url("/api/v1/contacts/overview")))
        .await
        .assert_problem_status(405, "bad_request");
    assert_eq!(app.overview().await["all"], 0);
}

#[tokio::test]
async fn limits_are_problem_documents() {
    let settings = Settings {
        batch_contacts_max: 3,
        request_body_bytes_max: 2048,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings).await;
    let four: Vec<Json> = (0..4)
        .map(|n| json!({"attributes": {"mobile": format!("1330000000{n}")}}))
        .collect();
    app.post_json("/api/v1/contacts/batch", &json!({ "contacts": four }))
        .await
        .assert_problem(413, "limit_exceeded", "contacts", Some("4"));
    let large = json!({"attributes": {"mobile": MOBILE, "address": "x".repeat(4096)}});
    app.post_json("/api/v1/contacts", &large)
        .await
        .assert_problem_status(413, "limit_exceeded");
    assert_eq!(app.overview().await["all"], 0);
    let three = json!({"contacts": [{"attributes": {"mobile": MOBILE}}]});
    assert_eq!(
        app.post_json("/api/v1/contacts/batch", &three).await.status,
        200
    );
    assert_eq!(app.overview().await["all"], 1);
}
