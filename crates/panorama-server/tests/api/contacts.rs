//! `/api/v1/contacts`: upserts, normalisation, merges, events, lookups, lists and deletes.

use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

#[tokio::test]
async fn a_record_creates_then_updates_then_changes_nothing() {
    let app = TestApp::spawn().await;
    let created = app
        .upsert(json!({"mobile": "13812345678", "name": "Zoe"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["result"], "created");
    assert_eq!(created.body["merged_contact_ids"], json!([]));
    let id = created.text("/contact/contact_id");
    let contact = &created.body["contact"];
    assert_eq!(contact["categories"], json!(["real_name"]));
    assert_eq!(contact["subscription"]["email"]["subscribed"], true);
    assert_eq!(contact["subscription"]["email"]["effective"], true);
    assert_eq!(contact["subscription"]["global"]["source"], "api");
    assert!(
        contact["created_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );

    let updated = app
        .upsert(json!({"mobile": "13812345678", "city": "上海"}))
        .await;
    assert_eq!(
        (updated.status, updated.body["result"].clone()),
        (200, json!("updated"))
    );
    let unchanged = app
        .upsert(json!({"mobile": "+8613812345678", "city": "上海"}))
        .await;
    assert_eq!(unchanged.body["result"], "unchanged");

    let stored = app.contact(&id).await;
    assert_eq!(stored["attributes"]["name"], "Zoe");
    assert_eq!(stored["attributes"]["city"], "上海");
    assert_eq!(app.overview().await["all"], 1);
}

#[tokio::test]
async fn mobile_spellings_are_one_contact() {
    let app = TestApp::spawn().await;
    let spellings = [
        "138 1234 5678",
        "+86 138-1234-5678",
        "008613812345678",
        "13812345678",
    ];
    let mut ids = Vec::new();
    for (index, spelling) in spellings.iter().enumerate() {
        let reply = app.upsert(json!({ "mobile": spelling })).await;
        let expected = if index == 0 { "created" } else { "unchanged" };
        assert_eq!(reply.body["result"], expected, "{spelling}: {}", reply.body);
        assert_eq!(
            reply.body["contact"]["attributes"]["mobile"],
            "+8613812345678"
        );
        ids.push(reply.text("/contact/contact_id"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.overview().await["all"], 1);
    let found = app.lookup("mobile", "138-1234-5678").await;
    assert_eq!(found.text("/contact_id"), ids[0]);
}

#[tokio::test]
async fn email_case_is_one_contact() {
    let app = TestApp::spawn().await;
    let first = app.upsert(json!({"email": "Zoe@Example.COM"})).await;
    assert_eq!(first.body["result"], "created", "{}", first.body);
    assert_eq!(
        first.body["contact"]["attributes"]["email"],
        "Zoe@example.com"
    );
    let second = app.upsert(json!({"email": "Zoe@example.com"})).await;
    assert_eq!(second.body["result"], "unchanged", "{}", second.body);
    assert_eq!(
        second.text("/contact/contact_id"),
        first.text("/contact/contact_id")
    );
    assert_eq!(app.overview().await["all"], 1);
    let found = app.lookup("email", "zoe@EXAMPLE.com").await;
    assert_eq!(found.status, 200, "{}", found.body);
}

fn events_named<'a>(events: &'a [Json], name: &str) -> Vec<&'a Json> {
    events.iter().filter(|e| e["event"] == name).collect()
}

#[tokio::test]
async fn a_record_linking_two_contacts_merges_them_into_the_older() {
    let app = TestApp::spawn().await;
    let a = app
        .upsert(json!({"mobile": "13900000001", "name": "Li Lei"}))
        .await;
    let a_id = a.text("/contact/contact_id");
    let b = app
        .upsert(json!({"email": "lilei@example.com", "email_subscribed": false}))
        .await;
    assert_eq!(b.status, 201, "{}", b.body);
    let b_id = b.text("/contact/contact_id");
    assert_eq!(
        b.body["contact"]["subscription"]["email"]["subscribed"],
        false
    );
    let b_events = app.events(&b_id).await;
    assert_eq!(
        events_named(&b_events, "user_created").len(),
        1,
        "{b_events:?}"
    );
    assert_eq!(events_named(&b_events, "subscription_change").len(), 1);
    let b_event_ids: Vec<&Json> = b_events.iter().map(|e| &e["event_id"]).collect();

    let merged = app
        .upsert(json!({"mobile": "139 0000 0001", "email": "LiLei@Example.com"}))
        .await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    assert_eq!(merged.body["result"], "merged");
    assert_eq!(merged.body["merged_contact_ids"], json!([b_id]));
    assert_eq!(merged.text("/contact/contact_id"), a_id);
    assert_eq!(app.overview().await["all"], 1);

    let survivor = app.contact(&a_id).await;
    assert_eq!(survivor["attributes"]["name"], "Li Lei");
    assert_eq!(survivor["attributes"]["mobile"], "+8613900000001");
    assert_eq!(survivor["subscription"]["email"]["subscribed"], false);
    assert_eq!(survivor["subscription"]["email"]["effective"], false);
    assert_eq!(survivor["subscription"]["mobile"]["subscribed"], true);
    app.get(&format!("/api/v1/contacts/{b_id}"))
        .await
        .assert_problem_status(404, "not_found");
    assert_eq!(
        app.lookup("email", "lilei@example.com")
            .await
            .text("/contact_id"),
        a_id
    );

    let events = app.events(&a_id).await;
    for event_id in b_event_ids {
        assert!(
            events.iter().any(|e| &e["event_id"] == event_id),
            "{event_id} moved"
        );
    }
    assert_eq!(events_named(&events, "user_created").len(), 2, "{events:?}");
    let merges = events_named(&events, "user_merged");
    assert_eq!(merges.len(), 1, "{events:?}");
    assert_eq!(merges[0]["properties"]["merged_contact_id"], json!(b_id));
    assert_eq!(merges[0]["properties"]["surviving_contact_id"], json!(a_id));
}

#[tokio::test]
async fn a_changed_name_is_an_attribute_change_event_with_both_values() {
    let app = TestApp::spawn().await;
    let created = app
        .upsert(json!({"mobile": "13700000000", "name": "Han Meimei"}))
        .await;
    let id = created.text("/contact/contact_id");
    app.upsert(json!({"mobile": "13700000000", "name": "韩梅梅"}))
        .await;
    let events = app.events(&id).await;
    let changes = events_named(&events, "attribute_change");
    let name_change = changes
        .iter()
        .find(|e| e["properties"]["attribute"] == "name")
        .unwrap_or_else(|| panic!("no name change in {events:?}"));
    assert_eq!(name_change["properties"]["old_value"], "Han Meimei");
    assert_eq!(name_change["properties"]["new_value"], "韩梅梅");
    assert_eq!(name_change["properties"]["source"], "api");
    assert!(name_change["occurred_at"].is_string() && name_change["event_id"].is_string());
    // Newest first: the change comes before the creation.
    assert_eq!(
        events.last().map(|e| e["event"].clone()),
        Some(json!("user_created"))
    );
}

#[tokio::test]
async fn a_deleted_contact_is_gone_everywhere() {
    let app = TestApp::spawn().await;
    let created = app
        .upsert(json!({"mobile": "13600000000", "email": "a@example.com"}))
        .await;
    let id = created.text("/contact/contact_id");
    assert_eq!(
        app.delete(&format!("/api/v1/contacts/{id}")).await.status,
        204
    );
    app.get(&format!("/api/v1/contacts/{id}"))
        .await
        .assert_problem_status(404, "not_found");
    app.lookup("mobile", "13600000000")
        .await
        .assert_problem_status(404, "not_found");
    app.get(&format!("/api/v1/contacts/{id}/events"))
        .await
        .assert_problem_status(404, "not_found");
    app.delete(&format!("/api/v1/contacts/{id}"))
        .await
        .assert_problem_status(404, "not_found");
    assert_eq!(app.overview().await["all"], 0);
    let again = app.upsert(json!({"email": "a@example.com"})).await;
    assert_eq!(
        again.body["result"], "created",
        "keys were released: {}",
        again.body
    );
}

#[tokio::test]
async fn the_overview_and_the_list_count_each_category() {
    let app = TestApp::spawn().await;
    app.upsert(json!({"mobile": "13500000001", "wechat_openid": "oFan1"}))
        .await;
    app.upsert(json!({"email": "b@example.com"})).await;
    app.upsert(json!({"wechat_openid": "oAnonymousFan"})).await;
    let overview = app.overview().await;
    let expected = json!({"all": 3, "real_name": 2, "anonymous": 1, "wechat_fan": 2,
        "new_7d": 3, "new_30d": 3});
    assert_eq!(overview, expected);

    let page = app
        .get("/api/v1/contacts?category=real_name&page=1&page_size=1")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        (page.body["total"].clone(), page.body["page_size"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(1));
    let second = app
        .get("/api/v1/contacts?category=real_name&page=2&page_size=1")
        .await;
    assert_ne!(
        second.body["items"][0]["contact_id"],
        page.body["items"][0]["contact_id"]
    );
    let anonymous = app.get("/api/v1/contacts?category=anonymous").await;
    assert_eq!(anonymous.body["total"], 1);
    assert_eq!(
        anonymous.body["items"][0]["categories"],
        json!(["anonymous", "wechat_fan"])
    );
    assert_eq!(app.get("/api/v1/contacts").await.body["total"], 3);
    app.get("/api/v1/contacts?category=vip")
        .await
        .assert_problem(422, "bad_request", "category", Some("vip"));
    app.get("/api/v1/contacts?page_size=501")
        .await
        .assert_problem(422, "limit_exceeded", "page_size", Some("501"));
    app.get("/api/v1/contacts?page=0").await.assert_problem(
        422,
        "invalid_value",
        "page",
        Some("0"),
    );
}

#[tokio::test]
async fn a_batch_writes_the_good_items_and_rejects_the_bad_ones() {
    let app = TestApp::spawn().await;
    let body = json!({"contacts": [
        {"attributes": {"mobile": "13400000001", "name": "One"}},
        {"attributes": {"mobile": "12345"}},
        {"attributes": {"mobile": "134 0000 0001", "name": "One again"}},
        {"attributes": {"email": "two@example.com"}},
        {"attributes": 5},
        {"attributes": {"name": "no key"}},
    ]});
    let reply = app.post_json("/api/v1/contacts/batch", &body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let counts = json!({"created": 2, "updated": 1, "unchanged": 0, "merged": 0, "rejected": 3});
    assert_eq!(reply.body["counts"], counts);
    let results = reply.body["results"].as_array().expect("results");
    let kinds: Vec<&Json> = results.iter().map(|r| &r["result"]).collect();
    let expected = [
        "created", "rejected", "updated", "created", "rejected", "rejected",
    ];
    assert_eq!(kinds, expected.map(Json::from).iter().collect::<Vec<_>>());
    assert_eq!(results[1]["error"]["code"], "invalid_mobile");
    assert_eq!(results[1]["error"]["field"], "mobile");
    assert_eq!(results[1]["error"]["value"], "12345");
    assert_eq!(results[4]["error"]["code"], "bad_request");
    assert_eq!(results[5]["error"]["code"], "no_key_value");
    assert_eq!(results[0]["contact_id"], results[2]["contact_id"]);
    assert_eq!(
        results
            .iter()
            .map(|r| r["index"].clone())
            .collect::<Vec<_>>(),
        (0..6).map(Json::from).collect::<Vec<_>>()
    );

    assert_eq!(app.overview().await["all"], 2);
    let one = app.lookup("mobile", "13400000001").await;
    assert_eq!(one.body["attributes"]["name"], "One again");
}
