//! `panorama bench import`: end-to-end import speed on generated files, each run a separate
//! `panorama import` process (so its peak memory is its own), against SQLite's raw bulk insert
//! of the same rows measured in the same run; with `--postgres`, the same files imported into
//! PostgreSQL too, one column per store.

use super::import_files::{custom_attributes, write_csv, write_xlsx};
use super::stores::{self, BenchDatabase, Figure, Kind};
use anyhow::Context;
use clap::Args;
use panorama_core::contact::{
    Contact, ContactId, ContactRecord, Subscription, keys_of, now_micros,
};
use panorama_core::metadata::Schema;
use panorama_core::store::{ImportCounts, MetadataStore};
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
    /// Also run on PostgreSQL at this URL (help text: `stores::POSTGRES_HELP`).
    #[arg(long, value_name = "URL", help = stores::POSTGRES_HELP)]
    pub postgres: Option<String>,
}

/// The runs: what each is called in the table, and its goal.
const CSV_NORMAL: (&str, &str) = (
    "csv, normal mode, empty store",
    "100,000 SQLite, 80,000 PostgreSQL",
);
const CSV_AGAIN: (&str, &str) = ("csv again, nothing changes", "150,000 SQLite");
const CSV_FAST: (&str, &str) = ("csv, fast mode, empty store", "200,000 SQLite");
const XLSX_NORMAL: (&str, &str) = ("xlsx, normal mode, empty store", "30,000 SQLite");

/// The part of `panorama import --json`'s report a run reads: the counts and the peak memory.
#[derive(serde::Deserialize)]
struct Report {
    #[serde(flatten)]
    counts: ImportCounts,
    peak_memory_bytes: Option<u64>,
}

struct Run {
    name: &'static str,
    /// The goal for this run, printed beside it.
    goal: &'static str,
    rows: u64,
    seconds: f64,
    peak_bytes: u64,
    summary: String,
}

/// Generate the files, run every import on each store, print the table.
pub async fn run(args: ImportBenchArgs) -> anyhow::Result<()> {
    let postgres = args
        .postgres
        .as_deref()
        .map(BenchDatabase::parse)
        .transpose()?;
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let csv = dir.join("contacts.csv");
    eprintln!("writing {} rows to {}", args.rows, csv.display());
    write_csv(&csv, args.rows)?;
    let xlsx = dir.join("contacts.xlsx");
    if args.xlsx_rows > 0 {
        eprintln!("writing {} rows to {}", args.xlsx_rows, xlsx.display());
        write_xlsx(&xlsx, args.xlsx_rows)?;
    }
    let kinds = stores::kinds(postgres.as_ref());
    let mut columns = Vec::new();
    for &kind in &kinds {
        let pg = postgres.as_ref();
        let mut runs = Vec::new();
        let normal = database(&dir, kind, pg, "normal").await?;
        runs.push(import(&csv, &normal, kind, CSV_NORMAL, &[]).await?);
        runs.push(import(&csv, &normal, kind, CSV_AGAIN, &[]).await?);
        let fast = database(&dir, kind, pg, "fast").await?;
        runs.push(import(&csv, &fast, kind, CSV_FAST, &["--fast"]).await?);
        if args.xlsx_rows > 0 {
            let workbook = database(&dir, kind, pg, "xlsx").await?;
            runs.push(import(&xlsx, &workbook, kind, XLSX_NORMAL, &[]).await?);
        }
        columns.push(runs);
    }
    let raw_seconds = raw_insert(&csv, &database(&dir, Kind::Sqlite, None, "raw").await?).await?;
    print(&kinds, &columns, args.rows, raw_seconds);
    Ok(())
}

/// A fresh, empty store with the files' custom attributes: a new SQLite file in `dir`, or the
/// PostgreSQL bench database dropped and created again.
async fn database(
    dir: &Path,
    kind: Kind,
    postgres: Option<&BenchDatabase>,
    name: &str,
) -> anyhow::Result<String> {
    let (url, store) = match (kind, postgres) {
        (Kind::Postgres, Some(postgres)) => (postgres.url.clone(), postgres.fresh().await?),
        _ => {
            let path = dir.join(format!("{name}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            let url = format!("sqlite://{}", path.display());
            let store = crate::database::open(&url).await?;
            (url, store)
        }
    };
    for attribute in custom_attributes() {
        store.create_attribute(&attribute).await?;
    }
    Ok(url)
}

async fn import(
    file: &Path,
    url: &str,
    kind: Kind,
    (name, goal): (&'static str, &'static str),
    extra: &[&str],
) -> anyhow::Result<Run> {
    eprintln!("running on {}: {name}", kind.name());
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
    let report: Report =
        serde_json::from_slice(&output.stdout).context("the import's JSON report")?;
    let counts = report.counts;
    let summary = [
        ("created", counts.created),
        ("updated", counts.updated),
        ("unchanged", counts.unchanged),
        ("invalid", counts.invalid),
    ]
    .iter()
    .filter(|(_, count)| *count > 0)
    .map(|(name, count)| format!("{name} {count}"))
    .collect::<Vec<_>>()
    .join(", ");
    Ok(Run {
        name,
        goal,
        rows: counts.total,
        seconds,
        peak_bytes: report.peak_memory_bytes.unwrap_or(0),
        summary,
    })
}

/// SQLite's raw bulk insert of the same rows (contacts and their keys, same indexes), timed
/// alone: parsing and building the rows is left out. SQLite only: it is not a `Store` method.
async fn raw_insert(file: &Path, url: &str) -> anyhow::Result<f64> {
    eprintln!("running on SQLite: raw bulk insert baseline");
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
            if let Err(error) = handle.block_on(panorama_store_sqlite::bench::raw_insert(
                &store, &contacts, &keys,
            )) {
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
fn print(kinds: &[Kind], columns: &[Vec<Run>], rows: u64, raw_seconds: f64) {
    let raw_rate = rows as f64 / raw_seconds;
    let mut figures = Vec::new();
    for (kind, runs) in kinds.iter().zip(columns) {
        let mut column = Vec::new();
        for run in runs {
            let rate = run.rows as f64 / run.seconds;
            column.push(Figure::new(
                format!("{}: rows/s (s, peak MB)", run.name),
                format!(
                    "{rate:.0} ({:.1} s, {:.0} MB)",
                    run.seconds,
                    run.peak_bytes as f64 / 1e6
                ),
                run.goal,
            ));
            column.push(Figure::new(
                format!("  {} rows: result", run.rows),
                run.summary.clone(),
                "-",
            ));
        }
        column.push(match kind {
            Kind::Sqlite => Figure::new(
                "raw bulk insert, SQLite only (baseline): rows/s (s)",
                format!("{raw_rate:.0} ({raw_seconds:.1} s)"),
                "-",
            ),
            Kind::Postgres => Figure::new("", "n/a", ""),
        });
        if let Some(first) = runs.first() {
            column.push(Figure::new(
                "import speed / SQLite raw speed (csv, normal mode)",
                format!("{:.2}", first.rows as f64 / first.seconds / raw_rate),
                "0.4 SQLite",
            ));
        }
        figures.push(column);
    }
    stores::print_table(
        &format!("import of {rows} rows, each run a `panorama import` process"),
        kinds,
        &figures,
    );
}
