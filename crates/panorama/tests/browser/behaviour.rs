//! The behaviour area of the contact page: the stream by day with filters and "load more", the
//! calendar (year heat-map, weekday-by-hour grid, month grids), downloads and the consumption tab.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text};
use panorama_core::contact::WriteContext;
use panorama_core::event::EventParser;
use panorama_core::metadata::Schema;
use panorama_core::value::ParseOptions;
use serde_json::{Value, json};

/// Ingest JSON events through the store, returning the contact of the first.
async fn ingest(app: &App, events: Vec<Value>) -> String {
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let definitions = app
        .store
        .list_event_definitions()
        .await
        .expect("definitions");
    let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
    let parsed: Vec<_> = events
        .iter()
        .map(|e| parser.parse(e.clone()).expect("a valid event"))
        .collect();
    let outcomes = app
        .store
        .ingest_events(parsed, &WriteContext::now("test"))
        .await
        .expect("ingested");
    outcomes[0].contact_id.expect("a contact").to_string()
}

fn event(id: String, key: &str, at: String, properties: Value) -> Value {
    json!({"event_id": id, "event": key, "occurred_at": at, "identity": {"mobile": "13700000077"}, "properties": properties})
}

fn this_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_groups_by_day_filters_and_loads_more() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let mut events = Vec::new();
    for n in 0..70 {
        let at = format!("2020-01-{:02}T{:02}:15:00Z", 1 + n / 5, 8 + n % 5);
        events.push(event(
            format!("s{n}"),
            "email_open",
            at,
            json!({"subject": format!("Issue {n}")}),
        ));
    }
    events.push(event(
        "o1".into(),
        "order",
        "2020-01-20T09:00:00Z".into(),
        json!({"order_id": "SO-1", "amount": "88"}),
    ));
    let id = ingest(&app, events).await;
    let page = chromium.open(&format!("{}/contacts/{id}", app.base)).await;
    assert_eq!(
        text(&page, ".behaviour .tabs .tab-count").await,
        "72",
        "70 opens, an order, user_created"
    );
    let shown: u64 = eval(
        &page,
        "document.querySelectorAll('.timeline .event').length",
    )
    .await;
    assert_eq!(shown, 50, "one page");
    let first_day = text(&page, ".stream-days .day summary").await;
    assert!(first_day.len() == 10, "a day header: {first_day}");
    let after: u64 = eval(
        &page,
        "new Promise(done => { document.addEventListener('panorama:timeline', () => \
            done(document.querySelectorAll('.timeline .event').length), { once: true }); \
            document.querySelector('a.load-more').click(); })",
    )
    .await;
    assert_eq!(after, 72, "the second page appended in place");
    let days: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.stream-days > .day')].map(d => d.dataset.date)",
    )
    .await;
    let mut unique = days.clone();
    unique.dedup();
    assert_eq!(days, unique, "a day split across pages is joined");
    screenshot(&page, "behaviour-stream").await;
    let _: bool = eval(
        &page,
        "(document.querySelector('.behaviour-filter select[name=types]').value = 'order', true)",
    )
    .await;
    click_and_wait(&page, ".behaviour-filter button[type=submit]").await;
    let keys: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.timeline .event')].map(e => e.dataset.event)",
    )
    .await;
    assert_eq!(keys, ["order"]);
    let csv: String = eval(
        &page,
        "fetch(document.querySelector('a.download').href).then(r => r.text())",
    )
    .await;
    let header = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        header.starts_with("occurred_at,event,display_name,event_id,order_id"),
        "{header}"
    );
    assert_eq!(
        csv.lines().count(),
        2,
        "the download follows the filter: {csv}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_draws_the_year_the_week_and_the_months() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let year = this_year();
    let mut events = Vec::new();
    for n in 0..5 {
        events.push(event(
            format!("c{n}"),
            "wechat_scan",
            format!("{year}-01-05T10:0{n}:00Z"),
            json!({"qr_code": "poster"}),
        ));
    }
    events.push(event(
        "c9".into(),
        "wechat_scan",
        format!("{year}-01-06T10:00:00Z"),
        json!({}),
    ));
    let id = ingest(&app, events).await;
    let page = chromium
        .open(&format!(
            "{}/contacts/{id}?view=calendar&year={year}",
            app.base
        ))
        .await;
    let cells: u64 = eval(
        &page,
        "document.querySelectorAll('svg.heatmap rect.day-cell').length",
    )
    .await;
    assert!(cells == 365 || cells == 366, "a cell per day: {cells}");
    let busy: String = eval(
        &page,
        "document.querySelector('svg.heatmap rect.l3 title').textContent",
    )
    .await;
    assert_eq!(
        busy,
        format!("{year}-01-05: 5 events"),
        "more than 4 is the darkest level, counted on hover"
    );
    let hours: u64 = eval(
        &page,
        "document.querySelectorAll('svg.hours rect.hour-cell').length",
    )
    .await;
    assert_eq!(hours, 7 * 24);
    let legend: u64 = eval(&page, "document.querySelectorAll('.legend li').length").await;
    assert_eq!(legend, 4);
    let january: String = eval(
        &page,
        "document.querySelector('table.month:last-of-type caption').textContent",
    )
    .await;
    assert_eq!(january, format!("Jan {year}"));
    screenshot(&page, "behaviour-calendar").await;
    click_and_wait(&page, "svg.heatmap rect.l3").await;
    let keys: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.timeline .event')].map(e => e.dataset.event)",
    )
    .await;
    assert_eq!(
        keys.len(),
        5,
        "a day links to the stream of that day: {keys:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_consumption_tab_lists_orders_with_items_and_totals() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let id = ingest(&app, vec![
        event("p1".into(), "order", "2021-03-01T10:00:00Z".into(), json!({"order_id": "SO-7", "amount": "316", "currency": "CNY", "status": "paid", "shop": "天猫旗舰店"})),
        event("p2".into(), "order_detail", "2021-03-01T10:00:00Z".into(), json!({"order_id": "SO-7", "product_name": "明前龙井 250g", "quantity": 1, "price": "268"})),
        event("p3".into(), "order_detail", "2021-03-01T10:00:00Z".into(), json!({"order_id": "SO-7", "product_name": "冷泡茶", "quantity": 1, "price": "48"})),
        event("p4".into(), "order", "2021-04-01T10:00:00Z".into(), json!({"order_id": "SO-8", "amount": "59", "currency": "CNY", "status": "shipped"})),
    ])
    .await;
    let page = chromium
        .open(&format!("{}/contacts/{id}?view=orders", app.base))
        .await;
    let totals: Vec<String> = eval(
        &page,
        "[...document.querySelectorAll('.order-totals dd')].map(d => d.textContent)",
    )
    .await;
    assert_eq!(totals[..2], ["2".to_owned(), "375.00".to_owned()]);
    assert_eq!(
        text(&page, ".order .order-head strong").await,
        "Order SO-8",
        "newest first"
    );
    let items: Vec<String> = eval(&page, "[...document.querySelectorAll('[data-order=\"SO-7\"] .order-items tbody td:first-child')].map(d => d.textContent)").await;
    assert_eq!(items, ["明前龙井 250g", "冷泡茶"]);
    assert_eq!(
        text(&page, "[data-attribute=order_count] dd").await,
        "2",
        "the computed attribute agrees"
    );
    screenshot(&page, "behaviour-orders").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_demo_contact_has_a_believable_year() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(40).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let links: Vec<String> = eval(&page, "[...document.querySelectorAll('a[href^=\"/contacts/\"]')].map(a => a.getAttribute('href'))").await;
    let mut best = (0u64, String::new());
    for link in links.iter().filter(|l| l.len() > 20) {
        let id = panorama_core::contact::ContactId::parse(link.trim_start_matches("/contacts/"))
            .expect("an id");
        let count = app
            .store
            .count_events(id, &Default::default())
            .await
            .expect("a count");
        if count > best.0 {
            best = (count, link.clone());
        }
    }
    assert!(best.0 > 20, "some demo contact is active: {}", best.0);
    page.goto(format!("{}{}?view=calendar", app.base, best.1))
        .await
        .expect("the calendar loads");
    let active: u64 = eval(
        &page,
        "document.querySelectorAll('svg.heatmap rect:not(.l0)').length",
    )
    .await;
    assert!(active > 5, "events spread over days: {active}");
    screenshot(&page, "behaviour-demo-calendar").await;
    page.goto(format!("{}{}", app.base, best.1))
        .await
        .expect("the stream loads");
    screenshot(&page, "behaviour-demo-stream").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_is_undone_from_the_survivors_page() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(0).await;
    let schema = Schema::new(app.store.list_attributes().await.expect("schema"));
    let write = |attributes: Value| {
        panorama_core::contact::ContactRecord::from_json(
            &schema,
            attributes.as_object().expect("an object"),
            ParseOptions::default(),
        )
        .expect("a valid record")
    };
    let records = [
        write(json!({"mobile": "13700000088", "name": "王芳"})),
        write(json!({"email": "fang@example.com", "name": "Fang Wang"})),
        write(json!({"mobile": "13700000088", "email": "fang@example.com"})),
    ];
    let mut ids = Vec::new();
    for record in records {
        let outcome = app
            .store
            .upsert_contacts(&[record], &WriteContext::now("test"))
            .await
            .expect("written");
        ids.push(outcome[0].contact.contact_id);
    }
    let page = chromium
        .open(&format!("{}/contacts/{}", app.base, ids[0]))
        .await;
    assert_eq!(text(&page, ".undo-merge button").await, "Undo merge");
    click_and_wait(&page, ".undo-merge button").await;
    assert_eq!(
        text(&page, ".notice").await,
        "Merge undone: both contacts are back as they were."
    );
    assert_eq!(text(&page, "#identity-name").await, "王芳");
    let restored = app
        .store
        .get_contact(ids[1])
        .await
        .expect("a read")
        .expect("back");
    assert_eq!(restored.attributes["name"], json!("Fang Wang"));
    screenshot(&page, "behaviour-merge-undone").await;
    let buttons: u64 = eval(&page, "document.querySelectorAll('.undo-merge').length").await;
    assert_eq!(buttons, 0, "an undone merge offers no second undo");
}
