//! What a contact owns besides its row, keys and events: consent history, a hard bounce, contact
//! labels, fan records and follower labels. A merge moves them to the surviving contact; a delete
//! removes them through `ON DELETE CASCADE`.

use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use sqlx::PgConnection;

/// Move everything `merged` owns to `holder`, before `merged` is deleted. Where both hold the same
/// thing (a label, a fan record of one account) the holder's is kept.
pub(crate) async fn move_owned(
    connection: &mut PgConnection,
    merged: ContactId,
    holder: ContactId,
) -> Result<()> {
    let statements = [
        "UPDATE consent_history SET contact_id = $1 WHERE contact_id = $2",
        // The later bounce is kept; it only counts while the survivor has that address.
        "UPDATE contacts SET (email_bounced_address, email_bounced_at) =
            (SELECT email_bounced_address, email_bounced_at FROM contacts WHERE contact_id = $2)
         WHERE contact_id = $1
           AND (SELECT email_bounced_at FROM contacts WHERE contact_id = $2) > COALESCE(email_bounced_at, -1)",
        // PostgreSQL has no UPDATE OR IGNORE: the merged contact's copy of a label the holder
        // already carries is dropped first (its delete trigger uncounts it, as the cascade would),
        // then the rest move.
        "DELETE FROM contact_labels merged WHERE merged.contact_id = $2
           AND EXISTS (SELECT 1 FROM contact_labels held
                       WHERE held.contact_id = $1 AND held.label_id = merged.label_id)",
        // Labels carry the contact's creation time and categories: take the survivor's.
        "UPDATE contact_labels SET contact_id = $1,
            (contact_created_at, is_real_name, is_wechat_fan) =
                (SELECT created_at, is_real_name, is_wechat_fan FROM contacts WHERE contact_id = $1)
         WHERE contact_id = $2",
        // A fan record of an account the holder has no fan of moves; follower labels follow it
        // (ON UPDATE CASCADE). The others go with the merged contact.
        "UPDATE wechat_fans merged SET contact_id = $1 WHERE merged.contact_id = $2
           AND NOT EXISTS (SELECT 1 FROM wechat_fans held
                           WHERE held.contact_id = $1 AND held.app_id = merged.app_id)",
    ];
    for statement in statements {
        sqlx::query(statement)
            .bind(holder.uuid())
            .bind(merged.uuid())
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}
