//! Every text of the interface in English and Simplified Chinese, one file per area of the
//! interface. Keys are `area.what`; each file's table is sorted by key (a test checks), and no
//! key is in two files.

mod access;
mod behaviour;
mod contacts;
mod imports;
mod labels;
mod metadata;
mod shell;
mod sign_in;

/// The tables of every area.
pub const AREAS: [&[(&str, &str, &str)]; 8] = [
    shell::TEXTS,
    contacts::TEXTS,
    behaviour::TEXTS,
    labels::TEXTS,
    metadata::TEXTS,
    imports::TEXTS,
    sign_in::TEXTS,
    access::TEXTS,
];

/// `(English, Chinese)` for `key`, if any area defines it.
pub fn find(key: &str) -> Option<(&'static str, &'static str)> {
    AREAS.iter().find_map(|table| {
        let index = table.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok()?;
        let (_, en, zh) = table[index];
        Some((en, zh))
    })
}

/// Every entry of every area (for the tests that check the tables).
#[cfg(test)]
pub fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    AREAS.iter().flat_map(|table| table.iter())
}
