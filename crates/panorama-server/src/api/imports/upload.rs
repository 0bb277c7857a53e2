//! `POST /api/v1/imports`: a multipart upload (the file and the options), answered with the
//! preview. Nothing is written to contacts until the job is started.

use super::dto::{ImportJobDto, PreviewDto};
use crate::AppState;
use crate::app::import_mask::ImportMask;
use crate::app::imports::receive;
use crate::error::{ApiError, Problem};
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;

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
    ImportMask::for_job(&state, &principal, &job)
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
