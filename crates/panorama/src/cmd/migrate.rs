//! `panorama migrate`: create or upgrade the schema.

use crate::cli::DatabaseArgs;

/// Run the migrations and install presets.
pub async fn run(args: DatabaseArgs) -> anyhow::Result<()> {
    let store = crate::database::open(&args.database).await?;
    let attributes = store.list_attributes().await?.len();
    let events = store.list_event_definitions().await?.len();
    println!(
        "{} is up to date: {attributes} attributes, {events} event definitions",
        args.database
    );
    Ok(())
}
