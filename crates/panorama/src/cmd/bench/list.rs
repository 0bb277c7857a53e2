//! `panorama bench list`: the contacts list at scale (issue 5). Fills a fresh SQLite store with
//! `--contacts` demo contacts, then prints p50/p99 of: the first page for keywords of 1 to 10
//! characters drawn from the data (hits) and made up (misses), on one field or `any`; the exact
//! total; the overview and category counts; page 10,000 sorted by a custom attribute; with
//! SQLite's plain scan (read every contact, filter, sort) measured in the same run as baseline,
//! and the process's memory once the index is built. With `--postgres`, the same demo company
//! is filled into PostgreSQL and the same queries measured there, one column per store.

use super::list_keywords::{Case, cases, masked_cases, sample};
use super::stores::{self, BenchDatabase, Figure, Kind};
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
    /// Also run on PostgreSQL at this URL (help text: `stores::POSTGRES_HELP`).
    #[arg(long, value_name = "URL", help = stores::POSTGRES_HELP)]
    pub postgres: Option<String>,
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
    let postgres = args
        .postgres
        .as_deref()
        .map(BenchDatabase::parse)
        .transpose()?;
    let (dir, _temporary) = super::work_dir(args.dir.as_deref())?;
    let file = dir.join(format!("list-bench-{}.db", args.contacts));
    let url = format!("sqlite://{}", file.display());
    if !file.exists() {
        fill(&url, args.contacts, Kind::Sqlite)?;
    }
    let sqlite = Arc::new(SqliteStore::open(&url).await?);
    let store: Arc<dyn Store> = sqlite.clone();
    let started = Instant::now();
    let overview = store.overview(jiff::Timestamp::now()).await?;
    let (rss, peak) = memory_mb();
    println!(
        "SQLite: index built over {} contacts in {:.1} s; process memory {rss:.0} MB (peak {peak:.0} MB; goal ≤ 1,024 MB)",
        overview.all,
        started.elapsed().as_secs_f64()
    );
    let schema = Schema::new(store.list_attributes().await?);
    let sample = sample(store.as_ref(), overview.all).await?;
    let mut cases = cases(&sample, args.keywords, 7);
    cases.extend(masked_cases(&sample, args.keywords));
    let mut columns = vec![measure(store.as_ref(), &schema, &cases, overview.all).await?];
    let (rss, peak) = memory_mb();
    println!(
        "SQLite: process memory after every query {rss:.0} MB (peak {peak:.0} MB; goal ≤ 1,024 MB)"
    );
    let substring: Vec<Case> = cases.iter().filter(|c| !masked(c)).cloned().collect();
    columns[0].push(plain(&sqlite, &substring, args.plain_samples).await?);
    drop((store, sqlite));
    if let Some(postgres) = &postgres {
        postgres.drop_database()?;
        fill(&postgres.url, args.contacts, Kind::Postgres)?;
        postgres.analyze()?;
        let store = crate::database::open(&postgres.url).await?;
        let started = Instant::now();
        let overview = store.overview(jiff::Timestamp::now()).await?;
        println!(
            "PostgreSQL: {} contacts, ANALYZE run after the fill; first overview {:.1} s",
            overview.all,
            started.elapsed().as_secs_f64()
        );
        let schema = Schema::new(store.list_attributes().await?);
        let mut column = measure(store.as_ref(), &schema, &cases, overview.all).await?;
        column.push(Figure::new("", "n/a", ""));
        columns.push(column);
    }
    stores::print_table(
        &format!(
            "contacts list over {} contacts, the same keywords on each store; cells: p50 / p99 / max, ms",
            args.contacts
        ),
        &stores::kinds(postgres.as_ref()),
        &columns,
    );
    Ok(())
}

/// Fill the database at `url` with the demo company in a child process, so this process's
/// memory figures are those of one that only opened the database, as a server does.
fn fill(url: &str, contacts: u64, kind: Kind) -> anyhow::Result<()> {
    let started = Instant::now();
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(["demo", "--fill-only", "--no-events", "--database", url])
        .args(["--contacts", &contacts.to_string()])
        .status()?;
    anyhow::ensure!(status.success(), "filling {url} failed");
    println!(
        "{}: filled {contacts} contacts in {:.1} s",
        kind.name(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Every figure of one store, in the table's row order.
async fn measure(
    store: &dyn Store,
    schema: &Schema,
    cases: &[Case],
    all: u64,
) -> anyhow::Result<Vec<Figure>> {
    let mut figures = searches(store, cases).await?;
    figures.extend(counts(store).await?);
    figures.extend(deep_page(store, schema, all).await?);
    figures.extend(text_sort(store, schema, all).await?);
    Ok(figures)
}

/// A list sorted by name (Chinese text): the first sort loads the column's keys, later ones
/// walk the cached order.
async fn text_sort(store: &dyn Store, schema: &Schema, all: u64) -> anyhow::Result<Vec<Figure>> {
    let query = ContactListQuery {
        offset: (1_000 - 1) * PAGE,
        sort: Sort::parse(schema, Some("name"), Some("asc"))?,
        ..ContactListQuery::category(Category::All, PAGE)
    };
    let query = ContactListQuery {
        offset: query.offset.min(all.saturating_sub(PAGE)),
        ..query
    };
    let started = Instant::now();
    store.list_contacts(query.clone()).await?;
    let mut figures = vec![Figure::new(
        "page 1,000 by name (Chinese text), first time, ms",
        format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        "-",
    )];
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        store.list_contacts(query.clone()).await?;
        times.push(started.elapsed());
    }
    figures.push(Figure::latency("page 1,000 by name, then", &times, "50 ms"));
    Ok(figures)
}

async fn searches(store: &dyn Store, cases: &[Case]) -> anyhow::Result<Vec<Figure>> {
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
        let kept = cases.iter().filter(|c| !masked(c) && keep(c));
        groups.push(time_searches(store, label, kept).await?);
    }
    // A viewer's searches: whole mobiles (any spelling) and emails, and a part, which finds none.
    let whole = cases.iter().filter(|c| masked(c) && c.hit);
    groups.push(time_searches(store, "masked, whole values", whole).await?);
    let parts = cases.iter().filter(|c| masked(c) && !c.hit);
    groups.push(time_searches(store, "masked, part of a mobile", parts).await?);
    let mut figures = Vec::new();
    for (label, pages, totals) in &groups {
        figures.push(Figure::latency(
            format!("search: first page of {PAGE} + total, {label}"),
            pages,
            "p50 5 ms, p99 50 ms",
        ));
        figures.push(Figure::latency(
            format!("search: exact total (ids only), {label}"),
            totals,
            "p99 100 ms (PostgreSQL 200 ms)",
        ));
    }
    Ok(figures)
}

/// Whether `case` is a search of a principal who sees values masked.
fn masked(case: &Case) -> bool {
    case.search.mode == panorama_core::contact::SearchMode::WholeMasked
}

/// Time each search of `cases`: its first page with the total, then its exact total alone.
async fn time_searches(
    store: &dyn Store,
    label: &str,
    cases: impl Iterator<Item = &Case>,
) -> anyhow::Result<(String, Vec<Duration>, Vec<Duration>)> {
    let (mut pages, mut totals) = (Vec::new(), Vec::new());
    for case in cases {
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
    Ok((label.to_owned(), pages, totals))
}

async fn counts(store: &dyn Store) -> anyhow::Result<Vec<Figure>> {
    let mut overview = Vec::new();
    for _ in 0..100 {
        let started = Instant::now();
        store.overview(jiff::Timestamp::now()).await?;
        overview.push(started.elapsed());
    }
    let mut figures = vec![Figure::latency(
        "overview (all, real-name, anonymous, fans, 7/30 days)",
        &overview,
        "10 ms",
    )];
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
        figures.push(Figure::latency(
            format!("category tab {category:?}: first page + count"),
            &times,
            "10 ms",
        ));
    }
    Ok(figures)
}

async fn deep_page(store: &dyn Store, schema: &Schema, all: u64) -> anyhow::Result<Vec<Figure>> {
    let sort = Sort::parse(schema, Some("lifetime_value"), Some("asc"))?;
    let offset = (10_000 - 1) * PAGE;
    let query = ContactListQuery {
        offset: offset.min(all.saturating_sub(PAGE)),
        sort,
        ..ContactListQuery::category(Category::All, PAGE)
    };
    let started = Instant::now();
    store.list_contacts(query.clone()).await?;
    let mut figures = vec![Figure::new(
        "page 10,000 by lifetime_value (custom decimal), first time, ms",
        format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        "-",
    )];
    let mut times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        store.list_contacts(query.clone()).await?;
        times.push(started.elapsed());
    }
    figures.push(Figure::latency(
        "page 10,000 by lifetime_value, then",
        &times,
        "50 ms",
    ));
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
    figures.push(Figure::latency(
        "page 1 by lifetime_value (baseline for page 10,000)",
        &first,
        "-",
    ));
    Ok(figures)
}

/// SQLite's plain scan (reads every contact, filters, sorts): a baseline, SQLite only.
async fn plain(sqlite: &SqliteStore, cases: &[Case], samples: usize) -> anyhow::Result<Figure> {
    let mut times = Vec::new();
    for case in cases.iter().filter(|c| c.hit).take(samples) {
        let query = ContactListQuery {
            search: Some(case.search.clone()),
            ..ContactListQuery::category(Category::All, PAGE)
        };
        let started = Instant::now();
        panorama_store_sqlite::bench::plain_scan(sqlite, &query).await?;
        times.push(started.elapsed());
    }
    Ok(Figure::latency(
        "baseline, SQLite only: plain scan, first page + total",
        &times,
        "-",
    ))
}
