//! Conformance: saved import mappings are found by their headers' key and replaced whole; a
//! previewed job's options and preview can be replaced until it starts.

use panorama_core::Store;
use panorama_core::store::{ImportMapping, JobId, JobRecord, JobState, headers_key};
use serde_json::json;
use std::collections::BTreeMap;

fn mapping(headers: &[&str], map: &[(&str, &str)], by: &str) -> ImportMapping {
    let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    ImportMapping {
        headers_key: headers_key(&headers),
        headers,
        map: map
            .iter()
            .map(|(h, a)| ((*h).to_owned(), (*a).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        saved_by: by.to_owned(),
        saved_at: jiff::Timestamp::from_microsecond(1_700_000_000_123_456).unwrap(),
    }
}

pub async fn import_mappings_are_saved_by_headers(store: &dyn Store) {
    let first = mapping(&["姓名", "备注"], &[("姓名", "name"), ("备注", "-")], "ana");
    assert_eq!(
        store.import_mapping(&first.headers_key).await.unwrap(),
        None
    );
    store.save_import_mapping(&first).await.unwrap();
    let other = mapping(&["Mobile", "Shoe"], &[("Shoe", "-")], "bo");
    store.save_import_mapping(&other).await.unwrap();
    assert_eq!(
        store.import_mapping(&first.headers_key).await.unwrap(),
        Some(first.clone())
    );
    let replaced = mapping(&["姓名", "备注"], &[("备注", "company")], "bo");
    store.save_import_mapping(&replaced).await.unwrap();
    assert_eq!(
        store.import_mapping(&first.headers_key).await.unwrap(),
        Some(replaced)
    );
    assert_eq!(
        store.import_mapping(&other.headers_key).await.unwrap(),
        Some(other)
    );
}

pub async fn a_previewed_job_takes_new_options_until_it_starts(store: &dyn Store) {
    let job = JobRecord {
        job_id: JobId::from(panorama_core::contact::ContactId::new().to_string()),
        kind: "import".to_owned(),
        state: JobState::Previewed,
        file_name: "a.csv".to_owned(),
        purpose: "upsert".to_owned(),
        options: json!({"map": []}),
        actor: "ana".to_owned(),
        created_at: jiff::Timestamp::from_microsecond(1_700_000_000_000_000).unwrap(),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: None,
        counts: json!({}),
        error: None,
        preview: Some(json!({"columns": []})),
        claimed_until: None,
    };
    store.create_job(&job).await.unwrap();
    let options = json!({"map": ["备注=-"]});
    let preview = json!({"columns": [{"header": "备注", "attribute": "-"}]});
    assert!(
        store
            .update_previewed_job(&job.job_id, &options, &preview)
            .await
            .unwrap()
    );
    let stored = store.get_job(&job.job_id).await.unwrap().unwrap();
    assert_eq!((stored.options, stored.preview), (options, Some(preview)));
    let now = jiff::Timestamp::now();
    assert!(
        store
            .transition_job(&job.job_id, JobState::Previewed, JobState::Queued, now)
            .await
            .unwrap()
    );
    assert!(
        !store
            .update_previewed_job(&job.job_id, &json!({}), &json!({}))
            .await
            .unwrap()
    );
    let missing = JobId::from(panorama_core::contact::ContactId::new().to_string());
    assert!(
        !store
            .update_previewed_job(&missing, &json!({}), &json!({}))
            .await
            .unwrap()
    );
}
