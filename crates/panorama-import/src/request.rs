//! Import options as the API and the job record carry them ([`ImportRequest`], kept in core as
//! the import job's options): plain names, checked into [`ImportOptions`] at the edge.

use crate::encoding::TextEncoding;
use crate::options::ReadOptions;
use crate::purpose::{EmptyCells, ImportOptions, Purpose};
use panorama_core::mobile::DefaultCountry;
use panorama_core::{Error, Result, codes};

pub use panorama_core::store::ImportRequest;

impl ImportOptions {
    /// The options `request` names, each checked (naming the one at fault), reading files of at
    /// most `file_bytes_max` bytes.
    pub fn from_request(request: &ImportRequest, file_bytes_max: u64) -> Result<Self> {
        let map = request
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
            purpose: text(&request.purpose)
                .map(|p| Purpose::parse(&p))
                .transpose()?,
            read: ReadOptions {
                file_bytes_max,
                encoding: text(&request.encoding)
                    .map(|e| TextEncoding::parse(&e))
                    .transpose()?,
                ..ReadOptions::default()
            },
            map,
            drop_unknown: request.drop_unknown,
            empty: text(&request.empty)
                .map(|e| EmptyCells::parse(&e))
                .transpose()?
                .unwrap_or_default(),
            default_country: text(&request.default_country)
                .map(|c| DefaultCountry::parse(&c))
                .transpose()?
                .unwrap_or_default(),
            fast: request.fast,
            labels: request
                .labels
                .iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
        })
    }
}
