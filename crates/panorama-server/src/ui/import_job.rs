//! `/imports/{id}`: one import. Before the start, its preview with a picker per column (the
//! match, else the best suggestion, else "choose"), kept with its file while the operator
//! chooses; then its progress (rows done of total) and its counts in words.

use super::import_words;
use super::imports::{load, purpose_key, state_key};
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::app::import_choice;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::Channel;
use panorama_core::store::{ImportJob, JobId, JobState};
use panorama_import::Purpose;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// One column of the preview with its picker.
pub struct ColumnChoice {
    /// Position in the file (the picker's field is `column_N`).
    index: usize,
    header: String,
    /// The value selected: an attribute, a subscription column, `-`, or empty (undecided).
    selected: String,
    /// Whether the header matched nothing (its selection is a suggestion or nothing).
    unmatched: bool,
    /// Whether `selected` is a suggestion.
    suggested: bool,
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
    counts: Vec<import_words::Count>,
    columns: Vec<ColumnChoice>,
    /// `(value, name)` of every choice a picker offers, attributes in the page's language.
    targets: Vec<(String, String)>,
    saved_mapping: bool,
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
    page(&state, chrome, &principal, &job, StatusCode::OK).await
}

async fn page(
    state: &AppState,
    mut chrome: Chrome,
    principal: &Principal,
    job: &ImportJob,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = chrome.lang;
    let mut preview = job.preview.clone().unwrap_or(Json::Null);
    crate::app::import_mask::ImportMask::for_job(state, principal, job)
        .await
        .map_err(|e| PageError::new(&chrome, e))?
        .preview(&mut preview);
    let previewed = job.state == JobState::Previewed;
    let finished = matches!(job.state, JobState::Done | JobState::Failed);
    if finished {
        // "Import started" belongs to the moment of the start, not to a job that has ended.
        chrome.notice = None;
    }
    let counts = if previewed {
        import_words::counts(lang, import_words::preview_counts(&preview).as_ref(), true)
    } else {
        import_words::counts(lang, job.counts.as_ref(), false)
    };
    let schema = state
        .schema()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let language = lang.language();
    let mut targets: Vec<(String, String)> = schema
        .attributes()
        .iter()
        .filter(|d| !d.computed)
        .map(|d| (d.name.as_str().to_owned(), d.label(language).to_owned()))
        .collect();
    targets.extend(Channel::ALL.into_iter().map(|c| {
        let key = match c {
            Channel::Global => "imports.sub_global",
            Channel::Email => "imports.sub_email",
            Channel::Mobile => "imports.sub_mobile",
        };
        (c.column().to_owned(), lang.t(key).to_owned())
    }));
    let columns: Vec<ColumnChoice> = preview["columns"]
        .as_array()
        .map(|columns| {
            columns
                .iter()
                .enumerate()
                .map(|(index, c)| {
                    let attribute = c["attribute"].as_str().map(str::to_owned);
                    let suggestion = c["suggestions"][0].as_str().map(str::to_owned);
                    ColumnChoice {
                        index,
                        header: text(&c["header"]),
                        unmatched: attribute.is_none(),
                        suggested: attribute.is_none() && suggestion.is_some(),
                        selected: attribute.or(suggestion).unwrap_or_default(),
                    }
                })
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
                        .map(|c| {
                            let value = &row[c.selected.as_str()];
                            let shown = text(value);
                            match schema.get(&c.selected) {
                                Some(def) => def.value_label(&shown, language).to_owned(),
                                None => shown,
                            }
                        })
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
        Some(total) => lang
            .t("imports.progress")
            .replace("{done}", &lang.number(job.rows_done))
            .replace("{total}", &lang.number(total)),
        None => lang
            .t("imports.progress_unknown")
            .replace("{done}", &lang.number(job.rows_done)),
    };
    let page = ImportPage {
        job_id: job.job_id.to_string(),
        file_name: job.file_name.clone(),
        purpose: Purpose::parse(&job.purpose).map_or_else(
            |_| job.purpose.clone(),
            |p| lang.t(purpose_key(p)).to_owned(),
        ),
        actor: super::audit_words::actor(lang, &job.actor).shown(),
        state: lang.t(state_key(job)),
        state_key: if interrupted {
            crate::app::imports::INTERRUPTED
        } else {
            job.state.as_str()
        },
        running,
        previewed,
        finished,
        rows_done: job.rows_done,
        rows_total: job.rows_total.unwrap_or(job.rows_done.max(1)),
        progress_text,
        error: job
            .error
            .clone()
            .or_else(|| interrupted.then(|| lang.t("imports.interrupted_hint").to_owned())),
        counts,
        columns,
        targets,
        saved_mapping: preview["saved_mapping"].is_object(),
        rows,
        errors,
        chrome,
    };
    Ok(render(status, &page))
}

fn text(value: &Json) -> String {
    panorama_core::value::display(value)
}

/// The previewed job a form was sent for (a marketer's), with the choices it sent; `Err` is the
/// job's page when it is not previewed any more (another request started it), shown as it is.
async fn previewed(
    state: &AppState,
    chrome: &Chrome,
    principal: &Principal,
    id: &str,
    form: &[(String, String)],
) -> Result<Result<(ImportJob, BTreeMap<String, String>, bool), Response>, PageError> {
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(chrome, e))?;
    let job = load(state, chrome, id).await?;
    if job.state != JobState::Previewed {
        return Ok(Err(see_other(&format!("/imports/{id}"), "import_started")));
    }
    let (chosen, save) = choices(&job, form);
    Ok(Ok((job, chosen, save)))
}

/// The choices of a submitted preview form: `column_N` → target, for the job's headers; an
/// empty choice decides nothing. `save` when the operator asked to remember them.
fn choices(job: &ImportJob, form: &[(String, String)]) -> (BTreeMap<String, String>, bool) {
    let headers = import_choice::headers(job);
    let mut chosen = BTreeMap::new();
    for (name, value) in form {
        let Some(index) = name
            .strip_prefix("column_")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        if let Some(header) = headers.get(index)
            && !value.trim().is_empty()
        {
            chosen.insert(header.clone(), value.trim().to_owned());
        }
    }
    let save = form
        .iter()
        .any(|(name, value)| name == "save" && value == "true");
    (chosen, save)
}

/// `POST /imports/{id}/mapping`: preview the kept file again with the columns as chosen.
pub async fn remap(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("imports");
    let (job, chosen, save) = match previewed(&state, &chrome, &principal, &id, &form).await? {
        Ok(previewed) => previewed,
        Err(started) => return Ok(started),
    };
    let outcome = async {
        let request = import_choice::with_choices(import_choice::request(&job)?, &chosen);
        let path = crate::jobs::upload_path(&state, &job);
        let preview = import_choice::repreview(&state, &path, &request).await?;
        let options = serde_json::to_value(&request).map_err(panorama_core::Error::internal)?;
        state
            .store
            .update_previewed_job(&JobId::from(id.as_str()), &options, &preview)
            .await?;
        if save {
            let headers = import_choice::headers(&job);
            import_choice::save(&state, &headers, &request, &principal.name).await?;
        }
        Ok::<_, panorama_core::Error>(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/imports/{id}"), "import_previewed")),
        Err(error) => refused(&state, chrome, &principal, &job, &error).await,
    }
}

/// The page again, saying in people's words why the choices were refused.
async fn refused(
    state: &AppState,
    mut chrome: Chrome,
    principal: &Principal,
    job: &ImportJob,
    error: &panorama_core::Error,
) -> Result<Response, PageError> {
    chrome.error = Some(import_words::error(chrome.lang, error));
    page(
        state,
        chrome,
        principal,
        job,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /imports/{id}/start`: apply the columns as chosen (every one must be decided), then start.
pub async fn start(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("imports");
    let (job, chosen, save) = match previewed(&state, &chrome, &principal, &id, &form).await? {
        Ok(previewed) => previewed,
        Err(started) => return Ok(started),
    };
    let settled = async {
        let request = import_choice::with_choices(import_choice::request(&job)?, &chosen);
        let headers = import_choice::headers(&job);
        let columns = import_choice::check(&state, &headers, &request).await?;
        let preview =
            import_choice::settle_preview(job.preview.clone().unwrap_or_default(), &columns);
        let options = serde_json::to_value(&request).map_err(panorama_core::Error::internal)?;
        state
            .store
            .update_previewed_job(&JobId::from(id.as_str()), &options, &preview)
            .await?;
        if save {
            import_choice::save(&state, &headers, &request, &principal.name).await?;
        }
        Ok::<_, panorama_core::Error>(())
    }
    .await;
    if let Err(error) = settled {
        // The operator's choices as sent stay on the page they are asked to correct.
        let mut shown = job.clone();
        if let Some(columns) = shown
            .preview
            .as_mut()
            .and_then(|p| p["columns"].as_array_mut())
        {
            for column in columns.iter_mut() {
                if let Some(chosen) = column["header"].as_str().and_then(|h| chosen.get(h)) {
                    column["attribute"] = Json::from(chosen.clone());
                }
            }
        }
        return refused(&state, chrome, &principal, &shown, &error).await;
    }
    let job = load(&state, &chrome, &id).await?;
    let started = crate::app::imports::start_import(state.store.as_ref(), &principal, &job)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    if started {
        crate::jobs::spawn_import(state.clone(), job.job_id.clone());
    }
    Ok(see_other(&format!("/imports/{id}"), "import_started"))
}
