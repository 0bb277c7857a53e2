//! Black-box tests of the HTTP API: the real server on a random port over a fresh SQLite file.

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
mod users;
mod wechat;
