//! What a contact owns besides its row, keys and events: consent history, a hard bounce, contact
//! labels, fan records and follower labels. A merge moves them to the surviving contact; a delete
//! removes them through `ON DELETE CASCADE`.

use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use sqlx::SqliteConnection;

/// Move everything `merged` owns to `holder`, before `merged` is deleted. Where both hold the same
/// thing (a label, a fan record of one account) the holder's is kept.
pub(crate) async fn move_owned(
    connection: &mut SqliteConnection,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    let (merged, holder) = (merged.to_string(), holder.to_string());
    let statements = [
        "UPDATE consent_history SET contact_id = $1 WHERE contact_id = $2",
        // The later bounce is kept; it only counts while the survivor has that address.
        "UPDATE contacts SET (email_bounced_address, email_bounced_at) =
            (SELECT email_bounced_address, email_bounced_at FROM contacts WHERE contact_id = $2)
         WHERE contact_id = $1
           AND (SELECT email_bounced_at FROM contacts WHERE contact_id = $2) > COALESCE(email_bounced_at, -1)",
        // Labels carry the contact's creation time and categories: take the survivor's.
        "UPDATE OR IGNORE contact_labels SET contact_id = $1,
            (contact_created_at, is_real_name, is_wechat_fan) =
                (SELECT created_at, is_real_name, is_wechat_fan FROM contacts WHERE contact_id = $1)
         WHERE contact_id = $2",
        // Follower labels follow their fan record (ON UPDATE CASCADE).
        "UPDATE OR IGNORE wechat_fans SET contact_id = $1 WHERE contact_id = $2",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(&holder)
            .bind(&merged)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}
