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

#[test]
fn chinese_names_synonyms_and_full_width_headers_match() {
    let file = headers(&[
        "姓名",
        "手机号",
        "电子邮件",
        "城市",
        "性别",
        "生日",
        "Ｅ－ｍａｉｌ地址",
        "微信OpenID",
        "会员卡号",
        "积分",
    ]);
    let map = map_headers(&Schema::new(preset_attributes()), &file, &[], false);
    let problems = map.as_ref().err().map(|e| e.to_error().detail);
    assert!(map.is_err(), "Ｅ－ｍａｉｌ地址 is no synonym: {problems:?}");
    let file = headers(&[
        "姓名",
        "手机号",
        "电子邮件",
        "城市",
        "性别",
        "生日",
        "微信OpenID",
        "会员卡号",
        "积分",
        "Wechat_UnionID",
    ]);
    let map = map_headers(&Schema::new(preset_attributes()), &file, &[], false)
        .expect("every column maps");
    let names = [
        "name",
        "mobile",
        "email",
        "city",
        "gender",
        "birthday",
        "wechat_openid",
        "member_id",
        "member_points",
        "wechat_unionid",
    ];
    assert_eq!(map.columns(), names.map(attribute));
    for (header, name) in [
        ("Mobile Phone", "mobile"),
        ("Cell", "mobile"),
        ("手机", "mobile"),
        ("联系电话", "mobile"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("邮箱", "email"),
        ("客户姓名", "name"),
        ("联系人", "name"),
        ("昵称", "wechat_nickname"),
        ("Sex", "gender"),
        ("出生日期", "birthday"),
        ("省", "province"),
        ("详细地址", "address"),
        ("公司名称", "company"),
        ("会员级别", "member_level"),
        ("ＭＯＢＩＬＥ", "mobile"),
    ] {
        let map = map_headers(
            &Schema::new(preset_attributes()),
            &headers(&[header]),
            &[],
            false,
        );
        assert_eq!(
            map.ok().map(|m| m.columns().to_vec()),
            Some(vec![attribute(name)]),
            "{header}"
        );
    }
}

#[test]
fn unmatched_columns_are_told_apart_from_dropped_ones() {
    let file = headers(&["mobile", "备注", "memo"]);
    let explicit = pairs(&[("memo", "-")]);
    let map = map_headers(&schema(), &file, &explicit, true).expect("maps");
    assert_eq!(map.unmatched(), ["备注"]);
    assert_eq!(map.dropped(), ["备注", "memo"]);
    let refused = map_headers(&schema(), &file, &explicit, false).expect_err("unknown");
    assert_eq!(refused.unknown_columns, ["备注"]);
    assert!(!refused.to_error().detail.contains("--map"));
}
