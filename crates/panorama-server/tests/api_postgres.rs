//! The API tests of `tests/api/` again, each on a fresh PostgreSQL database of its own, so every
//! route is proven on both stores. Needs the server `PANORAMA_TEST_POSTGRES_URL` names (README).

/// The store every test of this binary runs on.
const BACKEND: helpers::Backend = helpers::Backend::Postgres;

#[path = "api/access.rs"]
mod access;
#[path = "api/api_keys.rs"]
mod api_keys;
#[path = "api/attributes.rs"]
mod attributes;
#[path = "api/audit.rs"]
mod audit;
#[path = "api/audit_outcomes.rs"]
mod audit_outcomes;
#[path = "api/behaviour.rs"]
mod behaviour;
#[path = "api/bulk.rs"]
mod bulk;
#[path = "api/clock.rs"]
mod clock;
#[path = "api/concurrency.rs"]
mod concurrency;
#[path = "api/contacts.rs"]
mod contacts;
#[path = "api/contacts_pager.rs"]
mod contacts_pager;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/event_definitions.rs"]
mod event_definitions;
#[path = "api/events.rs"]
mod events;
#[path = "api/export.rs"]
mod export;
#[path = "api/helpers.rs"]
mod helpers;
#[path = "api/import_masking.rs"]
mod import_masking;
#[path = "api/imports.rs"]
mod imports;
#[path = "api/labels.rs"]
mod labels;
#[path = "api/limits.rs"]
mod limits;
#[path = "api/list.rs"]
mod list;
#[path = "api/masking.rs"]
mod masking;
#[path = "api/openapi.rs"]
mod openapi;
#[path = "api/schema_cache.rs"]
mod schema_cache;
#[path = "api/search_oracle.rs"]
mod search_oracle;
#[path = "api/sessions.rs"]
mod sessions;
#[path = "api/sign_in_limits.rs"]
mod sign_in_limits;
#[path = "api/subscription.rs"]
mod subscription;
#[path = "api/suppression.rs"]
mod suppression;
#[path = "api/text.rs"]
mod text;
#[path = "api/users.rs"]
mod users;
#[path = "api/wechat.rs"]
mod wechat;
