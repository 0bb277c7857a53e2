//! `LabelCatalog`: every label group and label, and the rules for changing them: names unique
//! among siblings, groups at most [`LABEL_GROUP_DEPTH_MAX`] deep, only empty groups deleted.

use super::{
    LABEL_GROUP_DEPTH_MAX, Label, LabelGroup, LabelGroupId, LabelId, LabelPatch, NewLabel,
    NewLabelGroup, parse_label_name,
};
use crate::error::{Error, Result, codes};

/// Shown between the levels of a label's path (`Region / East / Shanghai`).
pub const PATH_SEPARATOR: &str = " / ";

/// Every label group and label, as loaded by a store to check a change.
#[derive(Debug, Clone, Default)]
pub struct LabelCatalog {
    /// Groups, in any order.
    pub groups: Vec<LabelGroup>,
    /// Labels, in any order.
    pub labels: Vec<Label>,
}

impl LabelCatalog {
    /// A group by id.
    pub fn group(&self, id: LabelGroupId) -> Result<&LabelGroup> {
        self.groups
            .iter()
            .find(|g| g.group_id == id)
            .ok_or_else(|| Error::not_found("label group", id))
    }

    /// A label by id.
    pub fn label(&self, id: LabelId) -> Result<&Label> {
        self.labels
            .iter()
            .find(|l| l.label_id == id)
            .ok_or_else(|| Error::not_found("label", id))
    }

    /// The names from the top group down to `group`.
    pub fn group_path(&self, group: Option<LabelGroupId>) -> Vec<&str> {
        let mut names = Vec::new();
        let mut next = group;
        // Depth is bounded, so is this walk, even over inconsistent data.
        for _ in 0..=LABEL_GROUP_DEPTH_MAX {
            let Some(group) = next.and_then(|id| self.groups.iter().find(|g| g.group_id == id))
            else {
                break;
            };
            names.push(group.name.as_str());
            next = group.parent_id;
        }
        names.reverse();
        names
    }

    /// A label's full path: its groups and its name.
    pub fn path(&self, label: &Label) -> String {
        let mut names = self.group_path(label.group_id);
        names.push(&label.name);
        names.join(PATH_SEPARATOR)
    }

    /// The label a person typed: its full path, or its bare name when only one label has it.
    pub fn find(&self, typed: &str) -> Option<&Label> {
        let typed = typed.trim();
        let normal = |text: &str| {
            text.split('/')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(PATH_SEPARATOR)
        };
        let wanted = normal(typed);
        if let Some(label) = self.labels.iter().find(|l| self.path(l) == wanted) {
            return Some(label);
        }
        let mut named = self.labels.iter().filter(|l| l.name == typed);
        match (named.next(), named.next()) {
            (Some(label), None) => Some(label),
            _ => None,
        }
    }

    /// Check a new group: the parent exists, the depth stays within the limit, the name is free.
    pub fn check_new_group(&self, new: &NewLabelGroup) -> Result<LabelGroup> {
        let name = parse_label_name(&new.name, "name")?;
        let depth = match new.parent_id {
            None => 1,
            Some(parent) => self.group(parent)?.depth + 1,
        };
        if depth > LABEL_GROUP_DEPTH_MAX {
            return Err(Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!(
                    "label groups nest at most {LABEL_GROUP_DEPTH_MAX} levels deep (LABEL_GROUP_DEPTH_MAX); this group would be level {depth}"
                ),
                "parent_id",
                new.parent_id.map_or(0, |p| p.0),
            ));
        }
        self.check_group_name_free(&name, new.parent_id, None)?;
        Ok(LabelGroup {
            group_id: LabelGroupId(0),
            name,
            parent_id: new.parent_id,
            depth,
        })
    }

    /// Check a group's new name.
    pub fn check_group_rename(&self, id: LabelGroupId, name: &str) -> Result<LabelGroup> {
        let mut group = self.group(id)?.clone();
        group.name = parse_label_name(name, "name")?;
        self.check_group_name_free(&group.name, group.parent_id, Some(id))?;
        Ok(group)
    }

    /// Only an empty group may go: labels never disappear as a side effect.
    pub fn check_group_delete(&self, id: LabelGroupId) -> Result<()> {
        let group = self.group(id)?;
        let labels = self
            .labels
            .iter()
            .filter(|l| l.group_id == Some(id))
            .count();
        let groups = self
            .groups
            .iter()
            .filter(|g| g.parent_id == Some(id))
            .count();
        if labels + groups > 0 {
            return Err(Error::conflict(
                codes::GROUP_NOT_EMPTY,
                format!(
                    "the group `{}` still holds {labels} labels and {groups} groups; move or delete them first",
                    group.name
                ),
                "group_id",
            )
            .with_value(id));
        }
        Ok(())
    }

    /// Check a new label: its group exists and its name is free there.
    pub fn check_new_label(&self, new: &NewLabel) -> Result<Label> {
        let name = parse_label_name(&new.name, "name")?;
        if let Some(group) = new.group_id {
            self.group(group)?;
        }
        self.check_label_name_free(&name, new.group_id, None)?;
        Ok(Label {
            label_id: LabelId(0),
            name,
            group_id: new.group_id,
            hidden: new.hidden,
            contacts: 0,
            created_at: crate::contact::now_micros(),
        })
    }

    /// Check a change of a label, returning it as it will be.
    pub fn check_label_patch(&self, id: LabelId, patch: &LabelPatch) -> Result<Label> {
        let mut label = self.label(id)?.clone();
        if let Some(name) = &patch.name {
            label.name = parse_label_name(name, "name")?;
        }
        if let Some(hidden) = patch.hidden {
            label.hidden = hidden;
        }
        if let Some(group) = patch.group_id {
            if let Some(group) = group {
                self.group(group)?;
            }
            label.group_id = group;
        }
        self.check_label_name_free(&label.name, label.group_id, Some(id))?;
        Ok(label)
    }

    fn check_group_name_free(
        &self,
        name: &str,
        parent: Option<LabelGroupId>,
        except: Option<LabelGroupId>,
    ) -> Result<()> {
        let taken = self.groups.iter().any(|g| {
            g.parent_id == parent
                && Some(g.group_id) != except
                && g.name.to_lowercase() == name.to_lowercase()
        });
        if taken {
            return Err(duplicate("a label group", name));
        }
        Ok(())
    }

    fn check_label_name_free(
        &self,
        name: &str,
        group: Option<LabelGroupId>,
        except: Option<LabelId>,
    ) -> Result<()> {
        let taken = self.labels.iter().any(|l| {
            l.group_id == group
                && Some(l.label_id) != except
                && l.name.to_lowercase() == name.to_lowercase()
        });
        if taken {
            return Err(duplicate("a label", name));
        }
        Ok(())
    }
}

fn duplicate(what: &str, name: &str) -> Error {
    Error::invalid(
        codes::DUPLICATE_NAME,
        format!("{what} named `{name}` already exists here"),
        "name",
        name,
    )
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
