//! Who is asking, and may they: credentials (an API key or a session cookie) become a
//! [`Principal`](crate::principal::Principal); the rights table says which role each route
//! needs; the guard enforces both on every route before any handler runs; API keys are held to
//! a request rate.

mod credentials;
mod guard;
mod rate;
mod rights;
mod session;

pub use credentials::{Via, unauthenticated, user_principal};
pub use guard::guard;
pub use rights::{Access, RIGHTS, required};
pub use session::{SESSION_COOKIE, clear_cookie, session_cookie, session_token};

use rate::KeyLimiter;

/// API keys' default rate: requests per second, sustained.
pub const API_KEY_REQUESTS_PER_SECOND: u32 = 20;
/// API keys' default burst: requests accepted at once above the sustained rate.
pub const API_KEY_BURST_REQUESTS: u32 = 40;
/// How long a web session lasts, in seconds, whatever happens (12 hours: a working day).
pub const SESSION_SECONDS_MAX: i64 = 12 * 60 * 60;

/// The tunable parts of access control.
#[derive(Debug, Clone, Copy)]
pub struct AuthSettings {
    /// Requests per second each API key may make, sustained.
    pub api_key_requests_per_second: u32,
    /// Requests above that rate each key may make at once.
    pub api_key_burst_requests: u32,
    /// Lifetime of a web session, in seconds.
    pub session_seconds_max: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            api_key_requests_per_second: API_KEY_REQUESTS_PER_SECOND,
            api_key_burst_requests: API_KEY_BURST_REQUESTS,
            session_seconds_max: SESSION_SECONDS_MAX,
        }
    }
}

/// Access control's state, shared by every request.
pub struct Auth {
    /// Its settings.
    pub settings: AuthSettings,
    limiter: KeyLimiter,
}

impl Auth {
    /// State for `settings`.
    pub fn new(settings: AuthSettings) -> Self {
        Self {
            limiter: KeyLimiter::new(
                settings.api_key_requests_per_second,
                settings.api_key_burst_requests,
            ),
            settings,
        }
    }
}

impl Default for Auth {
    fn default() -> Self {
        Self::new(AuthSettings::default())
    }
}
