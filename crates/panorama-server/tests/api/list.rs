//! `GET /api/v1/contacts` with search, sort and columns, and `GET/PUT /api/v1/views/contacts`.

use crate::helpers::TestApp;
use serde_json::{Value as Json, json};

async fn names(app: &TestApp, pairs: &[(&str, &str)]) -> (u64, Vec<String>) {
    let reply = app.get_query("/api/v1/contacts", pairs).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let names = reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["attributes"]["name"].as_str().unwrap_or("/").to_owned())
        .collect();
    (reply.body["total"].as_u64().expect("total"), names)
}

async fn people(app: &TestApp) {
    for (mobile, name, city, email) in [
        ("13812345678", "王伟", "上海", "wang@example.cn"),
        ("13900001111", "王伟明", "北京", "ming@example.cn"),
        (
            "13700002222",
            "O'Neil 50%_off",
            "Back\\slash",
            "o+neil@example.com",
        ),
        ("13600003333", "Ann", "Shanghai", "ann@example.org"),
    ] {
        let reply = app
            .upsert(json!({"mobile": mobile, "name": name, "city": city, "email": email}))
            .await;
        assert!(reply.status < 300, "{}", reply.body);
    }
    // An anonymous WeChat fan.
    let reply = app
        .upsert(json!({"wechat_openid": "oFanX", "name": "小王"}))
        .await;
    assert!(reply.status < 300, "{}", reply.body);
}

#[tokio::test]
async fn search_finds_substrings_of_every_kind_literally() {
    let app = TestApp::spawn().await;
    people(&app).await;
    let search = |q: &'static str, field: &'static str| {
        let app = &app;
        async move {
            names(
                app,
                &[
                    ("q", q),
                    ("field", field),
                    ("sort", "name"),
                    ("order", "asc"),
                ],
            )
            .await
        }
    };
    assert_eq!(
        search("王伟", "name").await,
        (2, vec!["王伟".into(), "王伟明".into()])
    );
    assert_eq!(search("王", "any").await.0, 3, "one Chinese character");
    assert_eq!(
        search("1381234", "mobile").await.1,
        ["王伟"],
        "digits inside a mobile"
    );
    assert_eq!(
        search("+86138", "mobile").await.1,
        ["王伟"],
        "with the country code"
    );
    assert_eq!(
        search("%_", "any").await.1,
        ["O'Neil 50%_off"],
        "% and _ are literal"
    );
    assert_eq!(search("'", "name").await.1, ["O'Neil 50%_off"]);
    assert_eq!(search("\\", "any").await.1, ["O'Neil 50%_off"], "backslash");
    assert_eq!(search("o+n", "email").await.1, ["O'Neil 50%_off"], "plus");
    assert_eq!(
        search("@EXAMPLE.CN", "email").await.0,
        2,
        "case-insensitive"
    );
    assert_eq!(search("shanghai", "any").await.1, ["Ann"]);
    assert_eq!(search("nothing", "any").await, (0, vec![]));
    // The category narrows the search.
    let (total, _) = names(&app, &[("q", "王"), ("category", "anonymous")]).await;
    assert_eq!(total, 1);
    let (total, _) = names(&app, &[("q", "王"), ("category", "real_name")]).await;
    assert_eq!(total, 2);
}

#[tokio::test]
async fn sort_pages_and_columns() {
    let app = TestApp::spawn().await;
    people(&app).await;
    let (_, ascending) = names(&app, &[("sort", "mobile"), ("order", "asc")]).await;
    assert_eq!(ascending[..4], ["Ann", "O'Neil 50%_off", "王伟", "王伟明"]);
    assert_eq!(ascending[4], "小王", "empty values last");
    let (_, descending) = names(&app, &[("sort", "mobile"), ("order", "desc")]).await;
    assert_eq!(descending[..4], ["王伟明", "王伟", "O'Neil 50%_off", "Ann"]);
    assert_eq!(descending[4], "小王", "empty values last either way");
    let (total, page) = names(
        &app,
        &[("sort", "mobile"), ("page", "2"), ("page_size", "2")],
    )
    .await;
    assert_eq!((total, page), (5, vec!["王伟".into(), "王伟明".into()]));
    let reply = app
        .get_query(
            "/api/v1/contacts",
            &[("columns", "city,name"), ("q", "Ann")],
        )
        .await;
    let attributes = &reply.body["items"][0]["attributes"];
    assert_eq!(attributes, &json!({"name": "Ann", "city": "Shanghai"}));
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let app = TestApp::spawn().await;
    type Pairs<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Pairs, &str, &str); 5] = [
        (&[("field", "shoe_size"), ("q", "x")], "field", "shoe_size"),
        (
            &[("field", "member_points"), ("q", "1")],
            "field",
            "member_points",
        ),
        (&[("sort", "nope")], "sort", "nope"),
        (&[("order", "up")], "order", "up"),
        (&[("columns", "name,nope")], "columns", "nope"),
    ];
    for (pairs, field, value) in cases {
        let reply = app.get_query("/api/v1/contacts", pairs).await;
        assert_eq!(reply.status, 422, "{pairs:?}: {}", reply.body);
        assert_eq!(reply.body["field"], field, "{}", reply.body);
        assert_eq!(reply.body["value"], value, "{}", reply.body);
    }
    let long = "x".repeat(101);
    let reply = app.get_query("/api/v1/contacts", &[("q", &long)]).await;
    assert_eq!(
        (reply.status, reply.body["field"].clone()),
        (422, json!("q"))
    );
}

#[tokio::test]
async fn columns_are_remembered_per_user() {
    let app = TestApp::spawn().await;
    let view = app.get("/api/v1/views/contacts").await;
    assert_eq!(view.status, 200);
    assert_eq!(
        view.body["columns"],
        json!(["name", "mobile", "email", "wechat_nickname", "created_at"])
    );
    let put = |body: Json| {
        let app = &app;
        async move {
            app.send(
                app.client
                    .put(app.url("/api/v1/views/contacts"))
                    .json(&body),
            )
            .await
        }
    };
    let saved = put(json!({"columns": ["city", "name"]})).await;
    assert_eq!(
        (saved.status, saved.body["columns"].clone()),
        (200, json!(["city", "name"]))
    );
    let read = app.get("/api/v1/views/contacts").await;
    assert_eq!(read.body["columns"], json!(["city", "name"]));
    let twice = put(json!({"columns": ["city", "city"]})).await;
    assert_eq!(
        (twice.status, twice.body["value"].clone()),
        (422, json!("city"))
    );
    let too_many: Vec<String> = [
        "name",
        "mobile",
        "email",
        "wechat_openid",
        "wechat_unionid",
        "wechat_nickname",
        "gender",
        "birthday",
        "country",
        "province",
        "city",
        "address",
        "company",
        "member_id",
        "member_level",
        "member_points",
        "created_at",
        "updated_at",
        "order_count",
        "order_amount",
        "first_order_at",
    ]
    .map(String::from)
    .to_vec();
    let refused = put(json!({ "columns": too_many })).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        app.get("/api/v1/views/contacts").await.body["columns"],
        json!(["city", "name"]),
        "a refused change keeps the saved columns"
    );
}
