//! `panorama import FILE`: load contacts from CSV, XLSX or XLS, with a progress bar, a dry run,
//! a JSON report and a file of every rejected row.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use panorama_core::metadata::Schema;
use panorama_core::store::{ImportRequest, JobState, JobWorker, worker_id};
use panorama_import::{
    IMPORT_FILE_BYTES_MAX, ImportObserver, ImportOptions, ImportReport, Progress, RejectedRow,
    RejectedWriter, prepare,
};
use panorama_server::jobs::{Ended, new_import_job, run_import};
use std::fs::File;
use std::io::{BufWriter, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: CSV (comma, semicolon or tab), XLSX or XLS (first sheet).
    pub file: PathBuf,
    /// Database to import into.
    #[command(flatten)]
    pub database: crate::cli::DatabaseArgs,
    /// upsert, delete, unsubscribe-email, unsubscribe-mobile or unsubscribe-global.
    #[arg(long, default_value = "upsert")]
    pub purpose: String,
    /// Map a column to an attribute: `--map 手机=mobile`; `--map COLUMN=-` drops it. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=ATTRIBUTE")]
    pub map: Vec<String>,
    /// Drop columns that match no attribute instead of refusing the file.
    #[arg(long)]
    pub drop_unknown: bool,
    /// Label to add to every imported contact. Repeatable.
    #[arg(long = "label", value_name = "NAME")]
    pub labels: Vec<String>,
    /// What an empty cell means: keep the stored value, clear it, or set the attribute's default.
    #[arg(long, default_value = "keep")]
    pub empty: String,
    /// ISO country code for mobile numbers without a country code.
    #[arg(long, default_value = "CN")]
    pub default_country: String,
    /// Text encoding of a CSV file (utf-8, utf-16le, utf-16be, gbk, gb18030, big5); detected when absent.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Skip `user_created` and `attribute_change` events (much faster for a first load).
    #[arg(long)]
    pub fast: bool,
    /// Read and check the whole file, report counts and the first errors, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object with the job id, purpose and counts on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write every rejected row, with its row number, column, value and reason, to this CSV file.
    #[arg(long, value_name = "OUT.csv")]
    pub rejected: Option<PathBuf>,
    /// Most rejected rows listed (in the job and the --rejected file); the rest are counted as
    /// `unlisted`.
    #[arg(long, value_name = "ROWS", default_value_t = panorama_import::REJECTIONS_KEPT_MAX)]
    pub rejections_kept_max: u64,
    /// Most bytes one workbook cell may take; a workbook holding a larger one is refused.
    #[arg(long, value_name = "BYTES", default_value_t = panorama_import::CELL_BYTES_MAX)]
    pub cell_bytes_max: u64,
    /// How long this import's heartbeat (its lease on the job) holds, in seconds; renewed every
    /// third of it. A job whose heartbeat is older is shown as interrupted.
    #[arg(long, value_name = "SECONDS",
        default_value_t = panorama_core::store::JOB_LEASE_SECONDS_DEFAULT,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub job_lease_seconds: u64,
}

impl ImportArgs {
    /// The options as the API and the job record carry them, so both are checked by one parser.
    fn request(&self) -> ImportRequest {
        ImportRequest {
            purpose: Some(self.purpose.clone()),
            encoding: self.encoding.clone(),
            map: self.map.clone(),
            drop_unknown: self.drop_unknown,
            empty: Some(self.empty.clone()),
            default_country: Some(self.default_country.clone()),
            fast: self.fast,
            labels: self.labels.clone(),
        }
    }
}

/// Run the import (or the dry run) and report.
pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let request = args.request();
    let mut options = ImportOptions::from_request(&request, IMPORT_FILE_BYTES_MAX)?;
    options.read.rejections_kept_max = args.rejections_kept_max;
    options.read.cell_bytes_max = args.cell_bytes_max;
    let store = crate::database::open(&args.database.database).await?;
    let schema = Schema::new(store.list_attributes().await?);
    let prepared = prepare(&args.file, &schema, &options)
        .map_err(|error| {
            // The engine's sentence is for every interface; the flags are this one's way out.
            let hint = match error.code {
                panorama_import::codes::UNKNOWN_COLUMNS => {
                    "\nmap each column to an attribute (--map COLUMN=attribute), ignore it (--map COLUMN=-), or drop every unknown column (--drop-unknown)"
                }
                panorama_core::codes::COMPUTED_ATTRIBUTE => "\nignore the column (--map COLUMN=-)",
                _ => "",
            };
            anyhow::anyhow!("{error}{hint}")
        })
        .with_context(|| format!("cannot import {}", args.file.display()))?;
    let headers: Vec<String> = prepared
        .columns()
        .iter()
        .map(|c| c.header.clone())
        .collect();
    let mut observer = Terminal::new(&args, &headers)?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (job_id, report) = if args.dry_run {
        (None, prepared.dry_run(&mut observer)?)
    } else {
        let job = new_import_job(&file_name, &request, &options, "cli", JobState::Queued);
        job.create(store.as_ref()).await?;
        let actor = crate::cmd::users::cli_principal();
        panorama_server::app::imports::import_started(store.as_ref(), &actor, &job).await?;
        let lease = Duration::from_secs(args.job_lease_seconds);
        let worker = JobWorker::new(store.clone(), &worker_id("cli"), lease);
        let lease = worker
            .claim(&job.job_id)
            .await?
            .context("the import job was already taken by another worker")?;
        // The job runner records the end: done with the counts, or failed with the reason.
        let report = match run_import(&lease, prepared, "import", &mut observer).await? {
            Ended::Done(report) => report,
            Ended::Failed(error) => return Err(error.into()),
            Ended::Lost => anyhow::bail!(
                "import job {} stopped: its lease ran out and another worker took the job over",
                job.job_id
            ),
        };
        (Some(job.job_id.to_string()), report)
    };
    observer.finish()?;
    print_report(&args, &options, job_id.as_deref(), &report)
}

fn print_report(
    args: &ImportArgs,
    options: &ImportOptions,
    job_id: Option<&str>,
    report: &ImportReport,
) -> anyhow::Result<()> {
    let counts = serde_json::to_value(report.counts)?;
    if args.json {
        let mut out = serde_json::json!({"job_id": job_id, "purpose": options.purpose().as_str(), "dry_run": report.dry_run});
        if let (Some(out), Some(counts)) = (out.as_object_mut(), counts.as_object()) {
            out.extend(counts.clone());
            out.insert(
                "sheets_ignored".into(),
                serde_json::json!(report.sheets_ignored),
            );
            out.insert("errors".into(), serde_json::to_value(&report.errors)?);
            out.insert(
                "peak_memory_bytes".into(),
                serde_json::json!(peak_memory_bytes()),
            );
        }
        println!("{out}");
        return Ok(());
    }
    let verb = if report.dry_run {
        "would import"
    } else {
        "imported"
    };
    println!("{} {verb}: {}", args.file.display(), summary(&counts));
    if !report.sheets_ignored.is_empty() {
        println!(
            "only the first sheet was read; ignored: {}",
            report.sheets_ignored.join(", ")
        );
    }
    for error in report.errors.iter().take(10) {
        println!(
            "  row {}: {} (column `{}`, value `{}`)",
            error.row,
            error
                .reason
                .trim_start_matches(&format!("row {}: ", error.row)),
            error.column,
            error.value
        );
    }
    if let Some(job_id) = job_id {
        println!("job {job_id}");
    }
    Ok(())
}

fn summary(counts: &serde_json::Value) -> String {
    counts
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_u64().unwrap_or(0) > 0)
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Progress on stderr (a bar on a terminal, a line per batch otherwise) and the rejected file.
struct Terminal {
    bar: Option<ProgressBar>,
    rejected: Option<RejectedWriter<BufWriter<File>>>,
}

impl Terminal {
    fn new(args: &ImportArgs, headers: &[String]) -> anyhow::Result<Self> {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{bar:40}] {pos}/{len} rows, {per_sec}, {eta} left",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message("import");
            bar
        });
        let rejected = match &args.rejected {
            Some(path) => {
                let file = File::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Some(RejectedWriter::new(BufWriter::new(file), headers)?)
            }
            None => None,
        };
        Ok(Self { bar, rejected })
    }

    fn finish(self) -> anyhow::Result<()> {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
        if let Some(rejected) = self.rejected {
            rejected.finish()?;
        }
        Ok(())
    }
}

impl ImportObserver for Terminal {
    fn rejected(&mut self, row: &RejectedRow) {
        if let Some(writer) = &mut self.rejected
            && let Err(error) = writer.write(&row.to_job_rejection())
        {
            eprintln!("warning: the rejected-rows file is incomplete: {error}");
            self.rejected = None;
        }
    }

    fn progress(&mut self, progress: &Progress) {
        match &self.bar {
            Some(bar) => {
                if let Some(total) = progress.rows_total {
                    bar.set_length(total);
                }
                bar.set_position(progress.rows_done);
            }
            None => match progress.rows_total {
                Some(total) => eprintln!("progress: {}/{total} rows", progress.rows_done),
                None => eprintln!("progress: {} rows", progress.rows_done),
            },
        }
    }
}

/// This process's peak resident memory, from `/proc/self/status` (Linux); `None` elsewhere.
pub(crate) fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
