//! `panorama demo`: fill a database with a synthetic company, then serve it.

use crate::demo::{DemoGenerator, custom_attributes, merges};
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use panorama_core::Store;
use panorama_core::contact::{ContactId, ContactRecord, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use std::collections::BTreeMap;

/// Contacts written per transaction.
pub const DEMO_BATCH_CONTACTS: u64 = 200;
/// The demo company's contacts arrive over this many days before today (two years).
pub const DEMO_HISTORY_DAYS: i64 = 730;

/// Fans given fan records and follower labels (the oldest ones); every fan keeps its openid.
pub const DEMO_FAN_RECORDS_MAX: usize = 1_000;

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

/// Write `contacts` synthetic contacts (and the demo's custom attributes) into `store`, each with
/// its events since it arrived, with labels, WeChat fans and a few merges. Running it again with
/// the same seed changes nothing: every contact is matched by its keys.
pub async fn fill(store: &dyn Store, contacts: u64, seed: u64) -> anyhow::Result<()> {
    fill_with(store, contacts, seed, true).await
}

/// [`fill`], with or without the contacts' history of events (and `user_created` events). With
/// events, the company also has its labels, WeChat accounts with fans, and a few merges.
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
    let survivors = if events {
        merges::survivors(&mut generator, seed, contacts)
    } else {
        Vec::new()
    };
    let progress = ProgressBar::new(contacts).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} contacts, {per_sec}, {eta} left",
        )
        .map_err(anyhow::Error::msg)?
        .progress_chars("=> "),
    );
    progress.set_message("demo");
    let mut extras = Extras::default();
    let mut start = 0;
    while start < contacts {
        let end = (start + DEMO_BATCH_CONTACTS).min(contacts);
        let maps = generator.contacts(start..end);
        let mut records = Vec::with_capacity(maps.len());
        for (map, index) in maps.iter().zip(start..) {
            let mut record = ContactRecord::from_json(&schema, map, ParseOptions::default())
                .with_context(|| format!("demo contact {index} is invalid"))?;
            // Arrivals spread over two years, oldest first, so "new in 7/30 days" and a list
            // sorted by creation mean something.
            record.created_at = Some(arrival(seed, index, contacts, now));
            records.push(record);
        }
        let context = WriteContext {
            source: "demo".into(),
            at: now,
            fast: !events,
        };
        let outcomes = store.upsert_contacts(&records, &context).await?;
        let ids: Vec<_> = outcomes.iter().map(|o| o.contact.contact_id).collect();
        if events {
            // Each contact's history starts once it is known, whenever that was.
            let since: Vec<_> = outcomes
                .iter()
                .map(|o| crate::demo::events::first_event_after(o.contact.created_at))
                .collect();
            crate::demo::events::write(store, seed, start, &maps, &ids, &since, now).await?;
            extras.note(seed, start, &maps, &ids, &survivors);
        }
        progress.set_position(end);
        start = end;
    }
    progress.finish_and_clear();
    // An empty company (the browser tests' starting point) gets no labels or accounts either.
    if events && contacts > 0 {
        extras
            .write(store, &schema, &mut generator, seed, now)
            .await?;
    }
    Ok(())
}

/// When demo contact `index` of `contacts` was first known: spread evenly over the last
/// [`DEMO_HISTORY_DAYS`] in index order, at a time of day of its own, at least ten minutes ago.
pub fn arrival(seed: u64, index: u64, contacts: u64, now: jiff::Timestamp) -> jiff::Timestamp {
    let history = DEMO_HISTORY_DAYS * 86_400;
    let contacts = i64::try_from(contacts.max(1)).unwrap_or(i64::MAX);
    let index = i64::try_from(index).unwrap_or(i64::MAX).min(contacts - 1);
    // The share of the two years before this contact's slot, and a place inside its slot.
    let slot = history / contacts;
    let jitter =
        i64::try_from(crate::demo::mix(seed, index.unsigned_abs()) % 1_000_000).unwrap_or(0) * slot
            / 1_000_000;
    let age = (history * (contacts - index) / contacts - jitter).max(600);
    now - jiff::SignedDuration::from_secs(age)
}

/// What the full demo puts on its contacts after writing them: labels, fan records, and the
/// stored contacts that duplicates will merge into.
#[derive(Default)]
struct Extras {
    labels: BTreeMap<crate::demo::labels::LabelName, Vec<ContactId>>,
    fans: Vec<(ContactId, Vec<crate::demo::wechat::DemoFan>)>,
    survivors: Vec<(u64, ContactId)>,
}

impl Extras {
    /// Note the labels, fans and survivors among contacts `first_index..`.
    fn note(
        &mut self,
        seed: u64,
        first_index: u64,
        maps: &[serde_json::Map<String, serde_json::Value>],
        ids: &[ContactId],
        survivors: &[u64],
    ) {
        for ((map, id), index) in maps.iter().zip(ids).zip(first_index..) {
            for label in crate::demo::labels::labels_of(seed, index, map) {
                self.labels.entry(label).or_default().push(*id);
            }
            let fans = crate::demo::wechat::fans_of(seed, index, map);
            // Each fan record and follower label is a transaction of its own: the first fans
            // get them, enough to try every page, and the demo stays fast.
            if !fans.is_empty() && self.fans.len() < DEMO_FAN_RECORDS_MAX {
                self.fans.push((*id, fans));
            }
            if survivors.contains(&index) {
                self.survivors.push((index, *id));
            }
        }
    }

    /// Labels, then fans, then the merges, which must come after every other write.
    async fn write(
        self,
        store: &dyn Store,
        schema: &Schema,
        generator: &mut DemoGenerator,
        seed: u64,
        now: jiff::Timestamp,
    ) -> anyhow::Result<()> {
        let context = WriteContext {
            source: "demo".into(),
            at: now,
            fast: false,
        };
        let label_ids = crate::demo::labels::ensure(store).await?;
        crate::demo::labels::attach(store, &label_ids, &self.labels, &context).await?;
        let follower_ids = crate::demo::wechat::ensure(store).await?;
        for (contact_id, fans) in &self.fans {
            crate::demo::wechat::save(store, &follower_ids, *contact_id, fans, &context).await?;
        }
        let mut survivors = self.survivors;
        survivors.sort_unstable();
        let ids: Vec<ContactId> = survivors.iter().map(|(_, id)| *id).collect();
        let stored = store.get_contacts(&ids).await?;
        // In the survivors' order, whatever order the store answers in.
        let ordered: Vec<_> = ids
            .iter()
            .filter_map(|id| stored.iter().find(|c| c.contact_id == *id).cloned())
            .collect();
        merges::write(store, schema, generator, seed, &ordered, now).await
    }
}
