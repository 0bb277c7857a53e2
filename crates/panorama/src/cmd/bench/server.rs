//! The server a benchmark drives over HTTP: on 127.0.0.1:0, stopped when dropped, with an admin
//! API key that no rate limit slows, and a client that sends it (pages accept keys too).

use panorama_core::Store;
use panorama_core::access::{API_KEY_PREFIX, ApiKeyName, NewApiKey, Role, Secret};
use panorama_server::auth::{Auth, AuthSettings};
use panorama_server::{AppState, Settings};
use std::sync::Arc;

/// A running benchmark server.
pub struct BenchServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A client whose every request carries the admin key.
    pub client: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Serve `store` with `settings` until the returned value is dropped.
pub async fn serve(store: Arc<dyn Store>, settings: Settings) -> anyhow::Result<BenchServer> {
    let secret = Secret::generate(API_KEY_PREFIX);
    let name = format!("bench-{}", jiff::Timestamp::now().as_nanosecond());
    store
        .create_api_key(NewApiKey {
            name: ApiKeyName::parse(&name, "name")?,
            role: Role::Admin,
            key_hash: secret.hash(),
            shown: secret.shown(),
            created_by: "bench".into(),
            created_at: jiff::Timestamp::now(),
        })
        .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let mut state = AppState::new(store, settings);
    // A benchmark measures the server, not the rate limit a real key has.
    state.auth = Arc::new(Auth::new(AuthSettings {
        api_key_requests_per_second: u32::MAX,
        api_key_burst_requests: u32::MAX,
        ..AuthSettings::default()
    }));
    let (stop, stopped) = tokio::sync::oneshot::channel();
    tokio::spawn(panorama_server::serve_until(listener, state, async {
        let _ = stopped.await;
    }));
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {}", secret.expose()).parse()?,
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()?;
    Ok(BenchServer {
        base,
        client,
        _stop: stop,
    })
}
