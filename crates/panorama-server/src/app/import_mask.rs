//! Import previews and rejected rows as a principal may read them (issue 21, hole 4): mobiles and
//! emails masked as the contacts list masks them, whoever uploaded the file. A rejected row keeps
//! its row number, which is enough to find and fix it in the original file.

use super::mask::load_attribute_mask;
use crate::AppState;
use crate::principal::Principal;
use panorama_core::Result;
use panorama_core::mask::{AttributeMask, AttributeRule, mask_text};
use panorama_core::store::{ImportJob, JobRejection};
use serde_json::Value as Json;

/// The mask of one import's values for one principal: the attribute each column fills (from the
/// preview) decides how its cells are masked.
pub struct ImportMask {
    mask: AttributeMask,
    /// The target of each column in file order (`-` when dropped), as the preview names them.
    targets: Vec<(String, String)>,
}

impl ImportMask {
    /// The mask of `job`'s values for `principal` (nothing masked for an admin).
    pub async fn for_job(state: &AppState, principal: &Principal, job: &ImportJob) -> Result<Self> {
        let mask = load_attribute_mask(state, principal).await?;
        Ok(Self::new(mask, job.preview.as_ref().unwrap_or(&Json::Null)))
    }

    /// The mask `mask` over the columns of `preview`.
    pub fn new(mask: AttributeMask, preview: &Json) -> Self {
        let text = |v: &Json| v.as_str().unwrap_or_default().to_owned();
        let targets = preview["columns"]
            .as_array()
            .map(|columns| {
                columns
                    .iter()
                    .map(|c| (text(&c["header"]), text(&c["target"])))
                    .collect()
            })
            .unwrap_or_default();
        Self { mask, targets }
    }

    /// Whether anything is masked.
    pub fn is_masked(&self) -> bool {
        self.mask.is_masked()
    }

    /// A preview (its rows by attribute, its errors by column) masked in place.
    pub fn preview(&self, preview: &mut Json) {
        if !self.is_masked() {
            return;
        }
        if let Some(rows) = preview["rows"].as_array_mut() {
            for row in rows.iter_mut().filter_map(Json::as_object_mut) {
                for (name, value) in row.iter_mut() {
                    if let Some(masked) = self.mask.value(name, value) {
                        *value = masked;
                    }
                }
            }
        }
        if let Some(errors) = preview["errors"].as_array_mut() {
            for error in errors.iter_mut() {
                let raw = error["value"].as_str().unwrap_or_default().to_owned();
                let rule = self.rule_of_header(error["column"].as_str().unwrap_or_default());
                let masked = mask_cell(rule, &raw);
                if let Some(reason) = error["reason"].as_str() {
                    error["reason"] = Json::String(mask_reason(reason, &raw, &masked));
                }
                if error.get("value").is_some() {
                    error["value"] = Json::String(masked);
                }
            }
        }
    }

    /// A rejected row masked in place: its value by its column, its cells by theirs.
    pub fn rejection(&self, row: &mut JobRejection) {
        if !self.is_masked() {
            return;
        }
        let masked = mask_cell(self.rule_of_header(&row.column), &row.value);
        row.reason = mask_reason(&row.reason, &row.value, &masked);
        row.value = masked;
        for (i, cell) in row.cells.iter_mut().enumerate() {
            let rule = self
                .targets
                .get(i)
                .map_or(AttributeRule::Detect, |(_, target)| self.rule_of(target));
            *cell = mask_cell(rule, cell);
        }
    }

    fn rule_of_header(&self, header: &str) -> AttributeRule {
        self.targets
            .iter()
            .find(|(h, _)| h == header)
            .map_or(AttributeRule::Detect, |(_, target)| self.rule_of(target))
    }

    /// A column's rule: its attribute's, except that a cell of a number or date column that was
    /// rejected may hold any text, so it is checked like free text.
    fn rule_of(&self, target: &str) -> AttributeRule {
        match self.mask.rule(target) {
            AttributeRule::Keep => AttributeRule::Detect,
            rule => rule,
        }
    }
}

/// One cell masked under `rule` (as a string attribute's value).
fn mask_cell(rule: AttributeRule, cell: &str) -> String {
    match rule.mask(&Json::String(cell.to_owned())) {
        Some(Json::String(masked)) => masked,
        _ => cell.to_owned(),
    }
}

/// A reason that may quote the raw value, with it masked and any other mobile or email too.
fn mask_reason(reason: &str, raw: &str, masked: &str) -> String {
    let reason = if raw.is_empty() {
        reason.to_owned()
    } else {
        reason.replace(raw, masked)
    };
    mask_text(&reason).unwrap_or(reason)
}
