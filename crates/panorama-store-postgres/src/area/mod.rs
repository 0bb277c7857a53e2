//! The store areas for `PostgresStore`, one file per area trait of `panorama_core::store`
//! (metadata lives in `store.rs`, beside the migration it runs).

mod access;
mod consent;
mod contacts;
mod events;
mod import_mappings;
mod jobs;
mod labels;
mod views;
mod wechat;
