//! `JobId`: a job's id, a UUID v7 kept as text, so jobs sort by creation time and an id from a URL
//! needs no parsing before the store is asked (an id it does not know reads as no job).

use std::fmt;
use uuid::Uuid;

/// A job's id. Made by [`JobId::new`] (a UUID v7); any text may be wrapped ([`From`]) to look a
/// job up: the store answers none for text that names no job, malformed or not.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct JobId(String);

impl JobId {
    /// A fresh id: a UUID v7, like core's other ids, for the same time ordering.
    pub fn new() -> Self {
        Self(Uuid::now_v7().to_string())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as a UUID, as the store keeps it; `None` for text that is not one (it names no job).
    pub fn uuid(&self) -> Option<Uuid> {
        Uuid::parse_str(&self.0).ok()
    }
}

impl Default for JobId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for JobId {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for JobId {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<JobId> for String {
    fn from(id: JobId) -> Self {
        id.0
    }
}

impl AsRef<str> for JobId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_and_any_text_looks_one_up() {
        let first = JobId::new();
        assert_eq!(first.uuid().map(|u| u.get_version_num()), Some(7));
        assert_eq!(JobId::from("not-a-uuid").uuid(), None);
        assert_eq!(JobId::from(first.to_string()), first);
    }
}
