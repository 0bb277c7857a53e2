//! `panorama bench labels`: the contacts list filtered by a label. Fills a fresh SQLite store
//! with `--contacts` contacts, puts one label on `--share-percent` of them (spread over the whole
//! creation order) and a rare one on 0.1%, then times the first page of 50 plus the exact count,
//! in the store and through `GET /api/v1/contacts?label=`, with the unfiltered list as baseline.

use anyhow::Context;
use clap::Args;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactId, ContactRecord, WriteContext, now_micros};
use panorama_core::label::{LabelId, NewLabel};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use panorama_core::value::ParseOptions;
use panorama_server::Settings;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Contacts written per store call while filling.
pub const FILL_BATCH_CONTACTS: usize = 5_000;
/// Timed requests per measured query.
pub const SAMPLES: usize = 500;
/// Contacts on one page, as the list shows by default.
pub const PAGE_CONTACTS: u64 = 50;
/// The goal of issue 7: first page and exact count within this many milliseconds.
pub const GOAL_MS: f64 = 10.0;

/// Options of `bench labels`.
#[derive(Debug, Args)]
pub struct LabelBenchArgs {
    /// Contacts in the store.
    #[arg(long, default_value_t = 1_000_000)]
    pub contacts: u64,
    /// Share of the contacts carrying the measured label, in percent.
    #[arg(long, default_value_t = 10)]
    pub share_percent: u64,
    /// Folder for the database (a temporary one when absent).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// Fill, label, measure, print.
pub async fn run(args: LabelBenchArgs) -> anyhow::Result<()> {
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let path = dir.join("labels-bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = crate::database::open(&format!("sqlite://{}", path.display())).await?;
    let started = Instant::now();
    let ids = fill(store.as_ref(), args.contacts).await?;
    let fill_seconds = started.elapsed().as_secs_f64();
    let every = (100 / args.share_percent.clamp(1, 100)).max(1);
    let common = label(store.as_ref(), "bench common", &ids, every).await?;
    let rare = label(store.as_ref(), "bench rare", &ids, 1000).await?;
    println!(
        "filled {} contacts in {fill_seconds:.1} s; label `bench common` on every {every}th ({} contacts), `bench rare` on every 1000th",
        ids.len(),
        ids.len() as u64 / every
    );
    let query = |label, category, offset| ContactListQuery {
        category,
        offset,
        limit: PAGE_CONTACTS,
        label,
        search: None,
        sort: panorama_core::contact::Sort::default(),
    };
    let cases = [
        (
            "no label (baseline), all contacts",
            query(None, Category::All, 0),
        ),
        (
            "label on 10%: first page + count",
            query(Some(common), Category::All, 0),
        ),
        (
            "label on 0.1%: first page + count",
            query(Some(rare), Category::All, 0),
        ),
        (
            "label on 10%: page 1000 + count",
            query(Some(common), Category::All, 50_000),
        ),
        (
            "label on 10% and real-name tab",
            query(Some(common), Category::RealName, 0),
        ),
    ];
    println!("store.list_contacts, {SAMPLES} runs each (ms):");
    for (name, query) in cases {
        let (total, times) = time_store(store.as_ref(), query).await?;
        report(name, total, times);
    }
    time_api(store, common).await
}

async fn fill(store: &dyn Store, contacts: u64) -> anyhow::Result<Vec<ContactId>> {
    let schema = Schema::new(store.list_attributes().await?);
    let mut ids = Vec::with_capacity(usize::try_from(contacts).unwrap_or(0));
    let mut index = 0;
    while index < contacts {
        let end = (index + FILL_BATCH_CONTACTS as u64).min(contacts);
        let records = (index..end)
            .map(|n| {
                let mut map = serde_json::Map::new();
                // One contact in seven is anonymous (a WeChat fan only), so the tabs differ and
                // the labelled contacts fall in both.
                if n % 7 == 3 {
                    map.insert("wechat_openid".into(), format!("oBench{n}").into());
                } else {
                    map.insert("email".into(), format!("bench{n}@example.com").into());
                }
                ContactRecord::from_json(&schema, &map, ParseOptions::default())
                    .with_context(|| format!("bench contact {n}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let context = WriteContext {
            source: "bench".into(),
            at: now_micros(),
            fast: true,
        };
        for outcome in store.upsert_contacts(&records, &context).await? {
            ids.push(outcome.contact.contact_id);
        }
        index = end;
        if index % 100_000 == 0 {
            eprintln!("  {index} contacts");
        }
    }
    Ok(ids)
}

async fn label(
    store: &dyn Store,
    name: &str,
    ids: &[ContactId],
    every: u64,
) -> anyhow::Result<LabelId> {
    let new = NewLabel {
        name: name.into(),
        ..NewLabel::default()
    };
    let label = store.create_label(&new).await?.label_id;
    let chosen: Vec<ContactId> = ids
        .iter()
        .copied()
        .step_by(usize::try_from(every).unwrap_or(1))
        .collect();
    let context = WriteContext {
        source: "bench".into(),
        at: now_micros(),
        fast: true,
    };
    for chunk in chosen.chunks(FILL_BATCH_CONTACTS * 4) {
        store.add_label(label, chunk, &context).await?;
    }
    Ok(label)
}

async fn time_store(
    store: &dyn Store,
    query: ContactListQuery,
) -> anyhow::Result<(u64, Vec<Duration>)> {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut total = 0;
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let page = store.list_contacts(query.clone()).await?;
        times.push(started.elapsed());
        total = page.total;
    }
    Ok((total, times))
}

async fn time_api(store: Arc<dyn Store>, label: LabelId) -> anyhow::Result<()> {
    let server = super::server::serve(store, Settings::default()).await?;
    let (base, client) = (&server.base, &server.client);
    let url = format!("{base}/api/v1/contacts?label={label}&page_size={PAGE_CONTACTS}");
    let mut times = Vec::with_capacity(SAMPLES);
    let mut total = 0;
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let body: serde_json::Value = client
            .get(&url)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        times.push(started.elapsed());
        total = body["total"].as_u64().unwrap_or(0);
    }
    println!(
        "GET /api/v1/contacts?label=…&page_size=50 over HTTP on 127.0.0.1, {SAMPLES} runs (ms):"
    );
    report("label on 10%: first page + count, JSON", total, times);
    Ok(())
}

fn report(name: &str, total: u64, mut times: Vec<Duration>) {
    times.sort_unstable();
    let at = |p: f64| {
        let index = ((times.len() as f64 - 1.0) * p).round() as usize;
        times.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let p99 = at(0.99);
    let verdict = if p99 <= GOAL_MS { "within" } else { "over" };
    println!(
        "  {name:<45} total {total:>9}  p50 {:>7.2}  p90 {:>7.2}  p99 {p99:>7.2}  max {:>7.2}  ({verdict} the {GOAL_MS} ms goal at p99)",
        at(0.5),
        at(0.9),
        at(1.0)
    );
}
