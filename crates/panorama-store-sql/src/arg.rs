//! Bind parameters as values the store's code builds without knowing the database: each backend
//! turns an [`Arg`] into its own type (a UUID is `uuid` on PostgreSQL and text on SQLite, JSON is
//! `jsonb` or text, a list is an array or a JSON array for `json_each`).

use panorama_core::contact::ContactId;
use uuid::Uuid;

/// One bind parameter. Every variant carries its type even when `NULL`, because PostgreSQL types
/// each parameter of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `bigint` / `INTEGER`.
    I64(Option<i64>),
    /// `double precision` / `REAL`.
    F64(Option<f64>),
    /// `boolean` / `INTEGER` 0 or 1.
    Bool(Option<bool>),
    /// `text` / `TEXT`.
    Text(Option<String>),
    /// `uuid` / `TEXT` in the hyphenated form.
    Id(Option<Uuid>),
    /// `jsonb` / `TEXT` holding JSON.
    Json(Option<serde_json::Value>),
    /// A list of integers: `bigint[]` / a JSON array.
    I64s(Vec<i64>),
    /// A list of texts: `text[]` / a JSON array.
    Texts(Vec<String>),
    /// A list of ids: `uuid[]` / a JSON array of hyphenated texts.
    Ids(Vec<Uuid>),
}

impl Arg {
    /// `value` as JSON (it serializes; a failure is a bug in a domain type, kept as an error).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> panorama_core::Result<Self> {
        serde_json::to_value(value)
            .map(|v| Self::Json(Some(v)))
            .map_err(panorama_core::Error::internal)
    }

    /// The ids of `contacts` as one list parameter.
    pub fn contact_ids<'a>(contacts: impl IntoIterator<Item = &'a ContactId>) -> Self {
        Self::Ids(contacts.into_iter().map(|id| id.uuid()).collect())
    }
}

macro_rules! arg_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                let conv: fn($t) -> _ = $conv;
                Arg::$variant(conv(value))
            }
        }
    )*};
}

arg_from!(I64: i64 => Some, Option<i64> => |v| v, &i64 => |v| Some(*v), u8 => |v| Some(i64::from(v)),
    i32 => |v| Some(i64::from(v)), u32 => |v| Some(i64::from(v)));
arg_from!(F64: f64 => Some, Option<f64> => |v| v);
arg_from!(Bool: bool => Some, Option<bool> => |v| v);
arg_from!(Text: &str => |v| Some(v.to_owned()), String => Some, &String => |v| Some(v.clone()),
    Option<String> => |v| v, Option<&str> => |v| v.map(str::to_owned),
    &Option<String> => |v| v.clone());
arg_from!(Id: Uuid => Some, Option<Uuid> => |v| v, ContactId => |v| Some(v.uuid()),
    &ContactId => |v| Some(v.uuid()), Option<ContactId> => |v| v.map(|id| id.uuid()));
arg_from!(Json: serde_json::Value => Some, &serde_json::Value => |v| Some(v.clone()),
    Option<serde_json::Value> => |v| v);
arg_from!(I64s: Vec<i64> => |v| v, &[i64] => |v| v.to_vec());
arg_from!(Texts: Vec<String> => |v| v, &[String] => |v| v.to_vec());
arg_from!(Ids: Vec<Uuid> => |v| v, &[ContactId] => |v| v.iter().map(|id| id.uuid()).collect());
