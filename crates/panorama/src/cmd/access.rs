//! What `serve` and `demo` share about access: the rate, throttling, proxy and session flags, the refusal to serve
//! a database nobody can sign in to, and the demo's users.

use crate::cmd::users::cli_principal;
use clap::Args;
use panorama_core::Store;
use panorama_core::access::{Password, Role, UserName};
use panorama_server::app::users::{self as manage, UserChange, UserInput};
use panorama_server::auth::{AuthSettings, TrustedProxies};

/// Access settings as `serve` flags and environment variables.
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Requests per second each API key may make, sustained; more get 429 with `Retry-After`.
    #[arg(long, env = "PANORAMA_API_KEY_REQUESTS_PER_SECOND", value_name = "REQUESTS",
        default_value_t = panorama_server::auth::API_KEY_REQUESTS_PER_SECOND)]
    pub api_key_requests_per_second: u32,
    /// Requests each API key may make at once above its sustained rate.
    #[arg(long, env = "PANORAMA_API_KEY_BURST_REQUESTS", value_name = "REQUESTS",
        default_value_t = panorama_server::auth::API_KEY_BURST_REQUESTS)]
    pub api_key_burst_requests: u32,
    /// How long a web session lasts, in seconds.
    #[arg(long, env = "PANORAMA_SESSION_SECONDS_MAX", value_name = "SECONDS",
        default_value_t = panorama_server::auth::SESSION_SECONDS_MAX)]
    pub session_seconds_max: i64,
    /// Sign-in attempts one client address may make per minute; more get 429 with `Retry-After`.
    #[arg(long, env = "PANORAMA_SIGN_IN_ATTEMPTS_PER_MINUTE", value_name = "ATTEMPTS",
        default_value_t = panorama_server::auth::SIGN_IN_ATTEMPTS_PER_MINUTE)]
    pub sign_in_attempts_per_minute: u32,
    /// Requests with a wrong API key or session cookie one client address may make per minute;
    /// past that its requests with credentials get 429 with `Retry-After` until it refills.
    #[arg(long, env = "PANORAMA_BAD_CREDENTIALS_PER_MINUTE", value_name = "REQUESTS",
        default_value_t = panorama_server::auth::BAD_CREDENTIALS_PER_MINUTE)]
    pub bad_credentials_per_minute: u32,
    /// Wrong passwords in a row for one name from one client address before that address waits.
    #[arg(long, env = "PANORAMA_SIGN_IN_FAILURES_BEFORE_DELAY", value_name = "FAILURES",
        default_value_t = panorama_server::auth::SIGN_IN_FAILURES_BEFORE_DELAY)]
    pub sign_in_failures_before_delay: u32,
    /// The first wait, in seconds; each further wrong password from that address doubles it.
    #[arg(long, env = "PANORAMA_SIGN_IN_FIRST_DELAY_SECONDS", value_name = "SECONDS",
        default_value_t = panorama_server::auth::SIGN_IN_FIRST_DELAY_SECONDS)]
    pub sign_in_first_delay_seconds: u64,
    /// The longest wait after wrong passwords, in seconds.
    #[arg(long, env = "PANORAMA_SIGN_IN_DELAY_SECONDS_MAX", value_name = "SECONDS",
        default_value_t = panorama_server::auth::SIGN_IN_DELAY_SECONDS_MAX)]
    pub sign_in_delay_seconds_max: u64,
    /// Proxies in front of Panorama whose `X-Forwarded-For` names the client, comma-separated
    /// addresses or CIDR blocks (`10.0.0.0/8,::1`). Without it the header is ignored and the
    /// connection's address is the client's.
    #[arg(long, env = "PANORAMA_TRUSTED_PROXIES", value_name = "ADDRESSES",
        default_value = "", value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,
}

impl AccessArgs {
    /// The settings these flags give.
    pub fn settings(&self) -> AuthSettings {
        AuthSettings {
            api_key_requests_per_second: self.api_key_requests_per_second,
            api_key_burst_requests: self.api_key_burst_requests,
            session_seconds_max: self.session_seconds_max,
            sign_in_attempts_per_minute: self.sign_in_attempts_per_minute,
            bad_credentials_per_minute: self.bad_credentials_per_minute,
            sign_in_failures_before_delay: self.sign_in_failures_before_delay,
            sign_in_first_delay_seconds: self.sign_in_first_delay_seconds,
            sign_in_delay_seconds_max: self.sign_in_delay_seconds_max,
            trusted_proxies: self.trusted_proxies.clone(),
        }
    }
}

/// Refuse to serve a database without an admin: nobody could sign in to add users.
pub async fn require_admin(store: &dyn Store, database: &str) -> anyhow::Result<()> {
    if store.admin_count().await? > 0 {
        return Ok(());
    }
    anyhow::bail!(
        "{database} has no admin user, so nobody could sign in. Create one first:\n\n    \
         panorama users add NAME --role admin --database {database}\n\n\
         (it prints a generated password; `--ask` types your own)"
    )
}

/// One user per role (`admin`, `marketer`, `viewer`) with fresh generated passwords, printed so
/// whoever started the demo can sign in. A second run gives the same users new passwords.
pub async fn demo_users(store: &dyn Store) -> anyhow::Result<Vec<(String, Role, String)>> {
    let actor = cli_principal();
    let mut created = Vec::new();
    for role in [Role::Admin, Role::Marketer, Role::Viewer] {
        let name = role.as_str();
        let password = Password::generate();
        let exists = store
            .user_credentials(&UserName::parse(name, "name")?)
            .await?
            .is_some();
        if exists {
            let change = UserChange {
                role: Some(role),
                password: Some(password.expose().to_owned()),
                ..UserChange::default()
            };
            manage::change_user(store, &actor, name, change).await?;
        } else {
            let input = UserInput {
                name,
                role,
                password: Some(password.expose()),
                may_reveal: false,
            };
            manage::create_user(store, &actor, input).await?;
        }
        created.push((name.to_owned(), role, password.expose().to_owned()));
    }
    Ok(created)
}
