//! A company's site to walk: demo contacts, one contact with events of several kinds, labels,
//! follower labels and orders, a finished import, and every page an admin can open. The words
//! of its stored data, for telling data from interface text on a page.

use crate::harness::App;
use crate::list_support::everything;
use panorama_core::contact::{ContactId, ContactRecord, WriteContext};
use panorama_core::event::EventParser;
use panorama_core::label::{NewFan, NewLabel, NewLabelGroup};
use panorama_core::metadata::{AttributeType, Schema};
use panorama_core::value::ParseOptions;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The seeded contact's mobile (its identity in the events).
const MOBILE: &str = "13700000088";

/// A running site and what was seeded in it.
pub struct Site {
    /// The server.
    pub app: App,
    /// The contact with events, labels and orders.
    pub contact: ContactId,
    /// The finished import.
    pub import: String,
}

impl Site {
    /// Serve the demo's contacts and the seeded contact, labels and import.
    pub async fn spawn() -> Self {
        let app = App::spawn(12).await;
        let contact = seed_contact(&app).await;
        seed_labels(&app, contact).await;
        let import = seed_import(&app).await;
        Self {
            app,
            contact,
            import,
        }
    }

    /// Every page an admin opens, as paths: lists, the contact page's views, imports, labels,
    /// metadata, users, the audit log and an error page.
    pub fn pages(&self) -> Vec<String> {
        let contact = format!("/contacts/{}", self.contact);
        vec![
            "/contacts".to_owned(),
            contact.clone(),
            format!("{contact}?view=calendar"),
            format!("{contact}?view=orders"),
            "/imports".to_owned(),
            format!("/imports/{}", self.import),
            "/labels".to_owned(),
            "/labels/wechat".to_owned(),
            "/metadata/attributes".to_owned(),
            "/metadata/events".to_owned(),
            "/metadata/attributes/gender".to_owned(),
            "/metadata/events/order".to_owned(),
            "/users".to_owned(),
            "/audit".to_owned(),
            "/no-such-page".to_owned(),
        ]
    }

    /// The lower-case ASCII words of the stored data a page may show as it is: text values of
    /// contacts (not choices or flags, which pages show in words), event properties, label,
    /// account, user, key and file names.
    pub async fn data_words(&self) -> BTreeSet<String> {
        let store = self.app.store.as_ref();
        let mut texts: Vec<String> = Vec::new();
        let (schema, contacts) = everything(store).await;
        for contact in &contacts {
            for (name, value) in &contact.attributes {
                let is_text = schema
                    .get(name)
                    .is_some_and(|def| def.attribute_type == AttributeType::String);
                if let (true, Value::String(text)) = (is_text, value) {
                    texts.push(text.clone());
                }
            }
        }
        for event in store
            .contact_events(self.contact, 1000)
            .await
            .expect("events")
        {
            texts.extend(event.properties.values().filter_map(|v| match v {
                Value::String(text) => Some(text.clone()),
                _ => None,
            }));
        }
        // A company's own attributes and events are named by the company, in its words.
        for def in schema.attributes().iter().filter(|d| !d.preset) {
            texts.extend(def.labels().map(str::to_owned));
        }
        let events = store.list_event_definitions().await.expect("events");
        for definition in events.iter().filter(|d| !d.preset) {
            texts.push(definition.display_name.clone());
        }
        let catalog = store.label_catalog().await.expect("labels");
        texts.extend(catalog.labels.iter().map(|l| l.name.clone()));
        texts.extend(catalog.groups.iter().map(|g| g.name.clone()));
        for account in store.list_wechat_accounts().await.expect("accounts") {
            texts.push(account.name.clone());
            texts.push(account.app_id.clone());
        }
        texts.extend(
            store
                .users()
                .await
                .expect("users")
                .iter()
                .map(|u| u.name.as_str().to_owned()),
        );
        texts.extend(
            store
                .api_keys()
                .await
                .expect("keys")
                .iter()
                .map(|k| k.name.as_str().to_owned()),
        );
        texts.push("会员名单.csv".to_owned());
        texts.iter().flat_map(|text| ascii_words(text)).collect()
    }
}

/// The ASCII words (letters only, lower case) of `text`.
pub fn ascii_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

async fn seed_contact(app: &App) -> ContactId {
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let attributes = json!({"name": "林晓", "mobile": MOBILE, "email": "lin.xiao@example.com",
        "city": "杭州", "gender": "female"});
    let map = attributes.as_object().expect("an object").clone();
    let record = ContactRecord::from_json(&schema, &map, ParseOptions::default()).expect("valid");
    let written = app
        .store
        .upsert_contacts(&[record], &WriteContext::now("test"))
        .await
        .expect("written");
    let contact = written[0].contact.contact_id;
    let events = [
        (
            "email_sent",
            "2026-03-01T09:00:00Z",
            json!({"campaign_name": "春季上新", "subject": "新品到店"}),
        ),
        (
            "email_open",
            "2026-03-01T10:30:00Z",
            json!({"subject": "新品到店"}),
        ),
        (
            "sms_sent",
            "2026-03-02T08:00:00Z",
            json!({"content": "会员日八折"}),
        ),
        (
            "wechat_follow",
            "2026-03-03T12:00:00Z",
            json!({"app_id": "wx00000000000000d4", "openid": "oLinXiao"}),
        ),
        (
            "order",
            "2026-03-04T15:00:00Z",
            json!({"order_id": "SO20260304", "amount": "268.00", "item_count": 2}),
        ),
        (
            "order_detail",
            "2026-03-04T15:00:00Z",
            json!({"order_id": "SO20260304", "product_name": "保温杯", "quantity": 2, "price": "134.00"}),
        ),
    ];
    let definitions = app
        .store
        .list_event_definitions()
        .await
        .expect("definitions");
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    let parsed: Vec<_> = events
        .iter()
        .enumerate()
        .map(|(n, (key, at, properties))| {
            let event = json!({"event_id": format!("walk{n}"), "event": key, "occurred_at": at,
                "identity": {"mobile": MOBILE}, "properties": properties});
            parser.parse(event).expect("a valid event")
        })
        .collect();
    app.store
        .ingest_events(parsed, &WriteContext::now("test"))
        .await
        .expect("ingested");
    contact
}

async fn seed_labels(app: &App, contact: ContactId) {
    let store = app.store.as_ref();
    let context = WriteContext::now("test");
    let group = store
        .create_label_group(&NewLabelGroup {
            name: "客户分层".into(),
            parent_id: None,
        })
        .await
        .expect("a group");
    for name in ["高价值", "复购客户"] {
        let label = store
            .create_label(&NewLabel {
                name: name.into(),
                group_id: Some(group.group_id),
                hidden: false,
            })
            .await
            .expect("a label");
        store
            .add_label(label.label_id, &[contact], &context)
            .await
            .expect("labelled");
    }
    store
        .save_wechat_account("wx00000000000000d4", "品牌服务号")
        .await
        .expect("an account");
    let fan = NewFan {
        openid: "oLinXiao".into(),
        following: true,
    };
    store
        .save_fan(contact, "wx00000000000000d4", &fan)
        .await
        .expect("a fan");
    let follower = store
        .create_follower_label("wx00000000000000d4", "杭州粉丝")
        .await
        .expect("a follower label");
    store
        .add_follower_label(contact, follower.label_id, &context)
        .await
        .expect("a follower label on the fan");
}

/// Upload a small file through the API, start it and wait until it is done; its id.
async fn seed_import(app: &App) -> String {
    let client = reqwest::Client::new();
    let file =
        "mobile,email,name,city\n13900000001,wu@example.com,吴敏,上海\nnot-a-mobile,,坏行,北京\n";
    let part = reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("会员名单.csv");
    let answer: Value = client
        .post(format!("{}/api/v1/imports", app.base))
        .bearer_auth(&app.api_key)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("the upload answers")
        .json()
        .await
        .expect("JSON");
    let id = answer["job"]["job_id"]
        .as_str()
        .unwrap_or_else(|| panic!("a job id in {answer}"))
        .to_owned();
    let started = client
        .post(format!("{}/api/v1/imports/{id}/start", app.base))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .expect("the start answers");
    assert!(started.status().is_success(), "{}", started.status());
    let job = app.api_json(&format!("/api/v1/imports/{id}?wait=60")).await;
    assert_eq!(job["state"], "done", "{job}");
    id
}
