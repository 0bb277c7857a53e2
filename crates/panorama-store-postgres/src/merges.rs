//! (to be ported from panorama-store-sqlite/src/merges.rs)
