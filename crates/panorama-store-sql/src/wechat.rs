//! The store's WeChat accounts, fans and follower labels (WechatStore), written once over [`Backend`](crate::Backend).

/// What wechat needs that differs between databases (SQL text, batch primitives).
pub trait WechatSql: Send + Sync {}
