//! A contact's behaviour: timeline (`GET /api/v1/contacts/{id}/events`), its download
//! (`.../events/export`), the calendar and the consumption history. Shared here: the contact
//! check, the filter parameters and the zone.

mod calendar;
mod export;
mod timeline;

pub use calendar::{CalendarDto, OrderDto, OrdersDto, TotalsDto};
pub use timeline::{TimelineDto, TimelineEventDto};

use crate::AppState;
use crate::error::ApiError;
use panorama_core::contact::ContactId;
use panorama_core::event::{EventFilter, parse_zone};
use panorama_core::metadata::EventDefinition;
use panorama_core::{Error, codes};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(timeline::timeline))
        .routes(routes!(export::export))
        .routes(routes!(calendar::calendar))
        .routes(routes!(calendar::orders))
}

/// The filter parameters the timeline and its download share.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Event keys, comma-separated (`email_open,order`).
    pub types: Option<String>,
    /// Event groups, comma-separated (`email,wechat`); united with `types`.
    pub groups: Option<String>,
    /// From this instant (RFC 3339) or date (`YYYY-MM-DD`, in `tz`).
    pub from: Option<String>,
    /// Before this instant, or up to and including this date.
    pub to: Option<String>,
    /// IANA time zone for dates and the download's times (default: the company's, `serve
    /// --time-zone`).
    pub tz: Option<String>,
}

impl FilterQuery {
    /// The zone asked for, or the company's.
    pub fn zone(&self, company: &jiff::tz::TimeZone) -> Result<jiff::tz::TimeZone, Error> {
        parse_zone(self.tz.as_deref().unwrap_or(""), company)
    }

    /// The checked filter; dates are days in the zone asked for, or the company's.
    pub fn filter(
        &self,
        definitions: &[EventDefinition],
        company: &jiff::tz::TimeZone,
    ) -> Result<EventFilter, Error> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        EventFilter::parse(
            definitions,
            &text(&self.types),
            &text(&self.groups),
            &text(&self.from),
            &text(&self.to),
            &self.zone(company)?,
        )
    }
}

/// Parse the id and check the contact exists, so a typo is a 404 rather than an empty list.
async fn existing(state: &AppState, contact_id: &str) -> Result<ContactId, ApiError> {
    let id = ContactId::parse(contact_id)?;
    if state.store.get_contact(id).await?.is_none() {
        return Err(Error::not_found("contact", id).into());
    }
    Ok(id)
}

/// A whole number parameter in `1..=max`, `default` when absent.
fn parse_limit(raw: Option<&str>, default: u64, max: u64) -> Result<u64, Error> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        Ok(n) if n > max => Err(Error::invalid(
            codes::LIMIT_EXCEEDED,
            format!("`limit` is at most {max}"),
            "limit",
            text,
        )),
        _ => Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`limit` is a whole number from 1 to {max}"),
            "limit",
            text,
        )),
    }
}
