//! (to be ported from panorama-store-sqlite/src/export.rs)
