//! Tests of the demo generator: determinism, unique keys, realistic shares, and that every
//! contact passes the preset and custom attribute definitions.

use super::*;
use panorama_core::contact::ContactRecord;
use panorama_core::email::Email;
use panorama_core::metadata::{Schema, preset_attributes};
use panorama_core::mobile::{DefaultCountry, Mobile};
use panorama_core::value::ParseOptions;
use std::collections::HashSet;

fn now() -> jiff::Timestamp {
    "2026-05-01T09:30:00+08:00"
        .parse()
        .expect("a valid instant")
}

fn generate(seed: u64, count: u64) -> Vec<Map<String, Value>> {
    DemoGenerator::new(seed, now()).contacts(0..count)
}

fn text<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    map.get(name).and_then(Value::as_str)
}

/// Share of `contacts` for which `test` holds.
fn share(contacts: &[Map<String, Value>], test: impl Fn(&Map<String, Value>) -> bool) -> f64 {
    contacts.iter().filter(|c| test(c)).count() as f64 / contacts.len() as f64
}

fn schema() -> Schema {
    let mut schema = Schema::new(preset_attributes());
    for new in custom_attributes() {
        let def = schema.check_new(&new).expect("a valid custom attribute");
        let mut attributes = schema.attributes().to_vec();
        attributes.push(def);
        schema = Schema::new(attributes);
    }
    schema
}

#[test]
fn same_seed_same_contacts_and_other_seed_other_contacts() {
    assert_eq!(generate(7, 300), generate(7, 300));
    let other = generate(8, 300);
    let same = generate(7, 300)
        .iter()
        .zip(&other)
        .filter(|(a, b)| a == b)
        .count();
    assert_eq!(same, 0);
}

#[test]
fn a_contact_depends_only_on_seed_and_index() {
    let mut generator = DemoGenerator::new(3, now());
    let alone = generator.contact(4_242);
    let mut fresh = DemoGenerator::new(3, now());
    let in_sequence = fresh.contacts(4_200..4_243);
    assert_eq!(in_sequence.last(), Some(&alone));
}

#[test]
fn keys_are_unique_over_twenty_thousand_contacts() {
    let contacts = generate(1, 20_000);
    let unique = |name: &str, normalise: &dyn Fn(&str) -> String| {
        let values: Vec<String> = contacts
            .iter()
            .filter_map(|c| text(c, name))
            .map(normalise)
            .collect();
        let distinct: HashSet<&String> = values.iter().collect();
        assert_eq!(distinct.len(), values.len(), "{name} repeats");
        values.len()
    };
    let mobiles = unique("mobile", &|m| {
        Mobile::parse(m, DefaultCountry::CHINA)
            .map(|m| m.to_string())
            .unwrap_or_else(|e| panic!("{m}: {e}"))
    });
    let emails = unique("email", &|e| {
        Email::parse(e)
            .map(|e| e.as_str().to_lowercase())
            .unwrap_or_else(|error| panic!("{e}: {error}"))
    });
    let openids = unique("wechat_openid", &str::to_owned);
    let unionids = unique("wechat_unionid", &str::to_owned);
    let members = unique("member_id", &str::to_owned);
    assert!(mobiles > 16_000 && emails > 11_000, "{mobiles} {emails}");
    assert!(openids > 7_000 && unionids > 3_000 && members > 9_000);
}

#[test]
fn shares_are_realistic() {
    let contacts = generate(11, 20_000);
    let close = |name: &str, actual: f64, expected: f64| {
        assert!((actual - expected).abs() < 0.02, "{name}: {actual}");
    };
    let has = |name: &'static str| move |c: &Map<String, Value>| c.contains_key(name);
    close("fans", share(&contacts, has("wechat_openid")), 0.40);
    close("mobile", share(&contacts, has("mobile")), 0.85);
    close("email", share(&contacts, has("email")), 0.60);
    close("members", share(&contacts, has("member_id")), 0.50);
    let anonymous = |c: &Map<String, Value>| !c.contains_key("mobile") && !c.contains_key("email");
    close("anonymous", share(&contacts, anonymous), 0.08);
    assert!(
        contacts
            .iter()
            .filter(|c| anonymous(c))
            .all(has("wechat_openid"))
    );
    let named: Vec<&str> = contacts.iter().filter_map(|c| text(c, "name")).collect();
    let chinese = named
        .iter()
        .filter(|n| !n.is_ascii() && !n.contains(' '))
        .count();
    close("chinese names", chinese as f64 / named.len() as f64, 0.70);
    for name in named.iter().filter(|n| !n.contains(' ')) {
        assert!((2..=4).contains(&name.chars().count()), "{name}");
    }
}

#[test]
fn every_contact_passes_the_schema() {
    let schema = schema();
    let errors: Vec<String> = generate(2_026, 5_000)
        .iter()
        .filter_map(|c| ContactRecord::from_json(&schema, c, ParseOptions::default()).err())
        .map(|e| format!("{e:?}"))
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
}

#[test]
fn every_prefix_and_spelling_is_a_valid_mainland_mobile() {
    let keys = keys::Keys::new(5);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut prefixes = HashSet::new();
    for index in 0..3_000 {
        let digits = keys.mobile(index);
        prefixes.insert(digits[..3].to_owned());
        let spelled = keys::spell_mobile(&mut rng, &digits);
        let parsed = Mobile::parse(&spelled, DefaultCountry::CHINA).map(|m| m.to_string());
        assert_eq!(parsed.ok(), Some(format!("+86{digits}")), "{spelled}");
    }
    assert!(prefixes.len() > 30, "{prefixes:?}");
}

#[test]
fn wechat_ids_and_dates_have_their_real_shape() {
    let contacts = generate(9, 2_000);
    for id in contacts
        .iter()
        .flat_map(|c| [text(c, "wechat_openid"), text(c, "wechat_unionid")])
        .flatten()
    {
        let url_safe = id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        assert!(id.len() == 28 && id.starts_with('o') && url_safe, "{id}");
    }
    for birthday in contacts.iter().filter_map(|c| text(c, "birthday")) {
        assert!(
            ("1961-05-01".."2008-05-01").contains(&birthday),
            "{birthday}"
        );
    }
    assert!(
        contacts
            .iter()
            .any(|c| text(c, "email").is_some_and(|e| e.contains(".COM")))
    );
}
