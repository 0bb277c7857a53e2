//! One module per command.

pub mod attributes;
pub mod demo;
pub mod migrate;
pub mod serve;
