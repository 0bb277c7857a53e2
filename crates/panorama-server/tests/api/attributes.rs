//! `/api/v1/attributes`: presets, custom attributes, the 300 limit and the primary-key flag.

use crate::helpers::TestApp;
use serde_json::json;

#[tokio::test]
async fn presets_are_listed_and_custom_ones_round_trip() {
    let app = TestApp::spawn().await;
    let list = app.get("/api/v1/attributes").await;
    assert_eq!(list.status, 200);
    let presets = list.body.as_array().expect("a list");
    assert_eq!(presets.len(), 23);
    let mobile = presets
        .iter()
        .find(|a| a["name"] == "mobile")
        .expect("mobile");
    assert_eq!(mobile["primary_key"], true);
    assert_eq!(mobile["preset"], true);

    let created = app
        .create_attribute(
            json!({"name": "vip_tier", "display_name": "VIP 等级", "type": "enum",
            "enum_values": ["gold", "silver"]}),
        )
        .await;
    assert_eq!(created["type"], "enum");
    assert_eq!(created["preset"], false);
    assert_eq!(created["enum_values"], json!(["gold", "silver"]));

    let fetched = app.get("/api/v1/attributes/vip_tier").await;
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.body["display_name"], "VIP 等级");

    let patched = app
        .patch_json(
            "/api/v1/attributes/vip_tier",
            &json!({"display_name": "VIP tier"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        app.get("/api/v1/attributes/vip_tier").await.body["display_name"],
        "VIP tier"
    );

    let taken = app
        .post_json(
            "/api/v1/attributes",
            &json!({"name": "vip_tier", "display_name": "Other",
            "type": "string"}),
        )
        .await;
    taken.assert_problem(422, "duplicate_name", "name", Some("vip_tier"));

    assert_eq!(app.delete("/api/v1/attributes/vip_tier").await.status, 204);
    app.get("/api/v1/attributes/vip_tier")
        .await
        .assert_problem_status(404, "not_found");
    app.delete("/api/v1/attributes/email").await.assert_problem(
        422,
        "preset_immutable",
        "name",
        Some("email"),
    );
    assert_eq!(
        app.get("/api/v1/attributes")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(23)
    );
}

#[tokio::test]
async fn deleting_an_attribute_removes_its_values() {
    let app = TestApp::spawn().await;
    app.create_attribute(json!({"name": "shoe_size", "display_name": "Shoe size",
        "type": "integer"}))
        .await;
    let created = app
        .upsert(json!({"mobile": "13812345678", "shoe_size": 42}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.text("/contact/contact_id");
    assert_eq!(app.contact(&id).await["attributes"]["shoe_size"], 42);

    assert_eq!(app.delete("/api/v1/attributes/shoe_size").await.status, 204);
    let contact = app.contact(&id).await;
    assert!(
        contact["attributes"].get("shoe_size").is_none(),
        "{contact}"
    );
    assert_eq!(contact["attributes"]["mobile"], "+8613812345678");
}

#[tokio::test]
async fn a_301st_custom_attribute_is_refused() {
    let app = TestApp::spawn().await;
    for number in 0..300 {
        let name = format!("custom_{number}");
        app.create_attribute(json!({"name": name, "display_name": name, "type": "string"}))
            .await;
    }
    let refused = app
        .post_json(
            "/api/v1/attributes",
            &json!({"name": "custom_300",
            "display_name": "custom_300", "type": "string"}),
        )
        .await;
    refused.assert_problem(422, "custom_attributes_limit", "name", Some("custom_300"));
    let list = app.get("/api/v1/attributes").await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(323));
    app.get("/api/v1/attributes/custom_300")
        .await
        .assert_problem_status(404, "not_found");
}

#[tokio::test]
async fn the_primary_key_flag_needs_unique_values() {
    let app = TestApp::spawn().await;
    let first = app
        .upsert(json!({"mobile": "13800000001", "member_id": "M1"}))
        .await;
    let second = app
        .upsert(json!({"mobile": "13800000002", "member_id": "M1"}))
        .await;
    assert_eq!((first.status, second.status), (201, 201));
    let first_id = first.text("/contact/contact_id");
    let second_id = second.text("/contact/contact_id");

    let refused = app
        .patch_json(
            "/api/v1/attributes/member_id",
            &json!({"primary_key": true}),
        )
        .await;
    refused.assert_problem(422, "duplicate_values", "primary_key", None);
    let value = refused.body["value"].as_str().map(str::to_lowercase);
    assert_eq!(value.as_deref(), Some("m1"), "{}", refused.body);
    assert_eq!(
        app.get("/api/v1/attributes/member_id").await.body["primary_key"],
        false
    );
    assert_eq!(app.overview().await["all"], 2);
    app.lookup("member_id", "M1").await.assert_problem(
        422,
        "invalid_value",
        "attribute",
        Some("member_id"),
    );

    let renamed = app
        .upsert(json!({"mobile": "13800000002", "member_id": "M2"}))
        .await;
    assert_eq!(renamed.body["result"], "updated", "{}", renamed.body);
    let accepted = app
        .patch_json(
            "/api/v1/attributes/member_id",
            &json!({"primary_key": true}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(accepted.body["primary_key"], true);

    let found = app.lookup("member_id", "M1").await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.text("/contact_id"), first_id);
    assert_eq!(
        app.lookup("member_id", "m2").await.text("/contact_id"),
        second_id
    );

    let by_member = app
        .upsert(json!({"member_id": "M1", "name": "Wang Wei"}))
        .await;
    assert_eq!(by_member.status, 200, "{}", by_member.body);
    assert_eq!(by_member.body["result"], "updated");
    assert_eq!(by_member.text("/contact/contact_id"), first_id);
    assert_eq!(
        app.contact(&first_id).await["attributes"]["name"],
        "Wang Wei"
    );
    assert_eq!(app.overview().await["all"], 2);
}

#[tokio::test]
async fn both_display_names_are_given_and_presets_renamed_per_language() {
    let app = TestApp::spawn().await;
    let gender = app.get("/api/v1/attributes/gender").await.body;
    assert_eq!(gender["name"], "gender");
    assert_eq!(
        gender["display_names"],
        json!({"en": "Gender", "zh": "性别"})
    );
    assert_eq!(
        gender["value_names"]["female"],
        json!({"en": "Female", "zh": "女"})
    );

    let renamed = app
        .patch_json(
            "/api/v1/attributes/mobile",
            &json!({"names": {"zh": "手机号码", "en": "Cell phone"}}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let mobile = app.get("/api/v1/attributes/mobile").await.body;
    assert_eq!(mobile["name"], "mobile", "the machine name stays");
    assert_eq!(
        mobile["display_names"],
        json!({"en": "Cell phone", "zh": "手机号码"})
    );
    app.patch_json(
        "/api/v1/attributes/gender",
        &json!({"value_names": {"unknown": {"zh": "保密"}}}),
    )
    .await;
    let gender = app.get("/api/v1/attributes/gender").await.body;
    assert_eq!(gender["value_names"]["unknown"]["zh"], "保密");
    assert_eq!(gender["value_names"]["male"]["zh"], "男");

    let custom = app
        .create_attribute(json!({"name": "card_no", "display_name": "会员卡号",
            "names": {"en": "Card number"}, "type": "string"}))
        .await;
    assert_eq!(
        custom["display_names"],
        json!({"en": "Card number", "zh": "会员卡号"})
    );
    app.post_json(
        "/api/v1/attributes",
        &json!({"name": "phone2", "display_name": "Phone 2", "names": {"zh": "手机号码"},
            "type": "string"}),
    )
    .await
    .assert_problem(422, "duplicate_name", "display_name", Some("手机号码"));

    let events = app.get("/api/v1/event-definitions").await.body;
    let open = events
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["key"] == "email_open")
        .expect("email_open");
    assert_eq!(open["display_names"]["zh"], "邮件打开");
    assert_eq!(open["group_names"], json!({"en": "Email", "zh": "邮件"}));
    let renamed = app
        .patch_json(
            "/api/v1/event-definitions/order",
            &json!({"names": {"zh": "购买"}, "attribute_names": {"amount": {"zh": "实付金额"}}}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(renamed.body["display_names"]["zh"], "购买");
    let amount = renamed.body["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .find(|a| a["name"] == "amount")
        .cloned()
        .expect("amount");
    assert_eq!(amount["display_names"]["zh"], "实付金额");
}
