//! `panorama bench`: benchmarks anyone can run, each generating its own data and printing its
//! figures, with a baseline measured in the same run (the machines are shared and noisy).
//! `import`, `list` and `events` take `--postgres URL` to run on both stores side by side
//! (`stores.rs`).

pub mod events;
mod events_large;
pub mod export;
pub mod import;
mod import_files;
pub mod labels;
pub mod list;
mod list_keywords;
pub mod pages;
mod server;
mod stores;

use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Where a benchmark keeps its files: `dir` when given (created if missing), else a temporary
/// folder, removed when the returned guard drops.
pub fn work_dir(dir: Option<&Path>) -> anyhow::Result<(PathBuf, Option<tempfile::TempDir>)> {
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            Ok((dir.to_owned(), None))
        }
        None => {
            let temporary = tempfile::tempdir()?;
            Ok((temporary.path().to_owned(), Some(temporary)))
        }
    }
}

/// Options of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark.
    #[command(subcommand)]
    pub command: BenchCommand,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import speed: CSV normal, again (nothing changes), fast mode, XLSX; SQLite's raw insert
    /// baseline; with `--postgres URL`, PostgreSQL side by side (goal ≥ 80,000 rows/s).
    Import(import::ImportBenchArgs),
    /// Event ingest through the API, timeline and calendar on a large table, bytes per event;
    /// with `--postgres URL`, PostgreSQL side by side (goal: timeline p99 ≤ 10 ms).
    Events(events::EventBenchArgs),
    /// Export of every contact to CSV and XLSX: rows/s and peak memory (goal: CSV ≥ 200,000
    /// rows/s at 1,000,000 contacts within 200 MB).
    Export(export::ExportBenchArgs),
    /// The contacts list filtered by a label: first page and exact count, store and API.
    Labels(labels::LabelBenchArgs),
    /// The contacts list at scale: search (hits and misses, 1 to 10 characters), exact totals,
    /// counts, deep sorted pages, memory; SQLite's plain scan as baseline; with `--postgres URL`,
    /// PostgreSQL side by side.
    List(list::ListBenchArgs),
    /// Every page of the web application over HTTP on the demo company (goal: 100 ms).
    Pages(pages::PagesBenchArgs),
}

/// Run the chosen benchmark.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.command {
        BenchCommand::Import(args) => import::run(args).await,
        BenchCommand::Events(args) => events::run(args).await,
        BenchCommand::Export(args) => export::run(args).await,
        BenchCommand::Labels(args) => labels::run(args).await,
        BenchCommand::List(args) => list::run(args).await,
        BenchCommand::Pages(args) => pages::run(args).await,
    }
}
