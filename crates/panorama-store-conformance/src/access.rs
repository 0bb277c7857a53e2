//! Conformance: users, sign-in locking, sessions, API keys and the append-only audit log.

use jiff::{SignedDuration, Timestamp};
use panorama_core::Store;
use panorama_core::access::{
    API_KEY_PREFIX, ApiKeyName, AuditAction, AuditOutcome, AuditQuery, NewApiKey, NewAuditEntry,
    NewSession, NewUser, Password, Role, SESSION_PREFIX, Secret, SignInOutcome, UserName,
    UserPatch,
};
use panorama_core::{ErrorKind, codes};
use serde_json::json;

fn name(text: &str) -> UserName {
    UserName::parse(text, "name").unwrap()
}

async fn add_user(store: &dyn Store, user: &str, role: Role) -> panorama_core::access::User {
    let password_hash = Password::parse("a long password", "password")
        .unwrap()
        .hash()
        .unwrap();
    store
        .create_user(NewUser {
            name: name(user),
            role,
            may_reveal: false,
            password_hash,
            created_at: Timestamp::now(),
        })
        .await
        .unwrap()
}

pub async fn users_lock_after_five_wrong_passwords(store: &dyn Store) {
    assert_eq!(store.admin_count().await.unwrap(), 0);
    let ana = add_user(store, "ana", Role::Admin).await;
    add_user(store, "bo", Role::Viewer).await;
    assert_eq!(store.admin_count().await.unwrap(), 1);
    let taken = store
        .create_user(NewUser {
            name: name("ANA"),
            role: Role::Viewer,
            may_reveal: false,
            password_hash: Password::generate().hash().unwrap(),
            created_at: Timestamp::now(),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (taken.kind, taken.code),
        (ErrorKind::Conflict, codes::DUPLICATE_NAME)
    );
    let credentials = store.user_credentials(&name("ana")).await.unwrap().unwrap();
    assert!(credentials.password_hash.verify("a long password"));
    assert_eq!(credentials.user, ana);

    // Wrong passwords are only counted: no account is ever locked by them.
    let now = Timestamp::now();
    for attempt in 1..=7 {
        let user = store
            .record_sign_in(ana.user_id, SignInOutcome::Failed, now)
            .await
            .unwrap();
        assert_eq!((user.failed_sign_ins, user.locked_until), (attempt, None));
    }
    let later = now + SignedDuration::from_mins(1);
    let good = store
        .record_sign_in(ana.user_id, SignInOutcome::Succeeded, later)
        .await
        .unwrap();
    assert_eq!((good.failed_sign_ins, good.locked_until), (0, None));

    let changed = store
        .update_user(
            &name("bo"),
            UserPatch {
                role: Some(Role::Marketer),
                may_reveal: Some(true),
                password_hash: None,
            },
        )
        .await
        .unwrap();
    assert_eq!((changed.role, changed.may_reveal), (Role::Marketer, true));
    let names: Vec<String> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name.as_str().to_owned())
        .collect();
    assert_eq!(names, ["ana", "bo"]);
    let demote = UserPatch {
        role: Some(Role::Viewer),
        ..UserPatch::default()
    };
    let last = store
        .update_user(&name("ana"), demote.clone())
        .await
        .unwrap_err();
    assert_eq!(
        (last.kind, last.code),
        (ErrorKind::Conflict, codes::LAST_ADMIN)
    );
    store
        .update_user(
            &name("bo"),
            UserPatch {
                role: Some(Role::Admin),
                ..UserPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store.update_user(&name("ana"), demote).await.unwrap().role,
        Role::Viewer
    );
    let missing = store
        .update_user(&name("cy"), UserPatch::default())
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

pub async fn sessions_expire_and_end_with_a_new_password(store: &dyn Store) {
    let ana = add_user(store, "ana", Role::Marketer).await;
    let now = Timestamp::now();
    let token = Secret::generate(SESSION_PREFIX);
    let session = NewSession {
        token_hash: token.hash(),
        user_id: ana.user_id,
        created_at: now,
        expires_at: now + SignedDuration::from_hours(12),
    };
    store.create_session(session).await.unwrap();
    let found = store
        .session_user(&token.hash(), now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.name.as_str(), "ana");
    assert!(
        store
            .session_user(&token.hash(), now + SignedDuration::from_hours(13))
            .await
            .unwrap()
            .is_none()
    );
    let other = Secret::generate(SESSION_PREFIX);
    assert!(
        store
            .session_user(&other.hash(), now)
            .await
            .unwrap()
            .is_none()
    );
    // A role change shows at once: the session reads the user as they are now.
    store
        .update_user(
            &name("ana"),
            UserPatch {
                role: Some(Role::Viewer),
                ..UserPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .session_user(&token.hash(), now)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Viewer
    );
    let new_password = Password::generate().hash().unwrap();
    store
        .update_user(
            &name("ana"),
            UserPatch {
                password_hash: Some(new_password),
                ..UserPatch::default()
            },
        )
        .await
        .unwrap();
    assert!(
        store
            .session_user(&token.hash(), now)
            .await
            .unwrap()
            .is_none()
    );

    let second = Secret::generate(SESSION_PREFIX);
    store
        .create_session(NewSession {
            token_hash: second.hash(),
            user_id: ana.user_id,
            created_at: now,
            expires_at: now + SignedDuration::from_hours(1),
        })
        .await
        .unwrap();
    store.delete_session(&second.hash()).await.unwrap();
    assert!(
        store
            .session_user(&second.hash(), now)
            .await
            .unwrap()
            .is_none()
    );
    store.delete_session(&second.hash()).await.unwrap();
}

pub async fn api_keys_are_found_by_hash_until_revoked(store: &dyn Store) {
    let secret = Secret::generate(API_KEY_PREFIX);
    let created = store
        .create_api_key(NewApiKey {
            name: ApiKeyName::parse("crm-sync", "name").unwrap(),
            role: Role::Marketer,
            key_hash: secret.hash(),
            shown: secret.shown(),
            created_by: "user:ana".into(),
            created_at: Timestamp::now(),
        })
        .await
        .unwrap();
    let found = store.api_key(&secret.hash()).await.unwrap().unwrap();
    assert_eq!(found.key_id, created.key_id);
    assert_eq!(
        (found.role, found.shown.as_str()),
        (Role::Marketer, secret.shown().as_str())
    );
    let duplicate = store
        .create_api_key(NewApiKey {
            name: ApiKeyName::parse("crm-sync", "name").unwrap(),
            role: Role::Viewer,
            key_hash: Secret::generate(API_KEY_PREFIX).hash(),
            shown: "pnk_x".into(),
            created_by: "cli:root".into(),
            created_at: Timestamp::now(),
        })
        .await
        .unwrap_err();
    assert_eq!(duplicate.kind, ErrorKind::Conflict);
    let at = Timestamp::now();
    let revoked = store.revoke_api_key(created.key_id, at).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(store.api_key(&secret.hash()).await.unwrap().is_none());
    let again = store
        .revoke_api_key(created.key_id, at + SignedDuration::from_hours(1))
        .await
        .unwrap();
    assert_eq!(again.revoked_at, revoked.revoked_at);
    assert_eq!(store.api_keys().await.unwrap().len(), 1);
    let unknown = store
        .revoke_api_key(uuid::Uuid::now_v7(), at)
        .await
        .unwrap_err();
    assert_eq!(unknown.kind, ErrorKind::NotFound);
}

pub async fn audit_entries_page_newest_first_and_filter(store: &dyn Store) {
    let mut appended = Vec::new();
    for (actor, action) in [
        ("user:ana", AuditAction::SignIn),
        ("user:ana", AuditAction::Export),
        ("key:crm", AuditAction::Delete),
        ("user:ana", AuditAction::Export),
    ] {
        let entry = NewAuditEntry {
            at: Timestamp::now(),
            actor: actor.into(),
            action,
            target: Some("contacts".into()),
            detail: json!({"rows": 3}),
        };
        appended.push(store.append_audit(entry.clone()).await.unwrap());
        assert_eq!(appended.last().unwrap().entry, entry);
    }
    let all = store
        .audit_entries(&AuditQuery {
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let ids: Vec<i64> = all.iter().map(|e| e.entry_id).collect();
    let mut expected: Vec<i64> = appended.iter().map(|e| e.entry_id).collect();
    expected.reverse();
    assert_eq!(ids, expected);
    let exports = store
        .audit_entries(&AuditQuery {
            action: Some(AuditAction::Export),
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(exports.len(), 2);
    let page = store
        .audit_entries(&AuditQuery {
            actor: Some("user:ana".into()),
            before: Some(exports[0].entry_id),
            limit: 1,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].entry.action, AuditAction::Export);
    assert_eq!(page[0].entry_id, appended[1].entry_id);
    // An outcome is set once: a second settle changes nothing.
    let first = appended[0].entry_id;
    let refused = AuditOutcome::Refused {
        reason: "not_found".into(),
    };
    store.settle_audit(first, &refused).await.unwrap();
    store
        .settle_audit(first, &AuditOutcome::Succeeded)
        .await
        .unwrap();
    let settled = store
        .audit_entries(&AuditQuery {
            limit: 10,
            ..AuditQuery::default()
        })
        .await
        .unwrap();
    let outcomes: Vec<_> = settled
        .iter()
        .map(|e| (e.entry_id, e.outcome.clone()))
        .collect();
    assert!(outcomes.contains(&(first, Some(refused))), "{outcomes:?}");
    assert!(
        settled
            .iter()
            .filter(|e| e.entry_id != first)
            .all(|e| e.outcome.is_none())
    );
}
