//! The browser-test harness: Debian's Chromium driven by chromiumoxide, against Panorama served on
//! 127.0.0.1:0 over a fresh SQLite database filled by the demo generator.

use chromiumoxide::Page;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::cdp::browser_protocol::page::EventLoadEventFired;
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt;
use panorama_core::Store;
use panorama_core::access::{
    API_KEY_PREFIX, ApiKeyName, NewApiKey, NewUser, Password, Role, Secret, UserName,
};
use panorama_server::{AppState, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where Debian installs Chromium (`apt-get install chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The admin every browser test signs in as (through the real sign-in page).
pub const ADMIN_NAME: &str = "admin";
/// Their password.
pub const ADMIN_PASSWORD: &str = "browser-test-password";

/// A running Panorama with its store, stopped when dropped.
pub struct App {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The store the server uses, to compare pages with.
    pub store: Arc<dyn Store>,
    /// An admin API key, for the API calls a test makes beside the pages.
    pub api_key: String,
    _directory: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl App {
    /// Serve a database holding `contacts` demo contacts.
    pub async fn spawn(contacts: u64) -> Self {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", directory.path().join("browser.db").display());
        let store = panorama::database::open(&url)
            .await
            .expect("the store opens");
        panorama::cmd::demo::fill(store.as_ref(), contacts, 11)
            .await
            .expect("the demo fills");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let password = Password::parse(ADMIN_PASSWORD, "password").expect("a password");
        store
            .create_user(NewUser {
                name: UserName::parse(ADMIN_NAME, "name").expect("a name"),
                role: Role::Admin,
                may_reveal: true,
                password_hash: password.hash().expect("a hash"),
                created_at: jiff::Timestamp::now(),
            })
            .await
            .expect("the admin is created");
        let secret = Secret::generate(API_KEY_PREFIX);
        store
            .create_api_key(NewApiKey {
                name: ApiKeyName::parse("browser-tests", "name").expect("a name"),
                role: Role::Admin,
                key_hash: secret.hash(),
                shown: secret.shown(),
                created_by: "test".into(),
                created_at: jiff::Timestamp::now(),
            })
            .await
            .expect("the key is created");
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let state = AppState::new(store.clone(), Settings::default());
        tokio::spawn(panorama_server::serve_until(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            base,
            store,
            api_key: secret.expose().to_owned(),
            _directory: directory,
            _stop: stop,
        }
    }

    /// `GET path` on the API with the admin key, as JSON.
    pub async fn api_json(&self, path: &str) -> serde_json::Value {
        reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .expect("the API answers")
            .json()
            .await
            .expect("JSON")
    }
}

/// A headless Chromium with its own profile, closed when dropped.
pub struct Chromium {
    /// The browser.
    pub browser: Browser,
    _profile: tempfile::TempDir,
    handler: tokio::task::JoinHandle<()>,
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.handler.abort();
    }
}

/// Start Chromium, or `None` when it is not installed. With `CI` set a missing Chromium is a
/// failure, never a silent skip.
pub async fn chromium() -> Option<Chromium> {
    if !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {CHROMIUM} is missing: `.ci/run` installs it"
        );
        eprintln!(
            "skipping the browser test: {CHROMIUM} is not installed (apt-get install chromium)"
        );
        return None;
    }
    let profile = tempfile::tempdir().expect("a profile directory");
    // The flags that work on these machines (ENGINEERING.md): no sandbox as root, and no
    // background connections to a network that is closed.
    let config = BrowserConfig::builder()
        .chrome_executable(CHROMIUM)
        .no_sandbox()
        .user_data_dir(profile.path())
        .window_size(1366, 900)
        .viewport(None)
        .args([
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--lang=en-US",
        ])
        .build()
        .expect("a browser configuration");
    let (browser, mut handler) = Browser::launch(config).await.expect("Chromium starts");
    let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
    Some(Chromium {
        browser,
        _profile: profile,
        handler,
    })
}

impl Chromium {
    /// Open `url` in a new tab and wait for it to load.
    pub async fn open(&self, url: &str) -> Page {
        let page = self.browser.new_page(url).await.expect("the page opens");
        page.wait_for_navigation().await.expect("the page loads");
        // The first page of a browser lands on the sign-in page; the profile keeps the session
        // cookie for every later page.
        let landed = page.url().await.ok().flatten().unwrap_or_default();
        if landed.contains("/sign-in") {
            type_into(&page, "input[name=name]", ADMIN_NAME).await;
            type_into(&page, "input[name=password]", ADMIN_PASSWORD).await;
            click_and_wait(&page, ".sign-in button[type=submit]").await;
        }
        page
    }
}

/// The trimmed text of the first element matching `selector`. Read through JavaScript rather
/// than a DOM node handle, so it always sees the document now shown.
pub async fn text(page: &Page, selector: &str) -> String {
    let quoted = serde_json::to_string(selector).expect("a selector");
    let found: String = eval(
        page,
        &format!("JSON.stringify(document.querySelector({quoted})?.innerText ?? null)"),
    )
    .await;
    let found: Option<String> = serde_json::from_str(&found).expect("JSON from the page");
    found
        .unwrap_or_else(|| panic!("no `{selector}` on the page"))
        .trim()
        .to_owned()
}

/// The value of a JavaScript expression.
pub async fn eval<T: serde::de::DeserializeOwned>(page: &Page, expression: &str) -> T {
    page.evaluate(expression)
        .await
        .expect("the expression runs")
        .into_value()
        .expect("a value of the expected type")
}

/// Save a full-page screenshot under `target/screenshots/` for a person to look at.
pub async fn screenshot(page: &Page, name: &str) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&folder).expect("the screenshot folder");
    let path = folder.join(format!("{name}.png"));
    page.save_screenshot(ScreenshotParams::builder().full_page(true).build(), &path)
        .await
        .expect("a screenshot");
    path
}

/// Longest wait for a page to load after a click, in seconds.
pub const PAGE_LOAD_SECONDS_MAX: u64 = 20;

/// Click the first element matching `selector` and wait for the page it leads to to load. The
/// load event is subscribed to before the click, so a fast server cannot be missed.
pub async fn click_and_wait(page: &Page, selector: &str) {
    let mut loads = page
        .event_listener::<EventLoadEventFired>()
        .await
        .expect("load events");
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("no `{selector}` to click: {e}"))
        .click()
        .await
        .expect("a click");
    tokio::time::timeout(
        std::time::Duration::from_secs(PAGE_LOAD_SECONDS_MAX),
        loads.next(),
    )
    .await
    .unwrap_or_else(|_| panic!("no page loaded after clicking `{selector}`"));
}

/// Focus the field `selector` and type `text` into it, any script included (CDP `insertText`,
/// as an input method does for Chinese).
pub async fn type_into(page: &Page, selector: &str, text: &str) {
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("no `{selector}` to type into: {e}"))
        .click()
        .await
        .expect("focus");
    page.execute(InsertTextParams::new(text))
        .await
        .expect("typed");
}
