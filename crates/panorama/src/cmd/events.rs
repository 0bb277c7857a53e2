//! `panorama events FILE.jsonl`: ingest events from a file of one JSON event per line, in batches,
//! with a progress bar; the same rules and results as `POST /api/v1/events`.

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use panorama_core::contact::WriteContext;
use panorama_core::event::{
    EVENTS_BATCH_MAX, EventParser, IncomingEvent, IngestOutcome, IngestStatus,
};
use panorama_core::metadata::Schema;
use panorama_core::mobile::DefaultCountry;
use panorama_core::value::ParseOptions;
use std::io::BufRead;
use std::path::PathBuf;

/// Batches read and checked ahead of the one being written.
pub const BATCHES_AHEAD_MAX: usize = 1;

/// Rejections printed in full; the rest are counted.
pub const REJECTIONS_SHOWN_MAX: usize = 20;

/// Options of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// A file of events, one JSON object per line:
    /// `{"event_id", "event", "occurred_at", "identity": {...}, "properties": {...}}`.
    pub file: PathBuf,
    /// Database to write into.
    #[command(flatten)]
    pub database: crate::cli::DatabaseArgs,
    /// Events written per transaction (at most 10,000). Events land on random pages of the
    /// events table, and larger transactions let more of them share a page.
    #[arg(long, default_value_t = EVENTS_BATCH_MAX)]
    pub batch: usize,
    /// ISO country code applied to mobile numbers without a country code.
    #[arg(long, env = "PANORAMA_DEFAULT_COUNTRY", default_value = "CN")]
    pub default_country: String,
}

/// Counts of a run.
#[derive(Debug, Default)]
struct Counts {
    created: u64,
    duplicate: u64,
    rejected: u64,
}

/// Ingest the file and print the counts and the first rejections (with their line numbers).
pub async fn run(args: EventsArgs) -> anyhow::Result<()> {
    let batch_size = args.batch.clamp(1, EVENTS_BATCH_MAX);
    let options = ParseOptions {
        default_country: DefaultCountry::parse(&args.default_country)?,
    };
    let store = crate::database::open(&args.database.database).await?;
    let schema = Schema::new(store.list_attributes().await?);
    let definitions = store.list_event_definitions().await?;
    let parser = EventParser::new(&schema, &definitions, options);
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("opening {}", args.file.display()))?;
    let progress = ProgressBar::new(file.metadata()?.len()).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes}, {per_sec}, {eta} left",
        )
        .map_err(anyhow::Error::msg)?
        .progress_chars("=> "),
    );
    progress.set_message("events");
    let mut counts = Counts::default();
    let mut shown = 0;
    let mut report =
        |line: usize, outcome: &IngestOutcome, counts: &mut Counts| match &outcome.status {
            IngestStatus::Created => counts.created += 1,
            IngestStatus::Duplicate => counts.duplicate += 1,
            IngestStatus::Rejected(error) => {
                counts.rejected += 1;
                if shown < REJECTIONS_SHOWN_MAX {
                    shown += 1;
                    progress.suspend(|| eprintln!("line {line}: rejected: {error}"));
                }
            }
        };
    // Batches are written by a task of their own, in file order, while the next one is read
    // and checked: the writer no longer waits for the reading. Its outcomes come back as each
    // batch is written, so memory holds a few batches whatever the file's size.
    let (batches, mut to_write) =
        tokio::sync::mpsc::channel::<(Vec<usize>, Vec<IncomingEvent>)>(BATCHES_AHEAD_MAX);
    let (written, mut outcomes) = tokio::sync::mpsc::unbounded_channel();
    let writer = {
        let store = store.clone();
        let context = WriteContext::now("cli");
        tokio::spawn(async move {
            while let Some((lines, events)) = to_write.recv().await {
                let result = store.ingest_events(events, &context).await;
                let failed = result.is_err();
                if written.send((lines, result)).is_err() || failed {
                    return;
                }
            }
        })
    };
    let mut pending = Vec::with_capacity(batch_size);
    let mut lines = Vec::with_capacity(batch_size);
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading line {}", number + 1))?;
        progress.inc(u64::try_from(line.len() + 1).unwrap_or(0));
        if line.trim().is_empty() {
            continue;
        }
        let parsed = serde_json::from_str(&line)
            .map_err(|e| {
                panorama_core::Error::invalid(
                    panorama_core::codes::BAD_REQUEST,
                    format!("not JSON: {e}"),
                    "line",
                    number + 1,
                )
            })
            .and_then(|raw| parser.parse(raw));
        match parsed {
            Ok(event) => {
                pending.push(event);
                lines.push(number + 1);
            }
            Err(error) => report(number + 1, &IngestOutcome::rejected(error), &mut counts),
        }
        if pending.len() == batch_size {
            let batch = (
                std::mem::replace(&mut lines, Vec::with_capacity(batch_size)),
                std::mem::replace(&mut pending, Vec::with_capacity(batch_size)),
            );
            // A closed channel means the writer stopped on an error, reported below.
            let stopped = batches.send(batch).await.is_err();
            while let Ok(done) = outcomes.try_recv() {
                report_written(done, &mut counts, &mut report)?;
            }
            if stopped {
                break;
            }
        }
    }
    if !pending.is_empty() {
        // A closed channel means the writer stopped on an error, reported below.
        let _ = batches.send((lines, pending)).await;
    }
    drop(batches);
    while let Some(done) = outcomes.recv().await {
        report_written(done, &mut counts, &mut report)?;
    }
    writer.await?;
    progress.finish_and_clear();
    println!(
        "{}: {} created, {} duplicate, {} rejected",
        args.file.display(),
        counts.created,
        counts.duplicate,
        counts.rejected
    );
    Ok(())
}

/// A batch the writer answered: its line numbers and outcomes (or the error that stopped it).
type Written = (Vec<usize>, panorama_core::Result<Vec<IngestOutcome>>);

/// Count and show a written batch's outcomes by their line numbers.
fn report_written(
    (lines, result): Written,
    counts: &mut Counts,
    report: &mut impl FnMut(usize, &IngestOutcome, &mut Counts),
) -> panorama_core::Result<()> {
    for (line, outcome) in lines.into_iter().zip(&result?) {
        report(line, outcome, counts);
    }
    Ok(())
}
