//! The demo company's WeChat official accounts: the brand's subscription account (the `app_id`
//! its WeChat events carry) and a member service account, each with follower labels, and which
//! demo fans follow which account with which labels, decided from the index alone.

use super::keys::mix64;
use panorama_core::Store;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::NewFan;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The brand's subscription account, the one the demo's WeChat events name.
pub const BRAND_APP_ID: &str = "wx_demo_brand";
/// The member service account, which a part of the fans also follow.
pub const SERVICE_APP_ID: &str = "wx_demo_service";

/// The accounts: app id, name, follower labels.
pub const ACCOUNTS: &[(&str, &str, &[&str])] = &[
    (
        BRAND_APP_ID,
        "茶语时光",
        &["新关注", "活动参与", "门店扫码", "老粉丝", "高互动"],
    ),
    (
        SERVICE_APP_ID,
        "茶语时光会员服务",
        &["已绑卡会员", "待激活"],
    ),
];

/// One fan record of a demo contact: the account, its openid there, whether it still follows,
/// and the follower labels it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoFan {
    /// The account.
    pub app_id: &'static str,
    /// The openid the account knows the contact by.
    pub openid: String,
    /// Follows now.
    pub following: bool,
    /// Follower labels by name.
    pub labels: Vec<&'static str>,
}

/// The fan records of demo contact `index`: none unless it has a WeChat openid; then the brand
/// account, and for about a third the service account too (its own openid, as WeChat gives each
/// account another one).
pub fn fans_of(seed: u64, index: u64, attributes: &Map<String, Value>) -> Vec<DemoFan> {
    let Some(openid) = attributes.get("wechat_openid").and_then(Value::as_str) else {
        return Vec::new();
    };
    let mut roll = mix64(seed ^ mix64(index ^ 0x00fa_0000));
    let mut next = |n: u64| {
        let value = roll % n;
        roll = mix64(roll);
        value
    };
    let mut fans = Vec::new();
    for (app_id, _, labels) in ACCOUNTS {
        let own_openid = if *app_id == BRAND_APP_ID {
            openid.to_owned()
        } else if next(100) < 35 {
            // Another account, another openid: the same length and alphabet, its own prefix.
            format!("oSvc{}", &openid[4.min(openid.len())..])
        } else {
            continue;
        };
        let mut carried = Vec::new();
        for _ in 0..next(3) {
            let label = labels[next(labels.len() as u64) as usize];
            if !carried.contains(&label) {
                carried.push(label);
            }
        }
        fans.push(DemoFan {
            app_id,
            openid: own_openid,
            following: next(100) >= 6,
            labels: carried,
        });
    }
    fans
}

/// Register the accounts and their follower labels where missing; the label ids by account and
/// name.
pub async fn ensure(
    store: &dyn Store,
) -> anyhow::Result<BTreeMap<(&'static str, &'static str), i64>> {
    let mut ids = BTreeMap::new();
    for (app_id, name, labels) in ACCOUNTS {
        store.save_wechat_account(app_id, name).await?;
        let existing = store.follower_labels(app_id).await?;
        for label in *labels {
            let label_id = match existing.iter().find(|l| l.name == *label) {
                Some(found) => found.label_id,
                None => store.create_follower_label(app_id, label).await?.label_id,
            };
            ids.insert((*app_id, *label), label_id);
        }
    }
    Ok(ids)
}

/// Save the fan records of `contact_id` and put their follower labels on.
pub async fn save(
    store: &dyn Store,
    ids: &BTreeMap<(&'static str, &'static str), i64>,
    contact_id: ContactId,
    fans: &[DemoFan],
    context: &WriteContext,
) -> anyhow::Result<()> {
    for fan in fans {
        let new = NewFan {
            openid: fan.openid.clone(),
            following: fan.following,
        };
        store.save_fan(contact_id, fan.app_id, &new).await?;
        for label in &fan.labels {
            let Some(label_id) = ids.get(&(fan.app_id, *label)) else {
                anyhow::bail!("follower label {label} of {} was not made", fan.app_id);
            };
            store
                .add_follower_label(contact_id, *label_id, context)
                .await?;
        }
    }
    Ok(())
}
