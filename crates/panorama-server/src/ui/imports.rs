//! `/imports`: templates to download, upload with options (labels for every imported contact
//! among them) and the history; one import's page is `import_job.rs`.

use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use panorama_core::Error;
use panorama_core::metadata::AttributeType;
use panorama_core::store::{ImportJob, JobId, JobState};
use panorama_import::{Purpose, TextEncoding};

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
    /// Label paths offered for every imported contact.
    labels: Vec<String>,
    jobs: Vec<JobRow>,
}

fn purposes(chrome: &Chrome) -> Vec<(&'static str, &'static str)> {
    Purpose::ALL
        .into_iter()
        .map(|p| (p.as_str(), chrome.lang.t(purpose_key(p))))
        .collect()
}

pub(super) fn purpose_key(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Upsert => "imports.purpose_upsert",
        Purpose::Delete => "imports.purpose_delete",
        Purpose::UnsubscribeEmail => "imports.purpose_unsubscribe_email",
        Purpose::UnsubscribeMobile => "imports.purpose_unsubscribe_mobile",
        Purpose::UnsubscribeGlobal => "imports.purpose_unsubscribe_global",
    }
}

/// The text key of a job's state; a running job whose heartbeat stopped is interrupted.
pub(super) fn state_key(job: &ImportJob) -> &'static str {
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

async fn list_page(
    state: &AppState,
    chrome: Chrome,
    status: StatusCode,
) -> Result<Response, PageError> {
    let jobs = ImportJob::list(state.store.as_ref(), IMPORT_PAGE_JOBS)
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
            counts: if job.state == JobState::Previewed {
                let counts = job
                    .preview
                    .as_ref()
                    .and_then(super::import_words::preview_counts);
                super::import_words::summary(lang, counts.as_ref(), true)
            } else {
                super::import_words::summary(lang, job.counts.as_ref(), false)
            },
            at: chrome.clock.time(job.created_at),
            at_iso: chrome.clock.iso(job.created_at),
            id: job.job_id.into(),
            file_name: job.file_name,
            actor: super::audit_words::actor(lang, &job.actor).shown(),
        })
        .collect();
    let encodings = TextEncoding::ALL.iter().map(|e| e.name()).collect();
    let catalog = state
        .store
        .label_catalog()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let mut labels: Vec<String> = catalog
        .labels
        .iter()
        .filter(|l| !l.hidden)
        .map(|l| catalog.path(l))
        .collect();
    labels.sort();
    Ok(render(
        status,
        &ImportsPage {
            purposes: purposes(&chrome),
            encodings,
            labels,
            jobs,
            chrome,
        },
    ))
}

/// `GET /imports`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    list_page(&state, chrome.at("imports"), StatusCode::OK).await
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
    match crate::app::imports::receive(&state, multipart, &principal.name).await {
        Ok((job, _)) => Ok(see_other(
            &format!("/imports/{}", job.job_id),
            "import_previewed",
        )),
        Err(error) => {
            let mut chrome = chrome;
            chrome.error = Some(super::import_words::error(chrome.lang, &error.error));
            list_page(&state, chrome, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub(super) async fn load(
    state: &AppState,
    chrome: &Chrome,
    id: &str,
) -> Result<ImportJob, PageError> {
    match ImportJob::load(state.store.as_ref(), &JobId::from(id))
        .await
        .map_err(|e| PageError::new(chrome, e))?
    {
        Some(job) => Ok(job),
        None => Err(PageError::new(chrome, Error::not_found("import", id))),
    }
}

/// `GET /imports/template/{purpose}.csv`: the columns a purpose expects, with an example row.
pub async fn template(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let purpose =
        Purpose::parse(file.trim_end_matches(".csv")).map_err(|e| PageError::new(&chrome, e))?;
    let schema = state
        .schema()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
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
