//! (to be ported from panorama-store-sqlite/src/wechat.rs)
