//! (to be ported from panorama-store-sqlite/src/jobs.rs)
