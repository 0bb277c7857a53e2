//! Text at the edge: U+0000 and other control characters are refused naming the field and the
//! character (nothing stored; in a batch of events only that event; in an import only that row),
//! and JSON values are typed strictly. PostgreSQL cannot store U+0000, so these ran into 500s there.

use crate::events::{event, ingest};
use crate::helpers::{Reply, TestApp};
use reqwest::multipart::{Form, Part};
use serde_json::json;

#[track_caller]
fn assert_control(reply: &Reply, field: &str, at: &str) {
    reply.assert_problem_status(422, "control_character");
    assert_eq!(reply.body["field"], field, "{}", reply.body);
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(at), "{detail}");
}

#[tokio::test]
async fn contact_values_refuse_control_characters_and_store_nothing() {
    let app = TestApp::spawn().await;
    let name = app
        .upsert(json!({"mobile": "13800000001", "name": "x\u{0}y"}))
        .await;
    assert_control(&name, "name", "U+0000 at position 2");
    assert_eq!(name.body["value"], "x\\u{0000}y");
    let city = app
        .upsert(json!({"mobile": "13800000001", "city": "上海\u{1b}"}))
        .await;
    assert_control(&city, "city", "U+001B at position 3");
    let unionid = app.upsert(json!({"wechat_unionid": "u\u{0}1"})).await;
    assert_control(&unionid, "wechat_unionid", "U+0000 at position 2");
    let tab = app
        .upsert(json!({"mobile": "13800000001", "name": "Ann\tLi"}))
        .await;
    assert_control(&tab, "name", "U+0009 at position 4");
    assert_eq!(app.overview().await["all"], 0, "nothing stored");
    let lookup = app.lookup("mobile", "1380000\u{0}0001").await;
    assert_control(&lookup, "mobile", "U+0000 at position 8");
    let audit = app.get_query("/api/v1/audit", &[("actor", "a\u{0}")]).await;
    assert_control(&audit, "actor", "U+0000 at position 2");

    // Free text keeps its tabs and line breaks.
    let address = app
        .upsert(json!({"mobile": "13800000001", "address": "上海市\n静安区\t1号"}))
        .await;
    assert_eq!(address.status, 201, "{}", address.body);
    assert_eq!(
        address.body["contact"]["attributes"]["address"],
        "上海市\n静安区\t1号"
    );
}

#[tokio::test]
async fn names_of_labels_and_definitions_refuse_control_characters() {
    let app = TestApp::spawn().await;
    let label = app
        .post_json("/api/v1/labels", &json!({"name": "VIP\u{0}"}))
        .await;
    assert_control(&label, "name", "U+0000 at position 4");
    let attribute = app
        .post_json(
            "/api/v1/attributes",
            &json!({"name": "note", "display_name": "No\u{85}te", "type": "string"}),
        )
        .await;
    assert_control(&attribute, "display_name", "U+0085 at position 3");
    let enum_values = app
        .post_json(
            "/api/v1/attributes",
            &json!({"name": "tier", "display_name": "Tier", "type": "enum", "enum_values": ["a", "b\u{0}"]}),
        )
        .await;
    assert_control(&enum_values, "enum_values", "U+0000 at position 2");
}

#[tokio::test]
async fn an_event_holding_a_control_character_is_rejected_alone() {
    let app = TestApp::spawn().await;
    let at = "2026-03-01T09:00:00Z";
    let who = json!({"mobile": "13812340001"});
    let body = ingest(
        &app,
        vec![
            event(
                "ok",
                "email_open",
                at,
                who.clone(),
                json!({"subject": "a\nb"}),
            ),
            event("e\u{0}1", "email_open", at, who.clone(), json!({})),
            event(
                "e2",
                "email_open",
                at,
                json!({"anonymous_id": "d\u{0}"}),
                json!({}),
            ),
            event(
                "e3",
                "email_open",
                at,
                who.clone(),
                json!({"subject": "x\u{0}"}),
            ),
            event(
                "e4",
                "email_open",
                at,
                json!({"wechat_openid": "o\u{0}"}),
                json!({}),
            ),
            json!({"event_id": 5, "event": "email_open", "occurred_at": at, "identity": who}),
        ],
    )
    .await;
    assert_eq!(
        body["counts"],
        json!({"created": 1, "duplicate": 0, "rejected": 5}),
        "{body}"
    );
    let results = body["results"].as_array().expect("results");
    let fields = [
        "event_id",
        "identity.anonymous_id",
        "properties.subject",
        "identity.wechat_openid",
    ];
    for (result, field) in results[1..5].iter().zip(fields) {
        assert_eq!(result["error"]["code"], "control_character", "{result}");
        assert_eq!(result["error"]["field"], field, "{result}");
        let detail = result["error"]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("U+0000 at position"), "{detail}");
    }
    assert_eq!(results[5]["error"]["field"], "event_id", "{}", results[5]);
    let contact_id = results[0]["contact_id"].as_str().expect("stored");
    assert!(!app.events(contact_id).await.is_empty());
}

#[tokio::test]
async fn json_values_are_typed_strictly() {
    let app = TestApp::spawn().await;
    let subscribed = app
        .upsert(json!({"mobile": "13800000001", "email_subscribed": "yes"}))
        .await;
    subscribed.assert_problem(422, "invalid_value", "email_subscribed", None);
    let name = app
        .upsert(json!({"mobile": "13800000001", "name": 123}))
        .await;
    name.assert_problem(422, "invalid_value", "name", Some("123"));
    let mobile = app.upsert(json!({"mobile": 13800000001u64})).await;
    mobile.assert_problem(422, "invalid_value", "mobile", None);
    let emoji = app.upsert(json!({"email": "😀@example.com"})).await;
    emoji.assert_problem(422, "invalid_email", "email", None);
    assert_eq!(app.overview().await["all"], 0);
    // The types JSON takes: booleans, numbers, decimals as a number or a string.
    app.create_attribute(json!({"name": "points", "display_name": "Points", "type": "integer"}))
        .await;
    app.create_attribute(json!({"name": "spend", "display_name": "Spend", "type": "decimal"}))
        .await;
    let typed = app
        .upsert(json!({"mobile": "13800000001", "email_subscribed": false, "points": 3, "spend": "12.5"}))
        .await;
    assert_eq!(typed.status, 201, "{}", typed.body);
    assert_eq!(typed.body["contact"]["attributes"]["spend"], "12.50");
    let points = app
        .upsert(json!({"mobile": "13800000001", "points": "3"}))
        .await;
    points.assert_problem(422, "invalid_value", "points", None);
}

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> Reply {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await
}

/// Upload, start and wait for `bytes`; the finished job and the rejected-rows file.
async fn import(app: &TestApp, name: &str, bytes: Vec<u8>) -> (Reply, String) {
    let preview = upload(app, name, bytes).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let id = preview.text("/job/job_id");
    let started = app
        .post_json(&format!("/api/v1/imports/{id}/start"), &json!({}))
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let done = app.get(&format!("/api/v1/imports/{id}?wait=30")).await;
    let rejected = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/imports/{id}/rejected"))),
        )
        .await;
    (done, rejected.body.as_str().unwrap_or_default().to_owned())
}

fn workbook(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap_or(0), u16::try_from(c).unwrap_or(0));
            sheet.write_string(r, c, *cell).expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

#[tokio::test]
async fn an_import_rejects_the_row_holding_a_control_character_and_imports_the_rest() {
    let app = TestApp::spawn().await;
    let rows = [
        ["mobile", "name", "city"],
        ["13800000001", "Ann", "上海"],
        ["13800000002", "a\u{0}b", "北京"],
        ["13800000003", "Bo", "广州"],
    ];
    // Excel writes U+0000 in a cell as `_x0000_`; the reader turns it back into U+0000. A CSV
    // with a NUL in its first KiB is refused whole as binary data (a UTF-16 or binary file),
    // so the CSV's NUL row comes after 60 others.
    let mut csv = String::from("mobile,name,city\n");
    for i in 0..60 {
        csv.push_str(&format!("1390000{i:04},Padding {i},上海\n"));
    }
    csv.extend(rows[1..].iter().map(|r| r.join(",") + "\n"));
    let cases = [
        ("people.csv", csv.into_bytes(), 63),
        ("people.xlsx", workbook(&rows), 3),
    ];
    for (name, bytes, total) in cases {
        let (done, rejected) = import(&app, name, bytes).await;
        assert_eq!(done.body["state"], "done", "{name}: {}", done.body);
        assert_eq!(done.body["counts"]["total"], total, "{name}: {}", done.body);
        assert_eq!(done.body["counts"]["invalid"], 1, "{name}: {}", done.body);
        let row = total;
        assert!(
            rejected.contains(&format!("{row},name,a\\u{{0000}}b,control_character,"))
                && rejected.contains("U+0000 at position 2"),
            "{name}: {rejected}"
        );
    }
    assert_eq!(app.overview().await["all"], 62);
    let binary = upload(&app, "nul.csv", b"mobile,name\n13800000009,a\0b\n".to_vec()).await;
    binary.assert_problem_status(422, "not_a_table_file");

    let header = upload(&app, "h.csv", b"mobile,na\x01me\n13800000009,x\n".to_vec()).await;
    header.assert_problem_status(422, "control_character");
    let detail = header.body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("column 2") && detail.contains("U+0001"),
        "{detail}"
    );
}
