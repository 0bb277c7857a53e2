//! Eight clients upserting overlapping keys at once leave exactly one contact per key value.

use crate::helpers::TestApp;
use serde_json::{Value as Json, json};
use std::sync::Arc;

const CLIENTS: usize = 8;
const PEOPLE: usize = 50;
const ROUNDS: usize = 6;
/// Odd clients send their records in batches of this many.
const BATCH_ITEMS: usize = 5;
/// Step sizes coprime with `PEOPLE`, so each client visits every person in its own order.
const STRIDES: [usize; CLIENTS] = [1, 3, 7, 9, 11, 13, 17, 19];

fn mobile(person: usize) -> String {
    format!("131000000{person:02}")
}

fn email(person: usize) -> String {
    format!("person{person}@example.com")
}

/// Either key alone, or both: a person's mobile and email first land on separate contacts
/// in some orders, and the record carrying both then merges them.
fn record(client: usize, round: usize, person: usize) -> Json {
    match (client + round + person) % 3 {
        0 => json!({"mobile": mobile(person), "name": format!("Person {person}")}),
        1 => json!({"email": email(person)}),
        _ => json!({"mobile": mobile(person), "email": email(person)}),
    }
}

/// Run one client's records, returning every `(status, result)` it got back. Even clients send
/// one record a request, odd ones batches of [`BATCH_ITEMS`].
async fn run_client(app: Arc<TestApp>, client: usize) -> Vec<(u16, String)> {
    let http = app.client.clone();
    let batching = !client.is_multiple_of(2);
    let mut outcomes = Vec::new();
    let mut pending = Vec::new();
    for round in 0..ROUNDS {
        for step in 0..PEOPLE {
            let person = (step * STRIDES[client] + client * 7 + round * 13) % PEOPLE;
            let attributes = record(client, round, person);
            let (path, body) = if !batching {
                ("/api/v1/contacts", json!({ "attributes": attributes }))
            } else {
                pending.push(json!({ "attributes": attributes }));
                if pending.len() < BATCH_ITEMS {
                    continue;
                }
                let items = std::mem::take(&mut pending);
                ("/api/v1/contacts/batch", json!({ "contacts": items }))
            };
            let reply = app.send(http.post(app.url(path)).json(&body)).await;
            let results = match reply.body.get("results").and_then(Json::as_array) {
                Some(items) => items.iter().map(|i| i["result"].to_string()).collect(),
                None => vec![reply.body["result"].to_string()],
            };
            outcomes.extend(results.into_iter().map(|r| (reply.status, r)));
        }
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_clients_leave_one_contact_per_key() {
    let app = Arc::new(TestApp::spawn().await);
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(run_client(Arc::clone(&app), client)))
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("the client task finishes"));
    }
    assert_eq!(outcomes.len(), CLIENTS * ROUNDS * PEOPLE);
    let failed: Vec<_> = outcomes
        .iter()
        .filter(|(status, _)| *status >= 300)
        .collect();
    assert!(failed.is_empty(), "failed requests: {failed:?}");
    assert!(outcomes.iter().all(|(_, result)| result != "\"rejected\""));
    // Every merge folds one person's second contact into the first: what was created and not
    // merged away is one contact per person.
    let count = |wanted: &str| outcomes.iter().filter(|(_, r)| r == wanted).count();
    assert_eq!(
        count("\"created\"") - count("\"merged\""),
        PEOPLE,
        "{outcomes:?}"
    );

    assert_eq!(app.overview().await["all"], json!(PEOPLE));
    for person in 0..PEOPLE {
        let by_mobile = app.lookup("mobile", &mobile(person)).await;
        let by_email = app.lookup("email", &email(person)).await;
        assert_eq!(by_mobile.status, 200, "{}", by_mobile.body);
        assert_eq!(by_email.status, 200, "{}", by_email.body);
        assert_eq!(by_mobile.text("/contact_id"), by_email.text("/contact_id"));
        assert_eq!(
            by_mobile.body["attributes"]["name"],
            format!("Person {person}")
        );
    }
    let list = app.get("/api/v1/contacts?page_size=500").await;
    assert_eq!(list.body["total"], json!(PEOPLE));
}
