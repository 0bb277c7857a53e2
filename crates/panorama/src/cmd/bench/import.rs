//! `panorama bench import`: end-to-end import speed on generated files, each run a separate
//! `panorama import` process (so its peak memory is its own), against the store's raw bulk insert
//! of the same rows measured in the same run.

use super::import_files::{custom_attributes, write_csv, write_xlsx};
use anyhow::Context;
use clap::Args;
use panorama_core::contact::{
    Contact, ContactId, ContactRecord, Subscription, keys_of, now_micros,
};
use panorama_core::metadata::Schema;
use panorama_core::store::MetadataStore;
use panorama_import::{ImportOptions, prepare};
use panorama_store_sqlite::SqliteStore;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Options of `bench import`.
#[derive(Debug, Args)]
pub struct ImportBenchArgs {
    /// Rows in the CSV file.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Rows in the XLSX file (0 skips the XLSX run).
    #[arg(long, default_value_t = 1_000_000)]
    pub xlsx_rows: u64,
    /// Folder for the files and databases (a temporary one when absent).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

struct Run {
    name: &'static str,
    rows: u64,
    seconds: f64,
    peak_bytes: u64,
    summary: String,
}

/// Generate the files, run every import, print the table.
pub async fn run(args: ImportBenchArgs) -> anyhow::Result<()> {
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let csv = dir.join("contacts.csv");
    eprintln!("writing {} rows to {}", args.rows, csv.display());
    write_csv(&csv, args.rows)?;
    let mut runs = Vec::new();
    let normal = database(&dir, "normal").await?;
    runs.push(import(&csv, &normal, "csv, normal mode, empty store", &[]).await?);
    runs.push(import(&csv, &normal, "csv again, nothing changes", &[]).await?);
    let fast = database(&dir, "fast").await?;
    runs.push(import(&csv, &fast, "csv, fast mode, empty store", &["--fast"]).await?);
    if args.xlsx_rows > 0 {
        let xlsx = dir.join("contacts.xlsx");
        eprintln!("writing {} rows to {}", args.xlsx_rows, xlsx.display());
        write_xlsx(&xlsx, args.xlsx_rows)?;
        let workbook = database(&dir, "xlsx").await?;
        runs.push(import(&xlsx, &workbook, "xlsx, normal mode, empty store", &[]).await?);
    }
    let raw_seconds = raw_insert(&csv, &database(&dir, "raw").await?).await?;
    print(&runs, args.rows, raw_seconds);
    Ok(())
}

async fn database(dir: &Path, name: &str) -> anyhow::Result<String> {
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let url = format!("sqlite://{}", path.display());
    let store = crate::database::open(&url).await?;
    for attribute in custom_attributes() {
        store.create_attribute(&attribute).await?;
    }
    Ok(url)
}

async fn import(file: &Path, url: &str, name: &'static str, extra: &[&str]) -> anyhow::Result<Run> {
    eprintln!("running: {name}");
    let started = Instant::now();
    let output = tokio::process::Command::new(std::env::current_exe()?)
        .arg("import")
        .arg(file)
        .args(["--database", url, "--json"])
        .args(extra)
        .output()
        .await
        .context("running panorama import")?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("the import's JSON report")?;
    let count = |key: &str| report[key].as_u64().unwrap_or(0);
    let summary = ["created", "updated", "unchanged", "invalid"]
        .iter()
        .filter(|k| count(k) > 0)
        .map(|k| format!("{k} {}", count(k)))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Run {
        name,
        rows: count("total"),
        seconds,
        peak_bytes: count("peak_memory_bytes"),
        summary,
    })
}

/// The store's raw bulk insert of the same rows (contacts and their keys, same indexes), timed
/// alone: parsing and building the rows is left out.
async fn raw_insert(file: &Path, url: &str) -> anyhow::Result<f64> {
    eprintln!("running: raw bulk insert baseline");
    let store = SqliteStore::open(url).await?;
    let schema = Schema::new(store.list_attributes().await?);
    let mut prepared = prepare(file, &schema, &ImportOptions::default())?;
    let mut seconds = 0.0;
    let mut failure = None;
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        prepared.for_each_batch(|records| {
            let contacts: Vec<Contact> = records.iter().map(contact).collect();
            let keys: Vec<_> = contacts
                .iter()
                .flat_map(|c| keys_of(&schema, c).into_iter().map(|k| (k, c.contact_id)))
                .collect();
            let started = Instant::now();
            if let Err(error) = handle.block_on(store.bench_raw_insert(&contacts, &keys)) {
                failure = Some(error);
            }
            seconds += started.elapsed().as_secs_f64();
        })
    })?;
    failure.map_or(Ok(seconds), |e| Err(e.into()))
}

fn contact(record: &ContactRecord) -> Contact {
    let at = now_micros();
    Contact {
        contact_id: ContactId::new(),
        attributes: record
            .values
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.clone()?)))
            .collect(),
        subscription: Subscription::subscribed(at, "bench"),
        created_at: at,
        updated_at: at,
    }
}

#[allow(clippy::cast_precision_loss)]
fn print(runs: &[Run], rows: u64, raw_seconds: f64) {
    let raw_rate = rows as f64 / raw_seconds;
    println!(
        "{:<34} {:>10} {:>9} {:>12} {:>9}  result",
        "run", "rows", "seconds", "rows/s", "peak MB"
    );
    for run in runs {
        let rate = run.rows as f64 / run.seconds;
        println!(
            "{:<34} {:>10} {:>9.2} {:>12.0} {:>9.0}  {}",
            run.name,
            run.rows,
            run.seconds,
            rate,
            run.peak_bytes as f64 / 1e6,
            run.summary
        );
    }
    println!(
        "{:<34} {:>10} {:>9.2} {:>12.0}",
        "raw bulk insert (baseline)", rows, raw_seconds, raw_rate
    );
    if let Some(first) = runs.first() {
        println!(
            "import speed / raw speed (csv, normal mode): {:.2}",
            first.rows as f64 / first.seconds / raw_rate
        );
    }
}
