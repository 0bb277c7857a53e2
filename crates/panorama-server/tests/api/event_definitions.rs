//! `/api/v1/event-definitions`: presets are fixed but may gain attributes; custom ones are free.

use crate::helpers::TestApp;
use serde_json::json;

#[tokio::test]
async fn presets_are_listed_and_protected() {
    let app = TestApp::spawn().await;
    let list = app.get("/api/v1/event-definitions").await;
    assert_eq!(list.status, 200);
    let definitions = list.body.as_array().expect("a list");
    assert_eq!(
        definitions.iter().filter(|d| d["preset"] == true).count(),
        33
    );
    assert_eq!(definitions.len(), 33);
    let order = definitions
        .iter()
        .find(|d| d["key"] == "order")
        .expect("order");
    assert_eq!(order["group"], "order");
    assert!(
        order["attributes"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );

    app.patch_json(
        "/api/v1/event-definitions/email_open",
        &json!({"display_name": "Opened"}),
    )
    .await
    .assert_problem(422, "preset_immutable", "display_name", None);
    let gained = app
        .patch_json(
            "/api/v1/event-definitions/email_open",
            &json!({"add_attributes": [{"name": "device", "type": "string"}]}),
        )
        .await;
    assert_eq!(gained.status, 200, "{}", gained.body);
    let stored = app.get("/api/v1/event-definitions/email_open").await;
    assert_eq!(stored.body["display_name"], "Email opened");
    let device = stored.body["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == "device").cloned())
        .expect("the new attribute is stored");
    assert_eq!(device["type"], "string");
    assert_eq!(device["display_name"], "device");

    app.delete("/api/v1/event-definitions/email_open")
        .await
        .assert_problem(422, "preset_immutable", "key", Some("email_open"));
    assert_eq!(
        app.get("/api/v1/event-definitions/email_open").await.status,
        200
    );
}

#[tokio::test]
async fn custom_definitions_are_created_changed_and_deleted() {
    let app = TestApp::spawn().await;
    let created = app
        .post_json(
            "/api/v1/event-definitions",
            &json!({"key": "coupon_redeemed", "display_name": "优惠券核销", "group": "coupon",
                "attributes": [{"name": "coupon_id", "display_name": "Coupon", "type": "string"},
                    {"name": "value", "type": "decimal"}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["preset"], false);
    assert_eq!(created.body["attributes"][1]["type"], "decimal");

    let renamed = app
        .patch_json(
            "/api/v1/event-definitions/coupon_redeemed",
            &json!({"display_name": "Coupon redeemed"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let stored = app.get("/api/v1/event-definitions/coupon_redeemed").await;
    assert_eq!(stored.body["display_name"], "Coupon redeemed");
    assert_eq!(stored.body["group"], "coupon");
    assert_eq!(
        app.get("/api/v1/event-definitions")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(34)
    );

    app.post_json(
        "/api/v1/event-definitions",
        &json!({"key": "coupon_redeemed", "display_name": "Again"}),
    )
    .await
    .assert_problem(422, "duplicate_name", "key", Some("coupon_redeemed"));
    app.post_json(
        "/api/v1/event-definitions",
        &json!({"key": "Bad Key", "display_name": "Bad"}),
    )
    .await
    .assert_problem(422, "invalid_name", "key", Some("Bad Key"));

    assert_eq!(
        app.delete("/api/v1/event-definitions/coupon_redeemed")
            .await
            .status,
        204
    );
    app.get("/api/v1/event-definitions/coupon_redeemed")
        .await
        .assert_problem_status(404, "not_found");
    assert_eq!(
        app.get("/api/v1/event-definitions")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(33)
    );
}
