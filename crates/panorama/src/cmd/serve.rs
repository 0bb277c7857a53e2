//! `panorama serve`: the web application and the JSON API.

use crate::cli::ServeArgs;
use anyhow::Context;
use panorama_core::Store;
use panorama_core::mobile::DefaultCountry;
use panorama_server::{AppState, Settings};
use std::sync::Arc;

/// Open the database and serve it.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let default_country = DefaultCountry::parse(&args.default_country)?;
    let store = crate::database::open(&args.database.database).await?;
    let settings = Settings {
        default_country,
        uploads_dir: args.uploads_dir,
        ..Settings::default()
    };
    serve(store, &args.listen, settings).await
}

/// Serve `store` on `listen` until ctrl-c. Prints the address, so scripts and tests using port 0
/// can read where to connect.
pub async fn serve(store: Arc<dyn Store>, listen: &str, settings: Settings) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let address = listener.local_addr()?;
    println!("Panorama is listening on http://{address} (API docs: http://{address}/api/docs)");
    // Warm the contacts list's index (a few seconds at a million contacts) before the first
    // operator opens the list; requests that come earlier simply wait for it.
    let warm = store.clone();
    tokio::spawn(async move {
        if let Err(error) = warm_list(warm.as_ref()).await {
            tracing::warn!(%error, "warming the contacts list");
        }
    });
    panorama_server::serve(listener, AppState::new(store, settings)).await?;
    Ok(())
}

/// Build the list's index and the newest-first order of each category tab.
async fn warm_list(store: &dyn Store) -> panorama_core::Result<()> {
    use panorama_core::contact::Category;
    use panorama_core::store::ContactListQuery;
    store.overview(jiff::Timestamp::now()).await?;
    for category in [
        Category::All,
        Category::RealName,
        Category::Anonymous,
        Category::WechatFan,
    ] {
        store
            .list_contact_ids(ContactListQuery::category(category, 1))
            .await?;
    }
    Ok(())
}
