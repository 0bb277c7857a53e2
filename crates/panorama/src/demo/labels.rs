//! The demo company's contact labels: three groups a Chinese retail CRM keeps (member tier,
//! interests, lifecycle), and which labels each demo contact carries, decided from its values and
//! its index alone, so a second fill puts on nothing new.

use super::keys::mix64;
use panorama_core::Store;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{LabelGroupId, LabelId, NewLabel, NewLabelGroup};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The label groups and their labels, in the order they are created.
pub const GROUPS: &[(&str, &[&str])] = &[
    ("会员层级", &["高价值", "潜力客户", "普通客户"]),
    (
        "兴趣偏好",
        &["母婴", "美妆", "茶饮爱好者", "户外运动", "数码", "家居"],
    ),
    ("生命周期", &["新客", "活跃", "沉睡", "流失风险"]),
];

/// A label by its group and name, as `GROUPS` lists them.
pub type LabelName = (&'static str, &'static str);

/// The labels demo contact `index` carries: about a third carry none; members get a tier by
/// lifetime value; people get up to two interests and most a lifecycle stage.
pub fn labels_of(seed: u64, index: u64, attributes: &Map<String, Value>) -> Vec<LabelName> {
    let mut roll = mix64(seed ^ mix64(index ^ 0x1abe_1500));
    let mut next = |n: u64| {
        let value = roll % n;
        roll = mix64(roll);
        value
    };
    if next(100) < 35 {
        return Vec::new();
    }
    let mut labels = Vec::new();
    let spend = attributes
        .get("lifetime_value")
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<f64>().ok());
    if attributes.contains_key("member_id") {
        let tier = match spend {
            Some(yuan) if yuan >= 15_000.0 => "高价值",
            Some(yuan) if yuan >= 3_000.0 => "潜力客户",
            _ => "普通客户",
        };
        labels.push(("会员层级", tier));
    }
    let interests = GROUPS[1].1;
    for _ in 0..next(3) {
        let interest = interests[next(interests.len() as u64) as usize];
        if !labels.contains(&("兴趣偏好", interest)) {
            labels.push(("兴趣偏好", interest));
        }
    }
    let stages = GROUPS[2].1;
    if next(100) < 80 {
        labels.push(("生命周期", stages[next(stages.len() as u64) as usize]));
    }
    labels
}

/// The ids of the demo labels, made where missing (a second fill finds them).
pub async fn ensure(store: &dyn Store) -> anyhow::Result<BTreeMap<LabelName, LabelId>> {
    let catalog = store.label_catalog().await?;
    let mut ids = BTreeMap::new();
    for (group, names) in GROUPS {
        let group_id: LabelGroupId = match catalog
            .groups
            .iter()
            .find(|g| g.name == *group && g.parent_id.is_none())
        {
            Some(found) => found.group_id,
            None => {
                let new = NewLabelGroup {
                    name: (*group).to_owned(),
                    parent_id: None,
                };
                store.create_label_group(&new).await?.group_id
            }
        };
        for name in *names {
            let existing = catalog
                .labels
                .iter()
                .find(|l| l.name == *name && l.group_id == Some(group_id));
            let label_id = match existing {
                Some(label) => label.label_id,
                None => {
                    let new = NewLabel {
                        name: (*name).to_owned(),
                        group_id: Some(group_id),
                        hidden: false,
                    };
                    store.create_label(&new).await?.label_id
                }
            };
            ids.insert((*group, *name), label_id);
        }
    }
    Ok(ids)
}

/// Put every label on its carriers (`carriers` by label), a label at a time.
pub async fn attach(
    store: &dyn Store,
    ids: &BTreeMap<LabelName, LabelId>,
    carriers: &BTreeMap<LabelName, Vec<ContactId>>,
    context: &WriteContext,
) -> anyhow::Result<()> {
    for (label, contacts) in carriers {
        let Some(label_id) = ids.get(label) else {
            anyhow::bail!("demo label {} / {} was not made", label.0, label.1);
        };
        for chunk in contacts.chunks(10_000) {
            store.add_label(*label_id, chunk, context).await?;
        }
    }
    Ok(())
}
