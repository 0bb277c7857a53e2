//! The JSON shapes of imports: a job with its progress, and a preview.

use crate::app::imports::INTERRUPTED;
use panorama_core::store::{ImportJob, ImportRequest, JobState, counts_json};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

/// What to do about an interrupted import.
const INTERRUPTED_HINT: &str = "the import stopped without finishing (its worker's heartbeat is older than \
     its lease): run it again; rows already imported are matched, not duplicated";

/// An import job: what it reads, where it is, how far, with what counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobDto {
    /// Job id (UUID v7).
    pub job_id: String,
    /// `previewed`, `queued`, `running`, `done`, `failed`, or `interrupted`: running, but its
    /// worker's heartbeat stopped (a killed `panorama import`, or a server not yet taken over).
    pub state: String,
    /// What to do about the job's state, for people: set when it is `interrupted`.
    pub hint: Option<String>,
    /// The file as uploaded.
    pub file_name: String,
    /// The import purpose.
    pub purpose: String,
    /// The options it runs with.
    #[schema(value_type = Object)]
    pub options: ImportRequest,
    /// Who created it.
    pub actor: String,
    /// RFC 3339 times.
    pub created_at: String,
    /// When a worker started it.
    pub started_at: Option<String>,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Rows handled so far.
    pub rows_done: u64,
    /// Rows in the file, when known.
    pub rows_total: Option<u64>,
    /// Rows per second since it started.
    pub rate: Option<f64>,
    /// Estimated seconds left.
    pub seconds_left: Option<f64>,
    /// Counts so far: total, invalid, duplicate, created, updated, unchanged, merged, ...
    /// (`{}` until the first are recorded).
    #[schema(value_type = Object)]
    pub counts: Json,
    /// Why it failed.
    pub error: Option<String>,
}

impl From<ImportJob> for ImportJobDto {
    fn from(job: ImportJob) -> Self {
        let time = |t: jiff::Timestamp| panorama_core::value::format_timestamp(t);
        let end = job.finished_at.unwrap_or_else(jiff::Timestamp::now);
        let elapsed = job.started_at.map(|start| (end - start).as_secs_f64());
        #[allow(clippy::cast_precision_loss)]
        let rate = elapsed
            .filter(|s| *s > 0.0)
            .map(|s| job.rows_done as f64 / s);
        #[allow(clippy::cast_precision_loss)]
        let seconds_left = match (job.state, rate, job.rows_total) {
            (JobState::Running, Some(rate), Some(total)) if rate > 0.0 => {
                Some(total.saturating_sub(job.rows_done) as f64 / rate)
            }
            _ => None,
        };
        let interrupted = job.interrupted(jiff::Timestamp::now());
        Self {
            state: if interrupted {
                INTERRUPTED.to_owned()
            } else {
                job.state.as_str().to_owned()
            },
            hint: interrupted.then(|| INTERRUPTED_HINT.to_owned()),
            counts: counts_json(job.counts.as_ref()).unwrap_or_default(),
            job_id: job.job_id.into(),
            file_name: job.file_name,
            purpose: job.purpose,
            options: job.options,
            actor: job.actor,
            created_at: time(job.created_at),
            started_at: job.started_at.map(time),
            finished_at: job.finished_at.map(time),
            rows_done: job.rows_done,
            rows_total: job.rows_total,
            rate,
            seconds_left,
            error: job.error,
        }
    }
}

/// The answer to an upload: the job, and what the file would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewDto {
    /// The job, in state `previewed`.
    pub job: ImportJobDto,
    /// Columns, first rows as they will be stored, counts and the first errors.
    #[schema(value_type = Object)]
    pub preview: Json,
}

/// The form of `POST /api/v1/imports` (`multipart/form-data`); only `file` is required.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // describes the form for the document; `upload` reads the fields one by one
pub struct UploadForm {
    /// The file: CSV, TSV, XLSX or XLS.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// `upsert` (default), `delete`, `unsubscribe-email`, `unsubscribe-mobile` or
    /// `unsubscribe-global`.
    pub purpose: Option<String>,
    /// Text encoding of a CSV file (`utf-8`, `gbk`, ...); detected when absent.
    pub encoding: Option<String>,
    /// `COLUMN=attribute` choices, one per field or per line.
    pub map: Option<Vec<String>>,
    /// Drop columns that name no attribute instead of refusing the file.
    pub drop_unknown: Option<bool>,
    /// What an empty cell does: `keep` (default), `clear` or `default`.
    pub empty: Option<String>,
    /// ISO country for mobiles without a country code (default CN).
    pub default_country: Option<String>,
    /// Skip `user_created` and `attribute_change` events.
    pub fast: Option<bool>,
    /// Labels for every imported contact, one per field.
    pub label: Option<Vec<String>>,
}
