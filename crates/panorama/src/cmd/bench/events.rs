//! `panorama bench events`: event ingest end to end through `POST /api/v1/events` (HTTP on
//! 127.0.0.1, identities by mobile so every batch resolves keys), then queries on a large event
//! table (`events_large.rs`): the first timeline page of random contacts and the calendar of a
//! contact with many events, both through the API, and the bytes on disk per event. With
//! `--postgres`, both parts run on PostgreSQL too, on the same generated events, and the figures
//! print side by side.

use super::stores::{self, BenchDatabase, Figure, Kind};
use anyhow::{Context, bail};
use clap::Args;
use panorama_core::Store;
use panorama_core::contact::{ContactId, ContactRecord, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use panorama_server::Settings;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Requests in flight at once while ingesting, by default. A throughput figure needs enough
/// offered load to keep the server busy: the store writes the requests that wait together as one
/// transaction, and with 4 senders the writer sat idle about 40% of the time between groups.
/// The answer time of each request is printed beside the rate, so the price of the load shows.
pub const INGEST_SENDERS: usize = 32;
/// Events per store call while filling the large table.
pub const FILL_BATCH_EVENTS: usize = 10_000;
/// Contacts per store call while creating contacts.
pub const CONTACT_BATCH: usize = 5_000;
/// Timeline pages sampled for the latency figures.
pub const TIMELINE_SAMPLES: usize = 2_000;
/// Calendar requests sampled.
pub const CALENDAR_SAMPLES: usize = 50;

/// Options of `bench events`.
#[derive(Debug, Args)]
pub struct EventBenchArgs {
    /// Contacts the ingested events belong to (created before timing).
    #[arg(long, default_value_t = 10_000)]
    pub contacts: u64,
    /// Events sent through the API.
    #[arg(long, default_value_t = 200_000)]
    pub events: u64,
    /// Events per request.
    #[arg(long, default_value_t = 1_000)]
    pub batch: usize,
    /// Requests in flight at once (concurrent senders).
    #[arg(long, default_value_t = INGEST_SENDERS)]
    pub senders: usize,
    /// Contacts of the large table.
    #[arg(long, default_value_t = 100_000)]
    pub large_contacts: u64,
    /// Events of the large table (the target is 100,000,000 over 1,000,000 contacts);
    /// 0 skips the large table and measures the ingest alone.
    #[arg(long, default_value_t = 10_000_000)]
    pub large_events: u64,
    /// Events of the one heavy contact whose calendar is measured.
    #[arg(long, default_value_t = 10_000)]
    pub heavy_events: u64,
    /// Folder for the databases (a temporary one when absent).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Also run on PostgreSQL at this URL (help text: `stores::POSTGRES_HELP`).
    #[arg(long, value_name = "URL", help = stores::POSTGRES_HELP)]
    pub postgres: Option<String>,
}

/// Run both parts on each store and print their figures.
pub async fn run(args: EventBenchArgs) -> anyhow::Result<()> {
    let postgres = args
        .postgres
        .as_deref()
        .map(BenchDatabase::parse)
        .transpose()?;
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let kinds = stores::kinds(postgres.as_ref());
    let mut columns = Vec::new();
    for &kind in &kinds {
        let (_, store) = fresh(&dir, kind, postgres.as_ref(), "ingest").await?;
        let (rate, latencies) = ingest_through_api(store, &args).await?;
        let large = super::events_large::run(&dir, kind, postgres.as_ref(), &args).await?;
        let mut column = vec![
            Figure::new(
                "ingest through POST /api/v1/events, events/s",
                format!("{rate:.0}"),
                "50000 (SQLite)",
            ),
            Figure::latency("ingest: one request, answer time", &latencies, "-"),
        ];
        column.extend(large);
        columns.push(column);
    }
    stores::print_table(
        &format!(
            "events: {} sent in batches of {} by {} concurrent senders over {} contacts (identity by mobile); large table {} events over {} contacts, {} for the heavy contact; latencies p50 / p99 / max, ms",
            args.events,
            args.batch,
            args.senders,
            args.contacts,
            args.large_events,
            args.large_contacts,
            args.heavy_events
        ),
        &kinds,
        &columns,
    );
    Ok(())
}

/// A fresh store: a new SQLite file `NAME.db` in `dir`, or the PostgreSQL bench database
/// dropped and created again.
pub async fn fresh(
    dir: &Path,
    kind: Kind,
    postgres: Option<&BenchDatabase>,
    name: &str,
) -> anyhow::Result<(String, Arc<dyn Store>)> {
    if let (Kind::Postgres, Some(postgres)) = (kind, postgres) {
        return Ok((postgres.url.clone(), postgres.fresh().await?));
    }
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let url = format!("sqlite://{}", path.display());
    Ok((url.clone(), crate::database::open(&url).await?))
}

fn mobile(index: u64) -> String {
    format!("139{:08}", index % 100_000_000)
}

/// Create `count` contacts with a mobile each; their ids in index order.
pub async fn contacts(store: &dyn Store, count: u64) -> anyhow::Result<Vec<ContactId>> {
    let schema = Schema::new(store.list_attributes().await?);
    let mut ids = Vec::with_capacity(usize::try_from(count)?);
    let mut start = 0;
    while start < count {
        let end = (start + CONTACT_BATCH as u64).min(count);
        let records = (start..end)
            .map(|i| {
                let map = json!({"mobile": mobile(i)});
                ContactRecord::from_json(
                    &schema,
                    map.as_object().context("an object")?,
                    ParseOptions::default(),
                )
                .map_err(anyhow::Error::from)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let context = WriteContext {
            source: "bench".into(),
            at: now_micros(),
            fast: true,
        };
        ids.extend(
            store
                .upsert_contacts(&records, &context)
                .await?
                .iter()
                .map(|o| o.contact.contact_id),
        );
        start = end;
    }
    Ok(ids)
}

const KINDS: [&str; 4] = [
    "email_open",
    "email_click",
    "wechat_menu_click",
    "form_open",
];

/// The event kind of event `n`: one in twenty is an order.
pub fn kind(n: u64) -> &'static str {
    if n % 20 == 19 {
        "order"
    } else {
        KINDS[usize::try_from(n % 4).unwrap_or(0)]
    }
}

/// The properties of event `n` of `kind`.
pub fn properties(kind: &str, n: u64) -> Value {
    match kind {
        "email_open" => json!({"campaign_id": format!("C-{}", n % 52), "subject": "本周新茶推荐"}),
        "email_click" => {
            json!({"campaign_id": format!("C-{}", n % 52), "url": "https://shop.example.com/new"})
        }
        "wechat_menu_click" => json!({"app_id": "wx_bench", "menu": "会员中心"}),
        "form_open" => json!({"form_id": "F-1", "form_name": "报名"}),
        _ => {
            json!({"order_id": format!("SO-{n}"), "amount": "128.00", "currency": "CNY", "status": "paid", "item_count": 1})
        }
    }
}

/// A random instant of the last year.
pub fn instant(rng: &mut ChaCha8Rng, now: jiff::Timestamp) -> jiff::Timestamp {
    let back = rng.random_range(0..365 * 86_400_i64);
    jiff::Timestamp::from_second(now.as_second() - back).unwrap_or(now)
}

/// What the bench reads of an ingest answer; the per-event results are skipped unparsed, since
/// the client shares the machine's two cores with the server it measures.
#[derive(serde::Deserialize)]
struct Reply {
    counts: ReplyCounts,
}

/// The `counts` of an ingest answer.
#[derive(serde::Deserialize)]
struct ReplyCounts {
    created: u64,
}

/// Send the events through the API from `args.senders` concurrent senders: events/s over the
/// whole run, and each request's answer time.
async fn ingest_through_api(
    store: Arc<dyn Store>,
    args: &EventBenchArgs,
) -> anyhow::Result<(f64, Vec<std::time::Duration>)> {
    eprintln!("creating {} contacts", args.contacts);
    contacts(store.as_ref(), args.contacts).await?;
    let now = now_micros();
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut bodies = Vec::new();
    let mut n = 0;
    while n < args.events {
        let size = (args.events - n).min(args.batch as u64);
        let events: Vec<Value> = (n..n + size)
            .map(|i| {
                let kind = kind(i);
                let at = instant(&mut rng, now).to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
                json!({"event_id": format!("bench-{i}"), "event": kind, "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    "identity": {"mobile": mobile(rng.random_range(0..args.contacts))}, "properties": properties(kind, i)})
            })
            .collect();
        bodies.push(serde_json::to_vec(&json!({ "events": events }))?);
        n += size;
    }
    let server = super::server::serve(store.clone(), Settings::default()).await?;
    let (base, client) = (server.base.clone(), server.client.clone());
    let url = format!("{base}/api/v1/events");
    let queue = Arc::new(std::sync::Mutex::new(bodies));
    eprintln!("sending {} events", args.events);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.senders.max(1) {
        let (queue, client, url) = (queue.clone(), client.clone(), url.clone());
        workers.push(tokio::spawn(async move {
            let (mut created, mut latencies) = (0u64, Vec::new());
            loop {
                let body = queue
                    .lock()
                    .map_err(|_| anyhow::anyhow!("queue poisoned"))?
                    .pop();
                let Some(body) = body else {
                    return Ok::<_, anyhow::Error>((created, latencies));
                };
                let sent = Instant::now();
                let reply: Reply = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?
                    .json()
                    .await?;
                latencies.push(sent.elapsed());
                created += reply.counts.created;
            }
        }));
    }
    let (mut created, mut latencies) = (0, Vec::new());
    for worker in workers {
        let (count, times) = worker.await??;
        created += count;
        latencies.extend(times);
    }
    let seconds = started.elapsed().as_secs_f64();
    if created != args.events {
        bail!("{created} of {} events were created", args.events);
    }
    Ok((args.events as f64 / seconds, latencies))
}
