//! Conformance: saved list views are per user and per view, replaced whole.

use panorama_core::Store;

pub async fn views_are_saved_per_user(store: &dyn Store) {
    assert_eq!(store.get_view("ana", "contacts").await.unwrap(), None);
    let chosen = vec!["email".to_owned(), "name".to_owned()];
    store.put_view("ana", "contacts", &chosen).await.unwrap();
    store
        .put_view("bo", "contacts", &["city".to_owned()])
        .await
        .unwrap();
    assert_eq!(
        store.get_view("ana", "contacts").await.unwrap(),
        Some(chosen)
    );
    assert_eq!(store.get_view("ana", "other").await.unwrap(), None);
    store
        .put_view("ana", "contacts", &["mobile".to_owned()])
        .await
        .unwrap();
    assert_eq!(
        store.get_view("ana", "contacts").await.unwrap(),
        Some(vec!["mobile".to_owned()])
    );
    assert_eq!(
        store.get_view("bo", "contacts").await.unwrap(),
        Some(vec!["city".to_owned()])
    );
}
