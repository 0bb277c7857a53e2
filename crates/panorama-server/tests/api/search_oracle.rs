//! Issue 21, hole 1: a search is no unmasking oracle. A viewer or a marketer without the reveal
//! right who searches a masked mobile or email digit by digit learns nothing (the answers do not
//! depend on the hidden characters) on the list API, the page, the export and bulk filters; the
//! whole value in any spelling still finds the contact; an admin keeps substring search; a sort
//! by a masked attribute is refused.

use crate::helpers::{TestApp, session_in};
use panorama_core::access::Role;
use serde_json::json;

/// The contact the probe is after; its id. Another contact holds free text that is not masked.
async fn world(admin: &TestApp) -> String {
    for name in ["backup_email", "note"] {
        admin
            .create_attribute(json!({"name": name, "display_name": name, "type": "string",
                "searchable": true}))
            .await;
    }
    let target = admin
        .upsert(
            json!({"mobile": "13812345678", "email": "zhang.wei@example.com",
            "name": "张伟", "backup_email": "wei.z@example.org", "note": "13912345670"}),
        )
        .await;
    assert_eq!(target.status, 201, "{}", target.body);
    let other = admin
        .upsert(json!({"mobile": "13700000000", "name": "李娜", "note": "VIP since 2020"}))
        .await;
    assert_eq!(other.status, 201, "{}", other.body);
    target.text("/contact/contact_id")
}

/// `(field, q)` total of the list API, checking it agrees with the items.
async fn total(app: &TestApp, field: &str, q: &str) -> u64 {
    let reply = app
        .get_query("/api/v1/contacts", &[("field", field), ("q", q)])
        .await;
    assert_eq!(reply.status, 200, "{field}={q}: {}", reply.body);
    let items = reply.body["items"].as_array().map_or(0, Vec::len) as u64;
    let total = reply.body["total"].as_u64().expect("a total");
    assert_eq!(total, items, "{field}={q}: {}", reply.body);
    total
}

/// The probes an attacker sends: each next digit or letter after what the mask shows.
fn probes() -> Vec<(&'static str, String)> {
    let mut probes = Vec::new();
    for digit in 0..10 {
        for field in ["mobile", "any"] {
            probes.push((field, format!("138{digit}")));
            probes.push((field, format!("+86138{digit}")));
        }
        probes.push(("note", format!("139{digit}")));
    }
    for letter in 'a'..='z' {
        for field in ["email", "backup_email", "any"] {
            probes.push((field, format!("z{letter}")));
            probes.push((field, format!("w{letter}")));
        }
    }
    probes
}

#[tokio::test]
async fn masked_principals_learn_nothing_from_partial_searches() {
    let admin = TestApp::spawn().await;
    world(&admin).await;
    let marketer = admin.as_role(Role::Marketer).await;
    let viewer = admin.as_role(Role::Viewer).await;
    for app in [&viewer, &marketer] {
        for (field, q) in probes() {
            assert_eq!(total(app, field, &q).await, 0, "{field}={q}");
        }
        for (field, q) in [
            ("mobile", "13812345678"),
            ("mobile", "+86 138-1234-5678"),
            ("mobile", "008613812345678"),
            ("any", "+8613812345678"),
            ("email", "Zhang.Wei@EXAMPLE.com"),
            ("any", "zhang.wei@example.com"),
            ("backup_email", "WEI.Z@example.org"),
            ("note", "+86 139 1234 5670"),
        ] {
            assert_eq!(total(app, field, q).await, 1, "whole value {field}={q}");
        }
        // Values the mask does not hide keep substring search.
        assert_eq!(total(app, "note", "vip").await, 1);
        assert_eq!(total(app, "any", "张").await, 1);
        let sorted = app
            .get_query("/api/v1/contacts", &[("sort", "mobile")])
            .await;
        sorted.assert_problem(422, "masked_attribute", "sort", Some("mobile"));
        let sorted = app
            .get_query("/api/v1/contacts", &[("sort", "backup_email")])
            .await;
        sorted.assert_problem(422, "masked_attribute", "sort", Some("backup_email"));
    }
    // An admin keeps substring search and every sort.
    assert_eq!(total(&admin, "mobile", "1381").await, 1);
    assert_eq!(total(&admin, "email", "zh").await, 1);
    assert_eq!(total(&admin, "note", "1391").await, 1);
    let sorted = admin
        .get_query("/api/v1/contacts", &[("sort", "mobile")])
        .await;
    assert_eq!(sorted.status, 200, "{}", sorted.body);

    // The export and bulk filters of a marketer select the same way.
    let export = |q: &'static str| {
        let mut url = marketer.url("/api/v1/contacts/export");
        url.query_pairs_mut()
            .extend_pairs([("field", "mobile"), ("q", q), ("columns", "name")]);
        let client = marketer.client.clone();
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("an answer")
                .text()
                .await
        }
    };
    let partial = export("1381").await.expect("a file");
    assert!(!partial.contains("张伟"), "{partial}");
    let whole = export("13812345678").await.expect("a file");
    assert!(whole.contains("张伟"), "{whole}");
    let label = admin
        .post_json("/api/v1/labels", &json!({"name": "probe"}))
        .await;
    let label_id = label.body["label_id"].as_i64().expect("a label id");
    for (q, selected) in [("1381", 0), ("zhang", 0), ("13812345678", 1)] {
        let body = json!({"action": "add_label", "label_id": label_id,
            "filter": {"field": "any", "q": q}});
        let started = marketer.post_json("/api/v1/contacts/bulk", &body).await;
        assert_eq!(started.status, 202, "{}", started.body);
        assert_eq!(started.body["selected"], selected, "{q}: {}", started.body);
    }
    let refused = marketer
        .post_json(
            "/api/v1/contacts/bulk",
            &json!({"action": "add_label", "label_id": label_id, "filter": {"sort": "email"}}),
        )
        .await;
    refused.assert_problem(422, "masked_attribute", "filter.sort", Some("email"));
}

/// The page (and its search-as-you-type, which asks the same URL) as signed-in users.
#[tokio::test]
async fn the_list_page_answers_masked_users_the_same_way() {
    let admin = TestApp::spawn().await;
    let id = world(&admin).await;
    let page = |token: String, query: String| {
        let client = admin.acting_as(None).client;
        let url = admin.url(&format!("/contacts?{query}"));
        async move {
            let response = client
                .get(url)
                .header("cookie", format!("panorama_session={token}"))
                .send()
                .await
                .expect("an answer");
            (
                response.status().as_u16(),
                response.text().await.expect("a body"),
            )
        }
    };
    let store = admin.store.as_ref();
    let viewer = session_in(store, "vera", Role::Viewer).await;
    let marketer = session_in(store, "mark", Role::Marketer).await;
    let root = session_in(store, "ada", Role::Admin).await;
    let row = format!("/contacts/{id}\"");
    for token in [viewer, marketer] {
        for digit in 0..10 {
            let (status, html) = page(token.clone(), format!("field=mobile&q=138{digit}")).await;
            assert_eq!(status, 200);
            assert!(!html.contains(&row), "138{digit} shows the contact");
        }
        let (_, html) = page(token.clone(), "field=email&q=zhang".into()).await;
        assert!(!html.contains(&row));
        let (_, html) = page(token.clone(), "field=mobile&q=%2B86+138-1234-5678".into()).await;
        assert!(html.contains(&row), "the whole mobile finds it");
        let (_, html) = page(token.clone(), String::new()).await;
        assert!(!html.contains("sort=mobile") && !html.contains("sort=email"));
        let (status, _) = page(token, "sort=mobile".into()).await;
        assert_eq!(status, 422);
    }
    let (_, html) = page(root.clone(), "field=mobile&q=1381".into()).await;
    assert!(html.contains(&row), "an admin finds a part");
    let (_, html) = page(root, String::new()).await;
    assert!(html.contains("sort=mobile"), "an admin sorts by mobile");
}
