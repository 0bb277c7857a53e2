//! `/imports`: templates to download, upload with options, the preview, start, a live progress
//! bar, the rejected rows and the history.

use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use panorama_core::Error;
use panorama_core::metadata::{AttributeType, Schema};
use panorama_core::store::{Job, JobState};
use panorama_import::{IMPORT_JOB_KIND, Purpose, TextEncoding};
use serde_json::Value as Json;

/// Jobs shown in the history.
pub const IMPORT_PAGE_JOBS: u64 = 50;

/// One job of the history.
pub struct JobRow {
    id: String,
    file_name: String,
    purpose: String,
    state: &'static str,
    counts: String,
    actor: String,
    at: String,
    at_iso: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    chrome: Chrome,
    purposes: Vec<(&'static str, &'static str)>,
    encodings: Vec<&'static str>,
    map: String,
    jobs: Vec<JobRow>,
}

fn purposes(chrome: &Chrome) -> Vec<(&'static str, &'static str)> {
    Purpose::ALL
        .into_iter()
        .map(|p| (p.as_str(), chrome.lang.t(purpose_key(p))))
        .collect()
}

fn purpose_key(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Upsert => "imports.purpose_upsert",
        Purpose::Delete => "imports.purpose_delete",
        Purpose::UnsubscribeEmail => "imports.purpose_unsubscribe_email",
        Purpose::UnsubscribeMobile => "imports.purpose_unsubscribe_mobile",
        Purpose::UnsubscribeGlobal => "imports.purpose_unsubscribe_global",
    }
}

/// The text key of a job's state; a running job whose heartbeat stopped is interrupted.
fn state_key(job: &Job) -> &'static str {
    if job.interrupted(jiff::Timestamp::now()) {
        return "imports.state_interrupted";
    }
    match job.state {
        JobState::Previewed => "imports.state_previewed",
        JobState::Queued => "imports.state_queued",
        JobState::Running => "imports.state_running",
        JobState::Done => "imports.state_done",
        JobState::Failed => "imports.state_failed",
    }
}

fn counts_summary(counts: &Json) -> String {
    counts
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_u64().unwrap_or(0) > 0)
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

async fn list_page(
    state: &AppState,
    chrome: Chrome,
    status: StatusCode,
    map: String,
) -> Result<Response, PageError> {
    let jobs = state
        .store
        .list_jobs(IMPORT_JOB_KIND, IMPORT_PAGE_JOBS)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let lang = chrome.lang;
    let jobs = jobs
        .into_iter()
        .map(|job| JobRow {
            purpose: Purpose::parse(&job.purpose).map_or_else(
                |_| job.purpose.clone(),
                |p| lang.t(purpose_key(p)).to_owned(),
            ),
            state: lang.t(state_key(&job)),
            counts: counts_summary(&job.counts),
            at: chrome.clock.time(job.created_at),
            at_iso: chrome.clock.iso(job.created_at),
            id: job.job_id,
            file_name: job.file_name,
            actor: job.actor,
        })
        .collect();
    let encodings = TextEncoding::ALL.iter().map(|e| e.name()).collect();
    Ok(render(
        status,
        &ImportsPage {
            purposes: purposes(&chrome),
            encodings,
            map,
            jobs,
            chrome,
        },
    ))
}

/// `GET /imports`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    list_page(&state, chrome.at("imports"), StatusCode::OK, String::new()).await
}

/// `POST /imports`: upload, preview, then show the job (or the form again with the reason).
pub async fn upload(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let chrome = chrome.at("imports");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    match crate::api::receive_import(&state, multipart, &principal.name).await {
        Ok((job, _)) => Ok(see_other(
            &format!("/imports/{}", job.job_id),
            "import_previewed",
        )),
        Err(error) => {
            list_page(
                &state,
                chrome.with_error(&error.error),
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    job_id: String,
    file_name: String,
    purpose: String,
    actor: String,
    state: &'static str,
    state_key: &'static str,
    running: bool,
    previewed: bool,
    finished: bool,
    rows_done: u64,
    rows_total: u64,
    progress_text: String,
    error: Option<String>,
    counts: Vec<(String, String, String)>,
    columns: Vec<(String, String)>,
    rows: Vec<Vec<String>>,
    errors: Vec<(String, String, String, String)>,
}

/// `GET /imports/{id}`: the preview before the start, the progress while it runs, the counts after.
/// Values are masked as the contacts list masks them for `principal`.
pub async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("imports");
    let job = load(&state, &chrome, &id).await?;
    let lang = chrome.lang;
    let mut preview = job.preview.clone().unwrap_or(Json::Null);
    crate::api::ImportMask::for_job(state.store.as_ref(), &principal, &job)
        .await
        .map_err(|e| PageError::new(&chrome, e))?
        .preview(&mut preview);
    let counts_source = if job.state == JobState::Previewed {
        preview["counts"].clone()
    } else {
        job.counts.clone()
    };
    let counts = counts_source
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), k.replace('_', " "), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let columns: Vec<(String, String)> = preview["columns"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| (text(&c["header"]), text(&c["target"])))
                .collect()
        })
        .unwrap_or_default();
    let rows = preview["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|(_, target)| text(&row[target]))
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    let errors = preview["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| {
                    (
                        text(&e["row"]),
                        text(&e["column"]),
                        text(&e["value"]),
                        text(&e["reason"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let interrupted = job.interrupted(jiff::Timestamp::now());
    let running = matches!(job.state, JobState::Queued | JobState::Running) && !interrupted;
    let progress_text = match job.rows_total {
        Some(total) => format!(
            "{} / {} {}",
            lang.number(job.rows_done),
            lang.number(total),
            lang.t("imports.rows")
        ),
        None => format!("{} {}", lang.number(job.rows_done), lang.t("imports.rows")),
    };
    let page = ImportPage {
        job_id: job.job_id.clone(),
        file_name: job.file_name.clone(),
        purpose: Purpose::parse(&job.purpose).map_or_else(
            |_| job.purpose.clone(),
            |p| lang.t(purpose_key(p)).to_owned(),
        ),
        actor: job.actor.clone(),
        state: lang.t(state_key(&job)),
        state_key: if interrupted {
            crate::api::IMPORT_INTERRUPTED
        } else {
            job.state.as_str()
        },
        running,
        previewed: job.state == JobState::Previewed,
        finished: matches!(job.state, JobState::Done | JobState::Failed),
        rows_done: job.rows_done,
        rows_total: job.rows_total.unwrap_or(job.rows_done.max(1)),
        progress_text,
        error: job
            .error
            .clone()
            .or_else(|| interrupted.then(|| lang.t("imports.interrupted_hint").to_owned())),
        counts,
        columns,
        rows,
        errors,
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

fn text(value: &Json) -> String {
    panorama_core::value::display(value)
}

async fn load(state: &AppState, chrome: &Chrome, id: &str) -> Result<Job, PageError> {
    match state
        .store
        .get_job(id)
        .await
        .map_err(|e| PageError::new(chrome, e))?
    {
        Some(job) if job.kind == IMPORT_JOB_KIND => Ok(job),
        _ => Err(PageError::new(chrome, Error::not_found("import", id))),
    }
}

/// `POST /imports/{id}/start`.
pub async fn start(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("imports");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let job = load(&state, &chrome, &id).await?;
    // A job not previewed any more (started by another request) is shown as it is.
    let started = job.state == JobState::Previewed
        && crate::api::access::record::start_import(state.store.as_ref(), &principal, &job)
            .await
            .map_err(|e| PageError::new(&chrome, e))?;
    if started {
        crate::jobs::spawn_import(state.clone(), job.job_id.clone());
    }
    Ok(see_other(&format!("/imports/{id}"), "import_started"))
}

/// `GET /imports/template/{purpose}.csv`: the columns a purpose expects, with an example row.
pub async fn template(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let purpose =
        Purpose::parse(file.trim_end_matches(".csv")).map_err(|e| PageError::new(&chrome, e))?;
    let schema = Schema::new(
        state
            .store
            .list_attributes()
            .await
            .map_err(|e| PageError::new(&chrome, e))?,
    );
    let mut columns: Vec<(String, String)> = vec![
        ("mobile".into(), "13812345678".into()),
        ("email".into(), "zoe@example.com".into()),
    ];
    if purpose == Purpose::Upsert {
        for def in schema
            .attributes()
            .iter()
            .filter(|d| !d.computed && !matches!(d.name.as_str(), "mobile" | "email"))
        {
            let example = match def.attribute_type {
                AttributeType::String => String::new(),
                AttributeType::Integer => "100".into(),
                AttributeType::Decimal => "99.50".into(),
                AttributeType::Date => "1990-05-01".into(),
                AttributeType::Datetime => "2026-05-01T09:30:00+08:00".into(),
                AttributeType::Boolean => "true".into(),
                AttributeType::Enum => def.enum_values.first().cloned().unwrap_or_default(),
            };
            let example = if def.name.as_str() == "name" {
                "王伟".into()
            } else {
                example
            };
            columns.push((def.name.to_string(), example));
        }
        for channel in ["global_subscribed", "email_subscribed", "mobile_subscribed"] {
            columns.push((channel.into(), String::new()));
        }
    }
    let mut out = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let written = out
        .write_record(columns.iter().map(|c| c.0.as_str()))
        .and_then(|()| out.write_record(columns.iter().map(|c| c.1.as_str())));
    let bytes = written
        .map_err(Error::internal)
        .and_then(|()| out.into_inner().map_err(|e| Error::internal(e.to_string())))
        .map_err(|e| PageError::new(&chrome, e))?;
    let disposition = format!("attachment; filename=\"panorama-{}.csv\"", purpose.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
