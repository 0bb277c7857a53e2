//! `panorama demo`: fill a database with a synthetic company, then serve it.

use crate::demo::{DemoGenerator, custom_attributes};
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use panorama_core::Store;
use panorama_core::contact::{ContactRecord, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;

/// Contacts written per transaction.
pub const DEMO_BATCH_CONTACTS: u64 = 200;
/// The demo company's contacts arrive over this many days before today.
pub const DEMO_HISTORY_DAYS: i64 = 365;

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many contacts the company has.
    #[arg(long, default_value_t = 10_000)]
    pub contacts: u64,
    /// Seed: the same seed gives the same company.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Database to fill. Deliberately not read from PANORAMA_DATABASE_URL, so the demo never
    /// writes into a real database by accident.
    #[arg(long, default_value = "sqlite://panorama-demo.db")]
    pub database: String,
    /// Address to serve on; port 0 picks a free port.
    #[arg(long, env = "PANORAMA_LISTEN", default_value = crate::cli::LISTEN_DEFAULT)]
    pub listen: String,
    /// Fill the database and exit without serving.
    #[arg(long)]
    pub fill_only: bool,
    /// Contacts only, without their year of events (much faster at a million contacts).
    #[arg(long)]
    pub no_events: bool,
}

/// Fill, then serve unless `--fill-only`.
pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let store = crate::database::open(&args.database).await?;
    fill_with(store.as_ref(), args.contacts, args.seed, !args.no_events).await?;
    let overview = store.overview(now_micros()).await?;
    println!(
        "{}: {} contacts ({} real-name, {} anonymous, {} WeChat fans, {} new in 30 days)",
        args.database,
        overview.all,
        overview.real_name,
        overview.anonymous,
        overview.wechat_fan,
        overview.new_30d
    );
    let users = crate::cmd::access::demo_users(store.as_ref()).await?;
    println!("Sign in as (passwords are new each run):");
    for (name, role, password) in users {
        println!("    {name:<9} {password}   ({role})");
    }
    if args.fill_only {
        return Ok(());
    }
    let settings = panorama_server::Settings {
        uploads_dir: std::path::PathBuf::from("panorama-uploads"),
        ..panorama_server::Settings::default()
    };
    let access = panorama_server::auth::AuthSettings::default();
    crate::cmd::serve::serve(store, &args.listen, settings, access).await
}

/// Write `contacts` synthetic contacts (and the demo's custom attributes) into `store`, each with a
/// year of events. Running it again with the same seed changes nothing: every contact is matched
/// by its keys.
pub async fn fill(store: &dyn Store, contacts: u64, seed: u64) -> anyhow::Result<()> {
    fill_with(store, contacts, seed, true).await
}

/// [`fill`], with or without the contacts' year of events (and `user_created` events).
pub async fn fill_with(
    store: &dyn Store,
    contacts: u64,
    seed: u64,
    events: bool,
) -> anyhow::Result<()> {
    let existing = Schema::new(store.list_attributes().await?);
    for new in custom_attributes() {
        if existing.get(&new.name).is_none() {
            store
                .create_attribute(&new)
                .await
                .with_context(|| format!("adding attribute {}", new.name))?;
        }
    }
    let schema = Schema::new(store.list_attributes().await?);
    let now = now_micros();
    let mut generator = DemoGenerator::new(seed, now);
    let progress = ProgressBar::new(contacts).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} contacts, {per_sec}, {eta} left",
        )
        .map_err(anyhow::Error::msg)?
        .progress_chars("=> "),
    );
    progress.set_message("demo");
    let mut start = 0;
    while start < contacts {
        let end = (start + DEMO_BATCH_CONTACTS).min(contacts);
        let maps = generator.contacts(start..end);
        let records = maps
            .iter()
            .zip(start..)
            .map(|(map, index)| {
                ContactRecord::from_json(&schema, map, ParseOptions::default())
                    .with_context(|| format!("demo contact {index} is invalid"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Spread arrivals over the last year, oldest first, so "new in 7/30 days" means something.
        let age_days = DEMO_HISTORY_DAYS * i64::try_from(contacts - end).unwrap_or(0)
            / i64::try_from(contacts).unwrap_or(1);
        let at = now - jiff::SignedDuration::from_hours(24 * age_days);
        let context = WriteContext {
            source: "demo".into(),
            at,
            fast: !events,
        };
        let outcomes = store.upsert_contacts(&records, &context).await?;
        let ids: Vec<_> = outcomes.iter().map(|o| o.contact.contact_id).collect();
        // Every contact gets a year of history, whenever Panorama first heard of them.
        let history = now - jiff::SignedDuration::from_hours(24 * DEMO_HISTORY_DAYS);
        if events {
            crate::demo::events::write(store, seed, start, &maps, &ids, history, now).await?;
        }
        progress.set_position(end);
        start = end;
    }
    progress.finish_and_clear();
    Ok(())
}
