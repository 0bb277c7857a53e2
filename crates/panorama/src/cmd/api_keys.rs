//! `panorama api-keys`: keys for other services calling the API. A key is printed once, on
//! standard output alone, so `KEY=$(panorama api-keys create ...)` works; only its hash is kept.

use crate::cmd::users::cli_principal;
use clap::{Args, Subcommand};
use panorama_core::access::{ApiKeyName, Role};
use panorama_server::app::api_keys as manage;

/// Options of `api-keys`.
#[derive(Debug, Args)]
pub struct ApiKeysArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ApiKeysAction,
    /// Database URL: `sqlite://FILE` or `postgres://USER@HOST/DATABASE`. Accepted before or
    /// after the subcommand.
    #[arg(long, global = true, env = "PANORAMA_DATABASE_URL",
        default_value = crate::cli::DATABASE_DEFAULT)]
    pub database: String,
}

/// What `api-keys` does.
#[derive(Debug, Subcommand)]
pub enum ApiKeysAction {
    /// Create a key and print it (once).
    Create {
        /// A name to tell the key apart (`crm-sync`), unique among keys.
        #[arg(long)]
        name: String,
        /// `admin`, `marketer` or `viewer`: what requests with this key may do.
        #[arg(long)]
        role: String,
    },
    /// List the keys (never the keys themselves).
    List,
    /// Revoke a key by name: requests with it are refused from now on.
    Revoke {
        /// The key's name.
        name: String,
    },
}

/// Run `api-keys`.
pub async fn run(args: ApiKeysArgs) -> anyhow::Result<()> {
    let store = crate::database::open(&args.database).await?;
    match args.action {
        ApiKeysAction::Create { name, role } => {
            let role = Role::parse(&role, "--role")?;
            let (key, secret) =
                manage::create_key(store.as_ref(), &cli_principal(), &name, role).await?;
            println!("{}", secret.expose());
            eprintln!(
                "API key `{}` ({}) created; it is shown once. Send it as `Authorization: Bearer KEY`.",
                key.name.as_str(),
                key.role
            );
        }
        ApiKeysAction::List => {
            for key in store.api_keys().await? {
                let state = key
                    .revoked_at
                    .map_or_else(|| "active".to_owned(), |at| format!("revoked {at}"));
                println!(
                    "{}\t{}\t{}…\t{}\t{state}",
                    key.name.as_str(),
                    key.role,
                    key.shown,
                    key.created_by
                );
            }
        }
        ApiKeysAction::Revoke { name } => {
            let name = ApiKeyName::parse(&name, "NAME")?;
            let key = store
                .api_keys()
                .await?
                .into_iter()
                .find(|key| key.name == name)
                .ok_or_else(|| anyhow::anyhow!("no API key is named `{}`", name.as_str()))?;
            let id = key.key_id.to_string();
            let revoked = manage::revoke_key(store.as_ref(), &cli_principal(), &id).await?;
            println!("revoked {}", revoked.name.as_str());
        }
    }
    Ok(())
}
