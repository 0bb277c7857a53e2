//! Conformance: attribute and event definitions.

use crate::upsert;
use panorama_core::Store;
use panorama_core::codes;
use panorama_core::metadata::*;
use serde_json::json;

fn new_attribute(name: &str, kind: &str) -> NewAttribute {
    NewAttribute {
        name: name.into(),
        display_name: format!("{name} shown"),
        attribute_type: kind.into(),
        ..Default::default()
    }
}

pub async fn presets_are_installed_once(store: &dyn Store) {
    store.migrate().await.unwrap();
    let attributes = store.list_attributes().await.unwrap();
    assert_eq!(attributes.len(), preset_attributes().len());
    assert!(attributes.iter().all(|a| a.preset));
    assert_eq!(
        store.list_event_definitions().await.unwrap().len(),
        preset_event_definitions().len()
    );
}

/// Presets carry names in both languages; a company renames any of them in either language, and
/// custom definitions keep the second-language names they are given.
pub async fn display_names_in_both_languages(store: &dyn Store) {
    let schema = Schema::new(store.list_attributes().await.unwrap());
    let gender = schema.require("gender").unwrap();
    assert_eq!(gender.label(Language::Zh), "性别");
    assert_eq!(gender.value_label("female", Language::Zh), "女");
    assert_eq!(gender.enum_value_named("男"), Some("male"));
    let renamed = store
        .update_attribute(
            "mobile",
            &AttributePatch {
                names: Some(Translations {
                    en: Some("Cell phone".into()),
                    zh: Some("手机号码".into()),
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.label(Language::En), "Cell phone");
    let reread = Schema::new(store.list_attributes().await.unwrap());
    assert_eq!(
        reread.require("mobile").unwrap().label(Language::Zh),
        "手机号码"
    );
    let clash = store
        .create_attribute(&NewAttribute {
            names: Translations::zh("手机号码"),
            ..new_attribute("phone3", "string")
        })
        .await;
    assert_eq!(clash.unwrap_err().code, codes::DUPLICATE_NAME);
    let tier = store
        .create_attribute(&NewAttribute {
            enum_values: vec!["gold".into(), "silver".into()],
            value_names: [("gold".to_owned(), Translations::zh("金卡"))].into(),
            names: Translations::zh("卡等级"),
            ..new_attribute("tier", "enum")
        })
        .await
        .unwrap();
    assert_eq!(tier.label(Language::Zh), "卡等级");
    assert_eq!(tier.label(Language::En), "tier shown");
    assert_eq!(tier.value_label("gold", Language::Zh), "金卡");
    assert_eq!(tier.value_label("silver", Language::Zh), "silver");
    let open = store
        .update_event_definition(
            "email_open",
            &EventDefinitionPatch {
                names: Some(Translations::zh("打开邮件")),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(open.label(Language::Zh), "打开邮件");
    let listed = store.list_event_definitions().await.unwrap();
    let sent = listed
        .iter()
        .find(|d| d.key.as_str() == "email_sent")
        .unwrap();
    assert_eq!(sent.label(Language::Zh), "邮件发送");
    assert_eq!(
        sent.attribute("subject").unwrap().label(Language::Zh),
        "邮件主题"
    );
}

pub async fn custom_attribute_lifecycle(store: &dyn Store) {
    let created = store
        .create_attribute(&NewAttribute {
            max_length: Some(20),
            ..new_attribute("shoe_size", "string")
        })
        .await
        .unwrap();
    assert_eq!(created.max_length, Some(20));
    assert!(!created.preset);
    let again = store
        .create_attribute(&new_attribute("shoe_size", "string"))
        .await
        .unwrap_err();
    assert_eq!(again.code, codes::DUPLICATE_NAME);
    let clash = store
        .create_attribute(&NewAttribute {
            display_name: "Mobile".into(),
            ..new_attribute("phone2", "string")
        })
        .await;
    assert_eq!(clash.unwrap_err().code, codes::DUPLICATE_NAME);

    let contact = upsert(store, json!({"mobile": "13812345678", "shoe_size": "42"}))
        .await
        .contact;
    let patch = AttributePatch {
        display_name: Some("鞋码".into()),
        sortable: Some(false),
        ..Default::default()
    };
    let changed = store.update_attribute("shoe_size", &patch).await.unwrap();
    assert_eq!(
        (changed.display_name.as_str(), changed.sortable),
        ("鞋码", false)
    );
    let listed = store.list_attributes().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|a| a.name.as_str() == "shoe_size")
            .unwrap()
            .display_name,
        "鞋码"
    );

    store.delete_attribute("shoe_size").await.unwrap();
    let stored = store
        .get_contact(contact.contact_id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !stored.attributes.contains_key("shoe_size"),
        "values go with the attribute"
    );
    assert_eq!(
        store.delete_attribute("mobile").await.unwrap_err().code,
        codes::PRESET_IMMUTABLE
    );
    assert_eq!(
        store.delete_attribute("nope").await.unwrap_err().code,
        codes::NOT_FOUND
    );
}

pub async fn custom_attribute_limit(store: &dyn Store) {
    for n in 0..CUSTOM_ATTRIBUTES_MAX {
        store
            .create_attribute(&new_attribute(&format!("custom_{n}"), "integer"))
            .await
            .unwrap();
    }
    let error = store
        .create_attribute(&new_attribute("one_too_many", "integer"))
        .await
        .unwrap_err();
    assert_eq!(error.code, codes::CUSTOM_ATTRIBUTES_LIMIT);
    assert_eq!(
        store.list_attributes().await.unwrap().len(),
        preset_attributes().len() + CUSTOM_ATTRIBUTES_MAX
    );
}

pub async fn primary_key_needs_unique_values(store: &dyn Store) {
    upsert(store, json!({"mobile": "13800000001", "member_id": "M-1"})).await;
    upsert(store, json!({"mobile": "13800000002", "member_id": "m-1"})).await;
    let make_key = AttributePatch {
        primary_key: Some(true),
        ..Default::default()
    };
    let error = store
        .update_attribute("member_id", &make_key)
        .await
        .unwrap_err();
    assert_eq!(
        (error.code, error.value.as_deref()),
        (codes::DUPLICATE_VALUES, Some("m-1"))
    );
    assert!(
        !store
            .list_attributes()
            .await
            .unwrap()
            .iter()
            .any(|a| a.name.as_str() == "member_id" && a.primary_key)
    );

    upsert(store, json!({"mobile": "13800000002", "member_id": "M-2"})).await;
    assert!(
        store
            .update_attribute("member_id", &make_key)
            .await
            .unwrap()
            .primary_key
    );
    let by_member = crate::find(store, "member_id", "m-2")
        .await
        .expect("member ids now identify contacts");
    let outcome = upsert(store, json!({"member_id": "M-2", "name": "Lin"})).await;
    assert_eq!(outcome.contact.contact_id, by_member.contact_id);
    let off = AttributePatch {
        primary_key: Some(false),
        ..Default::default()
    };
    store.update_attribute("member_id", &off).await.unwrap();
    assert!(crate::find(store, "member_id", "m-2").await.is_none());
    assert_eq!(
        store
            .update_attribute("email", &off)
            .await
            .unwrap_err()
            .code,
        codes::PRESET_IMMUTABLE
    );
}

pub async fn shorter_max_length_checks_values(store: &dyn Store) {
    upsert(store, json!({"mobile": "13800000003", "city": "Guangzhou"})).await;
    let shorter = AttributePatch {
        max_length: Some(4),
        ..Default::default()
    };
    assert_eq!(
        store
            .update_attribute("city", &shorter)
            .await
            .unwrap_err()
            .code,
        codes::VALUE_TOO_LONG
    );
    let fits = AttributePatch {
        max_length: Some(9),
        ..Default::default()
    };
    assert_eq!(
        store
            .update_attribute("city", &fits)
            .await
            .unwrap()
            .max_length,
        Some(9)
    );
}

pub async fn event_definition_rules(store: &dyn Store) {
    let new = NewEventDefinition {
        key: "coupon_redeemed".into(),
        display_name: "Coupon redeemed".into(),
        group: Some("promotion".into()),
        attributes: vec![NewEventAttribute {
            name: "coupon".into(),
            display_name: None,
            names: Translations::zh("优惠券"),
            attribute_type: "string".into(),
        }],
        names: Translations::zh("核销优惠券"),
    };
    let created = store.create_event_definition(&new).await.unwrap();
    assert!(!created.preset);
    assert_eq!(
        store.create_event_definition(&new).await.unwrap_err().code,
        codes::DUPLICATE_NAME
    );
    let rename = EventDefinitionPatch {
        display_name: Some("Sent".into()),
        ..Default::default()
    };
    assert_eq!(
        store
            .update_event_definition("email_sent", &rename)
            .await
            .unwrap_err()
            .code,
        codes::PRESET_IMMUTABLE
    );
    let extra = EventDefinitionPatch {
        add_attributes: vec![NewEventAttribute {
            name: "template".into(),
            display_name: Some("模板".into()),
            names: Translations::default(),
            attribute_type: "string".into(),
        }],
        ..Default::default()
    };
    let grown = store
        .update_event_definition("email_sent", &extra)
        .await
        .unwrap();
    assert!(grown.attribute("template").is_some());
    let listed = store.list_event_definitions().await.unwrap();
    assert!(
        listed
            .iter()
            .find(|d| d.key.as_str() == "email_sent")
            .unwrap()
            .attribute("template")
            .is_some()
    );
    assert_eq!(
        store
            .delete_event_definition("email_sent")
            .await
            .unwrap_err()
            .code,
        codes::PRESET_IMMUTABLE
    );
    store
        .delete_event_definition("coupon_redeemed")
        .await
        .unwrap();
    assert_eq!(
        store
            .delete_event_definition("coupon_redeemed")
            .await
            .unwrap_err()
            .code,
        codes::NOT_FOUND
    );
}
