//! `POST /api/v1/imports`: a multipart upload (the file and the options), answered with the
//! preview. Nothing is written to contacts until the job is started.

use super::dto::{ImportJobDto, PreviewDto};
use crate::error::{ApiError, Problem};
use crate::import_choice;
use crate::jobs::new_import_job;
use crate::principal::{Principal, Role};
use crate::{AppState, UPLOAD_FIELDS_BYTES_MAX};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use panorama_core::store::{ImportJob, JobId, JobState};
use panorama_core::{Error, codes};
use panorama_import::{ImportRequest, TableReader};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Upload a file and its options; get the preview.
#[utoipa::path(
    post, path = "/api/v1/imports", operation_id = "upload_import", tag = "imports",
    request_body(content = super::dto::UploadForm, content_type = "multipart/form-data", description = "`file` (CSV, XLSX or XLS) and the options as fields: \
        `purpose`, `encoding`, `map` (COLUMN=attribute, repeatable), `drop_unknown`, `empty`, `default_country`, `fast`"),
    responses(
        (status = 201, description = "Previewed: nothing is written until the job is started. \
            `preview.columns` has one entry per file column, `{header, attribute, suggestions}`: \
            `attribute` is null where the header matched nothing (listed in `preview.unmapped`; \
            map or ignore each when starting). A file whose headers have a saved mapping is \
            previewed with it (`preview.saved_mapping`).", body = PreviewDto),
        (status = 413, description = "A file over `import_file_bytes_max`, or fields over 1 MiB (`limit_exceeded`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unreadable file, a computed attribute's column, or bad options", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn upload(
    State(state): State<AppState>,
    principal: Principal,
    multipart: Multipart,
) -> Result<(StatusCode, Json<PreviewDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let (job, mut preview) = receive(&state, multipart, &principal.name).await?;
    // The uploader's own file is masked too: the answer is a page of contact values like any.
    super::mask::ImportMask::for_job(state.store.as_ref(), &principal, &job)
        .await?
        .preview(&mut preview);
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
    multipart: Multipart,
    actor: &str,
) -> Result<(ImportJob, serde_json::Value), ApiError> {
    let job_prefix = panorama_core::contact::ContactId::new().to_string();
    let mut file: Option<(String, PathBuf)> = None;
    let read = read_fields(state, multipart, &job_prefix, &mut file).await;
    let (request, file_name, path) = match (read, file) {
        // A browser sends an empty file name when no file was chosen.
        (Ok(request), Some((name, path))) if !name.is_empty() => (request, name, path),
        (read, file) => {
            // A refused upload leaves no file, whichever field came after the file.
            if let Some((_, path)) = file {
                let _ = tokio::fs::remove_file(&path).await;
            }
            return Err(read.err().unwrap_or_else(|| {
                Error::invalid_field(
                    codes::BAD_REQUEST,
                    "the upload needs a `file` field",
                    "file",
                )
                .into()
            }));
        }
    };
    let (request, preview) = match preview(state, request, &path).await {
        Ok(done) => done,
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
    };
    let options = state.settings.import_options(&request)?;
    let mut job = new_import_job(&file_name, &request, &options, actor, JobState::Previewed);
    // The stored file is found by the job id: they share the id made before the upload was read.
    job.job_id = JobId::from(job_prefix);
    job.preview = Some(preview.clone());
    job.create(state.store.as_ref()).await?;
    tracing::info!(%actor, job = %job.job_id, file = %file_name, "import previewed");
    Ok((job, preview))
}

/// Read the upload's fields into the import's options, saving the file as it comes (`file` says
/// where, as soon as it is on disk).
async fn read_fields(
    state: &AppState,
    mut multipart: Multipart,
    job_prefix: &str,
    file: &mut Option<(String, PathBuf)>,
) -> Result<ImportRequest, ApiError> {
    let mut request = ImportRequest::default();
    let mut fields_bytes_left = UPLOAD_FIELDS_BYTES_MAX;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(format!("the upload is not valid multipart: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if file.is_some() {
                return Err(bad("the upload carries one `file`".to_owned()));
            }
            let file_name = field.file_name().unwrap_or("upload").to_owned();
            let path = state
                .settings
                .uploads_dir
                .join(format!("{job_prefix}.{}", extension(&file_name)));
            save(field, &path, state.settings.import_file_bytes_max).await?;
            *file = Some((file_name, path));
            continue;
        }
        let value = text(field, &name, &mut fields_bytes_left).await?;
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
    Ok(request)
}

/// Preview the file. A file whose headers were saved with a mapping, uploaded without choices
/// of its own, is previewed with that mapping (named in `saved_mapping`); a saved mapping that no
/// longer fits (an attribute deleted since) is left out.
async fn preview(
    state: &AppState,
    request: ImportRequest,
    path: &Path,
) -> Result<(ImportRequest, serde_json::Value), ApiError> {
    let options = state.settings.import_options(&request)?;
    panorama_import::resolve_labels(state.store.as_ref(), &options.labels).await?;
    let (file, read) = (path.to_owned(), options.read.clone());
    let headers = tokio::task::spawn_blocking(move || {
        TableReader::open(&file, &read).map(|reader| reader.headers().to_vec())
    })
    .await
    .map_err(|e| Error::internal(format!("the preview failed: {e}")))??;
    if request.map.is_empty()
        && let Some(saved) = import_choice::saved(state, &headers).await?
    {
        let chosen = import_choice::with_choices(request.clone(), &saved.map);
        if let Ok(mut preview) = import_choice::repreview(state, path, &chosen).await {
            preview["saved_mapping"] = serde_json::json!({
                "saved_by": saved.saved_by,
                "saved_at": panorama_core::value::format_timestamp(saved.saved_at),
                "map": saved.map,
            });
            return Ok((chosen, preview));
        }
    }
    let preview = import_choice::repreview(state, path, &request).await?;
    Ok((request, preview))
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
    let mut out = crate::uploads::create(path)
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

/// Read a text field, counting its bytes against what the upload's fields have `left`.
async fn text(
    mut field: axum::extract::multipart::Field<'_>,
    name: &str,
    left: &mut usize,
) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| bad(format!("field `{name}` broke off: {e}")))?
    {
        if chunk.len() > *left {
            let taken = UPLOAD_FIELDS_BYTES_MAX - *left + chunk.len();
            let error = Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!(
                    "the upload's fields other than `file` hold at most {UPLOAD_FIELDS_BYTES_MAX} \
                     bytes together (UPLOAD_FIELDS_BYTES_MAX)"
                ),
                name,
                taken,
            );
            return Err(ApiError::with_status(StatusCode::PAYLOAD_TOO_LARGE, error));
        }
        *left -= chunk.len();
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| bad(format!("field `{name}` is not UTF-8 text")))
}

fn bad(detail: String) -> ApiError {
    Error::invalid_field(codes::BAD_REQUEST, detail, "file").into()
}
