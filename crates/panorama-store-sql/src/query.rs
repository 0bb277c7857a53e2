//! A statement and its parameters, run on any [`Backend`]: `sql("…").bind(x).all::<B>(c)`.

use crate::arg::Arg;
use crate::backend::Backend;
use panorama_core::{Error, Result};
use std::borrow::Cow;

/// A statement's text and its bind parameters, in order (`$1`, `$2`, …: both databases read them).
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is run"]
pub struct Sql {
    text: Cow<'static, str>,
    args: Vec<Arg>,
}

/// A statement of `text`, with no parameters yet.
pub fn sql(text: impl Into<Cow<'static, str>>) -> Sql {
    Sql {
        text: text.into(),
        args: Vec::new(),
    }
}

impl Sql {
    /// Add the next parameter.
    pub fn bind(mut self, arg: impl Into<Arg>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Add the next parameter, already an [`Arg`] or an error building one.
    pub fn bind_arg(mut self, arg: Result<Arg>) -> Result<Self> {
        self.args.push(arg?);
        Ok(self)
    }

    /// Every row.
    pub async fn all<B: Backend>(self, conn: &mut B::Conn) -> Result<Vec<B::Row>> {
        B::fetch_all(conn, &self.text, self.args).await
    }

    /// The first row, if any.
    pub async fn optional<B: Backend>(self, conn: &mut B::Conn) -> Result<Option<B::Row>> {
        Ok(self.all::<B>(conn).await?.into_iter().next())
    }

    /// The first row; none is an internal error (the statement always returns one).
    pub async fn one<B: Backend>(self, conn: &mut B::Conn) -> Result<B::Row> {
        let text = self.text.clone();
        self.optional::<B>(conn)
            .await?
            .ok_or_else(|| Error::internal(format!("no row from: {text}")))
    }

    /// Run it; the number of rows it changed.
    pub async fn execute<B: Backend>(self, conn: &mut B::Conn) -> Result<u64> {
        B::execute(conn, &self.text, self.args).await
    }
}
