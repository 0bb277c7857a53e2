//! Pages in a real browser: Debian's Chromium against Panorama on 127.0.0.1:0.
//! Screenshots land in `target/screenshots/`.

mod access;
mod behaviour;
mod consent;
mod contact;
mod contact_zh;
mod contact_zh_write;
mod contacts;
mod contacts_bulk;
mod contacts_columns;
mod contacts_search;
mod every_page;
mod harness;
mod imports;
mod imports_mapping;
mod labels;
mod list_support;
mod metadata;
mod site;
