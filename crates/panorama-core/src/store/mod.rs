//! The `Store`: the one seam between Panorama and a database.
//!
//! Each method is one unit of work with its transaction inside the backend, so a caller can never
//! leave a half-applied write. The rules live in this crate (`Schema::check_new`, `plan_upsert`);
//! a backend loads what they need, calls them inside its transaction, and saves the outcome.
//!
//! The methods are grouped by area, one trait per file; `Store` is every area together, and is
//! what the server and the CLI hold (`Arc<dyn Store>`).

mod access;
mod consent;
mod contacts;
mod copy;
mod events;
mod import_mappings;
mod jobs;
mod labels;
mod metadata;
mod views;
mod wechat;

pub use access::*;
pub use consent::*;
pub use contacts::*;
pub use copy::*;
pub use events::*;
pub use import_mappings::*;
pub use jobs::*;
pub use labels::*;
pub use metadata::*;
pub use views::*;
pub use wechat::*;

/// Everything Panorama stores: every area trait, implemented once per database.
pub trait Store:
    MetadataStore
    + AccessStore
    + AuditStore
    + ContactStore
    + CopyStore
    + EventStore
    + JobStore
    + ImportMappingStore
    + ConsentStore
    + LabelStore
    + ViewStore
    + WechatStore
    + Send
    + Sync
    + 'static
{
}

impl<
    T: MetadataStore
        + AccessStore
        + AuditStore
        + ContactStore
        + CopyStore
        + EventStore
        + JobStore
        + ImportMappingStore
        + ConsentStore
        + LabelStore
        + ViewStore
        + WechatStore
        + Send
        + Sync
        + 'static,
> Store for T
{
}
