//! The columns each user chose for the contacts list, in order: read by the page, the exports (API
//! and CLI) and the API, and changed by the API and the page's column chooser.

use crate::principal::Principal;
use panorama_core::contact::Columns;
use panorama_core::metadata::Schema;
use panorama_core::store::Store;

/// The name of the contacts list's view.
pub const CONTACTS_VIEW: &str = "contacts";

/// The columns `principal` sees in the contacts list: as saved (without attributes deleted
/// since), or the defaults.
pub async fn contact_columns(
    store: &dyn Store,
    schema: &Schema,
    principal: &Principal,
) -> panorama_core::Result<Columns> {
    let saved = store.get_view(&principal.name, CONTACTS_VIEW).await?;
    Ok(Columns::from_saved(schema, saved))
}

/// Save `names` as the contacts list's columns of `principal`, checked against `schema`
/// (known attributes, each once, 1 to `LIST_COLUMNS_MAX`). Answers the columns as saved.
pub async fn save_contact_columns(
    store: &dyn Store,
    schema: &Schema,
    principal: &Principal,
    names: &[String],
) -> panorama_core::Result<Columns> {
    let columns = Columns::parse(schema, names)?;
    store
        .put_view(&principal.name, CONTACTS_VIEW, columns.names())
        .await?;
    Ok(columns)
}
