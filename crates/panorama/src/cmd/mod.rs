//! One module per command.

pub mod access;
pub mod api_keys;
pub mod attributes;
pub mod bench;
pub mod copy;
pub mod demo;
pub mod events;
pub mod export;
pub mod import;
pub mod migrate;
pub mod serve;
pub mod users;
