//! The `panorama` binary's library: command-line parsing, one module per command, and the one
//! place that picks a store from a database URL.

pub mod cli;
pub mod cmd;
pub mod database;
pub mod demo;

pub use cli::Cli;

/// Run the command the user asked for.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        cli::Command::Serve(args) => cmd::serve::run(args).await,
        cli::Command::Migrate(args) => cmd::migrate::run(args).await,
        cli::Command::Attributes(args) => cmd::attributes::run(args).await,
        cli::Command::Demo(args) => cmd::demo::run(args).await,
        cli::Command::Events(args) => cmd::events::run(args).await,
        cli::Command::Import(args) => cmd::import::run(args).await,
        cli::Command::Export(args) => cmd::export::run(args).await,
        cli::Command::Bench(args) => cmd::bench::run(args).await,
        cli::Command::Users(args) => cmd::users::run(args).await,
        cli::Command::ApiKeys(args) => cmd::api_keys::run(args).await,
        cli::Command::Copy(args) => cmd::copy::run(args).await,
    }
}
