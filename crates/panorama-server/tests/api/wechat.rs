//! `/api/v1/wechat-accounts`, a contact's fan records and follower labels, with WeChat's limits
//! (100 labels per account, 20 per fan, 30-byte names) answered by a 4xx that names them.

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
async fn wechat_accounts_fans_and_follower_label_limits() {
    let app = TestApp::spawn().await;
    let account = created(
        app.post_json(
            "/api/v1/wechat-accounts",
            &json!({"app_id": "wx00000000000000a1", "name": "Shop"}),
        )
        .await,
    )
    .await;
    assert_eq!(account["name"], "Shop");
    let renamed = app
        .post_json(
            "/api/v1/wechat-accounts",
            &json!({"app_id": "wx00000000000000a1", "name": "官方商城"}),
        )
        .await;
    assert_eq!(
        (renamed.status, &renamed.body["name"]),
        (200, &json!("官方商城"))
    );
    app.post_json(
        "/api/v1/wechat-accounts",
        &json!({"app_id": "wx 1", "name": "x"}),
    )
    .await
    .assert_problem(422, "invalid_value", "app_id", Some("wx 1"));
    let base = "/api/v1/wechat-accounts/wx00000000000000a1/labels";
    let mut labels = Vec::new();
    for index in 0..100 {
        let label = created(
            app.post_json(base, &json!({"name": format!("标签{index}")}))
                .await,
        )
        .await;
        labels.push(label["label_id"].as_i64().expect("an id"));
    }
    let full = app.post_json(base, &json!({"name": "one more"})).await;
    full.assert_problem(422, "limit_exceeded", "app_id", Some("wx00000000000000a1"));
    assert!(
        full.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("at most 100"),
        "{}",
        full.body
    );
    let app2 = created(
        app.post_json(
            "/api/v1/wechat-accounts",
            &json!({"app_id": "wx00000000000000b2", "name": "News"}),
        )
        .await,
    )
    .await;
    let long = app
        .post_json(
            "/api/v1/wechat-accounts/wx00000000000000b2/labels",
            &json!({"name": "会员".repeat(6)}),
        )
        .await;
    long.assert_problem(422, "value_too_long", "name", None);
    assert!(
        long.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("30 bytes"),
        "{}",
        long.body
    );

    let id = contact(&app, json!({"mobile": "13822220000"})).await;
    let refused = app
        .post_json(
            &format!("/api/v1/contacts/{id}/follower-labels"),
            &json!({"label_id": labels[0]}),
        )
        .await;
    refused.assert_problem(422, "invalid_value", "app_id", Some("wx00000000000000a1"));
    for (app_id, openid) in [
        ("wx00000000000000a1", "oShopFan"),
        (app2["app_id"].as_str().unwrap_or(""), "oNewsFan"),
    ] {
        let url = app.url(&format!("/api/v1/contacts/{id}/wechat-fans/{app_id}"));
        let fan = app
            .send(app.client.put(url).json(&json!({"openid": openid})))
            .await;
        assert_eq!(
            (fan.status, &fan.body["following"]),
            (200, &json!(true)),
            "{}",
            fan.body
        );
    }
    for label in &labels[..20] {
        let reply = app
            .post_json(
                &format!("/api/v1/contacts/{id}/follower-labels"),
                &json!({"label_id": label}),
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let twenty_first = app
        .post_json(
            &format!("/api/v1/contacts/{id}/follower-labels"),
            &json!({"label_id": labels[20]}),
        )
        .await;
    twenty_first.assert_problem(422, "limit_exceeded", "label_id", None);
    assert!(
        twenty_first.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("at most 20"),
        "{}",
        twenty_first.body
    );
    let fans = app
        .get(&format!("/api/v1/contacts/{id}/follower-labels"))
        .await;
    let items = fans.body["items"].as_array().expect("fans");
    assert_eq!(items.len(), 2, "a fan of two accounts");
    let shop = items
        .iter()
        .find(|f| f["app_id"] == "wx00000000000000a1")
        .expect("shop fan");
    assert_eq!(
        (
            shop["openid"].as_str(),
            shop["labels"].as_array().map(Vec::len)
        ),
        (Some("oShopFan"), Some(20))
    );
    let removed = app
        .delete(&format!(
            "/api/v1/contacts/{id}/follower-labels/{}",
            labels[0]
        ))
        .await;
    assert_eq!(removed.status, 204);
    let keys: Vec<Json> = app
        .events(&id)
        .await
        .iter()
        .map(|e| e["event"].clone())
        .collect();
    assert!(
        keys.contains(&json!("follower_label_add"))
            && keys.contains(&json!("follower_label_remove"))
    );
    let listed = app.get(base).await;
    assert_eq!(listed.body.as_array().map(Vec::len), Some(100));
    let renamed = app
        .patch_json(&format!("{base}/{}", labels[1]), &json!({"name": "金卡"}))
        .await;
    assert_eq!(
        (renamed.status, &renamed.body["name"]),
        (200, &json!("金卡"))
    );
    assert_eq!(
        app.delete(&format!("{base}/{}", labels[1])).await.status,
        204
    );
    assert_eq!(
        app.delete("/api/v1/wechat-accounts/wx00000000000000b2")
            .await
            .status,
        204
    );
    assert_eq!(
        app.get("/api/v1/wechat-accounts")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}
