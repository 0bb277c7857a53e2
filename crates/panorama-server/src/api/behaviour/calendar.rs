//! `GET /api/v1/contacts/{id}/calendar` (events per day of a year and per weekday and hour, in a
//! time zone) and `GET /api/v1/contacts/{id}/orders` (the consumption history).

use super::existing;
use crate::AppState;
use crate::app::mask::masking;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::event::{Calendar, Order, OrderBook, parse_year, parse_zone};
use panorama_core::mask::{Masking, mask_event_properties};
use panorama_core::value::format_timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as JsonValue};
use utoipa::{IntoParams, ToSchema};

/// Which year, in which zone.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct CalendarQuery {
    /// The year (default: the current year in `tz`).
    #[param(value_type = Option<i16>)]
    year: Option<String>,
    /// IANA time zone such as `Asia/Shanghai` (default: the company's, `serve --time-zone`).
    tz: Option<String>,
}

/// Events of a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayDto {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Events that day.
    pub count: u32,
}

/// A contact's calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDto {
    /// The year.
    pub year: i16,
    /// The zone the days and hours are counted in.
    pub tz: String,
    /// Days with events, in date order.
    pub days: Vec<DayDto>,
    /// Seven rows, Monday first, of 24 hourly counts.
    pub weekday_hour: Vec<Vec<u32>>,
}

impl From<Calendar> for CalendarDto {
    fn from(calendar: Calendar) -> Self {
        Self {
            year: calendar.year,
            tz: calendar.zone,
            days: calendar
                .days
                .into_iter()
                .map(|(date, count)| DayDto {
                    date: date.to_string(),
                    count,
                })
                .collect(),
            weekday_hour: calendar
                .weekday_hour
                .iter()
                .map(|row| row.to_vec())
                .collect(),
        }
    }
}

/// Events per day of a year, and per weekday and hour, in a time zone.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/calendar", operation_id = "contact_calendar", tag = "events",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), CalendarQuery),
    responses(
        (status = 200, description = "The calendar", body = CalendarDto),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad year or zone", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn calendar(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(query): ApiQuery<CalendarQuery>,
) -> Result<Json<CalendarDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = existing(&state, &contact_id).await?;
    let zone = parse_zone(query.tz.as_deref().unwrap_or(""), &state.settings.time_zone)?;
    let this_year = zone.to_datetime(jiff::Timestamp::now()).year();
    let year = parse_year(query.year.as_deref().unwrap_or(""), this_year)?;
    let (from, to) = Calendar::range(year, &zone)?;
    let times = state.store.event_times(id, from, to).await?;
    Ok(Json(Calendar::count(year, &zone, times).into()))
}

/// One order with its items.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderDto {
    /// Order id.
    pub order_id: String,
    /// When it was placed (RFC 3339).
    #[schema(format = DateTime)]
    pub occurred_at: String,
    /// Amount, decimal text.
    pub amount: Option<String>,
    /// Currency.
    pub currency: Option<String>,
    /// Latest status.
    pub status: Option<String>,
    /// Every property of its latest `order` event.
    #[schema(value_type = Object)]
    pub properties: Map<String, JsonValue>,
    /// Its items (`order_detail` properties).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Map<String, JsonValue>>,
}

impl OrderDto {
    /// `order`, the properties of its events masked under `masking` (a shipping address may
    /// carry a mobile; the order's own fields are shown as stored).
    pub fn new(order: Order, masking: Masking) -> Self {
        let mut properties = order.properties;
        mask_event_properties(masking, "order", &mut properties);
        let mut items = order.items;
        for item in &mut items {
            mask_event_properties(masking, "order_detail", item);
        }
        Self {
            order_id: order.order_id,
            occurred_at: format_timestamp(order.occurred_at),
            amount: order.amount,
            currency: order.currency,
            status: order.status,
            properties,
            items,
        }
    }
}

/// The totals kept as computed attributes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalsDto {
    /// Orders.
    pub order_count: u64,
    /// Their amount, decimal text.
    pub order_amount: String,
    /// First order.
    pub first_order_at: Option<String>,
    /// Latest order.
    pub last_order_at: Option<String>,
}

/// The consumption history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrdersDto {
    /// Orders, newest first.
    pub orders: Vec<OrderDto>,
    /// Totals.
    pub totals: TotalsDto,
}

impl OrdersDto {
    /// The consumption history of `book`, masked under `masking`.
    pub fn new(book: OrderBook, masking: Masking) -> Self {
        Self {
            totals: TotalsDto {
                order_count: book.totals.order_count,
                order_amount: book.totals.amount_text(),
                first_order_at: book.totals.first_order_at.map(format_timestamp),
                last_order_at: book.totals.last_order_at.map(format_timestamp),
            },
            orders: book
                .orders
                .into_iter()
                .map(|order| OrderDto::new(order, masking))
                .collect(),
        }
    }
}

/// A contact's orders with their items, and the totals.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/orders", operation_id = "contact_orders", tag = "events",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    responses(
        (status = 200, description = "The orders", body = OrdersDto),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn orders(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
) -> Result<Json<OrdersDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = existing(&state, &contact_id).await?;
    let events = state.store.order_events(id).await?;
    Ok(Json(OrdersDto::new(
        OrderBook::from_events(&events),
        masking(&principal),
    )))
}
