//! The contacts page: overview and tab counts equal the store's, paging, language switch.

use crate::harness::{App, chromium, click_and_wait, eval, screenshot, text};

fn number(text: &str) -> u64 {
    text.replace(',', "")
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("`{text}` is not a count"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_and_tab_counts_equal_the_store() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(240).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    let overview = app
        .store
        .overview(jiff::Timestamp::now())
        .await
        .expect("counts");
    assert_eq!(overview.all, 240);
    for (key, expected) in [
        ("all", overview.all),
        ("real_name", overview.real_name),
        ("anonymous", overview.anonymous),
        ("wechat_fan", overview.wechat_fan),
        ("new_7d", overview.new_7d),
        ("new_30d", overview.new_30d),
    ] {
        assert_eq!(
            number(&text(&page, &format!("[data-count={key}]")).await),
            expected,
            "{key}"
        );
    }
    for (tab, expected) in [
        ("real_name", overview.real_name),
        ("anonymous", overview.anonymous),
        ("wechat_fan", overview.wechat_fan),
        ("all", overview.all),
    ] {
        assert_eq!(
            number(&text(&page, &format!("[data-tab={tab}] .tab-count")).await),
            expected,
            "tab {tab}"
        );
    }
    let rows: u64 = eval(
        &page,
        "document.querySelectorAll('table.grid tbody tr').length",
    )
    .await;
    assert_eq!(rows, 50, "the first page holds 50 rows");
    screenshot(&page, "contacts-list").await;

    let fans = chromium
        .open(&format!("{}/contacts?category=wechat_fan&page=2", app.base))
        .await;
    assert_eq!(
        number(
            &eval::<String>(
                &fans,
                "document.querySelector('[data-total]').dataset.total"
            )
            .await
        ),
        overview.wechat_fan
    );
    let current: String = eval(
        &fans,
        "document.querySelector('.tabs a[aria-current=page]').dataset.tab",
    )
    .await;
    assert_eq!(current, "wechat_fan");
    assert!(text(&fans, ".pager").await.contains("Page 2 of"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_turns_the_page_chinese_and_is_remembered() {
    let Some(chromium) = chromium().await else {
        return;
    };
    let app = App::spawn(20).await;
    let page = chromium.open(&format!("{}/contacts", app.base)).await;
    assert_eq!(text(&page, "nav a[aria-current=page]").await, "Contacts");
    click_and_wait(&page, ".lang-switch a[lang=zh-CN]").await;
    assert_eq!(text(&page, "nav a[aria-current=page]").await, "联系人");
    assert_eq!(
        eval::<String>(&page, "document.documentElement.lang").await,
        "zh-CN"
    );
    screenshot(&page, "contacts-list-zh").await;
    let again = chromium
        .open(&format!("{}/metadata/attributes", app.base))
        .await;
    assert_eq!(
        text(&again, "h1").await,
        "元数据",
        "the cookie keeps the choice"
    );
}
