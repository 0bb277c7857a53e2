//! What `serve` and `demo` share about access: the rate and session flags, the refusal to serve
//! a database nobody can sign in to, and the demo's users.

use crate::cmd::users::cli_principal;
use clap::Args;
use panorama_core::Store;
use panorama_core::access::{Password, Role, UserName};
use panorama_server::api::access::manage::{self, UserChange, UserInput};
use panorama_server::auth::AuthSettings;

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
}

impl AccessArgs {
    /// The settings these flags give.
    pub fn settings(&self) -> AuthSettings {
        AuthSettings {
            api_key_requests_per_second: self.api_key_requests_per_second,
            api_key_burst_requests: self.api_key_burst_requests,
            session_seconds_max: self.session_seconds_max,
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
