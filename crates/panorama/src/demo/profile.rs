//! Demographic and loyalty values of demo contacts: birthday, membership and the brand's custom
//! attributes (store, VIP tier, lifetime value, last visit, opt-in channel, SMS check, referral).

use super::pick;
use super::places::{self, City};
use jiff::Span;
use jiff::civil::Date;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

/// A loyalty level: its name, share of members in percent, points and lifetime spend in cents.
struct Level {
    name: &'static str,
    share: u32,
    points: (i64, i64),
    spend_cents: (u64, u64),
}

/// The member levels of the brand, from the entry level up.
#[rustfmt::skip]
const LEVELS: &[Level] = &[
    Level { name: "普通会员", share: 55, points: (0, 2_000), spend_cents: (5_000, 300_000) },
    Level { name: "银卡会员", share: 25, points: (2_000, 8_000), spend_cents: (300_000, 1_500_000) },
    Level { name: "金卡会员", share: 14, points: (8_000, 30_000), spend_cents: (1_500_000, 6_000_000) },
    Level { name: "钻石会员", share: 6, points: (30_000, 120_000), spend_cents: (6_000_000, 30_000_000) },
];

/// What the rest of the contact already says, which the values below must agree with.
#[derive(Debug, Clone, Copy)]
pub(super) struct Traits<'a> {
    /// The contact has a mobile number.
    pub mobile: bool,
    /// The contact has an email address.
    pub email: bool,
    /// The contact follows the official account.
    pub fan: bool,
    /// The contact's home city, if known and in China.
    pub city: Option<&'a City>,
}

/// A birthday for an age of 18 to 65 at `today`, younger customers more common.
pub(super) fn birthday(rng: &mut ChaCha8Rng, today: Date) -> String {
    let range = 18 * 366..65 * 365;
    let days = rng.random_range(range.clone()).min(rng.random_range(range));
    today.saturating_sub(Span::new().days(days)).to_string()
}

/// The membership values of a member: id, level, points, spend, tier and last visit.
pub(super) fn membership(
    rng: &mut ChaCha8Rng,
    index: u64,
    today: Date,
    out: &mut Map<String, Value>,
) {
    let mut roll = rng.random_range(0..100);
    let level = LEVELS
        .iter()
        .find(|level| {
            let hit = roll < level.share;
            roll = roll.saturating_sub(level.share);
            hit
        })
        .unwrap_or(&LEVELS[0]);
    out.insert("member_id".into(), format!("M{index:08}").into());
    out.insert("member_level".into(), level.name.into());
    let points = rng.random_range(level.points.0..level.points.1);
    out.insert("member_points".into(), points.into());
    // Spend overlaps the neighbouring levels a little, so the VIP tier (by spend) and the member
    // level (by points) usually but not always agree.
    let spend = rng.random_range(level.spend_cents.0 * 7 / 10..level.spend_cents.1 * 13 / 10);
    out.insert("lifetime_value".into(), money(spend).into());
    let tier = match spend {
        0..300_000 => "bronze",
        300_000..1_500_000 => "silver",
        1_500_000..6_000_000 => "gold",
        _ => "platinum",
    };
    out.insert("vip_tier".into(), tier.into());
    if rng.random_bool(0.85) {
        let days = rng.random_range(0..120);
        out.insert("last_visit_on".into(), days_before(today, days).into());
    }
    if rng.random_bool(0.25) {
        const CODE: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let code: String = (0..8).map(|_| char::from(pick(rng, CODE))).collect();
        out.insert("referral_code".into(), format!("REF{code}").into());
    }
}

/// The brand's other custom values, for members and non-members alike.
pub(super) fn custom(
    rng: &mut ChaCha8Rng,
    today: Date,
    member: bool,
    traits: Traits<'_>,
    out: &mut Map<String, Value>,
) {
    if rng.random_bool(if member { 0.8 } else { 0.25 }) {
        out.insert(
            "preferred_store".into(),
            places::store(rng, traits.city).into(),
        );
    }
    if !member && rng.random_bool(0.2) {
        let days = rng.random_range(0..365);
        out.insert("last_visit_on".into(), days_before(today, days).into());
        let spend = rng.random_range(1_000..200_000);
        out.insert("lifetime_value".into(), money(spend).into());
    }
    let channels: Vec<&str> = [
        (traits.fan, "wechat"),
        (traits.mobile, "sms"),
        (traits.email, "email"),
        (member, "store"),
    ]
    .into_iter()
    .filter_map(|(has, channel)| has.then_some(channel))
    .collect();
    if !channels.is_empty() && rng.random_bool(0.6) {
        out.insert(
            "marketing_opt_in_channel".into(),
            pick(rng, &channels).into(),
        );
    }
    if traits.mobile && rng.random_bool(0.8) {
        out.insert("sms_verified".into(), rng.random_bool(0.75).into());
    }
}

/// `today` minus `days`, as `YYYY-MM-DD`.
fn days_before(today: Date, days: i64) -> String {
    today.saturating_sub(Span::new().days(days)).to_string()
}

/// Cents as a decimal with two digits after the point, as the decimal attribute stores it.
fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}
