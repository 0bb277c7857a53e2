//! The one error type every layer speaks: a stable code, a sentence for people, and the field at fault.

use std::fmt;

/// What kind of failure this is; the HTTP layer maps each kind to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or breaks a rule (422/400).
    Invalid,
    /// The named thing does not exist (404).
    NotFound,
    /// The input is valid but clashes with stored state (409).
    Conflict,
    /// The acting principal may not do this (403).
    Forbidden,
    /// Storage or another internal part failed; the detail is logged, not shown (500).
    Internal,
}

/// An error with a stable machine-readable `code`, a human `detail`, and the offending field and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// How the failure is classified.
    pub kind: ErrorKind,
    /// Stable snake_case code clients may match on (see [`codes`]).
    pub code: &'static str,
    /// A sentence a person understands.
    pub detail: String,
    /// The field (attribute, parameter) at fault, when there is one.
    pub field: Option<String>,
    /// The offending value, when there is one.
    pub value: Option<String>,
}

/// Result with Panorama's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable error codes. They are part of the API: never rename one.
pub mod codes {
    /// An attribute the schema does not define.
    pub const UNKNOWN_ATTRIBUTE: &str = "unknown_attribute";
    /// An event key no event definition has.
    pub const UNKNOWN_EVENT: &str = "unknown_event";
    /// A merge that can no longer be undone: something changed since.
    pub const MERGE_NOT_UNDOABLE: &str = "merge_not_undoable";
    /// A value that does not fit its attribute's type.
    pub const INVALID_VALUE: &str = "invalid_value";
    /// A string longer than its attribute allows.
    pub const VALUE_TOO_LONG: &str = "value_too_long";
    /// A mobile number that cannot be a real number.
    pub const INVALID_MOBILE: &str = "invalid_mobile";
    /// An email address that breaks the address rules.
    pub const INVALID_EMAIL: &str = "invalid_email";
    /// A record without any identifying key value.
    pub const NO_KEY_VALUE: &str = "no_key_value";
    /// A write to a computed attribute.
    pub const COMPUTED_ATTRIBUTE: &str = "computed_attribute";
    /// A null written to an attribute that may not be empty.
    pub const NOT_NULLABLE: &str = "not_nullable";
    /// A name that is not ASCII snake_case or is reserved.
    pub const INVALID_NAME: &str = "invalid_name";
    /// A definition whose fields contradict each other.
    pub const INVALID_DEFINITION: &str = "invalid_definition";
    /// A name or display name already taken.
    pub const DUPLICATE_NAME: &str = "duplicate_name";
    /// The custom attribute limit is reached.
    pub const CUSTOM_ATTRIBUTES_LIMIT: &str = "custom_attributes_limit";
    /// Primary key requested on an attribute whose values are not unique.
    pub const DUPLICATE_VALUES: &str = "duplicate_values";
    /// A change that preset definitions do not allow.
    pub const PRESET_IMMUTABLE: &str = "preset_immutable";
    /// A request exceeding a named limit.
    pub const LIMIT_EXCEEDED: &str = "limit_exceeded";
    /// A malformed request body or parameter.
    pub const BAD_REQUEST: &str = "bad_request";
    /// No credentials, or credentials that are unknown, revoked or expired.
    pub const UNAUTHENTICATED: &str = "unauthenticated";
    /// A change that would leave no admin.
    pub const LAST_ADMIN: &str = "last_admin";
    /// An API key asking faster than its rate.
    pub const RATE_LIMITED: &str = "rate_limited";
    /// The acting principal's role does not allow this.
    pub const FORBIDDEN: &str = "forbidden";
    /// The thing asked for does not exist.
    pub const NOT_FOUND: &str = "not_found";
    /// Storage failed.
    pub const INTERNAL: &str = "internal";
    /// Turning a channel on without the source and consent note an opt-in needs.
    pub const CONSENT_REQUIRED: &str = "consent_required";
    /// Deleting a label group that still holds labels or groups.
    pub const GROUP_NOT_EMPTY: &str = "group_not_empty";
    /// Sorting by an attribute whose values are masked for the acting principal.
    pub const MASKED_ATTRIBUTE: &str = "masked_attribute";
    /// A text holding U+0000 or another control character its field does not allow.
    pub const CONTROL_CHARACTER: &str = "control_character";
}

impl Error {
    /// A rule-breaking input, naming the field and the value.
    pub fn invalid(
        code: &'static str,
        detail: impl Into<String>,
        field: impl Into<String>,
        value: impl fmt::Display,
    ) -> Self {
        Self {
            kind: ErrorKind::Invalid,
            code,
            detail: detail.into(),
            field: Some(field.into()),
            value: Some(value.to_string()),
        }
    }

    /// A rule-breaking input that concerns a field but no single value.
    pub fn invalid_field(
        code: &'static str,
        detail: impl Into<String>,
        field: impl Into<String>,
    ) -> Self {
        Self {
            kind: ErrorKind::Invalid,
            code,
            detail: detail.into(),
            field: Some(field.into()),
            value: None,
        }
    }

    /// A missing thing: `what` is its kind ("contact", "attribute"), `key` how it was asked for.
    pub fn not_found(what: &str, key: impl fmt::Display) -> Self {
        Self {
            kind: ErrorKind::NotFound,
            code: codes::NOT_FOUND,
            detail: format!("{what} `{key}` does not exist"),
            field: None,
            value: Some(key.to_string()),
        }
    }

    /// A clash with stored state.
    pub fn conflict(
        code: &'static str,
        detail: impl Into<String>,
        field: impl Into<String>,
    ) -> Self {
        Self {
            kind: ErrorKind::Conflict,
            code,
            detail: detail.into(),
            field: Some(field.into()),
            value: None,
        }
    }

    /// An internal failure; `detail` is for logs.
    pub fn internal(detail: impl fmt::Display) -> Self {
        Self {
            kind: ErrorKind::Internal,
            code: codes::INTERNAL,
            detail: detail.to_string(),
            field: None,
            value: None,
        }
    }

    /// Attach the value at fault.
    pub fn with_value(mut self, value: impl fmt::Display) -> Self {
        self.value = Some(value.to_string());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.detail)?;
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`")?;
            if let Some(value) = &self.value {
                write!(f, ", value `{value}`")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
