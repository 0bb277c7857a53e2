//! `TestApp`: the real server on a random port over a fresh database (a SQLite file, or a
//! PostgreSQL database in the `api_postgres` test binary), with typed helpers.

use panorama_core::Store;
use panorama_core::access::{API_KEY_PREFIX, ApiKeyName, NewApiKey, Role, Secret};
use panorama_server::app::SchemaCache;
use panorama_server::auth::{Auth, AuthSettings};
use panorama_server::{AppState, Settings};
use panorama_store_postgres::testing::TestDatabase;
use panorama_store_sqlite::SqliteStore;
use reqwest::Url;
use serde_json::{Value as Json, json};
use std::sync::Arc;

/// A running server and a client for it, acting with an admin API key unless made to act as
/// someone else ([`TestApp::acting_as`]). The database lives as long as any clone.
#[derive(Clone)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// HTTP client; its default `Authorization` header is this app's credentials.
    pub client: reqwest::Client,
    /// The store behind the server, for setting up what no route creates (keys, users).
    pub store: Arc<dyn Store>,
    /// The server's cached schema, to count its reads.
    #[allow(dead_code)] // read by some tests only
    pub schema: Arc<SchemaCache>,
    _database: Arc<Database>,
}

/// The database a test runs on: which backend is the test binary's choice (`crate::BACKEND`).
#[allow(dead_code)] // each test binary picks one
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A database of its own on the PostgreSQL server `PANORAMA_TEST_POSTGRES_URL` names.
    Postgres,
}

/// What keeps a test's database alive; dropping it removes the database.
pub enum Database {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(#[allow(dead_code)] TestDatabase),
}

/// A fresh, migrated store of the test binary's backend.
pub async fn fresh_store() -> (Arc<dyn Store>, Database) {
    match crate::BACKEND {
        Backend::Sqlite => {
            let directory = tempfile::tempdir().expect("temporary directory");
            let path = directory.path().join("panorama.db");
            let store = SqliteStore::open(&format!("sqlite://{}", path.display()))
                .await
                .expect("open the store");
            panorama_core::store::MetadataStore::migrate(&store)
                .await
                .expect("migrate the store");
            (Arc::new(store), Database::Sqlite(directory))
        }
        Backend::Postgres => {
            let (store, database) = TestDatabase::store().await.expect(
                "PostgreSQL for the API tests: set PANORAMA_TEST_POSTGRES_URL (see README)",
            );
            (Arc::new(store), Database::Postgres(database))
        }
    }
}

/// A response, read whole: status, content type and the body as JSON (a string if not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Json,
}

impl Reply {
    /// The body field at `pointer` (`/contact/contact_id`) as a string; panics if absent.
    pub fn text(&self, pointer: &str) -> String {
        match self.body.pointer(pointer) {
            Some(Json::String(text)) => text.clone(),
            other => panic!("no string at {pointer} in {}: {other:?}", self.body),
        }
    }

    /// Assert an RFC 9457 problem with this status, code, field and (if given) value.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str, field: &str, value: Option<&str>) {
        self.assert_problem_status(status, code);
        assert_eq!(self.body["field"], json!(field), "{}", self.body);
        if let Some(value) = value {
            assert_eq!(self.body["value"], json!(value), "{}", self.body);
        }
    }

    /// Assert a problem with this status and code, whatever its field.
    #[track_caller]
    pub fn assert_problem_status(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "status of {}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "{}",
            self.body
        );
        assert_eq!(self.body["status"], json!(status), "{}", self.body);
        assert_eq!(self.body["code"], json!(code), "{}", self.body);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string());
        assert!(self.body["type"].is_string(), "{}", self.body);
    }
}

impl TestApp {
    /// A server with default settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(Settings::default()).await
    }

    /// A server with the given settings over a fresh, migrated database. API keys and client
    /// addresses are held to rates no test reaches, except where a test sets them
    /// ([`TestApp::spawn_with_auth`]): every test's requests come from 127.0.0.1.
    pub async fn spawn_with(settings: Settings) -> Self {
        let unlimited = AuthSettings {
            api_key_requests_per_second: 1_000_000,
            api_key_burst_requests: 1_000_000,
            sign_in_attempts_per_minute: 1_000_000,
            bad_credentials_per_minute: 1_000_000,
            ..AuthSettings::default()
        };
        Self::spawn_with_auth(settings, unlimited).await
    }

    /// A server with the given HTTP and access settings.
    pub async fn spawn_with_auth(settings: Settings, auth: AuthSettings) -> Self {
        let (store, database) = fresh_store().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port");
        let address = format!("http://{}", listener.local_addr().expect("local address"));
        let mut state = AppState::new(store.clone(), settings);
        state.auth = Arc::new(Auth::new(auth));
        let schema = state.schema_cache.clone();
        tokio::spawn(panorama_server::serve_until(
            listener,
            state,
            std::future::pending(),
        ));
        let mut app = Self {
            address,
            client: reqwest::Client::new(),
            store,
            schema,
            _database: Arc::new(database),
        };
        let key = app.key(Role::Admin).await;
        app.client = client_with(Some(&key));
        app
    }

    /// A new API key with `role`, in clear.
    pub async fn key(&self, role: Role) -> String {
        key_in(self.store.as_ref(), role).await
    }

    /// The same server, acting with API key `key` (`None`: no credentials at all).
    pub fn acting_as(&self, key: Option<&str>) -> Self {
        Self {
            client: client_with(key),
            ..self.clone()
        }
    }

    /// The same server, acting with a new key of `role`.
    pub async fn as_role(&self, role: Role) -> Self {
        let key = self.key(role).await;
        self.acting_as(Some(&key))
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("{}{path}", self.address)).expect("a valid URL")
    }

    /// Send a request and read the reply whole.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("a readable body");
        let body = serde_json::from_str(&text).unwrap_or(Json::String(text));
        Reply {
            status,
            content_type,
            body,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path))).await
    }

    /// `GET path?key=value&...`, the pairs URL-encoded.
    pub async fn get_query(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        let mut url = self.url(path);
        url.query_pairs_mut().extend_pairs(pairs);
        self.send(self.client.get(url)).await
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &Json) -> Reply {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    /// `PATCH path` with a JSON body.
    pub async fn patch_json(&self, path: &str, body: &Json) -> Reply {
        self.send(self.client.patch(self.url(path)).json(body))
            .await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.client.delete(self.url(path))).await
    }

    /// Upsert one contact from its attribute values.
    pub async fn upsert(&self, attributes: Json) -> Reply {
        self.post_json("/api/v1/contacts", &json!({ "attributes": attributes }))
            .await
    }

    /// The contact with `contact_id`, asserting it exists.
    pub async fn contact(&self, contact_id: &str) -> Json {
        let reply = self.get(&format!("/api/v1/contacts/{contact_id}")).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body
    }

    /// The contact holding a key value, or the reply if there is none.
    pub async fn lookup(&self, attribute: &str, value: &str) -> Reply {
        self.get_query(
            "/api/v1/contacts/lookup",
            &[("attribute", attribute), ("value", value)],
        )
        .await
    }

    /// The overview counts.
    pub async fn overview(&self) -> Json {
        let reply = self.get("/api/v1/contacts/overview").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body
    }

    /// A contact's latest events.
    pub async fn events(&self, contact_id: &str) -> Vec<Json> {
        let reply = self
            .get(&format!("/api/v1/contacts/{contact_id}/events?limit=1000"))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }

    /// Create a custom attribute, asserting success.
    pub async fn create_attribute(&self, definition: Json) -> Json {
        let reply = self.post_json("/api/v1/attributes", &definition).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body
    }
}

/// A new API key with `role` in `store`, in clear.
pub async fn key_in(store: &dyn Store, role: Role) -> String {
    let secret = Secret::generate(API_KEY_PREFIX);
    let name = format!("test-{}-{}", role.as_str(), uuid::Uuid::now_v7().simple());
    store
        .create_api_key(NewApiKey {
            name: ApiKeyName::parse(&name, "name").expect("a key name"),
            role,
            key_hash: secret.hash(),
            shown: secret.shown(),
            created_by: "test".into(),
            created_at: jiff::Timestamp::now(),
        })
        .await
        .expect("create a key");
    secret.expose().to_owned()
}

/// A new user with `role` in `store` (password `a long password`).
pub async fn user_in(store: &dyn Store, name: &str, role: Role) -> panorama_core::access::User {
    let password =
        panorama_core::access::Password::parse("a long password", "password").expect("a password");
    store
        .create_user(panorama_core::access::NewUser {
            name: panorama_core::access::UserName::parse(name, "name").expect("a name"),
            role,
            may_reveal: false,
            password_hash: password.hash().expect("a hash"),
            created_at: jiff::Timestamp::now(),
        })
        .await
        .expect("create a user")
}

/// The session token of a new user `name` with `role` in `store`, signed in for an hour.
pub async fn session_in(store: &dyn Store, name: &str, role: Role) -> String {
    let user = user_in(store, name, role).await;
    let token = Secret::generate(panorama_core::access::SESSION_PREFIX);
    let now = jiff::Timestamp::now();
    store
        .create_session(panorama_core::access::NewSession {
            token_hash: token.hash(),
            user_id: user.user_id,
            created_at: now,
            expires_at: now + jiff::SignedDuration::from_hours(1),
        })
        .await
        .expect("a session");
    token.expose().to_owned()
}

/// A client sending `key` as a bearer token with every request.
pub fn client_with(key: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(key) = key {
        let value = format!("Bearer {key}");
        headers.insert(
            reqwest::header::AUTHORIZATION,
            value.parse().expect("a header value"),
        );
    }
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("an HTTP client")
}
