//! The selection of a bulk action: the ids sent (checked, repeats once) or the contacts a list
//! filter matches now, and the selection as the job records it.

use super::dto::BulkRequest;
use crate::AppState;
use crate::error::ApiError;
use crate::jobs::BulkOptions;
use panorama_core::contact::{ContactId, SearchMode};
use panorama_core::{Error, codes};
use std::collections::HashSet;

/// The contacts selected, resolved now, and the selection as the job records it.
/// `mode` is the acting principal's search mode, recorded so a resumed job selects alike.
pub(super) async fn select(
    state: &AppState,
    body: BulkRequest,
    mode: SearchMode,
) -> Result<(Vec<ContactId>, BulkOptions), ApiError> {
    match (body.ids, body.filter) {
        (Some(ids), None) => {
            let ids = parse_ids(&ids, state.settings.bulk_ids_max)?;
            let stored = ids.iter().map(ToString::to_string).collect();
            let options = BulkOptions {
                ids: Some(stored),
                ..BulkOptions::default()
            };
            Ok((ids, options))
        }
        (None, Some(filter)) => {
            let schema = super::super::load_schema(state).await?;
            let query = filter.to_query(&schema, mode).map_err(|mut error| {
                error.field = error.field.map(|field| format!("filter.{field}"));
                error
            })?;
            let page = state.store.list_contact_ids(query).await?;
            let options = BulkOptions {
                filter: Some(filter),
                masked_search: mode == SearchMode::WholeMasked,
                ..BulkOptions::default()
            };
            Ok((page.ids, options))
        }
        (Some(_), Some(_)) | (None, None) => Err(Error::invalid_field(
            codes::BAD_REQUEST,
            "send exactly one of `ids` (the selected contacts) and `filter` (every contact of the list's filter)",
            "ids",
        )
        .into()),
    }
}

/// Parse the selected ids, repeats once, refusing an empty list or one longer than `ids_max`
/// (the `bulk_ids_max` setting).
fn parse_ids(ids: &[String], ids_max: usize) -> Result<Vec<ContactId>, Error> {
    if ids.is_empty() {
        return Err(Error::invalid_field(
            codes::INVALID_VALUE,
            "`ids` names at least one contact",
            "ids",
        ));
    }
    if ids.len() > ids_max {
        return Err(Error::invalid(
            codes::LIMIT_EXCEEDED,
            format!(
                "`ids` names at most {ids_max} contacts (bulk_ids_max); send a `filter` for more"
            ),
            "ids",
            ids.len(),
        ));
    }
    let mut seen = HashSet::with_capacity(ids.len());
    let mut parsed = Vec::with_capacity(ids.len());
    for (index, text) in ids.iter().enumerate() {
        let id = ContactId::parse(text).map_err(|mut error| {
            error.field = Some(format!("ids[{index}]"));
            error
        })?;
        if seen.insert(id) {
            parsed.push(id);
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_counted_once() {
        let id = ContactId::new().to_string();
        let parsed = parse_ids(&[id.clone(), id.clone()], 10).expect("valid ids");
        assert_eq!(parsed.len(), 1);
        let bad = parse_ids(&[id, "nope".into()], 10).expect_err("not a UUID");
        assert_eq!(
            (bad.field.as_deref(), bad.value.as_deref()),
            (Some("ids[1]"), Some("nope"))
        );
        assert!(parse_ids(&[], 10).is_err());
        let many = vec![ContactId::new().to_string(); 11];
        assert_eq!(
            parse_ids(&many, 10).expect_err("too many").code,
            codes::LIMIT_EXCEEDED
        );
    }
}
