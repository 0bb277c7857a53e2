//! Sign-in and wrong credentials held per client address: a name whose address must wait answers
//! exactly as an unknown name, after a password check; wrong passwords slow the address that
//! typed them, not the owner elsewhere; each address has a budget of sign-ins and of wrong keys
//! (429 with `Retry-After`); `X-Forwarded-For` counts only from a trusted proxy; admins lift the
//! delays (API and page), audited.

use crate::helpers::{TestApp, client_with, user_in};
use panorama_core::access::{Password, Role};
use panorama_server::Settings;
use panorama_server::auth::{AuthSettings, TrustedProxies};
use std::time::{Duration, Instant};

/// Settings where three wrong passwords make an address wait ten minutes (no test waits that
/// long, so "still waiting" holds however slow the machine), with or without a trusted proxy.
fn waiting(trusted: &str) -> AuthSettings {
    AuthSettings {
        sign_in_failures_before_delay: 3,
        sign_in_first_delay_seconds: 600,
        sign_in_attempts_per_minute: 1_000,
        bad_credentials_per_minute: 1_000,
        trusted_proxies: TrustedProxies::parse(trusted).expect("proxies"),
        ..AuthSettings::default()
    }
}

/// A browser-like sign-in (no redirects followed), from `forwarded` if given.
async fn sign_in(
    app: &TestApp,
    name: &str,
    password: &str,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let body = format!("name={name}&password={}", password.replace(' ', "+"));
    let mut request = client
        .post(app.url("/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", &app.address)
        .body(body);
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.expect("the server answers")
}

/// The shortest of three Argon2 verifications on this machine now.
fn verification_time() -> Duration {
    let hash = Password::parse("a long password", "password")
        .and_then(|password| password.hash())
        .expect("a hash");
    (0..3)
        .map(|_| {
            let started = Instant::now();
            assert!(!hash.verify("another password"));
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_waiting_name_answers_as_an_unknown_one_after_a_password_check() {
    let app = TestApp::spawn_with_auth(Settings::default(), waiting("")).await;
    user_in(app.store.as_ref(), "bo", Role::Viewer).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "bo", "a wrong password", None).await.status(),
            401
        );
    }
    let check = verification_time();
    let mut answers = Vec::new();
    for name in ["bo", "no-such-user"] {
        let started = Instant::now();
        let answer = sign_in(&app, name, "a long password", None).await;
        let elapsed = started.elapsed();
        let status = answer.status().as_u16();
        assert!(answer.headers().get("set-cookie").is_none(), "{name}");
        let page = answer.text().await.expect("a page");
        // The typed name is echoed in the form; everything else must be the same.
        answers.push((
            status,
            page.replace(&format!("value=\"{name}\""), "value=\"NAME\""),
        ));
        // Both ran an Argon2 verification before answering (the old lock answered in 2 ms).
        assert!(
            elapsed >= check / 2,
            "{name} answered in {elapsed:?}, a check takes {check:?}"
        );
    }
    assert_eq!(
        answers[0].0, 401,
        "the right password is refused while bo's address waits"
    );
    assert_eq!(
        answers[0], answers[1],
        "a waiting name reads as an unknown one"
    );
    assert!(answers[0].1.contains("Wrong user name or password"));
}

#[tokio::test]
async fn the_owner_signs_in_while_a_guesser_elsewhere_waits_until_an_admin_lifts_it() {
    let app = TestApp::spawn_with_auth(Settings::default(), waiting("127.0.0.1/32")).await;
    user_in(app.store.as_ref(), "boss", Role::Admin).await;
    let (guesser, owner) = (Some("203.0.113.9"), Some("198.51.100.7"));
    for _ in 0..6 {
        assert_eq!(
            sign_in(&app, "boss", "a wrong guess!", guesser)
                .await
                .status(),
            401
        );
    }
    let right = "a long password";
    assert_eq!(
        sign_in(&app, "boss", right, guesser).await.status(),
        401,
        "the guesser waits"
    );
    assert_eq!(
        sign_in(&app, "boss", right, owner).await.status(),
        303,
        "the owner does not"
    );

    let users = app.get("/api/v1/users").await;
    let boss = |body: &serde_json::Value| {
        body.as_array()
            .and_then(|users| users.iter().find(|user| user["name"] == "boss"))
            .cloned()
            .expect("boss is listed")
    };
    assert!(
        boss(&users.body)["locked_until"].is_string(),
        "{}",
        users.body
    );
    let lifted = app
        .post_json("/api/v1/users/boss/unlock", &serde_json::json!({}))
        .await;
    assert_eq!(lifted.status, 200, "{}", lifted.body);
    assert!(lifted.body["locked_until"].is_null(), "{}", lifted.body);
    assert!(boss(&app.get("/api/v1/users").await.body)["locked_until"].is_null());
    assert_eq!(
        sign_in(&app, "boss", right, guesser).await.status(),
        303,
        "lifted"
    );
    let unknown = app
        .post_json("/api/v1/users/nobody/unlock", &serde_json::json!({}))
        .await;
    unknown.assert_problem_status(404, "not_found");

    let audit = app
        .get_query("/api/v1/audit", &[("action", "user_change")])
        .await;
    let entries = audit.body["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(entries.len(), 1, "{}", audit.body);
    assert_eq!(entries[0]["target"], "boss");
    assert_eq!(entries[0]["detail"]["sign_in_delays_lifted"], true);
}

#[tokio::test]
async fn forwarded_for_is_ignored_without_a_trusted_proxy() {
    let app = TestApp::spawn_with_auth(Settings::default(), waiting("")).await;
    user_in(app.store.as_ref(), "boss", Role::Admin).await;
    for _ in 0..5 {
        let guess = sign_in(&app, "boss", "a wrong guess!", Some("203.0.113.9")).await;
        assert_eq!(guess.status(), 401);
    }
    // Another forwarded address from the same connection is the same client.
    let right = sign_in(&app, "boss", "a long password", Some("198.51.100.7")).await;
    assert_eq!(right.status(), 401);
}

#[tokio::test]
async fn each_address_has_a_budget_of_sign_ins_and_of_wrong_credentials() {
    let auth = AuthSettings {
        sign_in_attempts_per_minute: 3,
        bad_credentials_per_minute: 4,
        trusted_proxies: TrustedProxies::parse("127.0.0.1").expect("proxies"),
        ..AuthSettings::default()
    };
    let app = TestApp::spawn_with_auth(Settings::default(), auth).await;
    let (one, two) = (Some("203.0.113.9"), Some("198.51.100.7"));
    for _ in 0..3 {
        assert_eq!(
            sign_in(&app, "anyone", "a wrong guess!", one)
                .await
                .status(),
            401
        );
    }
    let over = sign_in(&app, "anyone", "a wrong guess!", one).await;
    assert_eq!(over.status(), 429);
    assert_retry_after(&over);
    assert!(
        over.text()
            .await
            .expect("a page")
            .contains("Too many sign-in attempts")
    );
    assert_eq!(
        sign_in(&app, "anyone", "a wrong guess!", two)
            .await
            .status(),
        401
    );

    let from = |key: &str, address: &str| {
        client_with(Some(key))
            .get(app.url("/api/v1/contacts/overview"))
            .header("x-forwarded-for", address)
            .send()
    };
    for _ in 0..4 {
        assert_eq!(
            from("pnk_guess", "203.0.113.9")
                .await
                .expect("answers")
                .status(),
            401
        );
    }
    let over = from("pnk_guess", "203.0.113.9").await.expect("answers");
    assert_eq!(over.status(), 429);
    assert_retry_after(&over);
    let body: serde_json::Value = over.json().await.expect("a problem");
    assert_eq!(body["code"], "rate_limited");
    // Over its budget an address learns nothing about any credential, a right one included.
    let key = app.key(Role::Viewer).await;
    assert_eq!(
        from(&key, "203.0.113.9").await.expect("answers").status(),
        429
    );
    assert_eq!(
        from(&key, "198.51.100.7").await.expect("answers").status(),
        200
    );
    // A made-up session cookie is a wrong credential too.
    let cookie = |address: &str| {
        reqwest::Client::new()
            .get(app.url("/api/v1/contacts/overview"))
            .header("cookie", "panorama_session=pns_made_up")
            .header("x-forwarded-for", address)
            .send()
    };
    for _ in 0..4 {
        assert_eq!(cookie("192.0.2.44").await.expect("answers").status(), 401);
    }
    assert_eq!(cookie("192.0.2.44").await.expect("answers").status(), 429);
}

#[tokio::test]
async fn the_users_page_lifts_a_delay_in_both_languages() {
    let app = TestApp::spawn_with_auth(Settings::default(), waiting("")).await;
    user_in(app.store.as_ref(), "bo", Role::Viewer).await;
    for _ in 0..3 {
        assert_eq!(
            sign_in(&app, "bo", "a wrong guess!", None).await.status(),
            401
        );
    }
    for (lang, button) in [("en", "Lift the delay"), ("zh", "解除等待")] {
        let page = app
            .client
            .get(app.url("/users"))
            .header("cookie", format!("panorama_lang={lang}"))
            .send()
            .await
            .expect("answers");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("a page");
        assert!(
            html.contains(button) && html.contains("/users/bo/unlock"),
            "{lang}"
        );
    }
    let lifted = app
        .client
        .post(app.url("/users/bo/unlock"))
        .send()
        .await
        .expect("answers");
    assert!(lifted.status().is_success() || lifted.status().is_redirection());
    let html = app
        .get("/users")
        .await
        .body
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!html.contains("/users/bo/unlock"), "lifted");
    assert_eq!(
        sign_in(&app, "bo", "a long password", None).await.status(),
        303
    );
}

fn assert_retry_after(response: &reqwest::Response) {
    let seconds: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("whole seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");
}
