//! Panorama's HTTP face: the operators' pages, the JSON API under `/api/v1`, its OpenAPI
//! document and Swagger UI.
//!
//! Every handler reaches storage through [`AppState`], which holds the store as
//! `Arc<dyn Store>`: the server never knows which database it talks to.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod error;
mod extract;
pub mod jobs;
mod middleware;
pub mod principal;
mod settings;
pub mod ui;
pub mod uploads;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use panorama_core::Store;
use panorama_core::metadata::Schema;
use std::future::Future;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use extract::{ApiJson, ApiQuery};
pub use principal::{Principal, Role};
pub use settings::{
    BATCH_CONTACTS_MAX, BATCH_EVENTS_MAX, BULK_IDS_MAX, EXPORT_ROWS_MAX, LIST_PAGE_CONTACTS_MAX,
    REQUEST_BODY_BYTES_MAX, SCHEMA_CACHE_SECONDS, Settings, TIME_ZONE_DEFAULT,
    UPLOAD_FIELDS_BYTES_MAX, UPLOADS_KEPT_SECONDS, time_zone, time_zone_default,
};

/// What every handler shares: the store, the settings and the schema in force. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database behind the `Store` seam.
    pub store: Arc<dyn Store>,
    /// HTTP settings.
    pub settings: Settings,
    /// The attribute definitions in force, read once for many requests ([`AppState::schema`]).
    pub schema_cache: Arc<app::SchemaCache>,
    /// Announces finished jobs to requests waiting for them.
    pub jobs: jobs::JobBoard,
    /// Access control: its settings and the per-key rate limits.
    pub auth: Arc<auth::Auth>,
}

impl AppState {
    /// State over `store` with `settings`.
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        let schema_max_age = std::time::Duration::from_secs(settings.schema_cache_seconds);
        Self {
            store,
            settings,
            schema_cache: Arc::new(app::SchemaCache::new(schema_max_age)),
            jobs: jobs::JobBoard::default(),
            auth: Arc::new(auth::Auth::default()),
        }
    }

    /// The attribute definitions in force, as this server keeps them (at most
    /// `schema_cache_seconds` old; a metadata change made here is seen at once). One request
    /// looks them up once and passes them on.
    pub async fn schema(&self) -> panorama_core::Result<Arc<Schema>> {
        self.schema_cache.get(self.store.as_ref()).await
    }
}

/// The whole application: API routes, OpenAPI document, Swagger UI and health check, with the
/// body limit, panic catcher and request tracing around them.
pub fn router(state: AppState) -> Router {
    let body_bytes_max = state.settings.request_body_bytes_max;
    api::router()
        .merge(ui::router())
        // Every matched route passes the guard (rights table, credentials, rate, role) before
        // its handler; unmatched paths fall through to the 404 below.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::guard,
        ))
        .with_state(state)
        .fallback(middleware::not_found)
        // Extractors stop a body that grows past the limit; the import upload route sets its own,
        // larger one (a route's limit overrides this default).
        .layer(DefaultBodyLimit::max(body_bytes_max))
        // Outside the limit layer, so its plain-text 413 comes out as a problem document too.
        .layer(axum::middleware::map_response(move |response| {
            middleware::ensure_problem(response, body_bytes_max)
        }))
        .layer(axum::middleware::from_fn(ui::security::same_origin))
        .layer(axum::middleware::from_fn(ui::friendly_errors))
        .layer(CatchPanicLayer::custom(middleware::panic_problem))
        .layer(axum::middleware::from_fn(ui::security::headers))
        .layer(TraceLayer::new_for_http())
}

/// Serve the application on `listener` until ctrl-c or SIGTERM, then finish open requests.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await
}

/// Serve the application on `listener` until `shutdown` completes, then finish open requests.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Err(error) = jobs::resume(&state).await {
        tracing::warn!(%error, "could not pick up queued jobs");
    }
    // With the peer's address on every request: sign-in and bad credentials are limited per
    // client address (`auth::client_address`).
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Without a signal handler the server runs until its process is killed.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
