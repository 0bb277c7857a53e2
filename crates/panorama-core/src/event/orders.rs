//! Consumption: the orders a contact's `order` and `order_detail` events add up to, and the
//! computed attributes `order_count`, `order_amount`, `first_order_at`, `last_order_at`.
//!
//! An order is identified by its `order_id` (an `order` event without one is an order of its
//! own). Its time is that of its first `order` event; its amount, currency and status those of
//! its latest, so a status update sent as a new event does not count the order twice. Totals are
//! recomputed from the events, never incremented, so duplicates, merges and deletes keep them
//! exact by construction.

use super::Event;
use crate::value::{display, format_timestamp};
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The event keys that make orders.
pub const ORDER_EVENTS: [&str; 2] = ["order", "order_detail"];
/// The computed attributes kept from orders.
pub const ORDER_ATTRIBUTES: [&str; 4] = [
    "order_count",
    "order_amount",
    "first_order_at",
    "last_order_at",
];
/// Digits after the decimal point of `order_amount`.
const AMOUNT_SCALE: u32 = 2;

/// One order with its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The order id (the event id for an order sent without one).
    pub order_id: String,
    /// Time of its first `order` event, or of its first item when only items were sent.
    pub occurred_at: jiff::Timestamp,
    /// Amount of its latest `order` event, canonical decimal text.
    pub amount: Option<String>,
    /// Currency of its latest `order` event.
    pub currency: Option<String>,
    /// Status of its latest `order` event.
    pub status: Option<String>,
    /// Every property of its latest `order` event.
    pub properties: Map<String, Json>,
    /// Its `order_detail` events' properties, oldest first.
    pub items: Vec<Map<String, Json>>,
    /// Whether an `order` event was received (items alone do not make a counted order).
    pub counted: bool,
}

/// The totals kept as computed attributes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderTotals {
    /// Orders with an `order` event.
    pub order_count: u64,
    /// Sum of their amounts.
    pub order_amount: Decimal,
    /// Earliest order.
    pub first_order_at: Option<jiff::Timestamp>,
    /// Latest order.
    pub last_order_at: Option<jiff::Timestamp>,
}

impl OrderTotals {
    /// The amount as canonical decimal text (`"15.50"`).
    pub fn amount_text(&self) -> String {
        let mut amount = self.order_amount;
        amount.rescale(AMOUNT_SCALE);
        amount.to_string()
    }

    /// The computed attribute values, `None` where empty, in canonical form.
    pub fn attribute_values(&self) -> [(&'static str, Option<Json>); 4] {
        let amount = self.amount_text();
        let counted = self.order_count > 0;
        [
            ("order_count", counted.then(|| Json::from(self.order_count))),
            ("order_amount", counted.then_some(Json::String(amount))),
            (
                "first_order_at",
                self.first_order_at
                    .map(|t| Json::String(format_timestamp(t))),
            ),
            (
                "last_order_at",
                self.last_order_at
                    .map(|t| Json::String(format_timestamp(t))),
            ),
        ]
    }
}

/// A contact's orders, newest first, and their totals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrderBook {
    /// Orders, newest first.
    pub orders: Vec<Order>,
    /// Totals over the counted orders.
    pub totals: OrderTotals,
}

impl OrderBook {
    /// Build the book from a contact's order events, in any order; other events are ignored.
    pub fn from_events(events: &[Event]) -> Self {
        let mut sorted: Vec<&Event> = events
            .iter()
            .filter(|e| ORDER_EVENTS.contains(&e.event.as_str()))
            .collect();
        sorted.sort_by(|a, b| (a.occurred_at, &a.event_id).cmp(&(b.occurred_at, &b.event_id)));
        let mut by_id: BTreeMap<String, Order> = BTreeMap::new();
        for event in sorted {
            let order_id = event
                .properties
                .get("order_id")
                .map_or_else(|| event.event_id.clone(), display);
            let order = by_id.entry(order_id.clone()).or_insert_with(|| Order {
                order_id,
                occurred_at: event.occurred_at,
                amount: None,
                currency: None,
                status: None,
                properties: Map::new(),
                items: Vec::new(),
                counted: false,
            });
            if event.event == "order_detail" {
                order.items.push(event.properties.clone());
                continue;
            }
            if !order.counted {
                order.occurred_at = event.occurred_at;
                order.counted = true;
            }
            let text = |name: &str| event.properties.get(name).map(display);
            order.amount = text("amount");
            order.currency = text("currency");
            order.status = text("status");
            order.properties = event.properties.clone();
        }
        let mut totals = OrderTotals::default();
        for order in by_id.values().filter(|o| o.counted) {
            totals.order_count += 1;
            let amount = order
                .amount
                .as_deref()
                .and_then(|a| Decimal::from_str(a).ok());
            totals.order_amount += amount.unwrap_or_default();
            totals.first_order_at = Some(
                totals
                    .first_order_at
                    .map_or(order.occurred_at, |t| t.min(order.occurred_at)),
            );
            totals.last_order_at = Some(
                totals
                    .last_order_at
                    .map_or(order.occurred_at, |t| t.max(order.occurred_at)),
            );
        }
        let mut orders: Vec<Order> = by_id.into_values().collect();
        orders.sort_by(|a, b| (b.occurred_at, &b.order_id).cmp(&(a.occurred_at, &a.order_id)));
        Self { orders, totals }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactId;
    use crate::event::properties as props;
    use serde_json::json;

    fn event(id: &str, key: &str, second: i64, properties: Map<String, Json>) -> Event {
        Event {
            event_id: id.to_owned(),
            contact_id: ContactId::new(),
            event: key.to_owned(),
            occurred_at: jiff::Timestamp::from_second(1_700_000_000 + second).expect("in range"),
            properties,
        }
    }

    #[test]
    fn a_status_update_does_not_count_an_order_twice() {
        let book = OrderBook::from_events(&[
            event(
                "a",
                "order",
                0,
                props([
                    ("order_id", json!("o1")),
                    ("amount", json!("10.00")),
                    ("status", json!("paid")),
                ]),
            ),
            event(
                "b",
                "order_detail",
                1,
                props([("order_id", json!("o1")), ("product_name", json!("Tea"))]),
            ),
            event(
                "c",
                "order",
                5,
                props([
                    ("order_id", json!("o1")),
                    ("amount", json!("10.00")),
                    ("status", json!("shipped")),
                ]),
            ),
            event("d", "order", 9, props([("amount", json!("5.5"))])),
            event("e", "email_open", 9, Map::new()),
        ]);
        assert_eq!(book.totals.order_count, 2);
        assert_eq!(book.orders[1].status.as_deref(), Some("shipped"));
        assert_eq!(book.orders[1].items.len(), 1);
        let values = book.totals.attribute_values();
        assert_eq!(values[0].1, Some(json!(2)));
        assert_eq!(values[1].1, Some(json!("15.50")));
        assert_eq!(values[2].1, Some(json!("2023-11-14T22:13:20.000000Z")));
    }

    #[test]
    fn no_orders_means_empty_attributes() {
        let values = OrderBook::from_events(&[]).totals.attribute_values();
        assert!(values.iter().all(|(_, v)| v.is_none()));
    }
}
