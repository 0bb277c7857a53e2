//! `panorama bench pages`: every page of the web application timed over HTTP against the demo
//! company, served in this process on 127.0.0.1:0; the goal is 100 ms for each.

use clap::Args;
use panorama_core::contact::Category;
use panorama_core::store::ContactListQuery;
use panorama_server::Settings;
use std::time::Instant;

/// The page-speed goal, in milliseconds.
pub const PAGE_MILLISECONDS_GOAL: f64 = 100.0;

/// Options of `bench pages`.
#[derive(Debug, Args)]
pub struct PagesBenchArgs {
    /// Contacts in the demo company.
    #[arg(long, default_value_t = 10_000)]
    pub contacts: u64,
    /// Requests per page.
    #[arg(long, default_value_t = 100)]
    pub requests: usize,
}

/// Fill, serve, time each page, print p50 and p99.
pub async fn run(args: PagesBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("pages.db").display());
    let store = crate::database::open(&url).await?;
    eprintln!("filling the demo company: {} contacts", args.contacts);
    crate::cmd::demo::fill(store.as_ref(), args.contacts, 42).await?;
    let contact = store
        .list_contacts(ContactListQuery {
            category: Category::All,
            offset: 0,
            limit: 1,
            label: None,
            search: None,
            sort: panorama_core::contact::Sort::default(),
        })
        .await?
        .items
        .first()
        .map(|c| c.contact_id.to_string())
        .unwrap_or_default();
    let settings = Settings {
        uploads_dir: dir.path().join("uploads"),
        ..Settings::default()
    };
    let server = super::server::serve(store, settings).await?;
    let (base, client) = (&server.base, &server.client);
    let pages = [
        "/contacts".to_owned(),
        "/contacts?category=wechat_fan&page=20".to_owned(),
        format!("/contacts/{contact}"),
        "/labels".to_owned(),
        "/imports".to_owned(),
        "/metadata/attributes".to_owned(),
        "/metadata/events".to_owned(),
    ];
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "page", "p50 ms", "p99 ms", "goal"
    );
    for page in pages {
        let mut times = Vec::with_capacity(args.requests);
        for _ in 0..args.requests {
            let started = Instant::now();
            let response = client.get(format!("{base}{page}")).send().await?;
            anyhow::ensure!(
                response.status().is_success(),
                "{page} answered {}",
                response.status()
            );
            response.bytes().await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        let verdict = if at(0.99) <= PAGE_MILLISECONDS_GOAL {
            "met"
        } else {
            "MISSED"
        };
        println!("{page:<44} {:>9.1} {:>9.1} {verdict:>9}", at(0.5), at(0.99));
    }
    Ok(())
}
