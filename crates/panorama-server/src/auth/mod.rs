//! Who is asking, and may they: credentials (an API key or a session cookie) become a
//! [`Principal`](crate::principal::Principal); the rights table says which role each route
//! needs; the guard enforces both on every route before any handler runs; API keys are held to
//! a request rate; client addresses to budgets of sign-in attempts and bad credentials, and each
//! (name, address) pair to doubling delays after wrong passwords.

mod client;
mod credentials;
mod delays;
mod guard;
mod rate;
mod rights;
mod session;
mod throttle;

pub use client::{TrustedProxies, client_address};
pub use credentials::{Via, unauthenticated, user_principal};
pub use guard::{guard, retry_seconds, too_many};
pub use rights::{Access, RIGHTS, required};
pub use session::{SESSION_COOKIE, clear_cookie, session_cookie, session_token};

use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use delays::{DelayRule, SignInDelays};
use rate::KeyLimiter;
use std::net::IpAddr;
use std::time::Duration;
use throttle::AddressBudget;

/// API keys' default rate: requests per second, sustained.
pub const API_KEY_REQUESTS_PER_SECOND: u32 = 20;
/// API keys' default burst: requests accepted at once above the sustained rate.
pub const API_KEY_BURST_REQUESTS: u32 = 40;
/// How long a web session lasts, in seconds, whatever happens (12 hours: a working day).
pub const SESSION_SECONDS_MAX: i64 = 12 * 60 * 60;
/// Sign-in attempts one client address may make per minute (more get 429 with `Retry-After`).
pub const SIGN_IN_ATTEMPTS_PER_MINUTE: u32 = 20;
/// Requests with a wrong API key or session cookie one client address may make per minute;
/// past that, every request of that address carrying credentials gets 429 until the budget
/// refills, so guesses are not answered.
pub const BAD_CREDENTIALS_PER_MINUTE: u32 = 30;
/// Wrong passwords in a row for one name from one address before that address waits.
pub const SIGN_IN_FAILURES_BEFORE_DELAY: u32 = 5;
/// The first wait, in seconds; each further wrong password doubles it.
pub const SIGN_IN_FIRST_DELAY_SECONDS: u64 = 1;
/// The longest wait, in seconds (15 minutes).
pub const SIGN_IN_DELAY_SECONDS_MAX: u64 = 15 * 60;

/// The tunable parts of access control.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Requests per second each API key may make, sustained.
    pub api_key_requests_per_second: u32,
    /// Requests above that rate each key may make at once.
    pub api_key_burst_requests: u32,
    /// Lifetime of a web session, in seconds.
    pub session_seconds_max: i64,
    /// Sign-in attempts per client address per minute.
    pub sign_in_attempts_per_minute: u32,
    /// Requests with wrong credentials per client address per minute.
    pub bad_credentials_per_minute: u32,
    /// Wrong passwords for one name from one address before that address waits.
    pub sign_in_failures_before_delay: u32,
    /// The first wait after those, in seconds, doubled by each further wrong password.
    pub sign_in_first_delay_seconds: u64,
    /// The longest wait, in seconds.
    pub sign_in_delay_seconds_max: u64,
    /// Proxies whose `X-Forwarded-For` names the client (none: the connection's peer is).
    pub trusted_proxies: TrustedProxies,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            api_key_requests_per_second: API_KEY_REQUESTS_PER_SECOND,
            api_key_burst_requests: API_KEY_BURST_REQUESTS,
            session_seconds_max: SESSION_SECONDS_MAX,
            sign_in_attempts_per_minute: SIGN_IN_ATTEMPTS_PER_MINUTE,
            bad_credentials_per_minute: BAD_CREDENTIALS_PER_MINUTE,
            sign_in_failures_before_delay: SIGN_IN_FAILURES_BEFORE_DELAY,
            sign_in_first_delay_seconds: SIGN_IN_FIRST_DELAY_SECONDS,
            sign_in_delay_seconds_max: SIGN_IN_DELAY_SECONDS_MAX,
            trusted_proxies: TrustedProxies::default(),
        }
    }
}

/// Access control's state, shared by every request.
pub struct Auth {
    /// Its settings.
    pub settings: AuthSettings,
    limiter: KeyLimiter,
    sign_ins: AddressBudget,
    bad_credentials: AddressBudget,
    delays: SignInDelays,
}

impl Auth {
    /// State for `settings`.
    pub fn new(settings: AuthSettings) -> Self {
        Self {
            limiter: KeyLimiter::new(
                settings.api_key_requests_per_second,
                settings.api_key_burst_requests,
            ),
            sign_ins: AddressBudget::new(settings.sign_in_attempts_per_minute),
            bad_credentials: AddressBudget::new(settings.bad_credentials_per_minute),
            delays: SignInDelays::new(DelayRule {
                failures_before_delay: settings.sign_in_failures_before_delay,
                first_delay: Duration::from_secs(settings.sign_in_first_delay_seconds),
                delay_max: Duration::from_secs(settings.sign_in_delay_seconds_max),
            }),
            settings,
        }
    }

    /// Spend one of `address`'s sign-in attempts; without one left, how long to wait.
    pub fn sign_in_attempt(&self, address: IpAddr) -> Result<(), Duration> {
        self.sign_ins.take(address)
    }

    /// Whether `name` tried from `address` waits now after too many wrong passwords.
    pub fn sign_in_delayed(&self, name: &str, address: IpAddr) -> bool {
        self.delays.is_delayed(name, address)
    }

    /// Count a wrong password or an unknown name from `address`.
    pub fn sign_in_failed(&self, name: &str, address: IpAddr) {
        self.delays.failed(name, address);
    }

    /// A good password from `address`: its count for `name` starts again.
    pub fn sign_in_succeeded(&self, name: &str, address: IpAddr) {
        self.delays.succeeded(name, address);
    }

    /// Lift every delay on `name` (an admin's act); how many addresses were waiting.
    pub fn lift_sign_in_delays(&self, name: &str) -> usize {
        self.delays.lift(name)
    }

    /// Until when some address waits to try `name`, if one does.
    pub fn sign_in_delayed_until(&self, name: &str) -> Option<jiff::Timestamp> {
        let wait = self.delays.waiting(name)?;
        let wait = jiff::SignedDuration::try_from(wait).ok()?;
        jiff::Timestamp::now().checked_add(wait).ok()
    }
}

/// The client address of a request (the peer, or what a trusted proxy says), as an extractor.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let proxies = &state.auth.settings.trusted_proxies;
        Ok(Self(client_address(
            &parts.extensions,
            &parts.headers,
            proxies,
        )))
    }
}

impl Default for Auth {
    fn default() -> Self {
        Self::new(AuthSettings::default())
    }
}
