//! `GET /api/v1/contacts/export`: every contact the list filter selects, in list order, with the
//! chosen columns (or the caller's saved view), as CSV or XLSX, streamed. The writer is
//! `panorama-export`, the one `panorama export` uses.

use super::load_schema;
use crate::AppState;
use crate::app::filter::ContactFilter;
use crate::app::mask::masking;
use crate::app::views::contact_columns;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use panorama_core::contact::Columns;
use panorama_core::metadata::Language;
use panorama_export::{
    ExportColumns, ExportEncoding, ExportFormat, ExportPlan, PreparedExport, channel_writer,
    parse_language, parse_time_zone,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// The file asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
    /// Text encoding of CSV: `utf-8`, `utf-8-bom` (default; Excel reads Chinese right) or `gbk`
    /// (Excel on a Chinese Windows; characters GBK cannot hold, such as emoji, become `?`).
    /// XLSX is always Unicode.
    encoding: Option<String>,
    /// Attribute names to export, comma-separated, in order (default: the caller's saved columns
    /// of the contacts list).
    columns: Option<String>,
    /// The IANA time zone times are written in, as `YYYY-MM-DD HH:MM:SS` (default: the company's,
    /// the server's `--time-zone`).
    #[param(example = "Asia/Shanghai")]
    time_zone: Option<String>,
    /// The language of the header row: `en` (default) or `zh`.
    #[param(example = "zh")]
    lang: Option<String>,
}

/// Download the contacts of a category, search or label as a file: the header row holds the
/// columns' display names in `lang` (so the file re-imports); times are written in `time_zone` as
/// `YYYY-MM-DD HH:MM:SS`, other values in their stored form (a marketer's file has mobiles and
/// emails masked, as on every page). In XLSX numbers are number cells, dates and times date cells,
/// and every text (mobiles included) a text cell. Cells starting with `=`, `+`, `-`, `@`, tab or
/// carriage return (other than plain and masked numbers) get a leading `'`. XLSX continues on
/// sheets `Contacts 2`, `Contacts 3`... past 1,048,576 rows.
#[utoipa::path(
    get, path = "/api/v1/contacts/export", operation_id = "export_contacts", tag = "contacts",
    params(ContactFilter, ExportQuery),
    responses(
        (status = 200, description = "The file (text/csv or XLSX) as an attachment, streamed"),
        (status = 403, description = "Viewers cannot export", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format, encoding, time zone, language, column, category, field or sort; \
            more rows than `export_rows_max` (`limit_exceeded`, field `rows`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn export(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(filter): ApiQuery<ContactFilter>,
    ApiQuery(file): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    principal.require(Role::Marketer)?;
    let format = ExportFormat::parse(file.format.as_deref(), "format")?;
    let encoding = ExportEncoding::parse(file.encoding.as_deref(), "encoding")?;
    let zone = parse_time_zone(
        file.time_zone.as_deref(),
        &state.settings.time_zone,
        "time_zone",
    )?;
    let language = parse_language(file.lang.as_deref(), Language::En, "lang")?;
    let schema = load_schema(&state).await?;
    let query = filter.to_query(&schema, principal.search_mode())?;
    let columns = match file
        .columns
        .as_deref()
        .filter(|text| !text.trim().is_empty())
    {
        Some(text) => Columns::parse_list(&schema, text)?,
        None => contact_columns(state.store.as_ref(), &schema, &principal).await?,
    };
    let category = query.category;
    let mut plan = ExportPlan::new(
        query,
        ExportColumns::new(&schema, &columns, language)
            .masked(masking(&principal))
            .in_zone(zone.clone()),
        format,
        encoding,
    );
    plan.sheet_rows_max = state.settings.export_sheet_rows_max;
    plan.rows_max = state.settings.export_rows_max;
    let prepared = PreparedExport::prepare(state.store.clone(), plan).await?;
    let asked = serde_json::json!({ "filter": filter, "format": format.extension(),
        "encoding": file.encoding, "columns": columns.names(),
        "time_zone": panorama_core::event::zone_name(&zone), "lang": language.code() });
    let (store, rows) = (state.store.as_ref(), prepared.rows());
    crate::app::audit::export(store, &principal, asked, rows, category).await?;
    tracing::info!(
        principal = %principal.name, rows = ?prepared.rows(), format = format.extension(),
        columns = ?columns.names(), "contacts exported"
    );
    let (writer, chunks) = channel_writer();
    let abort = writer.sender();
    tokio::spawn(async move {
        if let Err(error) = prepared.write_to(writer).await {
            tracing::error!(detail = %error.detail, "contact export failed while streaming");
            // The status is sent already: end the body with an error so the client sees a cut.
            let _ = abort.send(Err(std::io::Error::other(error.detail))).await;
        }
    });
    let stream = futures_util::stream::unfold(chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| (chunk, chunks))
    });
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type(encoding)),
    );
    let name = panorama_export::file_name(format, jiff::Timestamp::now());
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
