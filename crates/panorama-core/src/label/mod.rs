//! Labels: the company's own contact labels, kept in groups up to four levels deep, and the
//! follower labels of WeChat official accounts (`wechat.rs`).
//!
//! Label and group ids are integers rather than UUIDs: the label filter reads an index of
//! `(label_id, contact)` entries, and a small key keeps that index dense (ARCHITECTURE.md).

mod catalog;
mod name;
mod wechat;

pub use catalog::*;
pub use name::*;
pub use wechat::*;

use crate::contact::{ContactId, WriteContext};
use crate::event::{Event, properties};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;

/// Deepest nesting of label groups: a group at depth 4 cannot hold another group.
pub const LABEL_GROUP_DEPTH_MAX: u8 = 4;

/// A contact label's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelId(pub i64);

/// A label group's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelGroupId(pub i64);

impl LabelId {
    /// Parse the decimal text form (a path segment, a query value).
    pub fn parse(input: &str, field: &str) -> crate::Result<Self> {
        parse_id(input, field).map(Self)
    }
}

impl std::fmt::Display for LabelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl LabelGroupId {
    /// Parse the decimal text form.
    pub fn parse(input: &str, field: &str) -> crate::Result<Self> {
        parse_id(input, field).map(Self)
    }
}

impl std::fmt::Display for LabelGroupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Parse a positive integer id.
pub fn parse_id(input: &str, field: &str) -> crate::Result<i64> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            crate::Error::invalid(
                crate::codes::INVALID_VALUE,
                format!("`{field}` is a label id: a positive whole number"),
                field,
                input,
            )
        })
}

/// A group of labels; groups nest up to [`LABEL_GROUP_DEPTH_MAX`] levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelGroup {
    /// Id.
    pub group_id: LabelGroupId,
    /// Name, unique among its siblings.
    pub name: String,
    /// The group it sits in; `None` at the top.
    pub parent_id: Option<LabelGroupId>,
    /// 1 at the top, at most [`LABEL_GROUP_DEPTH_MAX`].
    pub depth: u8,
}

/// A contact label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Id.
    pub label_id: LabelId,
    /// Name, unique within its group.
    pub name: String,
    /// The group it belongs to; `None` for a label outside any group.
    pub group_id: Option<LabelGroupId>,
    /// Hidden labels stay on contacts and in filters but are not offered for adding.
    pub hidden: bool,
    /// Contacts carrying it, exact.
    pub contacts: u64,
    /// When it was created.
    pub created_at: jiff::Timestamp,
}

/// A new label, as requested.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLabel {
    /// Name.
    pub name: String,
    /// Group to put it in; absent for none.
    #[serde(default)]
    pub group_id: Option<LabelGroupId>,
    /// Hidden from the start.
    #[serde(default)]
    pub hidden: bool,
}

/// A change of a label: rename, hide or show, move to another group.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// Hide or show.
    #[serde(default)]
    pub hidden: Option<bool>,
    /// New group; `null` moves it out of every group.
    #[serde(default, deserialize_with = "double_option")]
    pub group_id: Option<Option<LabelGroupId>>,
}

/// A new label group.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLabelGroup {
    /// Name.
    pub name: String,
    /// The group to nest it in; absent for the top level.
    #[serde(default)]
    pub parent_id: Option<LabelGroupId>,
}

/// Tell an absent field (`None`) from an explicit `null` (`Some(None)`).
fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The `label_add` or `label_remove` event of one contact.
pub fn label_event(
    contact_id: ContactId,
    key: &str,
    label: &Label,
    path: &str,
    context: &WriteContext,
) -> Event {
    Event::system(
        contact_id,
        key,
        context.at,
        properties([
            ("label", json!(path)),
            ("label_id", json!(label.label_id.0)),
            ("source", json!(context.source)),
        ]),
    )
}
