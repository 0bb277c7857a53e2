//! One clock on the pages: with the viewer's zone in the `panorama_tz` cookie every time of a
//! contact's page (identity card, properties, timeline, subscription, consumption) is shown in
//! that zone, and the footer names it; without the cookie, the company's zone is used.

use crate::events::{event, ingest};
use crate::helpers::{TestApp, session_in};
use panorama_server::{Role, Settings};
use serde_json::json;

/// The page at `path` as HTML, signed in with `session`, the viewer's zone cookie set to `zone`.
async fn page(app: &TestApp, path: &str, session: &str, zone: Option<&str>) -> String {
    page_in(app, path, &format!("panorama_session={session}"), zone).await
}

/// [`page`] with more cookies (`panorama_session=...; panorama_lang=zh`).
async fn page_in(app: &TestApp, path: &str, cookies: &str, zone: Option<&str>) -> String {
    let mut cookie = cookies.to_owned();
    if let Some(zone) = zone {
        cookie.push_str(&format!("; panorama_tz={}", zone.replace('/', "%2F")));
    }
    let response = app
        .acting_as(None)
        .client
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("a page")
}

/// Every `YYYY-MM-DD HH:MM:SS` on `html`, in order.
fn shown_times(html: &str) -> Vec<String> {
    let shape = b"dddd-dd-dd dd:dd:dd";
    let bytes = html.as_bytes();
    (0..bytes.len().saturating_sub(shape.len() - 1))
        .filter(|&start| {
            shape.iter().enumerate().all(|(i, want)| match want {
                b'd' => bytes[start + i].is_ascii_digit(),
                other => bytes[start + i] == *other,
            })
        })
        .map(|start| html[start..start + shape.len()].to_owned())
        .collect()
}

/// Every `datetime="..."` holding a time (not a date alone).
fn machine_times(html: &str) -> Vec<String> {
    html.split("datetime=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|value| value.len() > 10)
        .map(str::to_owned)
        .collect()
}

/// `text` (`YYYY-MM-DD HH:MM:SS`) read as UTC and shown in Asia/Shanghai.
fn in_shanghai(text: &str) -> String {
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().expect("a time");
    let at = civil
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .expect("UTC")
        .timestamp();
    let zone = jiff::tz::TimeZone::get("Asia/Shanghai").expect("zone");
    zone.to_datetime(at)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[tokio::test]
async fn every_time_of_a_contact_page_shows_in_the_viewers_zone() {
    // The company is on UTC here, so nothing but the cookie can move the times to +08:00.
    let settings = Settings {
        time_zone: jiff::tz::TimeZone::UTC,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings).await;
    let who = json!({"mobile": "13812340077"});
    let body = ingest(
        &app,
        vec![
            event(
                "c1",
                "email_open",
                "2026-05-01T01:30:00Z",
                who.clone(),
                json!({"subject": "Spring"}),
            ),
            event(
                "c2",
                "order",
                "2026-01-05T20:00:00Z",
                who.clone(),
                json!({"order_id": "A-1", "amount": "88", "currency": "CNY", "status": "paid"}),
            ),
        ],
    )
    .await;
    let contact_id = body["results"][0]["contact_id"].as_str().expect("an id");
    // A subscription change leaves a consent history entry with its time.
    let url = app.url(&format!("/api/v1/contacts/{contact_id}/subscription"));
    let body = json!({"channel": "email", "subscribed": false, "source": "test"});
    let changed = app.send(app.client.put(url).json(&body)).await;
    assert!(changed.status < 300, "{}", changed.body);
    let session = session_in(app.store.as_ref(), "ada", Role::Admin).await;

    for view in ["", "?view=orders"] {
        let path = format!("/contacts/{contact_id}{view}");
        let utc = page(&app, &path, &session, Some("UTC")).await;
        let shanghai = page(&app, &path, &session, Some("Asia/Shanghai")).await;
        let utc_times = shown_times(&utc);
        assert!(
            utc_times.len() >= 4,
            "the page shows times (created, updated, subscription...): {utc_times:?}"
        );
        let expected: Vec<String> = utc_times.iter().map(|t| in_shanghai(t)).collect();
        assert_eq!(
            shown_times(&shanghai),
            expected,
            "every time on {path} is the same instant, 8 hours on"
        );
        let machine = machine_times(&shanghai);
        assert!(!machine.is_empty(), "{path} has <time> elements");
        for value in &machine {
            assert!(value.ends_with("+08:00"), "{path}: {value}");
        }
        assert!(
            shanghai.contains("Times in Asia/Shanghai (UTC+08:00)"),
            "the footer names the zone"
        );
        assert_eq!(
            shanghai.matches("Asia/Shanghai (UTC+08:00)").count(),
            1,
            "the zone is named once"
        );
        assert!(utc.contains("Times in UTC (UTC+00:00)"));
    }
    let stream = page(
        &app,
        &format!("/contacts/{contact_id}"),
        &session,
        Some("Asia/Shanghai"),
    )
    .await;
    assert!(stream.contains("datetime=\"2026-05-01T09:30:00+08:00\">09:30:00<"));
    let orders = page(
        &app,
        &format!("/contacts/{contact_id}?view=orders"),
        &session,
        Some("Asia/Shanghai"),
    )
    .await;
    assert!(
        orders.contains("2026-01-06 04:00:00"),
        "the order of 20:00 UTC is on the next day in Shanghai"
    );
    assert!(!orders.contains("2026-01-05 20:00:00"));
}

#[tokio::test]
async fn without_the_cookie_pages_show_the_companys_zone() {
    let app = TestApp::spawn().await;
    let reply = app
        .upsert(json!({"name": "王伟", "mobile": "13812340078"}))
        .await;
    assert!(reply.status < 300, "{}", reply.body);
    let session = session_in(app.store.as_ref(), "ada", Role::Admin).await;
    let list = page(&app, "/contacts", &session, None).await;
    assert!(
        list.contains("Times in Asia/Shanghai (UTC+08:00)"),
        "the default company zone"
    );
    let contact_id = reply.text("/contact/contact_id");
    let created = app.contact(&contact_id).await["created_at"]
        .as_str()
        .expect("a time")
        .parse::<jiff::Timestamp>()
        .expect("RFC 3339");
    let zone = jiff::tz::TimeZone::get("Asia/Shanghai").expect("zone");
    let shown = zone
        .to_datetime(created)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    let contact = page(&app, &format!("/contacts/{contact_id}"), &session, None).await;
    assert!(contact.contains(&shown), "created at {shown}");
}

#[tokio::test]
async fn the_lists_export_links_carry_the_pages_language_and_zone() {
    let app = TestApp::spawn().await;
    let session = session_in(app.store.as_ref(), "ada", Role::Admin).await;
    let cookies = format!("panorama_session={session}; panorama_lang=zh");
    let list = page_in(&app, "/contacts", &cookies, Some("Europe/Berlin")).await;
    assert!(
        list.contains("时间以 Europe/Berlin (UTC+0"),
        "the footer in Chinese"
    );
    let links: Vec<&str> = list
        .split("href=\"/api/v1/contacts/export?")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(links.len(), 2, "CSV and XLSX");
    for link in links {
        assert!(
            link.contains("lang=zh") && link.contains("time_zone=Europe/Berlin"),
            "{link}"
        );
    }
}
