//! Contact categories (real-name, anonymous, WeChat fan), derived from values on every write.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// A category tab of the contacts list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Every contact.
    All,
    /// Mobile or email has a value.
    RealName,
    /// Neither mobile nor email has a value.
    Anonymous,
    /// `wechat_openid` has a value; may also be real-name.
    WechatFan,
}

impl Category {
    /// Parse the snake_case name.
    pub fn parse(input: &str) -> crate::Result<Self> {
        serde_json::from_value(Json::String(input.to_owned())).map_err(|_| {
            crate::Error::invalid(
                crate::codes::BAD_REQUEST,
                "category is one of all, real_name, anonymous, wechat_fan",
                "category",
                input,
            )
        })
    }
}

/// The categories one contact belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Categories {
    /// Has a mobile or an email.
    pub real_name: bool,
    /// Has a WeChat openid.
    pub wechat_fan: bool,
}

impl Categories {
    /// Derive categories from attribute values.
    pub fn of(attributes: &BTreeMap<String, Json>) -> Self {
        let has = |name: &str| attributes.get(name).is_some_and(|v| !v.is_null());
        Self {
            real_name: has("mobile") || has("email"),
            wechat_fan: has("wechat_openid"),
        }
    }

    /// Anonymous is the complement of real-name.
    pub fn anonymous(&self) -> bool {
        !self.real_name
    }

    /// The category names, for the API.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = vec![if self.real_name {
            "real_name"
        } else {
            "anonymous"
        }];
        if self.wechat_fan {
            names.push("wechat_fan");
        }
        names
    }
}
