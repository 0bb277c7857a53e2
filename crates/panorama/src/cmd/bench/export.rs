//! `panorama bench export`: exporting every contact to CSV and XLSX. Fills a SQLite store with
//! `--contacts` contacts of the demo generator (without their events, which an export never
//! reads; reused from `--dir` when it already holds them), then runs each export as a separate
//! `panorama export` process, so its peak memory is its own, beside the store's bare reads of the
//! same contacts (a category in keyset batches; ids listed, then read by id) in the same run.

use anyhow::Context;
use clap::Args;
use panorama_core::Store;
use panorama_core::contact::{Category, ContactRecord, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use panorama_core::value::ParseOptions;
use panorama_export::EXPORT_BATCH_CONTACTS;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Contacts written per store call while filling.
pub const FILL_BATCH_CONTACTS: u64 = 5_000;
/// The goal of issue 5: CSV rows per second at 1,000,000 contacts.
pub const GOAL_CSV_ROWS_PER_SECOND: f64 = 200_000.0;
/// The goal of issue 5: peak memory of the export process, in bytes.
pub const GOAL_PEAK_BYTES: u64 = 200 * 1_000_000;

/// Options of `bench export`.
#[derive(Debug, Args)]
pub struct ExportBenchArgs {
    /// Contacts in the store; every one is exported.
    #[arg(long, default_value_t = 1_000_000)]
    pub contacts: u64,
    /// Columns to export (default: the list's default columns).
    #[arg(long, value_name = "a,b,c")]
    pub columns: Option<String>,
    /// Skip the XLSX run.
    #[arg(long)]
    pub no_xlsx: bool,
    /// Folder for the database and files (a temporary one when absent); an `export-bench.db`
    /// there with the right number of contacts is reused.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// Fill (or reuse), export, print.
pub async fn run(args: ExportBenchArgs) -> anyhow::Result<()> {
    let temporary = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temporary.path().to_owned());
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("export-bench.db").display());
    let store = crate::database::open(&url).await?;
    let existing = store.overview(jiff::Timestamp::now()).await?.all;
    if existing != args.contacts {
        anyhow::ensure!(
            existing == 0,
            "{url} holds {existing} contacts; use another --dir"
        );
        let started = Instant::now();
        fill(store.as_ref(), args.contacts).await?;
        println!(
            "filled {} demo contacts (no events) in {:.1} s",
            args.contacts,
            started.elapsed().as_secs_f64()
        );
    }
    let baselines = store_reads(store.as_ref()).await?;
    drop(store);
    let mut runs = vec![export(&dir, &url, "csv", args.columns.as_deref()).await?];
    if !args.no_xlsx {
        runs.push(export(&dir, &url, "xlsx", args.columns.as_deref()).await?);
    }
    println!(
        "{:<40} {:>9} {:>8} {:>10} {:>8} {:>9}",
        "run", "rows", "seconds", "rows/s", "peak MB", "file MB"
    );
    for (name, rows, seconds) in baselines {
        println!(
            "{name:<40} {rows:>9} {seconds:>8.2} {:>10.0} {:>8} {:>9}",
            rows as f64 / seconds,
            "-",
            "-"
        );
    }
    for run in &runs {
        println!(
            "{:<40} {:>9} {:>8.2} {:>10.0} {:>8.0} {:>9.0}",
            format!("panorama export --format {}", run.format),
            run.rows,
            run.seconds,
            run.rows as f64 / run.seconds,
            run.peak_bytes as f64 / 1e6,
            run.file_bytes as f64 / 1e6
        );
    }
    if let Some(csv) = runs.first() {
        let speed = csv.rows as f64 / csv.seconds;
        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        println!(
            "goal CSV ≥ {GOAL_CSV_ROWS_PER_SECOND:.0} rows/s: {}; peak ≤ {} MB: {}",
            verdict(speed >= GOAL_CSV_ROWS_PER_SECOND),
            GOAL_PEAK_BYTES / 1_000_000,
            verdict(csv.peak_bytes <= GOAL_PEAK_BYTES)
        );
    }
    Ok(())
}

/// One export process's figures.
struct Run {
    format: &'static str,
    rows: u64,
    seconds: f64,
    peak_bytes: u64,
    file_bytes: u64,
}

async fn export(
    dir: &Path,
    url: &str,
    format: &'static str,
    columns: Option<&str>,
) -> anyhow::Result<Run> {
    eprintln!("running: panorama export --format {format}");
    let file = dir.join(format!("contacts.{format}"));
    let mut command = tokio::process::Command::new(std::env::current_exe()?);
    command
        .arg("export")
        .args(["--database", url, "--format", format, "--json", "-o"])
        .arg(&file);
    if let Some(columns) = columns {
        command.args(["--columns", columns]);
    }
    let output = command.output().await.context("running panorama export")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    anyhow::ensure!(output.status.success(), "export {format} failed: {stderr}");
    let line = stderr.lines().last().unwrap_or_default();
    let summary: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("the export's summary: {line}"))?;
    let file_bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&file);
    Ok(Run {
        format,
        rows: summary["rows"].as_u64().unwrap_or(0),
        seconds: summary["seconds"].as_f64().unwrap_or(f64::NAN),
        peak_bytes: summary["peak_memory_bytes"].as_u64().unwrap_or(0),
        file_bytes,
    })
}

/// The store's part alone, both ways an export reads: a whole category in keyset batches, and
/// every id listed then read in batches by id, as a search or another sort needs.
async fn store_reads(store: &dyn Store) -> anyhow::Result<Vec<(&'static str, u64, f64)>> {
    let started = Instant::now();
    let mut rows = 0;
    let mut after = None;
    let attributes: Vec<String> = panorama_core::contact::DEFAULT_COLUMNS
        .iter()
        .filter(|name| **name != "created_at")
        .map(|name| (*name).to_owned())
        .collect();
    loop {
        let batch = store
            .contact_values_newest_first(
                Category::All,
                &attributes,
                after,
                EXPORT_BATCH_CONTACTS as u64,
            )
            .await?;
        rows += batch.len() as u64;
        after = batch.last().map(|c| (c.created_at, c.contact_id));
        if batch.len() < EXPORT_BATCH_CONTACTS {
            break;
        }
    }
    let keyset = (
        "store read, newest first, default columns",
        rows,
        started.elapsed().as_secs_f64(),
    );
    let started = Instant::now();
    let ids = store
        .list_contact_ids(ContactListQuery::category(Category::All, u64::MAX))
        .await?
        .ids;
    let listed = started.elapsed().as_secs_f64();
    let mut rows = 0;
    for chunk in ids.chunks(EXPORT_BATCH_CONTACTS) {
        rows += store.get_contacts(chunk).await?.len() as u64;
    }
    let by_id = started.elapsed().as_secs_f64();
    Ok(vec![
        keyset,
        ("store list ids (search index)", ids.len() as u64, listed),
        ("store list ids, then read by id", rows, by_id),
    ])
}

/// Write `contacts` demo contacts without events, in fast mode.
async fn fill(store: &dyn Store, contacts: u64) -> anyhow::Result<()> {
    for new in crate::demo::custom_attributes() {
        store
            .create_attribute(&new)
            .await
            .with_context(|| format!("adding attribute {}", new.name))?;
    }
    let schema = Schema::new(store.list_attributes().await?);
    let mut generator = crate::demo::DemoGenerator::new(42, now_micros());
    let mut start = 0;
    while start < contacts {
        let end = (start + FILL_BATCH_CONTACTS).min(contacts);
        let records = generator
            .contacts(start..end)
            .iter()
            .zip(start..)
            .map(|(map, index)| {
                ContactRecord::from_json(&schema, map, ParseOptions::default())
                    .with_context(|| format!("demo contact {index} is invalid"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let context = WriteContext {
            fast: true,
            ..WriteContext::now("bench")
        };
        store.upsert_contacts(&records, &context).await?;
        start = end;
        if start % 100_000 == 0 {
            eprintln!("  {start} contacts");
        }
    }
    Ok(())
}
