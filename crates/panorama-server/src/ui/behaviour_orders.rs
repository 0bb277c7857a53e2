//! The consumption tab of the behaviour area: the totals (order count, amount, first and last
//! order) and every order with its items, newest first.

use super::i18n::Lang;
use crate::AppState;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::OrderBook;
use panorama_core::value::display;
use serde_json::{Map, Value as JsonValue};

/// One item of an order.
pub struct ItemView {
    pub(crate) name: String,
    pub(crate) quantity: String,
    pub(crate) price: String,
}

/// One order.
pub struct OrderView {
    pub(crate) order_id: String,
    pub(crate) time: String,
    pub(crate) at_iso: String,
    pub(crate) amount: String,
    pub(crate) status: String,
    pub(crate) shop: String,
    pub(crate) items: Vec<ItemView>,
}

/// The consumption tab.
pub struct OrdersView {
    pub(crate) totals: Vec<(&'static str, String)>,
    pub(crate) orders: Vec<OrderView>,
}

fn text(properties: &Map<String, JsonValue>, name: &str) -> String {
    properties.get(name).map(display).unwrap_or_default()
}

impl OrdersView {
    /// Read a contact's orders; times on `clock`.
    pub async fn load(
        state: &AppState,
        lang: Lang,
        contact_id: ContactId,
        clock: &super::clock::Clock,
    ) -> Result<Self> {
        let book = OrderBook::from_events(&state.store.order_events(contact_id).await?);
        let time = |at: jiff::Timestamp| clock.time(at);
        let none = || "/".to_owned();
        let totals = vec![
            ("behaviour.order_count", book.totals.order_count.to_string()),
            ("behaviour.order_amount", book.totals.amount_text()),
            (
                "behaviour.first_order",
                book.totals.first_order_at.map_or_else(none, time),
            ),
            (
                "behaviour.last_order",
                book.totals.last_order_at.map_or_else(none, time),
            ),
        ]
        .into_iter()
        .map(|(key, value)| (lang.t(key), value))
        .collect();
        let orders = book
            .orders
            .into_iter()
            .map(|order| OrderView {
                amount: match (&order.amount, &order.currency) {
                    (Some(amount), Some(currency)) => format!("{amount} {currency}"),
                    (Some(amount), None) => amount.clone(),
                    _ => none(),
                },
                status: order.status.clone().unwrap_or_else(none),
                shop: text(&order.properties, "shop"),
                time: time(order.occurred_at),
                at_iso: clock.iso(order.occurred_at),
                items: order
                    .items
                    .iter()
                    .map(|item| ItemView {
                        name: Some(text(item, "product_name"))
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| text(item, "product_id")),
                        quantity: text(item, "quantity"),
                        price: Some(text(item, "discount_price"))
                            .filter(|p| !p.is_empty())
                            .unwrap_or_else(|| text(item, "price")),
                    })
                    .collect(),
                order_id: order.order_id,
            })
            .collect();
        Ok(Self { totals, orders })
    }
}
