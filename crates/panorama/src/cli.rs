//! The command line: one subcommand per command module (`serve`, `import`, `users`, ...).

use clap::{Args, Parser, Subcommand};

/// Default database: one SQLite file in the working directory.
pub const DATABASE_DEFAULT: &str = "sqlite://panorama.db";
/// Default address to listen on.
pub const LISTEN_DEFAULT: &str = "127.0.0.1:8080";

/// Panorama: every person a company can reach, their attributes, consent, labels and behaviour.
#[derive(Debug, Parser)]
#[command(name = "panorama", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application and the JSON API.
    Serve(ServeArgs),
    /// Create or upgrade the database schema and install the preset definitions.
    Migrate(DatabaseArgs),
    /// List, add, change or delete contact attribute definitions.
    Attributes(crate::cmd::attributes::AttributesArgs),
    /// Fill a database with a realistic synthetic company and one user per role (their passwords
    /// are printed), then serve it.
    Demo(crate::cmd::demo::DemoArgs),
    /// Ingest events from a file of one JSON event per line (`FILE.jsonl`).
    Events(crate::cmd::events::EventsArgs),
    /// Import contacts from a CSV, XLSX or XLS file (upsert, delete or unsubscribe).
    Import(crate::cmd::import::ImportArgs),
    /// Export contacts (a category, search or label; chosen columns) as CSV or XLSX.
    Export(crate::cmd::export::ExportArgs),
    /// Run a benchmark that generates its own data and prints its figures.
    Bench(crate::cmd::bench::BenchArgs),
    /// Add, list and change users of the web application (roles: admin, marketer, viewer).
    Users(crate::cmd::users::UsersArgs),
    /// Create, list and revoke API keys for other services.
    #[command(name = "api-keys")]
    ApiKeys(crate::cmd::api_keys::ApiKeysArgs),
    /// Copy everything one database holds into another, empty one (e.g. SQLite to PostgreSQL),
    /// then verify every table's rows and checksum.
    Copy(crate::cmd::copy::CopyArgs),
}

/// Which database to use.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://FILE` (the embedded store) or `postgres://USER@HOST/DATABASE`;
    /// either is created if missing.
    #[arg(long, env = "PANORAMA_DATABASE_URL", default_value = DATABASE_DEFAULT)]
    pub database: String,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Database to serve.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "PANORAMA_LISTEN", default_value = LISTEN_DEFAULT)]
    pub listen: String,
    /// ISO country code applied to mobile numbers written without a country code.
    #[arg(long, env = "PANORAMA_DEFAULT_COUNTRY", default_value = "CN")]
    pub default_country: String,
    /// The company's time zone (IANA name): pages show times in it until the viewer's browser
    /// names its own, and exports write times in it unless asked for another.
    #[arg(long, env = "PANORAMA_TIME_ZONE", value_name = "ZONE",
        default_value = panorama_server::TIME_ZONE_DEFAULT)]
    pub time_zone: String,
    /// How long this server keeps the attribute definitions it read, in seconds: the longest a
    /// metadata change made by another server on the same database goes unseen here (changes made
    /// through this server are seen at once). 0 reads them for every request.
    #[arg(long, env = "PANORAMA_SCHEMA_CACHE_SECONDS", value_name = "SECONDS",
        default_value_t = panorama_server::SCHEMA_CACHE_SECONDS)]
    pub schema_cache_seconds: u64,
    /// Folder that keeps uploaded import files until their job has run.
    #[arg(long, env = "PANORAMA_UPLOADS_DIR", default_value = "panorama-uploads")]
    pub uploads_dir: std::path::PathBuf,
    /// How long this server's claim on a running job holds, in seconds; renewed every third of
    /// it, so a job whose server was killed is resumed by another server about this long later.
    #[arg(long, env = "PANORAMA_JOB_LEASE_SECONDS", value_name = "SECONDS",
        default_value_t = panorama_core::store::JOB_LEASE_SECONDS_DEFAULT,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub job_lease_seconds: u64,
    /// Tests only: a pause after each batch of a bulk action, in milliseconds.
    #[arg(
        long,
        env = "PANORAMA_JOB_BATCH_PAUSE_MILLIS",
        value_name = "MILLIS",
        default_value_t = 0,
        hide = true
    )]
    pub job_batch_pause_millis: u64,
    /// The limits, each a flag and an environment variable.
    #[command(flatten)]
    pub limits: crate::cmd::serve::LimitArgs,
    /// API key rates and session length.
    #[command(flatten)]
    pub access: crate::cmd::access::AccessArgs,
}
