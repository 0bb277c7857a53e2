//! Tests of contact and event masking: which values each rule masks, and that admins see all.

use super::*;
use crate::metadata::{NewAttribute, Schema, preset_attributes};
use serde_json::json;

fn schema() -> Schema {
    let schema = Schema::new(preset_attributes());
    let mut defs = preset_attributes();
    for (name, attribute_type) in [
        ("backup_email", "string"),
        ("notes", "string"),
        ("member_no", "integer"),
    ] {
        let new = NewAttribute {
            name: name.into(),
            display_name: name.into(),
            attribute_type: attribute_type.into(),
            ..NewAttribute::default()
        };
        defs.push(schema.check_new(&new).expect("valid custom attribute"));
    }
    Schema::new(defs)
}

fn values() -> BTreeMap<String, Json> {
    serde_json::from_value(json!({
        "name": "张伟",
        "mobile": "+8613812345678",
        "email": "zhang@example.com",
        "backup_email": "not given",
        "notes": "13900001111",
        "member_no": 13812345678_i64,
        "gender": "male",
        "deleted_since": "li@example.com",
    }))
    .expect("a map")
}

#[test]
fn contact_values_are_masked_by_attribute() {
    let mask = AttributeMask::new(Masking::Masked, schema().attributes());
    let mut values = values();
    mask.apply(&mut values);
    assert_eq!(values["name"], json!("张伟"));
    assert_eq!(values["mobile"], json!("+86138****5678"));
    assert_eq!(values["email"], json!("z***@example.com"));
    // Named as an email: masked whatever it holds.
    assert_eq!(values["backup_email"], json!("***"));
    // Free text holding a mobile, and a value of an attribute the schema no longer has.
    assert_eq!(values["notes"], json!("139****1111"));
    assert_eq!(values["deleted_since"], json!("l***@example.com"));
    // Numbers and enums are never contact details.
    assert_eq!(values["member_no"], json!(13812345678_i64));
    assert_eq!(values["gender"], json!("male"));
}

#[test]
fn unmasked_principals_see_values_as_stored() {
    for mask in [
        AttributeMask::unmasked(),
        AttributeMask::new(Masking::Unmasked, schema().attributes()),
    ] {
        let mut values = values();
        mask.apply(&mut values);
        assert_eq!(values, self::values());
        assert_eq!(mask.rule("mobile"), AttributeRule::Keep);
    }
    assert_eq!(Masking::unless(true), Masking::Unmasked);
    assert_eq!(Masking::unless(false), Masking::Masked);
}

#[test]
fn event_properties_are_masked_by_name_and_value() {
    let mut properties: Map<String, Json> = serde_json::from_value(json!({
        "email": "zhang@example.com",
        "reason": "550 <zhang@example.com> unknown",
        "mobile": 13812345678_i64,
        "order_id": "2024050112345",
        "amount": "12.50",
        "items": [{"sku": "A1", "contact_email": "li@example.com"}],
    }))
    .expect("a map");
    mask_event_properties(Masking::Masked, "email_hard_bounce", &mut properties);
    assert_eq!(properties["email"], json!("z***@example.com"));
    assert_eq!(
        properties["reason"],
        json!("550 <z***@example.com> unknown")
    );
    assert_eq!(properties["mobile"], json!("138****5678"));
    assert_eq!(properties["order_id"], json!("2024050112345"));
    assert_eq!(properties["amount"], json!("12.50"));
    assert_eq!(
        properties["items"][0]["contact_email"],
        json!("l***@example.com")
    );
    assert_eq!(properties["items"][0]["sku"], json!("A1"));
}

#[test]
fn attribute_changes_are_masked_as_the_attribute() {
    let change = |attribute: &str, old: &str| {
        let mut properties: Map<String, Json> = serde_json::from_value(json!({
            "attribute": attribute, "old_value": old, "new_value": null, "source": "api",
        }))
        .expect("a map");
        mask_event_properties(Masking::Masked, "attribute_change", &mut properties);
        properties["old_value"].clone()
    };
    assert_eq!(change("mobile", "+8613812345678"), json!("+86138****5678"));
    assert_eq!(change("work_email", "ab"), json!("***"));
    assert_eq!(
        change("notes", "zoe@example.com"),
        json!("z***@example.com")
    );
    assert_eq!(change("city", "上海"), json!("上海"));
    let mut admin: Map<String, Json> =
        serde_json::from_value(json!({"attribute": "mobile", "old_value": "+8613812345678"}))
            .expect("a map");
    mask_event_properties(Masking::Unmasked, "attribute_change", &mut admin);
    assert_eq!(admin["old_value"], json!("+8613812345678"));
}
