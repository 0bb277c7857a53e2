//! `/api/v1/contacts`: upsert one or a batch, read by id or key, list, count, delete, reveal one
//! masked value. A contact's events are served by `api/behaviour/`.
//!
//! The static paths (`overview`, `lookup`, `batch`, `bulk`) are registered beside
//! `{contact_id}`; the router prefers a static segment over a capture, so they are never read as
//! contact ids.

mod bulk;
mod export;
mod list;
mod read;
mod reveal;
mod upsert;

use crate::AppState;
use crate::error::ApiError;
use panorama_core::contact::ContactRecord;
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use panorama_core::{Error, codes};
use serde_json::{Map, Value as Json};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list, upsert::create))
        .routes(routes!(upsert::batch))
        .routes(routes!(list::overview))
        .routes(routes!(export::export))
        .routes(routes!(read::lookup))
        .routes(routes!(read::get, read::delete))
        .routes(routes!(reveal::reveal))
        .merge(bulk::routes())
}

/// The attribute definitions in force, as the server keeps them (`AppState::schema`): a change
/// made through this server applies at once.
async fn load_schema(state: &AppState) -> Result<Arc<Schema>, ApiError> {
    Ok(state.schema().await?)
}

fn parse_options(state: &AppState) -> ParseOptions {
    ParseOptions {
        default_country: state.settings.default_country,
    }
}

/// Check a record against the schema.
fn parse_record(
    schema: &Schema,
    attributes: &Map<String, Json>,
    options: ParseOptions,
) -> Result<ContactRecord, Error> {
    ContactRecord::from_json(schema, attributes, options)
}

/// Read a whole-number query parameter: `default` when absent, refused outside `min..=max`.
fn parse_count(
    field: &str,
    raw: Option<&str>,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, Error> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    let number: u64 = text.parse().map_err(|_| {
        Error::invalid(
            codes::INVALID_VALUE,
            format!("`{field}` is a whole number"),
            field,
            text,
        )
    })?;
    if number < min {
        return Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`{field}` is at least {min}"),
            field,
            text,
        ));
    }
    if number > max {
        return Err(Error::invalid(
            codes::LIMIT_EXCEEDED,
            format!("`{field}` is at most {max}"),
            field,
            text,
        ));
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_bounds() {
        assert_eq!(parse_count("page", None, 1, 1, 10), Ok(1));
        assert_eq!(parse_count("page", Some(" 3 "), 1, 1, 10), Ok(3));
        let zero = parse_count("page", Some("0"), 1, 1, 10).expect_err("below min");
        assert_eq!(zero.field.as_deref(), Some("page"));
        let big = parse_count("page_size", Some("501"), 50, 1, 500).expect_err("above max");
        assert_eq!(big.code, codes::LIMIT_EXCEEDED);
        assert!(parse_count("page", Some("x"), 1, 1, 10).is_err());
    }
}
