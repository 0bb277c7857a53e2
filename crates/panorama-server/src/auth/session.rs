//! The session cookie: a random token (only its hash is stored) that scripts cannot read
//! (`HttpOnly`), that other sites' forms do not carry (`SameSite=Lax`), and that travels only
//! over TLS (`Secure`) whenever the request came over TLS through a proxy that says so.

use axum::http::{HeaderMap, HeaderValue};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "panorama_session";

/// The session token a request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// `Set-Cookie` for a new session lasting `seconds`.
pub fn session_cookie(token: &str, seconds: i64, headers: &HeaderMap) -> HeaderValue {
    cookie(token, seconds, headers)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(headers: &HeaderMap) -> HeaderValue {
    cookie("", 0, headers)
}

fn cookie(value: &str, seconds: i64, headers: &HeaderMap) -> HeaderValue {
    let secure = if over_tls(headers) { "; Secure" } else { "" };
    let text = format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={seconds}; HttpOnly; SameSite=Lax{secure}"
    );
    // The token is hex and the rest is ours: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Whether the browser reached us over TLS: Panorama serves plain HTTP itself, so only a TLS
/// proxy in front can say so (`X-Forwarded-Proto: https` or `Forwarded: proto=https`). A forged
/// header only makes the cookie stricter, so it need not be trusted further.
fn over_tls(headers: &HeaderMap) -> bool {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_ascii_lowercase)
    };
    text("x-forwarded-proto").is_some_and(|proto| proto.trim() == "https")
        || text("forwarded").is_some_and(|forwarded| forwarded.contains("proto=https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_and_flagged() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            HeaderValue::from_static("panorama_lang=en; panorama_session=pns_abc"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("pns_abc"));
        let plain = session_cookie("pns_abc", 60, &headers);
        let plain = plain.to_str().expect("ascii");
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let secure = clear_cookie(&headers);
        assert!(secure.to_str().expect("ascii").ends_with("; Secure"));
        assert!(secure.to_str().expect("ascii").contains("Max-Age=0"));
    }
}
