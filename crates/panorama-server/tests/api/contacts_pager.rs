//! The contacts page's pager: a page number past the last shows the last page, the page-number
//! form keeps the filter, and a Chinese sort follows pinyin (北京 before 上海).

use crate::helpers::TestApp;
use serde_json::json;

/// `count` contacts, contact `n` named and living in `city(n)`.
async fn contacts(app: &TestApp, count: usize, city: impl Fn(usize) -> &'static str) {
    for n in 0..count {
        let reply = app
            .upsert(json!({"mobile": format!("1380000{n:04}"), "name": city(n), "city": city(n)}))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
}

async fn page(app: &TestApp, path: &str) -> String {
    let reply = app.get(path).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.body.as_str().unwrap_or_default().to_owned()
}

/// How many contacts the table shows.
fn rows(html: &str) -> usize {
    html.matches("<tr data-id=").count()
}

#[tokio::test]
async fn a_page_past_the_last_shows_the_last_page() {
    let app = TestApp::spawn().await;
    contacts(&app, 25, |_| "上海").await;
    let last = page(&app, "/contacts?category=all&size=20&page=2").await;
    let past = page(&app, "/contacts?category=all&size=20&page=99").await;
    assert!(past.contains("Page 2 of 2"), "{past}");
    assert_eq!(rows(&past), 5, "the 5 contacts of the last page");
    assert_eq!(rows(&past), rows(&last));
    // The page-number form jumps within 1..=2 and keeps the page size.
    assert!(
        past.contains(r#"name="page" min="1" max="2" value="2""#),
        "{past}"
    );
    assert!(past.contains(r#"<input type="hidden" name="size" value="20">"#));
    let first = page(&app, "/contacts?category=all&size=20&page=1").await;
    assert_eq!(rows(&first), 20);
    assert!(first.contains("Page 1 of 2"));
}

#[tokio::test]
async fn an_empty_list_stays_on_its_one_page() {
    let app = TestApp::spawn().await;
    let html = page(&app, "/contacts?page=7").await;
    assert!(html.contains("Page 1 of 1"), "{html}");
}

#[tokio::test]
async fn chinese_values_sort_by_pinyin_on_the_page_and_in_the_api() {
    let app = TestApp::spawn().await;
    // In code point order 上 (U+4E0A) < 北 (U+5317) < 广 (U+5E7F) < 成 (U+6210); by pinyin
    // beijing < chengdu < guangzhou < shanghai.
    const CITIES: [&str; 4] = ["上海", "北京", "广州", "成都"];
    contacts(&app, 4, |n| CITIES[n]).await;
    let html = page(&app, "/contacts?category=all&sort=name&order=asc").await;
    let at = |city: &str| html.find(&format!(">{city}</a>")).unwrap_or(usize::MAX);
    assert!(
        at("北京") < at("成都") && at("成都") < at("广州") && at("广州") < at("上海"),
        "{html}"
    );
    let api = app.get("/api/v1/contacts?sort=city&order=asc").await;
    let cities: Vec<&str> = api.body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|c| c["attributes"]["city"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(cities, ["北京", "成都", "广州", "上海"]);
    let descending = app.get("/api/v1/contacts?sort=city&order=desc").await;
    assert_eq!(descending.body["items"][0]["attributes"]["city"], "上海");
}
