//! `/api/v1/contacts/bulk`: delete, add and remove a label on selected ids or on every contact of
//! a filter, as jobs followed with `?wait=`; refused requests name their field; a job queued when
//! the server stopped runs when it starts again.

use crate::helpers::TestApp;
use panorama_core::Store;
use panorama_core::contact::{ContactId, ContactRecord, WriteContext, now_micros};
use panorama_core::metadata::Schema;
use panorama_core::store::{JobId, JobRecord, JobState};
use panorama_core::value::ParseOptions;
use panorama_server::jobs::BULK_JOB_KIND;
use panorama_server::{AppState, Settings};
use serde_json::{Value as Json, json};

const BULK: &str = "/api/v1/contacts/bulk";

async fn contact(app: &TestApp, attributes: Json) -> String {
    app.upsert(attributes).await.text("/contact/contact_id")
}

/// Start a bulk action and wait for its end; the job as it finished.
async fn run(app: &TestApp, body: Json) -> Json {
    let started = app.post_json(BULK, &body).await;
    assert_eq!(started.status, 202, "{}", started.body);
    assert_eq!(started.body["state"], "queued");
    let url = started.text("/url");
    assert_eq!(url, format!("{BULK}/{}", started.text("/job_id")));
    let job = app.get(&format!("{url}?wait=30")).await;
    assert_eq!(job.status, 200, "{}", job.body);
    assert_eq!(job.body["state"], "done", "{}", job.body);
    assert_eq!(
        job.body["counts"]["selected"], started.body["selected"],
        "{}",
        job.body
    );
    job.body
}

fn counts(job: &Json) -> (u64, u64, u64, u64) {
    let n = |v: &Json| v.as_u64().expect("a count");
    let counts = &job["counts"];
    (
        n(&counts["selected"]),
        n(&counts["done"]),
        n(&counts["skipped"]),
        n(&job["rows_done"]),
    )
}

async fn label_contacts(app: &TestApp, label_id: i64) -> Json {
    app.get(&format!("/api/v1/labels/{label_id}")).await.body["contacts"].clone()
}

async fn event_keys(app: &TestApp, contact_id: &str) -> Vec<Json> {
    let events = app.events(contact_id).await;
    events.iter().map(|e| e["event"].clone()).collect()
}

#[tokio::test]
async fn deleting_selected_ids_removes_them_with_their_events() {
    let app = TestApp::spawn().await;
    let a = contact(&app, json!({"mobile": "13900000001", "name": "甲"})).await;
    let b = contact(&app, json!({"mobile": "13900000002", "name": "乙"})).await;
    let kept = contact(&app, json!({"mobile": "13900000003", "name": "丙"})).await;
    assert!(!event_keys(&app, &a).await.is_empty());
    let gone = "0190f4a2-0000-7000-8000-000000000000";
    let job = run(&app, json!({"action": "delete", "ids": [a, b, gone, a]})).await;
    assert_eq!(
        counts(&job),
        (3, 2, 1, 3),
        "repeats count once; unknown ids are skipped"
    );
    assert_eq!(job["rows_total"], 3);
    assert_eq!(job["action"], "delete");
    assert_eq!(job["selection"], json!({"ids": 3}));
    assert!(job["finished_at"].is_string() && job["error"].is_null());
    for id in [&a, &b] {
        let reply = app.get(&format!("/api/v1/contacts/{id}")).await;
        reply.assert_problem_status(404, "not_found");
        let events = app.get(&format!("/api/v1/contacts/{id}/events")).await;
        assert!(
            events.status == 404 || events.body["items"] == json!([]),
            "events of a deleted contact: {}",
            events.body
        );
    }
    assert_eq!(app.overview().await["all"], 1);
    assert_eq!(app.contact(&kept).await["attributes"]["name"], "丙");
    app.lookup("mobile", "13900000001")
        .await
        .assert_problem_status(404, "not_found");
}

#[tokio::test]
async fn deleting_every_contact_of_a_search_leaves_the_others() {
    let app = TestApp::spawn().await;
    for (n, name) in ["王伟", "王芳", "李娜", "张王"].iter().enumerate() {
        contact(
            &app,
            json!({"mobile": format!("1390000010{n}"), "name": name}),
        )
        .await;
    }
    let filter = json!({"field": "name", "q": "王", "category": "real_name", "sort": "created_at"});
    let job = run(&app, json!({"action": "delete", "filter": filter})).await;
    assert_eq!(counts(&job), (3, 3, 0, 3));
    assert_eq!(job["selection"]["filter"]["q"], "王");
    let left = app
        .get_query("/api/v1/contacts", &[("page_size", "50")])
        .await;
    assert_eq!(left.body["total"], 1, "{}", left.body);
    assert_eq!(left.body["items"][0]["attributes"]["name"], "李娜");

    let none = run(&app, json!({"action": "delete", "filter": {"q": "nobody"}})).await;
    assert_eq!(
        counts(&none),
        (0, 0, 0, 0),
        "an empty selection finishes at once"
    );
}

#[tokio::test]
async fn labels_are_added_and_removed_on_every_contact_of_a_filter() {
    let app = TestApp::spawn().await;
    let label = app
        .post_json("/api/v1/labels", &json!({"name": "VIP"}))
        .await;
    assert_eq!(label.status, 201, "{}", label.body);
    let vip = label.body["label_id"].as_i64().expect("a label id");
    let mut acme = Vec::new();
    for n in 0..3 {
        acme.push(contact(&app, json!({"email": format!("p{n}@acme.com")})).await);
    }
    let other = contact(&app, json!({"email": "q@other.org"})).await;
    let first = app
        .post_json(
            &format!("/api/v1/contacts/{}/labels", acme[0]),
            &json!({"label_id": vip}),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.body);

    let filter = json!({"field": "email", "q": "ACME"});
    let added = run(
        &app,
        json!({"action": "add_label", "label_id": vip, "filter": filter}),
    )
    .await;
    assert_eq!(counts(&added), (3, 2, 1, 3), "one carried it already");
    assert_eq!(
        (added["label_id"].as_i64(), added["action"].as_str()),
        (Some(vip), Some("add_label"))
    );
    assert_eq!(label_contacts(&app, vip).await, 3);
    assert!(
        event_keys(&app, &acme[2])
            .await
            .contains(&json!("label_add"))
    );
    assert!(
        app.get(&format!("/api/v1/contacts/{other}/labels"))
            .await
            .body["items"]
            == json!([])
    );

    let by_label = json!({"label": vip.to_string()});
    let removed = run(
        &app,
        json!({"action": "remove_label", "label_id": vip, "filter": by_label}),
    )
    .await;
    assert_eq!(counts(&removed), (3, 3, 0, 3));
    assert_eq!(label_contacts(&app, vip).await, 0);
    for id in &acme {
        assert!(
            event_keys(&app, id).await.contains(&json!("label_remove")),
            "{id}"
        );
    }
    let again = run(
        &app,
        json!({"action": "remove_label", "label_id": vip, "ids": [acme[1]]}),
    )
    .await;
    assert_eq!(counts(&again), (1, 0, 1, 1), "not carried: skipped");

    let history = app.get(BULK).await;
    assert_eq!(history.status, 200);
    let actions: Vec<&str> = history
        .body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|job| job["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["remove_label", "remove_label", "add_label"],
        "newest first"
    );
    assert!(history.body[0]["actor"].is_string() && history.body[0]["created_at"].is_string());
}

/// Write `count` contacts through the batch API and create a label; its id.
async fn many_and_a_label(app: &TestApp, count: u64) -> i64 {
    let people: Vec<Json> = (0..count)
        .map(|n| json!({"attributes": {"email": format!("many{n}@example.com")}}))
        .collect();
    let written = app
        .post_json("/api/v1/contacts/batch", &json!({ "contacts": people }))
        .await;
    assert_eq!(written.body["counts"]["created"], count, "{}", written.body);
    let label = app
        .post_json("/api/v1/labels", &json!({"name": "All"}))
        .await;
    label.body["label_id"].as_i64().expect("a label id")
}

#[tokio::test]
async fn a_large_selection_runs_in_batches_to_the_end() {
    let app = TestApp::spawn().await;
    let all = many_and_a_label(&app, 2_500).await;
    let add = json!({"action": "add_label", "label_id": all, "filter": {}});
    let added = run(&app, add).await;
    assert_eq!(counts(&added), (2_500, 2_500, 0, 2_500), "three batches");
    assert_eq!(label_contacts(&app, all).await, 2_500);
    let delete = json!({"action": "delete", "filter": {"label": all.to_string()}});
    let deleted = run(&app, delete).await;
    assert_eq!(counts(&deleted), (2_500, 2_500, 0, 2_500));
    assert_eq!(app.overview().await["all"], 0);
    assert_eq!(label_contacts(&app, all).await, 0);
}

#[tokio::test]
async fn a_wait_for_progress_answers_after_a_batch_while_the_job_runs() {
    // A pause between batches longer than any answer takes, so the job is still running then.
    let settings = Settings {
        job_batch_pause_millis: 2_000,
        ..Settings::default()
    };
    let app = TestApp::spawn_with(settings).await;
    let label_id = many_and_a_label(&app, 1_500).await;
    let body = json!({"action": "add_label", "label_id": label_id, "filter": {}});
    let started = app.post_json(BULK, &body).await;
    assert_eq!(started.status, 202, "{}", started.body);
    let url = started.text("/url");

    let first = app.get(&format!("{url}?wait=30&rows_done_above=0")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["state"], "running", "{}", first.body);
    assert_eq!(
        first.body["rows_done"], 1_000,
        "one batch done: {}",
        first.body
    );
    let second = app
        .get(&format!("{url}?wait=30&rows_done_above=1000"))
        .await;
    assert_eq!(second.body["rows_done"], 1_500, "{}", second.body);
    let ended = app.get(&format!("{url}?wait=30")).await;
    assert_eq!(ended.body["state"], "done", "{}", ended.body);
    assert_eq!(counts(&ended.body), (1_500, 1_500, 0, 1_500));
    // Without a wait, the answer is the job as it stands.
    let now = app.get(&url).await;
    assert_eq!(now.body["rows_done"], 1_500, "{}", now.body);
}

#[tokio::test]
async fn bad_requests_name_the_field_at_fault() {
    let app = TestApp::spawn().await;
    let id = contact(&app, json!({"mobile": "13900000200"})).await;
    let post = |body: Json| {
        let app = &app;
        async move { app.post_json(BULK, &body).await }
    };
    let both = post(json!({"action": "delete", "ids": [id], "filter": {}})).await;
    both.assert_problem_status(422, "bad_request");
    assert_eq!(both.body["field"], "ids");
    post(json!({"action": "delete"}))
        .await
        .assert_problem_status(422, "bad_request");
    post(json!({"action": "erase", "ids": [id]}))
        .await
        .assert_problem(422, "invalid_value", "action", Some("erase"));
    post(json!({"action": "add_label", "label_id": 999, "ids": [id]}))
        .await
        .assert_problem(404, "not_found", "label_id", Some("999"));
    post(json!({"action": "add_label", "ids": [id]}))
        .await
        .assert_problem(422, "invalid_value", "label_id", None);
    post(json!({"action": "delete", "label_id": 1, "ids": [id]}))
        .await
        .assert_problem(422, "invalid_value", "label_id", Some("1"));
    post(json!({"action": "delete", "ids": [id, "nope"]}))
        .await
        .assert_problem(422, "invalid_value", "ids[1]", Some("nope"));
    post(json!({"action": "delete", "ids": []}))
        .await
        .assert_problem(422, "invalid_value", "ids", None);
    let many = vec![id.clone(); 10_001];
    post(json!({"action": "delete", "ids": many}))
        .await
        .assert_problem(422, "limit_exceeded", "ids", Some("10001"));
    post(json!({"action": "delete", "filter": {"category": "vip"}}))
        .await
        .assert_problem(422, "bad_request", "filter.category", Some("vip"));
    post(json!({"action": "delete", "filter": {"sort": "no_such_attribute"}}))
        .await
        .assert_problem_status(422, "unknown_attribute");
    let typo = post(json!({"action": "delete", "idz": [id]})).await;
    assert_eq!(typo.status, 422, "{}", typo.body);
    let unknown = app
        .get(&format!("{BULK}/0190f4a2-0000-7000-8000-000000000000"))
        .await;
    unknown.assert_problem_status(404, "not_found");
    assert_eq!(
        app.get(BULK).await.body,
        json!([]),
        "no refused request left a job"
    );
    assert_eq!(app.overview().await["all"], 1, "nothing was deleted");
}

/// Write contacts straight into a store, before any server runs over it.
async fn write_contacts(store: &dyn Store, names: &[&str]) {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let records: Vec<ContactRecord> = names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let values = json!({"mobile": format!("1390000030{n}"), "name": name});
            let map = values.as_object().expect("an object");
            ContactRecord::from_json(&schema, map, ParseOptions::default()).expect("a record")
        })
        .collect();
    store
        .upsert_contacts(&records, &WriteContext::now("test"))
        .await
        .expect("contacts written");
}

#[tokio::test]
async fn a_job_queued_when_the_server_stopped_runs_when_it_starts() {
    let (store, _database) = crate::helpers::fresh_store().await;
    write_contacts(store.as_ref(), &["赵一", "赵二", "钱三"]).await;
    // A job as a stopped server left it: queued, its filter recorded, its ids not.
    let job_id = ContactId::new().to_string();
    let job = JobRecord {
        job_id: JobId::from(job_id.clone()),
        kind: BULK_JOB_KIND.to_owned(),
        state: JobState::Queued,
        file_name: String::new(),
        purpose: "delete".to_owned(),
        options: json!({"filter": {"field": "name", "q": "赵"}}),
        actor: "test".to_owned(),
        created_at: now_micros(),
        started_at: None,
        finished_at: None,
        rows_done: 0,
        rows_total: Some(2),
        counts: json!({"selected": 2, "done": 0, "skipped": 0}),
        error: None,
        preview: None,
        claimed_until: None,
    };
    store.create_job(&job).await.expect("job recorded");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a port");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    let state = AppState::new(store.clone(), Settings::default());
    tokio::spawn(panorama_server::serve_until(
        listener,
        state,
        std::future::pending(),
    ));
    let key = crate::helpers::key_in(store.as_ref(), panorama_core::access::Role::Admin).await;
    let text = crate::helpers::client_with(Some(&key))
        .get(format!("{address}{BULK}/{job_id}?wait=30"))
        .send()
        .await
        .expect("the server answers")
        .text()
        .await
        .expect("a body");
    let finished: Json = serde_json::from_str(&text).expect("JSON");
    assert_eq!(finished["state"], "done", "{finished}");
    assert_eq!(counts(&finished), (2, 2, 0, 2));
    let overview = store
        .overview(jiff::Timestamp::now())
        .await
        .expect("overview");
    assert_eq!(
        overview.all, 1,
        "only the contacts of the filter were deleted"
    );
}
