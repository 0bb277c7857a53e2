//! A believable year of events for each demo contact: weekly email campaigns (sent, delivered,
//! opened, clicked), SMS on the 1st and 15th, WeChat follow, scans and menu clicks, forms, and
//! orders with their items. Each person has a favourite hour and busier weekdays, so the calendar
//! and the weekday-by-hour grid look like someone's habits rather than noise.
//!
//! Like the contacts, a contact's events depend only on the seed and its index; event ids are
//! derived from both, so filling the demo again ingests nothing twice.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

/// Products of the demo brand: id, name, category, price in yuan.
const PRODUCTS: &[(&str, &str, &str, u32)] = &[
    ("P-1001", "明前龙井 250g", "茶叶", 268),
    ("P-1002", "正山小种 200g", "茶叶", 158),
    ("P-2001", "玻璃公道杯", "茶具", 59),
    ("P-2002", "便携旅行茶具", "茶具", 199),
    ("P-3001", "桂花乌龙冷泡茶 12 袋", "冷泡茶", 45),
    ("P-4001", "节日礼盒", "礼盒", 588),
];
const SHOPS: &[&str] = &["天猫旗舰店", "微信小程序", "上海静安店", "杭州西湖店"];
const MENUS: &[&str] = &["会员中心", "新品上市", "门店查询", "在线客服"];
const QR_CODES: &[&str] = &["门店海报", "包装二维码", "快闪活动"];
/// Hours of the day people tend to act: commute, lunch, evening.
const PEAK_HOURS: &[i8] = &[8, 12, 13, 19, 21, 22];
/// The brand's offset from UTC, in hours (China).
const CHINA_HOURS: i64 = 8;

/// Who a contact is, for deciding which events they can have.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    /// Has a mobile number.
    pub mobile: bool,
    /// Has an email address.
    pub email: bool,
    /// Follows the official account.
    pub fan: bool,
}

impl Reach {
    /// Read from the demo contact's attribute map.
    pub fn of(attributes: &Map<String, Value>) -> Self {
        Self {
            mobile: attributes.contains_key("mobile"),
            email: attributes.contains_key("email"),
            fan: attributes.contains_key("wechat_openid"),
        }
    }
}

struct Person {
    rng: ChaCha8Rng,
    peak: i8,
    events: Vec<Value>,
    id_prefix: String,
    contact_id: String,
}

impl Person {
    fn push(&mut self, key: &str, at: jiff::Timestamp, properties: Value) {
        let event_id = format!("{}-{}", self.id_prefix, self.events.len());
        self.events.push(
            json!({"event_id": event_id, "event": key, "occurred_at": at.to_string(),
            "identity": {"contact_id": self.contact_id}, "properties": properties}),
        );
    }

    /// A moment in `[since, until)` at this person's habitual hours, busier on their days.
    fn moment(&mut self, since: jiff::Timestamp, until: jiff::Timestamp) -> jiff::Timestamp {
        let span = (until.as_second() - since.as_second()).max(3600);
        let day_start = since.as_second() + self.rng.random_range(0..span) / 86_400 * 86_400;
        let hour = if self.rng.random_bool(0.75) {
            i64::from(self.peak) + self.rng.random_range(-1..=1)
        } else {
            self.rng.random_range(7..24)
        };
        let second =
            day_start + (hour - CHINA_HOURS).rem_euclid(24) * 3600 + self.rng.random_range(0..3600);
        let last = (until.as_second() - 1).max(since.as_second());
        jiff::Timestamp::from_second(second.clamp(since.as_second(), last)).unwrap_or(since)
    }
}

/// The events of demo contact `index` (as JSON records for `EventParser`), between its arrival
/// `since` and `now`, identified by `contact_id`.
pub fn events_of(
    seed: u64,
    index: u64,
    contact_id: &str,
    reach: Reach,
    since: jiff::Timestamp,
    now: jiff::Timestamp,
) -> Vec<Value> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_e7e7);
    rng.set_stream(index);
    let peak = PEAK_HOURS[rng.random_range(0..PEAK_HOURS.len())];
    let mut person = Person {
        rng,
        peak,
        events: Vec::new(),
        id_prefix: format!("demo-{seed}-{index}"),
        contact_id: contact_id.to_owned(),
    };
    // How active this person is: most are quiet, a few are regulars.
    let activity: u32 = match person.rng.random_range(0..100) {
        0..35 => 1,
        35..75 => 3,
        75..95 => 6,
        _ => 12,
    };
    if reach.fan {
        person.push(
            "wechat_follow",
            since,
            json!({"app_id": "wx_demo_brand", "scene": "qr_code"}),
        );
        for _ in 0..activity * 2 {
            let at = person.moment(since, now);
            let (key, properties) = match person.rng.random_range(0..3) {
                0 => (
                    "wechat_scan",
                    json!({"app_id": "wx_demo_brand", "qr_code": QR_CODES[person.rng.random_range(0..QR_CODES.len())]}),
                ),
                1 => (
                    "wechat_menu_click",
                    json!({"app_id": "wx_demo_brand", "menu": MENUS[person.rng.random_range(0..MENUS.len())]}),
                ),
                _ => (
                    "wechat_reply",
                    json!({"app_id": "wx_demo_brand", "content": "你好，请问门店几点开门？"}),
                ),
            };
            person.push(key, at, properties);
        }
    }
    if reach.email {
        campaigns(&mut person, since, now, activity);
    }
    if reach.mobile {
        sms(&mut person, since, now);
    }
    for _ in 0..activity / 2 {
        let at = person.moment(since, now);
        let form = json!({"form_id": "F-2026", "form_name": "新品试饮报名"});
        person.push("form_open", at, form.clone());
        if person.rng.random_bool(0.5) {
            person.push(
                "form_submit",
                at + jiff::SignedDuration::from_secs(90),
                form,
            );
        }
    }
    let orders = person.rng.random_range(0..=activity);
    for number in 0..orders {
        let at = person.moment(since, now);
        order(&mut person, at, &format!("SO-{seed}-{index}-{number}"));
    }
    person.events
}

/// Every Tuesday at 10:00 a campaign goes out; this person gets some of them.
fn campaigns(person: &mut Person, since: jiff::Timestamp, now: jiff::Timestamp, activity: u32) {
    let week = 7 * 86_400;
    // 1970-01-06 was a Tuesday; campaigns leave at 02:00 UTC, 10:00 in China.
    let mut send = (since.as_second() - 5 * 86_400) / week * week + 5 * 86_400 + 2 * 3600;
    let mut number = 0;
    while send < now.as_second() {
        number += 1;
        let at = jiff::Timestamp::from_second(send).unwrap_or(since);
        send += week;
        if at < since || !person.rng.random_bool(0.3) {
            continue;
        }
        let mail = json!({"campaign_id": format!("C-{number}"), "campaign_name": format!("每周茶话 第{number}期"), "subject": "本周新茶推荐"});
        person.push("email_sent", at, mail.clone());
        person.push(
            "email_delivered",
            at + jiff::SignedDuration::from_secs(40),
            mail.clone(),
        );
        if person
            .rng
            .random_bool(0.1 + 0.04 * f64::from(activity.min(12)))
        {
            let opened = person.moment(at, (at + jiff::SignedDuration::from_hours(48)).min(now));
            person.push("email_open", opened, mail);
            if person.rng.random_bool(0.3) {
                let click = json!({"campaign_id": format!("C-{number}"), "url": "https://shop.example.com/new"});
                person.push(
                    "email_click",
                    opened + jiff::SignedDuration::from_secs(20),
                    click,
                );
            } else if person.rng.random_bool(0.01) {
                person.push(
                    "email_unsubscribe",
                    opened + jiff::SignedDuration::from_secs(30),
                    json!({}),
                );
                return;
            }
        }
    }
}

/// SMS on the 1st and 15th, to about half of the mobile contacts.
fn sms(person: &mut Person, since: jiff::Timestamp, now: jiff::Timestamp) {
    // Sent at 03:00 UTC, 11:00 in China.
    let mut at = jiff::Timestamp::from_second(since.as_second() / 86_400 * 86_400 + 3 * 3600)
        .unwrap_or(since);
    while at < now {
        at += jiff::SignedDuration::from_hours(24 * 15);
        if at < now && person.rng.random_bool(0.5) {
            person.push(
                "sms_sent",
                at,
                json!({"campaign_id": "S-monthly", "content": "会员日：全场 8 折"}),
            );
            if person.rng.random_bool(0.08) {
                let clicked = at + jiff::SignedDuration::from_mins(person.rng.random_range(1..600));
                person.push(
                    "sms_click",
                    clicked.min(now),
                    json!({"campaign_id": "S-monthly", "url": "https://shop.example.com/vip"}),
                );
            }
        }
    }
}

fn order(person: &mut Person, at: jiff::Timestamp, order_id: &str) {
    let lines = person.rng.random_range(1..=3);
    let mut total = 0;
    let mut items = Vec::new();
    for _ in 0..lines {
        let (product_id, name, category, price) =
            PRODUCTS[person.rng.random_range(0..PRODUCTS.len())];
        let quantity = person.rng.random_range(1..=2);
        total += price * quantity;
        items.push(json!({"order_id": order_id, "product_id": product_id, "product_name": name, "category": category,
            "quantity": quantity, "price": format!("{price}.00")}));
    }
    let shop = SHOPS[person.rng.random_range(0..SHOPS.len())];
    person.push("order", at, json!({"order_id": order_id, "amount": format!("{total}.00"), "currency": "CNY",
        "shop": shop, "channel": if shop.contains('店') && !shop.contains("旗舰") { "store" } else { "online" },
        "status": "paid", "item_count": lines}));
    for item in items {
        person.push("order_detail", at, item);
    }
}

/// When a contact created at `created_at` may first act: a minute later, so that every event of
/// a demo contact comes after its creation.
pub fn first_event_after(created_at: jiff::Timestamp) -> jiff::Timestamp {
    created_at + jiff::SignedDuration::from_mins(1)
}

/// Generate and ingest the events of the demo contacts `first_index..`, whose attribute maps,
/// stored ids and first possible event times (`since`) are given in order.
pub async fn write(
    store: &dyn panorama_core::Store,
    seed: u64,
    first_index: u64,
    maps: &[Map<String, Value>],
    contact_ids: &[panorama_core::contact::ContactId],
    since: &[jiff::Timestamp],
    now: jiff::Timestamp,
) -> anyhow::Result<()> {
    use panorama_core::event::EventParser;
    let schema = panorama_core::metadata::Schema::new(store.list_attributes().await?);
    let definitions = store.list_event_definitions().await?;
    let parser = EventParser::new(
        &schema,
        &definitions,
        panorama_core::value::ParseOptions::default(),
    );
    let mut batch = Vec::new();
    for (((map, contact_id), since), index) in
        maps.iter().zip(contact_ids).zip(since).zip(first_index..)
    {
        for raw in events_of(
            seed,
            index,
            &contact_id.to_string(),
            Reach::of(map),
            *since,
            now.max(*since),
        ) {
            batch.push(
                parser
                    .parse(raw)
                    .map_err(|e| anyhow::anyhow!("demo event of contact {index}: {e}"))?,
            );
        }
    }
    let context = panorama_core::contact::WriteContext {
        source: "demo".into(),
        at: now,
        fast: false,
    };
    let mut batch = batch.into_iter().peekable();
    while batch.peek().is_some() {
        let chunk = batch
            .by_ref()
            .take(panorama_core::event::EVENTS_BATCH_MAX)
            .collect();
        store.ingest_events(chunk, &context).await?;
    }
    Ok(())
}
