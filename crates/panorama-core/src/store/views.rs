//! `ViewStore`: what each user chose to see in a list (the contacts list's columns), remembered
//! across sessions and devices.

use crate::error::Result;
use async_trait::async_trait;

/// Saved list views: one store area of [`super::Store`].
#[async_trait]
pub trait ViewStore: Send + Sync {
    /// The columns `user` saved for `view` (`contacts`), as saved; `None` when never saved.
    async fn get_view(&self, user: &str, view: &str) -> Result<Option<Vec<String>>>;
    /// Save the columns of `view` for `user`, replacing what was there.
    async fn put_view(&self, user: &str, view: &str, columns: &[String]) -> Result<()>;
}
