//! The operator's choices for a previewed import, shared by the API and the imports page: what
//! each column becomes (`HEADER → attribute`, or `-` to ignore it), the mapping saved for the
//! next file with the same headers, and the check that every column is decided before a start.

use crate::AppState;
use panorama_core::store::{ImportJob, ImportMapping, headers_key};
use panorama_core::{Error, Result};
use panorama_import::{Column, ImportRequest, PREVIEW_ROWS, map_headers, prepare_preview};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::Path;

/// The headers of a previewed job, in file order.
pub fn headers(job: &ImportJob) -> Vec<String> {
    job.preview
        .as_ref()
        .and_then(|p| p["columns"].as_array())
        .map(|columns| {
            columns
                .iter()
                .filter_map(|c| c["header"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The request of `job`, as stored.
pub fn request(job: &ImportJob) -> Result<ImportRequest> {
    Ok(job.options.clone())
}

/// `request` with `choices` (header → attribute or `-`) replacing any earlier choice for the
/// same header.
pub fn with_choices(
    mut request: ImportRequest,
    choices: &BTreeMap<String, String>,
) -> ImportRequest {
    let chosen = |pair: &String| {
        let column = pair
            .split_once('=')
            .map_or(pair.as_str(), |(c, _)| c)
            .trim();
        choices
            .keys()
            .any(|h| h.trim().eq_ignore_ascii_case(column))
    };
    request.map.retain(|pair| !chosen(pair));
    request.map.extend(
        choices
            .iter()
            .map(|(header, attribute)| format!("{}={}", header.trim(), attribute.trim())),
    );
    request
}

/// Check that `request` decides every one of `headers`: the mapping problem (naming every header
/// still unmapped, code `unknown_columns`) otherwise. Answers what each column becomes.
pub async fn check(
    state: &AppState,
    headers: &[String],
    request: &ImportRequest,
) -> Result<Vec<Column>> {
    let options = state.settings.import_options(request)?;
    let schema = state.schema().await?;
    map_headers(&schema, headers, &options.map, options.drop_unknown)
        .map(|map| map.columns().to_vec())
        .map_err(|e| e.to_error())
}

/// `preview` with each column's target set as `columns` decide (the masking of rejected rows
/// reads them), and nothing left to choose.
pub fn settle_preview(mut preview: Json, columns: &[Column]) -> Json {
    if let Some(list) = preview["columns"].as_array_mut() {
        for (entry, column) in list.iter_mut().zip(columns) {
            let target = match column {
                Column::Attribute(name) => name.clone(),
                Column::Subscription(channel) => channel.column().to_owned(),
                Column::Dropped => panorama_import::mapping::DROP_TARGET.to_owned(),
            };
            entry["attribute"] = Json::from(target.clone());
            entry["target"] = Json::from(target);
        }
    }
    preview["unmapped"] = Json::Array(Vec::new());
    preview
}

/// Preview the kept file of a job again with `request` (the operator changed the mapping).
pub async fn repreview(state: &AppState, path: &Path, request: &ImportRequest) -> Result<Json> {
    let options = state.settings.import_options(request)?;
    let schema = state.schema().await?;
    let path = path.to_owned();
    let preview = tokio::task::spawn_blocking(move || {
        prepare_preview(&path, &schema, &options)?.preview(PREVIEW_ROWS)
    })
    .await
    .map_err(|e| Error::internal(format!("the preview failed: {e}")))??;
    serde_json::to_value(preview).map_err(Error::internal)
}

/// Save the choices of `request` for files with `headers`, as `actor`.
pub async fn save(
    state: &AppState,
    headers: &[String],
    request: &ImportRequest,
    actor: &str,
) -> Result<()> {
    let map = request
        .map
        .iter()
        .filter_map(|pair| pair.split_once('='))
        .map(|(column, attribute)| (column.trim().to_owned(), attribute.trim().to_owned()))
        .filter(|(column, _)| headers.iter().any(|h| h == column))
        .collect();
    state
        .store
        .save_import_mapping(&ImportMapping {
            headers_key: headers_key(headers),
            headers: headers.to_vec(),
            map,
            saved_by: actor.to_owned(),
            saved_at: panorama_core::contact::now_micros(),
        })
        .await
}

/// The mapping saved for files with `headers`, if any.
pub async fn saved(state: &AppState, headers: &[String]) -> Result<Option<ImportMapping>> {
    state.store.import_mapping(&headers_key(headers)).await
}
