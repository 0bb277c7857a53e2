//! `/contacts`: the overview, the category tabs with their counts, search, the chosen columns,
//! sorting, pages, selection with bulk actions, and export links.
//!
//! The page works without script (links and a GET form); `static/contacts*.js` adds search as
//! you type, the column chooser and bulk actions by re-fetching this same page and swapping its
//! `data-region` parts, so there is one renderer for both.

use super::contacts_query::{ListParams, ListState, PAGE_SIZES, category_key, join};
use super::contacts_table::{self, Chooser, Header, Row};
use super::i18n::Lang;
use super::page::{Chrome, PageError, render};
use crate::AppState;
use crate::app::mask::attribute_mask;
use crate::app::views::contact_columns;
use crate::principal::Principal;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::{Category, LIST_COLUMNS_MAX, Overview, now_micros};

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
    href: String,
    active: bool,
}

/// Previous/next links, the position text, and the form that jumps to any page.
pub struct Pager {
    previous: Option<String>,
    next: Option<String>,
    position: String,
    /// The last page's number, the jump field's maximum.
    pages: u64,
    /// Every other parameter of the page, kept by the jump form.
    jump_hidden: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    chrome: Chrome,
    all_text: String,
    cards: Vec<Card>,
    tabs: Vec<Tab>,
    state: ListState,
    total: u64,
    total_text: String,
    fields: Vec<(String, String)>,
    search_hidden: Vec<(&'static str, String)>,
    size_hidden: Vec<(&'static str, String)>,
    headers: Vec<Header>,
    rows: Vec<Row>,
    pager: Pager,
    sizes: [u64; 3],
    chooser: Chooser,
    columns_max: usize,
    labels: Vec<(i64, String)>,
    filter_json: String,
    export_query: String,
    label_filter: Option<(String, String)>,
}

/// `GET /contacts`.
pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let lang = chrome.lang;
    let fail = |e| PageError::new(&chrome, e);
    // The schema once for the whole render: the query is checked, the list answered and the
    // table drawn under the same definitions.
    let schema = state.schema().await.map_err(fail)?;
    let (mut list, mut query) =
        ListState::parse(&schema, &params, principal.search_mode()).map_err(fail)?;
    let columns = contact_columns(state.store.as_ref(), &schema, &principal)
        .await
        .map_err(fail)?;
    let query_label = query.label;
    let now = now_micros();
    // One list call answers the page and the overview's counts (one sync of the list index).
    let (mut page, overview) = state
        .store
        .list_contacts_with_overview(&schema, query.clone(), now)
        .await
        .map_err(fail)?;
    let pages = page.total.div_ceil(list.size).max(1);
    if list.page > pages {
        // A page past the end (an old link, a typed number) shows the last page.
        list.page = pages;
        query.offset = (pages - 1) * list.size;
        (page, _) = state
            .store
            .list_contacts_with_overview(&schema, query, now)
            .await
            .map_err(fail)?;
    }
    let catalog = state.store.label_catalog().await.map_err(fail)?;
    let mut labels: Vec<(i64, String)> = catalog
        .labels
        .iter()
        .filter(|label| !label.hidden)
        .map(|label| (label.label_id.0, catalog.path(label)))
        .collect();
    labels.sort_by(|a, b| a.1.cmp(&b.1));
    // The label filter the labels page links with, named, with a link that drops it.
    let label_filter = query_label.and_then(|id| {
        let label = catalog.label(id).ok()?;
        let clear = list.href(|next| {
            next.label = None;
            next.page = 1;
        });
        Some((catalog.path(label), clear))
    });
    let link = |n: u64| list.href(|next| next.page = n);
    let pager = Pager {
        previous: (list.page > 1).then(|| link(list.page - 1)),
        next: (list.page < pages).then(|| link(list.page + 1)),
        position: lang
            .t("pager.position")
            .replace("{page}", &lang.number(list.page))
            .replace("{pages}", &lang.number(pages)),
        pages,
        jump_hidden: list.jump_fields(),
    };
    let total_text = if list.q.is_empty() {
        lang.t("contacts.tab_total")
    } else {
        lang.t("contacts.matching")
    }
    .replace("{count}", &lang.number(page.total))
    .replace("{keyword}", &list.q);
    let export_query = format!(
        "{}&{}",
        list.filter_query(),
        join(&[
            ("columns", columns.names().join(",")),
            // The file speaks the page's language and clock.
            ("lang", lang.code().to_owned()),
            ("time_zone", chrome.clock.name()),
        ])
    );
    let template = ContactsPage {
        cards: cards(lang, &overview),
        tabs: tabs(lang, &overview, &list),
        all_text: lang.number(overview.all),
        total: page.total,
        total_text,
        fields: contacts_table::search_fields(lang, &schema),
        search_hidden: list.hidden_fields(true),
        size_hidden: list.hidden_fields(false),
        headers: contacts_table::headers(lang, &schema, &columns, &list, principal.search_mode()),
        rows: contacts_table::rows(
            lang,
            &chrome.clock,
            &schema,
            &attribute_mask(&principal, &schema),
            &columns,
            &page.items,
        ),
        chooser: contacts_table::chooser(lang, &schema, &columns),
        columns_max: LIST_COLUMNS_MAX,
        filter_json: serde_json::to_string(&list.filter()).unwrap_or_default(),
        export_query,
        label_filter,
        pager,
        sizes: PAGE_SIZES,
        labels,
        state: list,
        chrome,
    };
    Ok(render(StatusCode::OK, &template))
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

/// The tabs, each keeping the search, sort and label and going back to the first page.
fn tabs(lang: Lang, overview: &Overview, list: &ListState) -> Vec<Tab> {
    [
        (Category::RealName, "tab.real_name", overview.real_name),
        (Category::Anonymous, "tab.anonymous", overview.anonymous),
        (Category::WechatFan, "tab.wechat_fan", overview.wechat_fan),
        (Category::All, "tab.all", overview.all),
    ]
    .into_iter()
    .map(|(category, label, count)| Tab {
        key: category_key(category),
        label: lang.t(label),
        count: lang.number(count),
        href: list.href(|next| {
            next.category = category;
            next.page = 1;
        }),
        active: category == list.category,
    })
    .collect()
}
