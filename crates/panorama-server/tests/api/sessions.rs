//! Web sign-in as a browser does it: the session cookie's flags, the wait after five wrong
//! passwords, writes that must come from our own pages, sign-out; and the per-key rate limit.
//! (`sign_in_limits.rs` has the per-address budgets and delays.)

use crate::helpers::{TestApp, user_in};
use panorama_core::access::{AuditAction, AuditQuery, Role};
use panorama_server::Settings;
use panorama_server::auth::AuthSettings;

/// A client that neither follows redirects nor sends credentials of its own.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn sign_in(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    let body = format!(
        "name={name}&password={}&next=%2Fcontacts%3Ftab%3Dall",
        password.replace(' ', "+")
    );
    browser()
        .post(app.url("/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.address)
        .body(body)
        .send()
        .await
        .expect("the server answers")
}

fn session_of(response: &reqwest::Response) -> String {
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .expect("a value")
}

async fn actions(app: &TestApp) -> Vec<AuditAction> {
    let query = AuditQuery {
        limit: 100,
        ..AuditQuery::default()
    };
    let entries = app
        .store
        .audit_entries(&query)
        .await
        .expect("the audit log");
    entries
        .iter()
        .rev()
        .map(|entry| entry.entry.action)
        .collect()
}

#[tokio::test]
async fn a_session_signs_in_writes_from_our_pages_only_and_signs_out() {
    let app = TestApp::spawn().await;
    user_in(app.store.as_ref(), "ana", Role::Marketer).await;
    let signed = sign_in(&app, "ANA", "a long password").await;
    assert_eq!(signed.status(), 303);
    assert_eq!(signed.headers()["location"], "/contacts?tab=all");
    let token = session_of(&signed);
    let cookie = format!("panorama_session={token}");

    let page = browser()
        .get(app.url("/contacts"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("a page");
    assert!(
        html.contains("ana") && html.contains("/sign-out"),
        "the header names who is signed in"
    );
    let me = browser()
        .get(app.url("/api/v1/contacts/overview"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        me.status(),
        200,
        "the pages' scripts call the API with the session"
    );

    let write = |origin: Option<&str>| {
        let mut request = browser()
            .post(app.url("/api/v1/contacts"))
            .header("cookie", &cookie)
            .json(&serde_json::json!({"attributes": {"email": "a@example.com"}}));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send()
    };
    assert_eq!(
        write(None).await.expect("answers").status(),
        403,
        "no proof of our origin"
    );
    assert_eq!(
        write(Some("https://evil.example"))
            .await
            .expect("answers")
            .status(),
        403
    );
    assert_eq!(
        write(Some(&app.address)).await.expect("answers").status(),
        201
    );

    let out = browser()
        .post(app.url("/sign-out"))
        .header("cookie", &cookie)
        .header("origin", &app.address)
        .send()
        .await
        .expect("answers");
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );
    let after = browser()
        .get(app.url("/contacts"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("answers");
    assert_eq!(after.status(), 303, "the session ended");
    assert_eq!(
        actions(&app).await,
        [AuditAction::SignIn, AuditAction::SignOut]
    );
}

#[tokio::test]
async fn five_wrong_passwords_make_the_address_wait() {
    let auth = AuthSettings {
        sign_in_first_delay_seconds: 600,
        ..AuthSettings::default()
    };
    let app = TestApp::spawn_with_auth(Settings::default(), auth).await;
    user_in(app.store.as_ref(), "bo", Role::Viewer).await;
    for _ in 0..5 {
        let refused = sign_in(&app, "bo", "not the password").await;
        assert_eq!(refused.status(), 401);
        assert!(refused.headers().get("set-cookie").is_none());
    }
    let locked = sign_in(&app, "bo", "a long password").await;
    assert_eq!(
        locked.status(),
        401,
        "the right password is refused while the address waits"
    );
    let page = locked.text().await.expect("a page");
    assert!(page.contains("Wrong user name or password"), "{page}");
    let unknown = sign_in(&app, "nobody", "a long password").await;
    assert_eq!(unknown.status(), 401);
    let recorded = actions(&app).await;
    assert_eq!(recorded.len(), 7);
    assert!(
        recorded
            .iter()
            .all(|action| *action == AuditAction::SignInFailed)
    );
}

#[tokio::test]
async fn each_key_is_held_to_its_rate_with_retry_after() {
    let auth = AuthSettings {
        api_key_requests_per_second: 1,
        api_key_burst_requests: 3,
        ..AuthSettings::default()
    };
    let app = TestApp::spawn_with_auth(Settings::default(), auth).await;
    let other = app.as_role(Role::Viewer).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/contacts/overview").await.status, 200);
    }
    let limited = app
        .client
        .get(app.url("/api/v1/contacts/overview"))
        .send()
        .await
        .expect("answers");
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=2).contains(&retry), "{retry}");
    let body: serde_json::Value = limited.json().await.expect("a problem");
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(
        other.get("/api/v1/contacts/overview").await.status,
        200,
        "keys have their own buckets"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let anonymous = app.acting_as(None);
    let answers = [
        (
            "sign-in page",
            browser().get(app.url("/sign-in")).send().await,
        ),
        (
            "API answer",
            app.client.get(app.url("/api/v1/contacts")).send().await,
        ),
        (
            "401",
            anonymous
                .client
                .get(app.url("/api/v1/contacts"))
                .send()
                .await,
        ),
        ("404", app.client.get(app.url("/nowhere")).send().await),
        (
            "script",
            app.client.get(app.url("/static/app.js")).send().await,
        ),
    ];
    for (what, answer) in answers {
        let answer = answer.expect("the server answers");
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header("x-frame-options"), "DENY", "{what}");
        assert_eq!(header("referrer-policy"), "same-origin", "{what}");
        assert_eq!(
            header("cross-origin-opener-policy"),
            "same-origin",
            "{what}"
        );
        assert!(
            header("content-security-policy").contains("default-src 'self'"),
            "{what}"
        );
        let cache = header("cache-control");
        if what == "script" {
            assert!(cache.starts_with("public"), "{what}: {cache}");
        } else {
            assert_eq!(cache, "no-store", "{what}");
        }
    }
}
