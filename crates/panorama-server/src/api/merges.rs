//! `POST /api/v1/merges/{merge_id}/undo`: undo a merge while neither contact changed since. The
//! merge id is the `event_id` of the survivor's `user_merged` event.

use super::dto::ContactDto;
use crate::AppState;
use crate::app::mask::load_attribute_mask;
use crate::error::{ApiError, Problem};
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(undo))
}

/// Both contacts after the undo.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UndoMergeResponse {
    /// The merge undone.
    pub merge_id: String,
    /// The survivor, as it was before the merge.
    pub survivor: ContactDto,
    /// The merged contact, back with its own values, consent, labels and events.
    pub restored: ContactDto,
}

/// Undo a merge. Refused with 409 `merge_not_undoable`, naming what blocks it, once either contact
/// changed since (values, consent, labels, another merge) or the merge was undone already.
#[utoipa::path(
    post, path = "/api/v1/merges/{merge_id}/undo", operation_id = "undo_merge", tag = "events",
    params(("merge_id" = String, Path, description = "The event id of the merge's `user_merged` event")),
    responses(
        (status = 200, description = "Undone", body = UndoMergeResponse),
        (status = 404, description = "No such merge was recorded", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Something changed since (`merge_not_undoable`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn undo(
    State(state): State<AppState>,
    principal: Principal,
    Path(merge_id): Path<String>,
) -> Result<Json<UndoMergeResponse>, ApiError> {
    principal.require(Role::Marketer)?;
    let outcome =
        crate::app::merges::undo_merge(state.store.as_ref(), &principal, &merge_id, "api").await?;
    tracing::info!(principal = %principal.name, merge_id, "merge undone");
    let mask = load_attribute_mask(&state, &principal).await?;
    Ok(Json(UndoMergeResponse {
        merge_id,
        survivor: ContactDto::new(&outcome.survivor, &mask),
        restored: ContactDto::new(&outcome.restored, &mask),
    }))
}
