//! Security headers on every response, and the same-origin rule for every page form.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The page policy: our own scripts, styles and images only; no inline script; no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Add the usual security headers (and `Cache-Control: no-store` unless a response sets its own
/// caching); the content policy goes on everything but the Swagger UI,
/// whose bundled page carries inline code we do not control.
pub async fn headers(request: Request, next: Next) -> Response {
    let swagger = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    // Pages and answers carry personal data: no cache may keep them, unless the response says
    // otherwise (our static files do).
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !swagger {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    response
}

/// Refuse a state-changing page request that a browser says came from another site. Browsers
/// send `Sec-Fetch-Site` and `Origin` with every form post; a request without them (a script, a
/// test client) is not a cross-site forgery, since forgery needs a victim's browser.
pub async fn same_origin(request: Request, next: Next) -> Response {
    let is_page_write = request.method() != Method::GET
        && request.method() != Method::HEAD
        && !request.uri().path().starts_with("/api/");
    if is_page_write && is_cross_site(request.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "This form was sent from another site and was refused.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether a request positively shows it came from one of our own pages: the browser says
/// `Sec-Fetch-Site: same-origin` (or `none`, typed by the user), or sends an `Origin` naming this
/// host. Signed-in changes need this; together with the `SameSite=Lax` session cookie it is the
/// cross-site request protection of every form and every script call (OWASP's "verifying origin
/// with standard headers"), with no token to thread through each form.
pub fn proves_same_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
        _ => false,
    }
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    header::HeaderName::from_static(k),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn cross_site_posts_are_recognised() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "panorama.local")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://panorama.local"),
            ("host", "panorama.local")
        ])));
        assert!(!is_cross_site(&HeaderMap::new()));
        assert!(!proves_same_origin(&HeaderMap::new()));
        assert!(proves_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!proves_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(proves_same_origin(&headers(&[
            ("origin", "http://panorama.local"),
            ("host", "panorama.local")
        ])));
    }
}
