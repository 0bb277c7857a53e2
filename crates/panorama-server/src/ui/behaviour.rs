//! The behaviour area of `/contacts/{id}`: the timeline grouped by day with filters and "load
//! more", the download links, the calendar (`behaviour_calendar.rs`) and the consumption history
//! (`behaviour_orders.rs`). State lives in the query string, so every view is a link that works
//! without script; `static/app.js` only makes "load more" append in place.
//!
//! Days and times are those of the page's clock (`clock.rs`): the viewer's zone, else the
//! company's.

use super::behaviour_calendar::CalendarView;
use super::behaviour_names::{Naming, merge_names};
use super::behaviour_orders::OrdersView;
use super::clock::Clock;
use super::format;
use super::i18n::Lang;
use super::page::{Chrome, PageError, encode, render, see_other};
use crate::AppState;
use crate::app::mask::masking;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, EventFilter, TimelineCursor, TimelineQuery};
use panorama_core::mask::{AttributeMask, Masking, mask_event_properties};
use panorama_core::metadata::{EventDefinition, group_name};
use panorama_core::{Error, Result};
use serde::Deserialize;

/// Events per timeline page on the contact page.
pub const BEHAVIOUR_PAGE_EVENTS: u64 = 50;

/// The behaviour area's query parameters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BehaviourParams {
    /// `stream` (default), `calendar` or `orders`.
    pub view: Option<String>,
    /// One event key.
    pub types: Option<String>,
    /// One event group.
    pub groups: Option<String>,
    /// First day shown (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Last day shown.
    pub to: Option<String>,
    /// Continue the timeline after this cursor.
    pub cursor: Option<String>,
    /// Calendar year.
    pub year: Option<String>,
}

/// One choice of a filter's select box.
pub struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// One event of the timeline.
pub struct EventView {
    pub(crate) event_id: String,
    pub(crate) undoable: bool,
    pub(crate) key: String,
    pub(crate) display_name: String,
    pub(crate) group: String,
    pub(crate) icon: &'static str,
    pub(crate) time: String,
    pub(crate) at_iso: String,
    pub(crate) summary: String,
    pub(crate) properties: Vec<(String, String)>,
}

/// The events of one day.
pub struct DayView {
    pub(crate) date: String,
    pub(crate) events: Vec<EventView>,
}

/// Everything the behaviour partials show.
pub struct BehaviourView {
    pub(crate) contact_id: String,
    pub(crate) view: &'static str,
    pub(crate) total: u64,
    pub(crate) shown: u64,
    pub(crate) filtered: bool,
    pub(crate) type_choices: Vec<Choice>,
    pub(crate) group_choices: Vec<Choice>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) stream_href: String,
    pub(crate) calendar_href: String,
    pub(crate) orders_href: String,
    pub(crate) csv_href: String,
    pub(crate) json_href: String,
    pub(crate) days: Vec<DayView>,
    pub(crate) load_more_href: Option<String>,
    pub(crate) fragment_href: Option<String>,
    pub(crate) calendar: Option<CalendarView>,
    pub(crate) orders: Option<OrdersView>,
}

/// Build the behaviour area of a contact, event properties masked under `masking`, days and
/// times on `clock`.
pub async fn area(
    state: &AppState,
    lang: Lang,
    contact_id: ContactId,
    params: &BehaviourParams,
    clock: &Clock,
    masking: Masking,
) -> Result<BehaviourView> {
    let zone = clock.zone();
    let definitions = state.store.list_event_definitions().await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let filter = EventFilter::parse(
        &definitions,
        &text(&params.types),
        &text(&params.groups),
        &text(&params.from),
        &text(&params.to),
        zone,
    )?;
    let view = match params.view.as_deref() {
        Some("calendar") => "calendar",
        Some("orders") => "orders",
        _ => "stream",
    };
    let base = format!("/contacts/{contact_id}");
    let filters = filter_query(params);
    let total = state
        .store
        .count_events(contact_id, &EventFilter::default())
        .await?;
    let filtered = filter != EventFilter::default();
    let shown = if filtered {
        state.store.count_events(contact_id, &filter).await?
    } else {
        total
    };
    let zone_name = panorama_core::event::zone_name(zone);
    let export = |format: &str| {
        format!(
            "/api/v1/contacts/{contact_id}/events/export?format={format}&tz={}{filters}",
            encode(&zone_name)
        )
    };
    let mut out = BehaviourView {
        contact_id: contact_id.to_string(),
        view,
        total,
        shown,
        filtered,
        type_choices: choices(&definitions, lang, params.types.as_deref(), false),
        group_choices: choices(&definitions, lang, params.groups.as_deref(), true),
        from: text(&params.from),
        to: text(&params.to),
        stream_href: format!("{base}?view=stream{filters}#behaviour"),
        calendar_href: format!("{base}?view=calendar{filters}#behaviour"),
        orders_href: format!("{base}?view=orders#behaviour"),
        csv_href: export("csv"),
        json_href: export("json"),
        days: Vec::new(),
        load_more_href: None,
        fragment_href: None,
        calendar: None,
        orders: None,
    };
    match view {
        "calendar" => {
            out.calendar =
                Some(CalendarView::load(state, lang, contact_id, params, zone, &filters).await?);
        }
        "orders" => out.orders = Some(OrdersView::load(state, lang, contact_id, clock).await?),
        _ => {
            let cursor = params
                .cursor
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(TimelineCursor::parse)
                .transpose()?;
            let query = TimelineQuery {
                filter,
                limit: BEHAVIOUR_PAGE_EVENTS,
                cursor,
            };
            let page = state.store.timeline(contact_id, &query).await?;
            let schema = state.schema().await?;
            let mask = AttributeMask::new(masking, schema.attributes());
            let naming = Naming {
                lang,
                schema: &schema,
                clock,
                contacts: merge_names(state, lang, &mask, &page.items).await?,
            };
            out.days = days(page.items, &definitions, clock, masking, &naming);
            // The undo button shows beside merges that were recorded and not undone yet.
            for event in out
                .days
                .iter_mut()
                .flat_map(|d| &mut d.events)
                .filter(|e| e.key == "user_merged")
            {
                let record = state.store.merge_record(&event.event_id).await?;
                event.undoable =
                    record.is_some_and(|r| r.undone_at.is_none() && r.survivor_id == contact_id);
            }
            if let Some(next) = page.next {
                let cursor = encode(&next.encode());
                out.load_more_href = Some(format!(
                    "{base}?view=stream{filters}&cursor={cursor}#behaviour"
                ));
                out.fragment_href = Some(format!(
                    "{base}/timeline?view=stream{filters}&cursor={cursor}"
                ));
            }
        }
    }
    Ok(out)
}

/// The filter parameters as `&name=value` pairs, to carry into links.
fn filter_query(params: &BehaviourParams) -> String {
    [
        ("types", &params.types),
        ("groups", &params.groups),
        ("from", &params.from),
        ("to", &params.to),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("&{name}={}", encode(v)))
    })
    .collect()
}

fn choices(
    definitions: &[EventDefinition],
    lang: Lang,
    selected: Option<&str>,
    groups: bool,
) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    for definition in definitions {
        let language = lang.language();
        let (value, label) = if groups {
            let group = definition.group.to_string();
            let label = group_name(&group, language).to_owned();
            (group, label)
        } else {
            let label = definition.label(language).to_owned();
            (definition.key.to_string(), label)
        };
        if !out.iter().any(|c| c.value == value) {
            out.push(Choice {
                selected: selected == Some(value.as_str()),
                value,
                label,
            });
        }
    }
    out
}

/// Group events (newest first) by their day on `clock`.
fn days(
    events: Vec<Event>,
    definitions: &[EventDefinition],
    clock: &Clock,
    masking: Masking,
    naming: &Naming<'_>,
) -> Vec<DayView> {
    let mut out: Vec<DayView> = Vec::new();
    for mut event in events {
        mask_event_properties(masking, &event.event, &mut event.properties);
        let local = clock.zone().to_datetime(event.occurred_at);
        let date = local.date().to_string();
        let definition = definitions.iter().find(|d| d.key.as_str() == event.event);
        let group = definition.map_or_else(|| "custom".to_owned(), |d| d.group.to_string());
        let properties = naming.properties(definition, &event);
        let view = EventView {
            event_id: event.event_id.clone(),
            undoable: false,
            display_name: naming.title(definition, &event.event),
            icon: format::group_icon(&group),
            group,
            time: clock.time_of_day(event.occurred_at),
            at_iso: clock.iso(event.occurred_at),
            summary: properties
                .iter()
                .take(2)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
            properties,
            key: event.event,
        };
        match out.last_mut() {
            Some(day) if day.date == date => day.events.push(view),
            _ => out.push(DayView {
                date,
                events: vec![view],
            }),
        }
    }
    out
}

/// `POST /contacts/{id}/merges/{merge_id}/undo`: the button beside a `user_merged` event. What
/// blocks an undo is shown on the error page, named.
pub async fn undo_merge(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((id, merge_id)): Path<(String, String)>,
) -> std::result::Result<Response, PageError> {
    let fail = |e: Error| PageError::new(&chrome, e);
    principal.check(Role::Marketer).map_err(fail)?;
    let contact_id = ContactId::parse(&id).map_err(|_| fail(Error::not_found("contact", &id)))?;
    crate::app::merges::undo_merge(state.store.as_ref(), &principal, &merge_id, "ui")
        .await
        .map_err(fail)?;
    Ok(see_other(
        &format!("/contacts/{contact_id}"),
        "merge_undone",
    ))
}

/// The timeline fragment "load more" appends.
#[derive(Template)]
#[template(path = "contact_timeline.html")]
struct TimelineFragment {
    chrome: Chrome,
    behaviour: BehaviourView,
}

/// `GET /contacts/{id}/timeline`: the next page of the stream as an HTML fragment.
pub async fn fragment(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    Query(params): Query<BehaviourParams>,
) -> std::result::Result<Response, PageError> {
    let fail = |e: Error| PageError::new(&chrome, e);
    let contact_id = ContactId::parse(&id).map_err(|_| fail(Error::not_found("contact", &id)))?;
    let params = BehaviourParams {
        view: None,
        ..params
    };
    let behaviour = area(
        &state,
        chrome.lang,
        contact_id,
        &params,
        &chrome.clock,
        masking(&principal),
    )
    .await
    .map_err(fail)?;
    Ok(render(
        StatusCode::OK,
        &TimelineFragment { chrome, behaviour },
    ))
}
