//! `ImportMappingStore`: column mappings an operator saved, offered again for the next file with
//! the same headers (the same export from the same system, month after month).

use crate::error::Result;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A saved mapping: what each header of a file becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMapping {
    /// [`headers_key`] of `headers`: how the mapping is found again.
    pub headers_key: String,
    /// The file's headers, in file order.
    pub headers: Vec<String>,
    /// Header → attribute machine name, subscription column, or `-` (ignored).
    pub map: BTreeMap<String, String>,
    /// Who saved it.
    pub saved_by: String,
    /// When.
    pub saved_at: jiff::Timestamp,
}

/// The key of a file's headers: the SHA-256 (hex) of the headers trimmed and in lower case,
/// in file order, so the same export finds its mapping whatever case a system writes.
pub fn headers_key(headers: &[String]) -> String {
    let mut hash = Sha256::new();
    for header in headers {
        hash.update(header.trim().to_lowercase().as_bytes());
        // A separator no header holds (headers refuse control characters).
        hash.update([0x1F]);
    }
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Saved import mappings: one store area of [`super::Store`].
#[async_trait]
pub trait ImportMappingStore: Send + Sync {
    /// Save `mapping`, replacing the one saved for the same headers.
    async fn save_import_mapping(&self, mapping: &ImportMapping) -> Result<()>;
    /// The mapping saved for headers with key `headers_key`, if any.
    async fn import_mapping(&self, headers_key: &str) -> Result<Option<ImportMapping>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_ignores_case_and_spaces_around_but_not_order() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let key = headers_key(&names(&["姓名", "Mobile"]));
        assert_eq!(key, headers_key(&names(&[" 姓名", "mobile "])));
        assert_ne!(key, headers_key(&names(&["Mobile", "姓名"])));
        assert_ne!(key, headers_key(&names(&["姓名Mobile"])));
        assert_eq!(key.len(), 64);
    }
}
