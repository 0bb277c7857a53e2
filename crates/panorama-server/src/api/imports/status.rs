//! Import jobs: list, one job's progress, start, and the rejected rows as CSV.

use super::dto::ImportJobDto;
use crate::AppState;
use crate::app::import_choice;
use crate::app::import_mask::ImportMask;
use crate::error::{ApiError, Problem};
use crate::principal::{Principal, Role};
use axum::Json;
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use panorama_core::store::{ImportJob, JobId, JobState};
use panorama_core::{Error, codes};
use panorama_import::RejectedWriter;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Jobs listed by the history.
pub const IMPORT_HISTORY_JOBS_MAX: u64 = 200;
/// Rejected rows read per page while streaming the rejected-rows file.
pub const REJECTED_ROWS_PER_PAGE: u64 = 2_000;

async fn job(state: &AppState, job_id: &JobId) -> Result<ImportJob, ApiError> {
    match ImportJob::load(state.store.as_ref(), job_id).await? {
        Some(job) => Ok(job),
        None => Err(Error::not_found("import", job_id.as_str()).into()),
    }
}

/// The import history, newest first: file, purpose, who, when, counts.
#[utoipa::path(get, path = "/api/v1/imports", operation_id = "list_imports", tag = "imports",
    responses((status = 200, description = "Newest first", body = Vec<ImportJobDto>)))]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ImportJobDto>>, ApiError> {
    principal.require(Role::Viewer)?;
    let jobs = ImportJob::list(state.store.as_ref(), IMPORT_HISTORY_JOBS_MAX).await?;
    Ok(Json(jobs.into_iter().map(Into::into).collect()))
}

/// Longest a request may wait for an import to finish, in seconds.
pub const IMPORT_WAIT_SECONDS_MAX: u64 = 60;

/// How long to wait for the import to finish.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct WaitParams {
    /// Answer when the import is done or failed, or after this many seconds (at most 60).
    wait: Option<u64>,
}

/// One import: state, rows done and total, rate, seconds left, counts. With `wait`, the answer
/// comes when the import finishes (or the wait runs out), so a script needs no polling loop.
#[utoipa::path(get, path = "/api/v1/imports/{id}", operation_id = "get_import", tag = "imports",
    params(("id" = String, Path, description = "Job id"), WaitParams),
    responses((status = 200, description = "The import", body = ImportJobDto),
        (status = 404, description = "No import has this id", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    axum::extract::Query(params): axum::extract::Query<WaitParams>,
) -> Result<Json<ImportJobDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let seconds = params.wait.unwrap_or(0).min(IMPORT_WAIT_SECONDS_MAX);
    let id = JobId::from(id);
    let ready = |job: &ImportJob| {
        matches!(
            job.state,
            JobState::Done | JobState::Failed | JobState::Previewed
        )
    };
    let read = || job(&state, &id);
    let current = state
        .jobs
        .wait_until(&id, std::time::Duration::from_secs(seconds), read, ready)
        .await?;
    Ok(Json(current.into()))
}

/// The optional body of a start: what the columns become.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(super) struct StartBody {
    /// Header → attribute machine name (or subscription column such as `email_subscribed`), or
    /// `-` to ignore the column. Replaces the upload's choice for the same header.
    #[schema(example = json!({"备注": "-", "Cust. phone": "mobile"}))]
    map: BTreeMap<String, String>,
    /// Save the file's mapping, so a file with the same headers is previewed with it.
    save: bool,
}

/// Start a previewed import; it runs in the background. Every column must be decided: matched by
/// its header, or chosen in `map` (here or at the upload), or ignored.
#[utoipa::path(post, path = "/api/v1/imports/{id}/start", operation_id = "start_import", tag = "imports",
    params(("id" = String, Path, description = "Job id")),
    request_body(content = Option<StartBody>, content_type = "application/json",
        description = "Optional: `{\"map\": {\"HEADER\": \"attribute\" or \"-\"}, \"save\": false}`"),
    responses((status = 202, description = "Queued", body = ImportJobDto),
        (status = 400, description = "A body that is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No import has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in the previewed state", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Columns still unmapped (`unknown_columns`, naming every one in `detail` and `value`), \
            a choice naming no column or attribute, or a body of another shape", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn start(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportJobDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let id = JobId::from(id);
    let mut current = job(&state, &id).await?;
    if current.state != JobState::Previewed {
        return Err(not_previewed(&current));
    }
    let body: StartBody = if body.iter().all(u8::is_ascii_whitespace) {
        StartBody::default()
    } else {
        crate::extract::parse_json(&body)?
    };
    let request = import_choice::with_choices(import_choice::request(&current)?, &body.map);
    let headers = import_choice::headers(&current);
    let columns = import_choice::check(&state, &headers, &request).await?;
    if !body.map.is_empty() {
        let preview =
            import_choice::settle_preview(current.preview.clone().unwrap_or_default(), &columns);
        let options = serde_json::to_value(&request).map_err(Error::internal)?;
        if !state
            .store
            .update_previewed_job(&id, &options, &preview)
            .await?
        {
            return Err(not_previewed(&job(&state, &id).await?));
        }
        current = job(&state, &id).await?;
    }
    if body.save {
        import_choice::save(&state, &headers, &request, &principal.name).await?;
    }
    let started =
        crate::app::imports::start_import(state.store.as_ref(), &principal, &current).await?;
    if !started {
        return Err(not_previewed(&job(&state, &id).await?));
    }
    tracing::info!(principal = %principal.name, job = %id, "import started");
    crate::jobs::spawn_import(state.clone(), id.clone());
    Ok((StatusCode::ACCEPTED, Json(job(&state, &id).await?.into())))
}

fn not_previewed(job: &ImportJob) -> ApiError {
    let detail = format!(
        "the import is {}, so it cannot be started",
        job.state.as_str()
    );
    Error::conflict(codes::BAD_REQUEST, detail, "state")
        .with_value(job.state.as_str())
        .into()
}

/// Every rejected row with its row number, column, value and reason, then its cells under the
/// file's own headers (CSV);
/// mobiles and emails masked for a principal who sees them masked, as the contacts list does.
#[utoipa::path(get, path = "/api/v1/imports/{id}/rejected", operation_id = "import_rejected_rows", tag = "imports",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "CSV, UTF-8 with BOM", content_type = "text/csv"),
        (status = 404, description = "No import has this id", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn rejected(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    principal.require(Role::Viewer)?;
    let id = JobId::from(id);
    let job = job(&state, &id).await?;
    let mask = Arc::new(ImportMask::for_job(&state, &principal, &job).await?);
    // The file's own headers, so the rejected rows can be corrected and imported again as they are.
    let file_headers = import_choice::headers(&job);
    let pages =
        futures::stream::unfold(Some((state, mask, id.clone(), 0u64, true)), move |cursor| {
            let file_headers = file_headers.clone();
            async move {
                let (state, mask, id, after, first) = cursor?;
                let mut rows = match state
                    .store
                    .job_rejections(&id, after, REJECTED_ROWS_PER_PAGE)
                    .await
                {
                    Ok(rows) => rows,
                    Err(error) => {
                        return Some((Err(std::io::Error::other(error.to_string())), None));
                    }
                };
                rows.iter_mut().for_each(|row| mask.rejection(row));
                if rows.is_empty() && !first {
                    return None;
                }
                let last = rows.last().map_or(after, |r| r.row);
                let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
                let headers: Vec<String> = if first {
                    // A row with more cells than the header (a misaligned row) names the rest by place.
                    let named = file_headers.len();
                    file_headers
                        .iter()
                        .cloned()
                        .chain((named + 1..=width).map(|n| format!("cell_{n}")))
                        .collect()
                } else {
                    Vec::new()
                };
                let bytes = render(first, &headers, &rows);
                let next = (!rows.is_empty()).then_some((state, mask, id, last, false));
                Some((bytes, next))
            }
        });
    let file_name = format!("{}-rejected.csv", job.file_name.trim_end_matches(".csv"));
    let disposition = format!("attachment; filename=\"{}\"", file_name.replace('"', ""));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(pages),
    )
        .into_response())
}

fn render(
    first: bool,
    headers: &[String],
    rows: &[panorama_core::store::JobRejection],
) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    if first {
        let mut writer = RejectedWriter::new(&mut out, headers)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        for row in rows {
            writer
                .write(row)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        writer
            .finish()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    } else {
        let mut csv = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        for row in rows {
            let mut record = vec![
                row.row.to_string(),
                row.column.clone(),
                row.value.clone(),
                row.code.clone(),
                row.reason.clone(),
            ];
            record.extend(row.cells.iter().cloned());
            csv.write_record(record.into_iter().map(panorama_import::neutralise))
                .map_err(std::io::Error::other)?;
        }
        csv.flush()?;
    }
    Ok(out)
}
