//! The acting principal: who makes a request, and with which role.
//!
//! Every handler takes a [`Principal`]: the guard in `auth/` has already authenticated it and
//! checked the route's rights; handlers check finer rules (`require`, `can_reveal`) themselves.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use panorama_core::{Error, ErrorKind};

/// The roles of PRODUCT.md §8, shared with the store and the CLI.
pub use panorama_core::access::Role;

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// User or API key name, as recorded in logs and audit entries.
    pub name: String,
    /// What the principal may do.
    pub role: Role,
    /// Whether an admin granted this user the right to reveal masked values one at a time
    /// (audited). Admins see everything unmasked anyway; viewers never get it.
    pub may_reveal: bool,
}

/// Name of the built-in administrator that acts while access control does not exist.
pub const LOCAL_ADMIN: &str = "local-admin";

impl Principal {
    /// The built-in local administrator.
    pub fn local_admin() -> Self {
        Self {
            name: LOCAL_ADMIN.to_owned(),
            role: Role::Admin,
            may_reveal: true,
        }
    }

    /// Whether this principal sees `mobile` and `email` values as stored. Everyone else sees
    /// them masked (`138****5678`, `z***@example.com`) on every route, page and export.
    pub fn sees_unmasked(&self) -> bool {
        self.role == Role::Admin
    }

    /// How this principal's searches and list filters match: masked values only whole unless it
    /// may read or reveal them (issue 21: a search must not unmask digit by digit).
    pub fn search_mode(&self) -> panorama_core::contact::SearchMode {
        panorama_core::contact::SearchMode::for_principal(self.sees_unmasked(), self.can_reveal())
    }

    /// Whether this principal may reveal one masked value (an audited act): admins, and
    /// marketers an admin granted it to. Never viewers.
    pub fn can_reveal(&self) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Marketer => self.may_reveal,
            Role::Viewer => false,
        }
    }

    /// Refuse with a 403 problem unless the principal holds at least `role`.
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        self.check(role).map_err(ApiError::from)
    }

    /// Refuse with a forbidden error unless the principal holds at least `role`; pages and the
    /// API present it each in their own way.
    pub fn check(&self, role: Role) -> Result<(), Error> {
        if self.role >= role {
            return Ok(());
        }
        Err(Error {
            kind: ErrorKind::Forbidden,
            code: panorama_core::codes::FORBIDDEN,
            detail: format!(
                "this needs the {} role; `{}` is a {}",
                role.as_str(),
                self.name,
                self.role.as_str()
            ),
            field: None,
            value: None,
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    /// The principal the guard (`auth::guard`) authenticated and checked against the rights
    /// table. A handler on a route the guard let through without one (a public route) gets a
    /// 401: it fails closed.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Self>().cloned().ok_or_else(|| {
            ApiError::with_status(
                axum::http::StatusCode::UNAUTHORIZED,
                crate::auth::unauthenticated("sign in, or send an API key"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        let viewer = Principal {
            name: "v".into(),
            role: Role::Viewer,
            may_reveal: false,
        };
        assert!(viewer.require(Role::Viewer).is_ok());
        let refused = viewer
            .require(Role::Admin)
            .expect_err("viewer is not admin");
        assert_eq!(refused.status.as_u16(), 403);
        assert!(Principal::local_admin().require(Role::Admin).is_ok());
    }
}
