//! What an import does with its rows, and the operator's options.

use crate::options::ReadOptions;
use panorama_core::contact::Channel;
use panorama_core::mobile::DefaultCountry;
use panorama_core::{Error, Result, codes};

/// Rows converted and written per transaction: large enough for multi-row statements to pay,
/// small enough that a stop loses little work and memory stays flat.
pub const IMPORT_BATCH_ROWS: usize = 5_000;
/// Rows shown by a preview.
pub const PREVIEW_ROWS: usize = 20;
/// Errors kept in a report (every rejected row still goes to the rejected-rows file).
pub const REPORT_ERRORS_MAX: usize = 100;

/// What an import does with each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Create or update contacts by their key values (the default).
    Upsert,
    /// Delete the contacts the rows' keys find.
    Delete,
    /// Turn the email channel off for the contacts found.
    UnsubscribeEmail,
    /// Turn the mobile channel off for the contacts found.
    UnsubscribeMobile,
    /// Turn the global channel off for the contacts found.
    UnsubscribeGlobal,
}

impl Purpose {
    /// Every purpose, in menu order.
    pub const ALL: [Purpose; 5] = [
        Self::Upsert,
        Self::Delete,
        Self::UnsubscribeEmail,
        Self::UnsubscribeMobile,
        Self::UnsubscribeGlobal,
    ];

    /// The kebab-case name used by the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upsert => "upsert",
            Self::Delete => "delete",
            Self::UnsubscribeEmail => "unsubscribe-email",
            Self::UnsubscribeMobile => "unsubscribe-mobile",
            Self::UnsubscribeGlobal => "unsubscribe-global",
        }
    }

    /// Parse the kebab-case name.
    pub fn parse(input: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == input.trim()).ok_or_else(|| {
            Error::invalid(
                codes::BAD_REQUEST,
                "purpose is one of upsert, delete, unsubscribe-email, unsubscribe-mobile, unsubscribe-global",
                "purpose",
                input,
            )
        })
    }

    /// The channel an unsubscribe purpose turns off.
    pub fn channel(self) -> Option<Channel> {
        match self {
            Self::UnsubscribeEmail => Some(Channel::Email),
            Self::UnsubscribeMobile => Some(Channel::Mobile),
            Self::UnsubscribeGlobal => Some(Channel::Global),
            Self::Upsert | Self::Delete => None,
        }
    }
}

/// What an empty cell means for an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyCells {
    /// Keep the stored value (the default).
    #[default]
    Keep,
    /// Clear the stored value.
    Clear,
    /// Set the attribute's default value (clear when it has none).
    Default,
}

impl EmptyCells {
    /// Parse `keep`, `clear` or `default`.
    pub fn parse(input: &str) -> Result<Self> {
        match input.trim() {
            "keep" => Ok(Self::Keep),
            "clear" => Ok(Self::Clear),
            "default" => Ok(Self::Default),
            other => Err(Error::invalid(
                codes::BAD_REQUEST,
                "empty is one of keep, clear, default",
                "empty",
                other,
            )),
        }
    }
}

/// Everything the operator chose for one import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// What to do with the rows.
    pub purpose: Option<Purpose>,
    /// How to read the file.
    pub read: ReadOptions,
    /// Explicit `COLUMN=attribute` choices.
    pub map: Vec<(String, String)>,
    /// Drop columns that match no attribute instead of refusing the file.
    pub drop_unknown: bool,
    /// What an empty cell means.
    pub empty: EmptyCells,
    /// Country for mobile numbers without a country code.
    pub default_country: DefaultCountry,
    /// Skip `user_created` and `attribute_change` events.
    pub fast: bool,
    /// Labels to add to every imported contact.
    pub labels: Vec<String>,
}

impl ImportOptions {
    /// The purpose, `upsert` when none was chosen.
    pub fn purpose(&self) -> Purpose {
        self.purpose.unwrap_or(Purpose::Upsert)
    }
}
