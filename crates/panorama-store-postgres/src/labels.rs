//! (to be ported from panorama-store-sqlite/src/labels.rs)
