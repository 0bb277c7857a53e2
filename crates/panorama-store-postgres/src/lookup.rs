//! (to be ported from panorama-store-sqlite/src/lookup.rs)
