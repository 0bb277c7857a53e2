//! `GET /api/v1/contacts/{id}/events/export?format=csv|json`: the filtered timeline as a file,
//! streamed page by page (keyset), so a contact with millions of events needs the memory of one
//! page. CSV columns: `occurred_at`, `event`, `display_name`, `event_id`, then every attribute of
//! the events that pass the filter; cells a spreadsheet would run as a formula are neutralised.
//! Properties are masked like the timeline's (`panorama_core::mask::mask_event_properties`).

use super::{FilterQuery, existing};
use crate::AppState;
use crate::app::mask::masking;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use panorama_core::access::AuditAction;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, EventFilter, TimelineCursor, TimelineQuery};
use panorama_core::mask::{Masking, mask_event_properties};
use panorama_core::metadata::EventDefinition;
use panorama_core::value::display;
use panorama_core::{Error, Store, codes};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;
use utoipa::IntoParams;

/// Events read per page while streaming.
pub const EXPORT_PAGE_EVENTS: u64 = 1000;

/// The file format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FormatQuery {
    /// `csv` (default) or `json`.
    format: Option<String>,
}

/// What one streaming step needs; the stream ends when `done`.
struct Export {
    store: Arc<dyn Store>,
    contact_id: ContactId,
    filter: EventFilter,
    cursor: Option<TimelineCursor>,
    definitions: Vec<EventDefinition>,
    columns: Vec<String>,
    zone: jiff::tz::TimeZone,
    masking: Masking,
    json: bool,
    first: bool,
    done: bool,
}

/// Download a contact's filtered events as CSV or JSON.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/events/export", operation_id = "export_contact_events", tag = "events",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), FilterQuery, FormatQuery),
    responses(
        (status = 200, description = "The file (text/csv or application/json), streamed"),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn export(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(filter): ApiQuery<FilterQuery>,
    ApiQuery(format): ApiQuery<FormatQuery>,
) -> Result<Response, ApiError> {
    principal.require(Role::Viewer)?;
    let json = match format.format.as_deref().map(str::trim) {
        None | Some("") | Some("csv") => false,
        Some("json") => true,
        Some(other) => {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                "format is csv or json",
                "format",
                other,
            )
            .into());
        }
    };
    let id = existing(&state, &contact_id).await?;
    let definitions = state.store.list_event_definitions().await?;
    let checked = filter.filter(&definitions, &state.settings.time_zone)?;
    let mut columns: Vec<String> = Vec::new();
    for definition in definitions.iter().filter(|d| {
        checked
            .events
            .as_ref()
            .is_none_or(|keys| keys.contains(&d.key.to_string()))
    }) {
        for attribute in &definition.attributes {
            if !columns.iter().any(|c| c == attribute.name.as_str()) {
                columns.push(attribute.name.to_string());
            }
        }
    }
    tracing::info!(principal = %principal.name, contact_id = %id, json, "contact events exported");
    crate::audit::record(
        state.store.as_ref(),
        &principal,
        AuditAction::Export,
        Some(id.to_string()),
        serde_json::json!({"what": "events", "format": if json { "json" } else { "csv" },
            "masked": !principal.sees_unmasked()}),
    )
    .await?;
    let start = Export {
        store: state.store.clone(),
        contact_id: id,
        filter: checked,
        cursor: None,
        definitions,
        columns,
        zone: filter.zone(&state.settings.time_zone)?,
        masking: masking(&principal),
        json,
        first: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(start, |mut export| async move {
        if export.done {
            return None;
        }
        let chunk = export
            .next_chunk()
            .await
            .map_err(|e| std::io::Error::other(e.to_string()));
        if chunk.is_err() {
            export.done = true;
        }
        Some((chunk, export))
    });
    let (content_type, extension) = if json {
        ("application/json", "json")
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"events-{id}.{extension}\"");
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

impl Export {
    /// The next page as bytes; the header or the opening bracket come with the first.
    async fn next_chunk(&mut self) -> Result<Bytes, Error> {
        let query = TimelineQuery {
            filter: self.filter.clone(),
            limit: EXPORT_PAGE_EVENTS,
            cursor: self.cursor.take(),
        };
        let mut page = self.store.timeline(self.contact_id, &query).await?;
        for event in &mut page.items {
            mask_event_properties(self.masking, &event.event, &mut event.properties);
        }
        let mut out = String::new();
        if self.first {
            if self.json {
                out.push('[');
            } else {
                // A byte-order mark, so spreadsheets read Chinese text as UTF-8.
                out.push('\u{feff}');
                let header: Vec<&str> = ["occurred_at", "event", "display_name", "event_id"]
                    .into_iter()
                    .chain(self.columns.iter().map(String::as_str))
                    .collect();
                push_row(&mut out, header.iter().map(|c| (*c).to_owned()));
            }
        }
        for event in &page.items {
            if self.json {
                if !(self.first && out.len() == 1) {
                    out.push(',');
                }
                out.push_str(&self.json_item(event).to_string());
            } else {
                push_row(&mut out, self.csv_cells(event));
            }
            self.first = false;
        }
        self.first = false;
        self.cursor = page.next;
        if self.cursor.is_none() {
            self.done = true;
            if self.json {
                out.push_str("]\n");
            }
        }
        Ok(Bytes::from(out))
    }

    fn time(&self, event: &Event) -> String {
        event
            .occurred_at
            .to_zoned_datetime(self.zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%.6f%:z")
            .to_string()
    }

    fn display_name(&self, event: &Event) -> String {
        self.definitions
            .iter()
            .find(|d| d.key.as_str() == event.event)
            .map_or_else(|| event.event.clone(), |d| d.display_name.clone())
    }

    fn json_item(&self, event: &Event) -> serde_json::Value {
        json!({"occurred_at": self.time(event), "event": event.event, "display_name": self.display_name(event),
            "event_id": event.event_id, "properties": event.properties})
    }

    fn csv_cells(&self, event: &Event) -> Vec<String> {
        let mut cells = vec![
            self.time(event),
            event.event.clone(),
            self.display_name(event),
            event.event_id.clone(),
        ];
        cells.extend(
            self.columns
                .iter()
                .map(|c| event.properties.get(c).map(display).unwrap_or_default()),
        );
        cells
    }
}

/// One RFC 4180 line; cells starting like a formula get a leading `'`.
fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    for (index, cell) in cells.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let cell = panorama_core::spreadsheet::neutralise(cell);
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        let mut out = String::new();
        super::push_row(
            &mut out,
            [
                "a,b".to_owned(),
                "=1+1".to_owned(),
                "say \"hi\"".to_owned(),
                "王".to_owned(),
            ],
        );
        assert_eq!(out, "\"a,b\",'=1+1,\"say \"\"hi\"\"\",王\r\n");
    }
}
