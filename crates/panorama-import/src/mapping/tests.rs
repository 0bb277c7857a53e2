//! Tests of header mapping against the preset schema plus one custom attribute with a Chinese
//! display name.

use super::*;
use panorama_core::metadata::{MachineName, preset_attributes};

fn schema() -> Schema {
    let mut attributes = preset_attributes();
    let mut custom = attributes
        .iter()
        .find(|d| d.name.as_str() == "member_level")
        .cloned()
        .expect("member_level is a preset");
    custom.name = MachineName::parse("vip_tier", "name").expect("a valid name");
    custom.display_name = "会员等级".to_owned();
    custom.preset = false;
    attributes.push(custom);
    Schema::new(attributes)
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn attribute(name: &str) -> Column {
    Column::Attribute(name.to_owned())
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(c, a)| ((*c).to_owned(), (*a).to_owned()))
        .collect()
}

#[test]
fn machine_and_display_names_match_case_insensitively() {
    let file = headers(&["MOBILE", "Email", "会员等级", "member id", "Name"]);
    let map = map_headers(&schema(), &file, &[], false).expect("every column maps");
    assert_eq!(
        map.columns(),
        [
            attribute("mobile"),
            attribute("email"),
            attribute("vip_tier"),
            attribute("member_id"),
            attribute("name"),
        ]
    );
    assert_eq!(map.attribute_index("vip_tier"), Some(2));
}

#[test]
fn subscription_columns_are_recognised() {
    let file = headers(&["mobile", "Email_Subscribed", "global_subscribed"]);
    let map = map_headers(&schema(), &file, &[], false).expect("every column maps");
    assert_eq!(map.get(1), Some(&Column::Subscription(Channel::Email)));
    assert_eq!(map.subscription_index(Channel::Global), Some(2));
    assert_eq!(map.subscription_index(Channel::Mobile), None);
}

#[test]
fn unknown_columns_are_listed_and_the_mapping_refused() {
    let file = headers(&["mobile", "积分来源", "Notes"]);
    let error = map_headers(&schema(), &file, &[], false).expect_err("unknown columns");
    assert_eq!(error.unknown_columns, ["积分来源", "Notes"]);
    assert!(error.problems.is_empty());
    let summary = error.to_error();
    assert_eq!(summary.code, UNKNOWN_COLUMNS);
    assert!(
        summary.detail.contains("`积分来源`, `Notes`"),
        "{}",
        summary.detail
    );
}

#[test]
fn explicit_mappings_and_dropping_unknown_columns() {
    let file = headers(&["手机", "Notes", "Extra"]);
    let explicit = pairs(&[("手机", "mobile"), ("notes", "-")]);
    let error = map_headers(&schema(), &file, &explicit, false).expect_err("Extra is unknown");
    assert_eq!(error.unknown_columns, ["Extra"]);
    let map = map_headers(&schema(), &file, &explicit, true).expect("Extra is dropped");
    assert_eq!(
        map.columns(),
        [attribute("mobile"), Column::Dropped, Column::Dropped]
    );
    assert_eq!(map.dropped(), ["Notes", "Extra"]);
}

#[test]
fn computed_attributes_are_refused_even_when_unknown_columns_drop() {
    let file = headers(&["mobile", "order_count", "Created at"]);
    let error = map_headers(&schema(), &file, &[], true).expect_err("computed");
    let codes: Vec<&str> = error.problems.iter().map(|e| e.code).collect();
    assert_eq!(
        codes,
        [codes::COMPUTED_ATTRIBUTE, codes::COMPUTED_ATTRIBUTE]
    );
    assert!(error.problems[0].detail.contains("order_count"));
    let dropped = pairs(&[("order_count", "-"), ("Created at", "")]);
    let map = map_headers(&schema(), &file, &dropped, false).expect("explicitly dropped");
    assert_eq!(map.dropped(), ["order_count", "Created at"]);
    let onto = map_headers(
        &schema(),
        &headers(&["x"]),
        &pairs(&[("x", "contact_id")]),
        false,
    );
    assert!(onto.is_err_and(|e| e.problems[0].code == codes::COMPUTED_ATTRIBUTE));
}

#[test]
fn two_columns_for_one_attribute_are_refused() {
    let file = headers(&["Mobile", "手机"]);
    let explicit = pairs(&[("手机", "MOBILE")]);
    let error = map_headers(&schema(), &file, &explicit, false).expect_err("mobile twice");
    assert_eq!(error.problems.len(), 1);
    assert_eq!(error.problems[0].code, DUPLICATE_MAPPING);
    assert!(error.problems[0].detail.contains("`Mobile` and `手机`"));
}

#[test]
fn bad_explicit_mappings_are_problems() {
    let file = headers(&["mobile", "x"]);
    let explicit = pairs(&[("nope", "email"), ("x", "no_such_attribute")]);
    let error = map_headers(&schema(), &file, &explicit, false).expect_err("bad mappings");
    let codes: Vec<&str> = error.problems.iter().map(|e| e.code).collect();
    assert_eq!(codes, [UNKNOWN_MAPPING_COLUMN, codes::UNKNOWN_ATTRIBUTE]);
    assert_eq!(error.to_error().code, UNKNOWN_MAPPING_COLUMN);
}
