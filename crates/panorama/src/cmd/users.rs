//! `panorama users`: add, list and change the people who sign in to the web application.

use anyhow::Context;
use clap::{Args, Subcommand};
use panorama_core::Store;
use panorama_core::access::{AuditAction, Password, Role};
use panorama_server::app::users::{self as manage, UserChange, UserInput};
use std::io::BufRead;

/// Options of `users`.
#[derive(Debug, Args)]
pub struct UsersArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: UsersAction,
    /// Database URL: `sqlite://FILE` or `postgres://USER@HOST/DATABASE`. Accepted before or
    /// after the subcommand.
    #[arg(long, global = true, env = "PANORAMA_DATABASE_URL",
        default_value = crate::cli::DATABASE_DEFAULT)]
    pub database: String,
}

/// What `users` does.
#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// Add a user. Without `--ask` or `--password-stdin` a strong password is generated and
    /// printed once.
    Add {
        /// Sign-in name: 1 to 64 of a-z, 0-9, `.`, `_`, `-`, `@`.
        name: String,
        /// `admin`, `marketer` or `viewer`.
        #[arg(long)]
        role: String,
        /// Ask for the password on the terminal (twice, not echoed).
        #[arg(long, conflicts_with = "password_stdin")]
        ask: bool,
        /// Read the password from the first line of standard input (for scripts).
        #[arg(long)]
        password_stdin: bool,
        /// Let this marketer reveal masked mobiles and emails one at a time (audited).
        #[arg(long)]
        may_reveal: bool,
    },
    /// List the users.
    List,
    /// Change a user's role or reveal right, or give them a new generated password.
    Set {
        /// The user.
        name: String,
        /// New role.
        #[arg(long)]
        role: Option<String>,
        /// Grant (`true`) or withdraw (`false`) the reveal right.
        #[arg(long)]
        may_reveal: Option<bool>,
        /// Generate a new password, print it once, end the user's sessions and lift a lock.
        #[arg(long)]
        reset_password: bool,
    },
}

/// Run `users`.
pub async fn run(args: UsersArgs) -> anyhow::Result<()> {
    let store = crate::database::open(&args.database).await?;
    match args.action {
        UsersAction::Add {
            name,
            role,
            ask,
            password_stdin,
            may_reveal,
        } => {
            let password = if ask {
                Some(ask_password()?)
            } else if password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let role = Role::parse(&role, "--role")?;
            let input = UserInput {
                name: &name,
                role,
                password: password.as_ref().map(Password::expose),
                may_reveal,
            };
            let (user, shown) =
                manage::create_user(store.as_ref(), &cli_principal(), input).await?;
            println!("added {} ({})", user.name.as_str(), user.role);
            if let Some(password) = shown {
                println!("password: {password}");
                eprintln!("This password is shown once; keep it somewhere safe.");
            }
        }
        UsersAction::List => {
            for user in store.users().await? {
                let reveal = if user.may_reveal { " may-reveal" } else { "" };
                // Sign-in delays live in the serving process; the count of wrong passwords since
                // the last good one is what the database knows.
                let failed = match user.failed_sign_ins {
                    0 => String::new(),
                    count => format!(" failed-sign-ins={count}"),
                };
                println!("{}\t{}{reveal}{failed}", user.name.as_str(), user.role);
            }
        }
        UsersAction::Set {
            name,
            role,
            may_reveal,
            reset_password,
        } => {
            let password = reset_password.then(Password::generate);
            let change = UserChange {
                role: role.map(|role| Role::parse(&role, "--role")).transpose()?,
                may_reveal,
                password: password.as_ref().map(|p| p.expose().to_owned()),
            };
            let user = manage::change_user(store.as_ref(), &cli_principal(), &name, change).await?;
            println!("{}\t{}", user.name.as_str(), user.role);
            if let Some(password) = password {
                println!("password: {}", password.expose());
            }
        }
    }
    Ok(())
}

/// Who the command line acts as in the audit log: `cli:USER` (the operating-system user), with
/// the rights of the machine's owner.
pub fn cli_principal() -> panorama_server::Principal {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    panorama_server::Principal {
        name: format!("cli:{user}"),
        role: Role::Admin,
        may_reveal: true,
    }
}

/// Record a CLI act as [`cli_principal`].
pub async fn audit(
    store: &dyn Store,
    action: AuditAction,
    target: &str,
    detail: serde_json::Value,
) -> anyhow::Result<()> {
    let actor = cli_principal();
    panorama_server::audit::record(store, &actor, action, Some(target.to_owned()), detail).await?;
    Ok(())
}

fn ask_password() -> anyhow::Result<Password> {
    let first = rpassword::prompt_password("Password: ").context("reading the password")?;
    let again = rpassword::prompt_password("Again: ").context("reading the password")?;
    anyhow::ensure!(first == again, "the two passwords differ");
    Ok(Password::parse(&first, "password")?)
}

fn read_password() -> anyhow::Result<Password> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(Password::parse(
        line.trim_end_matches(['\r', '\n']),
        "password",
    )?)
}
