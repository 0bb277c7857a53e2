//! The application layer: the use cases the pages (`ui/`), the JSON API (`api/`), the jobs and
//! the CLI share, so that one act (a masked value, an audited delete, a started import) reads
//! and behaves the same whichever door it came through.
//!
//! `api/` and `ui/` only shape HTTP (DTOs, extractors, status codes) and pages; they call this
//! layer and never each other. This layer knows neither of them: it uses the store, core's rules,
//! the audit log (`crate::audit`), the principal and the settings. `tests/layers.rs` holds the
//! three to that.

pub mod api_keys;
pub mod audit;
pub mod audit_page;
pub mod event_definitions;
pub mod filter;
pub mod import_choice;
pub mod import_mask;
pub mod import_upload;
pub mod imports;
pub mod mask;
pub mod merges;
pub mod metadata;
pub mod schema;
pub mod users;
pub mod views;

pub use schema::SchemaCache;
