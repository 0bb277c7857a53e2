//! WeChat official accounts, their fans and follower labels, with WeChat's limits.
//!
//! A contact may follow several official accounts, each knowing them by its own openid. Follower
//! labels (WeChat "tags") belong to one account. Talking to WeChat is out of scope: these are the
//! records a sync would fill.

use super::parse_follower_label_name;
use crate::contact::{ContactId, WriteContext};
use crate::error::{Error, Result, codes};
use crate::event::{Event, properties};
use serde_json::json;

/// Most follower labels one official account may define (WeChat's limit).
pub const FOLLOWER_LABELS_PER_ACCOUNT_MAX: usize = 100;
/// Most follower labels one fan may carry per account (WeChat's limit).
pub const FOLLOWER_LABELS_PER_FAN_MAX: usize = 20;

/// A registered official account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatAccount {
    /// WeChat's app id (`wx...`), the account's key.
    pub app_id: String,
    /// Display name.
    pub name: String,
    /// When it was registered.
    pub created_at: jiff::Timestamp,
}

/// A follower label of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowerLabel {
    /// Id, unique across accounts.
    pub label_id: i64,
    /// The account it belongs to.
    pub app_id: String,
    /// Name, at most [`super::FOLLOWER_LABEL_NAME_BYTES_MAX`] bytes, unique within the account.
    pub name: String,
    /// Fans carrying it (filled by listings; 0 elsewhere).
    pub fans: u64,
}

/// A contact as the fan of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fan {
    /// The contact.
    pub contact_id: ContactId,
    /// The account.
    pub app_id: String,
    /// The account's name.
    pub account_name: String,
    /// The openid the account knows the contact by.
    pub openid: String,
    /// Whether the contact follows the account now.
    pub following: bool,
    /// When the follow state last changed.
    pub changed_at: jiff::Timestamp,
    /// Follower labels on this fan.
    pub labels: Vec<FollowerLabel>,
}

/// A fan record to save: the openid and the follow state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFan {
    /// The openid, checked by [`super::parse_openid`].
    pub openid: String,
    /// Follows now.
    pub following: bool,
}

/// Check a new follower label against its account's labels: the name is free and the account is
/// below [`FOLLOWER_LABELS_PER_ACCOUNT_MAX`].
pub fn check_new_follower_label(
    app_id: &str,
    existing: &[FollowerLabel],
    name: &str,
) -> Result<String> {
    let name = parse_follower_label_name(name)?;
    if existing.iter().any(|l| l.name == name) {
        return Err(Error::invalid(
            codes::DUPLICATE_NAME,
            format!("the account `{app_id}` already has a follower label `{name}`"),
            "name",
            &name,
        ));
    }
    if existing.len() >= FOLLOWER_LABELS_PER_ACCOUNT_MAX {
        return Err(Error::invalid(
            codes::LIMIT_EXCEEDED,
            format!(
                "an official account has at most {FOLLOWER_LABELS_PER_ACCOUNT_MAX} follower labels (FOLLOWER_LABELS_PER_ACCOUNT_MAX); `{app_id}` has {}",
                existing.len()
            ),
            "app_id",
            app_id,
        ));
    }
    Ok(name)
}

/// Check that a fan carrying `carried` labels of an account may take one more.
pub fn check_fan_label_count(app_id: &str, carried: usize) -> Result<()> {
    if carried >= FOLLOWER_LABELS_PER_FAN_MAX {
        return Err(Error::invalid(
            codes::LIMIT_EXCEEDED,
            format!(
                "a fan carries at most {FOLLOWER_LABELS_PER_FAN_MAX} follower labels per account (FOLLOWER_LABELS_PER_FAN_MAX); this fan of `{app_id}` has {carried}"
            ),
            "label_id",
            app_id,
        ));
    }
    Ok(())
}

/// The refusal for a follower label on a contact that does not follow its account.
pub fn not_a_fan(contact_id: ContactId, app_id: &str) -> Error {
    Error::invalid(
        codes::INVALID_VALUE,
        format!(
            "contact {contact_id} is not a fan of the official account `{app_id}`; record the fan first"
        ),
        "app_id",
        app_id,
    )
}

/// The `follower_label_add` or `follower_label_remove` event of one fan.
pub fn follower_label_event(
    contact_id: ContactId,
    key: &str,
    label: &FollowerLabel,
    context: &WriteContext,
) -> Event {
    Event::system(
        contact_id,
        key,
        context.at,
        properties([
            ("app_id", json!(label.app_id)),
            ("label", json!(label.name)),
            ("label_id", json!(label.label_id)),
            ("source", json!(context.source)),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(count: usize) -> Vec<FollowerLabel> {
        (0..count)
            .map(|i| FollowerLabel {
                label_id: i64::try_from(i).unwrap_or(0),
                app_id: "wx1".into(),
                name: format!("tag {i}"),
                fans: 0,
            })
            .collect()
    }

    #[test]
    fn the_101st_account_label_is_refused() {
        assert!(check_new_follower_label("wx1", &labels(99), "new").is_ok());
        let refused = check_new_follower_label("wx1", &labels(100), "new").expect_err("101st");
        assert_eq!(refused.code, codes::LIMIT_EXCEEDED);
        assert!(refused.detail.contains("at most 100"));
        let taken = check_new_follower_label("wx1", &labels(3), "tag 1").expect_err("taken");
        assert_eq!(taken.code, codes::DUPLICATE_NAME);
    }

    #[test]
    fn the_21st_fan_label_is_refused() {
        assert!(check_fan_label_count("wx1", 19).is_ok());
        let refused = check_fan_label_count("wx1", 20).expect_err("21st");
        assert_eq!(refused.code, codes::LIMIT_EXCEEDED);
        assert!(refused.detail.contains("at most 20"));
    }
}
