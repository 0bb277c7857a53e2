//! What every operation of the API shares, written into the OpenAPI document in one place: the
//! credentials it takes and the statuses that the guard and the extractors answer before any
//! handler runs. Each handler's own attribute lists only what the handler itself answers.
//!
//! The same document tells the guard which methods each API path has, so that a method no route
//! serves is a 405 naming the methods that are (`Allow`), before credentials are even looked at.

use crate::auth::{Access, SESSION_COOKIE, required};
use crate::error::{ApiError, PROBLEM_CONTENT_TYPE};
use crate::principal::Role;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::OnceLock;
use utoipa::openapi::content::Content;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::Response as DocResponse;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ComponentsBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Type};

/// The security scheme of API keys (`Authorization: Bearer KEY`).
const API_KEY_SCHEME: &str = "api_key";
/// The security scheme of the web pages' session cookie.
const SESSION_SCHEME: &str = "session";

/// Complete `openapi` with what the guard and the extractors answer, for every operation.
pub(super) fn complete(openapi: &mut OpenApi) {
    let components = openapi
        .components
        .get_or_insert_with(|| ComponentsBuilder::new().build());
    components.add_security_scheme(
        API_KEY_SCHEME,
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    components.add_security_scheme(
        SESSION_SCHEME,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(SESSION_COOKIE))),
    );
    let no_scopes: [&str; 0] = [];
    for (path, item) in openapi.paths.paths.iter_mut() {
        for (method, operation) in operations(item) {
            let access = required(&method, path);
            shared_statuses(operation, &method, access);
            if matches!(access, Some(Access::Role(_))) {
                operation.security = Some(vec![
                    SecurityRequirement::new(API_KEY_SCHEME, no_scopes),
                    SecurityRequirement::new(SESSION_SCHEME, no_scopes),
                ]);
            }
            // A response without a description is invalid OpenAPI; the status's phrase is true.
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|code| StatusCode::from_u16(code).ok())
                        .and_then(|code| code.canonical_reason())
                        .unwrap_or("The answer")
                        .to_owned();
                }
            }
        }
    }
}

/// The operations of a path item, with their methods.
fn operations(item: &mut utoipa::openapi::PathItem) -> Vec<(Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
        (Method::HEAD, item.head.as_mut()),
        (Method::OPTIONS, item.options.as_mut()),
        (Method::TRACE, item.trace.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|operation| (method, operation)))
    .collect()
}

/// Add the statuses answered before the handler, unless the handler's attribute says them.
fn shared_statuses(operation: &mut Operation, method: &Method, access: Option<Access>) {
    let json_body = operation.request_body.as_ref().is_some_and(
        |body| matches!(body, RefOr::T(body) if body.content.contains_key("application/json")),
    );
    let has_parameters = operation
        .parameters
        .as_ref()
        .is_some_and(|parameters| !parameters.is_empty());
    // Handlers parse every path parameter at the edge (a contact's UUID, a label's number, a
    // name or key through core's text rule): one that does not parse, or holds a control
    // character, is a 422 naming it before anything is looked up.
    let path_parameter = operation.parameters.iter().flatten().any(|parameter| {
        matches!(parameter, RefOr::T(parameter) if parameter.parameter_in == ParameterIn::Path)
    });
    let writes = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut add = |status: u16, description: &str, header: Option<(&str, &str)>| {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(problem(description, header)));
    };
    if json_body || has_parameters || operation.request_body.is_some() {
        add(
            400,
            "The request is malformed: not JSON, or a parameter of the wrong type",
            None,
        );
    }
    if path_parameter {
        add(
            422,
            "A path id or a parameter does not parse (`invalid_value`, naming it)",
            None,
        );
    }
    if json_body {
        add(
            413,
            "The body is larger than `request_body_bytes_max`",
            None,
        );
        add(415, "The body is not sent as `application/json`", None);
        add(422, "The body does not have the expected shape", None);
    }
    if let Some(Access::Role(role)) = access {
        add(
            401,
            "No credentials, or an unknown, expired or revoked API key or session",
            Some(("WWW-Authenticate", "How to authenticate: `Bearer`")),
        );
        // Session writes must come from Panorama's own pages; a role may be too low.
        if role != Role::Viewer || writes {
            add(403, "The caller's role does not allow this", None);
        }
        add(
            429,
            "This API key is over its request rate",
            Some(("Retry-After", "Seconds to wait before the next request")),
        );
    }
}

/// A problem-document response with `description`, and the header it always carries.
fn problem(description: &str, header: Option<(&str, &str)>) -> DocResponse {
    let mut response = DocResponse::new(description);
    response.content.insert(
        PROBLEM_CONTENT_TYPE.to_owned(),
        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
    );
    if let Some((name, about)) = header {
        let mut header = Header::new(ObjectBuilder::new().schema_type(Type::String));
        header.description = Some(about.to_owned());
        response.headers.insert(name.to_owned(), RefOr::T(header));
    }
    response
}

/// The methods each documented path is served with (`GET` also answers `HEAD`).
fn routed() -> &'static HashMap<String, Vec<Method>> {
    static ROUTED: OnceLock<HashMap<String, Vec<Method>>> = OnceLock::new();
    ROUTED.get_or_init(|| {
        let mut openapi = super::openapi();
        openapi
            .paths
            .paths
            .iter_mut()
            .map(|(path, item)| {
                let methods = operations(item).into_iter().map(|(m, _)| m).collect();
                (path.clone(), methods)
            })
            .collect()
    })
}

/// A 405 problem for a method no route of this documented path serves; `None` for the others.
pub(crate) fn method_not_allowed(method: &Method, route: &str) -> Option<Response> {
    let methods = routed().get(route)?;
    let served =
        |m: &Method| methods.contains(m) || (*m == Method::HEAD && methods.contains(&Method::GET));
    if served(method) {
        return None;
    }
    let mut allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
    if methods.contains(&Method::GET) {
        allow.push("HEAD");
    }
    let allow = allow.join(", ");
    let error = ApiError::bad_request(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{route} does not accept {method}; it accepts {allow}"),
    );
    let mut response = error.into_response();
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    Some(response)
}
