//! `/contacts`: the overview, the category tabs with their counts, and one page of the table.

use super::format;
use super::i18n::Lang;
use super::page::{Chrome, PageError, render};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::{Category, Overview, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::store::ContactListQuery;
use serde::Deserialize;

/// Rows on one page of the contacts table.
pub const CONTACTS_PAGE_ROWS: u64 = 50;
/// The default columns until the list issue lets operators choose.
const COLUMNS: [&str; 5] = ["name", "mobile", "email", "wechat_nickname", "created_at"];

/// Query of the contacts page.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    category: Option<String>,
    page: Option<u64>,
    label: Option<String>,
}

/// One overview figure.
pub struct Card {
    key: &'static str,
    label: &'static str,
    value: String,
}

/// One category tab.
pub struct Tab {
    key: &'static str,
    label: &'static str,
    count: String,
    active: bool,
}

/// One table row.
pub struct Row {
    contact_id: String,
    cells: Vec<String>,
}

/// Previous/next links and the position text.
pub struct Pager {
    previous: Option<String>,
    next: Option<String>,
    position: String,
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    chrome: Chrome,
    all_text: String,
    cards: Vec<Card>,
    tabs: Vec<Tab>,
    total_text: String,
    page: panorama_core::store::ContactPage,
    columns: Vec<String>,
    rows: Vec<Row>,
    pager: Pager,
}

/// `GET /contacts`.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let lang = chrome.lang;
    let fail = |e| PageError::new(&chrome, e);
    let category = Category::parse(params.category.as_deref().unwrap_or("all")).map_err(fail)?;
    let page_number = params.page.unwrap_or(1).max(1);
    let overview = state.store.overview(now_micros()).await.map_err(fail)?;
    let query = ContactListQuery {
        category,
        offset: (page_number - 1) * CONTACTS_PAGE_ROWS,
        limit: CONTACTS_PAGE_ROWS,
        label: crate::api::labels::label_filter(params.label.as_deref()).map_err(fail)?,
        search: None,
        sort: panorama_core::contact::Sort::default(),
    };
    let page = state
        .store
        .list_contacts(query.clone())
        .await
        .map_err(fail)?;
    let schema = Schema::new(state.store.list_attributes().await.map_err(fail)?);
    let rows = page
        .items
        .iter()
        .map(|contact| Row {
            contact_id: contact.contact_id.to_string(),
            cells: COLUMNS
                .iter()
                .map(|&name| match name {
                    "created_at" => format::time(contact.created_at),
                    _ => Some(format::value(
                        lang,
                        schema.get(name),
                        contact.attributes.get(name),
                    ))
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| "/".to_owned()),
                })
                .collect(),
        })
        .collect();
    let columns = COLUMNS
        .iter()
        .map(|&name| {
            schema
                .get(name)
                .map_or(name.to_owned(), |d| d.display_name.clone())
        })
        .collect();
    let pages = page.total.div_ceil(CONTACTS_PAGE_ROWS).max(1);
    let label = query
        .label
        .map(|l| format!("&label={l}"))
        .unwrap_or_default();
    let link = |n: u64| format!("/contacts?category={}&page={n}{label}", key(category));
    let pager = Pager {
        previous: (page_number > 1).then(|| link(page_number - 1)),
        next: (page_number < pages).then(|| link(page_number + 1)),
        position: lang
            .t("pager.position")
            .replace("{page}", &lang.number(page_number))
            .replace("{pages}", &lang.number(pages)),
    };
    let total_text = lang
        .t("contacts.tab_total")
        .replace("{count}", &lang.number(page.total));
    let template = ContactsPage {
        cards: cards(lang, &overview),
        tabs: tabs(lang, &overview, category),
        all_text: lang.number(overview.all),
        total_text,
        page,
        columns,
        rows,
        pager,
        chrome,
    };
    Ok(render(StatusCode::OK, &template))
}

fn key(category: Category) -> &'static str {
    match category {
        Category::All => "all",
        Category::RealName => "real_name",
        Category::Anonymous => "anonymous",
        Category::WechatFan => "wechat_fan",
    }
}

fn cards(lang: Lang, overview: &Overview) -> Vec<Card> {
    [
        ("real_name", "overview.real_name", overview.real_name),
        ("anonymous", "overview.anonymous", overview.anonymous),
        ("wechat_fan", "overview.wechat_fan", overview.wechat_fan),
        ("new_7d", "overview.new_7d", overview.new_7d),
        ("new_30d", "overview.new_30d", overview.new_30d),
    ]
    .into_iter()
    .map(|(key, label, value)| Card {
        key,
        label: lang.t(label),
        value: lang.number(value),
    })
    .collect()
}

fn tabs(lang: Lang, overview: &Overview, active: Category) -> Vec<Tab> {
    [
        (Category::RealName, "tab.real_name", overview.real_name),
        (Category::Anonymous, "tab.anonymous", overview.anonymous),
        (Category::WechatFan, "tab.wechat_fan", overview.wechat_fan),
        (Category::All, "tab.all", overview.all),
    ]
    .into_iter()
    .map(|(category, label, count)| Tab {
        key: key(category),
        label: lang.t(label),
        count: lang.number(count),
        active: category == active,
    })
    .collect()
}
