//! Black-box tests of the HTTP API: the real server on a random port over a fresh SQLite file.
//! `tests/api_postgres.rs` runs the same files on PostgreSQL.

/// The store every test of this binary runs on.
const BACKEND: helpers::Backend = helpers::Backend::Sqlite;

mod access;
mod api_keys;
mod attributes;
mod audit;
mod behaviour;
mod bulk;
mod concurrency;
mod contacts;
mod errors;
mod event_definitions;
mod events;
mod export;
mod helpers;
mod imports;
mod labels;
mod limits;
mod list;
mod masking;
mod openapi;
mod sessions;
mod subscription;
mod text;
mod users;
mod wechat;
