//! `/api/v1/imports` with the files people have: a GBK file with Chinese headers and values
//! imports with no mapping; unknown columns are previewed with suggestions, mapped or ignored at
//! the start (a 422 names every one still unmapped); a saved mapping is offered again.

use crate::helpers::{Reply, TestApp};
use reqwest::multipart::{Form, Part};
use serde_json::json;

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> Reply {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.send(app.client.post(app.url("/api/v1/imports")).multipart(form))
        .await
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "every character has a GBK form");
    bytes.into_owned()
}

/// Start `id` with `body` (none when `None`).
async fn start(app: &TestApp, id: &str, body: Option<serde_json::Value>) -> Reply {
    let path = format!("/api/v1/imports/{id}/start");
    match body {
        Some(body) => app.post_json(&path, &body).await,
        None => app.send(app.client.post(app.url(&path))).await,
    }
}

async fn finished(app: &TestApp, id: &str) -> Reply {
    let done = app.get(&format!("/api/v1/imports/{id}?wait=30")).await;
    assert_eq!(done.body["state"], "done", "{}", done.body);
    done
}

async fn attribute(app: &TestApp, mobile: &str, name: &str) -> serde_json::Value {
    let found = app.lookup("mobile", mobile).await;
    assert_eq!(found.status, 200, "{}", found.body);
    found.body["attributes"][name].clone()
}

#[tokio::test]
async fn a_gbk_file_with_chinese_headers_imports_with_no_mapping() {
    let app = TestApp::spawn().await;
    let file = gbk(
        "姓名,手机号,电子邮件,城市,性别,生日\r\n王伟,13800000001,wang@example.com,上海,男,1990-05-01\r\n李娜,13800000002,li@example.com,北京,女,1988-11-23\r\n",
    );
    let preview = upload(&app, "客户.csv", file).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let attributes: Vec<&str> = preview.body["preview"]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["attribute"].as_str().unwrap_or("null"))
        .collect();
    assert_eq!(
        attributes,
        ["name", "mobile", "email", "city", "gender", "birthday"]
    );
    assert_eq!(preview.body["preview"]["unmapped"], json!([]));
    assert_eq!(preview.body["preview"]["rows"][1]["gender"], "female");
    let id = preview.text("/job/job_id");
    assert_eq!(start(&app, &id, None).await.status, 202);
    let done = finished(&app, &id).await;
    assert_eq!(done.body["counts"]["created"], 2);
    assert_eq!(attribute(&app, "13800000001", "gender").await, "male");
    assert_eq!(attribute(&app, "13800000002", "name").await, "李娜");
    assert_eq!(attribute(&app, "13800000002", "city").await, "北京");
    assert_eq!(
        attribute(&app, "13800000002", "birthday").await,
        "1988-11-23"
    );
}

const UNKNOWN: &str = "Cust. Mobile,shoe_size,备注\n13800000001,42,老客户\n13800000002,39,新客户\n";

#[tokio::test]
async fn unknown_columns_are_previewed_then_mapped_or_ignored() {
    let app = TestApp::spawn().await;
    let preview = upload(&app, "shop.csv", UNKNOWN.as_bytes().to_vec()).await;
    assert_eq!(preview.status, 201, "{}", preview.body);
    let columns = &preview.body["preview"]["columns"];
    assert_eq!(columns[0]["header"], "Cust. Mobile");
    assert_eq!(columns[0]["attribute"], json!(null));
    assert_eq!(columns[0]["suggestions"][0], "mobile", "{columns}");
    assert_eq!(columns[2]["attribute"], json!(null));
    assert_eq!(
        preview.body["preview"]["unmapped"],
        json!(["Cust. Mobile", "shoe_size", "备注"])
    );
    assert_eq!(app.overview().await["all"], 0, "a preview writes nothing");
    let id = preview.text("/job/job_id");

    let refused = start(&app, &id, None).await;
    refused.assert_problem_status(422, "unknown_columns");
    for header in ["Cust. Mobile", "shoe_size", "备注"] {
        assert!(
            refused.text("/detail").contains(header) && refused.text("/value").contains(header),
            "{header}: {}",
            refused.body
        );
    }
    let partly = start(
        &app,
        &id,
        Some(json!({"map": {"Cust. Mobile": "mobile", "shoe_size": "-"}})),
    )
    .await;
    partly.assert_problem_status(422, "unknown_columns");
    assert_eq!(partly.text("/value"), "备注");
    let wrong = start(
        &app,
        &id,
        Some(json!({"map": {"备注": "no_such_attribute"}})),
    )
    .await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);

    let body = json!({"map": {"Cust. Mobile": "mobile", "shoe_size": "-", "备注": "company"}, "save": true});
    let started = start(&app, &id, Some(body)).await;
    assert_eq!(started.status, 202, "{}", started.body);
    let done = finished(&app, &id).await;
    assert_eq!(done.body["counts"]["created"], 2, "{}", done.body);
    assert_eq!(attribute(&app, "13800000002", "company").await, "新客户");

    // The same headers again: the saved mapping is offered, and the start needs no body.
    let again = upload(
        &app,
        "shop-june.csv",
        UNKNOWN.replace("老客户", "VIP").into_bytes(),
    )
    .await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body["preview"]["unmapped"], json!([]));
    assert_eq!(
        again.body["preview"]["saved_mapping"]["map"]["备注"],
        "company"
    );
    assert_eq!(again.body["preview"]["columns"][2]["attribute"], "company");
    assert_eq!(again.body["preview"]["columns"][1]["attribute"], "-");
    let id = again.text("/job/job_id");
    assert_eq!(start(&app, &id, None).await.status, 202);
    finished(&app, &id).await;
    assert_eq!(attribute(&app, "13800000001", "company").await, "VIP");
}
