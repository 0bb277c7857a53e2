//! (to be ported from panorama-store-sqlite/src/owned.rs)
