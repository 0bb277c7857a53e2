//! The rights table (PRODUCT.md §8): which role each route needs, in one place. The guard looks
//! every request up here by its matched route; a route missing from the table is refused, so a
//! new route is closed until someone decides who may use it.
//!
//! In short: viewers read (masked); marketers also write contacts, events, labels, consent and
//! imports and export (masked); admins also change metadata, delete, manage users and keys and
//! read the audit log.

use crate::principal::Role;
use axum::http::Method;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: sign-in, health, static files, the API's documentation.
    Public,
    /// A principal with at least this role.
    Role(Role),
}

use Access::{Public, Role as At};
use Role::{Admin, Marketer, Viewer};

/// `(method, route, access)`, first match wins. `*` as method matches any; a route ending in
/// `/*` matches itself and everything below it.
pub const RIGHTS: &[(&str, &str, Access)] = &[
    // Open to all.
    ("GET", "/healthz", Public),
    ("GET", "/api/openapi.json", Public),
    ("GET", "/api/docs/*", Public),
    ("GET", "/static/*", Public),
    ("GET", "/lang/{code}", Public),
    ("GET", "/sign-in", Public),
    ("POST", "/sign-in", Public),
    ("POST", "/sign-out", At(Viewer)),
    // Administration: users, keys, the audit log.
    ("*", "/api/v1/users/*", At(Admin)),
    ("*", "/api/v1/api-keys/*", At(Admin)),
    ("*", "/api/v1/audit/*", At(Admin)),
    ("*", "/users/*", At(Admin)),
    ("*", "/audit/*", At(Admin)),
    ("GET", "/api/v1/me", At(Viewer)),
    // Metadata: everyone reads, admins change.
    ("GET", "/api/v1/attributes/*", At(Viewer)),
    ("*", "/api/v1/attributes/*", At(Admin)),
    ("GET", "/api/v1/event-definitions/*", At(Viewer)),
    ("*", "/api/v1/event-definitions/*", At(Admin)),
    ("GET", "/metadata/attributes/{name}/delete", At(Admin)),
    // The rename forms: only admins may save them, so only admins are shown them.
    ("GET", "/metadata/attributes/{name}", At(Admin)),
    ("GET", "/metadata/events/{key}", At(Admin)),
    ("GET", "/metadata/*", At(Viewer)),
    ("POST", "/metadata/*", At(Admin)),
    // Contacts.
    ("GET", "/api/v1/contacts/export", At(Marketer)),
    ("DELETE", "/api/v1/contacts/{contact_id}", At(Admin)),
    ("POST", "/api/v1/contacts/{contact_id}/reveal", At(Marketer)),
    ("GET", "/api/v1/contacts/*", At(Viewer)),
    ("*", "/api/v1/contacts/*", At(Marketer)),
    ("POST", "/api/v1/events", At(Marketer)),
    ("POST", "/api/v1/merges/{merge_id}/undo", At(Marketer)),
    ("GET", "/api/v1/views/contacts", At(Viewer)),
    ("PUT", "/api/v1/views/contacts", At(Viewer)),
    ("GET", "/", At(Viewer)),
    ("*", "/contacts/{id}/delete", At(Admin)),
    ("POST", "/contacts/{id}/values/{name}", At(Admin)),
    ("GET", "/contacts/new", At(Marketer)),
    ("GET", "/contacts/{id}/subscription/{channel}", At(Marketer)),
    ("GET", "/contacts/*", At(Viewer)),
    ("POST", "/contacts/*", At(Marketer)),
    // Labels and WeChat: everyone reads, marketers label, admins connect accounts.
    ("GET", "/api/v1/labels/*", At(Viewer)),
    ("*", "/api/v1/labels/*", At(Marketer)),
    ("*", "/api/v1/label-groups/*", At(Marketer)),
    ("GET", "/api/v1/wechat-accounts/*", At(Viewer)),
    (
        "*",
        "/api/v1/wechat-accounts/{app_id}/labels/*",
        At(Marketer),
    ),
    ("*", "/api/v1/wechat-accounts/*", At(Admin)),
    ("POST", "/labels/wechat", At(Admin)),
    ("GET", "/labels/{id}/delete", At(Marketer)),
    ("GET", "/labels/*", At(Viewer)),
    ("POST", "/labels/*", At(Marketer)),
    // Imports hold files' raw rows (unmasked values): marketers and admins only.
    ("*", "/api/v1/imports/*", At(Marketer)),
    ("*", "/imports/*", At(Marketer)),
];

/// The access a request needs, by its method and matched route; `None` when the table does
/// not list it (the guard refuses it).
pub fn required(method: &Method, route: &str) -> Option<Access> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    RIGHTS
        .iter()
        .find(|(m, pattern, _)| (*m == "*" || *m == method) && matches(pattern, route))
        .map(|(_, _, access)| *access)
}

fn matches(pattern: &str, route: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(prefix) => {
            route == prefix || (route.starts_with(prefix) && route[prefix.len()..].starts_with('/'))
        }
        None => pattern == route,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(method: Method, route: &str) -> Option<Access> {
        required(&method, route)
    }

    #[test]
    fn the_table_says_what_product_md_says() {
        assert_eq!(at(Method::GET, "/api/v1/contacts"), Some(At(Viewer)));
        assert_eq!(at(Method::HEAD, "/contacts/{id}"), Some(At(Viewer)));
        assert_eq!(at(Method::POST, "/api/v1/contacts"), Some(At(Marketer)));
        assert_eq!(
            at(Method::DELETE, "/api/v1/contacts/{contact_id}"),
            Some(At(Admin))
        );
        assert_eq!(
            at(Method::GET, "/api/v1/contacts/export"),
            Some(At(Marketer))
        );
        assert_eq!(at(Method::POST, "/api/v1/attributes"), Some(At(Admin)));
        assert_eq!(at(Method::GET, "/api/v1/audit"), Some(At(Admin)));
        assert_eq!(at(Method::POST, "/contacts/{id}/delete"), Some(At(Admin)));
        assert_eq!(at(Method::GET, "/static/app.js"), Some(Public));
        assert_eq!(at(Method::POST, "/static/app.js"), None);
        assert_eq!(at(Method::GET, "/api/v1/contactsx"), None);
        assert_eq!(at(Method::GET, "/nowhere"), None);
    }
}
