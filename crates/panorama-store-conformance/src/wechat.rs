//! Conformance: official accounts, fans of several accounts, follower labels and their limits.

use crate::{event_keys, upsert};
use panorama_core::Store;
use panorama_core::codes;
use panorama_core::contact::WriteContext;
use panorama_core::label::{FOLLOWER_LABELS_PER_ACCOUNT_MAX, FOLLOWER_LABELS_PER_FAN_MAX, NewFan};
use serde_json::json;

fn fan(openid: &str) -> NewFan {
    NewFan {
        openid: openid.into(),
        following: true,
    }
}

pub async fn fans_of_several_accounts_with_follower_labels(store: &dyn Store) {
    let (shop, created) = store
        .save_wechat_account("wxshop00000000001", "Shop")
        .await
        .unwrap();
    assert!(created);
    let (_, created) = store
        .save_wechat_account("wxshop00000000001", "Shop CN")
        .await
        .unwrap();
    assert!(!created, "a known app id is renamed");
    store
        .save_wechat_account("wxnews00000000002", "News")
        .await
        .unwrap();
    let person = upsert(store, json!({"mobile": "13600000001"}))
        .await
        .contact;
    store
        .save_fan(person.contact_id, &shop.app_id, &fan("oShop1"))
        .await
        .unwrap();
    let news = store
        .save_fan(person.contact_id, "wxnews00000000002", &fan("oNews1"))
        .await
        .unwrap();
    assert_eq!((news.openid.as_str(), news.following), ("oNews1", true));
    let other = upsert(store, json!({"mobile": "13600000002"}))
        .await
        .contact;
    let taken = store
        .save_fan(other.contact_id, &shop.app_id, &fan("oShop1"))
        .await
        .expect_err("openids are unique per account");
    assert_eq!(taken.field.as_deref(), Some("openid"));
    let unfollowed = store
        .save_fan(
            person.contact_id,
            &shop.app_id,
            &NewFan {
                following: false,
                ..fan("oShop1")
            },
        )
        .await
        .unwrap();
    assert!(!unfollowed.following);

    let gold = store
        .create_follower_label(&shop.app_id, "金卡会员")
        .await
        .unwrap();
    let context = WriteContext::now("test");
    assert!(
        store
            .add_follower_label(person.contact_id, gold.label_id, &context)
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_follower_label(person.contact_id, gold.label_id, &context)
            .await
            .unwrap()
    );
    let not_fan = store
        .add_follower_label(other.contact_id, gold.label_id, &context)
        .await
        .expect_err("not a fan of the account");
    assert_eq!(not_fan.field.as_deref(), Some("app_id"));
    let fans = store.contact_fans(person.contact_id).await.unwrap();
    assert_eq!(fans.len(), 2);
    let at_shop = fans.iter().find(|f| f.app_id == shop.app_id).unwrap();
    assert_eq!(
        at_shop
            .labels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>(),
        ["金卡会员"]
    );
    assert!(
        fans.iter()
            .find(|f| f.app_id != shop.app_id)
            .unwrap()
            .labels
            .is_empty()
    );
    assert!(
        store
            .remove_follower_label(person.contact_id, gold.label_id, &context)
            .await
            .unwrap()
    );
    let keys = event_keys(store, &person).await;
    assert!(
        keys.contains(&"follower_label_add".to_owned())
            && keys.contains(&"follower_label_remove".to_owned())
    );
    let long = store
        .create_follower_label(&shop.app_id, &"标".repeat(11))
        .await
        .expect_err("33 bytes");
    assert_eq!(long.code, codes::VALUE_TOO_LONG);
}

pub async fn follower_label_limits_hold(store: &dyn Store) {
    let (account, _) = store
        .save_wechat_account("wxlimit0000000001", "Limits")
        .await
        .unwrap();
    let mut labels = Vec::new();
    for index in 0..FOLLOWER_LABELS_PER_ACCOUNT_MAX {
        labels.push(
            store
                .create_follower_label(&account.app_id, &format!("tag {index}"))
                .await
                .unwrap(),
        );
    }
    let refused = store
        .create_follower_label(&account.app_id, "one more")
        .await
        .expect_err("the 101st label of an account");
    assert_eq!(refused.code, codes::LIMIT_EXCEEDED);
    assert!(refused.detail.contains("100"), "{}", refused.detail);
    let person = upsert(store, json!({"wechat_openid": "oLimit"}))
        .await
        .contact;
    store
        .save_fan(person.contact_id, &account.app_id, &fan("oLimit"))
        .await
        .unwrap();
    let context = WriteContext::now("test");
    for label in labels.iter().take(FOLLOWER_LABELS_PER_FAN_MAX) {
        store
            .add_follower_label(person.contact_id, label.label_id, &context)
            .await
            .unwrap();
    }
    let refused = store
        .add_follower_label(
            person.contact_id,
            labels[FOLLOWER_LABELS_PER_FAN_MAX].label_id,
            &context,
        )
        .await
        .expect_err("the 21st label of a fan");
    assert_eq!(refused.code, codes::LIMIT_EXCEEDED);
    assert!(refused.detail.contains("20"), "{}", refused.detail);
    assert_eq!(
        store.contact_fans(person.contact_id).await.unwrap()[0]
            .labels
            .len(),
        20
    );
    // Deleting the contact removes its fan records and their labels.
    store.delete_contact(person.contact_id).await.unwrap();
    let counts = store.follower_labels(&account.app_id).await.unwrap();
    assert!(counts.iter().all(|l| l.fans == 0));
    store.delete_wechat_account(&account.app_id).await.unwrap();
    assert!(store.list_wechat_accounts().await.unwrap().is_empty());
}
