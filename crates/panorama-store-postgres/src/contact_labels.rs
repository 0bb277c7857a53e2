//! (to be ported from panorama-store-sqlite/src/contact_labels.rs)
