//! A contact's behaviour through the API: timeline paging and filters, downloads, calendar,
//! consumption history, and undoing a merge.

use crate::events::{event, ingest};
use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

#[tokio::test]
async fn the_timeline_pages_by_cursor_and_filters() {
    let app = TestApp::spawn().await;
    let who = json!({"email": "timeline@example.com"});
    let mut events = Vec::new();
    for day in 1..=9 {
        events.push(event(
            &format!("t{day}"),
            "email_open",
            &format!("2026-05-0{day}T10:00:00Z"),
            who.clone(),
            json!({}),
        ));
    }
    events.push(event(
        "c1",
        "wechat_scan",
        "2026-05-05T10:00:00Z",
        who.clone(),
        json!({"qr_code": "poster"}),
    ));
    let contact_id = ingest(&app, events).await["results"][0]["contact_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/contacts/{contact_id}/events");
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let reply = app
            .get_query(
                &path,
                &[("types", "email_open"), ("limit", "4"), ("cursor", &cursor)],
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        seen.extend(
            reply.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|e| e["event_id"].clone()),
        );
        match reply.body["next_cursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<Json> = (1..=9).rev().map(|d| json!(format!("t{d}"))).collect();
    assert_eq!(seen, expected);
    let wechat = app.get_query(&path, &[("groups", "wechat")]).await;
    assert_eq!(wechat.body["items"].as_array().map(Vec::len), Some(1));
    let dated = app
        .get_query(
            &path,
            &[
                ("from", "2026-05-05"),
                ("to", "2026-05-06"),
                ("tz", "UTC"),
                ("types", "email_open"),
            ],
        )
        .await;
    assert_eq!(dated.body["items"].as_array().map(Vec::len), Some(2));
    app.get_query(&path, &[("cursor", "nonsense")])
        .await
        .assert_problem(422, "invalid_value", "cursor", Some("nonsense"));
    app.get_query(&path, &[("types", "nope")])
        .await
        .assert_problem(422, "unknown_event", "types", Some("nope"));
    let missing = app
        .get("/api/v1/contacts/0190a0b4-0000-7000-8000-000000000000/events")
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn downloads_stream_csv_and_json_with_the_same_filters() {
    let app = TestApp::spawn().await;
    let who = json!({"email": "download@example.com"});
    let body = ingest(
        &app,
        vec![
            event(
                "d1",
                "email_open",
                "2020-06-01T10:00:00Z",
                who.clone(),
                json!({"subject": "=HYPERLINK(\"x\")", "campaign_name": "夏季, 大促"}),
            ),
            event(
                "d2",
                "wechat_scan",
                "2020-06-02T10:00:00Z",
                who,
                json!({"qr_code": "poster"}),
            ),
        ],
    )
    .await;
    let contact_id = body["results"][0]["contact_id"].as_str().expect("id");
    let path = format!("/api/v1/contacts/{contact_id}/events/export");
    let csv = app
        .get_query(
            &path,
            &[
                ("format", "csv"),
                ("types", "email_open"),
                ("tz", "Asia/Shanghai"),
            ],
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let text = csv
        .body
        .as_str()
        .expect("text")
        .trim_start_matches('\u{feff}')
        .to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("occurred_at,event,display_name,event_id,campaign_id"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].starts_with("2020-06-01T18:00:00.000000+08:00,email_open,Email opened,d1,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains("\"夏季, 大促\"") && lines[1].contains("'=HYPERLINK"),
        "{}",
        lines[1]
    );
    let json_reply = app.get_query(&path, &[("format", "json")]).await;
    assert_eq!(json_reply.content_type, "application/json");
    let items = json_reply.body.as_array().expect("a JSON array");
    assert_eq!(items.len(), 3, "two events and user_created");
    assert_eq!(items[0]["event"], "user_created", "newest first");
    assert_eq!(items[1]["event_id"], "d2");
    assert_eq!(items[2]["event_id"], "d1");
    app.get_query(&path, &[("format", "xml")])
        .await
        .assert_problem(422, "invalid_value", "format", Some("xml"));
}

#[tokio::test]
async fn the_calendar_counts_in_the_viewers_zone() {
    let app = TestApp::spawn().await;
    let who = json!({"mobile": "13812340002"});
    let body = ingest(
        &app,
        vec![
            event(
                "k1",
                "email_open",
                "2020-03-01T20:30:00Z",
                who.clone(),
                json!({}),
            ),
            event("k2", "email_click", "2020-03-01T20:40:00Z", who, json!({})),
        ],
    )
    .await;
    let contact_id = body["results"][0]["contact_id"].as_str().expect("id");
    let path = format!("/api/v1/contacts/{contact_id}/calendar");
    let shanghai = app
        .get_query(&path, &[("year", "2020"), ("tz", "Asia/Shanghai")])
        .await;
    assert_eq!(shanghai.status, 200, "{}", shanghai.body);
    assert_eq!(shanghai.body["tz"], "Asia/Shanghai");
    assert_eq!(
        shanghai.body["days"],
        json!([{"date": "2020-03-02", "count": 2}])
    );
    assert_eq!(
        shanghai.body["weekday_hour"][0][4], 2,
        "Monday 04:00 in Shanghai"
    );
    assert_eq!(
        shanghai.body["weekday_hour"].as_array().map(Vec::len),
        Some(7)
    );
    let utc = app
        .get_query(&path, &[("year", "2020"), ("tz", "UTC")])
        .await;
    assert_eq!(utc.body["days"][0]["date"], "2020-03-01");
    assert_eq!(utc.body["weekday_hour"][6][20], 2, "Sunday 20:00 in UTC");
    // Without `tz`, days are the company's (`serve --time-zone`, Asia/Shanghai by default), not
    // the server machine's.
    let company = app.get_query(&path, &[("year", "2020")]).await;
    assert_eq!(company.body["tz"], "Asia/Shanghai");
    assert_eq!(company.body["days"][0]["date"], "2020-03-02");
    app.get_query(&path, &[("tz", "Mars/Olympus")])
        .await
        .assert_problem(422, "invalid_value", "tz", Some("Mars/Olympus"));
}

#[tokio::test]
async fn orders_come_with_items_and_exact_totals() {
    let app = TestApp::spawn().await;
    let who = json!({"mobile": "13812340003"});
    let order = |id: &str, order_id: &str, amount: &str, at: &str| {
        event(
            id,
            "order",
            at,
            who.clone(),
            json!({"order_id": order_id, "amount": amount, "currency": "CNY", "status": "paid"}),
        )
    };
    let body = ingest(
        &app,
        vec![
            order("o1", "A-1", "88", "2026-01-05T10:00:00Z"),
            event(
                "o2",
                "order_detail",
                "2026-01-05T10:00:00Z",
                who.clone(),
                json!({"order_id": "A-1", "product_name": "乌龙茶", "quantity": 2, "price": "44"}),
            ),
            order("o3", "A-2", "12.5", "2026-02-05T10:00:00Z"),
            order("o1", "A-1", "88", "2026-01-05T10:00:00Z"),
        ],
    )
    .await;
    let contact_id = body["results"][0]["contact_id"].as_str().expect("id");
    let orders = app
        .get(&format!("/api/v1/contacts/{contact_id}/orders"))
        .await;
    assert_eq!(orders.status, 200, "{}", orders.body);
    assert_eq!(orders.body["totals"]["order_count"], 2);
    assert_eq!(orders.body["totals"]["order_amount"], "100.50");
    assert_eq!(orders.body["orders"][0]["order_id"], "A-2");
    assert_eq!(
        orders.body["orders"][1]["items"][0]["product_name"],
        "乌龙茶"
    );
    let contact = app.contact(contact_id).await;
    assert_eq!(contact["attributes"]["order_count"], 2);
    assert_eq!(contact["attributes"]["order_amount"], "100.50");
    assert_eq!(
        contact["attributes"]["first_order_at"],
        "2026-01-05T10:00:00.000000Z"
    );
}

#[tokio::test]
async fn a_merge_is_undone_once_and_then_refused() {
    let app = TestApp::spawn().await;
    let a = app
        .upsert(json!({"mobile": "13812340004", "name": "甲"}))
        .await
        .text("/contact/contact_id");
    let b = app
        .upsert(json!({"email": "undo@example.com", "name": "乙"}))
        .await
        .text("/contact/contact_id");
    let merged = app
        .upsert(json!({"mobile": "13812340004", "email": "undo@example.com"}))
        .await;
    assert_eq!(merged.body["result"], "merged", "{}", merged.body);
    let merge = app
        .events(&a)
        .await
        .into_iter()
        .find(|e| e["event"] == "user_merged")
        .expect("a user_merged event");
    let path = format!(
        "/api/v1/merges/{}/undo",
        merge["event_id"].as_str().expect("an id")
    );
    let undone = app.post_json(&path, &json!({})).await;
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(undone.body["survivor"]["contact_id"], json!(a));
    assert_eq!(undone.body["survivor"]["attributes"]["name"], "甲");
    assert_eq!(undone.body["restored"]["contact_id"], json!(b));
    assert_eq!(
        undone.body["restored"]["attributes"]["email"],
        "undo@example.com"
    );
    assert_eq!(
        app.lookup("email", "undo@example.com").await.body["contact_id"],
        json!(b)
    );
    app.post_json(&path, &json!({})).await.assert_problem(
        409,
        "merge_not_undoable",
        "merge_id",
        None,
    );
    let missing = app.post_json("/api/v1/merges/nope/undo", &json!({})).await;
    assert_eq!(missing.status, 404);
}
