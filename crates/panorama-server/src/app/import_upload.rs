//! An import upload as it arrives (multipart: the file and the options as fields), read into the
//! import's request with the file saved as it streams, each part held to its limit. Shared by the
//! API and the imports page through `app::imports::receive`.

use crate::AppState;
use crate::UPLOAD_FIELDS_BYTES_MAX;
use crate::error::ApiError;
use axum::extract::Multipart;
use axum::http::StatusCode;
use panorama_core::{Error, codes};
use panorama_import::ImportRequest;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Read the upload's fields into the import's options, saving the file as it comes (`file` says
/// where, as soon as it is on disk).
pub(super) async fn read_fields(
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

/// The file name's extension if it is one Panorama reads, so the stored file keeps its kind.
pub fn extension(file_name: &str) -> &'static str {
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
