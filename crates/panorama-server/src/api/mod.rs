//! The JSON API: one module per resource, assembled into one router whose routes are also the
//! OpenAPI document (`GET /api/openapi.json`, browsable at `/api/docs`).

mod access;
mod attributes;
pub mod behaviour;
mod contacts;
mod document;
pub mod dto;
mod event_definitions;
mod events;
mod health;
mod imports;
mod labels;
mod merges;
mod subscription;
mod views;
mod wechat;

use crate::AppState;
use crate::error::Problem;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/openapi.json";
/// Where Swagger UI is served.
pub const DOCS_PATH: &str = "/api/docs";

/// The document's fixed parts; paths and schemas come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Panorama API",
        description = "Contacts, their attributes, consent and events. Errors are RFC 9457 \
            problem documents (`application/problem+json`) with a stable `code`."
    ),
    components(schemas(Problem)),
    tags(
        (name = "attributes", description = "Contact attribute definitions"),
        (name = "event-definitions", description = "Event definitions"),
        (name = "contacts", description = "Contacts: upsert, read, list, delete"),
        (name = "events", description = "Events: ingest, a contact's timeline, download, calendar and orders"),
        (name = "consent", description = "A contact's subscription status, explicit opt-in and opt-out, consent history"),
        (name = "labels", description = "Contact labels in groups, and the labels of one contact"),
        (name = "wechat", description = "WeChat official accounts, fans and follower labels"),
        (name = "imports", description = "Imports: upload and preview, start, progress, rejected rows, history"),
        (name = "access", description = "The caller, users, API keys and the audit log (admins)"),
        (name = "health", description = "Liveness"),
    )
)]
struct ApiDoc;

/// Every API route with its documentation, before state is attached.
pub fn router() -> Router<AppState> {
    let (router, openapi) = documented();
    router.merge(SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, openapi))
}

/// The OpenAPI document of the API, as served at [`OPENAPI_PATH`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

pub(crate) use document::method_not_allowed;

/// The routes and their document, completed with what every operation shares.
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = routes().split_for_parts();
    document::complete(&mut openapi);
    (router, openapi)
}

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(attributes::routes())
        .merge(event_definitions::routes())
        .merge(contacts::routes())
        .merge(events::routes())
        .merge(merges::routes())
        .merge(behaviour::routes())
        .merge(subscription::routes())
        .merge(labels::routes())
        .merge(wechat::routes())
        .merge(imports::routes())
        .merge(views::routes())
        .merge(access::routes())
        .merge(health::routes())
}
