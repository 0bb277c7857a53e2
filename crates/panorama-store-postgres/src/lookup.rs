//! Look-ups by many values at once: PostgreSQL takes the whole list as one array bind
//! (`= ANY($1::uuid[])`, `unnest(...)`), so there is no chunking and no JSON folding here, only
//! the conversion of ids to the array element type.

use panorama_core::contact::ContactId;
use uuid::Uuid;

/// Contact ids as a `uuid[]` bind.
pub(crate) fn uuids<'a>(ids: impl IntoIterator<Item = &'a ContactId>) -> Vec<Uuid> {
    ids.into_iter().map(ContactId::uuid).collect()
}
