//! A deterministic synthetic company for `panorama demo`: the custom attributes a Chinese retail
//! brand defines, and contacts with realistic names, mobiles, emails, WeChat ids and loyalty data.
//!
//! A contact depends only on the seed, the index and the day of `now`: generating index 42 gives
//! the same values whether or not indices 0 to 41 were generated first. Mobiles, emails, WeChat
//! openids and unionids, and member ids are derived from the index through bijections, so `N`
//! indices give `N` distinct contacts.

pub mod events;
mod keys;
pub mod labels;
pub mod merges;
mod names;
mod places;
mod profile;
#[cfg(test)]
mod tests;
pub mod wechat;

use panorama_core::metadata::{NewAttribute, Translations};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ops::Range;

/// The custom attributes of the demo brand, in the form the attributes API accepts: named in
/// Chinese, as a Chinese team names them, with an English name and names for enum values in both
/// languages, so the demo reads whole in either interface language.
pub fn custom_attributes() -> Vec<NewAttribute> {
    let attribute = |name: &str, zh: &str, en: &str, attribute_type: &str| NewAttribute {
        name: name.to_owned(),
        display_name: zh.to_owned(),
        names: Translations {
            en: Some(en.to_owned()),
            zh: None,
        },
        attribute_type: attribute_type.to_owned(),
        ..NewAttribute::default()
    };
    let values = |values: &[(&str, &str, &str)]| {
        let names: BTreeMap<String, Translations> = values
            .iter()
            .map(|(value, en, zh)| {
                let names = Translations {
                    en: Some((*en).to_owned()),
                    zh: Some((*zh).to_owned()),
                };
                ((*value).to_owned(), names)
            })
            .collect();
        let list = values.iter().map(|(v, _, _)| (*v).to_owned()).collect();
        (list, names)
    };
    let (tiers, tier_names) = values(&[
        ("bronze", "Bronze", "青铜"),
        ("silver", "Silver", "白银"),
        ("gold", "Gold", "黄金"),
        ("platinum", "Platinum", "铂金"),
    ]);
    let (channels, channel_names) = values(&[
        ("wechat", "WeChat", "微信"),
        ("sms", "SMS", "短信"),
        ("email", "Email", "邮件"),
        ("store", "In store", "门店"),
    ]);
    vec![
        NewAttribute {
            max_length: Some(64),
            ..attribute("preferred_store", "常去门店", "Preferred store", "string")
        },
        NewAttribute {
            enum_values: tiers,
            value_names: tier_names,
            ..attribute("vip_tier", "VIP 等级", "VIP tier", "enum")
        },
        NewAttribute {
            scale: Some(2),
            ..attribute(
                "lifetime_value",
                "累计消费金额",
                "Lifetime value",
                "decimal",
            )
        },
        attribute("last_visit_on", "最近到店日期", "Last visit", "date"),
        NewAttribute {
            enum_values: channels,
            value_names: channel_names,
            ..attribute(
                "marketing_opt_in_channel",
                "营销授权渠道",
                "Marketing opt-in channel",
                "enum",
            )
        },
        attribute("sms_verified", "短信已验证", "SMS verified", "boolean"),
        NewAttribute {
            max_length: Some(16),
            ..attribute("referral_code", "推荐码", "Referral code", "string")
        },
    ]
}

/// Generates the contacts of the demo company, each as the attribute map the JSON API accepts.
#[derive(Debug, Clone)]
pub struct DemoGenerator {
    rng: ChaCha8Rng,
    keys: keys::Keys,
    today: jiff::civil::Date,
}

impl DemoGenerator {
    /// A generator for `seed`; ages and visit dates are counted back from `now` (China time).
    pub fn new(seed: u64, now: jiff::Timestamp) -> Self {
        let china = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            keys: keys::Keys::new(seed),
            today: now.to_zoned_datetime(china).date(),
        }
    }

    /// The attributes of contact `index` (machine name → value). About 85% have a mobile, 60%
    /// an email, 40% follow the WeChat account, 8% are anonymous followers with neither mobile
    /// nor email, and 50% are members. Every map carries at least one key value.
    pub fn contact(&mut self, index: u64) -> Map<String, Value> {
        // Each contact reads its own ChaCha stream, so it depends on nothing but seed and index.
        self.rng.set_stream(index);
        self.rng.set_word_pos(0);
        let rng = &mut self.rng;
        let mut out = Map::new();
        let mut put = |name: &str, value: Value| {
            out.insert(name.to_owned(), value);
        };
        // Mobile only 32%, email only 7%, both 53%: 85% mobile, 60% email, 8% anonymous.
        let roll = rng.random_range(0..100);
        let anonymous = roll < 8;
        let has_mobile = (8..40).contains(&roll) || roll >= 47;
        let has_email = roll >= 40;
        let fan = anonymous || rng.random_bool(32.0 / 92.0);
        let gender = match rng.random_range(0..100) {
            0..50 => "female",
            50..90 => "male",
            _ => "unknown",
        };
        if rng.random_bool(if anonymous { 0.6 } else { 0.85 }) {
            put("gender", gender.into());
        }
        let name = (!anonymous && rng.random_bool(0.95)).then(|| names::person(rng, gender));
        if let Some(name) = &name {
            put("name", name.full.clone().into());
        }
        let abroad = !anonymous && rng.random_bool(0.03);
        let city = (!abroad && rng.random_bool(if anonymous { 0.5 } else { 0.9 }))
            .then(|| places::home_city(rng));
        if abroad {
            let (country, city) = places::abroad(rng);
            put("country", country.into());
            put("city", city.into());
        } else if let Some(city) = &city {
            put("country", "中国".into());
            put("province", city.province.into());
            put("city", city.city.into());
            if !anonymous && rng.random_bool(0.45) {
                put("address", places::address(rng, city).into());
            }
        } else if !anonymous {
            put("country", "中国".into());
        }
        let company = (!anonymous && rng.random_bool(0.3))
            .then(|| places::company(rng, city.as_ref().map_or("上海", |c| c.city)));
        if let Some(company) = &company {
            put("company", company.name.clone().into());
        }
        if has_mobile {
            let digits = self.keys.mobile(index);
            put("mobile", keys::spell_mobile(rng, &digits).into());
        }
        if has_email {
            let domain = company.as_ref().map(|c| c.domain.as_str());
            put(
                "email",
                self.keys.email(rng, index, name.as_ref(), domain).into(),
            );
        }
        if fan {
            put("wechat_openid", self.keys.openid(rng, index).into());
            if rng.random_bool(0.9) {
                put(
                    "wechat_nickname",
                    names::nickname(rng, name.as_ref()).into(),
                );
            }
            if rng.random_bool(0.5) {
                put("wechat_unionid", self.keys.unionid(rng, index).into());
            }
        }
        if !anonymous && rng.random_bool(0.7) {
            put("birthday", profile::birthday(rng, self.today).into());
        }
        let member = !anonymous && rng.random_bool(50.0 / 92.0);
        if member {
            profile::membership(rng, index, self.today, &mut out);
        }
        let traits = profile::Traits {
            mobile: has_mobile,
            email: has_email,
            fan,
            city: city.as_ref(),
        };
        profile::custom(rng, self.today, member, traits, &mut out);
        out
    }

    /// The WeChat-only record of a person the company already knows by another key: a new
    /// openid (its index is `merges::DUPLICATE_INDEX_BASE + number`, far past any contact's)
    /// and a nickname, nothing a stored contact also holds, so a merge adds and never overrides.
    pub fn duplicate(&mut self, number: u64) -> Map<String, Value> {
        let index = merges::DUPLICATE_INDEX_BASE + number;
        self.rng.set_stream(index);
        self.rng.set_word_pos(0);
        let mut out = Map::new();
        out.insert(
            "wechat_openid".into(),
            self.keys.openid(&mut self.rng, index).into(),
        );
        out.insert(
            "wechat_nickname".into(),
            names::nickname(&mut self.rng, None).into(),
        );
        out
    }

    /// The attributes of every contact in `indices`, in order: one batch for the contacts API.
    pub fn contacts(&mut self, indices: Range<u64>) -> Vec<Map<String, Value>> {
        indices.map(|index| self.contact(index)).collect()
    }
}

/// A number drawn from `seed` and `index` alone (for choices made outside a contact's stream).
pub fn mix(seed: u64, index: u64) -> u64 {
    keys::mix64(seed ^ keys::mix64(index))
}

/// One item of a non-empty table, chosen uniformly.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}
