//! `panorama copy`: move everything one store holds into another, empty one (SQLite to
//! PostgreSQL, or any other direction), then prove it: every table's rows are read back from the
//! target and their count and checksum compared with what was read from the source.
//!
//! Before writing anything the source is read once for rows holding U+0000 (stores written
//! before text values were checked could hold one): PostgreSQL stores none, and a copy that left
//! those rows out would leave their events, labels and merges pointing at nothing. Such a source
//! is refused with the rows to fix (table and key), and the target is not touched.
//!
//! The source must not be written during a copy (stop its servers): rows are read in batches,
//! not in one snapshot. A copy that stops half-way leaves a target that a second copy refuses;
//! drop that database and copy again.

use crate::database;
use anyhow::{Context, bail};
use clap::Args;
use panorama_core::Store;
use panorama_core::store::{CopyChecksum, CopyRow};
use panorama_store_sql::{COPY_TABLES, CopyTable};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Rows read, and written in one target transaction, per batch.
pub const COPY_BATCH_ROWS: u64 = 2_000;
/// How often a long table reports its progress on stderr, in seconds.
pub const COPY_PROGRESS_SECONDS: u64 = 10;
/// Rows holding U+0000 a refusal names; the rest are counted.
pub const COPY_NUL_ROWS_SHOWN_MAX: usize = 50;

/// Options of `copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Database to copy from: `sqlite://FILE` or `postgres://USER@HOST/DATABASE`.
    #[arg(long)]
    pub from: String,
    /// Database to copy into. It must hold no data (contacts, events, labels, users, audit
    /// entries, ...); its schema is migrated and its preset definitions replaced by the source's.
    #[arg(long)]
    pub to: String,
    /// Print the report as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// One table's figures: what was read from the source and what the target holds afterwards.
struct TableReport {
    table: &'static str,
    source: CopyChecksum,
    target: CopyChecksum,
    target_rows: u64,
    seconds: f64,
}

impl TableReport {
    fn ok(&self) -> bool {
        self.source == self.target && self.target_rows == self.source.rows
    }

    fn json(&self) -> Value {
        json!({
            "table": self.table,
            "rows": self.source.rows,
            "target_rows": self.target_rows,
            "checksum": self.source.hex(),
            "target_checksum": self.target.hex(),
            "seconds": self.seconds,
            "ok": self.ok(),
        })
    }
}

/// Copy, verify, report; an error when the target is not empty or any table differs.
pub async fn run(args: CopyArgs) -> anyhow::Result<()> {
    if args.from == args.to {
        bail!("--from and --to name the same database");
    }
    let (from, to) = (redacted(&args.from), redacted(&args.to));
    let source = database::open(&args.from).await?;
    let target = database::open(&args.to).await?;
    let unmovable = rows_holding_nul(source.as_ref()).await?;
    if !unmovable.is_empty() {
        let shown: Vec<&str> = unmovable
            .iter()
            .take(COPY_NUL_ROWS_SHOWN_MAX)
            .map(String::as_str)
            .collect();
        let more = unmovable.len().saturating_sub(shown.len());
        bail!(
            "{from} holds {} rows with U+0000 (a NUL character), which no store accepts any more \
             and PostgreSQL cannot hold; nothing was written to {to}. Fix or delete these rows \
             and copy again:\n  {}{}",
            unmovable.len(),
            shown.join("\n  "),
            if more > 0 {
                format!("\n  ... and {more} more")
            } else {
                String::new()
            }
        );
    }
    let held = target
        .copy_begin()
        .await
        .with_context(|| format!("checking that {to} is empty"))?;
    if !held.is_empty() {
        let what: Vec<String> = held.iter().map(|(t, n)| format!("{n} {t}")).collect();
        bail!(
            "{to} is not empty: it holds {}. `panorama copy` only fills an empty store and never \
             merges into live data: copy into a new database",
            what.join(", ")
        );
    }
    let started = Instant::now();
    let mut copied = Vec::with_capacity(COPY_TABLES.len());
    for table in COPY_TABLES {
        let table_started = Instant::now();
        let sum = copy_table(source.as_ref(), target.as_ref(), table).await?;
        copied.push((sum, table_started.elapsed().as_secs_f64()));
    }
    target
        .copy_finish()
        .await
        .with_context(|| format!("finishing the copy into {to}"))?;
    let copy_seconds = started.elapsed().as_secs_f64();
    let verify_started = Instant::now();
    let mut reports = Vec::with_capacity(COPY_TABLES.len());
    for (table, (source_sum, seconds)) in COPY_TABLES.iter().zip(copied) {
        reports.push(TableReport {
            table: table.name,
            source: source_sum,
            target: checksum(target.as_ref(), table).await?,
            target_rows: target.copy_count(table.name).await?,
            seconds,
        });
    }
    let verify_seconds = verify_started.elapsed().as_secs_f64();
    let rows: u64 = reports.iter().map(|r| r.source.rows).sum();
    let rate = rows as f64 / copy_seconds.max(f64::EPSILON);
    let differing: Vec<&str> = reports
        .iter()
        .filter(|r| !r.ok())
        .map(|r| r.table)
        .collect();
    if args.json {
        let report = json!({
            "from": from, "to": to, "ok": differing.is_empty(), "rows": rows,
            "seconds": copy_seconds, "rows_per_second": rate.round(),
            "verify_seconds": verify_seconds,
            "tables": reports.iter().map(TableReport::json).collect::<Vec<_>>(),
        });
        println!("{report}");
    } else {
        println!(
            "{:<22} {:>10} {:>10}  {:<32}  result",
            "table", "rows", "target", "checksum"
        );
        for r in &reports {
            let result = if r.ok() {
                "ok".to_owned()
            } else {
                format!("DIFFERS (target {})", r.target.hex())
            };
            println!(
                "{:<22} {:>10} {:>10}  {}  {result}",
                r.table,
                r.source.rows,
                r.target_rows,
                r.source.hex()
            );
        }
        println!(
            "copied {rows} rows from {from} to {to} in {copy_seconds:.1} s ({rate:.0} rows/s), verified in {verify_seconds:.1} s"
        );
    }
    if !differing.is_empty() {
        bail!(
            "the copy in {to} differs from {from} in: {}",
            differing.join(", ")
        );
    }
    Ok(())
}

/// Copy one table in batches, reading the next batch while the last one is written; the
/// checksum of the rows read.
async fn copy_table(
    source: &dyn Store,
    target: &dyn Store,
    table: &CopyTable,
) -> anyhow::Result<CopyChecksum> {
    let started = Instant::now();
    let mut reported = Instant::now();
    let mut sum = CopyChecksum::default();
    let mut batch = read(source, table, None).await?;
    while !batch.is_empty() {
        batch.iter().for_each(|row| sum.add(row));
        let more = batch.len() as u64 == COPY_BATCH_ROWS;
        let (written, next) = tokio::join!(target.copy_write(table.name, &batch), async {
            if more {
                read(source, table, batch.last()).await
            } else {
                Ok(Vec::new())
            }
        });
        written.with_context(|| format!("writing {}", table.name))?;
        batch = next?;
        if reported.elapsed() >= Duration::from_secs(COPY_PROGRESS_SECONDS) {
            reported = Instant::now();
            eprintln!("copy: {:<22} {:>10} rows so far", table.name, sum.rows);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "copy: {:<22} {:>10} rows in {seconds:>6.1} s ({:.0} rows/s)",
        table.name,
        sum.rows,
        sum.rows as f64 / seconds.max(f64::EPSILON)
    );
    Ok(sum)
}

/// One batch of `table` from `source`, after the row `after`.
async fn read(
    source: &dyn Store,
    table: &CopyTable,
    after: Option<&CopyRow>,
) -> anyhow::Result<Vec<CopyRow>> {
    source
        .copy_read(table.name, after, COPY_BATCH_ROWS)
        .await
        .with_context(|| format!("reading {}", table.name))
}

/// Every row of `store` holding U+0000, as `table (key=value): columns`.
async fn rows_holding_nul(store: &dyn Store) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    for table in COPY_TABLES {
        let mut batch = read(store, table, None).await?;
        while !batch.is_empty() {
            for row in &batch {
                let columns = table.nul_columns(row);
                if !columns.is_empty() {
                    found.push(format!("{}: {}", table.describe(row), columns.join(", ")));
                }
            }
            if (batch.len() as u64) < COPY_BATCH_ROWS {
                break;
            }
            batch = read(store, table, batch.last()).await?;
        }
    }
    Ok(found)
}

/// Read a whole table of `store` and checksum it.
async fn checksum(store: &dyn Store, table: &CopyTable) -> anyhow::Result<CopyChecksum> {
    let mut sum = CopyChecksum::default();
    let mut batch = store.copy_read(table.name, None, COPY_BATCH_ROWS).await?;
    while !batch.is_empty() {
        batch.iter().for_each(|row| sum.add(row));
        if (batch.len() as u64) < COPY_BATCH_ROWS {
            break;
        }
        batch = store
            .copy_read(table.name, batch.last(), COPY_BATCH_ROWS)
            .await
            .with_context(|| format!("verifying {}", table.name))?;
    }
    Ok(sum)
}

/// `url` with any password replaced by `***`, for messages and reports.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}{path}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redacted("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redacted("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redacted("sqlite://a.db"), "sqlite://a.db");
    }
}
