//! Tests of the label catalogue rules.

use super::*;

fn catalog_with_depth(depth: u8) -> LabelCatalog {
    let mut catalog = LabelCatalog::default();
    for level in 1..=depth {
        let mut group = catalog
            .check_new_group(&NewLabelGroup {
                name: format!("Level {level}"),
                parent_id: (level > 1).then(|| LabelGroupId(i64::from(level - 1))),
            })
            .expect("within the limit");
        group.group_id = LabelGroupId(i64::from(level));
        catalog.groups.push(group);
    }
    catalog
}

#[test]
fn groups_nest_four_levels_and_no_more() {
    let catalog = catalog_with_depth(4);
    assert_eq!(catalog.groups[3].depth, 4);
    let fifth = catalog
        .check_new_group(&NewLabelGroup {
            name: "Level 5".into(),
            parent_id: Some(LabelGroupId(4)),
        })
        .expect_err("a fifth level");
    assert_eq!(fifth.code, codes::LIMIT_EXCEEDED);
    assert_eq!(fifth.field.as_deref(), Some("parent_id"));
    assert!(
        fifth.detail.contains("at most 4 levels"),
        "{}",
        fifth.detail
    );
    let missing = catalog
        .check_new_group(&NewLabelGroup {
            name: "x".into(),
            parent_id: Some(LabelGroupId(99)),
        })
        .expect_err("no such parent");
    assert_eq!(missing.kind, crate::ErrorKind::NotFound);
}

#[test]
fn names_are_unique_among_siblings_only() {
    let mut catalog = catalog_with_depth(2);
    let mut label = catalog
        .check_new_label(&NewLabel {
            name: "VIP".into(),
            group_id: Some(LabelGroupId(2)),
            hidden: false,
        })
        .expect("a new label");
    label.label_id = LabelId(1);
    catalog.labels.push(label);
    let again = catalog.check_new_label(&NewLabel {
        name: "vip".into(),
        group_id: Some(LabelGroupId(2)),
        hidden: false,
    });
    assert_eq!(again.expect_err("taken").code, codes::DUPLICATE_NAME);
    assert!(
        catalog
            .check_new_label(&NewLabel {
                name: "VIP".into(),
                group_id: None,
                hidden: false,
            })
            .is_ok(),
        "another group is another namespace"
    );
    assert_eq!(catalog.path(&catalog.labels[0]), "Level 1 / Level 2 / VIP");
    assert_eq!(catalog.find("VIP").map(|l| l.label_id), Some(LabelId(1)));
    assert_eq!(
        catalog.find("Level 1/Level 2/VIP").map(|l| l.label_id),
        Some(LabelId(1))
    );
    assert!(catalog.find("Nope").is_none());
}

#[test]
fn only_empty_groups_are_deleted_and_patches_check_names() {
    let mut catalog = catalog_with_depth(1);
    let mut label = catalog
        .check_new_label(&NewLabel {
            name: "A".into(),
            group_id: Some(LabelGroupId(1)),
            hidden: false,
        })
        .expect("new");
    label.label_id = LabelId(7);
    catalog.labels.push(label);
    let refused = catalog
        .check_group_delete(LabelGroupId(1))
        .expect_err("not empty");
    assert_eq!(refused.code, codes::GROUP_NOT_EMPTY);
    let moved = catalog
        .check_label_patch(
            LabelId(7),
            &LabelPatch {
                group_id: Some(None),
                hidden: Some(true),
                name: Some(" B ".into()),
            },
        )
        .expect("valid");
    assert_eq!(
        (moved.group_id, moved.hidden, moved.name.as_str()),
        (None, true, "B")
    );
    catalog.labels[0] = moved;
    assert!(catalog.check_group_delete(LabelGroupId(1)).is_ok());
}
