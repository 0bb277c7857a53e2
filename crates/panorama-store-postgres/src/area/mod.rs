//! The store areas for `PostgresDb`, one file per area trait of `panorama_core::store`
//! (metadata lives in `store.rs`, beside the migration it runs).

mod access;
mod consent;
mod contacts;
mod events;
mod import_mappings;
mod labels;
mod wechat;
