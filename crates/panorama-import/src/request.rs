//! Import options as the API and the job record carry them: plain names, checked into
//! [`ImportOptions`] at the edge.

use crate::encoding::TextEncoding;
use crate::options::ReadOptions;
use crate::purpose::{EmptyCells, ImportOptions, Purpose};
use panorama_core::mobile::DefaultCountry;
use panorama_core::{Error, Result, codes};

/// The options of an import as text, the way a form, a query or a job record holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImportRequest {
    /// `upsert` (default), `delete`, `unsubscribe-email`, `unsubscribe-mobile`, `unsubscribe-global`.
    pub purpose: Option<String>,
    /// Text encoding of a CSV file; detected when absent.
    pub encoding: Option<String>,
    /// `COLUMN=attribute` choices.
    pub map: Vec<String>,
    /// Drop unknown columns.
    pub drop_unknown: bool,
    /// `keep` (default), `clear` or `default`.
    pub empty: Option<String>,
    /// ISO country for mobiles without a country code (default CN).
    pub default_country: Option<String>,
    /// Skip `user_created` and `attribute_change` events.
    pub fast: bool,
    /// Labels for every imported contact.
    pub labels: Vec<String>,
}

impl ImportRequest {
    /// Check every option, naming the one at fault.
    pub fn options(&self, file_bytes_max: u64) -> Result<ImportOptions> {
        let map = self
            .map
            .iter()
            .filter(|pair| !pair.trim().is_empty())
            .map(|pair| {
                pair.split_once('=')
                    .map(|(column, attribute)| {
                        (column.trim().to_owned(), attribute.trim().to_owned())
                    })
                    .ok_or_else(|| {
                        Error::invalid(
                            codes::BAD_REQUEST,
                            "a mapping is COLUMN=attribute",
                            "map",
                            pair,
                        )
                    })
            })
            .collect::<Result<_>>()?;
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(ImportOptions {
            purpose: text(&self.purpose)
                .map(|p| Purpose::parse(&p))
                .transpose()?,
            read: ReadOptions {
                file_bytes_max,
                encoding: text(&self.encoding)
                    .map(|e| TextEncoding::parse(&e))
                    .transpose()?,
                ..ReadOptions::default()
            },
            map,
            drop_unknown: self.drop_unknown,
            empty: text(&self.empty)
                .map(|e| EmptyCells::parse(&e))
                .transpose()?
                .unwrap_or_default(),
            default_country: text(&self.default_country)
                .map(|c| DefaultCountry::parse(&c))
                .transpose()?
                .unwrap_or_default(),
            fast: self.fast,
            labels: self
                .labels
                .iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
        })
    }
}
