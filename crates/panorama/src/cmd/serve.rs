//! `panorama serve`: the web application and the JSON API.

use crate::cli::ServeArgs;
use anyhow::Context;
use clap::Args;
use panorama_core::Store;
use panorama_core::mobile::DefaultCountry;
use panorama_server::{AppState, Settings};
use std::sync::Arc;

/// Open the database and serve it.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let default_country = DefaultCountry::parse(&args.default_country)?;
    let time_zone =
        panorama_server::time_zone(&args.time_zone).context("--time-zone (PANORAMA_TIME_ZONE)")?;
    let store = crate::database::open(&args.database.database).await?;
    crate::cmd::access::require_admin(store.as_ref(), &args.database.database).await?;
    let settings = args.limits.apply(Settings {
        default_country,
        time_zone,
        schema_cache_seconds: args.schema_cache_seconds,
        uploads_dir: args.uploads_dir,
        job_lease_seconds: args.job_lease_seconds,
        job_batch_pause_millis: args.job_batch_pause_millis,
        ..Settings::default()
    });
    serve(store, &args.listen, settings, args.access.settings()).await
}

/// The server's limits as `serve` flags and environment variables; the defaults are
/// `Settings::default()`'s. README's "Limits" lists them with the constants that are not tunable.
#[derive(Debug, Args)]
pub struct LimitArgs {
    /// Largest request body accepted, in bytes (import uploads have their own limit).
    #[arg(long, env = "PANORAMA_REQUEST_BODY_BYTES_MAX", value_name = "BYTES",
        default_value_t = panorama_server::REQUEST_BODY_BYTES_MAX)]
    pub request_body_bytes_max: usize,
    /// Most contacts one `POST /api/v1/contacts/batch` may carry.
    #[arg(long, env = "PANORAMA_BATCH_CONTACTS_MAX", value_name = "CONTACTS",
        default_value_t = panorama_server::BATCH_CONTACTS_MAX)]
    pub batch_contacts_max: usize,
    /// Most events one `POST /api/v1/events` may carry.
    #[arg(long, env = "PANORAMA_BATCH_EVENTS_MAX", value_name = "EVENTS",
        default_value_t = panorama_server::BATCH_EVENTS_MAX)]
    pub batch_events_max: usize,
    /// Most contacts one page of the contacts list (`page_size`) may hold.
    #[arg(long, env = "PANORAMA_LIST_PAGE_CONTACTS_MAX", value_name = "CONTACTS",
        default_value_t = panorama_server::LIST_PAGE_CONTACTS_MAX)]
    pub list_page_contacts_max: u64,
    /// Most contact ids one bulk action may name (larger selections are sent as a filter).
    #[arg(long, env = "PANORAMA_BULK_IDS_MAX", value_name = "IDS",
        default_value_t = panorama_server::BULK_IDS_MAX)]
    pub bulk_ids_max: usize,
    /// Largest import file accepted, in bytes.
    #[arg(long, env = "PANORAMA_IMPORT_FILE_BYTES_MAX", value_name = "BYTES",
        default_value_t = panorama_import::IMPORT_FILE_BYTES_MAX)]
    pub import_file_bytes_max: u64,
    /// Most bytes one workbook cell may take; a workbook holding a larger one is refused.
    #[arg(long, env = "PANORAMA_IMPORT_CELL_BYTES_MAX", value_name = "BYTES",
        default_value_t = panorama_import::CELL_BYTES_MAX)]
    pub import_cell_bytes_max: u64,
    /// Most bytes a workbook part read whole (shared strings, styles) may take once unpacked.
    #[arg(long, env = "PANORAMA_IMPORT_WORKBOOK_PART_BYTES_MAX", value_name = "BYTES",
        default_value_t = panorama_import::WORKBOOK_PART_BYTES_MAX)]
    pub import_workbook_part_bytes_max: u64,
    /// Most rejected rows one import keeps; the rest are counted as `unlisted`.
    #[arg(long, env = "PANORAMA_IMPORT_REJECTIONS_KEPT_MAX", value_name = "ROWS",
        default_value_t = panorama_import::REJECTIONS_KEPT_MAX)]
    pub import_rejections_kept_max: u64,
    /// Uploaded files older than this whose job is not running are deleted (at start, hourly).
    #[arg(long, env = "PANORAMA_UPLOADS_KEPT_SECONDS", value_name = "SECONDS",
        default_value_t = panorama_server::UPLOADS_KEPT_SECONDS)]
    pub uploads_kept_seconds: u64,
    /// Most rows one export over HTTP may hold (`panorama export` has its own `--rows-max`).
    #[arg(long, env = "PANORAMA_EXPORT_ROWS_MAX", value_name = "ROWS",
        default_value_t = panorama_server::EXPORT_ROWS_MAX)]
    pub export_rows_max: u64,
}

impl LimitArgs {
    /// `settings` with these limits.
    pub fn apply(&self, settings: Settings) -> Settings {
        Settings {
            request_body_bytes_max: self.request_body_bytes_max,
            batch_contacts_max: self.batch_contacts_max,
            batch_events_max: self.batch_events_max,
            list_page_contacts_max: self.list_page_contacts_max,
            bulk_ids_max: self.bulk_ids_max,
            import_file_bytes_max: self.import_file_bytes_max,
            import_cell_bytes_max: self.import_cell_bytes_max,
            import_workbook_part_bytes_max: self.import_workbook_part_bytes_max,
            import_rejections_kept_max: self.import_rejections_kept_max,
            uploads_kept_seconds: self.uploads_kept_seconds,
            export_rows_max: self.export_rows_max,
            ..settings
        }
    }
}

/// Serve `store` on `listen` until ctrl-c. Prints the address, so scripts and tests using port 0
/// can read where to connect.
pub async fn serve(
    store: Arc<dyn Store>,
    listen: &str,
    settings: Settings,
    access: panorama_server::auth::AuthSettings,
) -> anyhow::Result<()> {
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
    let mut state = AppState::new(store, settings);
    state.auth = Arc::new(panorama_server::auth::Auth::new(access));
    panorama_server::serve(listener, state).await?;
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
