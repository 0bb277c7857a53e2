//! Both stores in one benchmark run: the PostgreSQL database a bench owns (dropped and created
//! again at the start of each run, so runs repeat; kept afterwards for `EXPLAIN`), the server-side
//! figures read through `psql`, and the table that prints one column per store next to the goal.

use anyhow::{Context, bail, ensure};
use panorama_core::Store;
use std::sync::Arc;
use std::time::Duration;

/// The help text of every bench's `--postgres` option.
pub const POSTGRES_HELP: &str = "Also run on PostgreSQL at this URL (postgres://USER@HOST/DATABASE): the database is dropped and created again at the start (so name a scratch one), kept afterwards; needs `psql`";

/// The stores a benchmark runs on, in the order of the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The embedded store, always measured.
    Sqlite,
    /// The server store, measured when `--postgres` is given.
    Postgres,
}

impl Kind {
    /// The column heading.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A PostgreSQL database the bench owns.
#[derive(Debug, Clone)]
pub struct BenchDatabase {
    /// The database's URL, as given.
    pub url: String,
    /// The same server's `postgres` database, to drop and create from.
    admin: String,
    /// The database's name (letters, digits and `_` only).
    name: String,
}

impl BenchDatabase {
    /// Parse `postgres://USER@HOST/DATABASE`; refuses the server's own databases.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let (scheme, rest) = url.split_once("://").context("not a postgres:// URL")?;
        ensure!(
            scheme == "postgres" || scheme == "postgresql",
            "not a postgres:// URL: {url}"
        );
        let (authority, path) = rest.split_once('/').context("the URL names no database")?;
        let (name, query) = path
            .split_once('?')
            .map_or((path, None), |(n, q)| (n, Some(q)));
        if name.is_empty()
            || ["postgres", "template0", "template1"].contains(&name)
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            bail!("`{name}` cannot be a bench database: name a scratch one, e.g. panorama_bench");
        }
        let query = query.map_or(String::new(), |q| format!("?{q}"));
        Ok(Self {
            url: url.to_owned(),
            admin: format!("{scheme}://{authority}/postgres{query}"),
            name: name.to_owned(),
        })
    }

    /// Drop the database (ending its connections), then open it: the store creates and migrates
    /// it again.
    pub async fn fresh(&self) -> anyhow::Result<Arc<dyn Store>> {
        self.drop_database()?;
        crate::database::open(&self.url).await
    }

    /// Drop the database if it exists.
    pub fn drop_database(&self) -> anyhow::Result<()> {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        psql(&self.admin, &sql).map(drop)
    }

    /// Refresh the planner's statistics, as autovacuum would soon after a bulk fill.
    pub fn analyze(&self) -> anyhow::Result<()> {
        psql(&self.url, "ANALYZE").map(drop)
    }

    /// The database's size on disk, tables and indexes together.
    pub fn size_bytes(&self) -> anyhow::Result<u64> {
        let size = psql(&self.url, "SELECT pg_database_size(current_database())")?;
        size.trim().parse().context("the size psql printed")
    }
}

/// Run one statement with `psql` and return what it printed (unaligned, tuples only).
fn psql(url: &str, sql: &str) -> anyhow::Result<String> {
    let output = std::process::Command::new("psql")
        .args([
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .context("running psql, the PostgreSQL client")?;
    ensure!(
        output.status.success(),
        "psql `{sql}`: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// One measured figure of one store: what, its cell, the goal.
#[derive(Debug, Clone)]
pub struct Figure {
    /// What was measured (the row's heading).
    pub what: String,
    /// The measurement, formatted.
    pub cell: String,
    /// The goal (the same for every store's figure of a row).
    pub goal: String,
}

impl Figure {
    /// A figure from its parts.
    pub fn new(what: impl Into<String>, cell: impl Into<String>, goal: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            cell: cell.into(),
            goal: goal.into(),
        }
    }

    /// A latency figure: `p50 / p99 / max` in milliseconds, and the sample count.
    pub fn latency(what: impl Into<String>, samples: &[Duration], goal: &str) -> Self {
        let cell = format!(
            "{:.2} / {:.2} / {:.2}",
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            percentile(samples, 1.0)
        );
        Self::new(format!("{} (n={})", what.into(), samples.len()), cell, goal)
    }
}

/// The `p` quantile of `samples` (nearest rank), in milliseconds.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
#[allow(clippy::cast_sign_loss)]
pub fn percentile(samples: &[Duration], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

/// Print `title`, then one row per figure of `columns[0]` with each store's cell side by side
/// (a store's missing row prints `-`) and the goal last.
pub fn print_table(title: &str, stores: &[Kind], columns: &[Vec<Figure>]) {
    let Some(first) = columns.first() else { return };
    let what = first
        .iter()
        .map(|f| f.what.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let cell = columns
        .iter()
        .flatten()
        .map(|f| f.cell.chars().count())
        .chain(stores.iter().map(|s| s.name().len()))
        .max()
        .unwrap_or(0);
    println!("-- {title} --");
    let mut heading = format!("{:<what$}", "");
    for store in stores {
        heading.push_str(&format!("  {:>cell$}", store.name()));
    }
    println!("{heading}  goal");
    for (row, figure) in first.iter().enumerate() {
        let mut line = format!("{:<what$}", figure.what);
        for column in columns {
            let value = column.get(row).map_or("-", |f| f.cell.as_str());
            line.push_str(&format!("  {value:>cell$}"));
        }
        println!("{line}  {}", figure.goal);
    }
}

/// The stores a run measures: SQLite, and PostgreSQL when a URL is given.
pub fn kinds(postgres: Option<&BenchDatabase>) -> Vec<Kind> {
    let mut kinds = vec![Kind::Sqlite];
    kinds.extend(postgres.map(|_| Kind::Postgres));
    kinds
}
