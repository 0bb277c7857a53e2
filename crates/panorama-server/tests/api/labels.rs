//! `/api/v1/labels`, `/api/v1/label-groups`, a contact's labels and the list filter `label=`,
//! with every limit answered by a 4xx that names it; and the OpenAPI entries of issue 7's routes.

use crate::helpers::{Reply, TestApp};
use serde_json::{Value as Json, json};

async fn created(reply: Reply) -> Json {
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body
}

async fn contact(app: &TestApp, attributes: Json) -> String {
    app.upsert(attributes).await.text("/contact/contact_id")
}

#[tokio::test]
async fn labels_live_in_groups_four_levels_deep() {
    let app = TestApp::spawn().await;
    let mut parent = Json::Null;
    for level in 1..=4 {
        let group = created(
            app.post_json(
                "/api/v1/label-groups",
                &json!({"name": format!("L{level}"), "parent_id": parent}),
            )
            .await,
        )
        .await;
        assert_eq!(group["depth"], level);
        parent = group["group_id"].clone();
    }
    let fifth = app
        .post_json(
            "/api/v1/label-groups",
            &json!({"name": "L5", "parent_id": parent}),
        )
        .await;
    fifth.assert_problem(422, "limit_exceeded", "parent_id", None);
    assert!(
        fifth.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("at most 4 levels"),
        "{}",
        fifth.body
    );

    let label = created(
        app.post_json(
            "/api/v1/labels",
            &json!({"name": "高价值", "group_id": parent}),
        )
        .await,
    )
    .await;
    assert_eq!(label["path"], "L1 / L2 / L3 / L4 / 高价值");
    let long = app
        .post_json("/api/v1/labels", &json!({"name": "x".repeat(65)}))
        .await;
    long.assert_problem(422, "value_too_long", "name", None);
    let taken = app
        .post_json(
            "/api/v1/labels",
            &json!({"name": "高价值", "group_id": parent}),
        )
        .await;
    taken.assert_problem(422, "duplicate_name", "name", Some("高价值"));
    let unknown = app
        .post_json("/api/v1/labels", &json!({"name": "x", "colour": "red"}))
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);

    let id = label["label_id"].as_i64().expect("an id");
    let hidden = app
        .patch_json(
            &format!("/api/v1/labels/{id}"),
            &json!({"hidden": true, "name": "VIP", "group_id": null}),
        )
        .await;
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    assert_eq!(
        (&hidden.body["hidden"], &hidden.body["path"]),
        (&json!(true), &json!("VIP"))
    );
    let group = parent.as_i64().expect("a group id");
    let renamed = app
        .patch_json(
            &format!("/api/v1/label-groups/{group}"),
            &json!({"name": "Level four"}),
        )
        .await;
    assert_eq!(renamed.body["name"], "Level four");
    let level_three = app.get("/api/v1/labels").await.body["groups"][2]["group_id"].clone();
    let busy = app
        .delete(&format!("/api/v1/label-groups/{level_three}"))
        .await;
    busy.assert_problem(409, "group_not_empty", "group_id", None);
    assert_eq!(
        app.delete(&format!("/api/v1/label-groups/{group}"))
            .await
            .status,
        204
    );
    let catalog = app.get("/api/v1/labels").await.body;
    assert_eq!(catalog["groups"].as_array().map(Vec::len), Some(3));
    assert_eq!(catalog["labels"][0]["name"], "VIP");
    app.get("/api/v1/labels/999")
        .await
        .assert_problem_status(404, "not_found");
    app.get("/api/v1/labels/abc").await.assert_problem(
        422,
        "invalid_value",
        "label_id",
        Some("abc"),
    );
}

#[tokio::test]
async fn contact_labels_are_events_and_filter_the_list() {
    let app = TestApp::spawn().await;
    let vip = created(
        app.post_json("/api/v1/labels", &json!({"name": "VIP"}))
            .await,
    )
    .await;
    let vip_id = vip["label_id"].as_i64().expect("an id");
    let mut ids = Vec::new();
    for index in 0..5 {
        ids.push(contact(&app, json!({"mobile": format!("1381111{index:04}")})).await);
    }
    for id in &ids[1..4] {
        let reply = app
            .post_json(
                &format!("/api/v1/contacts/{id}/labels"),
                &json!({"label_id": vip_id}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body["items"][0]["name"], "VIP");
    }
    let page = app
        .get_query(
            "/api/v1/contacts",
            &[("label", &vip_id.to_string()), ("page_size", "2")],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body["total"], 3);
    let listed: Vec<&str> = page.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["contact_id"].as_str())
        .collect();
    assert_eq!(listed, [ids[3].as_str(), ids[2].as_str()], "newest first");
    assert_eq!(
        app.get(&format!("/api/v1/labels/{vip_id}")).await.body["contacts"],
        3
    );
    app.get_query("/api/v1/contacts", &[("label", "VIP")])
        .await
        .assert_problem(422, "invalid_value", "label", Some("VIP"));

    let removed = app
        .delete(&format!("/api/v1/contacts/{}/labels/{vip_id}", ids[1]))
        .await;
    assert_eq!(removed.status, 204);
    app.delete(&format!("/api/v1/contacts/{}/labels/{vip_id}", ids[1]))
        .await
        .assert_problem_status(404, "not_found");
    let keys: Vec<Json> = app
        .events(&ids[1])
        .await
        .iter()
        .map(|e| e["event"].clone())
        .collect();
    assert!(
        keys.contains(&json!("label_add")) && keys.contains(&json!("label_remove")),
        "{keys:?}"
    );
    let missing = app
        .post_json(
            &format!("/api/v1/contacts/{}/labels", ids[0]),
            &json!({"label_id": 999}),
        )
        .await;
    missing.assert_problem_status(404, "not_found");

    assert_eq!(
        app.delete(&format!("/api/v1/labels/{vip_id}")).await.status,
        204
    );
    let carried = app
        .get(&format!("/api/v1/contacts/{}/labels", ids[2]))
        .await;
    assert_eq!(
        carried.body["items"],
        json!([]),
        "deleting a label takes it off every contact"
    );
    let keys: Vec<Json> = app
        .events(&ids[2])
        .await
        .iter()
        .map(|e| e["event"].clone())
        .collect();
    assert!(keys.contains(&json!("label_remove")), "{keys:?}");
}

#[tokio::test]
async fn every_consent_label_and_wechat_route_is_documented() {
    let app = TestApp::spawn().await;
    let document = app.get("/api/openapi.json").await.body;
    let paths = document["paths"].as_object().expect("paths");
    let methods = |path: &str| -> Vec<String> {
        let mut names: Vec<String> = paths
            .get(path)
            .and_then(|p| p.as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    let expected: [(&str, &[&str]); 13] = [
        (
            "/api/v1/contacts/{contact_id}/subscription",
            &["get", "put"],
        ),
        (
            "/api/v1/contacts/{contact_id}/subscription/history",
            &["get"],
        ),
        ("/api/v1/labels", &["get", "post"]),
        ("/api/v1/labels/{label_id}", &["delete", "get", "patch"]),
        ("/api/v1/label-groups", &["post"]),
        ("/api/v1/label-groups/{group_id}", &["delete", "patch"]),
        ("/api/v1/contacts/{contact_id}/labels", &["get", "post"]),
        (
            "/api/v1/contacts/{contact_id}/labels/{label_id}",
            &["delete"],
        ),
        ("/api/v1/wechat-accounts", &["get", "post"]),
        ("/api/v1/wechat-accounts/{app_id}/labels", &["get", "post"]),
        (
            "/api/v1/wechat-accounts/{app_id}/labels/{label_id}",
            &["delete", "patch"],
        ),
        (
            "/api/v1/contacts/{contact_id}/follower-labels",
            &["get", "post"],
        ),
        (
            "/api/v1/contacts/{contact_id}/wechat-fans/{app_id}",
            &["put"],
        ),
    ];
    for (path, wanted) in expected {
        assert_eq!(methods(path), wanted, "{path}");
    }
    let list = &paths["/api/v1/contacts"]["get"]["parameters"];
    assert!(
        list.as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "label")),
        "the list documents `label=`: {list}"
    );
    for schema in [
        "ContactSubscriptionDto",
        "ConsentEntryDto",
        "LabelCatalogDto",
        "FanDto",
    ] {
        assert!(
            document["components"]["schemas"].get(schema).is_some(),
            "{schema} is missing"
        );
    }
}
