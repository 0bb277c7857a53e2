//! `POST /api/v1/imports`: a multipart upload (the file and the options), answered with the
//! preview. Nothing is written to contacts until the job is started.

use super::dto::{ImportJobDto, PreviewDto};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use panorama_core::metadata::Schema;
use panorama_core::store::{Job, JobState};
use panorama_core::{Error, codes};
use panorama_import::{ImportRequest, PREVIEW_ROWS, new_import_job, prepare};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Upload a file and its options; get the preview.
#[utoipa::path(
    post, path = "/api/v1/imports", operation_id = "upload_import", tag = "imports",
    request_body(content_type = "multipart/form-data", description = "`file` (CSV, XLSX or XLS) and the options as fields: \
        `purpose`, `encoding`, `map` (COLUMN=attribute, repeatable), `drop_unknown`, `empty`, `default_country`, `fast`"),
    responses(
        (status = 201, description = "Previewed: nothing is written until the job is started", body = PreviewDto),
        (status = 413, description = "Over the file size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable file, unknown columns, or bad options", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    multipart: Multipart,
) -> Result<(StatusCode, Json<PreviewDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let (job, preview) = receive(&state, multipart, &principal.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(PreviewDto {
            job: ImportJobDto::from(job),
            preview,
        }),
    ))
}

/// Take an upload (the file and its options), keep the file, preview it and record the job as
/// previewed. Shared by the API and the imports page; refused uploads leave no file and no job.
pub(crate) async fn receive(
    state: &AppState,
    mut multipart: Multipart,
    actor: &str,
) -> Result<(Job, serde_json::Value), ApiError> {
    let mut request = ImportRequest::default();
    let mut file: Option<(String, PathBuf)> = None;
    let job_prefix = panorama_core::contact::ContactId::new().to_string();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(format!("the upload is not valid multipart: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_owned();
            let path = state
                .settings
                .uploads_dir
                .join(format!("{job_prefix}.{}", extension(&file_name)));
            save(field, &path, state.settings.import_file_bytes_max).await?;
            file = Some((file_name, path));
            continue;
        }
        let value = field
            .text()
            .await
            .map_err(|e| bad(format!("field `{name}` is not text: {e}")))?;
        let flag = matches!(value.trim(), "true" | "on" | "1" | "yes");
        match name.as_str() {
            "purpose" => request.purpose = Some(value),
            "encoding" => request.encoding = Some(value),
            "map" => request.map.extend(value.lines().map(str::to_owned)),
            "drop_unknown" => request.drop_unknown = flag,
            "empty" => request.empty = Some(value),
            "default_country" => request.default_country = Some(value),
            "fast" => request.fast = flag,
            "label" | "labels" => request.labels.push(value),
            other => {
                return Err(Error::invalid(
                    codes::BAD_REQUEST,
                    "unknown upload field",
                    "field",
                    other,
                )
                .into());
            }
        }
    }
    let (file_name, path) = file.filter(|(name, _)| !name.is_empty()).ok_or_else(|| {
        Error::invalid_field(
            codes::BAD_REQUEST,
            "the upload needs a `file` field",
            "file",
        )
    })?;
    let preview = match preview(state, &request, &path).await {
        Ok(preview) => preview,
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
    };
    let options = request.options(state.settings.import_file_bytes_max)?;
    let mut job = new_import_job(&file_name, &request, &options, actor, JobState::Previewed);
    // The stored file is found by the job id: they share the id made before the upload was read.
    job.job_id = job_prefix;
    job.preview = Some(preview.clone());
    state.store.create_job(&job).await?;
    tracing::info!(%actor, job = %job.job_id, file = %file_name, "import previewed");
    Ok((job, preview))
}

async fn preview(
    state: &AppState,
    request: &ImportRequest,
    path: &Path,
) -> Result<serde_json::Value, ApiError> {
    let options = request.options(state.settings.import_file_bytes_max)?;
    panorama_import::resolve_labels(state.store.as_ref(), &options.labels).await?;
    let schema = Schema::new(state.store.list_attributes().await?);
    let path = path.to_owned();
    let preview = tokio::task::spawn_blocking(move || {
        prepare(&path, &schema, &options)?.preview(PREVIEW_ROWS)
    })
    .await
    .map_err(|e| Error::internal(format!("the preview failed: {e}")))??;
    Ok(serde_json::to_value(preview).map_err(Error::internal)?)
}

/// The file name's extension if it is one Panorama reads, so the stored file keeps its kind.
pub(crate) fn extension(file_name: &str) -> &'static str {
    match file_name
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xlsx") => "xlsx",
        Some("xls") => "xls",
        Some("tsv") | Some("txt") => "txt",
        _ => "csv",
    }
}

async fn save(
    mut field: axum::extract::multipart::Field<'_>,
    path: &Path,
    bytes_max: u64,
) -> Result<(), ApiError> {
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(Error::internal)?;
    }
    let mut out = tokio::fs::File::create(path)
        .await
        .map_err(Error::internal)?;
    let mut written: u64 = 0;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| bad(format!("the upload broke off: {e}")))?
    {
        written += chunk.len() as u64;
        if written > bytes_max {
            drop(out);
            let _ = tokio::fs::remove_file(path).await;
            let error = Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!("the file is larger than import_file_bytes_max ({bytes_max} bytes)"),
                "file",
                written,
            );
            return Err(ApiError::with_status(StatusCode::PAYLOAD_TOO_LARGE, error));
        }
        out.write_all(&chunk).await.map_err(Error::internal)?;
    }
    out.flush().await.map_err(Error::internal)?;
    Ok(())
}

fn bad(detail: String) -> ApiError {
    Error::invalid_field(codes::BAD_REQUEST, detail, "file").into()
}
