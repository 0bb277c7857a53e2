//! `panorama bench list`: the contacts list at scale (issue 5). Fills a fresh SQLite store with
//! `--contacts` demo contacts, then prints p50/p99 of: the first page for keywords of 1 to 10
//! characters drawn from the data (hits) and made up (misses), on one field or `any`; the exact
//! total; the overview and category counts; page 10,000 sorted by a custom attribute; with the
//! store's plain scan (read every contact, filter, sort) measured in the same run as baseline,
//! and the process's memory once the index is built.

use super::list_keywords::{Case, cases};
use panorama_core::Store;
use panorama_core::contact::{Category, Sort};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use panorama_store_sqlite::SqliteStore;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Contacts per page, as the list shows by default.
const PAGE: u64 = 50;

/// Options of `bench list`.
#[derive(Debug, clap::Args)]
pub struct ListBenchArgs {
    /// Contacts in the store.
    #[arg(long, default_value_t = 1_000_000)]
    pub contacts: u64,
    /// Keywords drawn from the data, and as many made up.
    #[arg(long, default_value_t = 300)]
    pub keywords: usize,
    /// Keywords timed with the plain scan (each reads every contact).
    #[arg(long, default_value_t = 3)]
    pub plain_samples: usize,
    /// Folder for the database (a temporary one when absent); an existing
    /// `list-bench-CONTACTS.db` there is reused.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

fn percentile(samples: &[Duration], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn report(what: &str, samples: &[Duration], goal: &str) {
    println!(
        "{what:<58} n={:<4} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms  (goal {goal})",
        samples.len(),
        percentile(samples, 0.5),
        percentile(samples, 0.99),
        percentile(samples, 1.0),
    );
}

/// Resident and peak memory of this process, in MB (Linux).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Fill (or reuse), measure, print.
pub async fn run(args: ListBenchArgs) -> anyhow::Result<()> {
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let file = dir.join(format!("list-bench-{}.db", args.contacts));
    let url = format!("sqlite://{}", file.display());
    if !file.exists() {
        // Filled by a child process, so the memory figures below are those of a process that only
        // opened the database and built the index, as a server does when it starts.
        let started = Instant::now();
        let status = std::process::Command::new(std::env::current_exe()?)
            .args(["demo", "--fill-only", "--no-events", "--database", &url])
            .args(["--contacts", &args.contacts.to_string()])
            .status()?;
        anyhow::ensure!(status.success(), "filling {url} failed");
        println!(
            "filled {} contacts in {:.1} s",
            args.contacts,
            started.elapsed().as_secs_f64()
        );
    }
    let sqlite = Arc::new(SqliteStore::open(&url).await?);
    let store: Arc<dyn Store> = sqlite.clone();
    let started = Instant::now();
    let overview = store.overview(jiff::Timestamp::now()).await?;
    let (rss, peak) = memory_mb();
    println!(
        "index built over {} contacts in {:.1} s; process memory {rss:.0} MB (peak {peak:.0} MB; goal ≤ 1,024 MB)",
        overview.all,
        started.elapsed().as_secs_f64()
    );
    let schema = Schema::new(store.list_attributes().await?);
    let sample = sample(store.as_ref(), overview.all).await?;
    let cases = cases(&sample, args.keywords, 7);
    searches(store.as_ref(), &cases).await?;
    counts(store.as_ref()).await?;
    deep_page(store.as_ref(), &schema, overview.all).await?;
    let (rss, peak) = memory_mb();
    println!(
        "process memory after every query above {rss:.0} MB (peak {peak:.0} MB; goal ≤ 1,024 MB)"
    );
    plain(&sqlite, &cases, args.plain_samples).await?;
    Ok(())
}

/// Contacts spread over the whole list, to draw keywords from.
async fn sample(
    store: &dyn Store,
    all: u64,
) -> anyhow::Result<Vec<panorama_core::contact::Contact>> {
    let step = (all / 200).max(1);
    let mut sample = Vec::new();
    for offset in (0..all).step_by(step as usize).take(200) {
        let query = ContactListQuery {
            offset,
            ..ContactListQuery::category(Category::All, 1)
        };
        sample.extend(store.list_contacts(query).await?.items);
    }
    Ok(sample)
}

async fn searches(store: &dyn Store, cases: &[Case]) -> anyhow::Result<()> {
    println!("-- search, first page of {PAGE} contacts with the exact total --");
    let mut groups: Vec<(String, Vec<Duration>, Vec<Duration>)> = Vec::new();
    for (label, keep) in [
        (
            "hits, 1-2 characters",
            (|c: &Case| c.hit && c.chars <= 2) as fn(&Case) -> bool,
        ),
        ("hits, 3-10 characters", |c: &Case| c.hit && c.chars > 2),
        ("misses", |c: &Case| !c.hit),
        ("one field", |c: &Case| {
            matches!(
                c.search.field,
                panorama_core::contact::SearchField::Attribute(_)
            )
        }),
        ("any field", |c: &Case| {
            matches!(c.search.field, panorama_core::contact::SearchField::Any)
        }),
    ] {
        let (mut pages, mut totals) = (Vec::new(), Vec::new());
        for case in cases.iter().filter(|c| keep(c)) {
            let query = ContactListQuery {
                search: Some(case.search.clone()),
                ..ContactListQuery::category(Category::All, PAGE)
            };
            let started = Instant::now();
            store.list_contacts(query.clone()).await?;
            pages.push(started.elapsed());
            let started = Instant::now();
            store.list_contact_ids(query).await?;
            totals.push(started.elapsed());
        }
        groups.push((label.to_owned(), pages, totals));
    }
    for (label, pages, totals) in &groups {
        report(
            &format!("first page + total, {label}"),
            pages,
            "p50 5 ms, p99 50 ms",
        );
        report(
            &format!("exact total (ids only), {label}"),
            totals,
            "p99 100 ms",
        );
    }
    Ok(())
}

async fn counts(store: &dyn Store) -> anyhow::Result<()> {
    println!("-- counts --");
    let mut overview = Vec::new();
    for _ in 0..100 {
        let started = Instant::now();
        store.overview(jiff::Timestamp::now()).await?;
        overview.push(started.elapsed());
    }
    report(
        "overview (all, real-name, anonymous, fans, 7/30 days)",
        &overview,
        "10 ms",
    );
    for category in [
        Category::RealName,
        Category::Anonymous,
        Category::WechatFan,
        Category::All,
    ] {
        let mut times = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            store
                .list_contacts(ContactListQuery::category(category, PAGE))
                .await?;
            times.push(started.elapsed());
        }
        report(
            &format!("category tab {category:?}: first page + count"),
            &times,
            "10 ms",
        );
    }
    Ok(())
}

async fn deep_page(store: &dyn Store, schema: &Schema, all: u64) -> anyhow::Result<()> {
    println!("-- deep pages --");
    let sort = Sort::parse(schema, Some("lifetime_value"), Some("asc"))?;
    let offset = (10_000 - 1) * PAGE;
    let query = ContactListQuery {
        offset: offset.min(all.saturating_sub(PAGE)),
        sort,
        ..ContactListQuery::category(Category::All, PAGE)
    };
    let started = Instant::now();
    store.list_contacts(query.clone()).await?;
    println!(
        "page 10,000 by lifetime_value (custom decimal), first time (loads the column, sorts): {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        store.list_contacts(query.clone()).await?;
        times.push(started.elapsed());
    }
    report("page 10,000 by lifetime_value, then", &times, "50 ms");
    let mut first = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        store
            .list_contacts(ContactListQuery {
                offset: 0,
                ..query.clone()
            })
            .await?;
        first.push(started.elapsed());
    }
    report(
        "page 1 by lifetime_value (baseline for page 10,000)",
        &first,
        "-",
    );
    Ok(())
}

async fn plain(sqlite: &SqliteStore, cases: &[Case], samples: usize) -> anyhow::Result<()> {
    println!("-- baseline: the store's plain scan (reads every contact, filters, sorts) --");
    let mut times = Vec::new();
    for case in cases.iter().filter(|c| c.hit).take(samples) {
        let query = ContactListQuery {
            search: Some(case.search.clone()),
            ..ContactListQuery::category(Category::All, PAGE)
        };
        let started = Instant::now();
        sqlite.plain_scan(&query).await?;
        times.push(started.elapsed());
    }
    report("plain scan, first page + total", &times, "-");
    Ok(())
}
