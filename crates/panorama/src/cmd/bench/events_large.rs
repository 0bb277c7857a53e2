//! The large-table part of `panorama bench events` on one store: fill contact by contact through
//! the store, then the bytes on disk per event and, through the API, the first timeline page of
//! random contacts and the calendar of the one heavy contact.

use super::events::{
    CALENDAR_SAMPLES, EventBenchArgs, FILL_BATCH_EVENTS, TIMELINE_SAMPLES, contacts, fresh,
    instant, kind as event_kind, properties,
};
use super::stores::{BenchDatabase, Figure, Kind};
use anyhow::bail;
use panorama_core::Store;
use panorama_core::contact::{WriteContext, now_micros};
use panorama_core::event::{EventIdentity, IncomingEvent};
use panorama_server::Settings;
use panorama_store_sqlite::SqliteStore;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Fill the large table on `kind`, measure, and return the figures in the table's row order.
#[allow(clippy::cast_precision_loss)]
pub async fn run(
    dir: &Path,
    kind: Kind,
    postgres: Option<&BenchDatabase>,
    args: &EventBenchArgs,
) -> anyhow::Result<Vec<Figure>> {
    // `--large-events 0` measures the ingest alone.
    if args.large_events == 0 {
        return Ok(Vec::new());
    }
    let (url, store) = fresh(dir, kind, postgres, "large").await?;
    // SQLite is opened as itself, so it can be closed (checkpointing the WAL) before measuring.
    let sqlite = match kind {
        Kind::Sqlite => Some(Arc::new(SqliteStore::open(&url).await?)),
        Kind::Postgres => None,
    };
    let store: Arc<dyn Store> = match &sqlite {
        Some(sqlite) => sqlite.clone(),
        None => store,
    };
    eprintln!("{}: creating {} contacts", kind.name(), args.large_contacts);
    let ids = contacts(store.as_ref(), args.large_contacts.max(2)).await?;
    let heavy = ids[0];
    let now = now_micros();
    let year = now.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let context = WriteContext {
        source: "bench".into(),
        at: now,
        fast: false,
    };
    eprintln!(
        "{}: filling {} events ({} for one contact)",
        kind.name(),
        args.large_events,
        args.heavy_events
    );
    let started = Instant::now();
    let mut n = 0u64;
    while n < args.large_events {
        let size = (args.large_events - n).min(FILL_BATCH_EVENTS as u64);
        let batch: Vec<IncomingEvent> = (n..n + size)
            .map(|i| {
                // Contact by contact (a backfill), so a table far larger than the cache fills
                // at append speed; the API part measures interleaved live traffic.
                let contact_id = if i < args.heavy_events {
                    heavy
                } else {
                    let per_contact = (args.large_events / ids.len() as u64).max(1);
                    ids[usize::try_from((i / per_contact) % ids.len() as u64).unwrap_or(0)]
                };
                let kind = event_kind(i);
                let properties = properties(kind, i).as_object().cloned().unwrap_or_default();
                IncomingEvent {
                    event_id: format!("L{i:011}"),
                    event: kind.to_owned(),
                    occurred_at: instant(&mut rng, now),
                    identity: EventIdentity {
                        contact_id: Some(contact_id),
                        ..EventIdentity::default()
                    },
                    properties,
                }
            })
            .collect();
        store.ingest_events(batch, &context).await?;
        n += size;
        if n.is_multiple_of(1_000_000) {
            eprintln!(
                "  {n} events, {:.0} events/s",
                n as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    let fill_rate = args.large_events as f64 / started.elapsed().as_secs_f64();
    drop(store);
    let bytes = match (sqlite, postgres) {
        (Some(sqlite), _) => {
            sqlite.close().await;
            let path = dir.join("large.db");
            ["", "-wal"]
                .iter()
                .map(|s| std::fs::metadata(format!("{}{s}", path.display())).map_or(0, |m| m.len()))
                .sum()
        }
        (None, Some(postgres)) => {
            // As autovacuum would soon after a bulk fill; the planner needs the statistics.
            postgres.analyze()?;
            postgres.size_bytes()?
        }
        (None, None) => 0,
    };
    let store = crate::database::open(&url).await?;
    let server = super::server::serve(store, Settings::default()).await?;
    let (base, client) = (server.base.clone(), server.client.clone());
    let mut timeline = Vec::with_capacity(TIMELINE_SAMPLES);
    for _ in 0..TIMELINE_SAMPLES {
        let contact = ids[rng.random_range(0..ids.len())];
        let started = Instant::now();
        let reply = client
            .get(format!("{base}/api/v1/contacts/{contact}/events?limit=50"))
            .send()
            .await?;
        if !reply.status().is_success() {
            bail!("timeline answered {}", reply.status());
        }
        reply.bytes().await?;
        timeline.push(started.elapsed());
    }
    let mut calendar = Vec::with_capacity(CALENDAR_SAMPLES);
    for _ in 0..CALENDAR_SAMPLES {
        let started = Instant::now();
        let reply = client
            .get(format!(
                "{base}/api/v1/contacts/{heavy}/calendar?year={year}&tz=Asia/Shanghai"
            ))
            .send()
            .await?;
        if !reply.status().is_success() {
            bail!("calendar answered {}", reply.status());
        }
        reply.bytes().await?;
        calendar.push(started.elapsed());
    }
    Ok(vec![
        Figure::new(
            "large table: fill through the store, contact by contact, events/s",
            format!("{fill_rate:.0}"),
            "-",
        ),
        Figure::new(
            "bytes on disk per event (contacts and indexes included)",
            format!("{:.0}", bytes as f64 / args.large_events as f64),
            "-",
        ),
        Figure::latency(
            "first timeline page, 50 events, GET /api/v1/contacts/{id}/events, random contacts",
            &timeline,
            "p99 10 ms (both)",
        ),
        Figure::latency(
            format!(
                "calendar of the contact with {} events (GET .../calendar?tz=Asia/Shanghai)",
                args.heavy_events
            ),
            &calendar,
            "20 ms (SQLite)",
        ),
    ])
}
