//! `GET /api/v1/contacts/export`: the filter, search, sort and columns decide the rows; saved
//! views, encodings, XLSX sheets, neutralised cells and refused parameters.

use crate::helpers::TestApp;
use calamine::{Reader, Xlsx};
use panorama_server::Settings;
use serde_json::json;

/// The raw reply of an export: status, headers and bytes.
struct Download {
    status: u16,
    content_type: String,
    disposition: String,
    bytes: Vec<u8>,
}

async fn download(app: &TestApp, pairs: &[(&str, &str)]) -> Download {
    let mut url = app.url("/api/v1/contacts/export");
    url.query_pairs_mut().extend_pairs(pairs);
    let response = app
        .client
        .get(url)
        .send()
        .await
        .expect("the server answers");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    Download {
        status: response.status().as_u16(),
        content_type: header(reqwest::header::CONTENT_TYPE),
        disposition: header(reqwest::header::CONTENT_DISPOSITION),
        bytes: response.bytes().await.expect("a body").to_vec(),
    }
}

/// The CSV lines of a UTF-8 export without BOM.
async fn lines(app: &TestApp, pairs: &[(&str, &str)]) -> Vec<String> {
    let mut pairs = pairs.to_vec();
    pairs.push(("encoding", "utf-8"));
    let reply = download(app, &pairs).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    let text = String::from_utf8(reply.bytes).expect("UTF-8");
    text.split_terminator("\r\n").map(str::to_owned).collect()
}

async fn people(app: &TestApp) {
    for (name, mobile, city) in [
        ("王伟", "13800000001", "上海"),
        ("Zoe Chen", "13800000002", "Beijing"),
        ("王芳", "13800000003", "杭州"),
        ("Adam", "13800000004", ""),
    ] {
        let reply = app
            .upsert(json!({"name": name, "mobile": mobile, "city": city}))
            .await;
        assert!(reply.status < 300, "{}", reply.body);
    }
}

#[tokio::test]
async fn csv_rows_follow_the_filter_search_sort_and_columns() {
    let app = TestApp::spawn().await;
    people(&app).await;
    let searched = lines(
        &app,
        &[
            ("field", "name"),
            ("q", "王"),
            ("sort", "name"),
            ("order", "desc"),
            ("columns", "name,city,mobile"),
        ],
    )
    .await;
    assert_eq!(
        searched,
        [
            "Name,City,Mobile",
            "王伟,上海,+8613800000001",
            "王芳,杭州,+8613800000003"
        ]
    );
    let everyone = lines(&app, &[("sort", "name"), ("columns", "name")]).await;
    // Chinese collation: Han by pinyin (wáng fāng before wáng wěi), then Latin.
    assert_eq!(everyone, ["Name", "王芳", "王伟", "Adam", "Zoe Chen"]);
    // Default order is newest first, as on the list.
    let newest = lines(&app, &[("columns", "mobile")]).await;
    assert_eq!(newest[1], "+8613800000004");
    assert_eq!(newest.len(), 5);
    let none = lines(&app, &[("q", "nobody"), ("columns", "name")]).await;
    assert_eq!(none, ["Name"], "the header alone when nothing matches");
}

#[tokio::test]
async fn the_saved_view_is_used_without_columns_and_the_file_is_an_attachment() {
    let app = TestApp::spawn().await;
    people(&app).await;
    let saved = app
        .send(
            app.client
                .put(app.url("/api/v1/views/contacts"))
                .json(&json!({"columns": ["city", "name"]})),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let reply = download(&app, &[("sort", "name"), ("order", "asc")]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "text/csv; charset=utf-8");
    assert!(
        reply
            .disposition
            .starts_with("attachment; filename=\"contacts-")
            && reply.disposition.ends_with(".csv\""),
        "{}",
        reply.disposition
    );
    assert!(reply.bytes.starts_with("\u{feff}".as_bytes()), "BOM first");
    let text = String::from_utf8(reply.bytes[3..].to_vec()).expect("UTF-8");
    assert!(
        text.starts_with("City,Name\r\n杭州,王芳\r\n上海,王伟\r\n,Adam\r\nBeijing,Zoe Chen\r\n"),
        "{text}"
    );
}

#[tokio::test]
async fn gbk_bytes_decode_to_the_same_text() {
    let app = TestApp::spawn().await;
    app.upsert(json!({"name": "王伟", "mobile": "13800000001", "wechat_nickname": "小王😀"}))
        .await;
    let reply = download(
        &app,
        &[("encoding", "gbk"), ("columns", "name,wechat_nickname")],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "text/csv; charset=gbk");
    // 王 is CD F5 in GBK; the file is not UTF-8.
    assert!(reply.bytes.windows(2).any(|w| w == [0xCD, 0xF5]));
    assert!(String::from_utf8(reply.bytes.clone()).is_err());
    let (text, _, malformed) = encoding_rs::GBK.decode(&reply.bytes);
    assert!(!malformed);
    assert_eq!(text, "Name,WeChat nickname\r\n王伟,小王?\r\n");
}

#[tokio::test]
async fn xlsx_is_readable_and_continues_on_further_sheets() {
    let settings = Settings {
        export_sheet_rows_max: 3,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings).await;
    people(&app).await;
    let reply = download(
        &app,
        &[
            ("format", "xlsx"),
            ("sort", "name"),
            ("columns", "name,city"),
        ],
    )
    .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    assert!(reply.content_type.contains("spreadsheetml"));
    assert!(
        reply.disposition.ends_with(".xlsx\""),
        "{}",
        reply.disposition
    );
    let mut workbook = Xlsx::new(std::io::Cursor::new(reply.bytes)).expect("an XLSX file");
    assert_eq!(workbook.sheet_names(), ["Contacts", "Contacts 2"]);
    let mut rows = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("a sheet");
        let sheet: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(sheet[0], ["Name", "City"], "every sheet has the header");
        assert_eq!(sheet.len(), 3, "header and two rows per sheet");
        rows.extend(sheet.into_iter().skip(1));
    }
    let names: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(names, ["王芳", "王伟", "Adam", "Zoe Chen"]);
    assert_eq!(rows[3][1], "Beijing");
}

#[tokio::test]
async fn cells_that_would_run_as_formulas_are_neutralised() {
    let app = TestApp::spawn().await;
    // Values are trimmed when written, so none starts with a tab or carriage return; those two
    // are covered by `panorama_core::spreadsheet`'s tests.
    for (n, name) in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "plain"]
        .iter()
        .enumerate()
    {
        let mobile = format!("1380000000{n}");
        let reply = app.upsert(json!({"name": name, "mobile": mobile})).await;
        assert!(reply.status < 300, "{}", reply.body);
    }
    let csv = lines(&app, &[("sort", "mobile"), ("columns", "name,mobile")]).await;
    assert_eq!(
        csv,
        [
            "Name,Mobile",
            "'=1+1,+8613800000000",
            "'+SUM(A1),+8613800000001",
            "'-2+3,+8613800000002",
            "'@cmd,+8613800000003",
            "plain,+8613800000004"
        ],
        "formulas get a leading ', plain numbers such as mobiles stay numbers"
    );
    let reply = download(
        &app,
        &[("format", "xlsx"), ("sort", "mobile"), ("columns", "name")],
    )
    .await;
    let mut workbook = Xlsx::new(std::io::Cursor::new(reply.bytes)).expect("an XLSX file");
    let range = workbook.worksheet_range("Contacts").expect("a sheet");
    let first: Vec<String> = range.rows().map(|row| row[0].to_string()).collect();
    assert_eq!(
        first[1..],
        ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "plain"]
    );
}

#[tokio::test]
async fn bad_parameters_are_problems_naming_field_and_value() {
    let app = TestApp::spawn().await;
    let path = "/api/v1/contacts/export";
    app.get_query(path, &[("format", "pdf")])
        .await
        .assert_problem(422, "invalid_value", "format", Some("pdf"));
    app.get_query(path, &[("encoding", "latin1")])
        .await
        .assert_problem(422, "invalid_value", "encoding", Some("latin1"));
    app.get_query(path, &[("columns", "name,shoe_size")])
        .await
        .assert_problem(422, "unknown_attribute", "columns", Some("shoe_size"));
    app.get_query(path, &[("sort", "shoe_size")])
        .await
        .assert_problem(422, "unknown_attribute", "sort", Some("shoe_size"));
    app.get_query(path, &[("category", "vip")])
        .await
        .assert_problem(422, "bad_request", "category", Some("vip"));
}

/// The stored creation time of `contact_id`.
async fn created_at(app: &TestApp, contact_id: &str) -> jiff::Timestamp {
    app.contact(contact_id).await["created_at"]
        .as_str()
        .expect("a time")
        .parse()
        .expect("RFC 3339")
}

#[tokio::test]
async fn a_masked_xlsx_has_a_text_mobile_a_date_cell_and_a_number_cell() {
    let app = TestApp::spawn().await;
    let who = json!({"mobile": "13812345678"});
    let order = json!({"event_id": "o1", "event": "order", "occurred_at": "2026-01-05T20:00:00Z",
        "identity": who, "properties": {"order_id": "A-1", "amount": "88.5", "status": "paid"}});
    let sent = app
        .post_json("/api/v1/events", &json!({ "events": [order] }))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let reply = app
        .upsert(json!({"mobile": "13812345678", "name": "张伟", "birthday": "1990-05-01"}))
        .await;
    assert!(reply.status < 300, "{}", reply.body);
    let marketer = app.as_role(panorama_server::Role::Marketer).await;
    let reply = download(
        &marketer,
        &[
            ("format", "xlsx"),
            ("columns", "mobile,birthday,order_amount,last_order_at,name"),
            ("time_zone", "Asia/Shanghai"),
        ],
    )
    .await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    let mut workbook = Xlsx::new(std::io::Cursor::new(reply.bytes)).expect("an XLSX file");
    let range = workbook.worksheet_range("Contacts").expect("a sheet");
    let row: Vec<calamine::Data> = range.rows().nth(1).expect("a row").to_vec();
    assert_eq!(
        row[0],
        calamine::Data::String("+86138****5678".into()),
        "a masked mobile is text, with no apostrophe"
    );
    match &row[1] {
        calamine::Data::DateTime(day) => {
            assert_eq!(day.to_ymd_hms_milli(), (1990, 5, 1, 0, 0, 0, 0));
        }
        other => panic!("the birthday is a date cell: {other:?}"),
    }
    assert_eq!(
        row[2],
        calamine::Data::Float(88.5),
        "the amount is a number"
    );
    match &row[3] {
        calamine::Data::DateTime(at) => {
            assert_eq!(at.to_ymd_hms_milli(), (2026, 1, 6, 4, 0, 0, 0), "in +08:00");
        }
        other => panic!("the last order time is a date cell: {other:?}"),
    }
    assert_eq!(row[4], calamine::Data::String("张伟".into()));
}

#[tokio::test]
async fn csv_times_are_written_in_the_chosen_zone() {
    let app = TestApp::spawn().await;
    let reply = app
        .upsert(json!({"name": "Zoe", "mobile": "13800000009"}))
        .await;
    assert!(reply.status < 300, "{}", reply.body);
    let at = created_at(&app, &reply.text("/contact/contact_id")).await;
    let shown = |zone: &str| {
        let zone = jiff::tz::TimeZone::get(zone).expect("zone");
        zone.to_datetime(at)
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    for zone in ["Asia/Shanghai", "UTC", "America/New_York"] {
        let csv = lines(&app, &[("columns", "name,created_at"), ("time_zone", zone)]).await;
        assert_eq!(
            csv,
            ["Name,Created at".to_owned(), format!("Zoe,{}", shown(zone))]
        );
    }
    // Without a zone, the company's (Asia/Shanghai by default).
    let csv = lines(&app, &[("columns", "created_at")]).await;
    assert_eq!(csv[1], shown("Asia/Shanghai"));
    app.get_query("/api/v1/contacts/export", &[("time_zone", "Mars/Olympus")])
        .await
        .assert_problem(422, "invalid_value", "time_zone", Some("Mars/Olympus"));
}

#[tokio::test]
async fn headers_speak_the_exporters_language() {
    let app = TestApp::spawn().await;
    people(&app).await;
    let chinese = lines(
        &app,
        &[
            ("columns", "name,mobile,city"),
            ("sort", "mobile"),
            ("lang", "zh"),
        ],
    )
    .await;
    assert_eq!(chinese[0], "姓名,手机号,城市");
    assert_eq!(chinese[1], "王伟,+8613800000001,上海");
    let english = lines(&app, &[("columns", "name,mobile,city"), ("lang", "en")]).await;
    assert_eq!(english[0], "Name,Mobile,City");
    app.get_query("/api/v1/contacts/export", &[("lang", "fr")])
        .await
        .assert_problem(422, "invalid_value", "lang", Some("fr"));
}
