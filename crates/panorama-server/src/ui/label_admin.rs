//! `/labels`: the contact labels page. Groups (up to four levels) and their labels as one tree;
//! create, rename, hide or show, and delete labels; create, rename and delete empty groups.
//! Every label links to the contacts list filtered by it.

use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use panorama_core::Error;
use panorama_core::contact::WriteContext;
use panorama_core::label::{
    LABEL_GROUP_DEPTH_MAX, LabelCatalog, LabelGroupId, LabelId, LabelPatch, NewLabel, NewLabelGroup,
};
use serde::Deserialize;

/// One row of the tree: a group or a label, indented by its depth.
pub struct TreeRow {
    kind: &'static str,
    id: i64,
    name: String,
    depth: usize,
    contacts: String,
    hidden: bool,
    deletable: bool,
}

/// A choice of the group selects: its id and path.
pub struct GroupChoice {
    id: i64,
    path: String,
    nestable: bool,
}

#[derive(Template)]
#[template(path = "labels.html")]
struct LabelsPage {
    chrome: Chrome,
    total: usize,
    rows: Vec<TreeRow>,
    groups: Vec<GroupChoice>,
    depth_max: u8,
}

/// The form of every label page post: whichever fields the form has.
#[derive(Debug, Default, Deserialize)]
pub struct LabelForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    hidden: String,
}

/// Every label page route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/labels", get(list).post(create_label))
        .route("/labels/groups", post(create_group))
        .route("/labels/groups/{id}", post(rename_group))
        .route("/labels/groups/{id}/delete", post(delete_group))
        .route("/labels/{id}", post(update_label))
        .route(
            "/labels/{id}/delete",
            get(confirm_delete).post(delete_label),
        )
}

fn tree(catalog: &LabelCatalog, lang: super::i18n::Lang) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    push_level(catalog, lang, None, 0, &mut rows);
    rows
}

fn push_level(
    catalog: &LabelCatalog,
    lang: super::i18n::Lang,
    group: Option<LabelGroupId>,
    depth: usize,
    rows: &mut Vec<TreeRow>,
) {
    let mut labels: Vec<_> = catalog
        .labels
        .iter()
        .filter(|l| l.group_id == group)
        .collect();
    labels.sort_by(|a, b| a.name.cmp(&b.name));
    for label in labels {
        rows.push(TreeRow {
            kind: "label",
            id: label.label_id.0,
            name: label.name.clone(),
            depth,
            contacts: lang.number(label.contacts),
            hidden: label.hidden,
            deletable: true,
        });
    }
    let mut groups: Vec<_> = catalog
        .groups
        .iter()
        .filter(|g| g.parent_id == group)
        .collect();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    for child in groups {
        let empty = !catalog
            .labels
            .iter()
            .any(|l| l.group_id == Some(child.group_id))
            && !catalog
                .groups
                .iter()
                .any(|g| g.parent_id == Some(child.group_id));
        rows.push(TreeRow {
            kind: "group",
            id: child.group_id.0,
            name: child.name.clone(),
            depth,
            contacts: String::new(),
            hidden: false,
            deletable: empty,
        });
        // Depth is bounded by LABEL_GROUP_DEPTH_MAX, so is this recursion.
        if depth < usize::from(LABEL_GROUP_DEPTH_MAX) {
            push_level(catalog, lang, Some(child.group_id), depth + 1, rows);
        }
    }
}

async fn page(state: &AppState, chrome: Chrome, status: StatusCode) -> Result<Response, PageError> {
    let catalog = state
        .store
        .label_catalog()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let mut groups: Vec<GroupChoice> = catalog
        .groups
        .iter()
        .map(|g| GroupChoice {
            id: g.group_id.0,
            path: catalog.group_path(Some(g.group_id)).join(" / "),
            nestable: g.depth < LABEL_GROUP_DEPTH_MAX,
        })
        .collect();
    groups.sort_by(|a, b| a.path.cmp(&b.path));
    let page = LabelsPage {
        total: catalog.labels.len(),
        rows: tree(&catalog, chrome.lang),
        groups,
        depth_max: LABEL_GROUP_DEPTH_MAX,
        chrome,
    };
    Ok(render(status, &page))
}

/// Run a change: redirect with `notice` when it worked, else show the page with the reason.
async fn finish(
    state: &AppState,
    chrome: Chrome,
    result: Result<(), Error>,
    notice: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other("/labels", notice)),
        Err(error) if error.kind == panorama_core::ErrorKind::Internal => {
            Err(PageError::new(&chrome, error))
        }
        Err(error) => {
            page(
                state,
                chrome.with_error(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

fn group_of(text: &str) -> Result<Option<LabelGroupId>, Error> {
    match text.trim() {
        "" => Ok(None),
        id => LabelGroupId::parse(id, "group_id").map(Some),
    }
}

/// `GET /labels`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    page(&state, chrome.at("labels"), StatusCode::OK).await
}

/// `POST /labels`: add a label.
pub async fn create_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    axum::Form(form): axum::Form<LabelForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match group_of(&form.group_id) {
        Ok(group_id) => {
            let new = NewLabel {
                name: form.name,
                group_id,
                hidden: false,
            };
            state.store.create_label(&new).await.map(|_| ())
        }
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "label_created").await
}

/// `POST /labels/groups`: add a group (`group_id` is the parent).
pub async fn create_group(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    axum::Form(form): axum::Form<LabelForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match group_of(&form.group_id) {
        Ok(parent_id) => {
            let new = NewLabelGroup {
                name: form.name,
                parent_id,
            };
            state.store.create_label_group(&new).await.map(|_| ())
        }
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "group_created").await
}

/// `POST /labels/groups/{id}`: rename a group.
pub async fn rename_group(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<LabelForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match LabelGroupId::parse(&id, "group_id") {
        Ok(id) => state
            .store
            .rename_label_group(id, &form.name)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "group_saved").await
}

/// `POST /labels/groups/{id}/delete`: delete an empty group.
pub async fn delete_group(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match LabelGroupId::parse(&id, "group_id") {
        Ok(id) => state.store.delete_label_group(id).await,
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "group_deleted").await
}

/// `POST /labels/{id}`: rename a label (`name`) or hide or show it (`hidden`).
pub async fn update_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<LabelForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let patch = LabelPatch {
        name: Some(form.name).filter(|n| !n.is_empty()),
        hidden: match form.hidden.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        group_id: None,
    };
    let result = match LabelId::parse(&id, "label_id") {
        Ok(id) => state.store.update_label(id, &patch).await.map(|_| ()),
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "label_saved").await
}

/// `GET /labels/{id}/delete`: ask first, saying how many contacts carry it.
pub async fn confirm_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    let lang = chrome.lang;
    let fail = |e| PageError::new(&chrome, e);
    let id = LabelId::parse(&id, "label_id").map_err(fail)?;
    let catalog = state.store.label_catalog().await.map_err(fail)?;
    let label = catalog.label(id).map_err(fail)?;
    let page = super::ConfirmPage {
        heading: lang.t("labels.delete"),
        message: lang
            .t("labels.delete_question")
            .replace("{name}", &catalog.path(label))
            .replace("{count}", &lang.number(label.contacts)),
        action: format!("/labels/{id}/delete"),
        cancel: "/labels".to_owned(),
        confirm_label: lang.t("common.delete"),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /labels/{id}/delete`: delete the label and take it off every contact.
pub async fn delete_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match LabelId::parse(&id, "label_id") {
        Ok(id) => state
            .store
            .delete_label(id, &WriteContext::now("ui"))
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "label_deleted").await
}
