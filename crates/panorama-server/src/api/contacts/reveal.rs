//! `POST /api/v1/contacts/{contact_id}/reveal`: one masked value, whole, for a principal allowed
//! to reveal it (PRODUCT.md §8). Each answer is one audited act, so the route reveals exactly one
//! attribute of one contact and nothing that was not masked.

use super::load_schema;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::Principal;
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::contact::ContactId;
use panorama_core::mask::{AttributeMask, AttributeRule, Masking};
use panorama_core::{Error, ErrorKind, codes};
use serde::{Deserialize, Serialize};
use serde_json::Value as JsonValue;
use utoipa::ToSchema;

/// Which value to reveal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    /// The attribute's machine name: `mobile`, `email`, or another attribute whose value is
    /// masked (one named like `backup_email`, or free text holding an address).
    pub attribute: String,
}

/// The value as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevealResponse {
    /// The attribute revealed.
    pub attribute: String,
    /// Its value as stored; `null` when the contact has none.
    #[schema(value_type = Option<Object>)]
    pub value: Option<JsonValue>,
}

/// Reveal one masked value of a contact. Admins, and marketers an admin granted the right to,
/// may; viewers never. Every reveal is recorded in the audit log.
#[utoipa::path(
    post, path = "/api/v1/contacts/{contact_id}/reveal", operation_id = "reveal_contact_value",
    tag = "contacts",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    request_body = RevealRequest,
    responses(
        (status = 200, description = "The value as stored", body = RevealResponse),
        (status = 403, description = "The principal may not reveal values (`forbidden`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a UUID, or an attribute that is unknown or never masked \
            (field `attribute`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn reveal(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiJson(request): ApiJson<RevealRequest>,
) -> Result<Json<RevealResponse>, ApiError> {
    if !principal.can_reveal() {
        return Err(refused(&principal).into());
    }
    let id = ContactId::parse(&contact_id)?;
    let contact = state
        .store
        .get_contact(id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?;
    let schema = load_schema(&state).await?;
    let name = request.attribute.trim();
    if schema.get(name).is_none() {
        return Err(Error::invalid(
            codes::UNKNOWN_ATTRIBUTE,
            format!("there is no attribute `{name}`"),
            "attribute",
            name,
        )
        .into());
    }
    let value = contact.attributes.get(name).cloned();
    // What a masked principal would see decides what may be revealed, whoever asks (an admin
    // too): the route answers only values that are masked for someone, so every audit entry is a
    // reveal of one, not a way to read any attribute.
    let rule = AttributeMask::new(Masking::Masked, schema.attributes()).rule(name);
    let revealable = match (rule, &value) {
        // A mobile or email attribute: revealed even when empty, which is an answer too.
        (AttributeRule::Always(_), _) => true,
        (AttributeRule::Detect, Some(stored)) => rule.mask(stored).is_some(),
        (AttributeRule::Detect, None) | (AttributeRule::Keep, _) => false,
    };
    if !revealable {
        return Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`{name}` is not masked: only mobiles and emails are revealed"),
            "attribute",
            name,
        )
        .into());
    }
    tracing::info!(principal = %principal.name, contact_id = %id, attribute = name, "value revealed");
    // Recorded before the value leaves: a reveal that cannot be recorded is not answered. The
    // entry names the attribute, never the value.
    crate::audit::record(
        state.store.as_ref(),
        &principal,
        panorama_core::access::AuditAction::Reveal,
        Some(id.to_string()),
        serde_json::json!({ "attribute": name }),
    )
    .await?;
    Ok(Json(RevealResponse {
        attribute: name.to_owned(),
        value,
    }))
}

/// The 403 of a principal without the right to reveal.
fn refused(principal: &Principal) -> Error {
    Error {
        kind: ErrorKind::Forbidden,
        code: codes::FORBIDDEN,
        detail: format!(
            "revealing a masked value needs the right to reveal, which an admin grants; `{}` (a {}) \
             does not have it",
            principal.name,
            principal.role.as_str()
        ),
        field: None,
        value: None,
    }
}
