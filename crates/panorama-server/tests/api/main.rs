//! Black-box tests of the HTTP API: the real server on a random port over a fresh SQLite file.
//! `tests/api_postgres.rs` runs the same files on PostgreSQL.

/// The store every test of this binary runs on.
const BACKEND: helpers::Backend = helpers::Backend::Sqlite;

mod access;
mod api_keys;
mod attributes;
mod audit;
mod audit_outcomes;
mod behaviour;
mod bulk;
mod clock;
mod concurrency;
mod contacts;
mod contacts_pager;
mod errors;
mod event_definitions;
mod events;
mod export;
mod helpers;
mod import_masking;
mod imports;
mod imports_mapping;
mod labels;
mod limits;
mod list;
mod masking;
mod openapi;
// The document is the same on both stores: the tools check it once, here.
mod openapi_tools;
mod schema_cache;
mod search_oracle;
mod sessions;
mod sign_in_limits;
mod subscription;
mod suppression;
mod text;
mod uploads;
mod users;
mod wechat;
