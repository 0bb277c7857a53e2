//! One module per command.

pub mod attributes;
pub mod bench;
pub mod demo;
pub mod events;
pub mod export;
pub mod import;
pub mod migrate;
pub mod serve;
