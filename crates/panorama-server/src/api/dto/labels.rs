//! The JSON shapes of label groups, labels, official accounts, fans and follower labels.

use panorama_core::label::{Fan, FollowerLabel, Label, LabelCatalog, LabelGroup, WechatAccount};
use panorama_core::value::format_timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A contact label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelDto {
    /// Id.
    pub label_id: i64,
    /// Name, unique within its group.
    pub name: String,
    /// Its groups and name, joined by ` / `.
    pub path: String,
    /// The group it is in; absent at the top.
    pub group_id: Option<i64>,
    /// Hidden labels stay on contacts but are not offered for adding.
    pub hidden: bool,
    /// Contacts carrying it, exact.
    pub contacts: u64,
    /// When it was created (RFC 3339).
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl LabelDto {
    /// A label with its path in `catalog`.
    pub fn of(label: &Label, catalog: &LabelCatalog) -> Self {
        Self {
            label_id: label.label_id.0,
            name: label.name.clone(),
            path: catalog.path(label),
            group_id: label.group_id.map(|g| g.0),
            hidden: label.hidden,
            contacts: label.contacts,
            created_at: format_timestamp(label.created_at),
        }
    }
}

/// A label group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelGroupDto {
    /// Id.
    pub group_id: i64,
    /// Name, unique among its siblings.
    pub name: String,
    /// The group it is in; absent at the top.
    pub parent_id: Option<i64>,
    /// 1 at the top, at most 4.
    pub depth: u8,
}

impl From<&LabelGroup> for LabelGroupDto {
    fn from(group: &LabelGroup) -> Self {
        Self {
            group_id: group.group_id.0,
            name: group.name.clone(),
            parent_id: group.parent_id.map(|p| p.0),
            depth: group.depth,
        }
    }
}

/// Every group and label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelCatalogDto {
    /// Groups, top levels first.
    pub groups: Vec<LabelGroupDto>,
    /// Labels, by path.
    pub labels: Vec<LabelDto>,
}

/// A new label (documentation of the body).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewLabelDoc {
    /// Name: 1 to 64 characters, unique within the group.
    pub name: String,
    /// Group to put it in.
    pub group_id: Option<i64>,
    /// Hidden from the start.
    pub hidden: Option<bool>,
}

/// A change of a label (documentation of the body).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LabelPatchDoc {
    /// New name.
    pub name: Option<String>,
    /// Hide (`true`) or show.
    pub hidden: Option<bool>,
    /// New group; `null` moves it to the top.
    pub group_id: Option<i64>,
}

/// A new label group (documentation of the body).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewLabelGroupDoc {
    /// Name: 1 to 64 characters, unique among its siblings.
    pub name: String,
    /// The group to nest it in (groups nest at most 4 levels).
    pub parent_id: Option<i64>,
}

/// A name, to rename something.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameBody {
    /// The new name.
    pub name: String,
}

/// A label id, to put a label on a contact.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelRef {
    /// The label.
    pub label_id: i64,
}

/// The labels a contact carries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactLabelsDto {
    /// The labels, by name.
    pub items: Vec<LabelDto>,
}

/// A registered WeChat official account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WechatAccountDto {
    /// App id.
    pub app_id: String,
    /// Name.
    pub name: String,
    /// When it was registered (RFC 3339).
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<WechatAccount> for WechatAccountDto {
    fn from(account: WechatAccount) -> Self {
        Self {
            app_id: account.app_id,
            name: account.name,
            created_at: format_timestamp(account.created_at),
        }
    }
}

/// An official account to register or rename.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WechatAccountInput {
    /// App id: 1 to 32 ASCII letters, digits, `_` or `-` (WeChat's are `wx` and 16 hex digits).
    pub app_id: String,
    /// Name.
    pub name: String,
}

/// A follower label of one account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowerLabelDto {
    /// Id.
    pub label_id: i64,
    /// The account.
    pub app_id: String,
    /// Name (at most 30 bytes).
    pub name: String,
    /// Fans carrying it (in account listings; 0 elsewhere).
    pub fans: u64,
}

impl From<FollowerLabel> for FollowerLabelDto {
    fn from(label: FollowerLabel) -> Self {
        Self {
            label_id: label.label_id,
            app_id: label.app_id,
            name: label.name,
            fans: label.fans,
        }
    }
}

/// A contact as the fan of one account, with its follower labels.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FanDto {
    /// The account.
    pub app_id: String,
    /// The account's name.
    pub account_name: String,
    /// The openid the account knows the contact by.
    pub openid: String,
    /// Follows the account now.
    pub following: bool,
    /// When the follow state last changed (RFC 3339).
    #[schema(format = DateTime)]
    pub changed_at: String,
    /// Follower labels (at most 20).
    pub labels: Vec<FollowerLabelDto>,
}

impl From<Fan> for FanDto {
    fn from(fan: Fan) -> Self {
        Self {
            app_id: fan.app_id,
            account_name: fan.account_name,
            openid: fan.openid,
            following: fan.following,
            changed_at: format_timestamp(fan.changed_at),
            labels: fan.labels.into_iter().map(Into::into).collect(),
        }
    }
}

/// A contact's fan records, one per account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactFansDto {
    /// The fan records, by account name.
    pub items: Vec<FanDto>,
}

/// A fan record to save.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FanInput {
    /// The openid the account knows the contact by.
    pub openid: String,
    /// Follows the account now (default true).
    #[serde(default = "yes")]
    pub following: bool,
}

fn yes() -> bool {
    true
}
